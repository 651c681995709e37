// Whoever may not write is refused before the body is read: for every write route the server
// registers under /api/v1, /admin and /rapporteur, a caller without the right gets 401 (nobody
// signed in) or 403 (signed in, not allowed), never the 400 of a malformed body, the 413 of an
// oversized one or the 415 of a wrong media type, which would tell them the route's rules.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildWorld, fill, type Caller, type RegisteredRoute, type World } from '../helpers/roles.ts';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The write routes any signed-in account may use (its own account and tokens): a rapporteur's body is read there. */
const OPEN_TO_EVERY_ACCOUNT = new Set([
  'POST /api/v1/auth/login', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/password', 'POST /api/v1/tokens', 'DELETE /api/v1/tokens/:id',
]);

const APP_BODY_LIMIT = 1024 * 1024;

describe('permissions are decided before the body is read', () => {
  let world: World;
  let guardedWrites: RegisteredRoute[];

  beforeAll(async () => {
    world = await buildWorld();
    guardedWrites = world.routes.filter((r) => WRITES.has(r.method) && /^\/(?:api\/v1|admin|rapporteur)(?:\/|$)/.test(r.url) && !OPEN_TO_EVERY_ACCOUNT.has(`${r.method} ${r.url}`));
  }, 60_000);
  afterAll(async () => { await world.t.close(); });

  /** A request to the route as this caller: its token for the API, its session cookie for pages. */
  function send(route: RegisteredRoute, caller: Caller, payload: string, contentType: string) {
    const page = !route.url.startsWith('/api/');
    const cookie = caller.browser.cookies.size === 0 ? {} : { cookie: [...caller.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    return world.t.app.inject({
      method: route.method as 'POST',
      url: fill(route.url, world.params(route.url)),
      headers: { ...(page ? cookie : caller.api), 'content-type': contentType, 'accept-language': 'en' },
      payload,
    });
  }

  async function statuses(caller: Caller, payload: (route: RegisteredRoute) => string, contentType = 'application/json') {
    const lines: string[] = [];
    for (const route of guardedWrites) lines.push(`${route.method} ${route.url} → ${(await send(route, caller, payload(route), contentType)).statusCode}`);
    return lines;
  }
  const expecting = (status: number) => guardedWrites.map((route) => `${route.method} ${route.url} → ${status}`);

  test('the checks go through every write route of the API, the workspace and the rapporteur pages', () => {
    expect(guardedWrites.filter((r) => r.url.startsWith('/api/v1/')).length).toBeGreaterThanOrEqual(30);
    expect(guardedWrites.filter((r) => r.url.startsWith('/admin/')).length).toBeGreaterThanOrEqual(30);
    expect(guardedWrites.filter((r) => r.url.startsWith('/rapporteur/')).map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /rapporteur/events/:slug/sessions/:id',
      'POST /rapporteur/events/:slug/sessions/:id/transition',
      'POST /rapporteur/events/:slug/sessions/:id/revisions/:number/restore',
      'POST /rapporteur/events/:slug/sessions/:id/conflicts/:copy/restore',
      'POST /rapporteur/events/:slug/sessions/:id/follow-up',
    ]);
  });

  test('a rapporteur of another session sending malformed JSON gets 403 on every write route, not 400', async () => {
    expect(await statuses(world.callers['rapporteur-of-another-session'], () => '{"name": ')).toEqual(expecting(403));
  });

  test('a rapporteur of another session sending an oversized body gets 403 on every write route, not 413', async () => {
    // One byte over the route's limit (the import route's is larger than the app's).
    const bodies = new Map<number, string>();
    const oversized = (route: RegisteredRoute) => {
      const limit = route.bodyLimit ?? APP_BODY_LIMIT;
      if (!bodies.has(limit)) bodies.set(limit, `"${'x'.repeat(limit - 1)}"`);
      return bodies.get(limit)!;
    };
    expect(await statuses(world.callers['rapporteur-of-another-session'], oversized)).toEqual(expecting(403));
  });

  test('an anonymous caller gets 401 on every write route, whatever the body: malformed, oversized or of the wrong type', async () => {
    const anonymous = world.callers.anonymous;
    expect(await statuses(anonymous, () => '{"name": ')).toEqual(expecting(401));
    expect(await statuses(anonymous, () => `"${'x'.repeat(APP_BODY_LIMIT)}"`)).toEqual(expecting(401));
    expect(await statuses(anonymous, () => 'name=x', 'text/plain')).toEqual(expecting(401));
  });

  test("an organiser of another event gets 403 with a malformed body on every write route of the forum's addresses", async () => {
    const ofTheForum = guardedWrites.filter((r) => r.url.includes('/events/:slug'));
    const caller = world.callers['organiser-of-another-event'];
    const lines: string[] = [];
    for (const route of ofTheForum) lines.push(`${route.method} ${route.url} → ${(await send(route, caller, '{"name": ', 'application/json')).statusCode}`);
    expect(lines).toEqual(ofTheForum.map((route) => `${route.method} ${route.url} → 403`));
  });
});
