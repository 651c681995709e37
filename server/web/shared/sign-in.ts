// Signing in, for the pages and the API alike: under the sign-in limit, with a new session and
// its cookie, and never sending anyone off the site afterwards.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { signInKeys } from '../../domains/accounts/limiter.ts';
import type { UserRow } from '../../domains/accounts/repository.ts';
import { changePassword, checkCredentials, endLoginSession, startLoginSession, type AuthUser } from '../../domains/accounts/service.ts';
import { UnprocessableError } from '../../errors.ts';
import { SESSION_COOKIE, setSessionCookie } from './auth.ts';

/**
 * Where to go after signing in: a path of this site, else the home page. "//host" and
 * "/\host" (which browsers read as "//host") would leave the site, and browsers drop
 * tabs and line breaks, so "/\t/host" would too.
 */
export function localPath(next: string | undefined): string {
  if (next === undefined || next.length > 2048) return '/';
  return /^\/(?![/\\])[^\\\s\x00-\x1f\x7f]*$/.test(next) ? next : '/';
}

/**
 * Checks credentials under the sign-in limit: the sixth wrong password within a minute, per
 * client address and per account, is refused with 429 before the password is even looked at.
 */
export async function signIn(request: FastifyRequest, email: string, password: string): Promise<UserRow | null> {
  const { db, signInLimiter, now } = request.server;
  const attempt = signInLimiter.begin(signInKeys(request.ip, email), now());
  const user = await checkCredentials(db, email, password);
  if (user) attempt.succeeded();
  return user;
}

/** A password change under the same limit: a stolen session must not become a way to guess the password. */
export async function changeOwnPassword(request: FastifyRequest, user: AuthUser, current: string, next: string): Promise<void> {
  const { db, signInLimiter, now } = request.server;
  const attempt = signInLimiter.begin(signInKeys(request.ip, user.email), now());
  try {
    await changePassword(db, user, current, next, now());
    attempt.succeeded();
  } catch (error) {
    // Only a wrong current password counts as a guess.
    if (!(error instanceof UnprocessableError && error.errors.some((e) => e.pointer === '#/currentPassword'))) attempt.succeeded();
    throw error;
  }
}

/** Signs the browser in: a new session (any earlier one of this browser ends) and its cookie. */
export function openSession(request: FastifyRequest, reply: FastifyReply, userId: number): void {
  const { db, now, authOptions } = request.server;
  const previous = request.cookies[SESSION_COOKIE];
  if (previous) endLoginSession(db, previous);
  const { token, cookieExpiresAt } = startLoginSession(db, userId, now());
  setSessionCookie(reply, token, cookieExpiresAt, authOptions.secureCookies);
}

