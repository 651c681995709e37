import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../../server/db/client.ts';
import { applyMigrations } from '../../../server/db/migrate.ts';
import {
  events, expectedOutputs, organisations, parts, people, rooms, sessionContributors, sessionOutputs, sessions, timeSlots,
} from '../../../server/db/schema.ts';
import { parseFrabSchedule, type FrabImportOptions } from '../../../server/domains/interop/frab-import/index.ts';
import { ImportError, writeProgramme } from '../../../server/domains/programme/sync.ts';
import { makeTempDir } from '../../helpers/app.ts';
import { describeInterop, interopFile } from '../../helpers/interop.ts';

const dirs: string[] = [];
const databases: Db[] = [];
afterAll(() => {
  for (const db of databases) db.$client.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh database with the real migrations. */
function freshDatabase(): Db {
  const dir = makeTempDir();
  dirs.push(dir);
  const db = openDatabase(path.join(dir, 'forum.db'));
  databases.push(db);
  applyMigrations(db);
  return db;
}

const TABLES = { events, rooms, parts, timeSlots, sessions, people, organisations, expectedOutputs, sessionContributors, sessionOutputs };

function rowCounts(db: Db): Record<string, number> {
  return Object.fromEntries(Object.entries(TABLES).map(([name, table]) => [name, db.select({ n: sql<number>`count(*)` }).from(table).get()!.n]));
}

function publicIds(db: Db): Record<string, string[]> {
  const of = (table: typeof events | typeof rooms | typeof parts | typeof timeSlots | typeof sessions | typeof people) =>
    db.select({ id: table.publicId }).from(table).all().map((r) => r.id).sort();
  return { events: of(events), rooms: of(rooms), parts: of(parts), timeSlots: of(timeSlots), sessions: of(sessions), people: of(people) };
}

/** What the file holds, counted here without the importer: distinct events, rooms holding events, persons. */
function countInFile(xml: string): { sessions: number; rooms: number; people: number } {
  const $ = cheerio.load(xml, { xml: true });
  const eventKeys = new Set($('schedule > day > room > event').map((_, e) => $(e).attr('guid')?.toLowerCase() ?? `id:${$(e).attr('id')}`).get());
  const roomKeys = new Set($('schedule > day > room').filter((_, r) => $(r).children('event').length > 0)
    .map((_, r) => $(r).attr('guid')?.toLowerCase() ?? `name:${$(r).attr('name')}`).get());
  const personKeys = new Set($('schedule > day > room > event > persons > person')
    .map((_, p) => $(p).attr('guid')?.toLowerCase() ?? ($(p).attr('id') !== undefined ? `id:${$(p).attr('id')}` : `name:${$(p).text().trim()}`)).get());
  return { sessions: eventKeys.size, rooms: roomKeys.size, people: personKeys.size };
}

/** A session's start as a local date and time in the event's zone, read back from the database. */
function localStartOf(db: Db, title: string, zone: string): string[] {
  return db.select({ title: sessions.title, startsAt: timeSlots.startsAt }).from(sessions)
    .innerJoin(timeSlots, eq(sessions.slotId, timeSlots.id)).all()
    .filter((s) => s.title.en === title)
    .map((s) => DateTime.fromJSDate(s.startsAt, { zone }).toFormat("yyyy-MM-dd'T'HH:mm"));
}

interface RealFile {
  name: string;
  options: FrabImportOptions;
  counts: { sessions: number; rooms: number; people: number };
  /** One session, where its local start is read from the file: <date> (and its <start>), or the day's date and <start>. */
  session: { title: string; fileStart: (xml: string) => string; localStart: string };
  notes: string[];
}

/** The event titled `title`: its <date>, <start>, and the date of its <day>. */
function eventInFile(xml: string, title: string): { date: string; start: string; dayDate: string } {
  const $ = cheerio.load(xml, { xml: true });
  const event = $('schedule > day > room > event').filter((_, e) => $(e).children('title').text().trim() === title);
  expect(event.length).toBe(1);
  return { date: event.children('date').text().trim(), start: event.children('start').text().trim(), dayDate: event.parents('day').attr('date')! };
}

const REAL_FILES: RealFile[] = [
  {
    name: 'democon-pretalx',
    options: {},
    counts: { sessions: 35, rooms: 2, people: 31 },
    // Listed under day 1 (which starts at 04:00), at 01:50: the <date> says which night it is.
    session: {
      title: 'Persevering cohesive concept',
      fileStart: (xml) => { const e = eventInFile(xml, 'Persevering cohesive concept'); return `${e.date.slice(0, 10)}T${e.start}`; },
      localStart: '2022-09-06T01:50',
    },
    notes: [
      "Texts are stored as en, the most common of fr, en, es among the sessions' languages (35 sessions); --language chooses another.",
      'Types mapped to kinds: Workshop → workshop (9), Talk → session (26).',
      'Ignored: conference/base_url (1), recording (35).',
    ],
  },
  {
    name: 'debconf23',
    options: {},
    counts: { sessions: 117, rooms: 5, people: 87 },
    // <date> is in UTC (05:00Z), <start> in local time (10:30 in Asia/Kolkata).
    session: {
      title: 'Opening Ceremony',
      fileStart: (xml) => {
        const e = eventInFile(xml, 'Opening Ceremony');
        expect(e.date).toBe('2023-09-10T05:00:00+00:00');
        return `${DateTime.fromISO(e.date, { zone: 'Asia/Kolkata' }).toISODate()}T${e.start}`;
      },
      localStart: '2023-09-10T10:30',
    },
    notes: [
      'No session is in fr, en, es; texts are stored as en (--language chooses another).',
      '117 events give their <date> in UTC; read as the instant it names, shown in Asia/Kolkata.',
      'Types mapped to kinds: Long talk (45 minutes) → session (30), Short talk (20 minutes) → session (26), BoF (45 minutes) → session (25), (no type) → session (32), Workshop (2h) → workshop (3), Other → session (1).',
      'Ignored: conference/base_url (1), recording (117).',
    ],
  },
  {
    name: '39c3',
    options: {},
    counts: { sessions: 215, rooms: 14, people: 263 },
    session: {
      title: 'Closing Ceremony',
      fileStart: (xml) => { const e = eventInFile(xml, 'Closing Ceremony'); return `${e.date.slice(0, 10)}T${e.start}`; },
      localStart: '2025-12-30T16:00',
    },
    notes: [
      "Texts are stored as en, the most common of fr, en, es among the sessions' languages (129 sessions); --language chooses another.",
      '1 name is shared by different persons; kept apart: Leonard.',
      'Types mapped to kinds: Talk → session (154), Ceremony → plenary (2), other → session (37), Live-Podcast Bühne (45 Minuten) → session (8), Live-Podcast Bühne (90 Minuten) → session (7), Theater / Performance → session (1), Game show → session (3), Workshop Bühne (45 Minuten) → workshop (1), Podcast-Tisch (90 Minuten) → session (1), Podcast-Tisch (45 Minuten) → session (1).',
      'Ignored: conference/url (1), conference/base_url (1), code (160), origin_url (178), feedback_url (178), logo (80), recording (6), attachments (1).',
    ],
  },
  {
    name: 'fosdem-2021',
    options: { timezone: 'Europe/Brussels' },
    counts: { sessions: 773, rooms: 106, people: 684 },
    // No <date>: the second day's date and the local <start>.
    session: {
      title: 'Closing FOSDEM 2021',
      fileStart: (xml) => { const e = eventInFile(xml, 'Closing FOSDEM 2021'); expect(e.date).toBe(''); return `${e.dayDate}T${e.start}`; },
      localStart: '2021-02-07T18:00',
    },
    notes: [
      'The file names no time zone; Europe/Brussels (given with --timezone) was used.',
      'No session is in fr, en, es; texts are stored as en (--language chooses another).',
      '773 events have no guid; ids derived from the conference and the event id.',
      '2 rooms have no session and were not imported: D.graph, S.radio.',
      'Types mapped to kinds: maintrack → session (22), lightningtalk → session (21), bof → session (1), devroom → session (616), standtrack → session (111), infodesk → session (2).',
      '1000 texts were HTML and were converted to plain text (paragraphs, line breaks and list items kept).',
      '14 links were left out: not an http(s) address.',
      'Ignored: attachments (337).',
    ],
  },
];

describeInterop('frab schedule.xml import of real files', () => {
  for (const file of REAL_FILES) {
    describe(file.name, () => {
      const xml = fs.readFileSync(interopFile(`${file.name}.schedule.xml`), 'utf8');

      test('writes as many sessions, rooms and people as the file holds, and the expected numbers', () => {
        const db = freshDatabase();
        const { programme } = parseFrabSchedule(xml, file.options);
        const started = performance.now();
        const summary = writeProgramme(db, programme);
        if (file.name === 'fosdem-2021') console.info(`writing ${file.name} took ${Math.round(performance.now() - started)} ms`);
        const counts = rowCounts(db);
        const written = { sessions: counts.sessions, rooms: counts.rooms, people: counts.people };
        expect(written).toEqual(countInFile(xml));
        expect(written).toEqual(file.counts);
        expect(summary.counts).toMatchObject(file.counts);
      });

      test('a chosen session starts at the local time the file gives, in the event\'s zone', () => {
        const db = freshDatabase();
        const { programme } = parseFrabSchedule(xml, file.options);
        writeProgramme(db, programme);
        const zone = programme.event.timezone;
        expect(file.session.fileStart(xml)).toBe(file.session.localStart);
        expect(localStartOf(db, file.session.title, zone)).toEqual([file.session.localStart]);
      });

      test('importing the same file again keeps every public id and row count, and changes no row', () => {
        const db = freshDatabase();
        writeProgramme(db, parseFrabSchedule(xml, file.options).programme);
        const idsBefore = publicIds(db);
        const countsBefore = rowCounts(db);
        const sessionsBefore = db.select().from(sessions).all();
        const eventBefore = db.select().from(events).get();
        const again = writeProgramme(db, parseFrabSchedule(xml, file.options).programme, new Date(Date.now() + 60_000));
        expect(again.created).toBe(false);
        expect(publicIds(db)).toEqual(idsBefore);
        expect(rowCounts(db)).toEqual(countsBefore);
        // Nothing changed, so nothing moved: no revision (calendar SEQUENCE), version or update time.
        expect(db.select().from(sessions).all()).toEqual(sessionsBefore);
        expect(db.select().from(events).get()).toEqual(eventBefore);
      });

      test('notes say what was assumed and what was ignored', () => {
        expect(parseFrabSchedule(xml, file.options).notes).toEqual(file.notes);
      });
    });
  }

  test('fosdem-2021 names no time zone: refused, asking for --timezone', () => {
    const xml = fs.readFileSync(interopFile('fosdem-2021.schedule.xml'), 'utf8');
    const refusal = catchImportError(() => parseFrabSchedule(xml));
    expect(refusal.message).toBe('the file names no time zone (conference/time_zone_name); give one with --timezone, e.g. --timezone Europe/Brussels');
  });

  test('39c3: the two persons named Leonard stay two people', () => {
    const { programme } = parseFrabSchedule(fs.readFileSync(interopFile('39c3.schedule.xml'), 'utf8'));
    expect(programme.people.filter((p) => p.name === 'Leonard').map((p) => p.publicId).sort())
      .toEqual(['49c8949a-916a-5c12-8630-785e2f625512', '9127492e-4a90-59e9-9297-b96c3cbfc3a8']);
  });

  test('39c3: the event page comes first among the links, then <link> with a <title> child', () => {
    const { programme } = parseFrabSchedule(fs.readFileSync(interopFile('39c3.schedule.xml'), 'utf8'));
    const session = programme.sessions.find((s) => s.publicId === 'a2dd3dc7-ecae-50b3-82d9-266ad02f7a40')!;
    expect(session.links).toEqual([
      { url: 'https://events.ccc.de/congress/2025/hub/event/detail/all-my-deutschlandtickets-gone-fraud-at-an-industrial-scale', title: '39th Chaos Communications Congress' },
      { url: 'https://zügli.app', title: 'Zügli' },
    ]);
    expect(session.language).toBe('en');
    expect(session.kind).toBe('session');
  });

  test('fosdem-2021: escaped HTML becomes plain text; the track is the part; link texts are their titles', () => {
    const { programme } = parseFrabSchedule(fs.readFileSync(interopFile('fosdem-2021.schedule.xml'), 'utf8'), { timezone: 'Europe/Brussels' });
    const session = programme.sessions.find((s) => s.title.en === 'Welcome to FOSDEM 2021')!;
    expect(session.abstract).toEqual({ en: 'FOSDEM welcome and opening talk.' });
    expect(session.description).toEqual({ en: 'Welcome to FOSDEM 2021!' });
    expect(session.language).toBeNull();
    expect(session.subtitle).toBeNull();
    expect(programme.parts.find((p) => p.publicId === session.part)?.label).toEqual({ en: 'FOSDEM' });
    expect(session.links).toEqual([
      { url: 'https://video.fosdem.org/2021/K.fosdem/keynotes_welcome.webm', title: 'Video recording (WebM/VP9)' },
      { url: 'https://video.fosdem.org/2021/K.fosdem/keynotes_welcome.mp4', title: 'Video recording (mp4)' },
      { url: 'https://submission.fosdem.org/feedback/11795.php', title: 'Submit feedback' },
    ]);
  });
});

function catchImportError(run: () => unknown): ImportError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return error as ImportError;
  }
  throw new Error('expected an ImportError, and nothing was thrown');
}

const CONFERENCE = '<title>Mini</title><acronym>mini</acronym><time_zone_name>Europe/Brussels</time_zone_name>';
/** A small schedule on 31 March 2024, when Brussels skips from 02:00 to 03:00. */
function schedule(events: string, conference = CONFERENCE, declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'): string {
  return `${declaration}<schedule><conference>${conference}</conference><day index="1" date="2024-03-31"><room name="A">${events}</room></day></schedule>`;
}
const event = (fields: string, attributes = 'id="1"', title = 'Zero') => `<event ${attributes}><title>${title}</title>${fields}</event>`;

describe('frab schedule.xml files that are refused', () => {
  test('a DOCTYPE with an external entity is refused before anything is read, and no file content leaks', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const secret = path.join(dir, 'secret.txt');
    fs.writeFileSync(secret, 'the-secret-that-must-not-leak');
    const passwd = fs.existsSync('/etc/passwd') ? fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0]! : 'root:x:0:0';
    for (const target of ['file:///etc/passwd', `file://${secret}`]) {
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE schedule [<!ENTITY xxe SYSTEM "${target}">]>\n<schedule><conference><title>&xxe;</title>`
        + '<time_zone_name>Europe/Brussels</time_zone_name></conference><day date="2024-03-31"><room name="A"><event id="1"><title>&xxe;</title>'
        + '<start>10:00</start><duration>00:30</duration></event></room></day></schedule>';
      const refusal = catchImportError(() => parseFrabSchedule(xml));
      expect(refusal.message).toBe('the file has a DOCTYPE (line 2); DOCTYPEs and entities are refused');
      expect(JSON.stringify(refusal)).not.toContain(passwd);
      expect(JSON.stringify(refusal)).not.toContain('the-secret-that-must-not-leak');
    }
  });

  test('an entity that is not declared is refused, naming it', () => {
    const refusal = catchImportError(() => parseFrabSchedule(schedule(event('<start>10:00</start><duration>00:30</duration>'), `${CONFERENCE}<venue>&lol;</venue>`)));
    expect(refusal.message).toBe('the file uses the undefined entity &lol; (line 2, column 124); entities are never resolved: write the character itself');
  });

  test('malformed XML is refused with its line and column', () => {
    const refusal = catchImportError(() => parseFrabSchedule('<schedule>\n  <conference>\n</schedule>'));
    expect(refusal.message).toBe('the file is not well-formed XML: unexpected close tag (line 3, column 11)');
  });

  test.each([
    ['a duration of zero', event('<start>10:00</start><duration>00:00</duration>'), 'session "Zero" (event 1) has a duration of 00:00; a session must last longer than that'],
    ['a negative duration', event('<start>10:00</start><duration>-00:30</duration>'), 'session "Zero" (event 1) has a duration of -00:30; a session must last longer than that'],
    ['a malformed duration', event('<start>10:00</start><duration>half an hour</duration>'), 'session "Zero" (event 1) has the duration "half an hour", which is not a duration (HH:MM)'],
    ['a malformed start', event('<start>25:00</start><duration>00:30</duration>'), 'session "Zero" (event 1) has the start "25:00", which is not a time of day (HH:MM)'],
    ['a malformed date', event('<date>tomorrow</date><start>10:00</start><duration>00:30</duration>'), 'session "Zero" (event 1) has the date "tomorrow", which is not a date and time'],
    ['an end before the start', event('<date>2024-03-31T10:00:00+02:00</date><start>10:00</start><duration>00:30</duration><end>2024-03-31T09:00:00+02:00</end>'), 'session "Zero" (event 1) ends before it starts'],
    ['a start the clock skips', event('<start>02:30</start><duration>00:30</duration>'), 'session "Zero" (event 1) starts at 2024-03-31 02:30, which does not exist in Europe/Brussels (the clocks change then)'],
    ['an empty title', event('<start>10:00</start><duration>00:30</duration>', 'id="7"', ' '), 'event 7 has no title'],
    ['two events with one guid', event('<start>10:00</start><duration>00:30</duration>', 'id="1" guid="455d075f-48c0-2ec2-24b3-f5add30c383a"')
      + event('<start>11:00</start><duration>00:30</duration>', 'id="2" guid="455D075F-48C0-2EC2-24B3-F5ADD30C383A"'), 'events 1 and 2 have the same guid 455d075f-48c0-2ec2-24b3-f5add30c383a; each event needs its own'],
    ['no events', '', 'the file has no events (schedule/day/room/event): there is nothing to import'],
  ])('%s', (_what, events, message) => {
    expect(catchImportError(() => parseFrabSchedule(schedule(events))).message).toBe(message);
  });

  test('an encoding other than UTF-8, another root, no conference, and unknown time zones or addresses are refused', () => {
    const ok = event('<start>10:00</start><duration>00:30</duration>');
    const refused = (xml: string, options?: FrabImportOptions) => catchImportError(() => parseFrabSchedule(xml, options)).message;
    expect(refused(schedule(ok, CONFERENCE, '<?xml version="1.0" encoding="ISO-8859-1"?>'))).toBe('the file declares the encoding "ISO-8859-1"; only UTF-8 is accepted: save it as UTF-8 and import it again');
    expect(refused('<programme/>')).toBe('the root element is <programme>, not <schedule>: this is not a frab schedule.xml file');
    expect(refused('<schedule><day/></schedule>')).toBe('the file has no <conference> element: this is not a frab schedule.xml file');
    expect(refused(schedule(ok, '<title>Mini</title><time_zone_name>Mars/Olympus</time_zone_name>')))
      .toBe('the file\'s time zone "Mars/Olympus" (conference/time_zone_name) is not a known IANA time zone; give one with --timezone, e.g. --timezone Europe/Brussels');
    expect(refused(schedule(ok), { timezone: 'Nowhere' })).toBe('the time zone "Nowhere" is not a known IANA time zone (e.g. Europe/Brussels)');
    expect(refused(schedule(ok), { slug: 'Bad Slug' })).toBe('the address "Bad Slug" is not valid: use lower-case letters, digits and single hyphens, at most 60 characters');
  });
});

describe('frab schedule.xml: what is read from a small file', () => {
  test('without <date>, a start before the day change is on the next date; durations take HH:MM:SS', () => {
    // 01:30 on 1 April in Brussels (UTC+2) for 1 h 30 min.
    const xml = schedule(event('<start>01:30</start><duration>1:30:00</duration>'), `${CONFERENCE}<day_change>04:00</day_change>`);
    const { programme, notes } = parseFrabSchedule(xml);
    expect(programme.slots.map((s) => [s.startsAt.toISOString(), s.endsAt.toISOString()])).toEqual([['2024-03-31T23:30:00.000Z', '2024-04-01T01:00:00.000Z']]);
    expect(notes).toContain('1 event starts after midnight of its day and was placed on the next date.');
  });

  test('--timezone overrides the file and says so; --slug and --language are used as given', () => {
    const { programme, notes } = parseFrabSchedule(schedule(event('<start>10:00</start><duration>00:30</duration><language>de</language>')), {
      timezone: 'Europe/Paris', slug: 'my-forum', language: 'fr',
    });
    expect(programme.event).toMatchObject({ slug: 'my-forum', timezone: 'Europe/Paris', defaultLanguage: 'fr', languages: ['fr'], title: { fr: 'Mini' } });
    expect(programme.sessions[0]).toMatchObject({ title: { fr: 'Zero' }, language: 'de' });
    expect(notes[0]).toBe('The time zone Europe/Paris given with --timezone replaces the file\'s Europe/Brussels.');
  });

  test('an HTML text becomes plain text: paragraphs, list items and <pre> kept, scripts dropped, entities decoded', () => {
    const html = '<p>Caf&eacute; &amp; <b>bold</b> &lt;tag&gt;<script>alert(1)</script><!-- note --></p><p>Read <a href="https://a.org">the site</a></p>'
      + '<ul><li><p>one</p></li><li>two</li></ul><pre class="x"><code>  code\n    more</code></pre>';
    const escaped = html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const { programme, notes } = parseFrabSchedule(schedule(event(`<start>10:00</start><duration>00:30</duration><abstract>${escaped}</abstract>`)));
    expect(programme.sessions[0]!.abstract).toEqual({ en: 'Café & bold <tag>\n\nRead the site (https://a.org)\n\n- one\n- two\n\n  code\n    more' });
    expect(notes).toContain('1 text was HTML and was converted to plain text (paragraphs, line breaks and list items kept).');
  });

  test('a plain text loses the indentation its generator added, keeps deeper indentation, and at most one blank line', () => {
    const text = 'First line\n        second line\n          - nested\n\n\n\n        last line\n      ';
    const { programme } = parseFrabSchedule(schedule(event(`<start>10:00</start><duration>00:30</duration><description>${text}</description>`)));
    expect(programme.sessions[0]!.description).toEqual({ en: 'First line\nsecond line\n  - nested\n\nlast line' });
  });

  test('types map to kinds; a person listed twice in a session is one contributor', () => {
    const persons = '<persons><person id="4">Ada</person><person id="4">Ada</person></persons>';
    const xml = schedule([
      event(`<start>09:00</start><duration>00:30</duration><type>Hands-on workshop</type>${persons}`, 'id="1"', 'A'),
      event('<start>10:00</start><duration>00:30</duration><type>Keynote</type>', 'id="2"', 'B'),
      event('<start>11:00</start><duration>00:30</duration><type>Coffee break</type>', 'id="3"', 'C'),
      event('<start>12:00</start><duration>00:30</duration><type>Panel</type>', 'id="4"', 'D'),
      event('<start>13:00</start><duration>00:30</duration><type>Breakout session</type>', 'id="5"', 'E'),
    ].join(''));
    const { programme } = parseFrabSchedule(xml);
    expect(programme.sessions.map((s) => s.kind)).toEqual(['workshop', 'plenary', 'break', 'panel', 'session']);
    expect(programme.sessions[0]!.contributors).toHaveLength(1);
    expect(programme.people.map((p) => p.name)).toEqual(['Ada']);
  });
});
