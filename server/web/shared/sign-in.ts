// Signing in, for the pages and the API alike: under the sign-in limit, with a new session and
// its cookie, and never sending anyone off the site afterwards.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserRow } from '../../domains/accounts/repository.ts';
import { changePassword, checkCredentials, endLoginSession, startLoginSession, type AuthUser } from '../../domains/accounts/service.ts';
import { UnprocessableError } from '../../errors.ts';
import { forgetCsrfSecret, SESSION_COOKIE, setSessionCookie } from './auth.ts';

/** The base a `next` is resolved against: only what stays on it is followed. */
const HERE = 'http://here.invalid';

/**
 * Where to go after signing in: a path of this site, else the home page. "//host" and
 * "/\host" (which browsers read as "//host") would leave the site, and browsers drop
 * tabs and line breaks, so "/\t/host" would too. The path is given back percent-encoded, as
 * a browser's address bar does: a Location header carries ASCII only (Node refuses to send
 * any other character, and the answer became a 500 after the session was made).
 */
export function localPath(next: string | undefined): string {
  if (next === undefined || next.length > 2048) return '/';
  if (!/^\/(?![/\\])[^\\\s\x00-\x1f\x7f]*$/.test(next)) return '/';
  const url = new URL(next, HERE);
  if (url.origin !== HERE) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Every character outside printable ASCII is encoded by now; the check keeps it a promise.
  return path.length <= 8 * 2048 && /^\/[\x21-\x7e]*$/.test(path) ? path : '/';
}

/**
 * Checks credentials under the sign-in limit (domains/accounts/limiter.ts: per address and
 * account, with backoff, and never against a new address because of others' failures), and
 * under the gate that bounds how many slow password checks run at once.
 */
export async function signIn(request: FastifyRequest, email: string, password: string): Promise<UserRow | null> {
  const { db, signInLimiter, signInGate, now } = request.server;
  const attempt = signInLimiter.begin(request.ip, email, now());
  let user: UserRow | null;
  try {
    user = await signInGate.run(request.ip, () => checkCredentials(db, email, password));
  } catch (error) {
    // A refusal by the gate, or a broken check, tells nothing about the password.
    attempt.abandoned();
    throw error;
  }
  if (user) attempt.succeeded();
  else attempt.failed(now());
  return user;
}

/** A password change under the same limit: a stolen session must not become a way to guess the password. */
export async function changeOwnPassword(request: FastifyRequest, user: AuthUser, current: string, next: string, options: { revokeTokens: boolean }): Promise<void> {
  const { db, signInLimiter, signInGate, now } = request.server;
  const attempt = signInLimiter.begin(request.ip, user.email, now());
  try {
    await signInGate.run(request.ip, () => changePassword(db, user, current, next, now(), options));
    attempt.succeeded();
  } catch (error) {
    // Only a wrong current password counts as a guess; a new password refused means the current one was right.
    if (error instanceof UnprocessableError && error.errors.some((e) => e.pointer === '#/currentPassword')) attempt.failed(now());
    else if (error instanceof UnprocessableError) attempt.succeeded();
    else attempt.abandoned();
    throw error;
  }
}

/** Signs the browser in: a new session (any earlier one of this browser ends) and its cookie. */
export function openSession(request: FastifyRequest, reply: FastifyReply, userId: number): void {
  const { db, now, authOptions } = request.server;
  const previous = request.cookies[SESSION_COOKIE];
  if (previous) endLoginSession(db, previous);
  // A new sign-in gets a new CSRF secret: one learnt before (on a shared computer, say) is worth nothing after.
  forgetCsrfSecret(request, reply);
  const { token, cookieExpiresAt } = startLoginSession(db, userId, now());
  setSessionCookie(reply, token, cookieExpiresAt, authOptions.secureCookies);
}

