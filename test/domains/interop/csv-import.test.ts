// A CSV of sessions read against an event's working copy: headers in three languages, both
// separators, quoted fields, names that reuse the event's rows, ids stable for the same file,
// nothing removed, a second import that changes nothing, and refusals naming line and column.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CsvImportError, csvToImport, type CsvProblem } from '../../../server/domains/interop/csv-import.ts';
import { importProgramme } from '../../../server/domains/interop/service.ts';
import { programmeOf } from '../../../server/domains/programme/assemble.ts';
import { createEvent } from '../../../server/domains/programme/events.ts';
import { createItem } from '../../../server/domains/programme/service.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { localClock, localDate } from '../../../server/time.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';

const ACTOR = { id: 1, name: 'Test' };
const NOW = new Date('2026-06-01T08:00:00Z');
let t: TestApp;
let counter = 0;

/** A fresh event (Paris time, 2 to 4 March 2027) with one room, "Salle Atlas", and one person. */
function freshEvent(): EventRow {
  counter += 1;
  const slug = `csv-${counter}`;
  const db = t.app.db;
  createEvent(db, ACTOR, {
    slug, title: { fr: 'Forum CSV', en: 'CSV forum' }, timezone: 'Europe/Paris', defaultLanguage: 'fr', languages: ['fr', 'en'],
    startDate: '2027-03-02', endDate: '2027-03-04',
  }, NOW);
  const event = findEventBySlug(db, slug)!;
  const ctx = { db, event, actor: ACTOR, now: NOW };
  createItem(ctx, 'room', { name: { fr: 'Salle Atlas', en: 'Atlas room' } });
  createItem(ctx, 'person', { name: 'Marie Curie' });
  return findEventBySlug(db, slug)!;
}

const read = (event: EventRow, text: string) => csvToImport(text, programmeOf(t.app.db, findEventBySlug(t.app.db, event.slug)!));
const write = (event: EventRow, text: string) => {
  const { programme, notes } = read(event, text);
  return importProgramme(t.app.db, programme, { format: 'csv', notes }, ACTOR, NOW);
};

/** What the working copy has, by names: sessions as "title | day start-end | room | part | kind | speakers". */
function summary(event: EventRow) {
  const programme = programmeOf(t.app.db, findEventBySlug(t.app.db, event.slug)!);
  const zone = programme.event.timezone;
  return {
    rooms: programme.rooms.map((r) => r.name.fr),
    parts: programme.parts.map((p) => p.label.fr),
    people: programme.people.map((p) => p.name).sort(),
    organisations: programme.organisations.map((o) => o.name.fr).sort(),
    sessions: programme.sessions.map((s) => [
      s.row.title.fr,
      s.slot ? `${localDate(s.slot.startsAt, zone)} ${localClock(s.slot.startsAt, zone)}-${localClock(s.slot.endsAt, zone)}` : '-',
      s.room?.name.fr ?? '-', s.part?.label.fr ?? '-', s.row.kind,
      s.contributors.map((c) => [c.person?.name, c.organisation?.name.fr].filter(Boolean).join(' @ ')).join(', '),
    ].join(' | ')),
  };
}

const FRENCH = [
  'Titre;Jour;Début;Fin;Durée;Salle;Partie;Type;Intervenants',
  'Séance d\'ouverture;2027-03-02;09:00;10:00;;salle atlas;Ouverture;plénière;"Marie Curie (Institut du radium); Jean Dupont"',
  '"Atelier ""villes"" durables";03/03/2027;14:30;;90;Salle B;;Atelier;(Cités et Gouvernements Locaux Unis)',
  '"Pause',
  'café";2027-03-03;16:00;16:15;;;;pause;',
  '',
  'Sans horaire;;;;;;;;',
].join('\r\n');

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('reading a CSV of sessions', () => {
  test('French headers with ";", quoted fields, doubled quotes and a line break in a title: sessions, rooms, parts, people and organisations by name', () => {
    const event = freshEvent();
    write(event, FRENCH);
    expect(summary(event)).toEqual({
      rooms: ['Salle Atlas', 'Salle B'],
      parts: ['Ouverture'],
      people: ['Jean Dupont', 'Marie Curie'],
      organisations: ['Cités et Gouvernements Locaux Unis', 'Institut du radium'],
      sessions: [
        'Séance d\'ouverture | 2027-03-02 09:00-10:00 | Salle Atlas | Ouverture | plenary | Marie Curie @ Institut du radium, Jean Dupont',
        'Atelier "villes" durables | 2027-03-03 14:30-16:00 | Salle B | - | workshop | Cités et Gouvernements Locaux Unis',
        'Pause\r\ncafé | 2027-03-03 16:00-16:15 | - | - | break | ',
        'Sans horaire | - | - | - | session | ',
      ],
    });
  });

  test('English and Spanish headers with ",", accents and case ignored, a byte-order mark; unknown columns are noted', () => {
    const event = freshEvent();
    const english = '\uFEFFTITLE,day,Start,Duration,Room,Kind,Speakers,Notes\nKeynote,2027-03-04,9:00,45,Atlas room,keynote,Ada Lovelace,bring slides\n';
    const { notes } = read(event, english);
    expect(notes).toEqual(['the column "Notes" is not read: the columns read are title, day, start, end, duration, room, part, kind, contributors, id (in French, English or Spanish)']);
    write(event, english);
    const spanish = 'Título,Día,Inicio,Fin,Sala,Parte,Tipo,Ponentes\nTaller,04/03/2027,11h00,12:30,Sala Dos,Parte 1,taller,"Ada Lovelace; Luis (Ayuntamiento)"\n';
    write(event, spanish);
    expect(summary(event).sessions).toEqual([
      'Keynote | 2027-03-04 09:00-09:45 | Salle Atlas | - | plenary | Ada Lovelace',
      'Taller | 2027-03-04 11:00-12:30 | Sala Dos | Parte 1 | workshop | Ada Lovelace, Luis @ Ayuntamiento',
    ]);
  });

  test('the same file read twice gives the same new ids; imported twice, the second import changes nothing', () => {
    const event = freshEvent();
    const ids = (text: string) => { const { programme } = read(event, text); return [programme.sessions, programme.rooms, programme.people, programme.slots].map((l) => l.map((r) => r.publicId)); };
    expect(ids(FRENCH)).toEqual(ids(FRENCH));
    write(event, FRENCH);
    const before = findEventBySlug(t.app.db, event.slug)!;
    const second = write(event, FRENCH);
    const after = findEventBySlug(t.app.db, event.slug)!;
    expect(second.counts).toEqual({ sessions: 4, rooms: 2, people: 2, organisations: 2, parts: 1, outputs: 0, slots: 3 });
    expect([after.revision, after.version]).toEqual([before.revision, before.version]);
    expect(summary(event).sessions).toHaveLength(4);
  });

  test('a CSV keeps the event\'s other sessions, updates by id, and an empty cell keeps what the session has', () => {
    const event = freshEvent();
    write(event, FRENCH);
    const programme = programmeOf(t.app.db, findEventBySlug(t.app.db, event.slug)!);
    const opening = programme.sessions.find((s) => s.row.title.fr === 'Séance d\'ouverture')!;
    write(event, `id;titre;début;jour;fin;salle\n${opening.publicId.toUpperCase()};Ouverture officielle;09:30;2027-03-02;10:30;\n;Nouvelle;10:00;2027-03-04;11:00;Salle B\n`);
    expect(summary(event).sessions).toEqual([
      'Ouverture officielle | 2027-03-02 09:30-10:30 | Salle Atlas | Ouverture | plenary | Marie Curie @ Institut du radium, Jean Dupont',
      'Atelier "villes" durables | 2027-03-03 14:30-16:00 | Salle B | - | workshop | Cités et Gouvernements Locaux Unis',
      'Pause\r\ncafé | 2027-03-03 16:00-16:15 | - | - | break | ',
      'Nouvelle | 2027-03-04 10:00-11:00 | Salle B | - | session | ',
      'Sans horaire | - | - | - | session | ',
    ]);
    const renamed = programmeOf(t.app.db, findEventBySlug(t.app.db, event.slug)!).sessions.find((s) => s.publicId === opening.publicId)!;
    expect(renamed.row.title).toEqual({ fr: 'Ouverture officielle' });
  });

  test('refusals name the line and the column, and nothing is read', () => {
    const event = freshEvent();
    const problem = (text: string): CsvProblem | string => {
      try {
        read(event, text);
        return 'read';
      } catch (error) {
        if (error instanceof CsvImportError) return error.csv;
        throw error;
      }
    };
    const head = 'titre;jour;début;fin;durée;type;id';
    const at = (line: number, column: CsvProblem['column'], header: string | null, code: CsvProblem['code'], params: CsvProblem['params'] = {}) => ({ line, column, header, code, params });
    expect(problem(`${head}\nA;2027-03-02;09:00;10:00;;;\nB;2027-03-02;09:00;10:00;;;\nC;2027-03-02;25:00;26:00;;;`)).toEqual(at(4, 'start', 'début', 'badTime', { value: '25:00' }));
    expect(problem(`${head}\nA;2027-03-09;09:00;10:00;;;`)).toEqual(at(2, 'day', 'jour', 'dayOutside', { value: '2027-03-09', start: '2027-03-02', end: '2027-03-04' }));
    expect(problem(`${head}\nA;31/02/2027;09:00;10:00;;;`)).toEqual(at(2, 'day', 'jour', 'badDay', { value: '31/02/2027' }));
    expect(problem(`${head}\nA;2027-03-02;10:00;09:00;;;`)).toEqual(at(2, 'end', 'fin', 'endBeforeStart', { value: '09:00', start: '10:00' }));
    expect(problem(`${head}\nA;2027-03-02;10:00;;;;`)).toEqual(at(2, 'end', 'fin', 'needsEnd'));
    expect(problem(`${head}\nA;2027-03-02;10:00;11:00;30;;`)).toEqual(at(2, 'duration', 'durée', 'endDisagrees', { value: '30', start: '10:00', end: '11:00' }));
    expect(problem(`${head}\nA;2027-03-02;10:00;;0;;`)).toEqual(at(2, 'duration', 'durée', 'badDuration', { value: '0' }));
    expect(problem(`${head}\nA;;10:00;11:00;;;`)).toEqual(at(2, 'day', 'jour', 'needsDay'));
    expect(problem(`${head}\nA;2027-03-02;;;;;`)).toEqual(at(2, 'start', 'début', 'needsStart'));
    expect(problem(`${head}\n;2027-03-02;10:00;11:00;;;`)).toEqual(at(2, 'title', 'titre', 'required'));
    expect(problem(`${head}\nA;;;;;conférence magique;`)).toEqual(at(2, 'kind', 'type', 'badKind', { value: 'conférence magique' }));
    expect(problem(`${head}\nA;;;;;;pas-un-id`)).toEqual(at(2, 'id', 'id', 'badId', { value: 'pas-un-id' }));
    expect(problem(`${head}\nA;;;;;;00000000-0000-4000-8000-000000000000`)).toEqual(at(2, 'id', 'id', 'unknownId', { value: '00000000-0000-4000-8000-000000000000' }));
    expect(problem(`${head}\nA;;;;;;;en trop`)).toEqual(at(2, null, null, 'extraCells', { count: 8, width: 7 }));
    expect(problem(`${head}\n"A;;;;;;`)).toMatchObject({ code: 'syntax', line: 2, column: null });
    expect(problem(`jour;titre;Titre\n`)).toEqual(at(1, 'title', 'Titre', 'duplicateColumn'));
    expect(problem('jour;salle\n2027-03-02;A\n')).toEqual(at(1, 'title', null, 'noTitleColumn'));
    expect(problem(`${head}\nA\u0007;;;;;;`)).toEqual(at(2, 'title', 'titre', 'badText'));
    expect(problem('\n\n')).toEqual({ line: null, column: null, header: null, code: 'empty', params: {} });
    // The last evening may run late, not into the next morning.
    expect(problem(`${head}\nA;2027-03-04;23:30;;420;;`)).toEqual(at(2, 'start', 'début', 'outsideEvent', { value: '23:30' }));
  });

  test('at most 5000 rows', () => {
    const event = freshEvent();
    const rows = (n: number) => ['titre', ...Array.from({ length: n }, (_, i) => `Séance ${i}`)].join('\n');
    expect(read(event, rows(5000)).rows).toBe(5000);
    expect(() => read(event, rows(5001))).toThrow(expect.objectContaining({ csv: { code: 'tooManyRows', line: null, column: null, header: null, params: { max: 5000 } } }));
  });
});
