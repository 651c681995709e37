// Queries of the programme's items (parts, rooms, time slots, sessions, organisations, people,
// expected outputs). Every item table has id, public_id, event_id and version, so one set of
// verbs serves them all; the rules of what may be written live in resources/ and service.ts.
import { and, eq, inArray, max, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  conclusionRevisions, conclusions, expectedOutputs, organisations, parts, people, releases, rooms, sessionContributors, sessionOutputs,
  sessionFeedback, sessions, timeSlots, LANGUAGES, type ContributorRole, type LocalizedText,
} from '../../db/schema.ts';

export const ITEM_TABLES = {
  part: parts,
  room: rooms,
  slot: timeSlots,
  session: sessions,
  organisation: organisations,
  person: people,
  output: expectedOutputs,
} as const;
export type ItemKind = keyof typeof ITEM_TABLES;
type Table<K extends ItemKind> = (typeof ITEM_TABLES)[K];
export type RowOf<K extends ItemKind> = Table<K>['$inferSelect'];
type InsertOf<K extends ItemKind> = Table<K>['$inferInsert'];

// Drizzle cannot type a query over a union of tables; the helpers below are typed by kind instead.
type AnyTable = typeof parts;
const tableOf = (kind: ItemKind) => ITEM_TABLES[kind] as unknown as AnyTable;

/** The row of this event with this public id, or null (a row of another event is not found). */
export function findRow<K extends ItemKind>(db: Db, kind: K, eventId: number, publicId: string): RowOf<K> | null {
  const table = tableOf(kind);
  return (db.select().from(table).where(and(eq(table.eventId, eventId), eq(table.publicId, publicId))).get() ?? null) as RowOf<K> | null;
}

export function listRows<K extends ItemKind>(db: Db, kind: K, eventId: number): RowOf<K>[] {
  const table = tableOf(kind);
  return db.select().from(table).where(eq(table.eventId, eventId)).orderBy(table.id).all() as RowOf<K>[];
}

export function insertRow<K extends ItemKind>(db: Db, kind: K, values: InsertOf<K>): RowOf<K> {
  return db.insert(tableOf(kind)).values(inLanguageOrder(values) as InsertOf<'part'>).returning().get() as RowOf<K>;
}

/**
 * Updates a row, if it is still at the version the writer read (null: whatever its version,
 * as an import does). Returns false when someone else changed it meanwhile (the caller answers 409).
 */
export function updateRow<K extends ItemKind>(db: Db, kind: K, id: number, version: number | null, values: Partial<InsertOf<K>>): boolean {
  const table = tableOf(kind);
  if (Object.keys(values).length === 0) return true;
  const where = version === null ? eq(table.id, id) : and(eq(table.id, id), eq(table.version, version));
  return db.update(table).set(inLanguageOrder(values) as Partial<InsertOf<'part'>>).where(where).run().changes === 1;
}

/** Deletes a row, if it is still at the version the writer read (null: whatever its version). */
export function deleteRow(db: Db, kind: ItemKind, id: number, version: number | null): boolean {
  const table = tableOf(kind);
  return db.delete(table).where(version === null ? eq(table.id, id) : and(eq(table.id, id), eq(table.version, version))).run().changes === 1;
}

function isLocalized(value: unknown): value is LocalizedText {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
    && Object.keys(value).length > 0 && Object.keys(value).every((k) => (LANGUAGES as readonly string[]).includes(k));
}

/**
 * Texts are stored as JSON, and the triggers compare the stored text: the same words sent
 * with their languages in another order must be the same value, not a change.
 */
export function inLanguageOrder<T extends object>(values: T): T {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    out[field] = isLocalized(value) ? Object.fromEntries(LANGUAGES.flatMap((l) => (value[l] === undefined ? [] : [[l, value[l]]]))) : value;
  }
  return out as T;
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
export function sessionsUsing(db: Db, kind: Exclude<ItemKind, 'session'>, id: number): string[] {
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

export function findRowsByPublicIds<K extends ItemKind>(db: Db, kind: K, eventId: number, publicIds: string[]): RowOf<K>[] {
  if (publicIds.length === 0) return [];
  const table = tableOf(kind);
  return db.select().from(table).where(and(eq(table.eventId, eventId), inArray(table.publicId, publicIds))).all() as RowOf<K>[];
}

// ---- Whole programmes at once (imports)

/** Row ids of the event's rows of a kind, by public id. */
export function listIdsOfEvent(db: Db, kind: ItemKind, eventId: number): Map<string, number> {
  const table = tableOf(kind);
  return new Map(db.select({ id: table.id, publicId: table.publicId }).from(table).where(eq(table.eventId, eventId)).all().map((r) => [r.publicId, r.id]));
}

/** One of these public ids that a row of another event already has, or null: public ids are unique across the database. */
export function findForeignPublicId(db: Db, kind: ItemKind, publicIds: string[], eventId: number | null): string | null {
  const table = tableOf(kind);
  // In chunks: SQLite limits the parameters of one statement.
  for (let i = 0; i < publicIds.length; i += 500) {
    const clash = db.select({ publicId: table.publicId }).from(table)
      .where(and(inArray(table.publicId, publicIds.slice(i, i + 500)), eventId === null ? undefined : ne(table.eventId, eventId))).limit(1).get();
    if (clash) return clash.publicId;
  }
  return null;
}

/** The contributors (in their order) and outputs of these sessions. */
export function listLinksOfSessions(db: Db, sessionIds: number[]) {
  const contributors: (typeof sessionContributors.$inferSelect)[] = [];
  const outputs: (typeof sessionOutputs.$inferSelect)[] = [];
  for (let i = 0; i < sessionIds.length; i += 500) {
    const chunk = sessionIds.slice(i, i + 500);
    contributors.push(...db.select().from(sessionContributors).where(inArray(sessionContributors.sessionId, chunk))
      .orderBy(sessionContributors.sessionId, sessionContributors.position).all());
    outputs.push(...db.select().from(sessionOutputs).where(inArray(sessionOutputs.sessionId, chunk)).all());
  }
  return { contributors, outputs };
}

/** Adds and removes outputs a session serves, leaving the others as they are (each change raises its SEQUENCE). */
export function changeOutputLinks(db: Db, sessionId: number, add: number[], remove: number[]): void {
  if (remove.length > 0) db.delete(sessionOutputs).where(and(eq(sessionOutputs.sessionId, sessionId), inArray(sessionOutputs.outputId, remove))).run();
  if (add.length > 0) db.insert(sessionOutputs).values(add.map((outputId) => ({ sessionId, outputId }))).run();
}

/** Sets these sessions' revision (their SEQUENCE) back to 0. */
export function resetRevisions(db: Db, sessionIds: number[]): void {
  for (let i = 0; i < sessionIds.length; i += 500) db.update(sessions).set({ revision: 0 }).where(inArray(sessions.id, sessionIds.slice(i, i + 500))).run();
}

// ---- What else holds on to an item: read from other domains' tables, since the rule
// ("never lose what points at it") is the programme's to enforce on every write path.

/**
 * The sessions among these that have conclusions or participants' feedback: rapporteurs' and
 * participants' words, which deleting the session would lose.
 */
export function sessionsWithConclusions(db: Db, sessionIds: number[]): number[] {
  if (sessionIds.length === 0) return [];
  const found = new Set<number>();
  for (let i = 0; i < sessionIds.length; i += 500) {
    const chunk = sessionIds.slice(i, i + 500);
    for (const r of db.select({ sessionId: conclusions.sessionId }).from(conclusions).where(inArray(conclusions.sessionId, chunk)).all()) found.add(r.sessionId);
    for (const r of db.selectDistinct({ sessionId: sessionFeedback.sessionId }).from(sessionFeedback).where(inArray(sessionFeedback.sessionId, chunk)).all()) found.add(r.sessionId);
  }
  return [...found];
}

/**
 * Public ids of the sessions whose latest or published conclusions tie a recommendation to
 * this expected output: deleting the output would cut those ties without anyone knowing.
 */
export function sessionsTyingOutput(db: Db, eventId: number, outputPublicId: string): string[] {
  const rows = db.select({ publicId: sessions.publicId, content: conclusionRevisions.content }).from(conclusions)
    .innerJoin(sessions, eq(sessions.id, conclusions.sessionId))
    .innerJoin(conclusionRevisions, and(
      eq(conclusionRevisions.conclusionId, conclusions.id),
      sql`${conclusionRevisions.number} in (${conclusions.revision}, coalesce(${conclusions.publishedRevision}, 0))`,
    ))
    .where(and(eq(conclusions.eventId, eventId), sql`instr(${conclusionRevisions.content}, ${outputPublicId}) > 0`)).all();
  const tying = rows.filter((r) => r.content.recommendations.some((rec) => rec.outputs.includes(outputPublicId))).map((r) => r.publicId);
  return [...new Set(tying)];
}

/**
 * Whether participants have seen the session: whether a release of its event published it.
 * Every release keeps the sessions of the one before (cancelled if need be), so the latest
 * release answers for all of them; its snapshot lists sessions at $.sessions (see
 * domains/releases/snapshot.ts, which a test keeps in step with this query).
 */
export function isSessionReleased(db: Db, eventId: number, sessionId: number): boolean {
  return db.get<{ found: number } | undefined>(sql`
    select 1 as found from ${releases} r, json_each(r.snapshot, '$.sessions') s
    where r.event_id = ${eventId}
      and r.sequence = (select max(sequence) from ${releases} where event_id = ${eventId})
      and json_extract(s.value, '$.id') = ${sessionId}
    limit 1`) !== undefined;
}
