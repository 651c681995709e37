// Brings an event's programme to what a whole source says (data/, our JSON format, frab XML), in
// one transaction, through the programme's one write path: the same repository verbs, the same
// rules of what may be deleted (resources/), the same audit entries as the API when someone
// imports. Rows are matched on their public ids and updated in place, so ids, links, calendar
// UIDs and everything that points at a row survive a new import; rows the source no longer has
// are removed. Either all of it is written or none of it.
import { v5 as uuidv5 } from 'uuid';
import type { Db } from '../../db/client.ts';
import type { ContributorRole, Interpretation, Language, LocalizedText } from '../../db/schema.ts';
import { ConflictError, fieldErrorDetail, HttpError } from '../../errors.ts';
import type { Actor } from '../audit/service.ts';
import { programmeOf } from './assemble.ts';
import { eventDatesProblems, eventWindow, spanFits, windowDescription } from './bounds.ts';
import { toZonedIso } from '../../time.ts';
import {
  changeOutputLinks, findForeignPublicId, findRow, findRowsByPublicIds, insertRow, listIdsOfEvent, listLinksOfSessions, replaceContributorLinks, resetRevisions,
  sessionsWithConclusions, updateRow, type ItemKind,
} from './items.ts';
import { findEventById, findEventByPublicId, findEventBySlug, insertEvent, listEvents, updateEventRow } from './repository.ts';
import type { SessionContent } from './resources/session.ts';
import { deleteItem } from './service.ts';
import { auditTouched, Touched, type WriteContext } from './write.ts';

/** A programme ready to be written: every row named by its public id, every time an instant. */
export interface ProgrammeImport {
  event: {
    publicId: string;
    slug: string;
    timezone: string;
    defaultLanguage: Language;
    languages: Language[];
    title: LocalizedText;
    subtitle: LocalizedText | null;
    description: LocalizedText | null;
    venue: LocalizedText | null;
    city: string | null;
    country: string | null;
    startDate: string;
    endDate: string;
  };
  /** Rooms, parts and outputs in their order. */
  rooms: { publicId: string; name: LocalizedText; interpretation: Interpretation[] | null }[];
  parts: { publicId: string; label: LocalizedText; title: LocalizedText; startsAt: Date | null; endsAt: Date | null }[];
  organisations: { publicId: string; name: LocalizedText; fullName: LocalizedText | null; description: LocalizedText | null }[];
  people: { publicId: string; name: string; organisation: string | null; bio: LocalizedText | null }[];
  outputs: { publicId: string; statement: LocalizedText }[];
  slots: { publicId: string; startsAt: Date; endsAt: Date }[];
  sessions: ImportedSession[];
}

/** A session of a source: every content field of the session's descriptor, so that no source can forget one. */
export interface ImportedSession extends SessionContent {
  publicId: string;
  part: string | null;
  slot: string | null;
  room: string | null;
  contributors: { role: ContributorRole; person: string | null; organisation: string | null }[];
  outputs: string[];
}

/** What an import did, for the operator. */
export interface WriteSummary {
  eventId: number;
  slug: string;
  /** Whether the event was new. */
  created: boolean;
  counts: { sessions: number; rooms: number; people: number; organisations: number; parts: number; outputs: number; slots: number };
  /** Notes for the operator on ids another event already used, which were scoped to this one. */
  scoping: string[];
}

/** The file cannot be imported as it is: told in one sentence naming the problem. Nothing was written. */
export class ImportError extends HttpError {
  override name = 'ImportError';
  constructor(message: string, statusCode = 422) {
    super(statusCode, statusCode === 409 ? 'errors.conflict.title' : 'errors.unprocessable.title', message, 'invalid-import');
  }
}

const firstText = (text: LocalizedText) => Object.values(text)[0] ?? '';

/** Every cross-reference of the programme points at a row it has, and no public id is listed twice. */
function checkReferences(input: ProgrammeImport): void {
  const all = new Set<string>([input.event.publicId]);
  const listed = (kind: string, rows: { publicId: string }[]) => {
    const ids = new Set<string>();
    for (const row of rows) {
      if (all.has(row.publicId)) throw new ImportError(`the id ${row.publicId} is given to more than one thing (a ${kind} among them)`);
      all.add(row.publicId);
      ids.add(row.publicId);
    }
    return ids;
  };
  const roomIds = listed('room', input.rooms);
  const partIds = listed('part', input.parts);
  const organisationIds = listed('organisation', input.organisations);
  const personIds = listed('person', input.people);
  const outputIds = listed('expected output', input.outputs);
  const slotIds = listed('time slot', input.slots);
  listed('session', input.sessions);
  const missing = (what: string, id: string, where: string) => new ImportError(`${where} names ${what} ${id}, which the file does not have`);
  for (const person of input.people) {
    if (person.organisation !== null && !organisationIds.has(person.organisation)) throw missing('the organisation', person.organisation, `person "${person.name}"`);
  }
  for (const slot of input.slots) {
    if (!(slot.startsAt < slot.endsAt)) throw new ImportError(`time slot ${slot.publicId} ends before it starts (${slot.startsAt.toISOString()} to ${slot.endsAt.toISOString()})`);
  }
  for (const part of input.parts) {
    if (part.startsAt && part.endsAt && !(part.startsAt < part.endsAt)) throw new ImportError(`part "${firstText(part.label)}" ends before it starts`);
  }
  for (const session of input.sessions) {
    const where = `session "${firstText(session.title)}"`;
    if (session.part !== null && !partIds.has(session.part)) throw missing('the part', session.part, where);
    if (session.slot !== null && !slotIds.has(session.slot)) throw missing('the time slot', session.slot, where);
    if (session.room !== null && !roomIds.has(session.room)) throw missing('the room', session.room, where);
    for (const output of session.outputs) if (!outputIds.has(output)) throw missing('the expected output', output, where);
    for (const c of session.contributors) {
      if (c.person === null && c.organisation === null) throw new ImportError(`${where} has a contributor with neither person nor organisation`);
      if (c.person !== null && !personIds.has(c.person)) throw missing('the person', c.person, where);
      if (c.organisation !== null && !organisationIds.has(c.organisation)) throw missing('the organisation', c.organisation, where);
    }
  }
}

/**
 * Every source is held to the bounds of the API (bounds.ts): the event's dates in a sane span,
 * every time slot and part within its days. A file cannot store what a form would refuse.
 */
function checkDates(input: ProgrammeImport): void {
  const { event } = input;
  const [problem] = eventDatesProblems(event.startDate, event.endDate);
  if (problem) {
    const [which, value] = problem.pointer === '#/startDate' ? ['start date', event.startDate] : ['end date', event.endDate];
    // Some details start with the date itself; the others are told which date they are about.
    const named = 'params' in problem && 'value' in problem.params ? '' : ` (${value})`;
    throw new ImportError(`the event's ${which}${named} ${fieldErrorDetail(problem)}`);
  }
  const window = eventWindow(event);
  const zoned = (at: Date) => toZonedIso(at, event.timezone);
  for (const slot of input.slots) {
    if (spanFits(window, slot.startsAt, slot.endsAt)) continue;
    const users = input.sessions.filter((s) => s.slot === slot.publicId).map((s) => `"${firstText(s.title)}"`);
    const what = users.length > 0 ? `session ${users.join(', ')}` : `time slot ${slot.publicId}`;
    throw new ImportError(`${what} (${zoned(slot.startsAt)} to ${zoned(slot.endsAt)}) is outside ${windowDescription(window)}: change the event's dates or the time`);
  }
  for (const part of input.parts) {
    if (spanFits(window, part.startsAt, part.endsAt)) continue;
    const hours = `${part.startsAt ? zoned(part.startsAt) : '…'} to ${part.endsAt ? zoned(part.endsAt) : '…'}`;
    throw new ImportError(`the hours of part "${firstText(part.label)}" (${hours}) are outside ${windowDescription(window)}`);
  }
}

const NOUN: Record<ItemKind, string> = {
  room: 'room', part: 'part', organisation: 'organisation', person: 'person', output: 'expected output', slot: 'time slot', session: 'session',
};

// Rows of a source, by kind, in the order they are scoped and written.
const rowsOf = (input: ProgrammeImport): [ItemKind, { publicId: string }[]][] => [
  ['room', input.rooms], ['part', input.parts], ['organisation', input.organisations], ['person', input.people],
  ['output', input.outputs], ['slot', input.slots], ['session', input.sessions],
];

/**
 * A conference's next edition often reuses the guids of the previous one's rooms and people, and
 * public ids are unique across the database. Such a row gets an id of its own event instead: UUID
 * v5 of "<event id>/<kind>/<original id>" in this namespace, the same at every import.
 */
const SCOPE_NAMESPACE = '5b0f7d52-3c1e-4f7a-9d63-2a8e1c4b6f90';
export const scopedPublicId = (eventPublicId: string, kind: ItemKind, publicId: string) => uuidv5(`${eventPublicId}/${kind}/${publicId}`, SCOPE_NAMESPACE);

/** Which other event holds each of these public ids (through the repository's verbs: events are few, clashes fewer). */
function ownersOf(db: Db, kind: ItemKind, publicIds: string[], targetId: number | null): Map<string, number> {
  const owners = new Map<string, number>();
  if (findForeignPublicId(db, kind, publicIds, targetId) === null) return owners;
  for (const event of listEvents(db)) {
    if (event.id === targetId) continue;
    // In chunks: SQLite limits the parameters of one statement.
    for (let i = 0; i < publicIds.length; i += 500) {
      for (const row of findRowsByPublicIds(db, kind, event.id, publicIds.slice(i, i + 500))) owners.set(row.publicId, event.id);
    }
  }
  return owners;
}

/**
 * The source with every id another event already uses scoped to this event, and a note per such
 * event for the operator. Per row, so that importing either file again changes nothing: an id the
 * event already holds is kept; else its scoped id if the event holds that one; else the scoped id
 * if another event holds the original; else the original. Read only: a preview may call it.
 */
export function scopeProgramme(db: Db, input: ProgrammeImport): { programme: ProgrammeImport; notes: string[] } {
  const target = findEventByPublicId(db, input.event.publicId);
  const renamed = new Map<string, string>();
  const taken = new Map<number, number>();
  for (const [kind, list] of rowsOf(input)) {
    const ids = list.map((r) => r.publicId);
    const own = target ? listIdsOfEvent(db, kind, target.id) : new Map<string, number>();
    const owners = ownersOf(db, kind, ids, target?.id ?? null);
    for (const id of ids) {
      const scoped = scopedPublicId(input.event.publicId, kind, id);
      const owner = owners.get(id);
      if (own.has(id) || (!own.has(scoped) && owner === undefined)) continue;
      renamed.set(id, scoped);
      if (owner !== undefined) taken.set(owner, (taken.get(owner) ?? 0) + 1);
    }
  }
  const notes = [...taken].map(([eventId, n]) => {
    const other = findEventById(db, eventId)!;
    return `${n} ${n === 1 ? 'id' : 'ids'} already used by the event "${firstText(other.title)}" (${other.slug}) ${n === 1 ? 'was' : 'were'} scoped to this event; that event is left as it is.`;
  });
  if (renamed.size === 0) return { programme: input, notes };
  const id = <T extends string | null>(value: T): T => (value === null ? value : ((renamed.get(value) ?? value) as T));
  const programme: ProgrammeImport = {
    ...input,
    rooms: input.rooms.map((r) => ({ ...r, publicId: id(r.publicId) })),
    parts: input.parts.map((p) => ({ ...p, publicId: id(p.publicId) })),
    organisations: input.organisations.map((o) => ({ ...o, publicId: id(o.publicId) })),
    people: input.people.map((p) => ({ ...p, publicId: id(p.publicId), organisation: id(p.organisation) })),
    outputs: input.outputs.map((o) => ({ ...o, publicId: id(o.publicId) })),
    slots: input.slots.map((s) => ({ ...s, publicId: id(s.publicId) })),
    sessions: input.sessions.map((s) => ({
      ...s, publicId: id(s.publicId), part: id(s.part), slot: id(s.slot), room: id(s.room), outputs: s.outputs.map(id),
      contributors: s.contributors.map((c) => ({ ...c, person: id(c.person), organisation: id(c.organisation) })),
    })),
  };
  return { programme, notes };
}

/** The event of the source, found by its id; refuses a source that would rename an event or take another's address or rows. */
function targetEvent(db: Db, input: ProgrammeImport): { id: number } | null {
  const { event: source } = input;
  const existing = findEventByPublicId(db, source.publicId);
  if (existing && existing.slug !== source.slug) {
    throw new ImportError(`this programme was imported before as the event "${existing.slug}"; import it again under that address (it cannot be renamed by an import)`, 409);
  }
  if (!existing && findEventBySlug(db, source.slug)) throw new ImportError(`another event already has the address "${source.slug}"; choose another (--slug)`, 409);
  // Ids another event uses were scoped (scopeProgramme); one still taken would be another
  // event's row, which an import never touches.
  for (const [kind, list] of rowsOf(input)) {
    const clash = findForeignPublicId(db, kind, list.map((r) => r.publicId), existing?.id ?? null);
    if (clash) throw new ImportError(`the ${NOUN[kind]} ${clash} belongs to another event; an import cannot take it over`, 409);
  }
  return existing ? { id: existing.id } : null;
}

/** Creates the event, or brings its own fields to the source's. */
function writeEvent(db: Db, input: ProgrammeImport, existing: { id: number } | null, now: Date, touched: Touched): number {
  const { publicId, ...values } = input.event;
  // Revisions, versions and update times are the database's business (migrations 0002, 0004):
  // they move only when a value really changes, so importing an unchanged file changes nothing.
  if (existing) {
    updateEventRow(db, existing.id, values);
    touched.updated('event', publicId);
    return existing.id;
  }
  return insertEvent(db, { ...values, publicId, updatedAt: now }).id;
}

/** Inserts the rows the event does not have and updates the others; answers row ids by public id, and the ids of rows to delete. */
function upsert(ctx: WriteContext, touched: Touched, kind: ItemKind, rows: ({ publicId: string } & Record<string, unknown>)[]): { ids: Map<string, number>; gone: string[] } {
  const present = listIdsOfEvent(ctx.db, kind, ctx.event.id);
  const ids = new Map<string, number>();
  for (const row of rows) {
    const id = present.get(row.publicId);
    // Rows already there are updated in place (an upsert would burn an AUTOINCREMENT value
    // each time, even when it ends up updating).
    if (id === undefined) {
      const values = { ...row, eventId: ctx.event.id, ...(kind === 'session' ? { updatedAt: ctx.now } : {}) };
      ids.set(row.publicId, insertRow(ctx.db, kind, values as never).id);
      touched.created(kind, row.publicId);
    } else {
      updateRow(ctx.db, kind, id, null, row as never);
      ids.set(row.publicId, id);
      touched.updated(kind, row.publicId);
    }
  }
  return { ids, gone: [...present.keys()].filter((publicId) => !ids.has(publicId)) };
}

/** Rewrites the contributors and outputs of the sessions whose lists differ: every rewrite raises a session's SEQUENCE. */
function syncLinks(db: Db, input: ProgrammeImport, idsOf: (kind: ItemKind) => Map<string, number>): void {
  const sessionIds = idsOf('session');
  const existing = listLinksOfSessions(db, [...sessionIds.values()]);
  const contributorsOf = new Map<number, string[]>();
  for (const c of existing.contributors) contributorsOf.set(c.sessionId, [...(contributorsOf.get(c.sessionId) ?? []), contributorKey(c)]);
  const outputsOf = new Map<number, Set<number>>();
  for (const o of existing.outputs) outputsOf.set(o.sessionId, (outputsOf.get(o.sessionId) ?? new Set()).add(o.outputId));
  const people = idsOf('person');
  const organisations = idsOf('organisation');
  const outputs = idsOf('output');
  for (const s of input.sessions) {
    const sessionId = sessionIds.get(s.publicId)!;
    const links = s.contributors.map((c) => ({
      role: c.role,
      personId: c.person === null ? null : people.get(c.person)!,
      organisationId: c.organisation === null ? null : organisations.get(c.organisation)!,
    }));
    if ((contributorsOf.get(sessionId) ?? []).join('|') !== links.map((c, position) => contributorKey({ ...c, position })).join('|')) {
      replaceContributorLinks(db, sessionId, links);
    }
    const wanted = new Set(s.outputs.map((o) => outputs.get(o)!));
    const have = outputsOf.get(sessionId) ?? new Set<number>();
    changeOutputLinks(db, sessionId, [...wanted].filter((id) => !have.has(id)), [...have].filter((id) => !wanted.has(id)));
  }
}

/**
 * Removes what the source no longer has, sessions first, through the same rules as a deletion
 * by hand: what rapporteurs wrote, and whatever still holds on to an item, is never lost.
 */
function removeGone(ctx: WriteContext, touched: Touched, gone: Map<ItemKind, string[]>): void {
  const goneSessions = (gone.get('session') ?? []).map((publicId) => findRow(ctx.db, 'session', ctx.event.id, publicId)!);
  const kept = new Set(sessionsWithConclusions(ctx.db, goneSessions.map((s) => s.id)));
  const lost = goneSessions.filter((s) => kept.has(s.id));
  if (lost.length > 0) {
    throw new ImportError(`${ctx.event.slug}: the source no longer has ${lost.map((s) => `"${firstText(s.title)}" (${s.publicId})`).join(', ')}, which has conclusions written by rapporteurs. Keep it in the source, cancelled if it no longer takes place.`, 409);
  }
  for (const kind of ['session', 'slot', 'person', 'organisation', 'output', 'part', 'room'] as const) {
    for (const publicId of gone.get(kind) ?? []) {
      try {
        deleteItem(ctx, touched, kind, findRow(ctx.db, kind, ctx.event.id, publicId)!, null);
      } catch (error) {
        if (error instanceof ConflictError) throw new ImportError(`the source no longer has the ${NOUN[kind]} ${publicId}: ${error.message}`, 409);
        throw error;
      }
    }
  }
}

/**
 * Writes the programme in one transaction (BEGIN IMMEDIATE: no other writer can slip in between
 * the checks and the writes). Throws an ImportError, having written nothing, when the programme
 * cannot be written as it is. `actor`, when given, is who the audit log names for each change.
 */
export function writeProgramme(db: Db, source: ProgrammeImport, now: Date = new Date(), actor: Actor | null = null): WriteSummary {
  checkReferences(source);
  checkDates(source);
  return db.transaction(() => {
    const { programme: input, notes: scoping } = scopeProgramme(db, source);
    const existing = targetEvent(db, input);
    const before = existing ? programmeOf(db, findEventById(db, existing.id)!) : null;
    const touched = new Touched();
    const eventId = writeEvent(db, input, existing, now, touched);
    const ctx: WriteContext = { db, event: findEventById(db, eventId)!, actor, now };
    const ids = new Map<ItemKind, Map<string, number>>();
    const gone = new Map<ItemKind, string[]>();
    const idsOf = (kind: ItemKind) => ids.get(kind)!;
    const sync = (kind: ItemKind, rows: ({ publicId: string } & Record<string, unknown>)[]) => {
      const result = upsert(ctx, touched, kind, rows);
      ids.set(kind, result.ids);
      gone.set(kind, result.gone);
    };
    sync('room', input.rooms.map((r, position) => ({ publicId: r.publicId, position, name: r.name, interpretation: r.interpretation })));
    sync('part', input.parts.map((p, position) => ({ publicId: p.publicId, position, label: p.label, title: p.title, startsAt: p.startsAt, endsAt: p.endsAt })));
    sync('output', input.outputs.map((o, position) => ({ publicId: o.publicId, position, statement: o.statement })));
    sync('organisation', input.organisations.map((o) => ({ publicId: o.publicId, name: o.name, fullName: o.fullName, description: o.description })));
    sync('person', input.people.map((p) => ({
      publicId: p.publicId, name: p.name, organisationId: p.organisation === null ? null : idsOf('organisation').get(p.organisation)!, bio: p.bio,
    })));
    sync('slot', input.slots.map((s) => ({ publicId: s.publicId, startsAt: s.startsAt, endsAt: s.endsAt })));
    const knownSessions = new Set(listIdsOfEvent(db, 'session', eventId).keys());
    sync('session', input.sessions.map(({ publicId, part, slot, room, contributors: _c, outputs: _o, ...content }) => ({
      publicId,
      ...content,
      partId: part === null ? null : idsOf('part').get(part)!,
      slotId: slot === null ? null : idsOf('slot').get(slot)!,
      roomId: room === null ? null : idsOf('room').get(room)!,
    })));
    syncLinks(db, input, idsOf);
    removeGone(ctx, touched, gone);

    // Linking a new session's contributors and outputs raised its revision; a session
    // published for the first time starts at SEQUENCE 0 all the same.
    resetRevisions(db, [...idsOf('session')].filter(([publicId]) => !knownSessions.has(publicId)).map(([, id]) => id));

    if (actor) auditTouched(db, actor, now, eventId, before, programmeOf(db, findEventById(db, eventId)!), touched);
    const count = (kind: ItemKind) => idsOf(kind).size;
    return {
      eventId,
      slug: input.event.slug,
      created: !existing,
      scoping,
      counts: {
        sessions: count('session'), rooms: count('room'), people: count('person'), organisations: count('organisation'),
        parts: count('part'), outputs: count('output'), slots: count('slot'),
      },
    };
  }, { behavior: 'immediate' });
}

function contributorKey(c: { role: string; personId: number | null; organisationId: number | null; position: number }): string {
  return `${c.position}:${c.role}:${c.personId}:${c.organisationId}`;
}
