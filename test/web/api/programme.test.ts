import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';

describe('read API', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  test('GET /api/v1/events lists the bundled events with their zone and languages', async () => {
    const response = await t.app.inject('/api/v1/events');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const { events } = response.json();
    expect(events.map((e: { slug: string; timezone: string; startDate: string; endDate: string }) => [e.slug, e.timezone, e.startDate, e.endDate])).toEqual([
      [SEMINAR_2015, 'Europe/Madrid', '2015-09-29', '2015-09-30'],
      [FORUM_2019, 'Africa/Johannesburg', '2019-11-12', '2019-11-12'],
    ]);
    expect(events[1].title).toEqual({ fr: "Le forum d'apprentissage de CGLU", en: 'The UCLG Learning Forum', es: 'El foro de aprendizaje de CGLU' });
  });

  test('the programme gives 09:00 in Durban as 2019-11-12T09:00:00+02:00 (07:00Z), parts → slots → sessions', async () => {
    const response = await t.app.inject(`/api/v1/events/${FORUM_2019}/programme`);
    expect(response.statusCode).toBe(200);
    const programme = response.json();
    expect(programme.outsideParts.map((s: { start: string; end: string }) => [s.start, s.end])).toEqual([
      ['2019-11-12T08:30:00+02:00', '2019-11-12T09:00:00+02:00'],
    ]);
    const [first] = programme.parts;
    expect(first.label.fr).toBe('Première partie');
    expect(first.slots.map((s: { start: string; end: string; sessions: { title: { fr: string } }[] }) => [s.start, s.end, s.sessions.map((x) => x.title.fr)])).toEqual([
      ['2019-11-12T09:00:00+02:00', '2019-11-12T09:20:00+02:00', ['Ouverture et bienvenue']],
      ['2019-11-12T09:20:00+02:00', '2019-11-12T09:55:00+02:00', ['Objectifs et attentes des participants']],
    ]);
    expect(new Date(first.slots[0].start).toISOString()).toBe('2019-11-12T07:00:00.000Z');
    expect(programme.parts.map((p: { slots: unknown[] }) => p.slots.length)).toEqual([2, 4, 3]);
    expect(programme.outputs).toHaveLength(4);
    const sendai = programme.parts[1].slots[1].sessions[0];
    expect(sendai.contributors.map((c: { role: string; organisation: { name: { fr: string } } }) => [c.role, c.organisation.name.fr])).toEqual([
      ['presenter', 'CGLU ASPAC'], ['presenter', 'UNGL'], ['presenter', 'San José'], ['presenter', 'CGLU'], ['presenter', 'ONU-Habitat'],
    ]);
    const outputIds = new Set(programme.outputs.map((o: { id: string }) => o.id));
    expect(sendai.outputs.every((id: string) => outputIds.has(id))).toBe(true);
    expect(sendai.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('the 2015 seminar is in Madrid summer time', async () => {
    const programme = (await t.app.inject(`/api/v1/events/${SEMINAR_2015}/programme`)).json();
    expect(programme.parts[0].slots[0].start).toBe('2015-09-29T09:30:00+02:00');
    expect(programme.parts).toHaveLength(2);
  });

  test('GET /healthz answers ok once the database is ready', async () => {
    const response = await t.app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});
