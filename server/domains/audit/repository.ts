// Queries of the audit log: every write, with the values before and after.
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditLog, users, type AuditAction } from '../../db/schema.ts';

export interface AuditEntry {
  eventId: number | null;
  userId: number | null;
  actor: string;
  at: Date;
  action: AuditAction;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export function insertAuditEntry(db: Db, entry: AuditEntry): void {
  db.insert(auditLog).values(entry).run();
}

export interface AuditFilters {
  entity?: string | undefined;
  entityId?: string | undefined;
  userId?: number | undefined;
  before?: number | undefined;
  limit: number;
}

export function listAuditEntries(db: Db, eventId: number, filters: AuditFilters) {
  const conditions: SQL[] = [eq(auditLog.eventId, eventId)];
  if (filters.entity) conditions.push(eq(auditLog.entity, filters.entity));
  if (filters.entityId) conditions.push(eq(auditLog.entityId, filters.entityId));
  if (filters.userId !== undefined) conditions.push(eq(auditLog.userId, filters.userId));
  if (filters.before !== undefined) conditions.push(lt(auditLog.id, filters.before));
  return db.select({ entry: auditLog, userPublicId: users.publicId }).from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .where(and(...conditions)).orderBy(desc(auditLog.id)).limit(filters.limit).all();
}

/** The accounts that wrote to an event, for the audit page's filter: one query. */
export function listAuditActors(db: Db, eventId: number) {
  return db.select({ publicId: users.publicId, name: users.name }).from(users)
    .where(sql`${users.id} in (select distinct ${auditLog.userId} from ${auditLog} where ${auditLog.eventId} = ${eventId})`)
    .orderBy(users.name, users.id).all();
}

export function findUserIdByPublicId(db: Db, publicId: string): number | null {
  return db.select({ id: users.id }).from(users).where(eq(users.publicId, publicId)).get()?.id ?? null;
}
