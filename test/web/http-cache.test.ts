// A shared cache in front of the server is safe and useful: the real server (`npm start`, in a
// child process, on a fresh database) behind a real nginx that honours its Cache-Control, Vary
// and ETag, as a deployment's reverse proxy or CDN would.
//
// Useful: the public pages, feeds, exports and the read API are served from the cache, and
// revalidated with If-None-Match (a 304 from the server) once their max-age has passed; a
// release reaches readers within the max-age it advertised.
// Safe: nothing personal (an organiser's preview, a personal agenda, the ticks it puts on the
// programme, a signed-in organiser's pages) is ever stored or handed to another client.
//
// CACHE_MAX_AGE=2 keeps the waits short; every wait reads the max-age the response advertised.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FORUM_2019, makeTempDir } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';
import { skipWithoutNginx, startNginx, stopNginx, type RunningNginx } from '../helpers/nginx.ts';
import { startServer, stopServer, type RunningServer } from '../helpers/server.ts';

const CACHE_MAX_AGE = 2;
const EMAIL = 'cache-organiser@example.org';
const NAME = 'Cache Organiser';
const PASSWORD = 'a long passphrase for the cache tests';

const EVENT = `/events/${FORUM_2019}`;
const PROGRAMME_PAGE = `${EVENT}?lang=fr`;
const FEED = `${EVENT}/calendar.ics`;
const SCHEDULE_XML = `${EVENT}/schedule.xml`;
const API_PROGRAMME = `/api/v1/events/${FORUM_2019}/programme`;

interface Got {
  path: string;
  status: number;
  headers: Headers;
  body: string;
  /** nginx's X-Cache-Status: HIT, MISS, REVALIDATED, EXPIRED… (null straight from the server). */
  cache: string | null;
  /** The response's Cache-Control directives, lower-cased, with their values (true when they have none). */
  cc: Map<string, string | true>;
  setCookies: string[];
}

function cacheControl(header: string | null): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  for (const part of (header ?? '').split(',')) {
    const [name, value] = part.trim().split('=', 2) as [string, string | undefined];
    if (name) directives.set(name.toLowerCase(), value === undefined ? true : value.replace(/^"|"$/g, ''));
  }
  return directives;
}

/** The max-age a response advertised, in seconds, if any. */
function maxAgeOf(got: Got): number | undefined {
  // A shared cache follows s-maxage when the response gives one (pages: browsers revalidate each time).
  const value = got.cc.get('s-maxage') ?? got.cc.get('max-age');
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Whether a shared cache may store the response at all (RFC 9111 §3, §5.2.2). */
function sharedCacheMayStore(got: Got): boolean {
  return !got.cc.has('private') && !got.cc.has('no-store');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Handlebars' escaping, to find a text in a page. */
function html(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
  return text.replace(/[&<>"'`=]/g, (c) => entities[c]!);
}

/** Whether the body holds the text, as a boolean: a failure then names the address, not 100 KB of page. */
function shows(got: Got, text: string): boolean {
  return got.body.includes(text);
}

/** Like `expect(got.cache).not.toBe('HIT')`, with the address in the message. */
function expectNotFromCache(got: Got): void {
  expect(got.cache, `${got.path} was served from the cache`).not.toBe('HIT');
}

describe.skipIf(skipWithoutNginx())('the server behind a caching nginx', () => {
  let dir = '';
  let server: RunningServer | undefined;
  let nginx: RunningNginx | undefined;
  let token = '';
  let eventId = '';
  /** The session whose title the tests change; SESSION_PAGE is its page. */
  let sessionId = '';
  let SESSION_PAGE = '';

  async function request(base: string, pathname: string, init: RequestInit = {}): Promise<Got> {
    const response = await fetch(base + pathname, { redirect: 'manual', ...init });
    const got: Got = {
      path: pathname,
      status: response.status,
      headers: response.headers,
      body: await response.text(),
      cache: response.headers.get('x-cache-status'),
      cc: cacheControl(response.headers.get('cache-control')),
      setCookies: response.headers.getSetCookie(),
    };
    // Checked on every response of these tests: a cookie is one client's; a response that sets
    // one is never for a shared cache.
    if (got.setCookies.length > 0) {
      expect.soft(got.cc.has('public'), `${pathname} sets ${got.setCookies.join(' + ')} yet says Cache-Control: ${response.headers.get('cache-control')}`).toBe(false);
    }
    return got;
  }
  /** A GET through nginx, with the given cookies (none by default). */
  const through = (pathname: string, cookie?: string) => request(nginx!.base, pathname, cookie ? { headers: { Cookie: cookie } } : {});
  /** A request straight to the server. */
  const origin = (pathname: string, init?: RequestInit) => request(server!.base, pathname, init);

  /** nginx's access log entry of the last request for this address: [status, cache status, upstream status]. */
  async function lastLogged(pathname: string): Promise<string[] | undefined> {
    // nginx writes the line as it finishes the request, which may be a moment after the client has the body.
    for (let attempt = 0; attempt < 20; attempt++) {
      const lines = nginx!.accessLog().trim().split('\n').map((line) => line.split(' '));
      const last = lines.filter((fields) => fields[4] === pathname).at(-1);
      if (last) return last.slice(0, 3);
      await sleep(25);
    }
    return undefined;
  }

  /** Changes the session's title in the working copy through the write API (If-Match from a GET). */
  async function retitle(title: string): Promise<void> {
    const auth = { Authorization: `Bearer ${token}` };
    const item = `/api/v1/events/${FORUM_2019}/sessions/${sessionId}`;
    const current = await request(nginx!.base, item, { headers: auth });
    expect(current.status, current.body).toBe(200);
    const patched = await request(nginx!.base, item, {
      method: 'PATCH',
      headers: { ...auth, 'Content-Type': 'application/json', 'If-Match': current.headers.get('etag')! },
      body: JSON.stringify({ title: { fr: title, en: title, es: title } }),
    });
    expect(patched.status, patched.body).toBe(200);
  }

  async function signIn(): Promise<string> {
    const login = await request(nginx!.base, '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    expect(login.status, login.body).toBe(200);
    const cookie = login.setCookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith('forum_session='));
    expect(cookie, 'the sign-in sets forum_session').toBeDefined();
    return cookie!;
  }

  beforeAll(async () => {
    dir = makeTempDir();
    // The organiser exists before the server starts; the server then loads the bundled programmes.
    const added = await runCli(dir, ['user', 'add', '--email', EMAIL, '--name', NAME, '--role', 'organiser'], PASSWORD);
    expect(added.status, added.stderr).toBe(0);
    const created = await runCli(dir, ['token', 'create', '--email', EMAIL]);
    expect(created.status, created.stderr).toBe(0);
    token = created.stdout.trim();

    server = await startServer({ DATABASE_PATH: path.join(dir, 'forum.db'), LOG_LEVEL: 'warn', CACHE_MAX_AGE: String(CACHE_MAX_AGE) });
    nginx = await startNginx(server.port);

    // Ids, read from the server itself so that nothing of nginx's cache is touched yet.
    const programme = JSON.parse((await origin(API_PROGRAMME)).body) as {
      event: { id: string };
      parts: { slots: { sessions: { id: string; kind: string }[] }[] }[];
    };
    eventId = programme.event.id;
    const sessions = programme.parts.flatMap((p) => p.slots.flatMap((s) => s.sessions));
    sessionId = sessions.find((s) => s.kind !== 'break')!.id;
    SESSION_PAGE = `${EVENT}/sessions/${sessionId}`;
  }, 60_000);

  afterAll(async () => {
    if (nginx) await stopNginx(nginx);
    if (server) await stopServer(server);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('public pages, feeds, exports and the read API are served from the cache, then revalidated with If-None-Match after their max-age', async () => {
    const addresses = [PROGRAMME_PAGE, SESSION_PAGE, FEED, SCHEDULE_XML, API_PROGRAMME];
    const pages = new Set([PROGRAMME_PAGE, SESSION_PAGE]);

    const first = await Promise.all(addresses.map((a) => through(a)));
    const storedBy = Date.now();
    for (const got of first) {
      expect(got.status, got.path).toBe(200);
      const cc = got.headers.get('cache-control');
      // A reader who follows a shared ?lang=fr link has no cookie yet: what they get must be
      // shareable, so it sets none (a response that sets a cookie is never public).
      expect.soft(got.setCookies, `${got.path} sets no cookie for an anonymous reader`).toEqual([]);
      expect.soft(got.cc.has('public'), `${got.path}: Cache-Control "${cc}" is public`).toBe(true);
      expect.soft(maxAgeOf(got), `${got.path}: Cache-Control "${cc}" has max-age=CACHE_MAX_AGE`).toBe(CACHE_MAX_AGE);
      expect.soft(/^"[^"]+"$/.test(got.headers.get('etag') ?? ''), `${got.path}: ETag ${got.headers.get('etag')} is strong`).toBe(true);
      if (pages.has(got.path)) {
        const vary = (got.headers.get('vary') ?? '').toLowerCase().split(/\s*,\s*/);
        expect.soft(vary, `${got.path}: Vary`).toEqual(expect.arrayContaining(['accept-language', 'cookie']));
      }
    }
    const second = await Promise.all(addresses.map((a) => through(a)));

    // Wait out the longest max-age advertised (at most CACHE_MAX_AGE: a longer one failed above,
    // and would make this test slow). nginx counts expiry in whole seconds: an entry can outlive
    // its max-age by up to one.
    const advertised = first.map((got) => maxAgeOf(got) ?? 0);
    await sleep(storedBy + (Math.min(Math.max(...advertised), CACHE_MAX_AGE) + 1) * 1000 + 250 - Date.now());
    const third = await Promise.all(addresses.map((a) => through(a)));
    // How nginx's access log saw the third requests: its cache status, then what the server answered.
    const logged = await Promise.all(addresses.map((a) => lastLogged(a)));
    const fourth = await Promise.all(addresses.map((a) => through(a)));

    addresses.forEach((address, i) => {
      const trace = [first[i]!.cache, second[i]!.cache, `${third[i]!.cache} ${logged[i]?.[2]}`, fourth[i]!.cache];
      // MISS, then HIT; after max-age nginx asks with If-None-Match and the server says 304; HIT again.
      expect.soft(trace, `${address}: X-Cache-Status of four requests (the third with the server's status)`).toEqual(['MISS', 'HIT', 'REVALIDATED 304', 'HIT']);
      for (const later of [second[i]!, third[i]!, fourth[i]!]) {
        expect.soft(later.status, address).toBe(200);
        expect.soft(later.body === first[i]!.body, `${address}: the same body every time`).toBe(true);
      }
    });
  });

  test('a release is visible through the cache no later than the max-age the cached copies advertised', async () => {
    const title = 'Cache test release 1';
    const watched = [PROGRAMME_PAGE, SESSION_PAGE, FEED, SCHEDULE_XML, API_PROGRAMME];
    const before = await Promise.all(watched.map((a) => through(a)));
    for (const got of before) {
      expect(got.status, got.path).toBe(200);
      expect(shows(got, title), `${got.path} before the release`).toBe(false);
    }
    // What a shared cache may keep, it keeps for its max-age; what it may not keep, not at all.
    const longest = Math.max(...before.map((got) => (sharedCacheMayStore(got) ? maxAgeOf(got) ?? 0 : 0)));

    await retitle(title);
    const released = await request(nginx!.base, `/api/v1/events/${FORUM_2019}/releases`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'cache-1' }),
    });
    expect(released.status, released.body).toBe(201);
    const releasedAt = Date.now();
    for (const address of watched) {
      expect.soft(shows(await origin(address), title), `${address}: the server itself shows the release at once`).toBe(true);
    }

    // A copy stored just before the release lives at most its max-age, plus the second nginx rounds to.
    const bound = (longest + 1) * 1000 + 500;
    const seenAfter = new Map<string, number>();
    while (seenAfter.size < watched.length && Date.now() - releasedAt < bound + 2000) {
      const round = await Promise.all(watched.filter((a) => !seenAfter.has(a)).map((a) => through(a)));
      for (const got of round) if (shows(got, title)) seenAfter.set(got.path, Date.now() - releasedAt);
      await sleep(100);
    }
    for (const address of watched) {
      const seen = seenAfter.get(address);
      expect.soft(seen !== undefined && seen <= bound, `${address}: the new title showed through the cache ${seen === undefined ? 'never' : `${seen} ms`} after the release (allowed: ${bound} ms for max-age ${longest} s)`).toBe(true);
    }
  });

  test("an organiser's preview is never stored, and other readers get the release", async () => {
    const api = JSON.parse((await origin(API_PROGRAMME)).body) as { parts: { slots: { sessions: { id: string; title: { fr?: string } }[] }[] }[] };
    const released = api.parts.flatMap((p) => p.slots.flatMap((s) => s.sessions)).find((s) => s.id === sessionId)!.title.fr!;
    const draft = 'Cache test draft 2';
    await retitle(draft);
    const session = await signIn();
    const preview = `${session}; forum_preview=1`;

    const before = await through(PROGRAMME_PAGE);
    expect(shows(before, html(released)), 'an anonymous reader sees the released title').toBe(true);
    expect(shows(before, draft), 'an anonymous reader sees no draft').toBe(false);

    for (let i = 0; i < 3; i++) {
      const got = await through(PROGRAMME_PAGE, preview);
      expect(got.status).toBe(200);
      expect(shows(got, draft), 'the preview shows the working copy').toBe(true);
      expectNotFromCache(got);
      expect.soft(got.cc.has('private') && got.cc.has('no-store'), `preview: Cache-Control "${got.headers.get('cache-control')}" is private, no-store`).toBe(true);
      // Just after the preview, an anonymous reader.
      const anonymous = await through(PROGRAMME_PAGE);
      expect(shows(anonymous, html(released)), 'an anonymous reader right after the preview sees the release').toBe(true);
      expect(shows(anonymous, draft), 'an anonymous reader right after the preview sees no draft').toBe(false);
      expect(shows(anonymous, NAME), "an anonymous reader sees no organiser's name").toBe(false);
    }
  });

  test('a personal agenda is never served from the cache, and its ticks never cross between browsers', async () => {
    const created = await request(nginx!.base, '/my', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ event: FORUM_2019, session: sessionId }).toString(),
    });
    expect(created.status, created.body).toBe(201);
    const { agenda, calendar } = JSON.parse(created.body) as { agenda: string; calendar: string };
    const agendaCookie = created.setCookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`agenda-${eventId}=`));
    expect(agendaCookie, 'POST /my remembers the agenda in a cookie').toBeDefined();
    const feed = new URL(calendar, nginx!.base);

    for (const address of [agenda, feed.pathname + feed.search]) {
      for (let i = 0; i < 3; i++) {
        const got = await through(address);
        expect(got.status, address).toBe(200);
        expectNotFromCache(got);
        expect.soft(sharedCacheMayStore(got), `${address}: Cache-Control "${got.headers.get('cache-control')}" keeps it out of shared caches`).toBe(false);
      }
    }

    // A session of the agenda has its toggle form marked (one session only is ticked here).
    const tick = new RegExp(`data-in-agenda="true">[^<]*<input type="hidden" name="listed" value="${sessionId}">`);
    const anyTick = /data-in-agenda="true"/;
    for (let i = 0; i < 2; i++) {
      // The cookieless page first, so that a cached copy is there to be (wrongly) handed out.
      const anonymous = await through(PROGRAMME_PAGE);
      expect(anonymous.status).toBe(200);
      expect(anyTick.test(anonymous.body), 'a cookieless reader sees no ticks').toBe(false);

      const mine = await through(PROGRAMME_PAGE, agendaCookie);
      expect(mine.status).toBe(200);
      expectNotFromCache(mine);
      expect(tick.test(mine.body), "the agenda's browser sees its tick").toBe(true);
      expect.soft(mine.cc.has('private') && (mine.cc.has('no-cache') || mine.cc.has('no-store')), `with the agenda cookie: Cache-Control "${mine.headers.get('cache-control')}" is private, no-cache`).toBe(true);
    }
  });

  test("a signed-in organiser's pages are never cached, nor handed to anyone else", async () => {
    const session = await signIn();
    for (const address of ['/admin', `/admin/events/${FORUM_2019}`, `/admin/events/${FORUM_2019}/releases`]) {
      for (let i = 0; i < 2; i++) {
        const got = await through(address, session);
        expect(got.status, address).toBe(200);
        expect(shows(got, NAME), `${address} names the organiser`).toBe(true);
        expectNotFromCache(got);
        expect.soft(got.cc.has('private') && got.cc.has('no-store'), `${address}: Cache-Control "${got.headers.get('cache-control')}" is private, no-store`).toBe(true);
      }
      const anonymous = await through(address);
      expect(anonymous.status, `${address} without the cookie`).not.toBe(200);
      expect(shows(anonymous, NAME), `${address} without the cookie names nobody`).toBe(false);
    }

    // A public page read while signed in names the organiser: it is theirs alone.
    for (let i = 0; i < 2; i++) {
      const signedIn = await through(PROGRAMME_PAGE, session);
      expect(shows(signedIn, NAME), 'signed in, the programme page names the organiser').toBe(true);
      expectNotFromCache(signedIn);
      expect.soft(signedIn.cc.has('private') && (signedIn.cc.has('no-cache') || signedIn.cc.has('no-store')), `signed in: Cache-Control "${signedIn.headers.get('cache-control')}" is private, no-cache`).toBe(true);
      const anonymous = await through(PROGRAMME_PAGE);
      expect(shows(anonymous, NAME), 'the next anonymous reader sees no name').toBe(false);
    }
  });

  test('If-None-Match is answered 304 by the server even when the request says Cache-Control: no-cache (RFC 9110 §13)', async () => {
    for (const address of [PROGRAMME_PAGE, FEED, SCHEDULE_XML, API_PROGRAMME]) {
      const full = await origin(address);
      expect(full.status, address).toBe(200);
      const etag = full.headers.get('etag');
      expect.soft(etag, `${address} has an ETag`).not.toBeNull();
      if (etag === null) continue;
      const conditional = await origin(address, { headers: { 'If-None-Match': etag, 'Cache-Control': 'no-cache' } });
      expect.soft(conditional.status, `${address} with If-None-Match ${etag} and Cache-Control: no-cache`).toBe(304);
      expect.soft(conditional.headers.get('etag'), `${address}: the 304's ETag`).toBe(etag);
    }
  });
});
