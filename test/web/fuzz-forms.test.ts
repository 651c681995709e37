// Fuzzing every form a browser sends (the workspace under /admin, the rapporteur's pages, sign
// in and out, the password change, personal agendas, the first account's setup), as a browser
// without JavaScript sends them: the page is opened first, its form filled as it stands, with
// its CSRF token and the browser's cookies, then one thing is changed: a field set to a hostile
// string, given twice, left out, a field the form does not have (prototype names included), a
// stale or garbage version, a broken percent-encoding, a wrong CSRF token, or the body sent
// under another content type. Each answer: under 500, within the time bound, a refusal that
// changed no table. Then the database checks itself and every public page answers 200.
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLoginSession } from '../../server/domains/accounts/service.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../helpers/app.ts';
import { apiAs, listOf } from '../helpers/api.ts';
import { addUser, type TestUser } from '../helpers/auth.ts';
import { $, Browser, formOf, type Fields } from '../helpers/browser.ts';
import { assign, content, saveLatest } from '../helpers/conclusions.ts';
import { FUZZ_SEED, HOSTILE_SEGMENTS, anyId, fuzzOptions, hostileString, routeCollector, type Pools, type WriteRoute } from '../helpers/fuzz.ts';
import { boundFor, databaseChecks, FuzzChecker, releaseAndReadEverything, RESPONSE_BOUND_MS } from '../helpers/fuzz-check.ts';

const SLUGS = [FORUM_2019, SEMINAR_2015];
const COLLECTIONS = ['parts', 'rooms', 'slots', 'outputs', 'organisations', 'people', 'sessions'];
const NOW = new Date('2026-03-02T10:00:00Z');
const RUNS_PER_ROUTE = 20;

/** A field name a form does not have: prototype names, brackets some parsers read as nesting, a row past the last. */
const FOREIGN_NAMES = ['__proto__', 'constructor', 'prototype', '__proto__[admin]', 'constructor[prototype][admin]', 'a[b][c]', 'title.xx', 'contributors.99.role', 'contributors.-1.role', 'x'.repeat(2_000), '', 'version'];
/** Tails of a urlencoded body that a browser never sends. */
const RAW_TAILS = ['%', '%FF', 'a=%ZZ', 'a=%ED%A0%80', '=', '&&&', 'a', 'title.fr=%00', '_csrf=', 'a=1;b=2', `big=${'a'.repeat(100_000)}`];

/** Percent-encodes a string as UTF-8 would, writing a lone surrogate's own three bytes (what encodeURIComponent refuses to). */
function percentEncode(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length && value.charCodeAt(i + 1) >= 0xdc00 && value.charCodeAt(i + 1) <= 0xdfff;
    if (pair) { out += encodeURIComponent(value.slice(i, i + 2)); i += 1; } else if (unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(value[i]!);
  }
  return out;
}

function urlencoded(fields: Fields, tail: string | null): string {
  const pairs = Object.entries(fields).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${percentEncode(name)}=${percentEncode(v)}`));
  return [...pairs, ...(tail === null ? [] : [tail])].join('&');
}

type Change =
  | { kind: 'set'; at: number; value: string }
  | { kind: 'twice'; at: number; value: string }
  | { kind: 'drop'; at: number }
  | { kind: 'foreign'; name: string; value: string }
  | { kind: 'csrf'; value: string | null }
  | { kind: 'tail'; tail: string }
  | { kind: 'as'; type: string }
  | { kind: 'none' };

const changes: fc.Arbitrary<Change> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: hostileString() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('twice' as const), at: fc.nat(), value: hostileString() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('foreign' as const), name: fc.constantFrom(...FOREIGN_NAMES), value: hostileString() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('csrf' as const), value: fc.option(fc.constantFrom('', 'x', 'a'.repeat(300), '\u0000'), { nil: null }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tail' as const), tail: fc.constantFrom(...RAW_TAILS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('as' as const), type: fc.constantFrom('application/json', 'multipart/form-data; boundary=x', 'text/plain', 'application/x-www-form-urlencoded; charset=latin1') }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
);

/** The form's fields with the change made; the body and its content type. */
function changed(fields: Fields, change: Change): { payload: string; type: string } {
  const copy: Fields = { ...fields };
  const names = Object.keys(copy).filter((n) => n !== '_csrf');
  const name = names.length ? names[('at' in change ? change.at : 0) % names.length]! : 'title.fr';
  let tail: string | null = null;
  switch (change.kind) {
    case 'set': copy[name] = change.value; break;
    case 'twice': copy[name] = [change.value, String(copy[name] ?? '')]; break;
    case 'drop': delete copy[name]; break;
    case 'foreign': Object.defineProperty(copy, change.name, { value: change.value, enumerable: true, writable: true, configurable: true }); break;
    case 'csrf': if (change.value === null) delete copy._csrf; else copy._csrf = change.value; break;
    case 'tail': tail = change.tail; break;
    default: break;
  }
  const payload = change.kind === 'as' && change.type === 'application/json' ? JSON.stringify(copy) : urlencoded(copy, tail);
  return { payload, type: change.kind === 'as' ? change.type : 'application/x-www-form-urlencoded' };
}

describe(`fuzzing the forms (FUZZ_SEED=${FUZZ_SEED})`, () => {
  let t: TestApp;
  let routes: WriteRoute[];
  let checker: FuzzChecker;
  let organiser: TestUser;
  let rapporteur: TestUser;
  let spare: TestUser;
  const browsers: Record<string, Browser> = {};
  const pools: Record<string, Pools> = Object.fromEntries(SLUGS.map((slug) => [slug, { ids: {}, times: [], days: [] }]));
  /** Personal agendas' secret addresses, as the answers that made them told (only their hashes are stored). */
  const agendaTokens: string[] = [];

  async function refreshPools(): Promise<void> {
    const api = apiAs(t.app, organiser.bearer);
    const users = t.app.db.$client.prepare('select public_id from users').pluck().all() as string[];
    for (const slug of SLUGS) {
      const ids: Record<string, string[]> = { users };
      for (const c of COLLECTIONS) ids[c] = (await listOf(api, slug, c)).map((x) => x.id);
      pools[slug]!.ids = ids;
    }
  }

  /** A browser signed in as this user, the session made directly (no password check to pay for on each). */
  function signedIn(user: TestUser, address = '127.0.0.1'): Browser {
    const browser = new Browser(t.app, address);
    browser.cookies.set('forum_session', startLoginSession(t.app.db, user.id, NOW).token);
    return browser;
  }

  beforeAll(async () => {
    const collector = routeCollector();
    t = await buildTestApp({ onRoute: collector.onRoute, now: () => NOW });
    routes = collector.writes().filter((r) => !r.url.startsWith('/api/'));
    organiser = await addUser(t.app, 'organiser', undefined, 'Forms Organiser');
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Forms Rapporteur');
    spare = await addUser(t.app, 'organiser', undefined, 'Spare Organiser');
    const api = apiAs(t.app, organiser.bearer);
    for (const slug of SLUGS) {
      const sessions = await listOf(api, slug, 'sessions');
      for (const s of sessions.slice(0, 3)) await assign(api, slug, s.id, rapporteur);
      await saveLatest(apiAs(t.app, rapporteur.bearer), slug, sessions[0]!.id, content({ recommendations: [] }));
    }
    browsers.organiser = signedIn(organiser);
    browsers.rapporteur = signedIn(rapporteur);
    // The first page each opens makes its CSRF secret, and records the session's first sight.
    for (const b of Object.values(browsers)) await b.get('/admin');
    await refreshPools();
    checker = new FuzzChecker(t.app);
  });

  afterAll(async () => {
    if (process.env.FUZZ_VERBOSE) console.log(JSON.stringify(checker.stats.byRoute, null, 1));
    console.log(`fuzz-forms: ${checker.stats.requests} requests over ${routes.length} routes; by status ${JSON.stringify(checker.stats.byStatus)}; slowest ${checker.stats.slowestMs} ms (${checker.stats.slowest})`);
    await t.close();
  });

  function parameter(slug: string, name: string, before: string): fc.Arbitrary<string> {
    const real = name === 'slug' ? fc.constant(slug)
      : name === 'userId' ? anyId(pools[slug]!, 'users')
        : name === 'number' || name === 'copy' ? fc.integer({ min: 0, max: 4 }).map(String)
          : name === 'token' ? fc.oneof(fc.nat().map((i) => agendaTokens[i % Math.max(1, agendaTokens.length)] ?? 'A'.repeat(43)), fc.constant('A'.repeat(43)))
            : anyId(pools[slug]!, before);
    return fc.oneof({ weight: 9, arbitrary: real }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) });
  }

  /** Who sends a route's form: its own people mostly, sometimes someone it is not for. */
  function senders(route: WriteRoute): fc.Arbitrary<string> {
    if (route.url.startsWith('/admin')) return fc.constantFrom(...Array<string>(8).fill('organiser'), 'rapporteur', 'anonymous');
    if (route.url.startsWith('/rapporteur')) return fc.constantFrom(...Array<string>(8).fill('rapporteur'), 'organiser', 'anonymous');
    if (route.url === '/logout' || route.url === '/account/password') return fc.constantFrom('spare', 'spare', 'spare', 'anonymous');
    return fc.constant('anonymous');
  }

  /** The browser for one request: the long-lived ones, or a new one (signing in and out must not end the others' sessions). */
  function browserFor(sender: string, address: string): Browser {
    if (sender === 'spare') return signedIn(spare, address);
    if (sender === 'anonymous') return new Browser(t.app, address);
    return browsers[sender]!;
  }

  /** The form whose action is this address, from the page a browser would have it on; else the route's schema fields and the account bar's token. */
  async function formFor(browser: Browser, path: string): Promise<Fields> {
    const parent = path.replace(/\/[^/]+$/, '') || '/';
    for (const page of [`${path}/new`, path, parent, `${parent}/history`]) {
      const response = await browser.get(page);
      if (response.statusCode !== 200) continue;
      const form = $(response.body)(`form[action="${path}"]`);
      if (form.length > 0) return formOf(response.body, `form[action="${path}"]`).fields;
    }
    const home = await browser.get(path.startsWith('/rapporteur') ? '/rapporteur' : path.startsWith('/admin') ? '/admin' : '/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1];
    return token ? { _csrf: token } : {};
  }

  test('every form route is found: the workspace, the rapporteur pages and the sign-in forms', () => {
    const urls = routes.map((r) => r.url);
    expect(urls).toEqual(expect.arrayContaining(['/login', '/logout', '/account/password', '/setup/:token', '/my', '/admin/events/:slug/sessions/:id', '/rapporteur/events/:slug/sessions/:id']));
    expect(routes.length).toBeGreaterThanOrEqual(40);
  });

  test('every form: never a 5xx, never slow, a refusal changes nothing', { timeout: 240_000 }, async () => {
    for (const [i, route] of routes.entries()) {
      await refreshPools();
      const segments = route.url.split('/');
      const request = fc.oneof(...SLUGS.map((slug) => fc.record({
        path: fc.tuple(...segments.map((s, j) => (s.startsWith(':') ? parameter(slug, s.slice(1), segments[j - 1]!) : fc.constant(s)))).map((p) => p.join('/')),
        sender: senders(route),
        change: changes,
        address: fc.ipV4(),
        lang: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('', '', '?lang=en') }, { weight: 1, arbitrary: fc.constantFrom('?lang=xx', '?saved=%00', '?lang=en&lang=fr') }),
      })));
      const runs = boundFor(route.url) !== RESPONSE_BOUND_MS ? 6 : RUNS_PER_ROUTE;
      await fc.assert(fc.asyncProperty(request, async ({ path, sender, change, address, lang }) => {
        const browser = browserFor(sender, address);
        const fields = await formFor(browser, path);
        const { payload, type } = changed(fields, change);
        const cookie = [...browser.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
        const injected: InjectOptions = { method: 'POST', url: `${path}${lang}`, headers: { 'content-type': type, ...(cookie ? { cookie } : {}) }, payload, remoteAddress: address };
        const response = await checker.send({ label: `${route.method} ${route.url} as ${sender} (${change.kind})`, request: injected });
        const made = /^\/my\/([A-Za-z0-9_-]+)/.exec(String(response.headers.location ?? ''))?.[1];
        if (made && !agendaTokens.includes(made)) agendaTokens.push(made);
      }), fuzzOptions(runs, 1_000 + i));
    }
    expect(checker.stats.requests).toBeGreaterThan(routes.length * 5);
  });

  test('afterwards the database is sound and every public page of every event answers 200', { timeout: 60_000 }, async () => {
    expect(databaseChecks(t.app)).toEqual({ integrity: ['ok'], foreignKeys: [] });
    const { failures, read } = await releaseAndReadEverything(t.app);
    expect(failures).toEqual([]);
    expect(read).toBeGreaterThan(100);
  });
});

describe(`fuzzing the first account's setup form (FUZZ_SEED=${FUZZ_SEED})`, () => {
  test('while no account exists: never a 5xx, never slow, a refusal changes nothing, at most one account made', { timeout: 60_000 }, async () => {
    const log: string[] = [];
    const t = await buildTestApp({ env: { LOG_LEVEL: 'info' }, now: () => NOW, logStream: { write: (line) => { log.push(line); } } });
    try {
      const setup = /(\/setup\/[A-Za-z0-9_-]{43})/.exec(log.find((l) => l.includes('/setup/')) ?? '')?.[1];
      expect(setup).toBeDefined();
      const checker = new FuzzChecker(t.app);
      const valid: Fields = { name: 'Emilia Saiz', email: 'emilia@example.org', password: 'a long enough secret', confirmation: 'a long enough secret' };
      await fc.assert(fc.asyncProperty(changes, fc.ipV4(), async (change, address) => {
        const browser = new Browser(t.app, address);
        const page = await browser.get(setup!);
        const fields = page.statusCode === 200 ? { ...formOf(page.body).hidden, ...valid } : valid;
        const { payload, type } = changed(fields, change);
        const cookie = [...browser.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
        await checker.send({ label: `POST /setup/:token (${change.kind})`, request: { method: 'POST', url: setup!, headers: { 'content-type': type, ...(cookie ? { cookie } : {}) }, payload, remoteAddress: address } });
      }), fuzzOptions(12, 4_000));
      expect((t.app.db.$client.prepare('select count(*) from users').pluck().get() as number)).toBeLessThanOrEqual(1);
      expect(databaseChecks(t.app)).toEqual({ integrity: ['ok'], foreignKeys: [] });
    } finally {
      await t.close();
    }
  });
});
