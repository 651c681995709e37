// Rules of the organisers' writes: what may change, how, and what it causes. Every write
// runs in one transaction that checks the version the writer started from, records the
// change in the audit log, and reports the conflicts it created.
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { v4 as uuidv4 } from 'uuid';
import type { Db } from '../../db/client.ts';
import { events, type Language, type LocalizedText } from '../../db/schema.ts';
import {
  ConflictError, NotFoundError, StaleVersionError, UnprocessableError, type FieldError,
} from '../../errors.ts';
import { findUserByPublicId } from '../accounts/repository.ts';
import { findEventById, findEventBySlug, type EventRow } from './repository.ts';
import { programmeOf, type ProgrammeSession } from './assemble.ts';
import { isReleasedSession } from '../releases/service.ts';
import { countConclusionsOfSessions, sessionsTyingOutput } from '../conclusions/repository.ts';
import { isValidTimeZone, localToInstant, toZonedIso } from '../../time.ts';
import { findConflicts, newConflicts, type Conflict } from './conflicts.ts';
import {
  deleteAssignment, deleteRow, findRow, insertAssignment, listAssignments, listAuditActors, listAuditEntries, findRowsByIds, findRowsByPublicIds, findSlotAt, insertAuditEntry, insertRow, listContributorLinks, listOutputIds,
  listRows, nextPosition, peopleOfOrganisation, replaceContributorLinks, replaceOutputLinks, sessionsUsing, updateRow,
  type ContributorLink, type EditableKind, type RowOf,
} from './write-repository.ts';
import type {
  EventCreateBody, EventPatchBody, OrganisationPatchBody, OutputPatchBody, PartPatchBody, PersonPatchBody, RoomPatchBody, SessionPatchBody,
  SlotPatchBody,
} from './schemas.ts';

/** Who writes: kept in the audit log by id and by name, as the name was then. */
export interface Actor {
  id: number | null;
  name: string;
}

export interface Written<T> {
  data: T;
  /** Conflicts that did not exist before this write. */
  warnings: Conflict[];
}

type Json = Record<string, unknown>;

// ---- Representations: what the API returns and the audit log keeps

export function eventOut(row: EventRow) {
  return {
    id: row.publicId, slug: row.slug, title: row.title, subtitle: row.subtitle, description: row.description, venue: row.venue,
    city: row.city, country: row.country, timezone: row.timezone, defaultLanguage: row.defaultLanguage, languages: row.languages,
    startDate: row.startDate, endDate: row.endDate, version: row.version,
  };
}

const zoned = (instant: Date | null, zone: string) => (instant ? toZonedIso(instant, zone) : null);

function partOut(row: RowOf<'part'>, event: EventRow) {
  return {
    id: row.publicId, position: row.position, label: row.label, title: row.title,
    start: zoned(row.startsAt, event.timezone), end: zoned(row.endsAt, event.timezone), version: row.version,
  };
}
const roomOut = (row: RowOf<'room'>) => ({ id: row.publicId, position: row.position, name: row.name, version: row.version });
const slotOut = (row: RowOf<'slot'>, event: EventRow) => ({
  id: row.publicId, start: toZonedIso(row.startsAt, event.timezone), end: toZonedIso(row.endsAt, event.timezone), version: row.version,
});
const outputOut = (row: RowOf<'output'>) => ({ id: row.publicId, position: row.position, statement: row.statement, version: row.version });
const organisationOut = (row: RowOf<'organisation'>) => ({
  id: row.publicId, name: row.name, fullName: row.fullName, description: row.description, version: row.version,
});

function personOut(row: RowOf<'person'>, organisationIds: Map<number, string>) {
  const organisation = row.organisationId === null ? null : organisationIds.get(row.organisationId) ?? null;
  return { id: row.publicId, name: row.name, organisation, bio: row.bio, version: row.version };
}

/** A session as the API shows it, from the assembled programme, which has already resolved every reference. */
function sessionFrom(s: ProgrammeSession, zone: string) {
  return {
    id: s.publicId,
    kind: s.row.kind,
    status: s.row.status,
    title: s.row.title,
    description: s.row.description,
    subtitle: s.row.subtitle,
    abstract: s.row.abstract,
    language: s.row.language,
    links: s.row.links,
    part: s.part?.publicId ?? null,
    slot: s.slot?.publicId ?? null,
    room: s.room?.publicId ?? null,
    contributors: s.contributors.map((c) => ({ role: c.role, person: c.person?.publicId ?? null, organisation: c.organisation?.publicId ?? null })),
    outputs: s.outputs.map((o) => o.publicId),
    start: zoned(s.slot?.startsAt ?? null, zone),
    end: zoned(s.slot?.endsAt ?? null, zone),
    version: s.row.version,
  };
}

function sessionOut(db: Db, row: RowOf<'session'>, event: EventRow) {
  return sessionFrom(programmeOf(db, event).sessions.find((s) => s.row.id === row.id)!, event.timezone);
}

/** The representation of any editable row of an event. */
export function entityOut(db: Db, kind: EditableKind, row: RowOf<EditableKind>, event: EventRow): Json & { version: number } {
  switch (kind) {
    case 'part': return partOut(row as RowOf<'part'>, event);
    case 'room': return roomOut(row as RowOf<'room'>);
    case 'slot': return slotOut(row as RowOf<'slot'>, event);
    case 'output': return outputOut(row as RowOf<'output'>);
    case 'organisation': return organisationOut(row as RowOf<'organisation'>);
    case 'person': {
      const person = row as RowOf<'person'>;
      const organisations = findRowsByIds(db, 'organisation', person.organisationId === null ? [] : [person.organisationId]);
      return personOut(person, new Map(organisations.map((o) => [o.id, o.publicId])));
    }
    case 'session': return sessionOut(db, row as RowOf<'session'>, event);
  }
}

// ---- Reads for editing

export function getEditableEvent(db: Db, slug: string): EventRow {
  const event = findEventBySlug(db, slug);
  if (!event) throw new NotFoundError('event', slug);
  return event;
}

export function getEntity(db: Db, event: EventRow, kind: EditableKind, publicId: string) {
  const row = findRow(db, kind, event.id, publicId);
  if (!row) throw new NotFoundError(kind, publicId);
  return entityOut(db, kind, row, event);
}

/** Every item of a kind, in a fixed number of queries whatever their number. */
export function listEntities(db: Db, event: EventRow, kind: EditableKind) {
  if (kind === 'session') {
    return programmeOf(db, event).sessions.sort((a, b) => a.row.id - b.row.id).map((s) => sessionFrom(s, event.timezone));
  }
  if (kind === 'person') {
    const organisationIds = new Map(listRows(db, 'organisation', event.id).map((o) => [o.id, o.publicId]));
    return listRows(db, 'person', event.id).map((row) => personOut(row, organisationIds));
  }
  const rows = listRows(db, kind, event.id);
  if (kind === 'part' || kind === 'room' || kind === 'output') {
    (rows as RowOf<'part'>[]).sort((a, b) => a.position - b.position || a.id - b.id);
  }
  return rows.map((row) => entityOut(db, kind, row, event));
}

export function getConflicts(db: Db, event: EventRow): Conflict[] {
  return findConflicts(programmeOf(db, event));
}

// ---- Input checks (what a schema cannot say)

class Problems {
  readonly list: FieldError[] = [];
  add(pointer: string, detail: string) {
    this.list.push({ pointer: `#/${pointer}`, detail });
  }
  throwIfAny() {
    if (this.list.length > 0) throw new UnprocessableError(this.list);
  }
}

/** A content field that must exist must be given in the event's default language, the one every fallback ends at. */
function checkDefaultLanguage(problems: Problems, field: string, value: LocalizedText | null | undefined, language: Language) {
  if (value && value[language] === undefined) problems.add(`${field}/${language}`, `is required: ${language} is the event's default language`);
}

/** Parses an event time: local wall-clock time in the event's zone, or an instant with its offset. */
function parseTime(problems: Problems, field: string, value: string, zone: string): Date | null {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const parsed = DateTime.fromISO(value, { setZone: true });
    if (parsed.isValid) return parsed.toJSDate();
    problems.add(field, `"${value}" is not a valid date and time`);
    return null;
  }
  try {
    return localToInstant(value, zone);
  } catch (error) {
    problems.add(field, (error as Error).message);
    return null;
  }
}

function checkOrder(problems: Problems, field: string, start: Date | null, end: Date | null) {
  if (start && end && end.getTime() <= start.getTime()) problems.add(field, 'must be after the start');
}

function isValidDate(value: string): boolean {
  return DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

// ---- The write transaction

interface WriteContext {
  db: Db;
  event: EventRow;
  actor: Actor;
  now: Date;
}

function checkVersion(kind: string, version: number, expected: number[], current: () => Json & { version: number }) {
  if (!expected.includes(version)) throw new StaleVersionError(kind, current());
}

function audit(ctx: WriteContext, action: 'create' | 'update' | 'delete', entity: string, entityId: string, before: Json | null, after: Json | null, eventId = ctx.event.id) {
  insertAuditEntry(ctx.db, { eventId, userId: ctx.actor.id, actor: ctx.actor.name, at: ctx.now, action, entity, entityId, before, after });
}

/**
 * Runs a write in one immediate transaction (so two writers queue rather than interleave),
 * and returns with it the conflicts it caused.
 */
function write<T>(ctx: WriteContext, change: () => T): Written<T> {
  return ctx.db.transaction(() => {
    const conflictsNow = () => findConflicts(programmeOf(ctx.db, findEventById(ctx.db, ctx.event.id)!));
    const before = conflictsNow();
    const data = change();
    return { data, warnings: newConflicts(before, conflictsNow()) };
  }, { behavior: 'immediate' });
}

// ---- Events

export function createEvent(db: Db, actor: Actor, body: EventCreateBody, now: Date): Written<ReturnType<typeof eventOut>> {
  const problems = new Problems();
  const languages = body.languages ?? [body.defaultLanguage];
  checkEventFields(problems, { ...body, languages });
  problems.throwIfAny();
  return db.transaction(() => {
    if (findEventBySlug(db, body.slug)) throw new ConflictError(`An event already has the address /events/${body.slug}`, 'duplicate');
    const ordered = inLanguageOrder(body);
    const row = db.insert(events).values({
      publicId: uuidv4(), slug: body.slug, timezone: body.timezone, defaultLanguage: body.defaultLanguage, languages,
      title: ordered.title, subtitle: ordered.subtitle ?? null, description: ordered.description ?? null, venue: ordered.venue ?? null,
      city: body.city ?? null, country: body.country ?? null, startDate: body.startDate, endDate: body.endDate, updatedAt: now,
    }).returning().get();
    insertAuditEntry(db, { eventId: row.id, userId: actor.id, actor: actor.name, at: now, action: 'create', entity: 'event', entityId: row.publicId, before: null, after: eventOut(row) });
    return { data: eventOut(row), warnings: [] };
  }, { behavior: 'immediate' });
}

function checkEventFields(problems: Problems, fields: Partial<EventPatchBody> & Pick<EventRow, 'timezone' | 'defaultLanguage' | 'languages' | 'startDate' | 'endDate'>) {
  if (!isValidTimeZone(fields.timezone)) problems.add('timezone', `"${fields.timezone}" is not an IANA time zone`);
  if (!fields.languages.includes(fields.defaultLanguage)) problems.add('defaultLanguage', 'must be one of the event\'s languages');
  if (!isValidDate(fields.startDate)) problems.add('startDate', 'is not a date');
  if (!isValidDate(fields.endDate)) problems.add('endDate', 'is not a date');
  if (fields.endDate < fields.startDate) problems.add('endDate', 'must not be before the start date');
  checkDefaultLanguage(problems, 'title', fields.title, fields.defaultLanguage);
}

export function updateEvent(ctx: WriteContext, expected: number[], body: EventPatchBody): Written<ReturnType<typeof eventOut>> {
  return write(ctx, () => {
    const row = findEventById(ctx.db, ctx.event.id)!;
    checkVersion('event', row.version, expected, () => eventOut(row));
    const problems = new Problems();
    const merged = { ...row, ...body };
    // A new default language must be present in the title, the text every fallback ends at.
    checkEventFields(problems, { ...merged, title: body.title ?? (body.defaultLanguage ? row.title : undefined) });
    problems.throwIfAny();
    // The triggers of migrations 0002 and 0004 raise the revision, update time and version
    // only when a value really changes, so sending the current values again changes nothing.
    if (Object.keys(body).length > 0) ctx.db.update(events).set(inLanguageOrder(body)).where(eq(events.id, row.id)).run();
    const after = findEventById(ctx.db, row.id)!;
    if (after.version !== row.version) audit(ctx, 'update', 'event', row.publicId, eventOut(row), eventOut(after));
    return eventOut(after);
  });
}

// ---- Parts, rooms, slots, outputs, organisations, people

type Values<K extends EditableKind> = Partial<RowOf<K>>;

/** Turns a create or patch body into column values, checking what the schema cannot. */
function valuesOf(ctx: WriteContext, kind: EditableKind, body: Json, current: RowOf<EditableKind> | null): Values<EditableKind> {
  const { db, event } = ctx;
  const problems = new Problems();
  const language = event.defaultLanguage;
  const values: Json = {};
  for (const field of ['label', 'title', 'name', 'statement']) {
    if (body[field] !== undefined && (kind !== 'person' || field !== 'name')) checkDefaultLanguage(problems, field, body[field] as LocalizedText, language);
  }
  switch (kind) {
    case 'part': {
      const b = body as PartPatchBody;
      Object.assign(values, pick(b, ['label', 'title', 'position']));
      const part = current as RowOf<'part'> | null;
      const start = b.start === undefined ? part?.startsAt ?? null : b.start === null ? null : parseTime(problems, 'start', b.start, event.timezone);
      const end = b.end === undefined ? part?.endsAt ?? null : b.end === null ? null : parseTime(problems, 'end', b.end, event.timezone);
      checkOrder(problems, 'end', start, end);
      if (b.start !== undefined) values.startsAt = start;
      if (b.end !== undefined) values.endsAt = end;
      break;
    }
    case 'room':
    case 'output':
      Object.assign(values, pick(body as RoomPatchBody & OutputPatchBody, ['name', 'statement', 'position']));
      break;
    case 'slot': {
      const b = body as SlotPatchBody;
      const slot = current as RowOf<'slot'> | null;
      const start = b.start === undefined ? slot?.startsAt ?? null : parseTime(problems, 'start', b.start, event.timezone);
      const end = b.end === undefined ? slot?.endsAt ?? null : parseTime(problems, 'end', b.end, event.timezone);
      checkOrder(problems, 'end', start, end);
      if (b.start !== undefined) values.startsAt = start;
      if (b.end !== undefined) values.endsAt = end;
      break;
    }
    case 'organisation':
      Object.assign(values, pick(body as OrganisationPatchBody, ['name', 'fullName', 'description']));
      break;
    case 'person': {
      const b = body as PersonPatchBody;
      Object.assign(values, pick(b, ['name', 'bio']));
      if (b.organisation !== undefined) {
        const organisation = b.organisation === null ? null : findRow(db, 'organisation', event.id, b.organisation);
        if (b.organisation !== null && !organisation) problems.add('organisation', `this event has no organisation ${b.organisation}`);
        values.organisationId = organisation?.id ?? null;
      }
      break;
    }
    case 'session':
      throw new Error('sessions have their own write path');
  }
  problems.throwIfAny();
  return values as Values<EditableKind>;
}

function pick<T extends object>(body: T, fields: string[]): Json {
  const out: Json = {};
  for (const field of fields) if ((body as Json)[field] !== undefined) out[field] = (body as Json)[field];
  return inLanguageOrder(out);
}

const LANGUAGE_ORDER: readonly Language[] = ['fr', 'en', 'es'];

function isLocalized(value: unknown): value is LocalizedText {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
    && Object.keys(value).length > 0 && Object.keys(value).every((k) => (LANGUAGE_ORDER as readonly string[]).includes(k));
}

/**
 * Texts are stored as JSON, and the triggers compare the stored text: the same words sent
 * with their languages in another order must be the same value, not a change.
 */
function inLanguageOrder<T extends object>(values: T): T {
  const out: Json = {};
  for (const [field, value] of Object.entries(values)) {
    out[field] = isLocalized(value) ? Object.fromEntries(LANGUAGE_ORDER.flatMap((l) => (value[l] === undefined ? [] : [[l, value[l]]]))) : value;
  }
  return out as T;
}

export function createEntity(ctx: WriteContext, kind: Exclude<EditableKind, 'session'>, body: Json): Written<Json> {
  return write(ctx, () => {
    const values: Json = { ...valuesOf(ctx, kind, body, null), publicId: uuidv4(), eventId: ctx.event.id };
    if ((kind === 'part' || kind === 'room' || kind === 'output') && values.position === undefined) values.position = nextPosition(ctx.db, kind, ctx.event.id);
    const row = insertRow(ctx.db, kind, values as never);
    const after = entityOut(ctx.db, kind, row, ctx.event);
    audit(ctx, 'create', kind, row.publicId, null, after);
    return after;
  });
}

export function updateEntity(ctx: WriteContext, kind: Exclude<EditableKind, 'session'>, publicId: string, expected: number[], body: Json): Written<Json> {
  return write(ctx, () => {
    const row = findRow(ctx.db, kind, ctx.event.id, publicId);
    if (!row) throw new NotFoundError(kind, publicId);
    const before = entityOut(ctx.db, kind, row, ctx.event);
    checkVersion(kind, row.version, expected, () => before);
    updateRow(ctx.db, kind, row.id, row.version, valuesOf(ctx, kind, body, row) as never);
    const after = entityOut(ctx.db, kind, findRow(ctx.db, kind, ctx.event.id, publicId)!, ctx.event);
    if (after.version !== before.version) audit(ctx, 'update', kind, publicId, before, after);
    return after;
  });
}

/** Deletes a part, room, slot, output, organisation or person that no session uses any more. */
export function deleteEntity(ctx: WriteContext, kind: Exclude<EditableKind, 'session'>, publicId: string, expected: number[]): Written<null> {
  return write(ctx, () => {
    const row = findRow(ctx.db, kind, ctx.event.id, publicId);
    if (!row) throw new NotFoundError(kind, publicId);
    const before = entityOut(ctx.db, kind, row, ctx.event);
    checkVersion(kind, row.version, expected, () => before);
    const usedBy = sessionsUsing(ctx.db, kind, row.id);
    if (usedBy.length > 0) {
      throw new ConflictError(`This ${kind} is used by ${usedBy.length} session(s): change them first, so that nothing is lost without your knowing`, 'in-use', { sessions: usedBy });
    }
    if (kind === 'output') {
      const tiedBy = sessionsTyingOutput(ctx.db, ctx.event.id, publicId);
      if (tiedBy.length > 0) {
        throw new ConflictError(`Recommendations of ${tiedBy.length} session(s) serve this output: change their conclusions first, so that nothing is lost without your knowing`, 'in-use', { sessions: tiedBy });
      }
    }
    if (kind === 'organisation') {
      const members = peopleOfOrganisation(ctx.db, row.id);
      if (members.length > 0) throw new ConflictError(`${members.length} person(s) belong to this organisation: change them first`, 'in-use', { people: members });
    }
    deleteRow(ctx.db, kind, row.id, row.version);
    audit(ctx, 'delete', kind, publicId, before, null);
    return null;
  });
}

// ---- Sessions

/** Resolves a session body's references within the event; anything unknown is a 422 naming the field. */
function sessionValues(ctx: WriteContext, body: SessionPatchBody, current: RowOf<'session'> | null) {
  const { db, event } = ctx;
  const problems = new Problems();
  const values: Values<'session'> = {};
  if (body.title !== undefined) checkDefaultLanguage(problems, 'title', body.title, event.defaultLanguage);
  Object.assign(values, pick(body, ['kind', 'status', 'title', 'description', 'subtitle', 'abstract']));
  // One spelling of each value, so that the triggers (which compare the stored text) see no change when there is none.
  if (body.language !== undefined) values.language = body.language === null ? null : body.language.split(/, ?/).join(', ');
  if (body.links !== undefined) {
    values.links = body.links === null || body.links.length === 0 ? null : body.links.map((link) => ({ url: link.url, title: link.title }));
  }
  const reference = (field: 'part' | 'room' | 'slot', kind: 'part' | 'room' | 'slot', id: string | null | undefined) => {
    if (id === undefined) return;
    if (id === null) {
      values[`${field}Id`] = null;
      return;
    }
    const row = findRow(db, kind, event.id, id);
    if (!row) problems.add(field, `this event has no ${kind === 'slot' ? 'time slot' : kind} ${id}`);
    else values[`${field}Id`] = row.id;
  };
  reference('part', 'part', body.part);
  reference('room', 'room', body.room);

  // A session is placed with a slot, or with a start and an end (a slot is found or made).
  let newSlot: { startsAt: Date; endsAt: Date } | null = null;
  if (body.start !== undefined || body.end !== undefined) {
    if (body.slot !== undefined) problems.add('slot', 'give either a time slot, or a start and an end, not both');
    else if (body.start === undefined) problems.add('start', 'is required with end');
    else if (body.end === undefined) problems.add('end', 'is required with start');
    else {
      const start = parseTime(problems, 'start', body.start, event.timezone);
      const end = parseTime(problems, 'end', body.end, event.timezone);
      checkOrder(problems, 'end', start, end);
      if (start && end && end > start) newSlot = { startsAt: start, endsAt: end };
    }
  } else {
    reference('slot', 'slot', body.slot);
  }

  let contributors: ContributorLink[] | null = null;
  if (body.contributors !== undefined) {
    const people = new Map(findRowsByPublicIds(db, 'person', event.id, body.contributors.flatMap((c) => (c.person ? [c.person] : []))).map((p) => [p.publicId, p.id]));
    const organisations = new Map(findRowsByPublicIds(db, 'organisation', event.id, body.contributors.flatMap((c) => (c.organisation ? [c.organisation] : []))).map((o) => [o.publicId, o.id]));
    contributors = body.contributors.map((c, i) => {
      if (!c.person && !c.organisation) problems.add(`contributors/${i}`, 'needs a person, an organisation, or both');
      if (c.person && !people.has(c.person)) problems.add(`contributors/${i}/person`, `this event has no person ${c.person}`);
      if (c.organisation && !organisations.has(c.organisation)) problems.add(`contributors/${i}/organisation`, `this event has no organisation ${c.organisation}`);
      return { role: c.role, personId: c.person ? people.get(c.person) ?? null : null, organisationId: c.organisation ? organisations.get(c.organisation) ?? null : null };
    });
    const seen = new Set<string>();
    contributors.forEach((c, i) => {
      const key = `${c.role}|${c.personId}|${c.organisationId}`;
      if (seen.has(key)) problems.add(`contributors/${i}`, 'is listed twice');
      seen.add(key);
    });
  }

  let outputIds: number[] | null = null;
  if (body.outputs !== undefined) {
    const outputs = new Map(findRowsByPublicIds(db, 'output', event.id, body.outputs).map((o) => [o.publicId, o.id]));
    body.outputs.forEach((id, i) => {
      if (!outputs.has(id)) problems.add(`outputs/${i}`, `this event has no expected output ${id}`);
    });
    outputIds = body.outputs.map((id) => outputs.get(id)!).sort((a, b) => a - b);
  }
  if (!current && body.title === undefined) problems.add('title', 'is required');
  problems.throwIfAny();

  if (newSlot) {
    const slot = findSlotAt(db, event.id, newSlot.startsAt, newSlot.endsAt)
      ?? insertRow(db, 'slot', { publicId: uuidv4(), eventId: event.id, ...newSlot });
    values.slotId = slot.id;
  }
  return { values, contributors, outputIds };
}

function saveSessionLinks(db: Db, sessionId: number, contributors: ContributorLink[] | null, outputIds: number[] | null) {
  // Links are rewritten only when they differ: each rewrite raises the session's SEQUENCE.
  if (contributors && JSON.stringify(listContributorLinks(db, sessionId)) !== JSON.stringify(contributors)) {
    replaceContributorLinks(db, sessionId, contributors);
  }
  if (outputIds && JSON.stringify(listOutputIds(db, sessionId)) !== JSON.stringify(outputIds)) replaceOutputLinks(db, sessionId, outputIds);
}

export function createSession(ctx: WriteContext, body: SessionPatchBody): Written<Json> {
  return write(ctx, () => {
    const { values, contributors, outputIds } = sessionValues(ctx, body, null);
    const row = insertRow(ctx.db, 'session', {
      kind: 'session', status: 'confirmed', ...values, title: values.title!, publicId: uuidv4(), eventId: ctx.event.id, updatedAt: ctx.now,
    });
    saveSessionLinks(ctx.db, row.id, contributors, outputIds);
    const after = sessionOut(ctx.db, findRow(ctx.db, 'session', ctx.event.id, row.publicId)!, ctx.event);
    audit(ctx, 'create', 'session', row.publicId, null, after);
    return after;
  });
}

export function updateSession(ctx: WriteContext, publicId: string, expected: number[], body: SessionPatchBody): Written<Json> {
  return write(ctx, () => {
    const row = findRow(ctx.db, 'session', ctx.event.id, publicId);
    if (!row) throw new NotFoundError('session', publicId);
    const before = sessionOut(ctx.db, row, ctx.event);
    checkVersion('session', row.version, expected, () => before);
    const { values, contributors, outputIds } = sessionValues(ctx, body, row);
    updateRow(ctx.db, 'session', row.id, row.version, values);
    saveSessionLinks(ctx.db, row.id, contributors, outputIds);
    const after = sessionOut(ctx.db, findRow(ctx.db, 'session', ctx.event.id, publicId)!, ctx.event);
    if (after.version !== before.version) audit(ctx, 'update', 'session', publicId, before, after);
    return after;
  });
}

/**
 * A session participants have seen is cancelled, never deleted: only a cancellation reaches
 * the calendars that hold it. One that was never released is only a draft, and can go.
 */
export function deleteSession(ctx: WriteContext, publicId: string, expected: number[]): Written<null> {
  return write(ctx, () => {
    const row = findRow(ctx.db, 'session', ctx.event.id, publicId);
    if (!row) throw new NotFoundError('session', publicId);
    const before = sessionOut(ctx.db, row, ctx.event);
    checkVersion('session', row.version, expected, () => before);
    if (isReleasedSession(ctx.db, ctx.event.id, row.id)) {
      throw new ConflictError(`Session ${publicId} has been released: participants may have it in their calendars, and only a cancellation reaches them there. Cancel it instead: PATCH {"status": "cancelled"}`, 'cancel-instead');
    }
    if (countConclusionsOfSessions(ctx.db, [row.id]) > 0) {
      throw new ConflictError(`Session ${publicId} has conclusions written by its rapporteurs, which deleting it would lose. Cancel it instead: PATCH {"status": "cancelled"}`, 'cancel-instead');
    }
    deleteRow(ctx.db, 'session', row.id, row.version);
    audit(ctx, 'delete', 'session', publicId, before, null);
    return null;
  });
}

// ---- Rapporteur assignments

function assignmentOut(sessionPublicId: string, a: ReturnType<typeof listAssignments>[number]) {
  return { session: sessionPublicId, user: { id: a.user.publicId, name: a.user.name, email: a.user.email }, assignedAt: a.assignedAt.toISOString() };
}

export function listRapporteurs(db: Db, event: EventRow, sessionPublicId: string) {
  const session = findRow(db, 'session', event.id, sessionPublicId);
  if (!session) throw new NotFoundError('session', sessionPublicId);
  return listAssignments(db, session.id).map((a) => assignmentOut(session.publicId, a));
}

/** Assigns a rapporteur to a session; assigning again changes nothing. */
export function assignRapporteur(ctx: WriteContext, sessionPublicId: string, userPublicId: string): Written<ReturnType<typeof assignmentOut>> {
  return write(ctx, () => {
    const session = findRow(ctx.db, 'session', ctx.event.id, sessionPublicId);
    if (!session) throw new NotFoundError('session', sessionPublicId);
    const user = findUserByPublicId(ctx.db, userPublicId);
    if (!user) throw new UnprocessableError([{ pointer: '#/user', detail: `there is no account ${userPublicId}` }]);
    if (user.role !== 'rapporteur') throw new UnprocessableError([{ pointer: '#/user', detail: `${user.name} is not a rapporteur` }]);
    if (insertAssignment(ctx.db, session.id, user.id, ctx.now)) {
      audit(ctx, 'create', 'assignment', `${session.publicId}/${user.publicId}`, null, { session: session.publicId, user: user.publicId });
    }
    return assignmentOut(session.publicId, listAssignments(ctx.db, session.id).find((a) => a.user.id === user.id)!);
  });
}

export function unassignRapporteur(ctx: WriteContext, sessionPublicId: string, userPublicId: string): void {
  write(ctx, () => {
    const session = findRow(ctx.db, 'session', ctx.event.id, sessionPublicId);
    const user = findUserByPublicId(ctx.db, userPublicId);
    if (!session || !user || !deleteAssignment(ctx.db, session.id, user.id)) throw new NotFoundError('assignment', `${sessionPublicId}/${userPublicId}`);
    audit(ctx, 'delete', 'assignment', `${session.publicId}/${user.publicId}`, { session: session.publicId, user: user.publicId }, null);
  });
}

// ---- Audit log

export function getAudit(db: Db, event: EventRow, query: { entity?: string | undefined; entityId?: string | undefined; user?: string | undefined; before?: number | undefined; limit?: number | undefined }) {
  const limit = query.limit ?? 100;
  let userId: number | undefined;
  if (query.user) {
    const user = findUserByPublicId(db, query.user);
    if (!user) return { entries: [], next: null };
    userId = user.id;
  }
  const rows = listAuditEntries(db, event.id, { entity: query.entity, entityId: query.entityId, userId, before: query.before, limit });
  return {
    entries: rows.map(({ entry, userPublicId }) => ({
      id: entry.id,
      at: entry.at.toISOString(),
      actor: { id: userPublicId, name: entry.actor },
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      before: entry.before,
      after: entry.after,
    })),
    next: rows.length === limit ? rows[rows.length - 1]!.entry.id : null,
  };
}

export { type WriteContext };

// ---- For the organisers' pages (server/admin/ui-routes.ts)

/**
 * A session to edit, with the whole working copy it belongs to (for the form's choices and
 * the conflicts it is in), in the fixed handful of queries of one programmeOf.
 */
export function getSessionForEditing(db: Db, event: EventRow, publicId: string) {
  const programme = programmeOf(db, event);
  const session = programme.sessions.find((s) => s.publicId === publicId);
  if (!session) throw new NotFoundError('session', publicId);
  return { programme, session: sessionFrom(session, event.timezone), conflicts: findConflicts(programme) };
}

/**
 * Copies a session under a new public id: same kind, title, subtitle, agenda, abstract,
 * language, links, part, time slot, room, contributors and expected outputs. The title is
 * kept as it is (organisers change what differs, usually the time or the room); the copy is
 * confirmed even when the original is cancelled; rapporteurs are not copied, as each reports
 * on the session assigned to them.
 */
export function duplicateSession(ctx: WriteContext, publicId: string): Written<Json> {
  return write(ctx, () => {
    const row = findRow(ctx.db, 'session', ctx.event.id, publicId);
    if (!row) throw new NotFoundError('session', publicId);
    const copy = insertRow(ctx.db, 'session', {
      publicId: uuidv4(), eventId: ctx.event.id, partId: row.partId, slotId: row.slotId, roomId: row.roomId, kind: row.kind,
      status: 'confirmed', title: row.title, description: row.description, subtitle: row.subtitle, abstract: row.abstract,
      language: row.language, links: row.links, updatedAt: ctx.now,
    });
    saveSessionLinks(ctx.db, copy.id, listContributorLinks(ctx.db, row.id), listOutputIds(ctx.db, row.id));
    const after = sessionOut(ctx.db, findRow(ctx.db, 'session', ctx.event.id, copy.publicId)!, ctx.event);
    audit(ctx, 'create', 'session', copy.publicId, null, after);
    return after;
  });
}

/**
 * Moves a part one place up or down among the event's parts, in one transaction: the two
 * parts swap positions (when they share one, every part is renumbered in the new order).
 * Moving the first part up or the last one down changes nothing. Returns the parts in order.
 */
export function movePart(ctx: WriteContext, publicId: string, direction: 'up' | 'down'): Written<Json[]> {
  return write(ctx, () => {
    const ordered = listRows(ctx.db, 'part', ctx.event.id).sort((a, b) => a.position - b.position || a.id - b.id);
    const from = ordered.findIndex((p) => p.publicId === publicId);
    if (from < 0) throw new NotFoundError('part', publicId);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (to >= 0 && to < ordered.length) {
      const a = ordered[from]!;
      const b = ordered[to]!;
      const target = new Map<number, number>();
      if (a.position !== b.position) {
        target.set(a.id, b.position);
        target.set(b.id, a.position);
      } else {
        const reordered = [...ordered];
        reordered[from] = b;
        reordered[to] = a;
        reordered.forEach((p, i) => target.set(p.id, i));
      }
      for (const part of ordered) {
        const position = target.get(part.id);
        if (position === undefined || position === part.position) continue;
        const before = partOut(part, ctx.event);
        updateRow(ctx.db, 'part', part.id, part.version, { position });
        audit(ctx, 'update', 'part', part.publicId, before, partOut(findRow(ctx.db, 'part', ctx.event.id, part.publicId)!, ctx.event));
      }
    }
    return listEntities(ctx.db, ctx.event, 'part');
  });
}

/** Who appears in an event's audit log (accounts that still exist), for filtering it by person. */
export function getAuditActors(db: Db, event: EventRow) {
  return listAuditActors(db, event.id).map((u) => ({ id: u.publicId, name: u.name }));
}
