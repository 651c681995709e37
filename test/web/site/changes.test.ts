// What participants see of releases: edits made through the API reach the public pages, the
// read API and the feeds only with a release; /events/:slug/changes tells what each release
// changed, in the reader's language; a draft never shows anywhere public.
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { parseWithIcalJs, rawComponents, rawProperties, resetIcalTimezones, uidOf } from '../../helpers/ical.ts';
import { apiAs, eventPath, expectProblem, listOf, ok, sessionTitled, type Api, type SessionOut, type Written } from '../../helpers/api.ts';

const PUBLIC = `/events/${FORUM_2019}`;
const FEED = `${PUBLIC}/calendar.ics`;
const CHANGES = `${PUBLIC}/changes`;
const SESSIONS = `${eventPath(FORUM_2019)}/sessions`;
const RELEASES = `${eventPath(FORUM_2019)}/releases`;

/** The content lines of the feed's one VEVENT with this UID that hold these properties, in the order named. */
function veventLines(feed: string, uid: string, properties: string[]): string[] {
  const matches = rawComponents(feed, 'VEVENT').filter((lines) => lines.includes(`UID:${uid}`));
  expect(matches).toHaveLength(1);
  return properties.flatMap((name) => rawProperties(matches[0]!, name));
}

/** A node of a parsed page (domhandler's AnyNode, as cheerio takes it). */
type PageNode = Exclude<Parameters<typeof cheerio.load>[0], string | Buffer | unknown[]>;

/** Text of each element matching the selector (inside `root` if given), whitespace collapsed. */
function textsOf($: cheerio.CheerioAPI, selector: string, root?: cheerio.Cheerio<PageNode>): string[] {
  return (root ? root.find(selector) : $(selector)).toArray().map((el) => $(el).text().replace(/\s+/g, ' ').trim());
}

async function page(t: TestApp, url: string) {
  const response = await t.app.inject(url);
  expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200);
  return cheerio.load(response.body);
}

async function releaseAs(api: Api, name: string, note?: Record<string, string>) {
  return ok<Written<{ name: string }>>(await api.post(RELEASES, note ? { name, note } : { name }), 201).data;
}

beforeEach(() => { resetIcalTimezones(); });

describe('a released session moved, then cancelled', () => {
  let t: TestApp;
  let clock = new Date('2026-03-02T08:00:00.000Z');
  let api: Api;
  let bilan: SessionOut;
  let uid: string;
  let salle2: string;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    api = apiAs(t.app, (await addUser(t.app, 'organiser', FORUM_2019)).bearer);
    bilan = await sessionTitled(api, FORUM_2019, 'Bilan du travail effectué');
    uid = uidOf(bilan.id, t.config.publicUrl);
    salle2 = ok<Written<{ id: string }>>(await api.post(`${eventPath(FORUM_2019)}/rooms`, { name: { fr: 'Salle 2', en: 'Room 2' } }), 201).data.id;
  });
  afterAll(async () => { await t.close(); });

  test('moving it changes nothing public until a release', async () => {
    const before = await t.app.inject(FEED);
    expect(veventLines(before.body, uid, ['DTSTART', 'DTEND', 'SEQUENCE'])).toEqual([
      'DTSTART;TZID=Africa/Johannesburg:20191112T100000', 'DTEND;TZID=Africa/Johannesburg:20191112T110000', 'SEQUENCE:0',
    ]);
    bilan = ok<Written<SessionOut>>(await api.patch(`${SESSIONS}/${bilan.id}`, { start: '2019-11-12T18:00', end: '2019-11-12T18:45', room: salle2 }, bilan.version)).data;
    const after = await t.app.inject(FEED);
    expect(after.body).toBe(before.body);
    expect(after.headers.etag).toBe(before.headers.etag);
    const $ = await page(t, CHANGES);
    expect(textsOf($, '.release h2')).toEqual(['Version 1']);
    expect((await page(t, PUBLIC))(`#session-${bilan.id}`).closest('.slot').find('.slot__time').text()).toBe('10:00–11:00');
  });

  test('after the release, /changes lists it under the moved sessions with its old and new local times and rooms', async () => {
    clock = new Date('2026-03-02T08:30:00.000Z');
    await releaseAs(api, '2');
    expect(textsOf(await page(t, CHANGES), '.release__date').at(0)).toBe('Publiée le lundi 2 mars 2026, 10:30');
    const $ = await page(t, CHANGES);
    expect(textsOf($, '.release h2')).toEqual(['Version 2', 'Version 1']);
    const latest = $('.release').first();
    expect(textsOf($, '.release__summary', latest)).toEqual(['Déplacées : 1']);
    expect(textsOf($, '.changes__group h3', latest)).toEqual(['Sessions déplacées']);
    expect(latest.find('.changes__group').attr('class')).toBe('changes__group changes__group--moved');
    expect(textsOf($, '.change--moved a', latest)).toEqual(['Bilan du travail effectué']);
    expect(latest.find('.change--moved a').attr('href')).toBe(`${PUBLIC}/sessions/${bilan.id}`);
    expect(textsOf($, '.change__before', latest)).toEqual(['Avant : mardi 12 novembre 2019, 10:00–11:00 · Salle plénière']);
    expect(textsOf($, '.change__after', latest)).toEqual(['Maintenant : mardi 12 novembre 2019, 18:00–18:45 · Salle 2']);
    expect(latest.find('.change__after time').attr('datetime')).toBe('2019-11-12T18:00:00+02:00');
    expect(latest.find('.change__fields').length).toBe(0);

    const en = await page(t, `${CHANGES}?lang=en`);
    const latestEn = en('.release').first();
    expect(textsOf(en, '.changes__group h3', latestEn)).toEqual(['Moved sessions']);
    expect(textsOf(en, '.change__before', latestEn)).toEqual(['Before: Tuesday, 12 November 2019, 10:00–11:00 · Plenary room']);
    expect(textsOf(en, '.change__after', latestEn)).toEqual(['Now: Tuesday, 12 November 2019, 18:00–18:45 · Room 2']);
  });

  test('after the release, the feed moves its DTSTART and raises its SEQUENCE by one, and the programme page shows the new time', async () => {
    const feed = (await t.app.inject(FEED)).body;
    expect(veventLines(feed, uid, ['DTSTART', 'DTEND', 'SEQUENCE', 'STATUS'])).toEqual([
      'DTSTART;TZID=Africa/Johannesburg:20191112T180000', 'DTEND;TZID=Africa/Johannesburg:20191112T184500', 'SEQUENCE:1', 'STATUS:CONFIRMED',
    ]);
    const event = parseWithIcalJs(feed).events.find((e) => e.uid === uid)!;
    expect([event.start.toISOString(), event.end.toISOString(), event.sequence]).toEqual(['2019-11-12T16:00:00.000Z', '2019-11-12T16:45:00.000Z', 1]);
    // Its entry is dated at the release; the others keep the date of the release that last changed them.
    expect(veventLines(feed, uid, ['LAST-MODIFIED'])).toEqual(['LAST-MODIFIED:20260302T083000Z']);
    const others = rawComponents(feed, 'VEVENT').filter((lines) => !lines.includes(`UID:${uid}`)).map((lines) => rawProperties(lines, 'LAST-MODIFIED')[0]);
    expect(others).toHaveLength(9);
    expect(others).not.toContain('LAST-MODIFIED:20260302T083000Z');
    // The other sessions kept their SEQUENCE.
    expect(parseWithIcalJs(feed).events.filter((e) => e.uid !== uid).map((e) => e.sequence)).toEqual(Array(9).fill(0));
    const card = (await page(t, PUBLIC))(`#session-${bilan.id}`);
    expect(card.closest('.slot').find('.slot__time').text()).toBe('18:00–18:45');
  });

  test('several edits before one release raise the SEQUENCE by one only; the changes name the fields', async () => {
    bilan = ok<Written<SessionOut>>(await api.patch(`${SESSIONS}/${bilan.id}`, { title: { ...bilan.title, fr: 'Bilan' } }, bilan.version)).data;
    bilan = ok<Written<SessionOut>>(await api.patch(`${SESSIONS}/${bilan.id}`, { title: { ...bilan.title, fr: 'Bilan des travaux' } }, bilan.version)).data;
    bilan = ok<Written<SessionOut>>(await api.patch(`${SESSIONS}/${bilan.id}`, { kind: 'panel' }, bilan.version)).data;
    await releaseAs(api, '3');
    expect(veventLines((await t.app.inject(FEED)).body, uid, ['SEQUENCE', 'SUMMARY'])).toEqual(['SEQUENCE:2', 'SUMMARY:Bilan des travaux']);
    const $ = await page(t, CHANGES);
    const latest = $('.release').first();
    expect(textsOf($, '.changes__group h3', latest)).toEqual(['Sessions modifiées']);
    expect(textsOf($, '.change--changed a', latest)).toEqual(['Bilan des travaux']);
    expect(textsOf($, '.change--changed .change__when', latest)).toEqual(['mardi 12 novembre 2019, 18:00–18:45 · Salle 2']);
    expect(textsOf($, '.change__fields', latest)).toEqual(['Modifié : titre, format']);
  });

  test('cancelled and released, it stays on the programme page marked cancelled, on its own page, and in the feed with STATUS:CANCELLED', async () => {
    bilan = ok<Written<SessionOut>>(await api.patch(`${SESSIONS}/${bilan.id}`, { status: 'cancelled' }, bilan.version)).data;
    await releaseAs(api, '4');

    const card = (await page(t, PUBLIC))(`#session-${bilan.id}`);
    expect(card.length).toBe(1);
    expect(card.attr('class')!.split(' ')).toContain('session--cancelled');
    expect(card.find('.badge--cancelled').text().trim()).toBe('Annulée');
    const own = await page(t, `${PUBLIC}/sessions/${bilan.id}`);
    expect(own('h1').text()).toBe('Bilan des travaux');
    expect(textsOf(own, '.badge--cancelled')).toEqual(['Cette session est annulée.']);
    expect(textsOf(await page(t, `${PUBLIC}/sessions/${bilan.id}?lang=en`), '.badge--cancelled')).toEqual(['This session is cancelled.']);

    expect(veventLines((await t.app.inject(FEED)).body, uid, ['DTSTART', 'SEQUENCE', 'STATUS'])).toEqual([
      'DTSTART;TZID=Africa/Johannesburg:20191112T180000', 'SEQUENCE:3', 'STATUS:CANCELLED',
    ]);
    const programme = (await t.app.inject(`/api/v1/events/${FORUM_2019}/programme`)).json();
    expect(JSON.stringify(programme)).toContain(bilan.id);

    const $ = await page(t, CHANGES);
    const latest = $('.release').first();
    expect(textsOf($, '.changes__group h3', latest)).toEqual(['Sessions annulées']);
    expect(textsOf($, '.change--cancelled a', latest)).toEqual(['Bilan des travaux']);
    expect(textsOf($, '.release h2')).toEqual(['Version 4', 'Version 3', 'Version 2', 'Version 1']);
  });

  test('a released session cannot be deleted (409 cancel-instead), while one never released can (204)', async () => {
    expectProblem(await api.delete(`${SESSIONS}/${bilan.id}`, bilan.version), t.config.publicUrl, 409, 'cancel-instead', {
      detail: `Session ${bilan.id} has been released: participants may have it in their calendars, and only a cancellation reaches them there. Cancel it instead: PATCH {"status": "cancelled"}`,
    });
    expect(ok<SessionOut>(await api.get(`${SESSIONS}/${bilan.id}`))).toEqual(bilan);

    const draft = ok<Written<SessionOut>>(await api.post(SESSIONS, { title: { fr: 'Brouillon' }, start: '2019-11-12T19:00', end: '2019-11-12T19:30' }), 201).data;
    expect((await api.delete(`${SESSIONS}/${draft.id}`, draft.version)).statusCode).toBe(204);
    expect((await api.get(`${SESSIONS}/${draft.id}`)).statusCode).toBe(404);
    // A draft that was only cancelled, never released, can be deleted too; and leaves nothing to release.
    const cancelled = ok<Written<SessionOut>>(await api.post(SESSIONS, {
      title: { fr: 'Brouillon annulé' }, status: 'cancelled', start: '2019-11-12T19:00', end: '2019-11-12T19:30',
    }), 201).data;
    expectProblem(await api.post(RELEASES, { name: '5' }), t.config.publicUrl, 409, 'nothing-to-release', {
      detail: 'Nothing changed since release "4": there is nothing new to release',
    });
    expect((await api.delete(`${SESSIONS}/${cancelled.id}`, cancelled.version)).statusCode).toBe(204);
  });
});

describe('the release note and hostile texts on /events/:slug/changes', () => {
  let t: TestApp;
  let api: Api;
  let hostile: SessionOut;
  const HOSTILE_TITLE = '<img src=x onerror=alert(1)>';
  const HOSTILE_NOTE = '<script>alert("note")</script> & <b>gras</b>';
  const HOSTILE_NAME = '"><img src=y onerror=alert(2)>';

  beforeAll(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser')).bearer);
  });
  afterAll(async () => { await t.close(); });

  test('the note is in the reader\'s language; without a translation, in the event\'s language marked with its lang', async () => {
    const opening = await sessionTitled(api, FORUM_2019, 'Ouverture et bienvenue');
    ok(await api.patch(`${SESSIONS}/${opening.id}`, { kind: 'panel' }, opening.version));
    await releaseAs(api, '2', { fr: 'Premier paragraphe.\n\nSecond paragraphe.', en: 'One paragraph in English.' });

    const fr = await page(t, CHANGES);
    expect(fr('html').attr('lang')).toBe('fr');
    const noteFr = fr('.release').first().find('.release__note');
    expect(noteFr.attr('lang')).toBeUndefined();
    expect(noteFr.find('p').map((_, p) => fr(p).text()).get()).toEqual(['Premier paragraphe.', 'Second paragraphe.']);

    const en = await page(t, `${CHANGES}?lang=en`);
    expect(en('html').attr('lang')).toBe('en');
    expect(en('h1').text()).toBe('Programme changes');
    const noteEn = en('.release').first().find('.release__note');
    expect(noteEn.attr('lang')).toBeUndefined();
    expect(noteEn.find('p').map((_, p) => en(p).text()).get()).toEqual(['One paragraph in English.']);

    const es = await page(t, `${CHANGES}?lang=es`);
    expect(es('html').attr('lang')).toBe('es');
    expect(es('h1').text()).toBe('Cambios del programa');
    expect(textsOf(es, '.release h2')).toEqual(['Versión 2', 'Versión 1']);
    const noteEs = es('.release').first().find('.release__note');
    expect(noteEs.attr('lang')).toBe('fr');
    expect(noteEs.find('p').map((_, p) => es(p).text()).get()).toEqual(['Premier paragraphe.', 'Second paragraphe.']);
    // The first release has no note, and says how many sessions it published.
    expect(es('.release').last().find('.release__note').length).toBe(0);
    expect(textsOf(es, '.release').at(-1)).toContain('Primera publicación del programa: 10 sesiones.');
    // Who released is for the organisers' page and the audit log, not for the public.
    for (const body of [fr.html(), en.html(), es.html(), (await t.app.inject(`/api/v1/events/${FORUM_2019}/releases`)).body]) {
      expect(body).not.toContain('Olga Organiser');
    }
  });

  test('a hostile note and a hostile session title are shown as text, never as markup', async () => {
    hostile = ok<Written<SessionOut>>(await api.post(SESSIONS, { title: { fr: HOSTILE_TITLE }, start: '2019-11-12T18:00', end: '2019-11-12T18:30' }), 201).data;
    await releaseAs(api, HOSTILE_NAME, { fr: HOSTILE_NOTE });
    const response = await t.app.inject(CHANGES);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('<img src=x');
    expect(response.body).not.toContain('<script>alert');
    expect(response.body).not.toContain('<b>gras');
    expect(response.body).not.toContain('<img src=y');
    expect(response.body).toContain('&lt;img src');
    expect(response.body).toContain('&lt;script&gt;alert');
    const $ = cheerio.load(response.body);
    expect($('main img, main script, main b').length).toBe(0);
    const latest = $('.release').first();
    expect(latest.find('.release__note p').map((_, p) => $(p).text()).get()).toEqual([HOSTILE_NOTE]);
    expect(textsOf($, '.change--new a', latest)).toEqual([HOSTILE_TITLE]);
    expect(latest.find('h2').text()).toBe(`Version ${HOSTILE_NAME}`);
    // And on the programme page and the session's own page.
    const programme = await t.app.inject(PUBLIC);
    expect(programme.body).not.toContain('<img src=x');
    expect(cheerio.load(programme.body)(`#session-${hostile.id} .session__title`).text().trim()).toBe(HOSTILE_TITLE);
    const own = await t.app.inject(`${PUBLIC}/sessions/${hostile.id}`);
    expect(own.body).not.toContain('<img src=x');
    expect(cheerio.load(own.body)('h1').text()).toBe(HOSTILE_TITLE);
  });
});

describe('a draft session (created, never released)', () => {
  const DRAFT = 'Atelier confidentiel zx81';
  const DRAFT_EN = 'Confidential workshop zx81';
  let t: TestApp;
  let api: Api;
  let draft: SessionOut;
  let organisation: string;
  let part: string;
  let room: string;
  let output: string;

  /** Every public address of the event, with the draft's own ones. */
  function publicUrls(): string[] {
    const slug = FORUM_2019;
    return [
      '/', '/?lang=en', `/events/${slug}`, `/events/${slug}?lang=en`, `/events/${slug}?lang=es`, `/events/${slug}?room=${room}`,
      `/events/${slug}?speaker=${organisation}`, `/events/${slug}?part=${part}`, `/events/${slug}/parts/${part}`,
      `/events/${slug}/now`, `/events/${slug}/speakers`, `/events/${slug}/speakers/${organisation}`, `/events/${slug}/outputs`,
      `/events/${slug}/changes`, `/events/${slug}/changes?lang=en`,
      `/events/${slug}/calendar.ics`, `/events/${slug}/calendar.ics?lang=en`, `/events/${slug}/parts/${part}/calendar.ics`,
      `/events/${slug}/rooms/${room}/calendar.ics`, `/events/${slug}/speakers/${organisation}/calendar.ics`,
      '/api/v1/events', `/api/v1/events/${slug}/programme`, `/api/v1/events/${slug}/releases`,
    ];
  }

  beforeAll(async () => {
    // 11:50 in Durban on the day: the venue screen shows what is on and what comes next (the draft, at 12:00).
    t = await buildTestApp({ now: () => new Date('2019-11-12T09:50:00.000Z') });
    api = apiAs(t.app, (await addUser(t.app, 'organiser', FORUM_2019)).bearer);
    organisation = (await listOf<{ id: string; version: number; name: { fr: string } }>(api, FORUM_2019, 'organisations')).find((o) => o.name.fr === 'CGLU')!.id;
    part = (await listOf(api, FORUM_2019, 'parts'))[1]!.id;
    room = (await listOf(api, FORUM_2019, 'rooms'))[0]!.id;
    output = (await listOf(api, FORUM_2019, 'outputs'))[0]!.id;
    // The secret first: a draft in a part and a room, with a contributor and an expected output.
    draft = ok<Written<SessionOut>>(await api.post(SESSIONS, {
      title: { fr: DRAFT, en: DRAFT_EN }, description: { fr: 'Ordre du jour zx81' }, kind: 'workshop',
      start: '2019-11-12T12:00', end: '2019-11-12T12:30', part, room,
      contributors: [{ role: 'speaker', organisation }], outputs: [output],
    }), 201).data;
  });
  afterAll(async () => { await t.close(); });

  test('appears on no public page, feed or API answer, in any language', async () => {
    const leaks: string[] = [];
    for (const url of publicUrls()) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(200);
      for (const secret of [DRAFT, DRAFT_EN, 'zx81', draft.id]) if (response.body.includes(secret)) leaks.push(`${url}: ${secret}`);
    }
    expect(leaks).toEqual([]);
  });

  test('its own page and its own feed are 404, and a personal agenda cannot hold it', async () => {
    expect((await t.app.inject(`${PUBLIC}/sessions/${draft.id}`)).statusCode).toBe(404);
    expect((await t.app.inject(`${PUBLIC}/sessions/${draft.id}/calendar.ics`)).statusCode).toBe(404);
    const agenda = await t.app.inject({
      method: 'POST', url: '/my', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      payload: new URLSearchParams({ event: FORUM_2019, session: draft.id }).toString(),
    });
    expect(agenda.statusCode).toBe(400);
    expect(agenda.body).not.toContain(DRAFT);
  });

  test('after a release it is everywhere the leak test looked (so that test could see it)', async () => {
    await releaseAs(api, '2');
    const found: string[] = [];
    for (const url of publicUrls()) {
      const body = (await t.app.inject(url)).body;
      if (body.includes(draft.id) || body.includes(DRAFT) || body.includes(DRAFT_EN)) found.push(url);
    }
    // The home page and the events list name events, not sessions; the speakers list names people.
    const withoutSessions = ['/', '/?lang=en', '/api/v1/events', `${PUBLIC}/speakers`];
    expect(found).toEqual(publicUrls().filter((url) => !withoutSessions.includes(url)));
    expect((await t.app.inject(`${PUBLIC}/sessions/${draft.id}`)).statusCode).toBe(200);
  });
});
