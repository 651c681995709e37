// The congress generator: exact counts for a small run, written through the import and released
// once, the same bytes for the same seed, texts in three languages with gaps, the deliberate
// clashes and only those, options refused with the option named, and one run at the real size.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../../server/db/client.ts';
import { applyMigrations } from '../../../server/db/migrate.ts';
import { LANGUAGES, type LocalizedText } from '../../../server/db/schema.ts';
import { generateCongress, GenerateError, mulberry32, parseGenerateOptions, type GenerateOptions } from '../../../server/domains/interop/generator.ts';
import { generateCongressInto } from '../../../server/domains/interop/generator-service.ts';
import { exportProgrammeJson } from '../../../server/domains/interop/programme-json.ts';
import { findConflicts } from '../../../server/domains/programme/conflicts.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { readProgramme } from '../../../server/domains/releases/reader.ts';
import { listReleases } from '../../../server/domains/releases/repository.ts';
import { makeTempDir } from '../../helpers/app.ts';

const RELEASER = { id: null, name: 'test' };
const NOW = new Date('2027-09-01T10:00:00Z');
const SMALL: GenerateOptions = { slug: 'small-congress', sessions: 120, days: 2, rooms: 4, seed: 1, start: '2027-10-04', timezone: 'Africa/Johannesburg' };

let dir: string;
let databases = 0;
/** A fresh database file with the real migrations. */
function freshDb(): Db {
  databases += 1;
  const db = openDatabase(path.join(dir, `forum-${databases}.db`));
  applyMigrations(db);
  return db;
}
const closing: Db[] = [];
function db(): Db {
  const opened = freshDb();
  closing.push(opened);
  return opened;
}

beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => {
  for (const opened of closing) opened.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('mulberry32', () => {
  test('the same seed gives the same numbers, in [0, 1); another seed others', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(2)()).not.toBe(first[0]);
  });
});

describe('a small congress (120 sessions, 2 days, 4 rooms)', () => {
  let database: Db;
  let report: ReturnType<typeof generateCongressInto>;
  beforeAll(() => {
    database = db();
    report = generateCongressInto(database, SMALL, RELEASER, NOW);
  });

  test('has exactly the rows its size asks for', () => {
    expect(report.facts).toEqual({
      sessions: 120, cancelled: 2, rooms: 4, parts: 4, slots: 42, people: 72, organisations: 18, outputs: 6, slotMinutes: 30,
      conflicts: { people: 3, rooms: 2 },
    });
    const programme = readProgramme(database, { slug: SMALL.slug }, 'working');
    expect({
      sessions: programme.sessions.length,
      cancelled: programme.sessions.filter((s) => s.row.status === 'cancelled').length,
      rooms: programme.rooms.length,
      parts: programme.parts.length,
      slots: programme.slots.length,
      peopleAndOrganisations: programme.people.length + programme.organisations.length,
      outputs: programme.outputs.length,
    }).toEqual({ sessions: 120, cancelled: 2, rooms: 4, parts: 4, slots: 42, peopleAndOrganisations: 90, outputs: 6 });
    expect(programme.event).toMatchObject({ startDate: '2027-10-04', endDate: '2027-10-05', timezone: 'Africa/Johannesburg', defaultLanguage: 'fr' });
  });

  test('is released once, as "1", and the public reader shows that release', () => {
    const event = findEventBySlug(database, SMALL.slug)!;
    expect(listReleases(database, event.id).map((r) => [r.sequence, r.name])).toEqual([[1, '1']]);
    expect(report.release).toEqual({ name: '1', sequence: 1 });
    // A session cancelled before it was ever released is left out of the release: nobody has it to cancel.
    const released = readProgramme(database, { slug: SMALL.slug }, 'released');
    const working = readProgramme(database, { slug: SMALL.slug }, 'working');
    expect(released.sessions.map((s) => s.publicId).sort())
      .toEqual(working.sessions.filter((s) => s.row.status !== 'cancelled').map((s) => s.publicId).sort());
    expect(released.sessions).toHaveLength(118);
  });

  test('the conflict checks find the deliberate clashes, and nothing else', () => {
    const conflicts = findConflicts(readProgramme(database, { slug: SMALL.slug }, 'released'));
    expect(conflicts.map((c) => c.type).sort()).toEqual([
      'contributor-double-booked', 'contributor-double-booked', 'contributor-double-booked', 'room-double-booked', 'room-double-booked',
    ]);
    expect(report.conflicts.map((c) => c.message)).toEqual(conflicts.map((c) => c.message));
    expect(conflicts.every((c) => c.contributor === undefined || c.contributor.kind === 'person')).toBe(true);
  });

  test('has parts for each morning and afternoon, plenaries, lunches, and every kind of contribution', () => {
    const programme = readProgramme(database, { slug: SMALL.slug }, 'working');
    expect(programme.parts.map((p) => p.label.fr)).toEqual(['Jour 1 – matin', 'Jour 1 – après-midi', 'Jour 2 – matin', 'Jour 2 – après-midi']);
    const kinds = new Map<string, number>();
    for (const s of programme.sessions) kinds.set(s.row.kind, (kinds.get(s.row.kind) ?? 0) + 1);
    expect(kinds.get('registration')).toBe(1);
    expect(kinds.get('break')).toBe(2);
    expect(kinds.get('plenary')).toBe(3);
    expect((kinds.get('session') ?? 0) + (kinds.get('workshop') ?? 0) + (kinds.get('panel') ?? 0)).toBe(114);
    const roles = new Set(programme.sessions.flatMap((s) => s.contributors.map((c) => `${c.role}:${c.person ? 'person' : 'organisation'}`)));
    expect([...roles].sort()).toEqual(['moderator:person', 'presenter:organisation', 'presenter:person', 'rapporteur:person', 'speaker:person']);
    expect(programme.sessions.filter((s) => s.outputs.length > 0).length).toBeGreaterThan(40);
    // No more than one session per room at a time, but for the deliberate clashes (two).
    const parallel = new Map<string, number>();
    for (const s of programme.sessions) if (s.slot) parallel.set(s.slot.publicId, (parallel.get(s.slot.publicId) ?? 0) + 1);
    expect(Math.max(...parallel.values())).toBeLessThanOrEqual(4);
  });

  test('texts are in French, English and Spanish, some without English or Spanish, so that they fall back', () => {
    const programme = readProgramme(database, { slug: SMALL.slug }, 'working');
    const titles = programme.sessions.map((s) => s.row.title);
    const missing = (language: 'en' | 'es', texts: (LocalizedText | null)[]) => texts.filter((t) => t !== null && t[language] === undefined).length;
    expect(titles.every((t) => t.fr !== undefined)).toBe(true);
    expect(titles.filter((t) => LANGUAGES.every((l) => t[l] !== undefined)).length).toBeGreaterThan(90);
    expect(missing('en', titles)).toBeGreaterThan(0);
    expect(missing('es', titles)).toBeGreaterThan(0);
    const descriptions = programme.sessions.map((s) => s.row.description);
    expect(missing('es', descriptions)).toBeGreaterThan(0);
    expect(missing('es', programme.outputs.map((o) => o.statement))).toBe(1);
    expect(LANGUAGES.every((l) => programme.event.title[l] !== undefined)).toBe(true);
    // Accents survive the whole way.
    expect(titles.some((t) => /[éèàç]/.test(t.fr!))).toBe(true);
    expect(programme.people.some((p) => /[éíóúñçãş]/.test(p.name))).toBe(true);
  });
});

describe('determinism', () => {
  test('the same options give the same document, and the same export from two databases', () => {
    expect(JSON.stringify(generateCongress(SMALL).document)).toBe(JSON.stringify(generateCongress(SMALL).document));
    const a = db();
    const b = db();
    generateCongressInto(a, SMALL, RELEASER, NOW);
    generateCongressInto(b, SMALL, RELEASER, new Date('2028-01-01T00:00:00Z'));
    const exported = exportProgrammeJson(readProgramme(a, { slug: SMALL.slug }, 'released'));
    expect(exportProgrammeJson(readProgramme(b, { slug: SMALL.slug }, 'released'))).toBe(exported);
  });

  test('another seed gives another congress of the same size', () => {
    const one = generateCongress(SMALL);
    const two = generateCongress({ ...SMALL, seed: 2 });
    expect(two.facts).toEqual(one.facts);
    const titles = (c: typeof one) => c.document.sessions.map((s) => (s.title as LocalizedText).fr);
    expect(titles(two)).not.toEqual(titles(one));
    expect(two.document.people.map((p) => p.name)).not.toEqual(one.document.people.map((p) => p.name));
  });
});

describe('options', () => {
  test('defaults: 2,000 sessions over 5 days in 12 rooms from 2027-10-04 in Africa/Johannesburg, seed 1', () => {
    expect(parseGenerateOptions({ slug: 'big-congress' })).toEqual({
      slug: 'big-congress', sessions: 2000, days: 5, rooms: 12, seed: 1, start: '2027-10-04', timezone: 'Africa/Johannesburg',
    });
    expect(parseGenerateOptions({ slug: 'c', sessions: '10000', days: '14', rooms: '200', seed: '0', start: '2030-02-28', timezone: 'Europe/Paris' }))
      .toEqual({ slug: 'c', sessions: 10000, days: 14, rooms: 200, seed: 0, start: '2030-02-28', timezone: 'Europe/Paris' });
  });

  test.each([
    [{}, 'generate needs --slug, the address of the new event (e.g. --slug big-congress)'],
    [{ slug: 'Big Congress' }, '--slug must be lower-case letters and digits, words joined by dashes, at most 60 characters, not "Big Congress"'],
    [{ slug: 'c', sessions: '0' }, '--sessions must be a whole number from 1 to 10000, not "0"'],
    [{ slug: 'c', sessions: '10001' }, '--sessions must be a whole number from 1 to 10000, not "10001"'],
    [{ slug: 'c', sessions: '2e3' }, '--sessions must be a whole number from 1 to 10000, not "2e3"'],
    [{ slug: 'c', days: '15' }, '--days must be a whole number from 1 to 14, not "15"'],
    [{ slug: 'c', rooms: '0' }, '--rooms must be a whole number from 1 to 200, not "0"'],
    [{ slug: 'c', seed: '-1' }, '--seed must be a whole number from 0 to 4294967295, not "-1"'],
    [{ slug: 'c', seed: '4294967296' }, '--seed must be a whole number from 0 to 4294967295, not "4294967296"'],
    [{ slug: 'c', start: '2027-02-29' }, '--start must be a date as YYYY-MM-DD, not "2027-02-29"'],
    [{ slug: 'c', start: '4 Oct 2027' }, '--start must be a date as YYYY-MM-DD, not "4 Oct 2027"'],
    [{ slug: 'c', start: '9999-12-30', days: '3' }, 'a congress of 3 days from 9999-12-30 would not lie between 1970-01-01 and 2200-12-31: choose another --start'],
    [{ slug: 'c', start: '2200-12-30', days: '3' }, 'a congress of 3 days from 2200-12-30 would not lie between 1970-01-01 and 2200-12-31: choose another --start'],
    [{ slug: 'c', start: '1969-12-31', days: '1' }, 'a congress of 1 day from 1969-12-31 would not lie between 1970-01-01 and 2200-12-31: choose another --start'],
    [{ slug: 'c', timezone: 'Africa/Gotham' }, '--timezone must be an IANA time zone such as Africa/Johannesburg, not "Africa/Gotham"'],
  ])('refuses %j', (raw, message) => {
    expect(() => parseGenerateOptions(raw)).toThrow(new GenerateError(message));
  });

  test('refuses more sessions than the days and rooms hold, and a day the time zone skips', () => {
    expect(() => generateCongress({ ...SMALL, sessions: 10000, days: 1, rooms: 1 }))
      .toThrow(new GenerateError('10000 sessions do not fit in 1 day(s) with 1 room(s): at most 58 (10-minute slots); give more --days or --rooms'));
    // Samoa skipped 30 December 2011.
    expect(() => generateCongress({ ...SMALL, start: '2011-12-29', timezone: 'Pacific/Apia' }))
      .toThrow(new GenerateError('--start 2011-12-29 in Pacific/Apia: "2011-12-30T08:30" does not exist in Pacific/Apia (clock change)'));
  });

  test('an address already taken is refused and nothing is written', () => {
    const database = db();
    generateCongressInto(database, SMALL, RELEASER, NOW);
    const count = () => database.$client.prepare('select (select count(*) from events) + (select count(*) from sessions) + (select count(*) from releases) as n').get();
    const before = count();
    expect(() => generateCongressInto(database, { ...SMALL, seed: 7 }, RELEASER, NOW))
      .toThrow(new GenerateError('an event already has the address "small-congress": generate only creates new events; choose another --slug'));
    expect(count()).toEqual(before);
  });

  test('the smallest congress: one session, one room, one day', () => {
    const { facts, document } = generateCongress({ ...SMALL, sessions: 1, days: 1, rooms: 1 });
    expect(facts).toMatchObject({ sessions: 1, cancelled: 0, rooms: 1, parts: 2, slots: 1, people: 4, organisations: 2, conflicts: { people: 0, rooms: 0 } });
    expect(document.sessions[0]!.kind).not.toBe('break');
  });
});

test('the real size: 2,000 sessions over 5 days in 12 rooms', { timeout: 120_000 }, () => {
  const database = db();
  const report = generateCongressInto(database, parseGenerateOptions({ slug: 'big-congress' }), RELEASER, NOW);
  expect(report.facts).toEqual({
    sessions: 2000, cancelled: 40, rooms: 12, parts: 10, slots: 192, people: 1200, organisations: 300, outputs: 6, slotMinutes: 15,
    conflicts: { people: 3, rooms: 2 },
  });
  expect(readProgramme(database, { slug: 'big-congress' }, 'working').sessions).toHaveLength(2000);
  // The release leaves out the 40 sessions cancelled before they were ever released.
  expect(readProgramme(database, { slug: 'big-congress' }, 'released').sessions).toHaveLength(1960);
  expect(report.conflicts).toHaveLength(5);
});
