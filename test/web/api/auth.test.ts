// /api/v1/auth/* and /api/v1/tokens: signing in for scripts, and API tokens.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiTokens, loginSessions } from '../../../server/db/schema.ts';
import { hashToken } from '../../../server/secret-tokens.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { apiAs, type Headers } from '../../helpers/api.ts';
import { addUser, apiSignIn, sessionCookie, type TestUser } from '../../helpers/auth.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PROBLEM = 'application/problem+json; charset=utf-8';

describe('auth API', () => {
  let t: TestApp;
  let organiser: TestUser;
  let local: TestUser;
  let rapporteur: TestUser;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Olga Organiser');
    local = await addUser(t.app, 'organiser', FORUM_2019, 'Lindiwe Local');
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Rafael Rapporteur');
  });
  afterAll(async () => { await t.close(); });

  const login = (email: string, password: string, remoteAddress = '127.0.0.1') => apiSignIn(t.app, { email, password }, remoteAddress);
  /** The API as these scripts call it: no Accept-Language, so refusals are titled in French, the app's default. */
  const api = (auth: Headers = {}) => apiAs(t.app, auth, { language: null });

  test('login answers the user and sets the session cookie; me answers the same with the cookie or a token', async () => {
    const response = await login(local.email, local.password);
    expect(response.statusCode).toBe(200);
    const user = { id: local.publicId, email: local.email, name: 'Lindiwe Local', role: 'organiser', event: FORUM_2019 };
    expect(response.json()).toEqual({ user });
    expect((await api(sessionCookie(response)).get('/api/v1/auth/me')).json()).toEqual({ user });
    expect((await api(local.bearer).get('/api/v1/auth/me')).json()).toEqual({ user });
    expect((await api(organiser.bearer).get('/api/v1/auth/me')).json()).toEqual({
      user: { id: organiser.publicId, email: organiser.email, name: 'Olga Organiser', role: 'organiser', event: null },
    });
  });

  test('a wrong password or address is a 401 problem that does not say which', async () => {
    for (const [email, password] of [[rapporteur.email, 'wrong password'], ['nobody@example.org', rapporteur.password]] as const) {
      const response = await login(email, password, '10.1.0.1');
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toBe(PROBLEM);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.json()).toEqual({
        type: 'http://127.0.0.1:3000/api/docs#problem-unauthorized',
        title: 'Connexion requise',
        status: 401,
        detail: 'The e-mail address or the password is wrong',
      });
    }
  });

  test('logout ends the session of the cookie (204); the cookie then gets 401', async () => {
    const response = await login(rapporteur.email, rapporteur.password);
    const headers = sessionCookie(response);
    const logout = await api(headers).send('POST', '/api/v1/auth/logout');
    expect(logout.statusCode).toBe(204);
    expect(logout.body).toBe('');
    expect(logout.cookies.find((c) => c.name === 'forum_session')!.value).toBe('');
    const me = await api(headers).get('/api/v1/auth/me');
    expect(me.statusCode).toBe(401);
    expect(me.json().detail).toBe('Your sign-in has expired: sign in again');
  });

  test('every route but login needs someone: 401 before the body is even validated', async () => {
    const routes = [
      { method: 'POST', url: '/api/v1/auth/logout' },
      { method: 'GET', url: '/api/v1/auth/me' },
      { method: 'POST', url: '/api/v1/auth/password', payload: { unknown: 1 } },
      { method: 'GET', url: '/api/v1/tokens' },
      { method: 'POST', url: '/api/v1/tokens', payload: { unknown: 1 } },
      { method: 'DELETE', url: '/api/v1/tokens/00000000-0000-4000-8000-000000000000' },
    ] as const;
    for (const route of routes) {
      const response = await api().send(route.method, route.url, 'payload' in route ? route.payload : undefined);
      expect(response.statusCode, route.url).toBe(401);
      expect(response.headers['www-authenticate'], route.url).toBe('Bearer realm="forum-programme"');
      const wrongToken = await api({ authorization: 'Bearer fpt_not-a-token' }).send(route.method, route.url, 'payload' in route ? route.payload : undefined);
      expect(wrongToken.statusCode, route.url).toBe(401);
      expect(wrongToken.json().detail).toBe('The API token is not valid, or has been revoked');
    }
  });

  test('password change: 204, the other sessions end, this one stays, the old password stops working', async () => {
    const user = await addUser(t.app, 'rapporteur');
    const here = sessionCookie(await login(user.email, user.password));
    const elsewhere = sessionCookie(await login(user.email, user.password));
    const response = await api(here).post('/api/v1/auth/password', { currentPassword: user.password, newPassword: 'the new password' });
    expect(response.statusCode).toBe(204);
    expect((await api(here).get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await api(elsewhere).get('/api/v1/auth/me')).statusCode).toBe(401);
    expect(t.app.db.select().from(loginSessions).where(eq(loginSessions.userId, user.id)).all().length).toBe(1);
    expect((await login(user.email, user.password, '10.1.0.2')).statusCode).toBe(401);
    expect((await login(user.email, 'the new password', '10.1.0.2')).statusCode).toBe(200);
  });

  test('password change: 422 naming the field at fault', async () => {
    const user = await addUser(t.app, 'rapporteur');
    const change = (payload: object) => api(user.bearer).post('/api/v1/auth/password', payload);
    const cases: [object, { pointer: string; detail: string }[]][] = [
      [{ currentPassword: 'wrong password', newPassword: 'the new password' }, [{ pointer: '#/currentPassword', detail: 'is not your current password' }]],
      [{ currentPassword: user.password, newPassword: 'short' }, [{ pointer: '#/newPassword', detail: 'must be at least 10 characters long' }]],
      [{ currentPassword: user.password }, [{ pointer: '#/newPassword', detail: 'is required' }]],
      [{ currentPassword: user.password, newPassword: 'the new password', confirm: 'x' }, [{ pointer: '#/confirm', detail: 'is not a field of this resource' }]],
    ];
    for (const [payload, errors] of cases) {
      const response = await change(payload);
      expect(response.statusCode).toBe(422);
      expect(response.headers['content-type']).toBe(PROBLEM);
      expect(response.json().errors).toEqual(errors);
    }
    expect((await login(user.email, user.password, '10.1.0.3')).statusCode).toBe(200);
  });

  describe('tokens', () => {
    const createToken = (user: TestUser, name: string) => api(user.bearer).post('/api/v1/tokens', { name });
    const listTokens = (user: TestUser) => api(user.bearer).get('/api/v1/tokens');

    test('created once with its secret (201), listed without it, revoked (204): the revoked token gets 401 at once', async () => {
      const user = await addUser(t.app, 'rapporteur');
      const created = await createToken(user, '  Import script  ');
      expect(created.statusCode).toBe(201);
      const { id, name, token } = created.json() as { id: string; name: string; token: string };
      expect(Object.keys(created.json())).toEqual(['id', 'name', 'token']);
      expect(id).toMatch(UUID);
      expect(name).toBe('Import script');
      expect(token).toMatch(/^fpt_[A-Za-z0-9_-]{43}$/);
      const bearer = { authorization: `Bearer ${token}` };
      expect((await api(bearer).get('/api/v1/auth/me')).json().user.email).toBe(user.email);

      const list = await listTokens(user);
      expect(list.statusCode).toBe(200);
      const items = list.json() as { id: string; name: string; user: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }[];
      expect(items.map((i) => [i.name, i.user, i.revokedAt])).toEqual([['tests', user.email, null], ['Import script', user.email, null]]);
      expect(Object.keys(items[1]!)).toEqual(['id', 'name', 'user', 'createdAt', 'lastUsedAt', 'revokedAt']);
      expect(items[1]!.id).toBe(id);
      expect(items[1]!.lastUsedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // Neither secret, nor its hash, is anywhere in the list.
      for (const secret of [token, user.bearer.authorization.slice('Bearer '.length)]) {
        expect(list.body).not.toContain(secret);
        expect(list.body).not.toContain(hashToken(secret));
        expect(list.body).not.toContain(secret.slice(4, 20));
      }

      const revoked = await api(user.bearer).delete(`/api/v1/tokens/${id}`);
      expect(revoked.statusCode).toBe(204);
      const refused = await api(bearer).get('/api/v1/auth/me');
      expect(refused.statusCode).toBe(401);
      expect(refused.json().detail).toBe('The API token is not valid, or has been revoked');
      const after = (await listTokens(user)).json() as typeof items;
      expect(after[1]!.revokedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      // Revoking again changes nothing and still answers 204.
      expect((await api(user.bearer).delete(`/api/v1/tokens/${id}`)).statusCode).toBe(204);
    });

    test('someone else\'s token is 404 and keeps working; an organiser of every event sees and revokes everyone\'s', async () => {
      const owner = await addUser(t.app, 'rapporteur');
      const other = await addUser(t.app, 'organiser', FORUM_2019);
      const { id, token } = (await createToken(owner, 'owned')).json() as { id: string; token: string };
      const byOther = await api(other.bearer).delete(`/api/v1/tokens/${id}`);
      expect(byOther.statusCode).toBe(404);
      expect((await api({ authorization: `Bearer ${token}` }).get('/api/v1/auth/me')).statusCode).toBe(200);
      expect((await listTokens(other)).json().map((i: { user: string }) => i.user)).toEqual([other.email]);

      const everyone = (await listTokens(organiser)).json() as { id: string; user: string }[];
      expect(everyone.map((i) => i.id).sort()).toEqual(t.app.db.select({ id: apiTokens.publicId }).from(apiTokens).all().map((r) => r.id).sort());
      expect(everyone.filter((i) => i.user === owner.email).map((i) => i.id)).toEqual([expect.any(String), id]);
      expect((await api(organiser.bearer).delete(`/api/v1/tokens/${id}`)).statusCode).toBe(204);
      expect((await api({ authorization: `Bearer ${token}` }).get('/api/v1/auth/me')).statusCode).toBe(401);
    });

    test('a token needs a name; unknown fields and ids of the wrong shape are refused', async () => {
      expect((await createToken(rapporteur, '   ')).json().errors).toEqual([{ pointer: '#/name', detail: 'must not be blank' }]);
      const extra = await api(rapporteur.bearer).post('/api/v1/tokens', { name: 'x', userId: 1 });
      expect(extra.statusCode).toBe(422);
      expect(extra.json().errors).toEqual([{ pointer: '#/userId', detail: 'is not a field of this resource' }]);
      expect((await api(rapporteur.bearer).delete('/api/v1/tokens/not-an-id')).statusCode).toBe(404);
      expect((await api(rapporteur.bearer).delete('/api/v1/tokens/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    });
  });

  test('the OpenAPI document describes the auth and token routes, with their security', async () => {
    const doc = (await t.app.inject('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, { tags: string[]; security?: unknown }>> };
    const routes = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/v1/auth') || path.startsWith('/api/v1/tokens'))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => [method.toUpperCase(), path, op.tags, op.security ?? null]));
    const security = [{ bearer: [] }, { session: [] }];
    expect(routes).toEqual([
      ['POST', '/api/v1/auth/login', ['auth'], null],
      ['POST', '/api/v1/auth/logout', ['auth'], security],
      ['GET', '/api/v1/auth/me', ['auth'], security],
      ['POST', '/api/v1/auth/password', ['auth'], security],
      ['GET', '/api/v1/tokens', ['tokens'], security],
      ['POST', '/api/v1/tokens', ['tokens'], security],
      ['DELETE', '/api/v1/tokens/{id}', ['tokens'], security],
    ]);
  });
});
