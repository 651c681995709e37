// Actions on many sessions at once (move by an offset, set the room or the part, cancel,
// restore) and copies of a time slot, a part or a whole day onto another day of the event.
// Each is one write (write.ts): one transaction, one audit entry per item it changes or makes,
// and every selected session checked at the version the organiser saw, so that a selection one
// of whose sessions changed meanwhile changes nothing at all rather than half of it.
import { DateTime } from 'luxon';
import { v4 as uuidv4 } from 'uuid';
import { HttpError, NotFoundError } from '../../errors.ts';
import { instantsOfLocal, localDate } from '../../time.ts';
import type { Programme, ProgrammeSession } from './assemble.ts';
import { daysCounted, endFits, eventWindow, isValidDate, startFits } from './bounds.ts';
import { findRow, findSlotAt, insertRow, listContributorLinks, listOutputIds, nextPosition, updateRow } from './items.ts';
import type { PartRow } from './repository.ts';
import { contentOf, type SessionRow } from './resources/session.ts';
import { saveSessionLinks } from './sessions.ts';
import { write, type Touched, type WriteContext, type Written } from './write.ts';

/** A session as the organiser saw it when ticking it: its public id and version. */
export interface Selected {
  id: string;
  version: number;
}

/** A selection holds at most this many sessions (a large congress has a few hundred). */
export const BULK_MAX = 1000;
/** A move is by at most a week either way: beyond that it is another event, not a shift. */
export const OFFSET_MAX_MINUTES = 7 * 24 * 60;

export type BulkReason =
  | 'nothing-selected' | 'too-many' | 'invalid-offset' | 'outside-event-days' | 'unknown-room' | 'unknown-part'
  | 'not-event-day' | 'same-day' | 'nothing-to-copy' | 'clock-change';

/**
 * A bulk action or a copy that cannot be done as asked: why, and the sessions at fault (public
 * ids; those a move or a copy would put outside the event's days). Nothing was written.
 */
export class BulkRefusal extends HttpError {
  override name = 'BulkRefusal';
  constructor(readonly reason: BulkReason, readonly sessions: string[] = [], readonly cancelled = 0) {
    super(422, 'errors.unprocessable.title', `${reason}${sessions.length > 0 ? `: ${sessions.join(', ')}` : ''}`, 'validation', { reason, sessions });
  }
}

/** Sessions of the selection changed (`changed`) or deleted (`missing`) since the organiser saw them: nothing was written. */
export class StaleSelectionError extends HttpError {
  override name = 'StaleSelectionError';
  constructor(readonly changed: string[], readonly missing: string[]) {
    super(409, 'errors.conflict.title',
      `Sessions were changed or deleted by someone else since you read them (${[...changed, ...missing].join(', ')}). Nothing was saved: start again from the current state.`,
      'stale-version', { changed, missing });
  }
}

export interface BulkResult {
  /** The sessions the action applied to (for a move: the scheduled ones). */
  count: number;
  /** Of those, the ones that were not already as asked, and were written. */
  changed: number;
  /** Selected sessions a move left where they were: they have no time to shift. */
  skipped: number;
}

export interface CopyResult {
  /** Sessions created on the target day. */
  created: number;
  /** Cancelled sessions of the source, which are not copied. */
  skipped: number;
  toDay: string;
  /** The new part, when a part was copied. */
  part: string | null;
}

/** The selected sessions as they are now, or a refusal naming every one that changed meanwhile. */
function selectedSessions(programme: Programme, selection: Selected[]): ProgrammeSession[] {
  if (selection.length === 0) throw new BulkRefusal('nothing-selected');
  if (selection.length > BULK_MAX) throw new BulkRefusal('too-many');
  const byId = new Map(programme.sessions.map((s) => [s.publicId, s]));
  const seen = new Set<string>();
  const chosen: ProgrammeSession[] = [];
  const changed: string[] = [];
  const missing: string[] = [];
  for (const { id, version } of selection) {
    if (seen.has(id)) continue;
    seen.add(id);
    const session = byId.get(id);
    if (!session) missing.push(id);
    else if (session.row.version !== version) changed.push(id);
    else chosen.push(session);
  }
  if (changed.length > 0 || missing.length > 0) throw new StaleSelectionError(changed, missing);
  return chosen;
}

/** The event's slot of these times, made if it has none yet. */
function slotAt(ctx: WriteContext, touched: Touched, startsAt: Date, endsAt: Date): number {
  const found = findSlotAt(ctx.db, ctx.event.id, startsAt, endsAt);
  if (found) return found.id;
  const made = insertRow(ctx.db, 'slot', { publicId: uuidv4(), eventId: ctx.event.id, startsAt, endsAt });
  touched.created('slot', made.publicId);
  return made.id;
}

/** Writes one column of each chosen session that does not have the value yet. */
function setColumn(ctx: WriteContext, touched: Touched, chosen: ProgrammeSession[], values: Partial<SessionRow>, has: (s: ProgrammeSession) => boolean): number {
  let changed = 0;
  for (const session of chosen) {
    if (has(session)) continue;
    updateRow(ctx.db, 'session', session.row.id, session.row.version, values);
    touched.updated('session', session.publicId);
    changed += 1;
  }
  return changed;
}

/**
 * Moves every selected scheduled session by the offset, into the slot of its new times (found or
 * made). Unscheduled ones have no time to shift: they are left as they are, and counted. One
 * that would leave the event's days refuses the whole move, naming every such session.
 */
export function moveSessions(ctx: WriteContext, selection: Selected[], offsetMinutes: number): Written<BulkResult> {
  if (!Number.isInteger(offsetMinutes) || offsetMinutes === 0 || Math.abs(offsetMinutes) > OFFSET_MAX_MINUTES) throw new BulkRefusal('invalid-offset');
  const shift = offsetMinutes * 60_000;
  return write(ctx, (touched, before) => {
    const chosen = selectedSessions(before, selection);
    const placed = chosen.filter((s) => s.slot !== null);
    const window = eventWindow(ctx.event);
    const times = new Map(placed.map((s) => [s, { startsAt: new Date(s.slot!.startsAt.getTime() + shift), endsAt: new Date(s.slot!.endsAt.getTime() + shift) }]));
    const outside = placed.filter((s) => !startFits(window, times.get(s)!.startsAt) || !endFits(window, times.get(s)!.endsAt));
    if (outside.length > 0) throw new BulkRefusal('outside-event-days', outside.map((s) => s.publicId));
    for (const session of placed) {
      const { startsAt, endsAt } = times.get(session)!;
      updateRow(ctx.db, 'session', session.row.id, session.row.version, { slotId: slotAt(ctx, touched, startsAt, endsAt) });
      touched.updated('session', session.publicId);
    }
    return { count: placed.length, changed: placed.length, skipped: chosen.length - placed.length };
  }, (_after, result) => result);
}

/** Puts the selected sessions in this room or part (null: in none). */
function setPlace(ctx: WriteContext, selection: Selected[], kind: 'room' | 'part', publicId: string | null): Written<BulkResult> {
  return write(ctx, (touched, before) => {
    const found = publicId === null ? null : findRow(ctx.db, kind, ctx.event.id, publicId);
    if (publicId !== null && !found) throw new BulkRefusal(kind === 'room' ? 'unknown-room' : 'unknown-part');
    const id = found?.id ?? null;
    const chosen = selectedSessions(before, selection);
    const changed = kind === 'room'
      ? setColumn(ctx, touched, chosen, { roomId: id }, (s) => s.row.roomId === id)
      : setColumn(ctx, touched, chosen, { partId: id }, (s) => s.row.partId === id);
    return { count: chosen.length, changed, skipped: 0 };
  }, (_after, result) => result);
}

export const setRoom = (ctx: WriteContext, selection: Selected[], roomId: string | null) => setPlace(ctx, selection, 'room', roomId);
export const setPart = (ctx: WriteContext, selection: Selected[], partId: string | null) => setPlace(ctx, selection, 'part', partId);

function setStatus(ctx: WriteContext, selection: Selected[], status: SessionRow['status']): Written<BulkResult> {
  return write(ctx, (touched, before) => {
    const chosen = selectedSessions(before, selection);
    const changed = setColumn(ctx, touched, chosen, { status }, (s) => s.row.status === status);
    return { count: chosen.length, changed, skipped: 0 };
  }, (_after, result) => result);
}

/** Cancels the selected sessions: participants learn of it with the next release, calendars included. */
export function cancelSessions(ctx: WriteContext, selection: Selected[]): Written<BulkResult> {
  return setStatus(ctx, selection, 'cancelled');
}

/** Confirms the selected sessions again. */
export function restoreSessions(ctx: WriteContext, selection: Selected[]): Written<BulkResult> {
  return setStatus(ctx, selection, 'confirmed');
}

// ---- Copies onto another day

/**
 * The same wall-clock time, some days later or earlier: a copy across a clock change keeps the
 * time participants read. Null when the clock skips or repeats that time on the target day
 * (refused, as a time typed there would be: never shifted, never guessed).
 */
function daysLater(instant: Date, zone: string, days: number): Date | null {
  const wall = DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
  const target = DateTime.fromISO(wall, { zone: 'UTC' }).plus({ days }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
  const instants = instantsOfLocal(target, zone);
  return instants?.length === 1 ? instants[0]! : null;
}

function isEventDay(ctx: WriteContext, day: string): boolean {
  return isValidDate(day) && day >= ctx.event.startDate && day <= ctx.event.endDate;
}

/** Days from one date to the other (negative: earlier), once both are known to be days of the event and to differ. */
function checkDays(ctx: WriteContext, fromDay: string, toDay: string): number {
  if (!isEventDay(ctx, toDay)) throw new BulkRefusal('not-event-day');
  if (toDay === fromDay) throw new BulkRefusal('same-day');
  return toDay > fromDay ? daysCounted(fromDay, toDay) - 1 : -(daysCounted(toDay, fromDay) - 1);
}

interface CopyPlan {
  /** The programme before the copy. */
  programme: Programme;
  /** Scheduled sessions of the source, cancelled ones included (they are counted, not copied). */
  sources: ProgrammeSession[];
  days: number;
  toDay: string;
  /** The part a copy goes in; undefined: the part that holds its times (partHolding). */
  parts?: (touched: Touched, original: ProgrammeSession) => number | null | undefined;
}

/**
 * The part a copy goes in: its original's, unless that part has hours that do not hold the
 * copy's times and exactly one other part's hours do (a morning slot copied to another day goes
 * in that day's morning part), as a session given a new time follows it (sessions.ts).
 */
function partHolding(programme: Programme, original: ProgrammeSession, times: { startsAt: Date; endsAt: Date }): number | null {
  const part = original.part;
  const hasHours = (p: PartRow) => p.startsAt !== null || p.endsAt !== null;
  const holds = (p: PartRow) => hasHours(p) && (p.startsAt === null || times.startsAt.getTime() >= p.startsAt.getTime())
    && (p.endsAt === null || times.endsAt.getTime() <= p.endsAt.getTime());
  if (!part || !hasHours(part) || holds(part)) return original.row.partId;
  const fitting = programme.parts.filter((p) => p.id !== part.id && holds(p));
  return fitting.length === 1 ? fitting[0]!.id : part.id;
}

/** A new part like this one, its hours moved by these days. */
function copyOfPart(ctx: WriteContext, touched: Touched, part: PartRow, days: number): PartRow {
  const zone = ctx.event.timezone;
  const startsAt = part.startsAt && daysLater(part.startsAt, zone, days);
  const endsAt = part.endsAt && daysLater(part.endsAt, zone, days);
  if ((part.startsAt && !startsAt) || (part.endsAt && !endsAt)) throw new BulkRefusal('clock-change');
  const made = insertRow(ctx.db, 'part', {
    publicId: uuidv4(), eventId: ctx.event.id, position: nextPosition(ctx.db, 'part', ctx.event.id), label: part.label, title: part.title,
    startsAt: startsAt ?? null, endsAt: endsAt ?? null,
  });
  touched.created('part', made.publicId);
  return made;
}

/**
 * Copies the plan's sessions that are not cancelled (as duplicateSession does: every content
 * field, room, contributors, outputs; confirmed) at the same local times on the target day.
 */
function copySessions(ctx: WriteContext, touched: Touched, plan: CopyPlan): CopyResult {
  const zone = ctx.event.timezone;
  const copied = plan.sources.filter((s) => s.row.status !== 'cancelled');
  const skipped = plan.sources.length - copied.length;
  if (copied.length === 0) throw new BulkRefusal('nothing-to-copy', [], skipped);
  const window = eventWindow(ctx.event);
  const shifted = copied.map((s) => ({ s, startsAt: daysLater(s.slot!.startsAt, zone, plan.days), endsAt: daysLater(s.slot!.endsAt, zone, plan.days) }));
  const unclear = shifted.filter((c) => c.startsAt === null || c.endsAt === null);
  if (unclear.length > 0) throw new BulkRefusal('clock-change', unclear.map((c) => c.s.publicId));
  const times = new Map(shifted.map((c) => [c.s, { startsAt: c.startsAt!, endsAt: c.endsAt! }]));
  const outside = copied.filter((s) => !startFits(window, times.get(s)!.startsAt) || !endFits(window, times.get(s)!.endsAt));
  if (outside.length > 0) throw new BulkRefusal('outside-event-days', outside.map((s) => s.publicId));
  for (const original of copied) {
    const { startsAt, endsAt } = times.get(original)!;
    const copy = insertRow(ctx.db, 'session', {
      ...contentOf(original.row), status: 'confirmed', publicId: uuidv4(), eventId: ctx.event.id,
      partId: plan.parts?.(touched, original) ?? partHolding(plan.programme, original, { startsAt, endsAt }), slotId: slotAt(ctx, touched, startsAt, endsAt),
      roomId: original.row.roomId, updatedAt: ctx.now,
    });
    saveSessionLinks(ctx.db, copy.id, listContributorLinks(ctx.db, original.row.id), listOutputIds(ctx.db, original.row.id));
    touched.created('session', copy.publicId);
  }
  return { created: copied.length, skipped, toDay: plan.toDay, part: null };
}

const dayOf = (s: ProgrammeSession, zone: string) => (s.slot ? localDate(s.slot.startsAt, zone) : null);

/** The day a part is on: that of its hours, or else of its first scheduled session (null: neither). */
export function dayOfPart(programme: Programme, part: PartRow): string | null {
  const zone = programme.event.timezone;
  if (part.startsAt) return localDate(part.startsAt, zone);
  const first = programme.sessions.find((s) => s.part?.id === part.id && s.slot !== null);
  return first ? dayOf(first, zone) : null;
}

/**
 * Copies a whole day: its sessions go to the same local times on the target day. A part whose
 * hours lie on that day is copied too (once), and holds the copies of its sessions; the others
 * go in the part that holds them on the target day (partHolding).
 */
export function copyDay(ctx: WriteContext, fromDay: string, toDay: string): Written<CopyResult> {
  return write(ctx, (touched, before) => {
    if (!isEventDay(ctx, fromDay)) throw new BulkRefusal('not-event-day');
    const days = checkDays(ctx, fromDay, toDay);
    const zone = ctx.event.timezone;
    const ofTheDay = new Set(before.parts.filter((p) => p.startsAt !== null && localDate(p.startsAt, zone) === fromDay).map((p) => p.id));
    const made = new Map<number, number>();
    const parts = (t: Touched, original: ProgrammeSession) => {
      const part = original.part;
      if (!part || !ofTheDay.has(part.id)) return undefined;
      if (!made.has(part.id)) made.set(part.id, copyOfPart(ctx, t, part, days).id);
      return made.get(part.id)!;
    };
    return copySessions(ctx, touched, { programme: before, sources: before.sessions.filter((s) => dayOf(s, zone) === fromDay), days, toDay, parts });
  }, (_after, result) => result);
}

/** Copies the sessions of one time slot to the same times on the target day, in the part that holds them there (partHolding). */
export function copySlot(ctx: WriteContext, slotId: string, toDay: string): Written<CopyResult> {
  return write(ctx, (touched, before) => {
    const slot = before.slots.find((s) => s.publicId === slotId);
    if (!slot) throw new NotFoundError('slot', slotId);
    const days = checkDays(ctx, localDate(slot.startsAt, ctx.event.timezone), toDay);
    return copySessions(ctx, touched, { programme: before, sources: before.sessions.filter((s) => s.slot?.id === slot.id), days, toDay });
  }, (_after, result) => result);
}

/**
 * Copies a part to another day: a new part with the same label and title, its hours on the
 * target day, holding copies of the original's sessions of its day (dayOfPart) at the same
 * local times. Its sessions on other days, which the conflict report already points out, stay out.
 */
export function copyPart(ctx: WriteContext, partId: string, toDay: string): Written<CopyResult> {
  return write(ctx, (touched, before) => {
    const part = before.parts.find((p) => p.publicId === partId);
    if (!part) throw new NotFoundError('part', partId);
    const fromDay = dayOfPart(before, part);
    if (fromDay === null) throw new BulkRefusal('nothing-to-copy');
    const sources = before.sessions.filter((s) => s.part?.id === part.id && dayOf(s, ctx.event.timezone) === fromDay);
    const days = checkDays(ctx, fromDay, toDay);
    let made: PartRow | null = null;
    const parts = (t: Touched) => (made ??= copyOfPart(ctx, t, part, days)).id;
    const result = copySessions(ctx, touched, { programme: before, sources, days, toDay, parts });
    return { ...result, part: (made as PartRow | null)?.publicId ?? null };
  }, (_after, result) => result);
}
