// The public response cache (server/web/shared/public-cache.ts) attacked from outside: every
// write is seen by the very next request (concurrent readers on a real port; a write through
// another connection to the same file; conclusions published without a release); nothing
// personal is kept or shared either way; a response that sets a cookie is never kept; kept
// responses carry their shared-cache headers and answer conditional requests on both the miss
// and the hit path; languages, the minute and 404s are keyed as they must be.
//
// Whether an answer was rendered or sent as kept bytes is told by counting the programme reads
// of the route handlers: a kept response is answered before any handler runs.
import type { AddressInfo } from 'node:net';
import * as cheerio from 'cheerio';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { openDatabase, type Db } from '../../../server/db/client.ts';
import { sessions } from '../../../server/db/schema.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { releaseProgramme } from '../../../server/domains/releases/service.ts';
import { apiAs, eventPath, ok, sessionTitled, type Api, type SessionOut, type Written } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, makeTempDir, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { Browser, formOf } from '../../helpers/browser.ts';
import { assign, content, steps, saveLatest } from '../../helpers/conclusions.ts';

const renders = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../server/domains/releases/reader.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../server/domains/releases/reader.ts')>();
  return {
    ...original,
    readProgramme: (...args: Parameters<typeof original.readProgramme>) => {
      renders.count += 1;
      return original.readProgramme(...args);
    },
  };
});

const PUBLIC = `/events/${FORUM_2019}`;
const FEED = `${PUBLIC}/calendar.ics`;
const SCHEDULE = `${PUBLIC}/schedule.xml`;
const API_PROGRAMME = `/api/v1/events/${FORUM_2019}/programme`;
const REPORT = `${PUBLIC}/report`;
const REVIEW = 'Bilan du travail effectué';
const SENDAI = "Apprendre d'un exemple : localiser le cadre de Sendai";
/** Far from the event: nothing on the programme is live, so pages are the same from minute to minute. */
const QUIET = new Date('2026-03-02T08:00:00.000Z');

interface ApiSession { id: string; title: { fr: string } }

/** The sessions of the read API's programme. */
function apiSessions(json: string): ApiSession[] {
  const programme = JSON.parse(json) as { parts: { slots: { sessions: ApiSession[] }[] }[]; outsideParts: { sessions: ApiSession[] }[] };
  return programme.parts.flatMap((p) => p.slots.flatMap((s) => s.sessions)).concat(programme.outsideParts.flatMap((s) => s.sessions));
}

/** How many programme reads (renders) an action caused. */
async function rendersOf(action: () => Promise<unknown>): Promise<number> {
  const before = renders.count;
  await action();
  return renders.count - before;
}

/** The headers of an answer, but those of the one exchange. */
function headersOf(response: LightMyRequestResponse): Record<string, unknown> {
  // The date and the request id belong to the exchange, not to the answer kept.
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, 'x-request-id': _requestId, ...rest } = response.headers;
  return rest;
}

function get(t: TestApp, url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url, headers });
}

describe('concurrent readers on a real port, one writer', () => {
  let t: TestApp;
  let base: string;
  let token: string;
  let review: SessionOut;

  beforeAll(async () => {
    t = await buildTestApp();
    const organiser = await addUser(t.app, 'organiser', FORUM_2019);
    token = organiser.bearer.authorization;
    review = await sessionTitled(apiAs(t.app, organiser.bearer), FORUM_2019, REVIEW);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await t.close(); });

  test('after each release answers, every request any reader starts shows the released title; an edit shows only once released', async () => {
    const ROUNDS = 5;
    const title = (round: number) => (round === 0 ? REVIEW : `Titre de la manche ${round}`);
    const urls = [PUBLIC, FEED, API_PROGRAMME];
    /** Which round's title an answer shows: exactly one of them, or -1. */
    const roundShown = (url: string, body: string): number => {
      const text = url === PUBLIC ? cheerio.load(body)(`#session-${review.id} .session__title`).text().trim()
        : url === FEED ? (/^SUMMARY:(Titre de la manche \d|Bilan du travail effectué)\r$/m.exec(body)?.[1] ?? '')
          : (apiSessions(body).find((s) => s.id === review.id)?.title.fr ?? '');
      const found = Array.from({ length: ROUNDS + 1 }, (_, r) => r).filter((r) => text === title(r));
      return found.length === 1 ? found[0]! : -1;
    };
    interface Seen { reader: number; url: string; started: number; ended: number; status: number; round: number }
    const seen: Seen[] = [];
    const releaseStarted: number[] = [0];
    const releaseDone: number[] = [0];
    let stop = false;

    const reader = async (index: number) => {
      const url = urls[index % urls.length]!;
      while (!stop) {
        const started = performance.now();
        const response = await fetch(`${base}${url}`);
        const body = await response.text();
        seen.push({ reader: index, url, started, ended: performance.now(), status: response.status, round: roundShown(url, body) });
      }
    };
    const readers = Array.from({ length: 20 }, (_, i) => reader(i));
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const send = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => fetch(`${base}${path}`, {
      method, headers: { authorization: token, 'content-type': 'application/json', 'accept-language': 'en', ...headers }, body: JSON.stringify(body),
    });

    let version = review.version;
    try {
      await pause(150);
      for (let round = 1; round <= ROUNDS; round += 1) {
        const patched = await send('PATCH', `${eventPath(FORUM_2019)}/sessions/${review.id}`, { title: { ...review.title, fr: title(round) } }, { 'if-match': `"${version}"` });
        expect(patched.status).toBe(200);
        version = ((await patched.json()) as Written<SessionOut>).data.version;
        // Edited but not released: readers go on reading the last release.
        await pause(60);
        releaseStarted[round] = performance.now();
        const released = await send('POST', `${eventPath(FORUM_2019)}/releases`, { name: `manche ${round}` });
        releaseDone[round] = performance.now();
        expect(released.status).toBe(201);
        // Every reader gets to start requests after it (the check below is put to each of them).
        const deadline = performance.now() + 5000;
        while (new Set(seen.filter((s) => s.started > releaseDone[round]!).map((s) => s.reader)).size < 20 && performance.now() < deadline) await pause(10);
        await pause(20);
      }
    } finally {
      stop = true;
      await Promise.all(readers);
    }

    const violations = seen.filter((s) => {
      // At least the last release that had answered when the request started; at most the last one asked for before its answer ended.
      const atLeast = Math.max(...releaseDone.map((done, r) => (done <= s.started ? r : 0)));
      const atMost = Math.max(...releaseStarted.map((started, r) => (started <= s.ended ? r : 0)));
      return s.status !== 200 || s.round < atLeast || s.round > atMost;
    }).map((s) => `${s.url} reader ${s.reader} showed round ${s.round} (status ${s.status})`);
    expect(violations).toEqual([]);
    // Every reader read after every release, before the next one: the check above was put to each of them.
    for (let round = 1; round <= ROUNDS; round += 1) {
      const after = new Set(seen.filter((s) => s.started > releaseDone[round]! && s.ended < (releaseStarted[round + 1] ?? Infinity)).map((s) => s.reader));
      expect(after.size, `readers after release ${round}`).toBe(20);
    }
    expect(new Set(seen.map((s) => s.round))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });
});

describe('a write through another connection to the same file (another process)', () => {
  let t: TestApp;
  let other: Db;
  let review: SessionOut;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => QUIET });
    review = await sessionTitled(apiAs(t.app, (await addUser(t.app, 'organiser', FORUM_2019)).bearer), FORUM_2019, REVIEW);
    other = openDatabase(t.config.databasePath);
  });
  afterAll(async () => {
    other.$client.close();
    await t.close();
  });

  const shown = async () => {
    const page = cheerio.load((await get(t, PUBLIC)).body);
    const own = cheerio.load((await get(t, `${PUBLIC}/sessions/${review.id}`)).body);
    return {
      page: page(`#session-${review.id} .session__title`).text().trim(),
      own: own('h1').text(),
      feed: /^SUMMARY:(.*)\r$/m.exec((await get(t, `${PUBLIC}/sessions/${review.id}/calendar.ics`)).body)?.[1],
      api: apiSessions((await get(t, API_PROGRAMME)).body).find((s) => s.id === review.id)?.title.fr,
    };
  };

  test('a row changed there shows nowhere until released there; the release there shows on the next request here', async () => {
    expect(await shown()).toEqual({ page: REVIEW, own: REVIEW, feed: REVIEW, api: REVIEW });
    // Kept: asked again, nothing is rendered.
    expect(await rendersOf(shown)).toBe(0);

    other.update(sessions).set({ title: { fr: 'Bilan écrit ailleurs', en: 'Review written elsewhere' } }).where(eq(sessions.publicId, review.id)).run();
    expect(await shown()).toEqual({ page: REVIEW, own: REVIEW, feed: REVIEW, api: REVIEW });

    releaseProgramme(other, findEventBySlug(other, FORUM_2019)!, { id: null, name: 'another process' }, { name: 'ailleurs' }, QUIET);
    expect(await shown()).toEqual({ page: 'Bilan écrit ailleurs', own: 'Bilan écrit ailleurs', feed: 'Bilan écrit ailleurs', api: 'Bilan écrit ailleurs' });
  });
});

describe('conclusions published without a release', () => {
  let t: TestApp;
  let review: SessionOut;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => QUIET });
    const organiser = apiAs(t.app, (await addUser(t.app, 'organiser', FORUM_2019)).bearer);
    review = await sessionTitled(organiser, FORUM_2019, REVIEW);
    const rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Rita Rapporteur');
    await assign(organiser, FORUM_2019, review.id, rapporteur);
    await saveLatest(apiAs(t.app, rapporteur.bearer), FORUM_2019, review.id, content({ summary: 'ResumePublieMarqueur' }), { submit: true });
    // Kept before the publication (and a draft written since changes nothing public).
    for (const url of [`${PUBLIC}/sessions/${review.id}`, REPORT]) expect((await get(t, url)).body).not.toContain('ResumePublieMarqueur');
    expect(await rendersOf(() => Promise.all([get(t, `${PUBLIC}/sessions/${review.id}`), get(t, REPORT)]))).toBe(0);
    await steps(organiser, FORUM_2019, review.id, ['validate', 'publish']);
  });
  afterAll(async () => { await t.close(); });

  test('the session page and the report show them on the very next request', async () => {
    const own = cheerio.load((await get(t, `${PUBLIC}/sessions/${review.id}`)).body);
    expect(own('main').text()).toContain('ResumePublieMarqueur');
    expect((await get(t, REPORT)).body).toContain('ResumePublieMarqueur');
  });
});

describe('nothing personal is kept or shared', () => {
  let t: TestApp;
  let organiser: TestUser;
  let draft: SessionOut;
  let sessionIds: Record<string, string>;

  beforeAll(async () => {
    // The real clock: the session cookie must not have expired for the browser (the event is long over).
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    const api = apiAs(t.app, organiser.bearer);
    draft = ok<Written<SessionOut>>(await api.post(`${eventPath(FORUM_2019)}/sessions`, {
      title: { fr: 'Atelier en préparation' }, start: '2019-11-12T18:00', end: '2019-11-12T18:30',
    }), 201).data;
    sessionIds = { review: (await sessionTitled(api, FORUM_2019, REVIEW)).id };
  });
  afterAll(async () => { await t.close(); });

  /** An anonymous reader's programme page: public, no name, no draft, nothing ticked. */
  async function anonymous() {
    const response = await get(t, PUBLIC);
    const $ = cheerio.load(response.body);
    return {
      cacheControl: response.headers['cache-control'],
      name: response.body.includes('Olga Organiser'),
      draft: $(`#session-${draft.id}`).length,
      ticked: $('form.agenda-toggle[data-in-agenda]').length + $('.agenda-bar').length,
    };
  }
  // Pages: shared caches keep them for CACHE_MAX_AGE; a reader's browser revalidates at each visit.
  const ANONYMOUS = { cacheControl: 'public, max-age=0, s-maxage=60', name: false, draft: 0, ticked: 0 };

  test('signed in (forum_session): private, never the kept page, and never kept for the next reader', async () => {
    expect(await anonymous()).toEqual(ANONYMOUS);
    const browser = await signIn(t.app, organiser);
    for (let i = 0; i < 2; i += 1) {
      const mine = await browser.get(PUBLIC);
      expect([mine.statusCode, mine.headers['cache-control'], mine.headers.etag, mine.body.includes('Olga Organiser')]).toEqual([200, 'private, no-cache', undefined, true]);
    }
    expect(await anonymous()).toEqual(ANONYMOUS);
  });

  test('with the preview on (forum_preview): the working copy, private, either way round', async () => {
    const browser = await signIn(t.app, organiser);
    const form = formOf(await browser.open(`/admin/events/${FORUM_2019}/releases`), 'main .preview-form');
    expect((await browser.post(form.action, form.hidden)).statusCode).toBe(303);
    expect(browser.cookies.get('forum_preview')).toBe('1');
    expect(await anonymous()).toEqual(ANONYMOUS);
    const preview = await browser.get(PUBLIC);
    expect([preview.headers['cache-control'], cheerio.load(preview.body)(`#session-${draft.id}`).length]).toEqual(['private, no-store', 1]);
    expect(await anonymous()).toEqual(ANONYMOUS);
    // A preview cookie alone (no account) is still the reader's own: private, and rendered for it.
    const cookieOnly = await get(t, PUBLIC, { cookie: 'forum_preview=1' });
    expect([cookieOnly.headers['cache-control'], cookieOnly.headers.etag, await rendersOf(() => get(t, PUBLIC, { cookie: 'forum_preview=1' }))]).toEqual(['private, no-cache', undefined, 1]);
  });

  test('with an agenda cookie (agenda-<event>): its ticks, private, either way round', async () => {
    const browser = new Browser(t.app);
    expect((await browser.post('/my', { event: FORUM_2019, session: [sessionIds.review!] })).statusCode).toBe(303);
    expect([...browser.cookies.keys()].filter((name) => name.startsWith('agenda-'))).toHaveLength(1);
    expect(await anonymous()).toEqual(ANONYMOUS);
    for (let i = 0; i < 2; i += 1) {
      const mine = await browser.get(PUBLIC);
      const $ = cheerio.load(mine.body);
      expect([mine.headers['cache-control'], mine.headers.etag, $('form.agenda-toggle[data-in-agenda] input[name="listed"]').toArray().map((e) => $(e).val())])
        .toEqual(['private, no-cache', undefined, [sessionIds.review]]);
    }
    expect(await anonymous()).toEqual(ANONYMOUS);
  });

  test('with an Authorization header: private, rendered for it, and the kept answer stays public', async () => {
    const kept = await get(t, API_PROGRAMME);
    expect(kept.headers['cache-control']).toBe('public, max-age=60');
    for (const url of [API_PROGRAMME, PUBLIC, FEED]) {
      let answer: LightMyRequestResponse | undefined;
      expect(await rendersOf(async () => { answer = await get(t, url, organiser.bearer); })).toBe(1);
      expect([answer!.statusCode, String(answer!.headers['cache-control']).startsWith('private'), answer!.headers.etag === undefined || url === FEED]).toEqual([200, true, true]);
    }
    expect((await get(t, API_PROGRAMME)).headers['cache-control']).toBe('public, max-age=60');
  });
});

describe('a response that sets a cookie', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp({ now: () => QUIET }); });
  afterAll(async () => { await t.close(); });

  test('?lang=en for a French reader sets the language cookie: private, never kept; for an English one it sets none: public, kept', async () => {
    const url = `${PUBLIC}?lang=en`;
    for (let i = 0; i < 2; i += 1) {
      let answer: LightMyRequestResponse | undefined;
      expect(await rendersOf(async () => { answer = await get(t, url, { 'accept-language': 'fr' }); })).toBe(1);
      expect([answer!.headers['set-cookie'], answer!.headers['cache-control'], answer!.headers.etag, cheerio.load(answer!.body)('html').attr('lang')])
        .toEqual(['lang=en; Max-Age=31536000; Path=/; HttpOnly; SameSite=Lax', 'private, no-cache', undefined, 'en']);
    }
    const english = await get(t, url, { 'accept-language': 'en' });
    expect([english.headers['set-cookie'], english.headers['cache-control'], english.headers.etag]).toEqual([undefined, 'public, max-age=0, s-maxage=60', expect.stringMatching(/^"[\w-]+"$/)]);
    expect(await rendersOf(() => get(t, url, { 'accept-language': 'en' }))).toBe(0);
    // A cookieless reader without Accept-Language asking for the default language: public too.
    const french = await get(t, `${PUBLIC}?lang=fr`);
    expect([french.headers['set-cookie'], french.headers['cache-control'], cheerio.load(french.body)('html').attr('lang')]).toEqual([undefined, 'public, max-age=0, s-maxage=60', 'fr']);
  });
});

describe('headers of kept responses, and conditional requests on the miss and the hit path', () => {
  const dir = makeTempDir();
  let first: TestApp;
  let t: TestApp;
  let sessionPage: string;
  const URLS = () => [PUBLIC, sessionPage, FEED, SCHEDULE, API_PROGRAMME];
  const originals = new Map<string, LightMyRequestResponse>();

  beforeAll(async () => {
    first = await buildTestApp({ dir, now: () => QUIET, env: { CACHE_MAX_AGE: '7' } });
    sessionPage = `${PUBLIC}/sessions/${apiSessions((await get(first, API_PROGRAMME)).body).find((s) => s.title.fr === REVIEW)!.id}`;
    for (const url of URLS()) originals.set(url, await get(first, url));
    await first.close();
    // A fresh start on the same file: nothing kept yet.
    t = await buildTestApp({ dir, now: () => QUIET, env: { CACHE_MAX_AGE: '7' } });
  });
  afterAll(async () => { await t.close(); });

  test('public for CACHE_MAX_AGE, a strong ETag, pages vary on Accept-Language and Cookie; a kept answer has the same headers and bytes', async () => {
    for (const url of URLS()) {
      const original = originals.get(url)!;
      const page = url === PUBLIC || url === sessionPage;
      const vary = String(original.headers.vary ?? '').split(',').map((name) => name.trim().toLowerCase());
      expect([url, original.statusCode, original.headers['cache-control'], /^"[\w-]+"$/.test(String(original.headers.etag)), vary.includes('accept-language'), vary.includes('cookie')])
        .toEqual([url, 200, page ? 'public, max-age=0, s-maxage=7' : 'public, max-age=7', true, page, page]);
    }
    // On the fresh start: one render each, then none; the same bytes and headers as the first app sent.
    for (const url of URLS()) {
      let miss: LightMyRequestResponse | undefined;
      let hit: LightMyRequestResponse | undefined;
      expect(await rendersOf(async () => { miss = await get(t, url); }), url).toBe(1);
      expect(await rendersOf(async () => { hit = await get(t, url); }), url).toBe(0);
      expect(headersOf(miss!)).toEqual(headersOf(originals.get(url)!));
      expect(headersOf(hit!)).toEqual(headersOf(miss!));
      expect(hit!.body).toBe(originals.get(url)!.body);
    }
  });

  test('If-None-Match with Cache-Control: no-cache gets a 304 without a body, first on the miss path, then on the hit path; a wrong ETag gets the 200', async () => {
    const fresh = await buildTestApp({ dir, now: () => QUIET, env: { CACHE_MAX_AGE: '7' } });
    try {
      for (const url of URLS()) {
        const { etag, 'content-type': contentType } = originals.get(url)!.headers;
        const conditional = { 'if-none-match': String(etag), 'cache-control': 'no-cache' };
        for (const path of ['miss', 'hit'] as const) {
          // Kept by a plain request first (a feed's own 304 on the miss path is not kept).
          if (path === 'hit') expect((await get(fresh, url)).statusCode).toBe(200);
          let answer: LightMyRequestResponse | undefined;
          const rendered = await rendersOf(async () => { answer = await get(fresh, url, conditional); });
          expect([url, path, rendered, answer!.statusCode, answer!.body, answer!.headers.etag, answer!.headers['cache-control'], answer!.headers['content-type']])
            .toEqual([url, path, path === 'miss' ? 1 : 0, 304, '', etag, originals.get(url)!.headers['cache-control'], undefined]);
        }
        const weak = await get(fresh, url, { 'if-none-match': `W/${String(etag)}` });
        expect([url, weak.statusCode]).toEqual([url, 304]);
        const wrong = await get(fresh, url, { 'if-none-match': '"not-this-one"', 'cache-control': 'no-cache' });
        expect([url, wrong.statusCode, wrong.body, wrong.headers['content-type']]).toEqual([url, 200, originals.get(url)!.body, contentType]);
      }
    } finally {
      await fresh.close();
    }
  });

  test('If-Modified-Since on the feeds: 304 at or after their Last-Modified, on the miss and the hit path; 200 before it', async () => {
    const fresh = await buildTestApp({ dir, now: () => QUIET, env: { CACHE_MAX_AGE: '7' } });
    try {
      for (const url of [FEED, SCHEDULE]) {
        const lastModified = String(originals.get(url)!.headers['last-modified']);
        expect(Number.isNaN(Date.parse(lastModified))).toBe(false);
        for (const path of ['miss', 'hit'] as const) {
          if (path === 'hit') expect((await get(fresh, url)).statusCode).toBe(200);
          let answer: LightMyRequestResponse | undefined;
          const rendered = await rendersOf(async () => { answer = await get(fresh, url, { 'if-modified-since': lastModified, 'cache-control': 'no-cache' }); });
          expect([url, path, rendered, answer!.statusCode, answer!.body]).toEqual([url, path, path === 'miss' ? 1 : 0, 304, '']);
        }
        const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
        const changed = await get(fresh, url, { 'if-modified-since': earlier });
        expect([url, changed.statusCode, changed.body]).toEqual([url, 200, originals.get(url)!.body]);
      }
    } finally {
      await fresh.close();
    }
  });
});

describe('languages, the minute, and what is not found', () => {
  let clock = QUIET;
  let t: TestApp;
  let organiser: Api;
  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    organiser = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
  });
  afterAll(async () => { await t.close(); });

  test('the same page for different Accept-Language headers: each in its language, each kept apart', async () => {
    const languageOf = async (url: string, acceptLanguage: string) => {
      const response = await get(t, url, { 'accept-language': acceptLanguage });
      const $ = cheerio.load(response.body);
      return `${$('html').attr('lang')}: ${$('h1').first().text().trim()}`;
    };
    const expected = { fr: "fr: Le forum d'apprentissage de CGLU", en: 'en: The UCLG Learning Forum', es: 'es: El foro de aprendizaje de CGLU' };
    for (const round of ['miss', 'hit']) {
      const got: Record<string, string> = {};
      const rendered = await rendersOf(async () => { for (const language of ['fr', 'en', 'es']) got[language] = await languageOf(PUBLIC, language); });
      expect([round, got, rendered]).toEqual([round, expected, round === 'miss' ? 3 : 0]);
    }
    // A browser's fuller header is kept apart too, and still negotiated.
    expect(await languageOf(PUBLIC, 'en-GB,en;q=0.9,fr;q=0.5')).toBe(expected.en);
  });

  test('feeds and exports do not vary with Accept-Language: one kept answer for all', async () => {
    for (const url of [FEED, SCHEDULE, API_PROGRAMME]) {
      const french = await get(t, url, { 'accept-language': 'fr' });
      let english: LightMyRequestResponse | undefined;
      expect(await rendersOf(async () => { english = await get(t, url, { 'accept-language': 'en' }); }), url).toBe(0);
      expect([english!.body === french.body, english!.headers.etag, english!.headers.vary]).toEqual([true, french.headers.etag, french.headers.vary]);
      expect(String(english!.headers.vary ?? '')).not.toMatch(/accept-language|cookie/i);
    }
  });

  test('the programme\'s live marking follows the clock across a session\'s start, the same within a minute', async () => {
    const live = async () => {
      const $ = cheerio.load((await get(t, PUBLIC)).body);
      return [$('.session--current .session__title').text(), $('.live-note').length];
    };
    clock = new Date('2019-11-12T08:59:05Z');
    expect(await live()).toEqual([REVIEW, 1]);
    clock = new Date('2019-11-12T08:59:55Z');
    expect(await rendersOf(async () => { expect(await live()).toEqual([REVIEW, 1]); })).toBe(0);
    clock = new Date('2019-11-12T09:00:05Z');
    expect(await live()).toEqual([SENDAI, 1]);
    clock = new Date('2026-11-24T09:10:00Z');
    expect(await live()).toEqual(['', 0]);
    clock = QUIET;
  });

  test('an unknown event or session: 404, never public nor kept; the event made and released later shows', async () => {
    const SLUG = 'forum-pas-encore-2027';
    for (const url of [`/events/${SLUG}`, `/events/${SLUG}/calendar.ics`, `/api/v1/events/${SLUG}/programme`, `${PUBLIC}/sessions/00000000-0000-4000-8000-000000000000`]) {
      for (let i = 0; i < 2; i += 1) {
        const response = await get(t, url);
        expect([url, response.statusCode, String(response.headers['cache-control'] ?? '').includes('public'), response.headers.etag]).toEqual([url, 404, false, undefined]);
      }
    }
    ok(await organiser.post('/api/v1/events', {
      slug: SLUG, title: { fr: 'Forum pas encore' }, timezone: 'Europe/Paris', defaultLanguage: 'fr', startDate: '2027-06-10', endDate: '2027-06-11',
    }), 201);
    const session = ok<Written<SessionOut>>(await organiser.post(`${eventPath(SLUG)}/sessions`, { title: { fr: 'Séance à venir' }, start: '2027-06-10T09:00', end: '2027-06-10T10:00' }), 201).data;
    // Made but not released: still 404, and the site's list does not name it.
    expect((await get(t, `/events/${SLUG}`)).statusCode).toBe(404);
    expect((await get(t, '/')).body).not.toContain('Forum pas encore');
    ok(await organiser.post(`${eventPath(SLUG)}/releases`, { name: '1' }), 201);
    const page = await get(t, `/events/${SLUG}`);
    expect([page.statusCode, cheerio.load(page.body)('.session__title').text().trim(), page.headers['cache-control']]).toEqual([200, 'Séance à venir', 'public, max-age=0, s-maxage=60']);
    expect((await get(t, `/events/${SLUG}/sessions/${session.id}`)).statusCode).toBe(200);
    expect((await get(t, '/')).body).toContain('Forum pas encore');
    expect((await get(t, '/api/v1/events')).json().events.map((e: { slug: string }) => e.slug)).toContain(SLUG);
  });
});
