// Rules of the auth domain: accounts, signing in and out, API tokens.
import { v4 as uuidv4 } from 'uuid';
import type { Db } from '../../db/client.ts';
import type { UserRole } from '../../db/schema.ts';
import { ConflictError, NotFoundError, UnprocessableError, type FieldError } from '../../errors.ts';
import { hashToken, newSecretToken } from '../../secret-tokens.ts';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import {
  countUsers, deleteExpiredLoginSessions, deleteLoginSession, deleteOtherLoginSessions, findActiveApiToken, findApiTokenByPublicId,
  findLiveLoginSession, findUserByEmail, insertApiToken, insertLoginSession, insertUser, listApiTokens, revokeApiToken, revokeApiTokensOf, touchApiToken,
  touchLoginSession, updateUserPassword, type ApiTokenRow, type UserRow,
} from './repository.ts';

/** Who is making a request, and how they proved it. */
export interface AuthUser {
  id: number;
  publicId: string;
  email: string;
  name: string;
  role: UserRole;
  /** For an organiser, the one event they organise; null means every event. */
  eventId: number | null;
  via: 'session' | 'token';
  /** The sign-in session, when signed in through the browser or /api/v1/auth/login. */
  loginSessionId: number | null;
}

const DAY = 24 * 3600 * 1000;
/** A sign-in lasts a week from the last visit, and never more than 30 days. */
export const LOGIN_IDLE_LIFETIME = 7 * DAY;
const LOGIN_ABSOLUTE_LIFETIME = 30 * DAY;
/** Last-seen times are written at most this often: a page view should not always write. */
const TOUCH_INTERVAL = 3600 * 1000;

/**
 * An e-mail address: something, "@", then dot-separated labels (at least two). Linear: each
 * repetition starts with the dot its label may not contain, so no two quantifiers can share a
 * character (the pattern it replaces, [^\\s@]+\\.[^\\s@]+, let both sides take the dots and
 * took 15 s on a 100 KB address). The length (254) is checked before it anyway.
 */
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+$';
export const EMAIL_MAX_LENGTH = 254;
const EMAIL = new RegExp(EMAIL_PATTERN, 'u');
/** API tokens carry a prefix so that secret scanners and people recognise them. */
const API_TOKEN_PREFIX = 'fpt_';

export function hasUsers(db: Db): boolean {
  return countUsers(db) > 0;
}

export interface NewUser {
  email: string;
  name: string;
  password: string;
  role: UserRole;
  eventId: number | null;
}

export async function createUser(db: Db, input: NewUser, now: Date): Promise<UserRow> {
  const errors: FieldError[] = [];
  const email = input.email.trim().toLowerCase();
  // The length first: the pattern is then run on a bounded string only.
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL.test(email)) errors.push({ pointer: '#/email', code: 'email' });
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) errors.push({ pointer: '#/name', code: 'name-length' });
  const problem = passwordProblem(input.password);
  if (problem) errors.push({ pointer: '#/password', ...problem });
  if (input.role === 'rapporteur' && input.eventId !== null) errors.push({ pointer: '#/event', code: 'rapporteur-event' });
  if (errors.length > 0) throw new UnprocessableError(errors);
  if (findUserByEmail(db, email)) throw new ConflictError(`An account already uses ${email}`, 'duplicate');
  const passwordHash = await hashPassword(input.password);
  // Checked again after the slow hash: another request may have taken the address meanwhile.
  if (findUserByEmail(db, email)) throw new ConflictError(`An account already uses ${email}`, 'duplicate');
  return insertUser(db, {
    publicId: uuidv4(), email, name, passwordHash, role: input.role, eventId: input.eventId, createdAt: now, updatedAt: now,
  });
}

/** The account for these credentials, or null. Takes the same time whether the address exists or not. */
export async function checkCredentials(db: Db, email: string, password: string): Promise<UserRow | null> {
  const user = findUserByEmail(db, email.trim());
  const matches = await verifyPassword(password, user?.passwordHash ?? await decoyHash());
  return user && matches ? user : null;
}

function authUser(user: UserRow, via: AuthUser['via'], loginSessionId: number | null): AuthUser {
  return { id: user.id, publicId: user.publicId, email: user.email, name: user.name, role: user.role, eventId: user.eventId, via, loginSessionId };
}

/**
 * Opens a sign-in session; returns the cookie's token, which only the browser keeps.
 * `cookieExpiresAt` is the session's absolute end: the cookie must outlive the idle
 * expiry, which each visit pushes back on the server side only.
 */
export function startLoginSession(db: Db, userId: number, now: Date): { token: string; expiresAt: Date; cookieExpiresAt: Date } {
  // Expired sessions are swept here, where a sign-in writes anyway: no timer to start and stop
  // with the app, and one short delete per sign-in. Without an index on expires_at it scans the
  // table, which holds only the live sessions and those expired since the last sign-in: few rows.
  deleteExpiredLoginSessions(db, now);
  const token = newSecretToken();
  const expiresAt = new Date(now.getTime() + LOGIN_IDLE_LIFETIME);
  insertLoginSession(db, { tokenHash: hashToken(token), userId, createdAt: now, lastSeenAt: now, expiresAt });
  return { token, expiresAt, cookieExpiresAt: new Date(now.getTime() + LOGIN_ABSOLUTE_LIFETIME) };
}

export function userOfLoginSession(db: Db, token: string, now: Date): AuthUser | null {
  const found = findLiveLoginSession(db, hashToken(token), now);
  if (!found) return null;
  const { session, user } = found;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL) {
    const expiresAt = Math.min(now.getTime() + LOGIN_IDLE_LIFETIME, session.createdAt.getTime() + LOGIN_ABSOLUTE_LIFETIME);
    touchLoginSession(db, session.id, now, new Date(expiresAt));
  }
  return authUser(user, 'session', session.id);
}

export function endLoginSession(db: Db, token: string): void {
  deleteLoginSession(db, hashToken(token));
}

/**
 * Changes a password after checking the current one; every other sign-in of the account
 * ends, so a stolen session does not outlive the change. The API tokens are revoked too when
 * asked (the form asks by default): a token may be what leaked, but it may also be a script
 * that the owner wants to keep running, so it is their choice.
 */
export async function changePassword(db: Db, user: AuthUser, current: string, next: string, now: Date, options: { revokeTokens: boolean }): Promise<void> {
  const row = findUserByEmail(db, user.email);
  if (!row || !(await verifyPassword(current, row.passwordHash))) {
    throw new UnprocessableError([{ pointer: '#/currentPassword', code: 'wrong-password' }]);
  }
  const problem = passwordProblem(next);
  if (problem) throw new UnprocessableError([{ pointer: '#/newPassword', ...problem }]);
  updateUserPassword(db, row.id, await hashPassword(next), now);
  deleteOtherLoginSessions(db, row.id, user.loginSessionId);
  if (options.revokeTokens) revokeApiTokensOf(db, row.id, now);
}

export function createApiToken(db: Db, userId: number, name: string, now: Date): { row: ApiTokenRow; token: string } {
  const token = `${API_TOKEN_PREFIX}${newSecretToken()}`;
  const row = insertApiToken(db, { publicId: uuidv4(), userId, name: name.trim(), tokenHash: hashToken(token), createdAt: now });
  return { row, token };
}

export function userOfApiToken(db: Db, token: string, now: Date): AuthUser | null {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const found = findActiveApiToken(db, hashToken(token));
  if (!found) return null;
  if (!found.token.lastUsedAt || now.getTime() - found.token.lastUsedAt.getTime() > 60_000) touchApiToken(db, found.token.id, now);
  return authUser(found.user, 'token', null);
}

/** A user's own tokens; an organiser of every event may list everyone's (userId null). */
export function tokensOf(db: Db, userId: number | null) {
  return listApiTokens(db, userId);
}

/** Revokes a token. Only its owner, or an organiser of every event, may. */
export function revokeToken(db: Db, actor: { id: number; role: UserRole; eventId: number | null } | null, publicId: string, now: Date): ApiTokenRow {
  const token = findApiTokenByPublicId(db, publicId);
  if (!token || (actor && token.userId !== actor.id && !(actor.role === 'organiser' && actor.eventId === null))) {
    throw new NotFoundError('token', publicId);
  }
  revokeApiToken(db, token.id, now);
  return { ...token, revokedAt: token.revokedAt ?? now };
}
