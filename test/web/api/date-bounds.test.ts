// Dates and times through the write API: an event's dates lie within 1970–2200 and a year at
// most, a session's, slot's or part's times within its event's days (a late evening may end by
// 06:00 the morning after), an event's dates cannot move away from its sessions; the autumn
// hour that happens twice needs an offset, and T24:00 is the end of its day. Each refusal is a
// 422 naming the field, and nothing is written.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, expectInvalid, listOf, ok, type Api, type SessionOut, type Written } from '../../helpers/api.ts';

const BASE = eventPath(FORUM_2019);
const OUTSIDE = (value: string) => `${value} is outside the event's days (2019-11-12 to 2019-11-12; a late evening may end by 2019-11-13T06:00:00+02:00)`;

let t: TestApp;
let api: Api;

beforeAll(async () => {
  t = await buildTestApp();
  api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
});
afterAll(async () => { await t.close(); });

const counts = async () => ({ sessions: (await listOf(api, FORUM_2019, 'sessions')).length, slots: (await listOf(api, FORUM_2019, 'slots')).length });

describe('a session\'s times lie within its event\'s days', () => {
  test('a session dated 9999-12-31 (the issue\'s freeze) is refused 422 naming start and end, and nothing is stored', async () => {
    const before = await counts();
    const response = await api.post(`${BASE}/sessions`, { title: { fr: 'Loin' }, start: '9999-12-31T22:00', end: '9999-12-31T23:00' });
    expectInvalid(response, t.config.publicUrl, [
      { pointer: '#/start', detail: OUTSIDE('9999-12-31T22:00:00+02:00') },
      { pointer: '#/end', detail: OUTSIDE('9999-12-31T23:00:00+02:00') },
    ]);
    expect(await counts()).toEqual(before);
  });

  test('a session moved to the year 0000 or 2100 is refused; it keeps its time', async () => {
    const session = ok<Written<SessionOut>>(await api.post(`${BASE}/sessions`, { title: { fr: 'Ici' }, start: '2019-11-12T10:00', end: '2019-11-12T11:00' }), 201).data;
    const moved = await api.patch(`${BASE}/sessions/${session.id}`, { start: '2100-11-12T10:00', end: '2100-11-12T11:00' }, session.version);
    expectInvalid(moved, t.config.publicUrl, [
      { pointer: '#/start', detail: OUTSIDE('2100-11-12T10:00:00+02:00') },
      { pointer: '#/end', detail: OUTSIDE('2100-11-12T11:00:00+02:00') },
    ]);
    const early = await api.patch(`${BASE}/sessions/${session.id}`, { start: '2019-11-11T23:30', end: '2019-11-12T00:30' }, session.version);
    expectInvalid(early, t.config.publicUrl, [{ pointer: '#/start', detail: OUTSIDE('2019-11-11T23:30:00+02:00') }]);
    const now = ok<SessionOut>(await api.get(`${BASE}/sessions/${session.id}`));
    expect([now.start, now.end, now.version]).toEqual(['2019-11-12T10:00:00+02:00', '2019-11-12T11:00:00+02:00', session.version]);
  });

  test('a late evening may end after midnight, by 06:00; a session may not start after midnight of the last day', async () => {
    const late = ok<Written<SessionOut>>(await api.post(`${BASE}/sessions`, { title: { fr: 'Soirée' }, start: '2019-11-12T22:00', end: '2019-11-13T06:00' }), 201).data;
    expect([late.start, late.end]).toEqual(['2019-11-12T22:00:00+02:00', '2019-11-13T06:00:00+02:00']);
    expectInvalid(await api.post(`${BASE}/sessions`, { title: { fr: 'Aube' }, start: '2019-11-12T22:00', end: '2019-11-13T06:01' }), t.config.publicUrl, [
      { pointer: '#/end', detail: OUTSIDE('2019-11-13T06:01:00+02:00') },
    ]);
    expectInvalid(await api.post(`${BASE}/sessions`, { title: { fr: 'Nuit' }, start: '2019-11-13T00:30', end: '2019-11-13T01:30' }), t.config.publicUrl, [
      { pointer: '#/start', detail: OUTSIDE('2019-11-13T00:30:00+02:00') },
    ]);
  });

  test('time slots and parts\' hours are held to the same days', async () => {
    expectInvalid(await api.post(`${BASE}/slots`, { start: '9999-12-31T22:00', end: '9999-12-31T23:00' }), t.config.publicUrl, [
      { pointer: '#/start', detail: OUTSIDE('9999-12-31T22:00:00+02:00') },
      { pointer: '#/end', detail: OUTSIDE('9999-12-31T23:00:00+02:00') },
    ]);
    expectInvalid(await api.post(`${BASE}/parts`, { label: { fr: 'Plus tard' }, title: { fr: 'Plus tard' }, end: '2400-01-01T12:00' }), t.config.publicUrl, [
      { pointer: '#/end', detail: OUTSIDE('2400-01-01T12:00:00+02:00') },
    ]);
    const part = await api.post(`${BASE}/parts`, { label: { fr: 'Soir' }, title: { fr: 'Soir' }, start: '2019-11-12T18:00', end: '2019-11-13T01:00' });
    expect(part.statusCode, part.body).toBe(201);
  });

  test('T24:00 ends a session at the end of its day, the next day\'s 00:00', async () => {
    const session = ok<Written<SessionOut>>(await api.post(`${BASE}/sessions`, { title: { fr: 'Minuit' }, start: '2019-11-12T23:00', end: '2019-11-12T24:00' }), 201).data;
    expect([session.start, session.end]).toEqual(['2019-11-12T23:00:00+02:00', '2019-11-13T00:00:00+02:00']);
  });
});

describe('an event\'s dates', () => {
  const event = (slug: string, startDate: string, endDate: string, timezone = 'Europe/Madrid') => ({
    slug, title: { fr: slug }, timezone, defaultLanguage: 'fr', startDate, endDate,
  });

  test('years outside 1970–2200 and events longer than 366 days are refused 422 naming the field; none is created', async () => {
    expectInvalid(await api.post('/api/v1/events', event('loin', '9999-12-31', '9999-12-31')), t.config.publicUrl, [
      { pointer: '#/startDate', detail: '9999-12-31 is not between 1970-01-01 and 2200-12-31' },
      { pointer: '#/endDate', detail: '9999-12-31 is not between 1970-01-01 and 2200-12-31' },
    ]);
    expectInvalid(await api.post('/api/v1/events', event('zero', '0000-01-01', '2019-11-12')), t.config.publicUrl, [
      { pointer: '#/startDate', detail: '0000-01-01 is not between 1970-01-01 and 2200-12-31' },
    ]);
    expectInvalid(await api.post('/api/v1/events', event('long', '2023-01-01', '2024-01-02')), t.config.publicUrl, [
      { pointer: '#/endDate', detail: 'makes the event last 367 days; it may last 366 at most' },
    ]);
    expect(['loin', 'zero', 'long'].map((slug) => findEventBySlug(t.app.db, slug))).toEqual([null, null, null]);
    expect(ok(await api.post('/api/v1/events', event('leap-year', '2024-01-01', '2024-12-31')), 201)).toMatchObject({ data: { startDate: '2024-01-01', endDate: '2024-12-31' } });
  });

  test('an event\'s start moved to 1015 is refused (the issue: 30 s per request)', async () => {
    const current = ok<{ version: number }>(await api.get(BASE));
    expectInvalid(await api.patch(BASE, { startDate: '1015-09-29' }, current.version), t.config.publicUrl, [
      { pointer: '#/startDate', detail: '1015-09-29 is not between 1970-01-01 and 2200-12-31' },
    ]);
  });

  test('dates that would leave sessions outside are refused naming them; dates that still hold them are taken', async () => {
    const fresh = await buildTestApp();
    try {
      const own = apiAs(fresh.app, (await addUser(fresh.app, 'organiser')).bearer);
      const sessions = (await listOf<SessionOut>(own, FORUM_2019, 'sessions')).filter((s) => s.start !== null).map((s) => s.id).sort();
      const slots = (await listOf(own, FORUM_2019, 'slots')).map((s) => s.id);
      const current = ok<{ version: number }>(await own.get(BASE));
      const moved = await own.patch(BASE, { startDate: '2019-11-13', endDate: '2019-11-14' }, current.version);
      expect(moved.statusCode, moved.body).toBe(422);
      const errors = moved.json().errors as { pointer: string; detail: string }[];
      expect(errors.map((e) => e.pointer)).toEqual(['#/startDate']);
      expect(errors[0]!.detail).toMatch(/^would leave outside the event's days the sessions .+, the time slots .+: move them first$/);
      const named = [...errors[0]!.detail.matchAll(/[0-9a-f-]{36}/g)].map((m) => m[0]);
      // The sentence names ten of each at most; the forum has fewer.
      expect(named.filter((id) => sessions.includes(id)).sort()).toEqual(sessions);
      expect(named.filter((id) => slots.includes(id)).sort()).toEqual([...slots].sort());
      expect(ok<{ startDate: string; version: number }>(await own.get(BASE))).toMatchObject({ startDate: '2019-11-12', version: current.version });
      // A zone eleven hours behind moves 09:00 in Johannesburg to the evening before.
      expect((await own.patch(BASE, { timezone: 'Pacific/Pago_Pago' }, current.version)).json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['#/startDate']);
      const longer = ok<Written<{ startDate: string; endDate: string }>>(await own.patch(BASE, { endDate: '2019-11-13' }, current.version));
      expect([longer.data.startDate, longer.data.endDate]).toEqual(['2019-11-12', '2019-11-13']);
    } finally {
      await fresh.close();
    }
  });
});

describe('the night clocks go back, and the one they go forward', () => {
  let madrid: string;
  beforeAll(async () => {
    ok(await api.post('/api/v1/events', {
      slug: 'madrid-autumn', title: { fr: 'Automne' }, timezone: 'Europe/Madrid', defaultLanguage: 'fr', startDate: '2019-03-30', endDate: '2019-10-27',
    }), 201);
    madrid = eventPath('madrid-autumn');
  });

  test('02:30 on 27 October 2019 in Madrid happens twice: refused naming both offsets, each offset then chosen as given', async () => {
    expectInvalid(await api.post(`${madrid}/sessions`, { title: { fr: 'Nuit' }, start: '2019-10-27T02:30', end: '2019-10-27T04:00' }), t.config.publicUrl, [
      { pointer: '#/start', detail: '"2019-10-27T02:30" happens twice in Europe/Madrid (the clocks go back): give its offset, "2019-10-27T02:30+02:00" or "2019-10-27T02:30+01:00"' },
    ]);
    const summer = ok<Written<SessionOut>>(await api.post(`${madrid}/sessions`, { title: { fr: 'Été' }, start: '2019-10-27T02:30+02:00', end: '2019-10-27T04:00' }), 201).data;
    const winter = ok<Written<SessionOut>>(await api.post(`${madrid}/sessions`, { title: { fr: 'Hiver' }, start: '2019-10-27T02:30+01:00', end: '2019-10-27T04:00' }), 201).data;
    expect([summer.start, winter.start, winter.end]).toEqual(['2019-10-27T02:30:00+02:00', '2019-10-27T02:30:00+01:00', '2019-10-27T04:00:00+01:00']);
  });

  test('02:30 on 31 March 2019 in Madrid does not exist: refused as a clock change', async () => {
    expectInvalid(await api.post(`${madrid}/sessions`, { title: { fr: 'Printemps' }, start: '2019-03-31T02:30', end: '2019-03-31T04:00' }), t.config.publicUrl, [
      { pointer: '#/start', detail: '"2019-03-31T02:30" does not exist in Europe/Madrid (clock change)' },
    ]);
  });
});
