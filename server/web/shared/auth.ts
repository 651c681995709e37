// Who is asking: resolves the signed-in user (cookie) or the script (bearer token) of a
// request, on first use only, so public pages read by anonymous visitors cost nothing.
// Also CSRF protection for forms, and the one-time setup link while no account exists.
import { timingSafeEqual } from 'node:crypto';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../errors.ts';
import { findEventBySlug, type EventRow } from '../../domains/programme/repository.ts';
import { newSecretToken } from '../../secret-tokens.ts';
import { CheckGate } from '../../domains/accounts/check-gate.ts';
import { SignInLimiter } from '../../domains/accounts/limiter.ts';
import { isOrganiserOfAll, organises } from '../../domains/accounts/permissions.ts';
import { hasUsers, userOfApiToken, userOfLoginSession, type AuthUser } from '../../domains/accounts/service.ts';
import type { MessageKey } from '../../i18n/index.ts';

export const SESSION_COOKIE = 'forum_session';

export interface AuthOptions {
  publicUrl: string;
  secureCookies: boolean;
}

const resolved = new WeakMap<FastifyRequest, { user: AuthUser | null; problem: string | null }>();

function resolve(request: FastifyRequest) {
  let found = resolved.get(request);
  if (found) return found;
  const { db, now } = request.server;
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const user = match ? userOfApiToken(db, match[1]!, now()) : null;
    found = { user, problem: user ? null : 'The API token is not valid, or has been revoked' };
  } else {
    const token = request.cookies[SESSION_COOKIE];
    const user = token ? userOfLoginSession(db, token, now()) : null;
    found = { user, problem: token && !user ? 'Your sign-in has expired: sign in again' : null };
  }
  resolved.set(request, found);
  return found;
}

/** The user behind the request, or null for an anonymous one. */
export function currentUser(request: FastifyRequest): AuthUser | null {
  return resolve(request).user;
}

/** The user behind the request; 401 for an anonymous one, in the refusal's words when a front-end gives them. */
export function requireUser(request: FastifyRequest, refusals: Refusals = {}): AuthUser {
  const { user, problem } = resolve(request);
  if (!user) throw new UnauthorizedError(refusals.signIn?.(request) ?? problem ?? undefined);
  return user;
}

/** The organiser of this event making the request: 401 for nobody, 403 for anyone else. */
export function requireOrganiserOf(request: FastifyRequest, event: { id: number }): AuthUser {
  const user = requireUser(request);
  if (!organises(user, event.id)) throw new ForbiddenError('Only the organisers of this event may do this');
  return user;
}

/** An organiser of every event: only they create events and accounts. */
export function requireOrganiserOfAll(request: FastifyRequest): AuthUser {
  const user = requireUser(request);
  if (!isOrganiserOfAll(user)) throw new ForbiddenError('Only organisers of every event may do this');
  return user;
}

/** Words of a refusal, for front-ends that say it in the reader's language (the API's are these English ones). */
export interface Refusals {
  signIn?: (request: FastifyRequest) => string;
  notOrganiser?: (request: FastifyRequest) => string;
}

const organisedEvents = new WeakMap<FastifyRequest, { user: AuthUser; event: EventRow }>();

/**
 * A hook for the addresses of one event's organisers (:slug): 401 for nobody (an anonymous
 * visitor learns nothing, not even whether the event exists), 404 for an unknown event, 403
 * for anyone who does not organise it. Register it in onRequest, the only hooks Fastify runs
 * before it reads the body (the route's params are already known there): a caller without the
 * right then learns nothing from the body's checks either (no 400, 413, 415 or 422). In
 * preValidation it would run after the body was read.
 */
export function organiserOfEvent(refusals: Refusals = {}) {
  return async (request: FastifyRequest): Promise<void> => {
    const user = requireUser(request, refusals);
    const event = findEventBySlug(request.server.db, (request.params as { slug: string }).slug);
    if (!event) throw new NotFoundError('event', (request.params as { slug: string }).slug);
    if (!organises(user, event.id)) throw new ForbiddenError(refusals.notOrganiser?.(request) ?? 'Only the organisers of this event may do this');
    organisedEvents.set(request, { user, event });
  };
}

/** The event of the address and its organiser making the request, once organiserOfEvent let it through. */
export function organisedEvent(request: FastifyRequest): { user: AuthUser; event: EventRow } {
  const found = organisedEvents.get(request);
  if (!found) throw new Error('organiserOfEvent did not run for this route');
  return found;
}

/** An onRequest hook for routes that need someone signed in: anonymous requests stop at 401, before their body is read. */
export async function authenticated(request: FastifyRequest): Promise<void> {
  requireUser(request);
}

const csrfTokens = new WeakMap<FastifyReply, string>();

/**
 * The CSRF token for the forms of this answer. One per answer: @fastify/csrf-protection makes
 * a new secret (and cookie) on each call while the browser has none, and a page that shows
 * two forms (its own and the layout's sign-out button) must not get two secrets.
 */
export function csrfToken(reply: FastifyReply): string {
  let token = csrfTokens.get(reply);
  if (token === undefined) {
    token = reply.generateCsrf();
    csrfTokens.set(reply, token);
  }
  return token;
}

/** What the layout shows of the signed-in user: their name and a sign-out form. */
export interface AccountBar {
  name: string;
  csrfToken: string;
  /** Where this user works: the organisers' workspace, or a rapporteur's sessions. */
  home: string;
  homeLabel: MessageKey;
}

/** The page a user lands on after signing in, and reaches from the account bar. */
export function homeOf(user: Pick<AuthUser, 'role'>): string {
  return user.role === 'organiser' ? '/admin' : '/rapporteur';
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/** The cookie that holds the browser's CSRF secret (@fastify/csrf-protection's default name). */
export const CSRF_COOKIE = '_csrf';
const csrfCookieOptions = (secure: boolean) => ({ path: '/', httpOnly: true, sameSite: 'strict' as const, secure, signed: false });

/**
 * Drops the browser's CSRF secret, at sign-in and sign-out: the next form it is shown comes
 * with a new one, so a token seen before the change (over a shoulder, on a shared computer)
 * forges nothing after it.
 */
export function forgetCsrfSecret(request: FastifyRequest, reply: FastifyReply): void {
  if (request.cookies[CSRF_COOKIE] === undefined) return;
  reply.clearCookie(CSRF_COOKIE, csrfCookieOptions(request.server.authOptions.secureCookies));
  // A form rendered in this same answer then makes its new secret rather than reuse the old one.
  delete request.cookies[CSRF_COOKIE];
  csrfTokens.delete(reply);
}

async function authPlugin(app: FastifyInstance, options: AuthOptions) {
  await app.register(fastifyCsrfProtection, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: csrfCookieOptions(options.secureCookies),
  });
  app.decorate('authOptions', options);
  // Wrong passwords slow down their own address and account, never a new address (limiter.ts);
  // password checks run a few at a time (check-gate.ts).
  app.decorate('signInLimiter', new SignInLimiter());
  app.decorate('signInGate', new CheckGate());

  // The layout's account bar. Only a request that carries the session cookie gets it, and
  // only when a page is rendered (the getter runs when the view reads reply.locals), so
  // anonymous visitors, feeds and the API pay nothing and get no CSRF cookie.
  // preValidation: after @fastify/view's onRequest hook has made reply.locals, and before
  // validation, so that the 400 and 404 pages show it too.
  app.addHook('preValidation', async (request, reply) => {
    if (!request.cookies[SESSION_COOKIE]) return;
    const locals = (reply as FastifyReply & { locals?: Record<string, unknown> | null }).locals;
    if (!locals) return;
    let bar: AccountBar | null | undefined;
    Object.defineProperty(locals, 'account', {
      enumerable: true,
      configurable: true,
      get(): AccountBar | null {
        if (bar === undefined) {
          const user = currentUser(request);
          bar = user ? { name: user.name, csrfToken: csrfToken(reply), home: homeOf(user), homeLabel: `account.home.${user.role}` } : null;
        }
        return bar;
      },
    });
  });

  // While no account exists, the first one is made through a one-time link that only
  // whoever reads the server's log can know. No default password ever exists.
  let setupToken: string | null = null;
  app.decorate('setupTokenMatches', (candidate: string) => {
    if (setupToken === null || hasUsers(app.db)) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(setupToken);
    return a.length === b.length && timingSafeEqual(a, b);
  });
  app.decorate('forgetSetupToken', () => {
    setupToken = null;
  });
  app.addHook('onReady', async () => {
    if (hasUsers(app.db)) return;
    setupToken = newSecretToken();
    app.log.warn(`No account exists yet. Create the first organiser at ${options.publicUrl}/setup/${setupToken} (this link works once).`);
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    authOptions: AuthOptions;
    signInLimiter: SignInLimiter;
    signInGate: CheckGate;
    /** Whether this is the one-time setup link's token, and no account exists yet. */
    setupTokenMatches(candidate: string): boolean;
    forgetSetupToken(): void;
  }
}

export default fp(authPlugin, { name: 'auth', dependencies: ['db'] });
