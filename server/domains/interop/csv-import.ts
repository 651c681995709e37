// A CSV of sessions, as a spreadsheet writes it, imported into an existing event. Its columns
// are found by their header in French, English or Spanish; rooms, parts, people and
// organisations are named, and reuse the event's rows of that name. The result is the event's
// whole working copy plus the file's rows, so that writing it (sync.ts) removes nothing, and a
// second import of the same file changes nothing: rows are matched by id, else by title, day
// and start. It is written as any import is (service.ts importProgramme, format "csv").
import { CsvError, parse } from 'csv-parse/sync';
import { v5 as uuidv5 } from 'uuid';
import type { Language, SessionKind } from '../../db/schema.ts';
import type { Programme } from '../programme/assemble.ts';
import { eventWindow, isValidDate, spanFits } from '../programme/bounds.ts';
import { PUBLIC_ID_PATTERN } from '../programme/schemas.ts';
import { ImportError, type ImportedSession, type ProgrammeImport } from '../programme/sync.ts';
import { localClock, localDate, localToInstant } from '../../time.ts';
import { textFault } from '../../unicode.ts';
import { exportProgrammeJson, parseProgrammeDocument } from './programme-json.ts';

export const CSV_COLUMNS = ['title', 'day', 'start', 'end', 'duration', 'room', 'part', 'kind', 'contributors', 'id'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export const CSV_MAX_ROWS = 5000;

/** The headers each column is known by, written without accents or case (see `normalised`). */
export const CSV_HEADERS: Record<CsvColumn, string[]> = {
  title: ['titre', 'title', 'titulo', 'intitule'],
  day: ['jour', 'day', 'dia', 'date', 'fecha'],
  start: ['debut', 'start', 'inicio', 'heure de debut', 'start time', 'hora de inicio'],
  end: ['fin', 'end', 'heure de fin', 'end time', 'hora de fin'],
  duration: ['duree', 'duration', 'duracion', 'duree (minutes)', 'duration (minutes)', 'duracion (minutos)', 'minutes', 'minutos'],
  room: ['salle', 'room', 'sala'],
  part: ['partie', 'part', 'parte', 'track'],
  kind: ['type', 'kind', 'tipo'],
  contributors: ['intervenants', 'intervenant', 'speakers', 'speaker', 'ponentes', 'ponente', 'contributors', 'intervenantes'],
  id: ['id', 'identifiant', 'identificador'],
};

/** The words a "type" cell may hold, in the three languages, for each kind. */
const KIND_WORDS: Record<SessionKind, string[]> = {
  session: ['session', 'seance', 'sesion', 'talk', 'ponencia'],
  plenary: ['plenary', 'pleniere', 'seance pleniere', 'plenaria', 'sesion plenaria', 'plenario', 'keynote'],
  workshop: ['workshop', 'atelier', 'taller'],
  panel: ['panel', 'table ronde', 'round table', 'mesa redonda', 'debat', 'debate'],
  break: ['break', 'pause', 'pause cafe', 'coffee break', 'pausa', 'descanso', 'dejeuner', 'lunch', 'almuerzo'],
  registration: ['registration', 'accueil', 'inscription', 'welcome', 'registro', 'inscripcion', 'acogida', 'acreditacion'],
};

export type CsvProblemCode =
  | 'empty' | 'syntax' | 'tooManyRows' | 'duplicateColumn' | 'noTitleColumn' | 'extraCells' | 'required' | 'tooLong' | 'badText'
  | 'badDay' | 'dayOutside' | 'badTime' | 'badDuration' | 'endBeforeStart' | 'endDisagrees' | 'needsDay' | 'needsStart' | 'needsEnd'
  | 'clockChange' | 'outsideEvent' | 'badKind' | 'badId' | 'unknownId' | 'idTwice' | 'badContributor';

/** What is wrong, where: the line of the file (1 is the header) and the column, as its header says it or by its role. */
export interface CsvProblem {
  code: CsvProblemCode;
  line: number | null;
  column: CsvColumn | null;
  /** The column's header as the file writes it. */
  header: string | null;
  params: Record<string, string | number>;
}

/** A CSV refused, naming the line and column; the workspace says it in the reader's language. */
export class CsvImportError extends ImportError {
  override name = 'CsvImportError';
  constructor(readonly csv: CsvProblem, detail: string) {
    const where = [csv.line === null ? null : `line ${csv.line}`, csv.header === null ? null : `column "${csv.header}"`].filter(Boolean).join(', ');
    super(where ? `${where}: ${detail}` : detail);
  }
}

/** Without accents, case or repeated spaces: how headers, kinds and names are compared. */
export function normalised(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s+/g, ' ');
}

const CSV_NAMESPACE = '5b0f7c1e-2c55-4f7e-9a83-6f0b5e0d3c21';
const ID = new RegExp(PUBLIC_ID_PATTERN);
const LIMITS = { title: 300, room: 200, part: 200, person: 200, organisation: 200 } as const;

/** A separator from the header line: the one of `;` and `,` it has most of (`,` when neither). */
function separatorOf(text: string): ';' | ',' {
  const end = text.search(/[\r\n]/);
  const header = end === -1 ? text : text.slice(0, end);
  let semicolons = 0;
  let commas = 0;
  for (const character of header) {
    if (character === ';') semicolons += 1;
    else if (character === ',') commas += 1;
  }
  return semicolons > commas ? ';' : ',';
}
interface Row { line: number; cells: string[] }

/** The records of the file with the line each starts on; blank records are left out. */
function recordsOf(text: string): Row[] {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { delimiter: separatorOf(text), bom: true, relax_column_count: true, info: true }) as unknown as typeof parsed;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? null;
      throw new CsvImportError({ code: 'syntax', line, column: null, header: null, params: { detail: error.message } }, error.message);
    }
    throw error;
  }
  const rows: Row[] = [];
  let nextLine = 1;
  for (const { record, info } of parsed) {
    if (record.some((cell) => cell.trim() !== '')) rows.push({ line: nextLine, cells: record });
    nextLine = info.lines + 1;
  }
  if (rows.length === 0) throw new CsvImportError({ code: 'empty', line: null, column: null, header: null, params: {} }, 'the file has no header line');
  if (rows.length > CSV_MAX_ROWS + 1) {
    throw new CsvImportError({ code: 'tooManyRows', line: null, column: null, header: null, params: { max: CSV_MAX_ROWS } }, `the file has more than ${CSV_MAX_ROWS} rows`);
  }
  return rows;
}

/** Which column each header names; headers no column has are named in the notes. */
function columnsOf(header: Row, notes: string[]): { index: Map<CsvColumn, number>; headers: Map<CsvColumn, string> } {
  const byWord = new Map<string, CsvColumn>();
  for (const column of CSV_COLUMNS) for (const word of CSV_HEADERS[column]) byWord.set(word, column);
  const index = new Map<CsvColumn, number>();
  const headers = new Map<CsvColumn, string>();
  header.cells.forEach((cell, position) => {
    const column = byWord.get(normalised(cell));
    if (column === undefined) {
      if (cell.trim() !== '') notes.push(`the column "${cell.trim().slice(0, 100)}" is not read: the columns read are ${CSV_COLUMNS.join(', ')} (in French, English or Spanish)`);
      return;
    }
    if (index.has(column)) {
      throw new CsvImportError({ code: 'duplicateColumn', line: 1, column, header: cell.trim(), params: {} }, `the column is there twice (as "${headers.get(column)}" too)`);
    }
    index.set(column, position);
    headers.set(column, cell.trim());
  });
  if (!index.has('title')) throw new CsvImportError({ code: 'noTitleColumn', line: 1, column: 'title', header: null, params: {} }, 'no column is the sessions\' title (titre, title, título)');
  return { index, headers };
}

/** A time of day, HH:MM (or H:MM, 9h30, HH:MM:00 as spreadsheets write it), as "HH:MM"; null when it is none. */
function clockOf(value: string): string | null {
  const match = /^(\d{1,2})[:hH](\d{2})(?::00)?$/.exec(value);
  if (!match) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  return hours < 24 && minutes < 60 ? `${String(hours).padStart(2, '0')}:${match[2]}` : null;
}

/** A day, YYYY-MM-DD or DD/MM/YYYY, as YYYY-MM-DD; null when it is none. */
function dayOf(value: string): string | null {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const day = iso ?? (french ? `${french[3]}-${french[2]!.padStart(2, '0')}-${french[1]!.padStart(2, '0')}` : null);
  return day !== null && isValidDate(day) ? day : null;
}

/** Reads a CSV of sessions against the event's working copy: the programme to write, and what the reader had to leave out. */
export function csvToImport(text: string, base: Programme): { programme: ProgrammeImport; notes: string[]; rows: number } {
  const notes: string[] = [];
  const [header, ...rows] = recordsOf(text);
  const { index, headers } = columnsOf(header!, notes);
  const out = parseProgrammeDocument(JSON.parse(exportProgrammeJson(base)));
  const builder = new Builder(out, header!.cells.length);
  for (const row of rows) builder.add(row, index, headers);
  return { programme: out, notes, rows: rows.length };
}

/** Adds the file's rows to the working copy, one by one, reusing what has the same name. */
class Builder {
  private readonly lang: Language;
  private readonly used = new Set<string>();
  private readonly byName = { room: new Map<string, string>(), part: new Map<string, string>(), person: new Map<string, string>(), organisation: new Map<string, string>() };
  private readonly slots = new Map<string, string>();
  private readonly sessions = new Map<string, ImportedSession>();
  private readonly byKey = new Map<string, string[]>();
  private readonly claimed = new Set<string>();
  private readonly occurrences = new Map<string, number>();
  // Zone arithmetic dominates the reading of a long file, and rows share their days and times.
  private readonly window: ReturnType<typeof eventWindow>;
  private readonly instants = new Map<string, Date | null>();

  constructor(private readonly out: ProgrammeImport, private readonly headerWidth: number) {
    this.lang = out.event.defaultLanguage;
    const { event } = out;
    this.window = eventWindow(event);
    const name = (map: Map<string, string>, id: string, ...texts: (string | undefined)[]) => {
      for (const text of texts) if (text && !map.has(normalised(text))) map.set(normalised(text), id);
    };
    const all = [out.rooms, out.parts, out.organisations, out.people, out.outputs, out.slots, out.sessions];
    for (const list of all) for (const row of list) this.used.add(row.publicId);
    for (const r of out.rooms) name(this.byName.room, r.publicId, ...Object.values(r.name));
    for (const p of out.parts) name(this.byName.part, p.publicId, ...Object.values(p.label), ...Object.values(p.title));
    for (const o of out.organisations) name(this.byName.organisation, o.publicId, ...Object.values(o.name), ...Object.values(o.fullName ?? {}));
    for (const p of out.people) name(this.byName.person, p.publicId, p.name);
    for (const s of out.slots) this.slots.set(`${s.startsAt.getTime()}/${s.endsAt.getTime()}`, s.publicId);
    const slotById = new Map(out.slots.map((s) => [s.publicId, s]));
    for (const s of out.sessions) {
      this.sessions.set(s.publicId, s);
      const slot = s.slot === null ? null : slotById.get(s.slot)!;
      const when = slot ? `${localDate(slot.startsAt, event.timezone)}|${localClock(slot.startsAt, event.timezone)}` : '|';
      for (const title of new Set(Object.values(s.title).map(normalised))) {
        const key = `${title}|${when}`;
        this.byKey.set(key, [...(this.byKey.get(key) ?? []), s.publicId]);
      }
    }
  }

  /** A new id for a row of the file: the same for the same file, never one already in the event. */
  private freshId(kind: string, name: string): string {
    for (let n = 1; ; n += 1) {
      const id = uuidv5(`csv/${this.out.event.publicId}/${kind}/${name}${n === 1 ? '' : `#${n}`}`, CSV_NAMESPACE);
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }

  add(row: Row, index: Map<CsvColumn, number>, headers: Map<CsvColumn, string>): void {
    const fail: Fail = (column, code, detail, params = {}) => {
      throw new CsvImportError({ code, line: row.line, column, header: column === null ? null : headers.get(column) ?? null, params }, detail);
    };
    // Cells under no header are most often a separator inside a text that is not quoted.
    if (row.cells.slice(this.headerWidth).some((c) => c.trim() !== '')) {
      fail(null, 'extraCells', `the line has ${row.cells.length} cells, more than the ${this.headerWidth} headers`, { count: row.cells.length, width: this.headerWidth });
    }
    const cell = (column: CsvColumn, max: number): string => {
      const position = index.get(column);
      const value = position === undefined ? '' : (row.cells[position] ?? '').trim();
      if (textFault(value)) fail(column, 'badText', 'the text holds a control character or a broken character');
      if (value.length > max) fail(column, 'tooLong', `the text is longer than ${max} characters`, { max });
      return value;
    };
    const title = cell('title', LIMITS.title) || fail('title', 'required', 'a session needs a title');
    const [day, start] = [cell('day', 20), cell('start', 20)];
    const slot = this.slotOf(day, start, cell('end', 20), cell('duration', 20), fail);
    const kindCell = cell('kind', 100);
    const kind = kindCell === '' ? null : (Object.keys(KIND_WORDS) as SessionKind[]).find((k) => KIND_WORDS[k].includes(normalised(kindCell)));
    if (kind === undefined) fail('kind', 'badKind', `"${kindCell}" is not a kind of session`, { value: kindCell });
    const room = this.named('room', cell('room', LIMITS.room));
    const part = this.named('part', cell('part', LIMITS.part));
    const speakers = this.contributorsOf(cell('contributors', 10_000), fail);
    const key = `${normalised(title)}|${dayOf(day) ?? ''}|${clockOf(start) ?? ''}`;
    const session = this.sessionOf(cell('id', 36), key, fail);
    if (session) {
      // An empty cell leaves what the session has: a file names only what it changes.
      session.title = { ...session.title, [this.lang]: title };
      if (slot !== undefined) session.slot = slot;
      if (kind) session.kind = kind;
      if (room) session.room = room;
      if (part) session.part = part;
      const same = (a: Contributors, b: Contributors) => a.length === b.length && a.every((c, i) => c.person === b[i]!.person && c.organisation === b[i]!.organisation);
      if (speakers.length > 0 && !same(session.contributors.filter((c) => c.role === 'speaker'), speakers)) {
        session.contributors = [...session.contributors.filter((c) => c.role !== 'speaker'), ...speakers];
      }
      return;
    }
    const occurrence = (this.occurrences.get(key) ?? 0) + 1;
    this.occurrences.set(key, occurrence);
    const created: ImportedSession = {
      publicId: this.freshId('session', `${key}|${occurrence}`),
      kind: kind ?? 'session', status: 'confirmed', title: { [this.lang]: title }, subtitle: null, abstract: null, description: null, language: null, interpretation: null, links: null,
      part, slot: slot ?? null, room, contributors: speakers, outputs: [],
    };
    this.claimed.add(created.publicId);
    this.out.sessions.push(created);
  }

  /** The session a row updates: the one of its id, else one of the same title, day and start not yet taken by another row. */
  private sessionOf(idCell: string, key: string, fail: Fail): ImportedSession | null {
    if (idCell !== '') {
      const id = idCell.toLowerCase();
      if (!ID.test(id)) fail('id', 'badId', `"${idCell}" is not a session id`, { value: idCell });
      const session = this.sessions.get(id) ?? fail('id', 'unknownId', `the event has no session with the id ${id}`, { value: id });
      if (this.claimed.has(id)) fail('id', 'idTwice', `the session ${id} is on an earlier line too`, { value: id });
      this.claimed.add(id);
      return session;
    }
    const id = (this.byKey.get(key) ?? []).find((candidate) => !this.claimed.has(candidate));
    if (id !== undefined) this.claimed.add(id);
    return id === undefined ? null : this.sessions.get(id)!;
  }

  /** The time slot of a row's day, start and end (or duration); undefined when the row gives no time. */
  private slotOf(day: string, start: string, end: string, duration: string, fail: Fail): string | undefined {
    if (day === '' && start === '' && end === '' && duration === '') return undefined;
    const { event } = this.out;
    if (day === '') fail('day', 'needsDay', 'a session with a time needs a day');
    const date = dayOf(day) ?? fail('day', 'badDay', `"${day}" is not a day (YYYY-MM-DD or DD/MM/YYYY)`, { value: day });
    if (date < event.startDate || date > event.endDate) {
      fail('day', 'dayOutside', `${date} is not one of the event's days (${event.startDate} to ${event.endDate})`, { value: day, start: event.startDate, end: event.endDate });
    }
    if (start === '') fail('start', 'needsStart', 'a session with a day needs a start time');
    const instant = (column: 'start' | 'end', value: string) => {
      const clock = clockOf(value) ?? fail(column, 'badTime', `"${value}" is not a time (HH:MM)`, { value });
      const local = `${date}T${clock}`;
      if (!this.instants.has(local)) {
        try {
          this.instants.set(local, localToInstant(local, event.timezone));
        } catch {
          this.instants.set(local, null);
        }
      }
      return this.instants.get(local) ?? fail(column, 'clockChange', `${date} ${clock} does not exist in ${event.timezone} (clock change)`, { value, zone: event.timezone });
    };
    const startsAt = instant('start', start);
    if (end === '' && duration === '') fail('end', 'needsEnd', 'a session with a start needs an end or a duration');
    let endsAt: Date | null = null;
    if (end !== '') {
      endsAt = instant('end', end);
      if (endsAt <= startsAt) fail('end', 'endBeforeStart', `the session ends (${end}) before it starts (${start})`, { value: end, start });
    }
    if (duration !== '') {
      const minutes = /^\d{1,4}$/.test(duration) ? Number(duration) : 0;
      if (minutes < 1 || minutes > 1440) fail('duration', 'badDuration', `"${duration}" is not a number of minutes (1 to 1440)`, { value: duration });
      const byDuration = new Date(startsAt.getTime() + minutes * 60_000);
      if (endsAt && endsAt.getTime() !== byDuration.getTime()) fail('duration', 'endDisagrees', `${duration} minutes after ${start} is not the end, ${end}`, { value: duration, start, end });
      endsAt = byDuration;
    }
    if (!spanFits(this.window, startsAt, endsAt)) fail('start', 'outsideEvent', 'the session is outside the event\'s days', { value: start });
    const key = `${startsAt.getTime()}/${endsAt!.getTime()}`;
    const known = this.slots.get(key);
    if (known) return known;
    const publicId = this.freshId('slot', key);
    this.out.slots.push({ publicId, startsAt, endsAt: endsAt! });
    this.slots.set(key, publicId);
    return publicId;
  }

  /** The room or part of that name, made when the event has none. */
  private named(kind: 'room' | 'part', name: string): string | null {
    if (name === '') return null;
    const known = this.byName[kind].get(normalised(name));
    if (known) return known;
    const publicId = this.freshId(kind, normalised(name));
    const text = { [this.lang]: name };
    if (kind === 'room') this.out.rooms.push({ publicId, name: text, interpretation: null });
    else this.out.parts.push({ publicId, label: text, title: text, startsAt: null, endsAt: null });
    this.byName[kind].set(normalised(name), publicId);
    return publicId;
  }

  /**
   * "Name; Name (Organisation); (Organisation)": people, each on behalf of an organisation or
   * not, and organisations alone, all speakers. People and organisations are found by name.
   */
  private contributorsOf(value: string, fail: Fail): Contributors {
    const seen = new Set<string>();
    const list: Contributors = [];
    for (const entry of value.split(';').map((e) => e.trim()).filter((e) => e !== '')) {
      let [name, organisation] = [entry, ''];
      const open = entry.lastIndexOf('(');
      if (entry.endsWith(')') && open !== -1) [name, organisation] = [entry.slice(0, open).trim(), entry.slice(open + 1, -1).trim()];
      if (name === '' && organisation === '') fail('contributors', 'badContributor', `"${entry}" names no one`, { value: entry });
      if (name.length > LIMITS.person || organisation.length > LIMITS.organisation) fail('contributors', 'tooLong', `a name is longer than ${LIMITS.person} characters`, { max: LIMITS.person });
      const organisationId = organisation === '' ? null : this.organisationOf(organisation);
      const personId = name === '' ? null : this.personOf(name, organisationId);
      const key = `${personId}|${organisationId}`;
      if (!seen.has(key)) list.push({ role: 'speaker', person: personId, organisation: organisationId });
      seen.add(key);
    }
    return list;
  }

  private organisationOf(name: string): string {
    const known = this.byName.organisation.get(normalised(name));
    if (known) return known;
    const publicId = this.freshId('organisation', normalised(name));
    this.out.organisations.push({ publicId, name: { [this.lang]: name }, fullName: null, description: null });
    this.byName.organisation.set(normalised(name), publicId);
    return publicId;
  }

  private personOf(name: string, organisation: string | null): string {
    const known = this.byName.person.get(normalised(name));
    if (known) return known;
    const publicId = this.freshId('person', normalised(name));
    this.out.people.push({ publicId, name, organisation, bio: null });
    this.byName.person.set(normalised(name), publicId);
    return publicId;
  }
}
type Contributors = ImportedSession['contributors'];
type Fail = (column: CsvColumn | null, code: CsvProblemCode, detail: string, params?: Record<string, string | number>) => never;
