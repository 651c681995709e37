// The last gaps between a feed and the database: a VTIMEZONE true for the event's own years
// (not the zone's current rules), the repeated autumn hour written so that three parsers agree
// with the database, a session's abstract and links on its entry (and on its SEQUENCE), and a
// SOURCE line that names the feed, not the first caller's query string.
import { execFileSync } from 'node:child_process';
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { importProgrammeFile } from '../../../server/domains/interop/service.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { contentLines, parseWithIcalJs, rawComponents, resetIcalTimezones } from '../../helpers/ical.ts';
import { release } from '../../helpers/releases.ts';

const PYTHON = '/usr/bin/python3';

/** A one-room programme of our JSON format in a zone, with sessions at local times. */
function programmeFile(slug: string, timezone: string, startDate: string, endDate: string, sessions: { key: string; start: string; end: string }[]) {
  return new TextEncoder().encode(JSON.stringify({
    event: { slug, timezone, defaultLanguage: 'fr', languages: ['fr'], startDate, endDate, title: { fr: `Essai ${slug}` } },
    rooms: [{ key: 'salle', name: { fr: 'Salle' } }],
    parts: [], organisations: [], people: [], outputs: [],
    sessions: sessions.map((s) => ({
      key: s.key, part: null, start: s.start, end: s.end, room: 'salle', kind: 'session', status: 'confirmed',
      title: { fr: `Séance ${s.key}` }, contributors: [], outputs: [],
    })),
  }));
}

function load(t: TestApp, file: Uint8Array, slug: string) {
  importProgrammeFile(t.app.db, file, { maxBytes: 1_000_000 }, null, t.app.now());
  release(t.app, slug);
}

/** The instants the database holds for each session of an event, by title. */
function databaseInstants(t: TestApp, slug: string): Map<string, { start: string; end: string }> {
  const event = findEventBySlug(t.app.db, slug)!;
  const rows = t.app.db.$client.prepare(`
    SELECT json_extract(s.title, '$.fr') AS title, ts.starts_at AS startsAt, ts.ends_at AS endsAt
    FROM sessions s JOIN time_slots ts ON ts.id = s.slot_id WHERE s.event_id = ?`).all(event.id) as { title: string; startsAt: number; endsAt: number }[];
  return new Map(rows.map((r) => [r.title, { start: new Date(r.startsAt).toISOString(), end: new Date(r.endsAt).toISOString() }]));
}

async function feedText(t: TestApp, slug: string, query = ''): Promise<string> {
  const response = await t.app.inject({ url: `/events/${slug}/calendar.ics${query}` });
  expect(response.statusCode).toBe(200);
  return response.body;
}

/** ical.js with only the feed's own VTIMEZONE registered: summary → instants. */
function icalJsInstants(text: string): Map<string, { start: string; end: string }> {
  resetIcalTimezones();
  const { events } = parseWithIcalJs(text);
  return new Map(events.map((e) => [e.summary, { start: e.start.toISOString(), end: e.end.toISOString() }]));
}

describe('a VTIMEZONE true for the event\'s own years', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    // São Paulo kept summer time (-02:00 from the first Sunday of November) until 2019; today's rules have none.
    load(t, programmeFile('sao-paulo-2018', 'America/Sao_Paulo', '2018-11-05', '2018-11-06', [
      { key: 'ete', start: '2018-11-05T09:00', end: '2018-11-05T10:30' },
      { key: 'soir', start: '2018-11-06T18:00', end: '2018-11-06T19:00' },
    ]), 'sao-paulo-2018');
  });
  afterAll(async () => { await t.close(); });
  beforeEach(() => { resetIcalTimezones(); });

  test('through ical.js and only the feed\'s VTIMEZONE, São Paulo in November 2018 gives the tz database\'s instants (-02:00)', async () => {
    const text = await feedText(t, 'sao-paulo-2018');
    const expected = databaseInstants(t, 'sao-paulo-2018');
    expect(expected.get('Séance ete')).toEqual({ start: '2018-11-05T11:00:00.000Z', end: '2018-11-05T12:30:00.000Z' });
    expect(icalJsInstants(text)).toEqual(expected);
    const [zone] = rawComponents(text, 'VTIMEZONE');
    expect(zone).toContain('TZID:America/Sao_Paulo');
    // The change to summer time of 4 November 2018 is there, at 00:00 local (-03:00).
    expect(zone!.join('\n')).toMatch(/BEGIN:DAYLIGHT\nDTSTART:20181104T000000\nTZOFFSETFROM:-0300\nTZOFFSETTO:-0200/);
    expect(zone!.some((line) => line.startsWith('RRULE'))).toBe(false);
  });

  test('the zone\'s current rules (the block the feeds carried before) would have said -03:00: one hour off', () => {
    const [block] = tzlib_get_ical_block('America/Sao_Paulo');
    const feed = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n${block}\r\nEND:VCALENDAR\r\n`;
    const calendar = new ICAL.Component(ICAL.parse(feed));
    ICAL.TimezoneService.register(calendar.getFirstSubcomponent('vtimezone')!);
    const local = ICAL.Time.fromData({ year: 2018, month: 11, day: 5, hour: 9, minute: 0, second: 0, isDate: false }, ICAL.TimezoneService.get('America/Sao_Paulo')!);
    expect(local.toJSDate().toISOString()).toBe('2018-11-05T12:00:00.000Z');
  });

  test('the bundled events keep their instants: Africa/Johannesburg 2019 and Europe/Madrid 2015', async () => {
    for (const slug of [FORUM_2019, 'uclg-learning-agenda-2015']) {
      resetIcalTimezones();
      expect(icalJsInstants(await feedText(t, slug)), slug).toEqual(databaseInstants(t, slug));
    }
  });
});

describe('the repeated autumn hour', () => {
  let t: TestApp;
  const slug = 'paris-automne-2025';
  beforeAll(async () => {
    t = await buildTestApp();
    load(t, programmeFile(slug, 'Europe/Paris', '2025-10-25', '2025-10-26', [
      { key: 'repetee', start: '2025-10-26T02:30', end: '2025-10-26T03:00' },
      { key: 'normale', start: '2025-10-26T10:00', end: '2025-10-26T11:00' },
    ]), slug);
    // The first 02:30 (00:30Z) to 01:00Z, the first instant of the second 02:00: set in the database itself.
    const event = findEventBySlug(t.app.db, slug)!;
    t.app.db.$client.prepare(`UPDATE time_slots SET starts_at = ?, ends_at = ? WHERE id = (
      SELECT slot_id FROM sessions WHERE event_id = ? AND json_extract(title, '$.fr') = 'Séance repetee')`)
      .run(Date.parse('2025-10-26T00:30:00Z'), Date.parse('2025-10-26T01:00:00Z'), event.id);
    release(t.app, slug);
  });
  afterAll(async () => { await t.close(); });

  const expected = {
    'Séance repetee': { start: '2025-10-26T00:30:00.000Z', end: '2025-10-26T01:00:00.000Z' },
    'Séance normale': { start: '2025-10-26T09:00:00.000Z', end: '2025-10-26T10:00:00.000Z' },
  };

  test('is written in UTC, which names one instant; other sessions keep their local times', async () => {
    const text = await feedText(t, slug);
    expect(Object.fromEntries(databaseInstants(t, slug))).toEqual(expected);
    const lines = contentLines(text);
    expect(lines).toContain('DTSTART:20251026T003000Z');
    expect(lines).toContain('DTEND:20251026T010000Z');
    expect(lines).toContain('DTSTART;TZID=Europe/Paris:20251026T100000');
  });

  test('ical.js, node-ical and python3-icalendar read the instants the database holds, start before end', async () => {
    const text = await feedText(t, slug);
    expect(Object.fromEntries(icalJsInstants(text))).toEqual(expected);

    const parsed = nodeIcal.sync.parseICS(text);
    const fromNode = Object.fromEntries(Object.values(parsed).filter((c) => c?.type === 'VEVENT').map((c) => {
      const event = c as nodeIcal.VEvent;
      return [String(event.summary), { start: event.start.toISOString(), end: event.end!.toISOString() }];
    }));
    expect(fromNode).toEqual(expected);

    const script = [
      'import sys, icalendar, datetime',
      'cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())',
      'for e in cal.walk("VEVENT"):',
      '    s, f = e.decoded("DTSTART"), e.decoded("DTEND")',
      '    u = lambda d: d.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")',
      '    print(str(e.get("SUMMARY")) + "|" + u(s) + "|" + u(f))',
    ].join('\n');
    const output = execFileSync(PYTHON, ['-c', script], { input: text, encoding: 'utf8' });
    const fromPython = Object.fromEntries(output.trim().split('\n').map((line) => {
      const [summary, start, end] = line.split('|');
      return [summary!, { start: start!, end: end! }];
    }));
    expect(fromPython).toEqual(expected);
    for (const times of [fromNode, fromPython]) for (const { start, end } of Object.values(times)) expect(start < end).toBe(true);
  });
});

describe('a session\'s abstract and links, and SOURCE', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  test('a release that changes only the abstract and links raises SEQUENCE, shows them in DESCRIPTION, and is listed in the changes', async () => {
    const event = findEventBySlug(t.app.db, FORUM_2019)!;
    const session = t.app.db.$client.prepare(`SELECT public_id AS id, revision FROM sessions WHERE event_id = ? AND slot_id IS NOT NULL AND kind = 'session' ORDER BY id LIMIT 1`)
      .get(event.id) as { id: string; revision: number };
    const before = parseWithIcalJs(await feedText(t, FORUM_2019)).events.find((e) => e.uid.startsWith(session.id))!;
    resetIcalTimezones();
    t.app.db.$client.prepare(`UPDATE sessions SET abstract = ?, links = ? WHERE public_id = ?`).run(
      JSON.stringify({ fr: 'Un résumé tout neuf.' }),
      JSON.stringify([{ title: 'Note de cadrage', url: 'https://example.org/note' }, { title: 'Piège', url: 'javascript:alert(1)' }]),
      session.id,
    );
    release(t.app, FORUM_2019, 'résumé seul');
    const after = parseWithIcalJs(await feedText(t, FORUM_2019)).events.find((e) => e.uid.startsWith(session.id))!;
    expect(after.description).toContain('Un résumé tout neuf.');
    expect(after.description).toContain('- Note de cadrage : https://example.org/note');
    expect(after.description).not.toContain('javascript:');
    expect(after.sequence).toBe(before.sequence + 1);

    const changes = await t.app.inject({ url: `/events/${FORUM_2019}/changes` });
    expect(changes.statusCode).toBe(200);
    const latest = changes.body.slice(changes.body.indexOf('résumé seul'));
    expect(latest).toMatch(/résumé/);
    expect(latest.slice(0, 3000)).toMatch(/liens|links/i);
  });

  test('SOURCE is the feed\'s address with its language, whatever the first caller added', async () => {
    const first = await feedText(t, FORUM_2019, '?utm_source=newsletter&x=%22');
    const second = await feedText(t, FORUM_2019);
    const source = (text: string) => contentLines(text).find((line) => line.startsWith('SOURCE'));
    expect(source(first)).toBe(`SOURCE;VALUE=URI:${t.config.publicUrl}/events/${FORUM_2019}/calendar.ics?lang=fr`);
    expect(source(second)).toBe(source(first));
    expect(source(await feedText(t, FORUM_2019, '?lang=en&junk=1'))).toBe(`SOURCE;VALUE=URI:${t.config.publicUrl}/events/${FORUM_2019}/calendar.ics?lang=en`);
  });
});
