// Signing in for scripts (/api/v1/auth) and API tokens (/api/v1/tokens). Registered in the
// strict scope: JSON bodies, unknown fields refused.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client.ts';
import type { UserRole } from '../../db/schema.ts';
import { isOrganiserOfAll } from '../../domains/accounts/permissions.ts';
import type { UserRow } from '../../domains/accounts/repository.ts';
import { createApiToken, endLoginSession, revokeToken, tokensOf } from '../../domains/accounts/service.ts';
import { findEventById } from '../../domains/programme/repository.ts';
import { UnauthorizedError, UnprocessableError } from '../../errors.ts';
import { API_SECURITY } from '../../plugins/openapi.ts';
import { authenticated, clearSessionCookie, forgetCsrfSecret, requireUser, SESSION_COOKIE } from '../shared/auth.ts';
import { AccountAnswer, CreatedToken, LoginBody, NewTokenBody, NoContent, PasswordBody, TokenList, TokenParams } from '../shared/auth-schemas.ts';
import { changeOwnPassword, openSession, signIn } from '../shared/sign-in.ts';

/** An account as the API shows it: the event is the slug of the one event organised, or null for every event. */
interface AccountView {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  event: string | null;
}

function accountView(db: Db, user: Pick<UserRow, 'publicId' | 'email' | 'name' | 'role' | 'eventId'>): AccountView {
  const event = user.eventId === null ? null : findEventById(db, user.eventId)?.slug ?? null;
  return { id: user.publicId, email: user.email, name: user.name, role: user.role, event };
}

/** The documentation of a route, in the API's words; `signedIn` routes stop at 401 before their body is read. */
function operation<S extends object>(tag: string, summary: string, description: string | null, schema: S, signedIn = true) {
  return {
    ...(signedIn ? { onRequest: authenticated } : {}),
    schema: { tags: [tag], summary, ...(description ? { description } : {}), ...(signedIn ? { security: API_SECURITY } : {}), ...schema },
  };
}

export default async function authApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/api/v1/auth/login', operation(
    'auth', 'Sign in: sets the session cookie',
    'Wrong credentials get 401. After five wrong passwords from one client address for one account, that address waits before its next try for it (429 with Retry-After, unchecked): 1 s, then twice as long after each further failure, up to 15 minutes. Failures for an account from many addresses, or from one address for many accounts, hold back only the addresses and accounts that failed: an address that has not failed for an account is never refused.',
    { body: LoginBody, response: { 200: AccountAnswer } }, false,
  ), async (request, reply) => {
    const user = await signIn(request, request.body.email, request.body.password);
    if (!user) throw new UnauthorizedError('The e-mail address or the password is wrong');
    openSession(request, reply, user.id);
    return { user: accountView(app.db, user) };
  });

  app.post('/api/v1/auth/logout', operation(
    'auth', 'Sign out: ends the session of the cookie',
    'With an API token there is no session to end: revoke the token with DELETE /api/v1/tokens/{id}.',
    { response: { 204: NoContent } },
  ), async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (requireUser(request).via === 'session' && token) {
      endLoginSession(app.db, token);
      clearSessionCookie(reply, app.authOptions.secureCookies);
      forgetCsrfSecret(request, reply);
    }
    return reply.code(204).send(null);
  });

  app.get('/api/v1/auth/me', operation(
    'auth', 'Who is signed in',
    null,
    { response: { 200: AccountAnswer } },
  ), async (request) => ({ user: accountView(app.db, requireUser(request)) }));

  app.post('/api/v1/auth/password', operation(
    'auth', 'Change your password',
    'Every other sign-in session of the account ends, and every API token is revoked unless revokeTokens is false. A wrong current password gets 422 naming #/currentPassword, and counts towards the sign-in limit.',
    { body: PasswordBody, response: { 204: NoContent } },
  ), async (request, reply) => {
    const { currentPassword, newPassword, revokeTokens } = request.body;
    await changeOwnPassword(request, requireUser(request), currentPassword, newPassword, { revokeTokens: revokeTokens ?? true });
    return reply.code(204).send(null);
  });

  app.get('/api/v1/tokens', operation(
    'tokens', 'API tokens: your own; an organiser of every event sees everyone\'s',
    'Never the secret: it is shown once, when the token is created.',
    { response: { 200: TokenList } },
  ), async (request) => {
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

  app.post('/api/v1/tokens', operation(
    'tokens', 'Create an API token acting for you',
    'The answer holds the secret; it is not stored and cannot be shown again. Send it as "Authorization: Bearer …".',
    { body: NewTokenBody, response: { 201: CreatedToken } },
  ), async (request, reply) => {
    const user = requireUser(request);
    const name = request.body.name.trim();
    if (name === '') throw new UnprocessableError([{ pointer: '#/name', code: 'blank' }]);
    const { row, token } = createApiToken(app.db, user.id, name, app.now());
    return reply.code(201).send({ id: row.publicId, name: row.name, token });
  });

  app.delete('/api/v1/tokens/:id', operation(
    'tokens', 'Revoke an API token: it stops working at once',
    'Your own; an organiser of every event may revoke anyone\'s. Anyone else\'s token is 404.',
    { params: TokenParams, response: { 204: NoContent } },
  ), async (request, reply) => {
    revokeToken(app.db, requireUser(request), request.params.id, app.now());
    return reply.code(204).send(null);
  });
}
