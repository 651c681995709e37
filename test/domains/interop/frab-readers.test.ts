// The readers parseFrabSchedule is made of, each on a small hand-written file: what each one
// reads, what it counts for the notes, and what it refuses. frab-import.test.ts reads whole
// real files through all of them.
import { v5 as uuidv5 } from 'uuid';
import { describe, expect, test } from 'vitest';
import { ImportError } from '../../../server/domains/programme/sync.ts';
import {
  chooseLanguage, ignoredAtTop, languageTags, localizeIn, programmeEvent, readConference, slugify, type FrabImportOptions,
} from '../../../server/domains/interop/frab-import/conference.ts';
import { readDays } from '../../../server/domains/interop/frab-import/days.ts';
import { idsOf } from '../../../server/domains/interop/frab-import/ids.ts';
import { PersonReader } from '../../../server/domains/interop/frab-import/persons.ts';
import { httpUrl, kindOf, readParts, SessionReader } from '../../../server/domains/interop/frab-import/sessions.ts';
import { htmlToText, isHtml, tidyText } from '../../../server/domains/interop/frab-import/text.ts';
import { clockOf, dayTimes, durationOf, TimeReader, type DayTimes } from '../../../server/domains/interop/frab-import/times.ts';
import { line, parseXml, type XmlElement } from '../../../server/domains/interop/frab-import/xml.ts';

/** Written here again, not imported: derived ids must never change, or a new import would duplicate every row. */
const FRAB_NAMESPACE = '03eb4519-5cf8-4ef6-a9a9-eb4b2af30629';
const derived = (path: string) => uuidv5(`frab/${path}`, FRAB_NAMESPACE);
const idOf = idsOf('mini');

/** The first element of `<schedule>…</schedule>`. */
const first = (xml: string): XmlElement => parseXml(`<schedule>${xml}</schedule>`).children[0]!;
const event = (fields: string, title = 'Zero') => first(`<event id="1"><title>${title}</title>${fields}</event>`);
const named = (title: string) => ({ where: `session "${title}" (event 1)`, title });
const iso = (times: { startsAt: Date; endsAt: Date }) => [times.startsAt.toISOString(), times.endsAt.toISOString()];

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return (error as Error).message;
  }
  throw new Error('expected an ImportError, and nothing was thrown');
}

describe('xml: the element tree', () => {
  test('elements keep their attributes, their own text and CDATA; line() gives one trimmed line', () => {
    const root = parseXml('<schedule><a x="1"> t <![CDATA[<b>]]><c>\n  two\n  lines </c></a></schedule>');
    expect(root).toEqual({
      name: 'schedule', attributes: {}, text: '',
      children: [{ name: 'a', attributes: { x: '1' }, text: ' t <b>', children: [{ name: 'c', attributes: {}, children: [], text: '\n  two\n  lines ' }] }],
    });
    expect(line(root.children[0]!, 'c')).toBe('two lines');
    expect(line(root.children[0]!, 'missing')).toBe('');
  });

  test('another root is refused', () => {
    expect(refusal(() => parseXml('<schedules/>'))).toBe('the root element is <schedules>, not <schedule>: this is not a frab schedule.xml file');
  });
});

describe('text: plain texts and HTML', () => {
  test('the indentation the generator added goes, deeper indentation stays', () => {
    expect(tidyText('  First\n      second\n        - nested   \n\n\n\n      last\n    ')).toBe('First\nsecond\n  - nested\n\nlast');
  });

  test('HTML keeps paragraphs and list items, and the address of a link whose text does not show it', () => {
    const html = '<p>See <a href="https://a.org">the site</a> and <a href="https://b.org">https://b.org</a></p><ul><li>one</li><li>two</li></ul>';
    expect(isHtml(html)).toBe(true);
    expect(htmlToText(html)).toBe('See the site (https://a.org) and https://b.org\n\n- one\n- two');
    expect(isHtml('a < b and c > d')).toBe(false);
  });
});

describe('times: when events take place', () => {
  const brussels = (dayChange: string | null = null) => new TimeReader('Europe/Brussels', dayChange);
  const may2 = (start: string | null = null): DayTimes => ({ date: '2024-05-02', start: start === null ? null : new Date(start) });

  test('clocks and durations', () => {
    expect(['9:05', '10:00:00', '10:00:30', '24:00', '10:60', 'ten'].map(clockOf)).toEqual(['09:05', '10:00', '10:00:30', null, null, null]);
    expect(['01:30', '1:30:00', '1:00:30:00', '-00:30', '00:75', 'half'].map(durationOf)).toEqual([5_400_000, 5_400_000, 88_200_000, -1_800_000, null, null]);
  });

  test('a day runs past midnight: a start before the day\'s start is on the next date, unless the event gives its date', () => {
    const day = dayTimes(first('<day date="2024-05-02" start="2024-05-02T08:00:00+02:00"/>'));
    expect(day).toEqual({ date: '2024-05-02', start: new Date('2024-05-02T06:00:00Z') });
    const reader = brussels();
    // 01:30 in Brussels (UTC+2) on 3 May, then 09:00 and 01:30 on 2 May.
    expect(iso(reader.read(event('<start>01:30</start><duration>01:00</duration>'), day, named('Zero')))).toEqual(['2024-05-02T23:30:00.000Z', '2024-05-03T00:30:00.000Z']);
    expect(iso(reader.read(event('<start>09:00</start><duration>00:30</duration>'), day, named('Zero')))).toEqual(['2024-05-02T07:00:00.000Z', '2024-05-02T07:30:00.000Z']);
    expect(iso(reader.read(event('<date>2024-05-02</date><start>01:30</start><duration>00:30</duration>'), day, named('Zero')))).toEqual(['2024-05-01T23:30:00.000Z', '2024-05-02T00:00:00.000Z']);
    expect(reader.notes()).toEqual(['1 event starts after midnight of its day and was placed on the next date.']);
  });

  test('without a day start, the conference\'s day change says where the day begins', () => {
    const reader = brussels('04:00');
    expect(iso(reader.read(event('<start>03:59</start><duration>00:30</duration>'), may2(), named('Zero')))[0]).toBe('2024-05-03T01:59:00.000Z');
    expect(iso(reader.read(event('<start>04:00</start><duration>00:30</duration>'), may2(), named('Zero')))[0]).toBe('2024-05-02T02:00:00.000Z');
    expect(reader.notes()).toEqual(['1 event starts after midnight of its day and was placed on the next date.']);
  });

  test('a <date> with an offset is the instant it names; a local <start> beside it is only compared', () => {
    const reader = new TimeReader('Asia/Kolkata', null);
    // As debconf writes them: the date in UTC, under the day before, and the start on the local clock (UTC+5:30).
    const day: DayTimes = { date: '2023-09-09', start: null };
    const opening = reader.read(event('<date>2023-09-10T05:00:00+00:00</date><start>10:30</start><duration>00:45</duration>', 'Opening'), day, named('Opening'));
    expect(iso(opening)).toEqual(['2023-09-10T05:00:00.000Z', '2023-09-10T05:45:00.000Z']);
    expect(reader.notes()).toEqual(['1 event gives its <date> in UTC; read as the instant it names, shown in Asia/Kolkata.']);

    const late = reader.read(event('<date>2023-09-10T05:00:00Z</date><start>11:00</start><duration>00:45</duration>', 'Late'), day, named('Late'));
    expect(iso(late)[0]).toBe('2023-09-10T05:00:00.000Z');
    reader.read(event('<date>2023-09-10T07:00:00+02:00</date><start>10:30</start><duration>00:45</duration>'), day, named('Zero'));
    expect(reader.notes()).toEqual([
      '3 events give their <date> with an offset other than Asia/Kolkata\'s (UTC, +02:00); read as the instant it names, shown in Asia/Kolkata.',
      '1 event has a <date> whose time in Asia/Kolkata is not its <start>; the <date> was kept (first: "Late": date 2023-09-10T05:00:00Z is 10:30 in Asia/Kolkata, start 11:00).',
    ]);
  });

  test('a time the clock skips is refused, also when it is reached by moving past midnight', () => {
    // Brussels goes from 02:00 to 03:00 on 31 March 2024.
    const march31: DayTimes = { date: '2024-03-31', start: null };
    const skipped = 'session "Zero" (event 1) starts at 2024-03-31 02:30, which does not exist in Europe/Brussels (the clocks change then)';
    expect(refusal(() => brussels().read(event('<start>02:30</start><duration>00:30</duration>'), march31, named('Zero')))).toBe(skipped);
    expect(refusal(() => brussels().read(event('<date>2024-03-31T02:30</date><duration>00:30</duration>'), march31, named('Zero')))).toBe(skipped);
    const march30: DayTimes = { date: '2024-03-30', start: new Date('2024-03-30T07:00:00Z') };
    expect(refusal(() => brussels().read(event('<start>02:30</start><duration>00:30</duration>'), march30, named('Zero')))).toBe(skipped);
    expect(iso(brussels().read(event('<start>03:00</start><duration>00:30</duration>'), march31, named('Zero')))[0]).toBe('2024-03-31T01:00:00.000Z');
  });

  test('an <end> is checked against the duration, also after midnight; alone, it gives the end', () => {
    const reader = brussels();
    const night = reader.read(event('<start>23:30</start><duration>01:00</duration><end>00:30</end>'), may2(), named('Zero'));
    expect(iso(night)).toEqual(['2024-05-02T21:30:00.000Z', '2024-05-02T22:30:00.000Z']);
    expect(reader.notes()).toEqual([]);
    reader.read(event('<start>23:30</start><duration>01:00</duration><end>00:45</end>'), may2(), named('Zero'));
    reader.read(event('<start>10:00</start><duration>01:00</duration><end>2024-05-02T11:15:00+02:00</end>'), may2(), named('Zero'));
    expect(reader.notes()).toEqual(['2 events give an <end> that differs from its start and duration; the duration was kept.']);
    expect(iso(reader.read(event('<start>10:00</start><end>11:00</end>'), may2(), named('Zero')))).toEqual(['2024-05-02T08:00:00.000Z', '2024-05-02T09:00:00.000Z']);
    expect(refusal(() => reader.read(event('<start>10:00</start><end>09:00</end>'), may2(), named('Zero')))).toBe('session "Zero" (event 1) ends before it starts');
    expect(refusal(() => reader.read(event('<start>10:00</start>'), may2(), named('Zero')))).toBe('session "Zero" (event 1) has no duration');
    expect(refusal(() => reader.read(event('<duration>00:30</duration>'), may2(), named('Zero')))).toBe('session "Zero" (event 1) has no start (<start> or <date>)');
  });
});

describe('persons: one per identity', () => {
  test('a guid (in any case), else an id, else a name; a name may be shared, a person keeps its first name', () => {
    const persons = new PersonReader(idOf);
    const person = (xml: string) => persons.personOf(first(xml));
    const leonard = '9127492e-4a90-59e9-9297-b96c3cbfc3a8';
    expect([
      person('<person guid="9127492E-4A90-59E9-9297-B96C3CBFC3A8">Leonard</person>'),
      person(`<person guid="${leonard}">Leo</person>`),
      person(`<person guid="${leonard}"></person>`),
      person('<person guid="49c8949a-916a-5c12-8630-785e2f625512">Leonard</person>'),
      person('<person id="4">Ada</person>'),
      person('<person id="4"> Ada </person>'),
      person('<person>Bob</person>'),
      person('<person></person>'),
      person('<person id="9"> </person>'),
    ]).toEqual([
      leonard, leonard, leonard, '49c8949a-916a-5c12-8630-785e2f625512', derived('mini/person/4'), derived('mini/person/4'), derived('mini/person-name/Bob'), null, null,
    ]);
    expect(persons.people()).toEqual([
      { publicId: leonard, name: 'Leonard', organisation: null, bio: null },
      { publicId: '49c8949a-916a-5c12-8630-785e2f625512', name: 'Leonard', organisation: null, bio: null },
      { publicId: derived('mini/person/4'), name: 'Ada', organisation: null, bio: null },
      { publicId: derived('mini/person-name/Bob'), name: 'Bob', organisation: null, bio: null },
    ]);
    expect(persons.notes()).toEqual([
      '1 name is shared by different persons; kept apart: Leonard.',
      '1 person appears under another name in a later event; the first name was kept.',
      '2 persons have no name and were left out.',
    ]);
  });
});

describe('conference: name, address, time zone, dates and language', () => {
  const conference = (fields: string, options?: FrabImportOptions) => readConference(parseXml(`<schedule><conference>${fields}</conference></schedule>`), options);
  const BRUSSELS = '<time_zone_name>Europe/Brussels</time_zone_name>';

  test('the address is made from the acronym, else from the title', () => {
    expect(conference(`<acronym>Mini_Conf 2024</acronym><title>Mini</title>${BRUSSELS}`)).toMatchObject({ acronym: 'Mini_Conf 2024', key: 'Mini_Conf 2024', slug: 'mini-conf-2024' });
    expect(conference(`<title>Straße &amp; Œuvre à Łódź</title>${BRUSSELS}`)).toMatchObject({ acronym: '', key: 'strasse-oeuvre-a-lodz', slug: 'strasse-oeuvre-a-lodz' });
    expect(slugify('a'.repeat(59) + ' b')).toBe('a'.repeat(59));
    expect(conference(`<acronym>mini</acronym>${BRUSSELS}`, { slug: 'my-forum' }).slug).toBe('my-forum');
    expect(refusal(() => conference(`<acronym>---</acronym>${BRUSSELS}`))).toBe('no address can be made from the conference acronym or title; give one with --slug');
    expect(refusal(() => conference(BRUSSELS))).toBe('the conference has neither an acronym nor a title (conference/acronym, conference/title), so it cannot be named');
    expect(refusal(() => conference(`<acronym>mini</acronym>${BRUSSELS}`, { slug: 'my--forum' })))
      .toBe('the address "my--forum" is not valid: use lower-case letters, digits and single hyphens, at most 60 characters');
  });

  test('the time zone is the file\'s or the one given, said in a note; never a guess', () => {
    expect(conference(`<acronym>mini</acronym>${BRUSSELS}`)).toMatchObject({ zone: 'Europe/Brussels', notes: [] });
    expect(conference(`<acronym>mini</acronym>${BRUSSELS}`, { timezone: 'Europe/Brussels' })).toMatchObject({ zone: 'Europe/Brussels', notes: [] });
    expect(conference(`<acronym>mini</acronym>${BRUSSELS}`, { timezone: 'Europe/Paris' }))
      .toMatchObject({ zone: 'Europe/Paris', notes: ['The time zone Europe/Paris given with --timezone replaces the file\'s Europe/Brussels.'] });
    expect(conference('<acronym>mini</acronym>', { timezone: 'Asia/Tokyo' }))
      .toMatchObject({ zone: 'Asia/Tokyo', notes: ['The file names no time zone; Asia/Tokyo (given with --timezone) was used.'] });
    expect(refusal(() => conference('<acronym>mini</acronym>'))).toBe('the file names no time zone (conference/time_zone_name); give one with --timezone, e.g. --timezone Europe/Brussels');
  });

  test('dates and the day change are read in the zone', () => {
    // 23:30 UTC on 31 March is 01:30 on 1 April in Brussels.
    const read = conference(`<acronym>mini</acronym>${BRUSSELS}<start>2024-03-31T23:30:00Z</start><end>2024-04-02</end><day_change>4:00</day_change>`);
    expect(read).toMatchObject({ startDate: '2024-04-01', endDate: '2024-04-02', dayChange: '04:00' });
    expect(conference(`<acronym>mini</acronym>${BRUSSELS}`)).toMatchObject({ startDate: null, endDate: null, dayChange: null });
    expect(refusal(() => conference(`<acronym>mini</acronym>${BRUSSELS}<end>soon</end>`))).toBe('the conference end "soon" (conference/end) is neither a date nor a date and time');
  });

  test('the event\'s dates are widened to its sessions\', an end at midnight staying on its day', () => {
    const read = conference(`<acronym>mini</acronym><title>Mini</title><city> Gent </city>${BRUSSELS}<start>2024-05-02</start><end>2024-05-02</end>`);
    const midnight = { startsAt: new Date('2024-05-02T21:00:00Z'), endsAt: new Date('2024-05-02T22:00:00Z') };
    expect(programmeEvent(read, 'fr', [midnight])).toEqual({
      publicId: derived('mini/event'), slug: 'mini', timezone: 'Europe/Brussels', defaultLanguage: 'fr', languages: ['fr'],
      title: { fr: 'Mini' }, subtitle: null, description: null, venue: null, city: 'Gent', country: null, startDate: '2024-05-02', endDate: '2024-05-02',
    });
    const after = { startsAt: new Date('2024-05-02T23:30:00Z'), endsAt: new Date('2024-05-03T00:30:00Z') };
    expect(programmeEvent(read, 'fr', [midnight, after])).toMatchObject({ startDate: '2024-05-02', endDate: '2024-05-03' });
  });

  test('texts are stored in the most common of our languages among the sessions, else in English, unless one is given', () => {
    const events = (...languages: string[]) => languages.map((l) => first(`<event><language>${l}</language></event>`));
    expect(languageTags('de, en;EN-gb/fr_FR')).toEqual(['de', 'en', 'fr']);
    expect(chooseLanguage(events('de, en', 'FR_fr', 'fr', 'es-ES'), undefined)).toEqual({
      language: 'fr', note: 'Texts are stored as fr, the most common of fr, en, es among the sessions\' languages (2 sessions); --language chooses another.',
    });
    expect(chooseLanguage(events('de', ''), undefined)).toEqual({ language: 'en', note: 'No session is in fr, en, es; texts are stored as en (--language chooses another).' });
    expect(chooseLanguage(events('fr', 'fr'), 'es')).toEqual({ language: 'es', note: null });
    expect(refusal(() => conference(`<acronym>mini</acronym>${BRUSSELS}`, { language: 'de' as never }))).toBe('the language "de" is not one of fr, en, es');
  });

  test('elements not read are counted, those that hold nothing are not', () => {
    const root = parseXml(`<schedule><version>1</version><logo>x</logo><conference><acronym>m</acronym><base_url>u</base_url><empty/><days>3</days></conference><logo/></schedule>`);
    expect([...ignoredAtTop(root, root.children[2]!)]).toEqual([['logo', 1], ['conference/base_url', 1]]);
  });
});

describe('days: rooms and events', () => {
  const conference = { zone: 'Europe/Brussels', dayChange: null, idOf };
  const ROOM_GUID = '11111111-2222-3333-4444-555555555555';
  const xml = `<schedule>
    <day date="2024-05-02">
      <room name="Salle A" guid="${ROOM_GUID}"><event id="1"><title>One</title><start>10:00</start><duration>00:30</duration><room>Salle B</room><recording>r</recording></event></room>
      <room name="Empty"/>
      <room name="Salle C"><note>n</note><event id="2" guid="0B7C9A52-1F7A-4F59-9A43-2D0C1E6F0002"><title>Two</title><start>11:00</start><duration>00:30</duration></event></room>
    </day>
    <day date="2024-05-03"><break>b</break><room name="Salle A" guid="${ROOM_GUID}"><event id="3"><title> Three
      lines </title><start>09:00</start><duration>00:30</duration><slug>s</slug></event></room><room name="Empty"/></day>
  </schedule>`;

  test('rooms by guid, else by name; events with their identity, times and room; notes and what is ignored', () => {
    const ignored = new Map<string, number>();
    const days = readDays(parseXml(xml), conference, ignored);
    expect([...days.rooms]).toEqual([[ROOM_GUID, { publicId: ROOM_GUID, name: 'Salle A' }], ['name:Salle C', { publicId: derived('mini/room/Salle C'), name: 'Salle C' }]]);
    expect(days.events.map(({ element, ...e }) => ({ ...e, startsAt: e.startsAt.toISOString(), endsAt: e.endsAt.toISOString() }))).toEqual([
      { ref: '1', title: 'One', publicId: derived('mini/event/1'), startsAt: '2024-05-02T08:00:00.000Z', endsAt: '2024-05-02T08:30:00.000Z', roomKey: ROOM_GUID },
      { ref: '2', title: 'Two', publicId: '0b7c9a52-1f7a-4f59-9a43-2d0c1e6f0002', startsAt: '2024-05-02T09:00:00.000Z', endsAt: '2024-05-02T09:30:00.000Z', roomKey: 'name:Salle C' },
      { ref: '3', title: 'Three lines', publicId: derived('mini/event/3'), startsAt: '2024-05-03T07:00:00.000Z', endsAt: '2024-05-03T07:30:00.000Z', roomKey: ROOM_GUID },
    ]);
    expect(days.notes).toEqual([
      '2 events have no guid; ids derived from the conference and the event id.',
      '1 event names another room in its <room> than the room it is listed under; the room it is listed under was kept (events 1).',
      '1 room has no session and was not imported: Empty.',
    ]);
    expect([...ignored]).toEqual([['recording', 1], ['room/note', 1], ['day/break', 1]]);
  });

  test('events that cannot keep an identity, or none at all, are refused', () => {
    const day = (events: string) => parseXml(`<schedule><day date="2024-05-02"><room name="A">${events}</room></day></schedule>`);
    const fields = '<start>10:00</start><duration>00:30</duration>';
    expect(refusal(() => readDays(day(`<event><title>X</title>${fields}</event>`), conference, new Map())))
      .toBe('session "X" (event #1) has neither a guid nor an id, so it cannot keep its identity from one import to the next');
    expect(refusal(() => readDays(day(`<event id="5"><title>X</title>${fields}</event><event id="5"><title>Y</title>${fields}</event>`), conference, new Map())))
      .toBe('two events have the id 5 and no guid, so they cannot be told apart');
    expect(refusal(() => readDays(day('<event id="5"/>'), conference, new Map()))).toBe('event 5 has no title');
    expect(refusal(() => readDays(day(''), conference, new Map()))).toBe('the file has no events (schedule/day/room/event): there is nothing to import');
  });
});

describe('sessions: kinds, texts, links, persons and parts', () => {
  test('types map to kinds on whole words', () => {
    expect(['Hands-on lab', 'Ateliers', 'Keynote', 'Lunch', 'Arrival', 'Panel', 'Panelist Q&A', 'Talk', ''].map(kindOf))
      .toEqual(['workshop', 'workshop', 'plenary', 'break', 'registration', 'panel', 'session', 'session', 'session']);
    expect([' https://zügli.app ', 'https://a.org/x y', 'mailto:a@b.org', 'www.a.org'].map(httpUrl)).toEqual(['https://zügli.app', null, null, null]);
  });

  test('parts: the conference\'s tracks that hold a session first, then the others as they appear', () => {
    const conference = first('<conference><track name="Beta"/><track>Unused</track><track name="Alpha"/></conference>');
    const events = ['Gamma', 'Alpha', '', 'Beta', 'Gamma'].map((t) => ({ element: first(`<event><track>${t}</track></event>`) }));
    const { parts, notes } = readParts(conference, events, idOf, localizeIn('en'));
    expect(parts).toEqual(['Beta', 'Alpha', 'Gamma'].map((t) => ({ publicId: derived(`mini/track/${t}`), label: { en: t }, title: { en: t }, startsAt: null, endsAt: null })));
    expect(notes).toEqual(['Tracks with no session, not imported: Unused.']);
  });

  test('a session: its slot, shared with another at the same times, its links and speakers, its texts as plain text', () => {
    const persons = new PersonReader(idOf);
    const reader = new SessionReader({ idOf, localize: localizeIn('fr'), pageTitle: 'Mini', rooms: new Map([['name:A', { publicId: 'room-a', name: 'A' }]]), persons });
    const startsAt = new Date('2024-05-02T08:00:00Z');
    const endsAt = new Date('2024-05-02T08:30:00Z');
    const element = first(`<event><type>Coffee break</type><language>fr</language><track>Alpha</track>
      <subtitle>Line one
        line two</subtitle><abstract>&lt;p&gt;Hi &lt;b&gt;all&lt;/b&gt;&lt;/p&gt;</abstract><description>  </description>
      <url>https://conf.org/1</url>
      <links><link href="https://conf.org/1">Again</link><link href="ftp://x.org">F</link><link href=""/><link href="https://b.org"><title>B</title></link><link href="https://c.org">  C
        text </link><link href="https://d.org"></link></links>
      <persons><person id="4">Ada</person><person id="4">Ada</person><person></person></persons></event>`);
    const session = reader.session({ element, ref: '1', title: 'Café', publicId: 'session-1', startsAt, endsAt, roomKey: 'name:A' });
    const slot = derived('mini/slot/2024-05-02T08:00:00.000Z/2024-05-02T08:30:00.000Z');
    expect(session).toEqual({
      publicId: 'session-1', part: derived('mini/track/Alpha'), slot, room: 'room-a', kind: 'break', status: 'confirmed',
      title: { fr: 'Café' }, subtitle: { fr: 'Line one line two' }, abstract: { fr: 'Hi all' }, description: null, language: 'fr', interpretation: null,
      links: [
        { url: 'https://conf.org/1', title: 'Mini' }, { url: 'https://b.org', title: 'B' }, { url: 'https://c.org', title: 'C text' }, { url: 'https://d.org', title: 'https://d.org' },
      ],
      contributors: [{ role: 'speaker', person: derived('mini/person/4'), organisation: null }],
      outputs: [],
    });
    const other = reader.session({ element: first('<event/>'), ref: '2', title: 'Other', publicId: 'session-2', startsAt, endsAt, roomKey: null });
    expect(other).toMatchObject({ slot, room: null, part: null, kind: 'session', subtitle: null, abstract: null, language: null, links: null, contributors: [] });
    expect(reader.allSlots()).toEqual([{ publicId: slot, startsAt, endsAt }]);
    expect(reader.notes()).toEqual([
      'Types mapped to kinds: Coffee break → break (1), (no type) → session (1).',
      '1 text was HTML and was converted to plain text (paragraphs, line breaks and list items kept).',
      '2 links were left out: not an http(s) address.',
    ]);
    expect(persons.notes()).toEqual(['1 person has no name and was left out.']);
  });
});
