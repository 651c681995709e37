// Signing in and out, changing one's password and creating the first account (pages), and
// the same for scripts with API tokens (/api/v1/auth, /api/v1/tokens).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, UnauthorizedError, UnprocessableError, type FieldError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { API_SECURITY } from '../../plugins/openapi.ts';
import { signInKeys } from '../../domains/accounts/limiter.ts';
import { isOrganiserOfAll } from '../../domains/accounts/permissions.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from '../../domains/accounts/passwords.ts';
import {
  authenticated, clearSessionCookie, csrfToken, homeOf, requireUser, SESSION_COOKIE, setSessionCookie,
} from '../shared/auth.ts';
import type { UserRow } from '../../domains/accounts/repository.ts';
import {
  AccountAnswer, CreatedToken, CsrfForm, LoginBody, LoginForm, LoginQuery, NewTokenBody, NoContent, PasswordBody, PasswordForm,
  SavedQuery, SetupForm, SetupParams, TokenList, TokenParams, LangQuery,
} from '../shared/auth-schemas.ts';
import {
  accountView, changePassword, checkCredentials, createApiToken, createUser, endLoginSession, revokeToken, startLoginSession, tokensOf,
  type AuthUser,
} from '../../domains/accounts/service.ts';

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
async function signIn(request: FastifyRequest, email: string, password: string): Promise<UserRow | null> {
  const { db, signInLimiter, now } = request.server;
  const attempt = signInLimiter.begin(signInKeys(request.ip, email), now());
  const user = await checkCredentials(db, email, password);
  if (user) attempt.succeeded();
  return user;
}

/** A password change under the same limit: a stolen session must not become a way to guess the password. */
async function changeOwnPassword(request: FastifyRequest, user: AuthUser, current: string, next: string): Promise<void> {
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
function openSession(request: FastifyRequest, reply: FastifyReply, userId: number): void {
  const { db, now, authOptions } = request.server;
  const previous = request.cookies[SESSION_COOKIE];
  if (previous) endLoginSession(db, previous);
  const { token, cookieExpiresAt } = startLoginSession(db, userId, now());
  setSessionCookie(reply, token, cookieExpiresAt, authOptions.secureCookies);
}

// ---------------------------------------------------------------------------------------------
// Pages.

type Errors = Partial<Record<string, string>>;

export default async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /** Renders a form page: never cached (it carries a CSRF token), never indexed. */
  function formPage(request: FastifyRequest, reply: FastifyReply, template: string, titleKey: string, status: number, context: Record<string, unknown>) {
    const locale = requestLocale(request);
    reply.header('Cache-Control', 'no-store').header('X-Robots-Tag', 'noindex');
    return reply.code(status).page(template, locale, {
      title: translate(locale, titleKey),
      noindex: true,
      csrfToken: csrfToken(reply),
      passwordMin: PASSWORD_MIN_LENGTH,
      passwordHint: translate(locale, 'auth.passwordHint', { min: PASSWORD_MIN_LENGTH }),
      ...context,
    });
  }

  const passwordLengthMessage = (request: FastifyRequest) =>
    translate(requestLocale(request), 'auth.error.passwordLength', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH });

  app.get('/login', { schema: { querystring: LoginQuery } }, async (request, reply) =>
    formPage(request, reply, 'auth/login', 'auth.login.title', 200, { email: '', next: localPath(request.query.next) }));

  app.post('/login', {
    schema: { querystring: LangQuery, body: LoginForm },
    // Before validation, so that a forged post is refused as such whatever its fields.
    preValidation: app.csrfProtection,
  }, async (request, reply) => {
    const { email, password } = request.body;
    const next = localPath(request.body.next);
    const user = await signIn(request, email, password);
    // One message whatever was wrong: the page must not tell whether an account exists.
    if (!user) return formPage(request, reply, 'auth/login', 'auth.login.title', 401, { email, next, failed: true });
    openSession(request, reply, user.id);
    // Without a page to go back to, each goes where they work.
    return reply.redirect(next === '/' ? homeOf(user) : next, 303);
  });

  app.post('/logout', { schema: { body: CsrfForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) endLoginSession(app.db, token);
    clearSessionCookie(reply, app.authOptions.secureCookies);
    return reply.redirect('/', 303);
  });

  app.get('/account/password', { schema: { querystring: SavedQuery } }, async (request, reply) => {
    const user = requireUser(request);
    return formPage(request, reply, 'auth/password', 'auth.password.title', 200, { user, saved: request.query.saved === '1', errors: {} });
  });

  app.post('/account/password', {
    schema: { querystring: LangQuery, body: PasswordForm },
    preValidation: app.csrfProtection,
  }, async (request, reply) => {
    const user = requireUser(request);
    const { currentPassword, newPassword, confirmation } = request.body;
    const locale = requestLocale(request);
    const errors: Errors = {};
    if (passwordProblem(newPassword)) errors.newPassword = passwordLengthMessage(request);
    else if (newPassword !== confirmation) errors.confirmation = translate(locale, 'auth.error.mismatch');
    if (Object.keys(errors).length === 0) {
      try {
        await changeOwnPassword(request, user, currentPassword, newPassword);
        return reply.redirect('/account/password?saved=1', 303);
      } catch (error) {
        if (!(error instanceof UnprocessableError)) throw error;
        for (const e of error.errors) {
          if (e.pointer === '#/currentPassword') errors.currentPassword = translate(locale, 'auth.error.wrongCurrent');
          else errors.newPassword = passwordLengthMessage(request);
        }
      }
    }
    return formPage(request, reply, 'auth/password', 'auth.password.title', 422, { user, errors });
  });

  // Two requests racing with the right link must not make two accounts.
  let settingUp = false;
  const setupLinkWorks = (token: string) => !settingUp && app.setupTokenMatches(token);

  app.get('/setup/:token', { schema: { params: SetupParams, querystring: LangQuery } }, async (request, reply) => {
    if (!setupLinkWorks(request.params.token)) throw new NotFoundError('setup link', '');
    return formPage(request, reply, 'auth/setup', 'auth.setup.title', 200, { action: request.url.split('?')[0], name: '', email: '', errors: {} });
  });

  app.post('/setup/:token', {
    schema: { params: SetupParams, querystring: LangQuery, body: SetupForm },
    preValidation: app.csrfProtection,
  }, async (request, reply) => {
    if (!setupLinkWorks(request.params.token)) throw new NotFoundError('setup link', '');
    const { name, email, password, confirmation } = request.body;
    const locale = requestLocale(request);
    const errors: Errors = {};
    if (password !== confirmation) errors.confirmation = translate(locale, 'auth.error.mismatch');
    if (Object.keys(errors).length === 0) {
      settingUp = true;
      try {
        const user = await createUser(app.db, { name, email, password, role: 'organiser', eventId: null }, app.now());
        app.forgetSetupToken();
        request.log.info({ user: user.email }, 'The first organiser was created through the setup link, which no longer works');
        openSession(request, reply, user.id);
        return reply.redirect('/', 303);
      } catch (error) {
        if (!(error instanceof UnprocessableError)) throw error;
        for (const e of error.errors) {
          if (e.pointer === '#/email') errors.email = translate(locale, 'auth.error.email');
          else if (e.pointer === '#/name') errors.name = translate(locale, 'auth.error.name');
          else errors.password = passwordLengthMessage(request);
        }
      } finally {
        settingUp = false;
      }
    }
    return formPage(request, reply, 'auth/setup', 'auth.setup.title', 422, { action: request.url.split('?')[0], name, email, errors });
  });
}

// ---------------------------------------------------------------------------------------------
// API (registered in the strict scope: JSON bodies, unknown fields refused).

const SECURITY = API_SECURITY;

export async function authApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/api/v1/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in: sets the session cookie',
      description: 'Wrong credentials get 401. The sixth wrong password within a minute, from one client address or for one account, gets 429 with Retry-After, unchecked.',
      body: LoginBody,
      response: { 200: AccountAnswer },
    },
  }, async (request, reply) => {
    const user = await signIn(request, request.body.email, request.body.password);
    if (!user) throw new UnauthorizedError('The e-mail address or the password is wrong');
    openSession(request, reply, user.id);
    return { user: accountView(app.db, user) };
  });

  app.post('/api/v1/auth/logout', {
    onRequest: authenticated,
    schema: {
      tags: ['auth'],
      summary: 'Sign out: ends the session of the cookie',
      description: 'With an API token there is no session to end: revoke the token with DELETE /api/v1/tokens/{id}.',
      security: SECURITY,
      response: { 204: NoContent },
    },
  }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (requireUser(request).via === 'session' && token) {
      endLoginSession(app.db, token);
      clearSessionCookie(reply, app.authOptions.secureCookies);
    }
    return reply.code(204).send(null);
  });

  app.get('/api/v1/auth/me', {
    onRequest: authenticated,
    schema: { tags: ['auth'], summary: 'Who is signed in', security: SECURITY, response: { 200: AccountAnswer } },
  }, async (request) => ({ user: accountView(app.db, requireUser(request)) }));

  app.post('/api/v1/auth/password', {
    onRequest: authenticated,
    schema: {
      tags: ['auth'],
      summary: 'Change your password',
      description: 'Every other sign-in session of the account ends. A wrong current password gets 422 naming #/currentPassword, and counts towards the sign-in limit.',
      security: SECURITY,
      body: PasswordBody,
      response: { 204: NoContent },
    },
  }, async (request, reply) => {
    await changeOwnPassword(request, requireUser(request), request.body.currentPassword, request.body.newPassword);
    return reply.code(204).send(null);
  });

  app.get('/api/v1/tokens', {
    onRequest: authenticated,
    schema: {
      tags: ['tokens'],
      summary: 'API tokens: your own; an organiser of every event sees everyone\'s',
      description: 'Never the secret: it is shown once, when the token is created.',
      security: SECURITY,
      response: { 200: TokenList },
    },
  }, async (request) => {
    const user = requireUser(request);
    return tokensOf(app.db, isOrganiserOfAll(user) ? null : user.id).map((t) => ({
      id: t.publicId,
      name: t.name,
      user: t.userEmail,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
    }));
  });

  app.post('/api/v1/tokens', {
    onRequest: authenticated,
    schema: {
      tags: ['tokens'],
      summary: 'Create an API token acting for you',
      description: 'The answer holds the secret; it is not stored and cannot be shown again. Send it as "Authorization: Bearer …".',
      security: SECURITY,
      body: NewTokenBody,
      response: { 201: CreatedToken },
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const name = request.body.name.trim();
    if (name === '') throw new UnprocessableError([{ pointer: '#/name', detail: 'must not be blank' } satisfies FieldError]);
    const { row, token } = createApiToken(app.db, user.id, name, app.now());
    return reply.code(201).send({ id: row.publicId, name: row.name, token });
  });

  app.delete('/api/v1/tokens/:id', {
    onRequest: authenticated,
    schema: {
      tags: ['tokens'],
      summary: 'Revoke an API token: it stops working at once',
      description: 'Your own; an organiser of every event may revoke anyone\'s. Anyone else\'s token is 404.',
      security: SECURITY,
      params: TokenParams,
      response: { 204: NoContent },
    },
  }, async (request, reply) => {
    revokeToken(app.db, requireUser(request), request.params.id, app.now());
    return reply.code(204).send(null);
  });
}
