// A programme stored with far dates (before they were refused, or written into the database by
// hand) costs its exports one day per date that holds sessions, never one per day in between:
// the 9999 session blocked the whole server for 247 s. And no import can store such
// dates any more: every format is held to the bounds of the API.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readProgrammeText } from '../../../server/domains/interop/service.ts';
import { exportProgrammeJson } from '../../../server/domains/interop/programme-json.ts';
import { writeProgramme } from '../../../server/domains/programme/sync.ts';
import { readProgramme } from '../../../server/domains/releases/reader.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { release } from '../../helpers/releases.ts';

let t: TestApp;
const sqlite = () => t.app.db.$client;
const eventId = () => (sqlite().prepare('SELECT id FROM events WHERE slug = ?').get(FORUM_2019) as { id: number }).id;

/** Moves the forum's first session (by row id) into a new slot at these instants, straight in SQL: no check sees it. */
function moveFirstSessionTo(startsAt: string, endsAt: string): void {
  const id = eventId();
  const slot = sqlite().prepare("INSERT INTO time_slots (public_id, event_id, starts_at, ends_at) VALUES ('5e0e0000-0000-4000-8000-000000009999', ?, ?, ?) RETURNING id")
    .get(id, Date.parse(startsAt), Date.parse(endsAt)) as { id: number };
  sqlite().prepare('UPDATE sessions SET slot_id = ? WHERE id = (SELECT min(id) FROM sessions WHERE event_id = ?)').run(slot.id, id);
}

async function scheduleDays(): Promise<{ json: string[]; xml: string[]; start: string; end: string; ms: number }> {
  const started = Date.now();
  const json = await t.app.inject(`/events/${FORUM_2019}/schedule.json`);
  const xml = await t.app.inject(`/events/${FORUM_2019}/schedule.xml`);
  const ms = Date.now() - started;
  expect([json.statusCode, xml.statusCode], json.body.slice(0, 300)).toEqual([200, 200]);
  const conference = json.json().schedule.conference as { start: string; end: string; daysCount: number; days: { index: number; date: string }[] };
  expect(conference.daysCount).toBe(conference.days.length);
  expect(conference.days.map((d) => d.index)).toEqual(conference.days.map((_, i) => i + 1));
  return {
    json: conference.days.map((d) => d.date),
    xml: [...xml.body.matchAll(/<day index="\d+" date="([^"]+)"/g)].map((m) => m[1]!),
    start: conference.start,
    end: conference.end,
    ms,
  };
}

describe('exports of a programme already stored with far dates', () => {
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  test('a session in 9999: schedule.json and schedule.xml list the event\'s day and that date only, at once', async () => {
    moveFirstSessionTo('9999-12-31T20:00:00Z', '9999-12-31T21:00:00Z');
    release(t.app, FORUM_2019);
    const days = await scheduleDays();
    expect(days).toMatchObject({ json: ['2019-11-12', '9999-12-31'], xml: ['2019-11-12', '9999-12-31'], start: '2019-11-12', end: '9999-12-31' });
    // Walking every day in between took 247 s; a generous bound, not a benchmark.
    expect(days.ms).toBeLessThan(2000);
  });

  test('an event whose start was moved to 1015: its first and last dates and the dates of its sessions', async () => {
    sqlite().prepare("UPDATE events SET start_date = '1015-09-29' WHERE slug = ?").run(FORUM_2019);
    release(t.app, FORUM_2019);
    const days = await scheduleDays();
    expect(days).toMatchObject({ json: ['1015-09-29', '2019-11-12', '9999-12-31'], xml: ['1015-09-29', '2019-11-12', '9999-12-31'] });
    expect(days.ms).toBeLessThan(2000);
  });
});

describe('imports are held to the bounds of the API', () => {
  let document: Record<string, any>;
  beforeAll(async () => {
    t = await buildTestApp();
    document = JSON.parse(exportProgrammeJson(readProgramme(t.app.db, { slug: FORUM_2019 }, 'working')));
  });
  afterAll(async () => { await t.close(); });

  const importJson = (value: unknown) => writeProgramme(t.app.db, readProgrammeText(JSON.stringify(value), {}).programme, new Date());
  const dump = () => JSON.stringify(sqlite().prepare('SELECT * FROM time_slots ORDER BY id').all()) + JSON.stringify(sqlite().prepare('SELECT * FROM events ORDER BY id').all());

  test('a programme file with a session in 9999 is refused naming it, and nothing changes', () => {
    const before = dump();
    const slots = document.slots.map((s: { id: string }, i: number) => (i === 0 ? { ...s, start: '9999-12-31T22:00:00+02:00', end: '9999-12-31T23:00:00+02:00' } : s));
    const named = document.sessions.filter((s: { slot: string }) => s.slot === document.slots[0].id).map((s: { title: { fr: string } }) => `"${s.title.fr}"`);
    expect(() => importJson({ ...document, slots })).toThrow(
      `session ${named.join(', ')} (9999-12-31T22:00:00+02:00 to 9999-12-31T23:00:00+02:00) is outside the event's days (2019-11-12 to 2019-11-12, a late evening ending by 2019-11-13T06:00:00+02:00): change the event's dates or the time`,
    );
    expect(dump()).toBe(before);
  });

  test('a programme file whose event starts in 1015 or lasts 367 days is refused', () => {
    const before = dump();
    expect(() => importJson({ ...document, event: { ...document.event, startDate: '1015-09-29' } }))
      .toThrow('the event\'s start date 1015-09-29 is not between 1970-01-01 and 2200-12-31');
    expect(() => importJson({ ...document, event: { ...document.event, startDate: '2018-11-11' } }))
      .toThrow('the event\'s end date (2019-11-12) makes the event last 367 days; it may last 366 at most');
    expect(dump()).toBe(before);
  });

  test('a frab schedule with one event in 9999 is refused: the dates it spans would make a year-8000 event', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<schedule><version>1</version>
  <conference><acronym>far-conf</acronym><title>Far Conf</title><start>2024-05-02</start><end>2024-05-02</end><time_zone_name>Europe/Paris</time_zone_name></conference>
  <day index="1" date="2024-05-02"><room name="A">
    <event guid="0b7c9a52-1f7a-4f59-9a43-2d0c1e6f0101" id="1"><date>2024-05-02T10:00:00+02:00</date><start>10:00</start><duration>01:00</duration><title>Ouverture</title></event>
    <event guid="0b7c9a52-1f7a-4f59-9a43-2d0c1e6f0102" id="2"><date>9999-12-31T10:00:00+01:00</date><start>10:00</start><duration>01:00</duration><title>Loin</title></event>
  </room></day>
</schedule>`;
    expect(() => writeProgramme(t.app.db, readProgrammeText(xml, {}).programme, new Date()))
      .toThrow('the event\'s end date 9999-12-31 is not between 1970-01-01 and 2200-12-31');
  });

  test('a frab schedule with a local start in the hour clocks go back is refused naming both offsets', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<schedule><version>1</version>
  <conference><acronym>autumn-conf</acronym><title>Autumn Conf</title><time_zone_name>Europe/Madrid</time_zone_name></conference>
  <day index="1" date="2019-10-27"><room name="A">
    <event guid="0b7c9a52-1f7a-4f59-9a43-2d0c1e6f0201" id="7"><start>02:30</start><duration>00:30</duration><title>Nuit</title></event>
  </room></day>
</schedule>`;
    expect(() => readProgrammeText(xml, {})).toThrow(
      'session "Nuit" (event 7) starts at 2019-10-27 02:30, which happens twice in Europe/Madrid (the clocks go back then, from +02:00 to +01:00): give its <date> with the offset, 2019-10-27T02:30+02:00 or 2019-10-27T02:30+01:00',
    );
  });
});
