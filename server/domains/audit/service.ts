// The audit log as readers see it: entries newest first, filtered and paged, and who wrote.
import type { Db } from '../../db/client.ts';
import type { AuditAction } from '../../db/schema.ts';
import { findUserIdByPublicId, insertAuditEntry, listAuditActors, listAuditEntries } from './repository.ts';

/** Who writes: kept in the audit log by id and by name, as the name was then. */
export interface Actor {
  id: number | null;
  name: string;
}

type Json = Record<string, unknown>;

/** Records one write; `before` is null for a creation, `after` for a deletion. */
export function recordWrite(db: Db, entry: {
  eventId: number | null; actor: Actor; at: Date; action: AuditAction; entity: string; entityId: string; before: Json | null; after: Json | null;
}): void {
  insertAuditEntry(db, {
    eventId: entry.eventId, userId: entry.actor.id, actor: entry.actor.name, at: entry.at, action: entry.action,
    entity: entry.entity, entityId: entry.entityId, before: entry.before, after: entry.after,
  });
}

export interface AuditQuery {
  entity?: string | undefined;
  entityId?: string | undefined;
  /** The public id of an account. */
  user?: string | undefined;
  before?: number | undefined;
  limit?: number | undefined;
}

export function getAudit(db: Db, event: { id: number }, query: AuditQuery) {
  const limit = query.limit ?? 100;
  let userId: number | undefined;
  if (query.user) {
    const found = findUserIdByPublicId(db, query.user);
    if (found === null) return { entries: [], next: null };
    userId = found;
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

/** The last person who changed an entity, by the audit log: named when a save is refused as stale. */
export function lastEditor(db: Db, event: { id: number }, entity: string, entityId: string): string | null {
  return getAudit(db, event, { entity, entityId, limit: 1 }).entries[0]?.actor.name ?? null;
}

/** Who appears in an event's audit log (accounts that still exist), for filtering it by person. */
export function getAuditActors(db: Db, event: { id: number }) {
  return listAuditActors(db, event.id).map((u) => ({ id: u.publicId, name: u.name }));
}
