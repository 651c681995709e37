// Sessions written through the API, as the public sees them: on the programme page, on the
// session page and in the event's calendar feed, in the event's local time.
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { parseWithIcalJs, rawComponents, rawProperties, resetIcalTimezones, uidOf } from '../../helpers/ical.ts';
import {
  apiAs, eventPath, expectProblem, listOf, ok, sessionTitled, UUID, type Api, type SessionOut, type Written
} from '../../helpers/api.ts';
import { release } from '../../helpers/releases.ts';

const FEED = `/events/${FORUM_2019}/calendar.ics`;
const SESSIONS = `${eventPath(FORUM_2019)}/sessions`;

/** The content lines of the feed's VEVENT with this UID that hold these properties, in the order named. */
function veventLines(feed: string, uid: string, properties: string[]): string[] {
  const matches = rawComponents(feed, 'VEVENT').filter((lines) => lines.includes(`UID:${uid}`));
  expect(matches).toHaveLength(1);
  return properties.flatMap((name) => rawProperties(matches[0]!, name));
}

async function plenaryRoom(api: Api): Promise<string> {
  const rooms = await listOf<{ id: string; version: number; name: { fr: string } }>(api, FORUM_2019, 'rooms');
  return rooms.find((r) => r.name.fr === 'Salle plénière')!.id;
}

beforeEach(() => { resetIcalTimezones(); });

describe('a session created by an organiser', () => {
  let t: TestApp;
  let api: Api;
  let room: string;
  let created: Awaited<ReturnType<Api['post']>>;
  let session: SessionOut;

  beforeAll(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    room = await plenaryRoom(api);
    created = await api.post(SESSIONS, {
      title: { fr: 'Atelier des villes', en: 'Cities workshop' }, start: '2019-11-12T10:00', end: '2019-11-12T10:30', room,
    });
    session = ok<Written<SessionOut>>(created, 201).data;
  });
  afterAll(async () => { await t.close(); });

  test('is answered 201 with its local times at +02:00, version 1 in the ETag, its address, and the room clash it causes', async () => {
    const bilan = await sessionTitled(api, FORUM_2019, 'Bilan du travail effectué');
    expect(created.json()).toEqual({
      data: {
        id: expect.stringMatching(UUID), kind: 'session', status: 'confirmed', title: { fr: 'Atelier des villes', en: 'Cities workshop' },
        description: null, subtitle: null, abstract: null, language: null, interpretation: null, links: null,
        part: null, slot: expect.stringMatching(UUID), room, contributors: [], outputs: [],
        start: '2019-11-12T10:00:00+02:00', end: '2019-11-12T10:30:00+02:00', version: 1,
      },
      warnings: [{
        type: 'room-double-booked',
        message: 'Salle plénière holds two sessions at once: "Bilan du travail effectué" and "Atelier des villes"',
        sessions: [{ id: bilan.id, title: bilan.title }, { id: session.id, title: { fr: 'Atelier des villes', en: 'Cities workshop' } }],
        room: { id: room, name: { fr: 'Salle plénière', en: 'Plenary room', es: 'Sala plenaria' } },
      }],
    });
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`${SESSIONS}/${session.id}`);
    expect(ok(await api.get(`${SESSIONS}/${session.id}`))).toEqual(session);
  });

  test('is absent from the public page, the read API and the feed until released, then present, and listed as new', async () => {
    expect(cheerio.load((await t.app.inject(`/events/${FORUM_2019}`)).body)(`#session-${session.id}`).length).toBe(0);
    expect((await t.app.inject(`/events/${FORUM_2019}/sessions/${session.id}`)).statusCode).toBe(404);
    expect((await t.app.inject(FEED)).body).not.toContain(uidOf(session.id, t.config.publicUrl));
    expect(JSON.stringify((await t.app.inject(`/api/v1/events/${FORUM_2019}/programme`)).json())).not.toContain(session.id);

    const released = await api.post(`/api/v1/events/${FORUM_2019}/releases`, { name: '2', note: { fr: 'Un atelier de plus' } });
    expect(released.statusCode).toBe(201);
    expect(released.json().data.changes).toEqual([{
      type: 'new',
      session: { id: session.id, title: session.title, start: '2019-11-12T10:00:00+02:00', end: '2019-11-12T10:30:00+02:00', room: { id: room, name: { fr: 'Salle plénière', en: 'Plenary room', es: 'Sala plenaria' } } },
    }]);
    expect((await t.app.inject(FEED)).body).toContain(uidOf(session.id, t.config.publicUrl));
  });

  test('a new time slot 10:00–10:30 was made for it', async () => {
    const slots = await listOf<{ id: string; version: number; start: string; end: string }>(api, FORUM_2019, 'slots');
    expect(slots.filter((s) => s.id === session.slot)).toEqual([
      { id: session.slot, start: '2019-11-12T10:00:00+02:00', end: '2019-11-12T10:30:00+02:00', version: 1 },
    ]);
  });

  test('the programme page shows it at 10:00–10:30 with its French title, and its English title with ?lang=en', async () => {
    for (const [query, title] of [['', 'Atelier des villes'], ['?lang=en', 'Cities workshop']] as const) {
      const response = await t.app.inject(`/events/${FORUM_2019}${query}`);
      expect(response.statusCode).toBe(200);
      const $ = cheerio.load(response.body);
      const card = $(`#session-${session.id}`);
      expect(card.length).toBe(1);
      expect(card.find('.session__title').text().trim()).toBe(title);
      const slot = card.closest('.slot');
      expect(slot.find('.slot__time').text()).toBe('10:00–10:30');
      expect(slot.find('.slot__time time').attr('datetime')).toBe('2019-11-12T10:00:00+02:00');
    }
  });

  test('its own page has its title in the reader\'s language', async () => {
    for (const [query, title] of [['', 'Atelier des villes'], ['?lang=en', 'Cities workshop']] as const) {
      const response = await t.app.inject(`/events/${FORUM_2019}/sessions/${session.id}${query}`);
      expect(response.statusCode).toBe(200);
      expect(cheerio.load(response.body)('h1').text()).toBe(title);
    }
  });

  test('the event feed has it at DTSTART;TZID=Africa/Johannesburg:20191112T100000, SEQUENCE 0, confirmed', async () => {
    const response = await t.app.inject(FEED);
    expect(response.statusCode).toBe(200);
    const uid = uidOf(session.id, t.config.publicUrl);
    expect(veventLines(response.body, uid, ['DTSTART', 'DTEND', 'SEQUENCE', 'SUMMARY', 'STATUS'])).toEqual([
      'DTSTART;TZID=Africa/Johannesburg:20191112T100000',
      'DTEND;TZID=Africa/Johannesburg:20191112T103000',
      'SEQUENCE:0',
      'SUMMARY:Atelier des villes',
      'STATUS:CONFIRMED',
    ]);
    const event = parseWithIcalJs(response.body).events.find((e) => e.uid === uid)!;
    expect(event.startZone).toBe('Africa/Johannesburg');
    expect([event.start.toISOString(), event.end.toISOString()]).toEqual(['2019-11-12T08:00:00.000Z', '2019-11-12T08:30:00.000Z']);

    const english = await t.app.inject(`${FEED}?lang=en`);
    expect(veventLines(english.body, uid, ['SUMMARY'])).toEqual(['SUMMARY:Cities workshop']);
  });
});

describe('times given with an offset', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  test('an instant with an offset (Z) is the same as the local time it falls on', async () => {
    const api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    const { data } = ok<Written<SessionOut>>(await api.post(SESSIONS, {
      title: { fr: 'Atelier' }, start: '2019-11-12T17:00:00Z', end: '2019-11-12T19:30:00+02:00',
    }), 201);
    expect([data.start, data.end]).toEqual(['2019-11-12T19:00:00+02:00', '2019-11-12T19:30:00+02:00']);
  });
});

describe('moving, cancelling and deleting a session', () => {
  let t: TestApp;
  let api: Api;
  let session: SessionOut;
  let uid: string;

  beforeAll(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    session = ok<Written<SessionOut>>(await api.post(SESSIONS, {
      title: { fr: 'Atelier des villes' }, start: '2019-11-12T19:00', end: '2019-11-12T19:30',
    }), 201).data;
    uid = uidOf(session.id, t.config.publicUrl);
    release(t.app, FORUM_2019);
  });
  afterAll(async () => { await t.close(); });

  test('moving it (PATCH start and end) raises its SEQUENCE and the feed\'s ETag: the old ETag gets the new feed, not a 304', async () => {
    const before = await t.app.inject(FEED);
    const etag = before.headers.etag as string;
    expect(veventLines(before.body, uid, ['DTSTART', 'SEQUENCE'])).toEqual(['DTSTART;TZID=Africa/Johannesburg:20191112T190000', 'SEQUENCE:0']);
    // Unchanged, the feed is revalidated with a 304.
    expect((await t.app.inject({ url: FEED, headers: { 'if-none-match': etag } })).statusCode).toBe(304);

    const moved = await api.patch(`${SESSIONS}/${session.id}`, { start: '2019-11-12T19:15', end: '2019-11-12T19:45' }, session.version);
    const { data } = ok<Written<SessionOut>>(moved);
    expect(moved.headers.etag).toBe(`"${session.version + 1}"`);
    expect([data.start, data.end, data.version]).toEqual(['2019-11-12T19:15:00+02:00', '2019-11-12T19:45:00+02:00', session.version + 1]);
    expect(data.slot).not.toBe(session.slot);
    session = data;
    // Subscribers see the move once it is released.
    expect((await t.app.inject({ url: FEED, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    release(t.app, FORUM_2019);

    const after = await t.app.inject({ url: FEED, headers: { 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(veventLines(after.body, uid, ['DTSTART', 'DTEND', 'SEQUENCE'])).toEqual([
      'DTSTART;TZID=Africa/Johannesburg:20191112T191500',
      'DTEND;TZID=Africa/Johannesburg:20191112T194500',
      'SEQUENCE:1',
    ]);
  });

  test('cancelling it keeps it in the feed with STATUS:CANCELLED and a higher SEQUENCE', async () => {
    const cancelled = await api.patch(`${SESSIONS}/${session.id}`, { status: 'cancelled' }, session.version);
    expect(ok<Written<SessionOut>>(cancelled).data).toEqual({ ...session, status: 'cancelled', version: session.version + 1 });
    session = ok<Written<SessionOut>>(cancelled).data;
    release(t.app, FORUM_2019);
    const feed = (await t.app.inject(FEED)).body;
    expect(veventLines(feed, uid, ['DTSTART', 'SEQUENCE', 'STATUS'])).toEqual([
      'DTSTART;TZID=Africa/Johannesburg:20191112T191500', 'SEQUENCE:2', 'STATUS:CANCELLED',
    ]);
  });

  test('DELETE of a released session is refused 409 cancel-instead, and it stays as it was', async () => {
    expectProblem(await api.delete(`${SESSIONS}/${session.id}`, session.version), t.config.publicUrl, 409, 'cancel-instead', {
      detail: `Session ${session.id} has been released: participants may have it in their calendars, and only a cancellation reaches them there. Cancel it instead: PATCH {"status": "cancelled"}`,
    });
    expect(ok(await api.get(`${SESSIONS}/${session.id}`))).toEqual(session);
    expect(veventLines((await t.app.inject(FEED)).body, uid, ['STATUS'])).toEqual(['STATUS:CANCELLED']);
  });

  test('a session never released can be deleted (If-Match required): 204, then 404, and the audit log keeps it', async () => {
    const draft = ok<Written<SessionOut>>(await api.post(SESSIONS, { title: { fr: 'Brouillon' }, start: '2019-11-12T20:00', end: '2019-11-12T20:30' }), 201).data;
    expect((await api.delete(`${SESSIONS}/${draft.id}`)).statusCode).toBe(428);
    expect((await api.delete(`${SESSIONS}/${draft.id}`, draft.version + 1)).statusCode).toBe(409);
    expect((await api.delete(`${SESSIONS}/${draft.id}`, draft.version)).statusCode).toBe(204);
    expect((await api.get(`${SESSIONS}/${draft.id}`)).statusCode).toBe(404);
    const audit = ok<{ entries: { action: string; entityId: string; before: unknown }[] }>(await api.get(`/api/v1/events/${FORUM_2019}/audit?entityId=${draft.id}`));
    expect(audit.entries.map((e) => e.action)).toEqual(['delete', 'create']);
    expect(audit.entries[0]!.before).toEqual(draft);
  });
});
