// The one way the programme is written, whoever writes it (the API, the workspace's forms, an
// import, the bundled data): one immediate transaction, the same repository verbs and rules,
// and, when someone writes, one audit entry for each item the write created, changed or deleted,
// with its representation before and after, read from the programme as it was and as it is.
import type { Db } from '../../db/client.ts';
import { recordWrite, type Actor } from '../audit/service.ts';
import { programmeOf, type Programme } from './assemble.ts';
import { findConflicts, newConflicts, type Conflict } from './conflicts.ts';
import type { ItemKind, RowOf } from './items.ts';
import { findEventById, type EventRow } from './repository.ts';
import { RESOURCES } from './resources/index.ts';
import type { Representation } from './resources/resource.ts';

export type { Actor };

/** Who writes what, when: an actor of null writes without an audit entry (loading the bundled data). */
export interface WriteContext {
  db: Db;
  event: EventRow;
  actor: Actor | null;
  now: Date;
}

export interface Written<T> {
  data: T;
  /** Conflicts that did not exist before this write. */
  warnings: Conflict[];
}

/** The items a write touched, to audit them once it is done. */
export class Touched {
  readonly list: { kind: ItemKind | 'event'; publicId: string; action: 'create' | 'update' | 'delete' }[] = [];
  created(kind: ItemKind, publicId: string): void {
    this.list.push({ kind, publicId, action: 'create' });
  }
  updated(kind: ItemKind | 'event', publicId: string): void {
    this.list.push({ kind, publicId, action: 'update' });
  }
  deleted(kind: ItemKind, publicId: string): void {
    this.list.push({ kind, publicId, action: 'delete' });
  }
}

/** An event as the API answers with it. */
export function eventRepresentation(row: EventRow): Representation {
  return {
    id: row.publicId, slug: row.slug, title: row.title, subtitle: row.subtitle, description: row.description, venue: row.venue,
    city: row.city, country: row.country, timezone: row.timezone, defaultLanguage: row.defaultLanguage, languages: row.languages,
    startDate: row.startDate, endDate: row.endDate, version: row.version,
  };
}

const ROWS: { [K in ItemKind]: (p: Programme) => readonly RowOf<K>[] } = {
  part: (p) => p.parts, room: (p) => p.rooms, slot: (p) => p.slots, output: (p) => p.outputs,
  organisation: (p) => p.organisations, person: (p) => p.people, session: (p) => p.sessions.map((s) => s.row),
};

/** An item of the programme as answers show it, or null when the programme does not have it. */
export function representationIn(programme: Programme, kind: ItemKind | 'event', publicId: string): Representation | null {
  if (kind === 'event') return eventRepresentation(programme.event);
  const row = (ROWS[kind](programme) as readonly { publicId: string }[]).find((r) => r.publicId === publicId);
  return row ? (RESOURCES[kind].represent as (p: Programme, r: unknown) => Representation)(programme, row) : null;
}

/** One audit entry per touched item; a change that moved no version (the same values sent again) is none. */
export function auditTouched(db: Db, actor: Actor, now: Date, eventId: number, before: Programme | null, after: Programme, touched: Touched): void {
  const seen = new Set<string>();
  for (const { kind, publicId, action } of touched.list) {
    const key = `${kind}/${publicId}/${action}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const was = before && action !== 'create' ? representationIn(before, kind, publicId) : null;
    const now_ = action === 'delete' ? null : representationIn(after, kind, publicId);
    if (action === 'update' && (was === null || now_ === null || was.version === now_.version)) continue;
    recordWrite(db, { eventId, actor, at: now, action, entity: kind, entityId: publicId, before: was, after: now_ });
  }
}

/**
 * Runs a write in one immediate transaction (so two writers queue rather than interleave):
 * `change` writes and says what it touched (it is given the programme as it was, to answer a
 * stale write with the current state); `answer` reads the result from the programme as it now is. Returns it with the conflicts the write caused.
 */
export function write<R, T>(ctx: WriteContext, change: (touched: Touched, before: Programme) => R, answer: (after: Programme, result: R) => T): Written<T> {
  return ctx.db.transaction(() => {
    const before = programmeOf(ctx.db, findEventById(ctx.db, ctx.event.id)!);
    const touched = new Touched();
    const result = change(touched, before);
    const after = programmeOf(ctx.db, findEventById(ctx.db, ctx.event.id)!);
    if (ctx.actor) auditTouched(ctx.db, ctx.actor, ctx.now, ctx.event.id, before, after, touched);
    return { data: answer(after, result), warnings: newConflicts(findConflicts(before), findConflicts(after)) };
  }, { behavior: 'immediate' });
}
