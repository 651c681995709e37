// A resource descriptor: everything the programme knows about one kind of item, in one place.
// The write API (its routes and schemas), the workspace (its forms and lists), the imports and
// exports and the audit log all read it (see resources/index.ts for the list of kinds).
import type { TObject } from 'typebox';
import type { Db } from '../../../db/client.ts';
import { toZonedIso } from '../../../time.ts';
import type { Programme } from '../assemble.ts';
import type { ItemKind, RowOf } from '../items.ts';
import type { EventRow } from '../repository.ts';
import { representationOf, schemasOf, type FieldSpecs, type PublicIdOf } from './fields.ts';

/** An item as the API answers with it and the audit log keeps it. */
export type Representation = Record<string, unknown> & { id: string; version: number };

/** Why an item cannot be deleted: what would be lost, by public id. */
export type InUse =
  | { reason: 'sessions'; sessions: string[] }
  | { reason: 'recommendations'; sessions: string[] }
  | { reason: 'people'; people: string[] }
  | { reason: 'conclusions'; sessions: string[] };

export interface Resource<K extends ItemKind = ItemKind> {
  kind: K;
  /** The fields of the write API's bodies, in their order. */
  fields: FieldSpecs;
  schemas: { create: TObject; patch: TObject; out: TObject };
  /** Items kept in an order of the organisers' (parts, rooms, outputs): a new one goes last. */
  positioned: boolean;
  /** What still holds on to the item, which every write path (API, forms, imports) refuses to lose. */
  inUse(db: Db, event: EventRow, row: RowOf<K>): InUse | null;
  /** The item as answers show it, from the assembled programme that holds it. */
  represent(programme: Programme, row: RowOf<K>): Representation;
}

const indexes = new WeakMap<Programme, Map<ItemKind, Map<number, string>>>();

/** The public id of any row of the programme, by kind and row id: answers never show row ids. */
export function publicIdsOf(programme: Programme): PublicIdOf {
  let index = indexes.get(programme);
  if (!index) {
    const map = (rows: readonly { id: number; publicId: string }[]) => new Map(rows.map((r) => [r.id, r.publicId]));
    index = new Map<ItemKind, Map<number, string>>([
      ['part', map(programme.parts)], ['room', map(programme.rooms)], ['slot', map(programme.slots)], ['output', map(programme.outputs)],
      ['organisation', map(programme.organisations)], ['person', map(programme.people)], ['session', map(programme.sessions.map((s) => s.row))],
    ]);
    indexes.set(programme, index);
  }
  const found = index;
  return (kind, id) => (id === null ? null : found.get(kind)?.get(id) ?? null);
}

/** A resource whose fields say all there is to say about its items: the common case. */
export function simpleResource<K extends ItemKind>(kind: K, fields: FieldSpecs, options: {
  positioned?: boolean;
  inUse: (db: Db, event: EventRow, row: RowOf<K>) => InUse | null;
}): Resource<K> {
  return {
    kind,
    fields,
    schemas: schemasOf(fields),
    positioned: options.positioned ?? false,
    inUse: options.inUse,
    represent: (programme, row) => representationOf(
      fields, row as RowOf<K> & Record<string, unknown>, (instant) => toZonedIso(instant, programme.event.timezone), publicIdsOf(programme),
    ),
  };
}
