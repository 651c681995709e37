// Sessions' own rules, on top of the common ones (service.ts): a session is placed with a time
// slot or with a start and an end; its contributors and outputs are lists it owns; a released
// one is cancelled, never deleted; a copy carries every content field.
import { v4 as uuidv4 } from 'uuid';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { Programme } from './assemble.ts';
import { findConflicts } from './conflicts.ts';
import {
  findRow, findRowsByPublicIds, findSlotAt, insertRow, isSessionReleased, listContributorLinks, listOutputIds, replaceContributorLinks,
  replaceOutputLinks, updateRow, type ContributorLink,
} from './items.ts';
import type { EventRow } from './repository.ts';
import { eventWindow } from './bounds.ts';
import { checkOrder, checkWithinEvent, columnsOf, parseTime, Problems } from './resources/fields.ts';
import { contentOf, SESSION_FIELDS, sessionRepresentation, type SessionRow } from './resources/session.ts';
import type { Representation } from './resources/resource.ts';
import { checkVersion, deleteItem, itemOf, prepareContext } from './service.ts';
import { write, type WriteContext, type Written } from './write.ts';

/** A session's body as the write API takes it (checked against resources/session.ts's schemas). */
export interface SessionBody {
  kind?: SessionRow['kind'];
  status?: SessionRow['status'];
  title?: SessionRow['title'];
  subtitle?: SessionRow['subtitle'];
  abstract?: SessionRow['abstract'];
  description?: SessionRow['description'];
  language?: string | null;
  interpretation?: { language: string; channel?: string | null }[] | null;
  links?: { url: string; title: string }[] | null;
  part?: string | null;
  slot?: string | null;
  room?: string | null;
  contributors?: { role: ContributorLink['role']; person?: string | null; organisation?: string | null }[];
  outputs?: string[];
  start?: string;
  end?: string;
}

interface PreparedSession {
  values: Partial<SessionRow>;
  contributors: ContributorLink[] | null;
  outputIds: number[] | null;
  /** A slot to find or make, when the body places the session with times. */
  newSlot: { startsAt: Date; endsAt: Date } | null;
}

/** Where a body places the session: in a slot of the event, or at a start and an end (never both). */
function placement(ctx: WriteContext, body: SessionBody, values: Partial<SessionRow>, problems: Problems): PreparedSession['newSlot'] {
  if (body.start === undefined && body.end === undefined) {
    if (body.slot === null) values.slotId = null;
    else if (body.slot !== undefined) {
      const slot = findRow(ctx.db, 'slot', ctx.event.id, body.slot);
      if (slot) values.slotId = slot.id;
      else problems.add({ pointer: '#/slot', code: 'unknown-reference', params: { noun: 'time slot', id: body.slot } });
    }
    return null;
  }
  if (body.slot !== undefined) problems.add({ pointer: '#/slot', code: 'slot-or-times' });
  else if (body.start === undefined) problems.add({ pointer: '#/start', code: 'times-together', params: { other: 'end' } });
  else if (body.end === undefined) problems.add({ pointer: '#/end', code: 'times-together', params: { other: 'start' } });
  else {
    const start = parseTime(problems, 'start', body.start, ctx.event.timezone);
    const end = parseTime(problems, 'end', body.end, ctx.event.timezone);
    checkOrder(problems, 'end', start, end);
    const window = eventWindow(ctx.event);
    checkWithinEvent(problems, 'start', 'startsAt', start, window);
    checkWithinEvent(problems, 'end', 'endsAt', end, window);
    if (start && end && end > start) return { startsAt: start, endsAt: end };
  }
  return null;
}

function contributorsOf(ctx: WriteContext, list: NonNullable<SessionBody['contributors']>, problems: Problems): ContributorLink[] {
  const { db, event } = ctx;
  const idsOf = (kind: 'person' | 'organisation', ids: string[]) => new Map(findRowsByPublicIds(db, kind, event.id, ids).map((r) => [r.publicId, r.id]));
  const people = idsOf('person', list.flatMap((c) => (c.person ? [c.person] : [])));
  const organisations = idsOf('organisation', list.flatMap((c) => (c.organisation ? [c.organisation] : [])));
  const links = list.map((c, i) => {
    if (!c.person && !c.organisation) problems.add({ pointer: `#/contributors/${i}`, code: 'contributor-empty' });
    if (c.person && !people.has(c.person)) problems.add({ pointer: `#/contributors/${i}/person`, code: 'unknown-reference', params: { noun: 'person', id: c.person } });
    if (c.organisation && !organisations.has(c.organisation)) {
      problems.add({ pointer: `#/contributors/${i}/organisation`, code: 'unknown-reference', params: { noun: 'organisation', id: c.organisation } });
    }
    return { role: c.role, personId: c.person ? people.get(c.person) ?? null : null, organisationId: c.organisation ? organisations.get(c.organisation) ?? null : null };
  });
  const seen = new Set<string>();
  links.forEach((c, i) => {
    const key = `${c.role}|${c.personId}|${c.organisationId}`;
    if (seen.has(key)) problems.add({ pointer: `#/contributors/${i}`, code: 'listed-twice' });
    seen.add(key);
  });
  return links;
}

function outputIdsOf(ctx: WriteContext, list: string[], problems: Problems): number[] {
  const outputs = new Map(findRowsByPublicIds(ctx.db, 'output', ctx.event.id, list).map((o) => [o.publicId, o.id]));
  list.forEach((id, i) => {
    if (!outputs.has(id)) problems.add({ pointer: `#/outputs/${i}`, code: 'unknown-reference', params: { noun: 'expected output', id } });
  });
  return list.map((id) => outputs.get(id)!).sort((a, b) => a - b);
}

/** Resolves a session body's references within the event; anything unknown is a 422 naming the field. */
function prepareSession(ctx: WriteContext, body: SessionBody, current: SessionRow | null): PreparedSession {
  const problems = new Problems();
  // The slot is read with the times that can stand for it (placement, below).
  const { slot: _slot, ...fields } = body;
  const values = columnsOf(SESSION_FIELDS, fields, current, prepareContext(ctx), problems) as Partial<SessionRow>;
  // One spelling of each value, so that the triggers (which compare the stored text) see no change when there is none.
  if (body.language !== undefined) values.language = body.language === null ? null : body.language.split(/, ?/).join(', ');
  if (body.links !== undefined) values.links = body.links === null || body.links.length === 0 ? null : body.links.map((l) => ({ url: l.url, title: l.title }));
  const newSlot = placement(ctx, body, values, problems);
  const contributors = body.contributors === undefined ? null : contributorsOf(ctx, body.contributors, problems);
  const outputIds = body.outputs === undefined ? null : outputIdsOf(ctx, body.outputs, problems);
  if (!current && body.title === undefined) problems.add({ pointer: '#/title', code: 'required' });
  problems.throwIfAny();
  return { values, contributors, outputIds, newSlot };
}

/** A part's hours: its own, else the span of its other scheduled sessions; null when it has neither. */
function hoursOf(programme: Programme, part: Programme['parts'][number], except: number): { start: number | null; end: number | null } | null {
  if (part.startsAt !== null || part.endsAt !== null) return { start: part.startsAt?.getTime() ?? null, end: part.endsAt?.getTime() ?? null };
  const spans = programme.sessions.filter((s) => s.part?.id === part.id && s.row.id !== except && s.slot !== null).map((s) => s.slot!);
  if (spans.length === 0) return null;
  return { start: Math.min(...spans.map((s) => s.startsAt.getTime())), end: Math.max(...spans.map((s) => s.endsAt.getTime())) };
}

const holds = (hours: { start: number | null; end: number | null }, times: { startsAt: Date; endsAt: Date }) =>
  (hours.start === null || times.startsAt.getTime() >= hours.start) && (hours.end === null || times.endsAt.getTime() <= hours.end);
const holdsOrNull = (hours: { start: number | null; end: number | null } | null, times: { startsAt: Date; endsAt: Date }) => hours !== null && holds(hours, times);

/**
 * A session given a new time without naming its part follows the time: when its part's hours no
 * longer hold it and exactly one other part's do, it moves to that part, so that a part is not
 * split around another one in the programme. When no part (or several) fits, it keeps its part
 * and the conflict session-outside-part says so (for parts with hours of their own).
 */
function followingPart(before: Programme, row: SessionRow, body: SessionBody, times: { startsAt: Date; endsAt: Date } | null): number | null {
  if (body.part !== undefined || times === null || row.partId === null) return null;
  const current = before.parts.find((p) => p.id === row.partId);
  const own = current ? hoursOf(before, current, row.id) : null;
  if (!own || holds(own, times)) return null;
  const fitting = before.parts.filter((p) => p.id !== row.partId && holdsOrNull(hoursOf(before, p, row.id), times));
  return fitting.length === 1 ? fitting[0]!.id : null;
}

/** The times a write gives the session, when it changes them: a new slot, or new start and end. */
function newTimes(before: Programme, row: SessionRow, values: Partial<SessionRow>, newSlot: PreparedSession['newSlot']) {
  const slot = before.slots.find((s) => s.id === row.slotId);
  if (newSlot) return slot && slot.startsAt.getTime() === newSlot.startsAt.getTime() && slot.endsAt.getTime() === newSlot.endsAt.getTime() ? null : newSlot;
  if (values.slotId === undefined || values.slotId === null || values.slotId === row.slotId) return null;
  return before.slots.find((s) => s.id === values.slotId) ?? null;
}

/** Places the session in the slot of those times, made if the event has none. */
function slotFor(ctx: WriteContext, times: { startsAt: Date; endsAt: Date }): number {
  return (findSlotAt(ctx.db, ctx.event.id, times.startsAt, times.endsAt) ?? insertRow(ctx.db, 'slot', { publicId: uuidv4(), eventId: ctx.event.id, ...times })).id;
}

/** Links are rewritten only when they differ: each rewrite raises the session's SEQUENCE. */
export function saveSessionLinks(db: Db, sessionId: number, contributors: ContributorLink[] | null, outputIds: number[] | null): void {
  if (contributors && JSON.stringify(listContributorLinks(db, sessionId)) !== JSON.stringify(contributors)) replaceContributorLinks(db, sessionId, contributors);
  if (outputIds && JSON.stringify(listOutputIds(db, sessionId)) !== JSON.stringify(outputIds)) replaceOutputLinks(db, sessionId, outputIds);
}

export function createSession(ctx: WriteContext, body: SessionBody): Written<Representation> {
  return write(ctx, (touched) => {
    const { values, contributors, outputIds, newSlot } = prepareSession(ctx, body, null);
    if (newSlot) values.slotId = slotFor(ctx, newSlot);
    const row = insertRow(ctx.db, 'session', {
      kind: 'session', status: 'confirmed', ...values, title: values.title!, publicId: uuidv4(), eventId: ctx.event.id, updatedAt: ctx.now,
    });
    saveSessionLinks(ctx.db, row.id, contributors, outputIds);
    touched.created('session', row.publicId);
    return row.publicId;
  }, (after, publicId) => itemOf(after, 'session', publicId));
}

export function updateSession(ctx: WriteContext, publicId: string, expected: number[], body: SessionBody): Written<Representation> {
  return write(ctx, (touched, before) => {
    const row = findRow(ctx.db, 'session', ctx.event.id, publicId);
    if (!row) throw new NotFoundError('session', publicId);
    checkVersion('session', row.version, expected, () => itemOf(before, 'session', publicId));
    const { values, contributors, outputIds, newSlot } = prepareSession(ctx, body, row);
    const partId = followingPart(before, row, body, newTimes(before, row, values, newSlot));
    if (partId !== null) values.partId = partId;
    if (newSlot) values.slotId = slotFor(ctx, newSlot);
    updateRow(ctx.db, 'session', row.id, row.version, values);
    saveSessionLinks(ctx.db, row.id, contributors, outputIds);
    touched.updated('session', publicId);
  }, (after) => itemOf(after, 'session', publicId));
}

/**
 * A session participants have seen is cancelled, never deleted: only a cancellation reaches
 * the calendars that hold it. One that was never released is only a draft, and can go.
 */
export function deleteSession(ctx: WriteContext, publicId: string, expected: number[]): Written<null> {
  return write(ctx, (touched, before) => {
    const row = findRow(ctx.db, 'session', ctx.event.id, publicId);
    if (!row) throw new NotFoundError('session', publicId);
    checkVersion('session', row.version, expected, () => itemOf(before, 'session', publicId));
    if (isSessionReleased(ctx.db, ctx.event.id, row.id)) {
      throw new ConflictError(`Session ${publicId} has been released: participants may have it in their calendars, and only a cancellation reaches them there. Cancel it instead: PATCH {"status": "cancelled"}`, 'cancel-instead');
    }
    deleteItem(ctx, touched, 'session', row, row.version);
  }, () => null);
}

/**
 * Copies a session under a new public id: every content field (SESSION_CONTENT), part, time
 * slot, room, contributors and expected outputs. The title is kept as it is (organisers change
 * what differs, usually the time or the room); the copy is confirmed even when the original is
 * cancelled; rapporteurs are not copied, as each reports on the session assigned to them.
 */
export function duplicateSession(ctx: WriteContext, publicId: string): Written<Representation> {
  return write(ctx, (touched) => {
    const row = findRow(ctx.db, 'session', ctx.event.id, publicId);
    if (!row) throw new NotFoundError('session', publicId);
    const copy = insertRow(ctx.db, 'session', {
      ...contentOf(row), status: 'confirmed', publicId: uuidv4(), eventId: ctx.event.id, partId: row.partId, slotId: row.slotId, roomId: row.roomId, updatedAt: ctx.now,
    });
    saveSessionLinks(ctx.db, copy.id, listContributorLinks(ctx.db, row.id), listOutputIds(ctx.db, row.id));
    touched.created('session', copy.publicId);
    return copy.publicId;
  }, (after, copyId) => itemOf(after, 'session', copyId));
}

/** Whether participants have seen the session (a released one can only be cancelled). */
export function isReleased(db: Db, event: EventRow, sessionPublicId: string): boolean {
  const row = findRow(db, 'session', event.id, sessionPublicId);
  return row !== null && isSessionReleased(db, event.id, row.id);
}

/** A session to edit in the working copy, with the conflicts it is in. */
export function sessionForEditing(programme: Programme, publicId: string) {
  const found = programme.sessions.find((s) => s.publicId === publicId);
  if (!found) throw new NotFoundError('session', publicId);
  return { session: sessionRepresentation(found, programme.event.timezone), conflicts: findConflicts(programme).filter((c) => c.sessions.some((s) => s.id === publicId)) };
}
