// Fuzzing every write route of the JSON API (/api/v1), found through onRoute so that a new
// route is fuzzed without a word here: bodies derived from the route's own schema with one
// thing changed (hostile strings, wrong types, prototype keys, far and impossible dates, DST
// gaps), fully random bodies, raw bytes under wrong content types, real and hostile ids in the
// address, right, stale and garbage If-Match. Each answer: under 500, within the time bound, a
// refusal that changed nothing, a problem document. Then the database checks itself and every
// public page of every event still answers 200.
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiToken, createUser } from '../../server/domains/accounts/service.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../helpers/app.ts';
import { apiAs, eventPath, listOf, ok } from '../helpers/api.ts';
import { addUser, type TestUser } from '../helpers/auth.ts';
import { assign, content, saveLatest } from '../helpers/conclusions.ts';
import { FUZZ_SEED, HOSTILE_SEGMENTS, anyId, fromPool, fromSchema, fuzzOptions, hostileString, mutated, routeCollector, wrongValue, type JsonSchema, type Pools, type WriteRoute } from '../helpers/fuzz.ts';
import { boundFor, databaseChecks, FuzzChecker, RESPONSE_BOUND_MS, releaseAndReadEverything, type Exchange } from '../helpers/fuzz-check.ts';

const SLUGS = [FORUM_2019, SEMINAR_2015];
const COLLECTIONS = ['parts', 'rooms', 'slots', 'outputs', 'organisations', 'people', 'sessions'];
// A clock that stands still: no token or session is touched again mid-run, so a refusal that
// writes is a refusal that writes.
const NOW = new Date('2026-03-02T10:00:00Z');
const RUNS_PER_ROUTE = 55;

/** Fewer runs where each costs a password check (on purpose) or a whole programme. */
function runsFor(route: WriteRoute): number {
  if (route.url === '/api/v1/imports') return 10;
  if (boundFor(route.url) !== RESPONSE_BOUND_MS) return 10;
  return RUNS_PER_ROUTE;
}

interface Identity { name: string; headers: Record<string, string> }

describe(`fuzzing the write API (FUZZ_SEED=${FUZZ_SEED})`, () => {
  let t: TestApp;
  let routes: WriteRoute[];
  let checker: FuzzChecker;
  let organiser: TestUser;
  let rapporteur: TestUser;
  const identities: Identity[] = [];
  // One pool per event, so that a body names the rows of the event its address names (mostly:
  // anyId sometimes takes one of another kind or a made-up one).
  const pools: Record<string, Pools> = Object.fromEntries(SLUGS.map((slug) => [slug, { ids: {}, times: [], days: [] }]));
  const passwords: string[] = [];
  /** The rows of each collection as the API shows them: the likeliest valid bodies there are. */
  const templates: Record<string, Record<string, Record<string, unknown>[]>> = {};
  const emails: string[] = [];

  async function refreshPools(): Promise<void> {
    const api = apiAs(t.app, organiser.bearer);
    const users = t.app.db.$client.prepare('select public_id from users').pluck().all() as string[];
    const tokens = t.app.db.$client.prepare('select t.public_id from api_tokens t join users u on u.id = t.user_id where u.email like ?').pluck().all('spare%') as string[];
    for (const slug of SLUGS) {
      const ids: Record<string, string[]> = { users, tokens };
      templates[slug] = {};
      for (const c of COLLECTIONS) {
        const rows = await listOf(api, slug, c);
        ids[c] = rows.map((x) => x.id);
        templates[slug][c] = rows;
      }
      pools[slug]!.ids = ids;
    }
  }

  /**
   * A successful password change revokes the account's tokens, and a token may be revoked: the
   * fuzz's own come back before each request of those routes, each used once (its first use
   * records the time) so that the fuzzed request is not the one that writes it.
   */
  async function renewTokens(): Promise<void> {
    for (const user of [organiser, rapporteur]) {
      user.bearer.authorization = `Bearer ${createApiToken(t.app.db, user.id, 'fuzz', NOW).token}`;
      expect((await t.app.inject({ url: '/api/v1/auth/me', headers: user.bearer })).statusCode).toBe(200);
    }
  }

  beforeAll(async () => {
    const collector = routeCollector();
    t = await buildTestApp({ onRoute: collector.onRoute, now: () => NOW });
    routes = collector.writes().filter((r) => r.url.startsWith('/api/'));
    organiser = await addUser(t.app, 'organiser', undefined, 'Fuzz Organiser');
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Fuzz Rapporteur');
    const eventOrganiser = await addUser(t.app, 'organiser', SEMINAR_2015, 'Seminar Organiser');
    // Tokens the fuzz may revoke: never the ones it sends.
    const spare = await createUser(t.app.db, { email: 'spare@example.org', name: 'Spare', password: 'a spare long password', role: 'organiser', eventId: null }, NOW);
    for (let i = 0; i < 5; i += 1) createApiToken(t.app.db, spare.id, `spare ${i}`, NOW);
    const asOrganiser = { name: 'organiser', headers: organiser.bearer };
    identities.push(...Array.from({ length: 7 }, () => asOrganiser),
      { name: 'rapporteur', headers: rapporteur.bearer }, { name: 'rapporteur', headers: rapporteur.bearer }, { name: 'seminar organiser', headers: eventOrganiser.bearer }, { name: 'nobody', headers: {} });
    emails.push(organiser.email, rapporteur.email, 'spare@example.org', 'nobody@example.org');
    passwords.push(organiser.password, rapporteur.password, 'a spare long password');

    // Conclusions to work on: a rapporteur on three sessions of each event, one with revisions.
    const api = apiAs(t.app, organiser.bearer);
    for (const slug of SLUGS) {
      const sessions = await listOf(api, slug, 'sessions');
      for (const s of sessions.slice(0, 3)) await assign(api, slug, s.id, rapporteur);
      const outputs = (await listOf(api, slug, 'outputs')).map((o) => o.id);
      await saveLatest(apiAs(t.app, rapporteur.bearer), slug, sessions[0]!.id, content({ recommendations: outputs.length ? [{ text: 'Une', outputs: [outputs[0]!] }] : [] }));
      const event = ok<{ startDate: string; endDate: string }>(await api.get(eventPath(slug)));
      const pool = pools[slug]!;
      pool.days.push(event.startDate, event.endDate);
      for (const day of pool.days) for (const time of ['09:00', '10:30', '14:00:00', '17:45']) pool.times.push(`${day}T${time}`);
      pool.times.push(`${event.startDate}T09:00+02:00`, `${event.endDate}T09:00Z`);
    }
    const fields = {
      baseRevision: fc.integer({ min: 0, max: 5 }),
      revision: fc.integer({ min: 0, max: 5 }),
      email: fc.oneof(fromPool(() => emails, 'x@example.org'), fc.emailAddress(), hostileString()),
      password: fc.oneof(fromPool(() => passwords, 'x'), hostileString()),
      currentPassword: fc.oneof(fromPool(() => passwords, 'x'), hostileString()),
    };
    for (const pool of Object.values(pools)) pool.fields = fields;
    await refreshPools();
    // A token's first use records the time: done here, so that no fuzzed refusal is that first use.
    for (const identity of identities) await t.app.inject({ url: '/api/v1/auth/me', headers: identity.headers });
    checker = new FuzzChecker(t.app, refusalsThatWrite);
  });

  afterAll(async () => {
    if (process.env.FUZZ_VERBOSE) console.log(JSON.stringify(checker.stats.byRoute, null, 1));
    console.log(`fuzz-api: ${checker.stats.requests} requests over ${routes.length} routes; by status ${JSON.stringify(checker.stats.byStatus)}; slowest ${checker.stats.slowestMs} ms (${checker.stats.slowest})`);
    await t.close();
  });

  /** An address segment for a route parameter: a real one mostly, sometimes not what the route expects. */
  function parameter(slug: string, name: string, before: string): fc.Arbitrary<string> {
    const hostile = fc.constantFrom(...HOSTILE_SEGMENTS);
    const real = name === 'slug' ? fc.constant(slug)
      : name === 'userId' ? anyId(pools[slug]!, 'users')
        : name === 'number' || name === 'copy' ? fc.integer({ min: 0, max: 4 }).map(String)
          : anyId(pools[slug]!, before);
    return fc.oneof({ weight: 9, arbitrary: real }, { weight: 1, arbitrary: hostile });
  }

  type Body = { kind: 'json'; value: unknown } | { kind: 'raw'; bytes: Uint8Array; type: string | null };

  function bodyOf(route: WriteRoute, slug: string): fc.Arbitrary<Body> {
    const schema = route.schema?.body;
    const json = (value: fc.Arbitrary<unknown>) => value.map((v): Body => ({ kind: 'json', value: v }));
    const raw = fc.record({
      bytes: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 100 }).map((s) => new TextEncoder().encode(s)), fc.constant(Uint8Array.of(0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00))),
      type: fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/merge-patch+json', null),
    }).map((r): Body => ({ kind: 'raw', ...r }));
    if (!schema) return fc.oneof({ weight: 3, arbitrary: json(fc.constant(undefined)) }, { weight: 1, arbitrary: json(wrongValue()) }, { weight: 1, arbitrary: raw });
    const fromRoute = fromSchema(schema as JsonSchema, pools[slug]!);
    const collection = /^\/api\/v1\/events\/:slug\/([a-z]+)(?:\/:id)?$/.exec(route.url)?.[1];
    const keys = Object.keys((schema as JsonSchema).properties ?? {});
    const valid = collection && templates[slug]?.[collection]
      ? fc.oneof({ weight: 3, arbitrary: fromPool(() => templates[slug]![collection]!, {}).map((row) => bodyLike(row, keys)) }, { weight: 1, arbitrary: fromRoute })
      : fromRoute;
    return fc.oneof({ weight: 6, arbitrary: json(mutated(valid)) }, { weight: 2, arbitrary: json(valid) }, { weight: 1, arbitrary: json(wrongValue()) }, { weight: 1, arbitrary: raw });
  }

  type Version = 'current' | 'none' | string;
  const versions: fc.Arbitrary<Version> = fc.oneof(
    { weight: 5, arbitrary: fc.constant('current') },
    { weight: 1, arbitrary: fc.constant('none') },
    { weight: 2, arbitrary: fc.constantFrom('"0"', '"1"', '"999999"', '"-1"', '"1.5"', 'W/"1"', '*', '1', '""', '"99999999999999999999"', `"${'9'.repeat(190)}"`, '"1", "2"') },
    { weight: 1, arbitrary: hostileString().map((s) => s.slice(0, 300)) },
  );

  /** The If-Match of what the address names as it is now (its ETag), for a write that should not be refused for its version. */
  async function currentVersion(url: string): Promise<string | null> {
    const response = await t.app.inject({ method: 'GET', url, headers: organiser.bearer });
    return response.statusCode === 200 ? (response.headers.etag as string | undefined) ?? null : null;
  }

  interface Drawn { path: string; identity: Identity; body: Body; version: Version; address: string }

  function requestOf(route: WriteRoute): fc.Arbitrary<Drawn> {
    const segments = route.url.split('/');
    const forEvent = SLUGS.map((slug) => {
      const names = segments.map((s, i) => (s.startsWith(':') ? parameter(slug, s.slice(1), segments[i - 1]!) : fc.constant(s)));
      return fc.record({
        path: fc.tuple(...names).map((parts) => parts.join('/')),
        identity: fc.constantFrom(...identities),
        body: bodyOf(route, slug),
        version: versions,
        address: fc.ipV4(),
      });
    });
    return fc.oneof(...forEvent);
  }

  async function exchangeOf(route: WriteRoute, drawn: Drawn): Promise<Exchange> {
    const headers: Record<string, string> = { 'accept-language': 'en', ...drawn.identity.headers };
    let payload: InjectOptions['payload'];
    if (drawn.body.kind === 'json' && drawn.body.value !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(drawn.body.value) ?? 'null';
    } else if (drawn.body.kind === 'raw') {
      if (drawn.body.type) headers['content-type'] = drawn.body.type;
      payload = Buffer.from(drawn.body.bytes);
    }
    if ((route.method === 'PATCH' || route.method === 'DELETE') && drawn.version !== 'none') {
      const value = drawn.version === 'current' ? await currentVersion(drawn.path) : drawn.version;
      if (value !== null) headers['if-match'] = value;
    }
    return { label: `${route.method} ${route.url} as ${drawn.identity.name}`, request: { method: route.method as InjectOptions['method'], url: drawn.path, headers, payload, remoteAddress: drawn.address } };
  }

  test('the routes are all found: every write of the API is fuzzed', () => {
    expect(routes.length).toBeGreaterThanOrEqual(36);
    expect(routes.map((r) => `${r.method} ${r.url}`)).toContain('PUT /api/v1/events/:slug/sessions/:id/conclusions');
  });

  test('every write route: never a 5xx, never slow, a refusal changes nothing, a problem document', { timeout: 180_000 }, async () => {
    for (const [i, route] of routes.entries()) {
      await refreshPools();
      await fc.assert(fc.asyncProperty(requestOf(route), async (drawn) => {
        if (/^\/api\/v1\/(auth|tokens)/.test(route.url)) await renewTokens();
        await checker.send(await exchangeOf(route, drawn));
      }), fuzzOptions(runsFor(route), i));
    }
    expect(checker.stats.requests).toBeGreaterThan(routes.length * 10);
  });

  test('afterwards the database is sound and every public page of every event answers 200', { timeout: 60_000 }, async () => {
    expect(databaseChecks(t.app)).toEqual({ integrity: ['ok'], foreignKeys: [] });
    const { failures, read } = await releaseAndReadEverything(t.app);
    expect(failures).toEqual([]);
    expect(read).toBeGreaterThan(100);
  });
});

/**
 * A row as the API shows it, as a body: the fields the route accepts only, and a session set
 * in a slot names no start and end of its own (they come from the slot).
 */
function bodyLike(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const body = Object.fromEntries(Object.entries(row).filter(([k]) => keys.includes(k)));
  if (body.slot) { delete body.start; delete body.end; }
  return body;
}

/**
 * Refusals that write, on purpose, and only these: a conclusions save refused as stale (409)
 * keeps the refused text aside so that nothing typed is lost.
 */
function refusalsThatWrite(exchange: Exchange, response: { statusCode: number }): string[] {
  if (response.statusCode === 409 && exchange.request.method === 'PUT' && String(exchange.request.url).endsWith('/conclusions')) return ['conclusion_conflicts', 'sqlite_sequence'];
  return [];
}
