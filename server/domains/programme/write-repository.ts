// Write queries of the organisers' domain. Every editable table has id, public_id, event_id
// and version, so one set of helpers serves them all; the service decides what is allowed.
import { and, desc, eq, inArray, lt, max, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  auditLog, expectedOutputs, organisations, parts, people, rapporteurAssignments, rooms, sessionContributors, sessionOutputs, sessions,
  timeSlots, users, type AuditAction, type ContributorRole,
} from '../../db/schema.ts';

export const EDITABLE_TABLES = {
  part: parts,
  room: rooms,
  slot: timeSlots,
  session: sessions,
  organisation: organisations,
  person: people,
  output: expectedOutputs,
} as const;
export type EditableKind = keyof typeof EDITABLE_TABLES;
type Table<K extends EditableKind> = (typeof EDITABLE_TABLES)[K];
export type RowOf<K extends EditableKind> = Table<K>['$inferSelect'];
type InsertOf<K extends EditableKind> = Table<K>['$inferInsert'];

// Drizzle cannot type a query over a union of tables; the helpers below are typed by kind instead.
type AnyTable = typeof parts;
const tableOf = (kind: EditableKind) => EDITABLE_TABLES[kind] as unknown as AnyTable;

/** The row of this event with this public id, or null (a row of another event is not found). */
export function findRow<K extends EditableKind>(db: Db, kind: K, eventId: number, publicId: string): RowOf<K> | null {
  const table = tableOf(kind);
  return (db.select().from(table).where(and(eq(table.eventId, eventId), eq(table.publicId, publicId))).get() ?? null) as RowOf<K> | null;
}

export function listRows<K extends EditableKind>(db: Db, kind: K, eventId: number): RowOf<K>[] {
  const table = tableOf(kind);
  return db.select().from(table).where(eq(table.eventId, eventId)).orderBy(table.id).all() as RowOf<K>[];
}

export function insertRow<K extends EditableKind>(db: Db, kind: K, values: InsertOf<K>): RowOf<K> {
  return db.insert(tableOf(kind)).values(values as InsertOf<'part'>).returning().get() as RowOf<K>;
}

/**
 * Updates a row only if it is still at the version the writer read: returns false when
 * someone else changed it meanwhile (the caller answers 409).
 */
export function updateRow<K extends EditableKind>(db: Db, kind: K, id: number, version: number, values: Partial<InsertOf<K>>): boolean {
  const table = tableOf(kind);
  if (Object.keys(values).length === 0) return true;
  return db.update(table).set(values as Partial<InsertOf<'part'>>).where(and(eq(table.id, id), eq(table.version, version))).run().changes === 1;
}

/** Deletes a row only if it is still at the version the writer read. */
export function deleteRow(db: Db, kind: EditableKind, id: number, version: number): boolean {
  const table = tableOf(kind);
  return db.delete(table).where(and(eq(table.id, id), eq(table.version, version))).run().changes === 1;
}

export function nextPosition(db: Db, kind: 'part' | 'room' | 'output', eventId: number): number {
  const table = tableOf(kind);
  const found = db.select({ last: max(table.position) }).from(table).where(eq(table.eventId, eventId)).get();
  return found?.last === null || found?.last === undefined ? 1 : found.last + 1;
}

export function findSlotAt(db: Db, eventId: number, startsAt: Date, endsAt: Date) {
  return db.select().from(timeSlots)
    .where(and(eq(timeSlots.eventId, eventId), eq(timeSlots.startsAt, startsAt), eq(timeSlots.endsAt, endsAt))).get() ?? null;
}

/** Public ids of the sessions that refer to a row, which therefore cannot be deleted. */
export function sessionsUsing(db: Db, kind: Exclude<EditableKind, 'session'>, id: number): string[] {
  let where: SQL;
  switch (kind) {
    case 'part': where = eq(sessions.partId, id); break;
    case 'room': where = eq(sessions.roomId, id); break;
    case 'slot': where = eq(sessions.slotId, id); break;
    case 'person': where = sql`${sessions.id} in (select ${sessionContributors.sessionId} from ${sessionContributors} where ${sessionContributors.personId} = ${id})`; break;
    case 'organisation': where = sql`${sessions.id} in (select ${sessionContributors.sessionId} from ${sessionContributors} where ${sessionContributors.organisationId} = ${id})`; break;
    case 'output': where = sql`${sessions.id} in (select ${sessionOutputs.sessionId} from ${sessionOutputs} where ${sessionOutputs.outputId} = ${id})`; break;
  }
  return db.select({ publicId: sessions.publicId }).from(sessions).where(where).orderBy(sessions.id).all().map((r) => r.publicId);
}

export function peopleOfOrganisation(db: Db, organisationId: number): string[] {
  return db.select({ publicId: people.publicId }).from(people).where(eq(people.organisationId, organisationId)).all().map((r) => r.publicId);
}

export interface ContributorLink {
  role: ContributorRole;
  personId: number | null;
  organisationId: number | null;
}

export function listContributorLinks(db: Db, sessionId: number): ContributorLink[] {
  return db.select({ role: sessionContributors.role, personId: sessionContributors.personId, organisationId: sessionContributors.organisationId })
    .from(sessionContributors).where(eq(sessionContributors.sessionId, sessionId)).orderBy(sessionContributors.position).all();
}

export function replaceContributorLinks(db: Db, sessionId: number, links: ContributorLink[]): void {
  db.delete(sessionContributors).where(eq(sessionContributors.sessionId, sessionId)).run();
  if (links.length > 0) db.insert(sessionContributors).values(links.map((link, position) => ({ ...link, sessionId, position }))).run();
}

export function listOutputIds(db: Db, sessionId: number): number[] {
  return db.select({ outputId: sessionOutputs.outputId }).from(sessionOutputs).where(eq(sessionOutputs.sessionId, sessionId))
    .orderBy(sessionOutputs.outputId).all().map((r) => r.outputId);
}

export function replaceOutputLinks(db: Db, sessionId: number, outputIds: number[]): void {
  db.delete(sessionOutputs).where(eq(sessionOutputs.sessionId, sessionId)).run();
  if (outputIds.length > 0) db.insert(sessionOutputs).values(outputIds.map((outputId) => ({ sessionId, outputId }))).run();
}

export function findRowsByPublicIds<K extends EditableKind>(db: Db, kind: K, eventId: number, publicIds: string[]): RowOf<K>[] {
  if (publicIds.length === 0) return [];
  const table = tableOf(kind);
  return db.select().from(table).where(and(eq(table.eventId, eventId), inArray(table.publicId, publicIds))).all() as RowOf<K>[];
}

export function findRowsByIds<K extends EditableKind>(db: Db, kind: K, ids: number[]): RowOf<K>[] {
  if (ids.length === 0) return [];
  const table = tableOf(kind);
  return db.select().from(table).where(inArray(table.id, ids)).all() as RowOf<K>[];
}

// ---- Rapporteur assignments

export function listAssignments(db: Db, sessionId: number) {
  return db.select({ user: users, assignedAt: rapporteurAssignments.createdAt }).from(rapporteurAssignments)
    .innerJoin(users, eq(users.id, rapporteurAssignments.userId))
    .where(eq(rapporteurAssignments.sessionId, sessionId)).orderBy(users.name, users.id).all();
}

export function insertAssignment(db: Db, sessionId: number, userId: number, now: Date): boolean {
  return db.insert(rapporteurAssignments).values({ sessionId, userId, createdAt: now }).onConflictDoNothing().run().changes === 1;
}

export function deleteAssignment(db: Db, sessionId: number, userId: number): boolean {
  return db.delete(rapporteurAssignments)
    .where(and(eq(rapporteurAssignments.sessionId, sessionId), eq(rapporteurAssignments.userId, userId))).run().changes === 1;
}

// ---- Audit log

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

// ---- For the organisers' pages (server/admin/ui-routes.ts)

/** The accounts that wrote to an event, for the audit page's filter: one query. */
export function listAuditActors(db: Db, eventId: number) {
  return db.select({ publicId: users.publicId, name: users.name }).from(users)
    .where(sql`${users.id} in (select distinct ${auditLog.userId} from ${auditLog} where ${auditLog.eventId} = ${eventId})`)
    .orderBy(users.name, users.id).all();
}
