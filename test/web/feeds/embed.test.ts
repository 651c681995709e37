// The embeddable programme's server side: GET /events/:slug/embed.json (the latest release in one
// language, compact, for the <forum-programme> element on other sites) and GET /embed.js (the
// element). Checked: their cross-origin headers, strong ETags and 304s, that the JSON holds
// every session of the release and nothing of the working copy (an organiser's preview included),
// that a text in a fallback language says which, and the 404 and 400 answers, JSON with CORS.
import fs from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, eventPath, ok, sessionTitled, type Api, type SessionOut, type Written } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { formOf } from '../../helpers/browser.ts';
import { release } from '../../helpers/releases.ts';
import { EMBED_SCRIPT, type EmbedProgramme, type EmbedSession } from '../../../server/web/feeds/embed.ts';

const JSON_PATH = `/events/${FORUM_2019}/embed.json`;
const STRONG_ETAG = /^"[A-Za-z0-9_-]{32}"$/;

interface ApiSession { id: string; status: string; title: Record<string, string>; start: string | null; end: string | null }
interface ApiProgrammeBody {
  parts: { slots: { sessions: ApiSession[] }[] }[];
  outsideParts: { sessions: ApiSession[] }[];
  unscheduled: ApiSession[];
}

/** Every session of the released programme, as the public read API gives them. */
async function apiSessions(t: TestApp): Promise<ApiSession[]> {
  const body = ok<ApiProgrammeBody>(await t.app.inject(`/api/v1/events/${FORUM_2019}/programme`));
  return [...body.parts.flatMap((p) => p.slots), ...body.outsideParts].flatMap((s) => s.sessions).concat(body.unscheduled);
}

const embedSessions = (body: EmbedProgramme): EmbedSession[] => [...body.days.flatMap((d) => d.sessions), ...body.unscheduled];

function expectCrossOrigin(response: LightMyRequestResponse): void {
  expect(response.headers['access-control-allow-origin']).toBe('*');
  expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
}

describe('embed.json of the bundled forum, as released', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  test('is readable from any origin, with a strong ETag, revalidated every time', async () => {
    const response = await t.app.inject(JSON_PATH);
    expect(response.statusCode).toBe(200);
    expectCrossOrigin(response);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, no-cache');
    expect(response.headers['content-language']).toBe('fr');
    expect(response.headers.etag).toMatch(STRONG_ETAG);
    expect(response.headers['access-control-expose-headers']).toContain('ETag');
    expect(Number.isNaN(Date.parse(String(response.headers['last-modified'])))).toBe(false);
  });

  test('answers 304 to its ETag (also sent weak, or among others), 200 to another, and the language changes the ETag', async () => {
    const first = await t.app.inject(JSON_PATH);
    const etag = first.headers.etag as string;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const again = await t.app.inject({ url: JSON_PATH, headers: { 'if-none-match': ifNoneMatch } });
      expect(again.statusCode, ifNoneMatch).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
      expectCrossOrigin(again);
      expect(again.headers['cache-control']).toBe('public, no-cache');
    }
    expect((await t.app.inject({ url: JSON_PATH, headers: { 'if-none-match': '"something else"' } })).statusCode).toBe(200);
    const english = await t.app.inject(`${JSON_PATH}?lang=en`);
    expect(english.headers.etag).toMatch(STRONG_ETAG);
    expect(english.headers.etag).not.toBe(etag);
    expect((await t.app.inject({ url: `${JSON_PATH}?lang=en`, headers: { 'if-none-match': etag } })).statusCode).toBe(200);
    // Equal ETags, equal bytes: the same request gives the same body.
    expect((await t.app.inject(JSON_PATH)).body).toBe(first.body);
  });

  test('holds every session title of the released forum, in order, with the times and rooms of the read API', async () => {
    const released = await apiSessions(t);
    expect(released.length).toBeGreaterThan(5);
    for (const lang of ['fr', 'en', 'es'] as const) {
      const body = ok<EmbedProgramme>(await t.app.inject(`${JSON_PATH}?lang=${lang}`));
      expect(body.lang).toBe(lang);
      const sessions = embedSessions(body);
      expect(sessions.map((s) => s.id).sort()).toEqual(released.map((s) => s.id).sort());
      const byId = new Map(released.map((s) => [s.id, s]));
      for (const s of sessions) {
        const api = byId.get(s.id)!;
        expect(s.title, s.id).toEqual({ text: api.title[lang] });
        expect([s.start, s.end]).toEqual([api.start, api.end]);
        expect(s.startTime).toBe(api.start!.slice(11, 16));
        expect(s.endTime).toBe(api.end!.slice(11, 16));
        expect(s.cancelled).toBe(false);
      }
      // In time order, one day of the event.
      const starts = sessions.map((s) => s.start!);
      expect(starts).toEqual([...starts].sort());
      expect(body.days.map((d) => d.date)).toEqual(['2019-11-12']);
      expect(body.unscheduled).toEqual([]);
    }
  });

  test('the event and each session link back to their pages here, with ?lang= when not the event\'s French', async () => {
    const site = t.config.publicUrl;
    const fr = ok<EmbedProgramme>(await t.app.inject(JSON_PATH));
    expect(fr.event).toMatchObject({
      slug: FORUM_2019, title: { text: "Le forum d'apprentissage de CGLU" }, startDate: '2019-11-12', endDate: '2019-11-12',
      dates: '12 novembre 2019', timezone: 'Africa/Johannesburg', url: `${site}/events/${FORUM_2019}`,
    });
    expect(fr.days[0]!.label).toBe('mardi 12 novembre 2019');
    for (const s of embedSessions(fr)) expect(s.url).toBe(`${site}/events/${FORUM_2019}/sessions/${s.id}`);
    const en = ok<EmbedProgramme>(await t.app.inject(`${JSON_PATH}?lang=en`));
    expect(en.event.url).toBe(`${site}/events/${FORUM_2019}?lang=en`);
    for (const s of embedSessions(en)) expect(s.url).toBe(`${site}/events/${FORUM_2019}/sessions/${s.id}?lang=en`);
    // A link of the JSON opens the session's page.
    const first = embedSessions(en)[0]!;
    const page = await t.app.inject(first.url.slice(site.length));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(first.title.text);
  });

  test('rooms and speakers are in the language asked for', async () => {
    const en = ok<EmbedProgramme>(await t.app.inject(`${JSON_PATH}?lang=en`));
    const opening = embedSessions(en).find((s) => s.title.text === 'Opening and welcome')!;
    expect(opening.room).toEqual({ text: 'Plenary room' });
    expect(opening.speakers).toEqual([{ name: { text: 'UCLG' }, organisation: null, role: 'presenter', roleLabel: 'presenter' }]);
    const fr = ok<EmbedProgramme>(await t.app.inject(JSON_PATH));
    expect(embedSessions(fr).find((s) => s.id === opening.id)!.speakers[0]!.name).toEqual({ text: 'CGLU' });
  });

  test('an unknown event, or an address of the wrong shape: 404, as JSON any site can read', async () => {
    for (const url of ['/events/no-such-event/embed.json', '/events/Not_A_Slug/embed.json', '/events/no-such-event/embed.json?lang=en']) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json()).toMatchObject({ status: 404, type: `${t.config.publicUrl}/api/docs#problem-not-found` });
      expectCrossOrigin(response);
      expect(response.headers.etag).toBeUndefined();
    }
    expect((await t.app.inject('/events/no-such-event/embed.json?lang=en')).json().title).toBe('Page not found');
  });

  test('a language that is not fr, en or es: 400 that says which are', async () => {
    for (const lang of ['de', 'FR', '']) {
      const response = await t.app.inject(`${JSON_PATH}?lang=${lang}`);
      expect(response.statusCode, lang).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json()).toMatchObject({ status: 400, detail: 'The query string is not valid: lang must be one of fr, en, es' });
      expectCrossOrigin(response);
    }
  });

  test('a CORS preflight is answered without error', async () => {
    const response = await t.app.inject({
      method: 'OPTIONS', url: JSON_PATH, headers: { origin: 'https://another.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
    });
    expect(response.statusCode).toBeLessThan(300);
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  test('/embed.js: the element\'s script, readable from any origin, with a strong ETag and its 304', async () => {
    const response = await t.app.inject('/embed.js');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expectCrossOrigin(response);
    expect(response.headers.etag).toMatch(STRONG_ETAG);
    expect(response.headers['cache-control']).toBe('public, max-age=3600');
    expect(response.body).toBe(fs.readFileSync(EMBED_SCRIPT, 'utf8'));
    expect(response.body).toContain("customElements.define(NAME");
    expect(response.body).toContain("'forum-programme'");
    const again = await t.app.inject({ url: '/embed.js', headers: { 'if-none-match': response.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expectCrossOrigin(again);
  });

  test('the script writes data as text only: no innerHTML, outerHTML, insertAdjacentHTML or document.write', () => {
    const source = fs.readFileSync(EMBED_SCRIPT, 'utf8');
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(source).toContain('textContent');
    // The host's fonts and colours reach inside the shadow root.
    expect(source).toMatch(/:host \{[^}]*font: inherit;[^}]*color: inherit;/);
  });
});

describe('embed.json while organisers change the programme', () => {
  const WORKING_TITLE = 'Titre de travail jamais publié';
  const FRENCH_ONLY = 'Séance présentée seulement en français';
  let t: TestApp;
  let api: Api;
  let organiser: TestUser;
  let review: SessionOut;
  let opening: SessionOut;
  let releasedTag: string;
  let releasedBody: string;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', FORUM_2019);
    api = apiAs(t.app, organiser.bearer);
    const first = await t.app.inject(JSON_PATH);
    releasedTag = first.headers.etag as string;
    releasedBody = first.body;
    review = await sessionTitled(api, FORUM_2019, 'Bilan du travail effectué');
    opening = await sessionTitled(api, FORUM_2019, 'Ouverture et bienvenue');
    const sessions = `${eventPath(FORUM_2019)}/sessions`;
    ok(await api.patch(`${sessions}/${review.id}`, { title: { fr: WORKING_TITLE, en: 'Working title', es: 'Título de trabajo' } }, review.version));
  });
  afterAll(async () => { await t.close(); });

  test('a change not yet released never shows, not even to the organiser previewing it', async () => {
    const anonymous = await t.app.inject(JSON_PATH);
    expect(anonymous.body).toBe(releasedBody);
    expect(anonymous.headers.etag).toBe(releasedTag);
    expect(anonymous.body).not.toContain(WORKING_TITLE);

    const browser = await signIn(t.app, organiser);
    const form = formOf((await browser.get(`/admin/events/${FORUM_2019}/releases`)).body, 'main .preview-form');
    expect((await browser.post(form.action, form.hidden)).statusCode).toBe(303);
    // The preview is on: the public page shows the organiser the working copy…
    expect((await browser.get(`/events/${FORUM_2019}`)).body).toContain(WORKING_TITLE);
    // …but the embed shows the release, the same bytes for everyone.
    const previewing = await browser.get(JSON_PATH);
    expect(previewing.statusCode).toBe(200);
    expect(previewing.body).toBe(releasedBody);
    expect(previewing.headers.etag).toBe(releasedTag);
    // Answered to a signed-in browser, it is kept by that browser only, as every public answer is.
    expect(previewing.headers['cache-control']).toBe('private, no-cache');
    expect((await browser.get(`${JSON_PATH}?lang=en`)).body).not.toContain('Working title');
  });

  test('after a release: the new titles, a cancelled session marked, a text only in French marked as French, and a new ETag', async () => {
    const sessions = `${eventPath(FORUM_2019)}/sessions`;
    const added = ok<Written<SessionOut>>(await api.post(sessions, { title: { fr: FRENCH_ONLY }, start: '2019-11-12T18:30', end: '2019-11-12T19:00' }), 201).data;
    const version = ok<{ version: number }>(await api.get(`${sessions}/${opening.id}`)).version;
    ok(await api.patch(`${sessions}/${opening.id}`, { status: 'cancelled' }, version));
    release(t.app, FORUM_2019);

    const after = await t.app.inject({ url: JSON_PATH, headers: { 'if-none-match': releasedTag } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).toMatch(STRONG_ETAG);
    expect(after.headers.etag).not.toBe(releasedTag);
    const fr = after.json() as EmbedProgramme;
    const titles = embedSessions(fr).map((s) => s.title.text);
    expect(titles).toContain(WORKING_TITLE);
    expect(titles).not.toContain('Bilan du travail effectué');
    expect(embedSessions(fr).find((s) => s.id === added.id)!.title).toEqual({ text: FRENCH_ONLY });
    expect(embedSessions(fr).find((s) => s.id === opening.id)!.cancelled).toBe(true);
    expect(embedSessions(fr).filter((s) => s.cancelled).map((s) => s.id)).toEqual([opening.id]);

    // In English, the French-only title comes in French and says so; the others are English.
    const en = ok<EmbedProgramme>(await t.app.inject(`${JSON_PATH}?lang=en`));
    const fallback = embedSessions(en).find((s) => s.id === added.id)!;
    expect(fallback.title).toEqual({ text: FRENCH_ONLY, lang: 'fr' });
    expect(fallback.startTime).toBe('18:30');
    expect(embedSessions(en).filter((s) => s.title.lang !== undefined).map((s) => s.id)).toEqual([added.id]);

    // Every title of the new release, as the read API has it.
    expect(embedSessions(fr).map((s) => s.title.text).sort()).toEqual((await apiSessions(t)).map((s) => s.title.fr).sort());
  });

  test('an event created but never released: 404', async () => {
    const boss = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    ok(await boss.post('/api/v1/events', {
      slug: 'jamais-publie-2030', title: { fr: 'Jamais publié' }, timezone: 'Europe/Paris', defaultLanguage: 'fr', startDate: '2030-03-28', endDate: '2030-03-28',
    }), 201);
    ok(await boss.post(`${eventPath('jamais-publie-2030')}/sessions`, { title: { fr: 'Brouillon' }, start: '2030-03-28T09:00', end: '2030-03-28T10:00' }), 201);
    const response = await t.app.inject('/events/jamais-publie-2030/embed.json');
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('Brouillon');
    expectCrossOrigin(response);
  });
});
