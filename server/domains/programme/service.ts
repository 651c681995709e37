// Rules of writing the programme's items: what may change, how, and what it causes. Every write
// goes through write.ts (one transaction, the version it started from checked, audited, its
// conflicts reported); what each kind's fields are and what holds on to an item, through its
// descriptor (resources/). Sessions have rules of their own on top (sessions.ts).
import { v4 as uuidv4 } from 'uuid';
import type { Db } from '../../db/client.ts';
import { ConflictError, NotFoundError, StaleVersionError } from '../../errors.ts';
import type { Programme } from './assemble.ts';
import { findConflicts, type Conflict } from './conflicts.ts';
import { findRow, insertRow, listRows, nextPosition, updateRow, deleteRow, type ItemKind, type RowOf } from './items.ts';
import { eventWindow } from './bounds.ts';
import { findEventBySlug, type EventRow } from './repository.ts';
import { columnsOf, Problems, type PrepareContext } from './resources/fields.ts';
import { RESOURCES, type CollectionKind } from './resources/index.ts';
import type { InUse, Representation } from './resources/resource.ts';
import { representationIn, write, type Touched, type WriteContext, type Written } from './write.ts';

type Json = Record<string, unknown>;

// ---- Reads: pure functions of an assembled programme (the working copy a reader gives)

export function getEditableEvent(db: Db, slug: string): EventRow {
  const event = findEventBySlug(db, slug);
  if (!event) throw new NotFoundError('event', slug);
  return event;
}

/** An item of the programme as the API answers with it; 404 when the programme has none. */
export function itemOf(programme: Programme, kind: ItemKind, publicId: string): Representation {
  const found = representationIn(programme, kind, publicId);
  if (!found) throw new NotFoundError(kind, publicId);
  return found;
}

/** Every item of a kind: positioned ones in their order, sessions by creation, the others as stored. */
export function itemsOf(programme: Programme, kind: ItemKind): Representation[] {
  const represent = RESOURCES[kind].represent as (p: Programme, row: unknown) => Representation;
  switch (kind) {
    case 'session': return [...programme.sessions].sort((a, b) => a.row.id - b.row.id).map((s) => represent(programme, s.row));
    case 'part': case 'room': case 'output': {
      const rows = kind === 'part' ? programme.parts : kind === 'room' ? programme.rooms : programme.outputs;
      return [...rows].sort((a, b) => a.position - b.position || a.id - b.id).map((row) => represent(programme, row));
    }
    case 'person': case 'organisation': case 'slot': {
      const rows = kind === 'person' ? programme.people : kind === 'organisation' ? programme.organisations : programme.slots;
      return [...rows].sort((a, b) => a.id - b.id).map((row) => represent(programme, row));
    }
  }
}

export function conflictsOf(programme: Programme): Conflict[] {
  return findConflicts(programme);
}

// ---- Writing

/** Refuses a write that does not start from the version now stored, with the current state. */
export function checkVersion(kind: string, version: number, expected: number[], current: () => Json & { version: number }): void {
  if (!expected.includes(version)) throw new StaleVersionError(kind, current());
}

/** How a body's references are found: among the event's rows of the kind. */
export function prepareContext(ctx: WriteContext): PrepareContext {
  return {
    zone: ctx.event.timezone,
    window: eventWindow(ctx.event),
    defaultLanguage: ctx.event.defaultLanguage,
    find: (kind, publicId) => findRow(ctx.db, kind, ctx.event.id, publicId)?.id ?? null,
  };
}

function columnsOfBody(ctx: WriteContext, kind: CollectionKind, body: Json, current: RowOf<CollectionKind> | null) {
  const problems = new Problems();
  const values = columnsOf(RESOURCES[kind].fields, body, current as Json | null, prepareContext(ctx), problems);
  problems.throwIfAny();
  return values;
}

/** The refusal of a deletion that would lose what still holds on to the item. */
export function inUseError(kind: ItemKind, inUse: InUse, publicId: string): ConflictError {
  switch (inUse.reason) {
    case 'sessions':
      return new ConflictError(`This ${kind} is used by ${inUse.sessions.length} session(s): change them first, so that nothing is lost without your knowing`, 'in-use', { sessions: inUse.sessions });
    case 'recommendations':
      return new ConflictError(`Recommendations of ${inUse.sessions.length} session(s) serve this output: change their conclusions first, so that nothing is lost without your knowing`, 'in-use', { sessions: inUse.sessions });
    case 'people':
      return new ConflictError(`${inUse.people.length} person(s) belong to this organisation: change them first`, 'in-use', { people: inUse.people });
    case 'conclusions':
      return new ConflictError(`Session ${publicId} has conclusions written by its rapporteurs, which deleting it would lose. Cancel it instead: PATCH {"status": "cancelled"}`, 'cancel-instead');
  }
}

/** Deletes an item that nothing holds on to any more, whichever path asks. */
export function deleteItem(ctx: WriteContext, touched: Touched, kind: ItemKind, row: RowOf<ItemKind>, version: number | null): void {
  const inUse = (RESOURCES[kind].inUse as (db: Db, event: EventRow, row: RowOf<ItemKind>) => InUse | null)(ctx.db, ctx.event, row);
  if (inUse) throw inUseError(kind, inUse, row.publicId);
  deleteRow(ctx.db, kind, row.id, version);
  touched.deleted(kind, row.publicId);
}

export function createItem(ctx: WriteContext, kind: CollectionKind, body: Json): Written<Representation> {
  return write(ctx, (touched) => {
    const values: Json = { ...columnsOfBody(ctx, kind, body, null), publicId: uuidv4(), eventId: ctx.event.id };
    if (RESOURCES[kind].positioned && values.position === undefined) values.position = nextPosition(ctx.db, kind as 'part', ctx.event.id);
    const row = insertRow(ctx.db, kind, values as never);
    touched.created(kind, row.publicId);
    return row.publicId;
  }, (after, publicId) => itemOf(after, kind, publicId));
}

export function updateItem(ctx: WriteContext, kind: CollectionKind, publicId: string, expected: number[], body: Json): Written<Representation> {
  return write(ctx, (touched, before) => {
    const row = findRow(ctx.db, kind, ctx.event.id, publicId);
    if (!row) throw new NotFoundError(kind, publicId);
    checkVersion(kind, row.version, expected, () => itemOf(before, kind, publicId));
    updateRow(ctx.db, kind, row.id, row.version, columnsOfBody(ctx, kind, body, row) as never);
    touched.updated(kind, publicId);
  }, (after) => itemOf(after, kind, publicId));
}

/** Deletes a part, room, slot, output, organisation or person that nothing uses any more. */
export function removeItem(ctx: WriteContext, kind: CollectionKind, publicId: string, expected: number[]): Written<null> {
  return write(ctx, (touched, before) => {
    const row = findRow(ctx.db, kind, ctx.event.id, publicId);
    if (!row) throw new NotFoundError(kind, publicId);
    checkVersion(kind, row.version, expected, () => itemOf(before, kind, publicId));
    deleteItem(ctx, touched, kind, row, row.version);
  }, () => null);
}

/**
 * Moves a part one place up or down among the event's parts, in one transaction: the two
 * parts swap positions (when they share one, every part is renumbered in the new order).
 * Moving the first part up or the last one down changes nothing. Returns the parts in order.
 */
export function movePart(ctx: WriteContext, publicId: string, direction: 'up' | 'down'): Written<Representation[]> {
  return write(ctx, (touched) => {
    const ordered = listRows(ctx.db, 'part', ctx.event.id).sort((a, b) => a.position - b.position || a.id - b.id);
    const from = ordered.findIndex((p) => p.publicId === publicId);
    if (from < 0) throw new NotFoundError('part', publicId);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (to < 0 || to >= ordered.length) return;
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
      updateRow(ctx.db, 'part', part.id, part.version, { position });
      touched.updated('part', part.publicId);
    }
  }, (after) => itemsOf(after, 'part'));
}
