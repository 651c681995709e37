// Queries of conclusions. Public reads (a session's published conclusions, an event's) are
// prepared once per database: they run on public pages.
import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { preparedPerDatabase, type Db } from '../../db/client.ts';
import {
  conclusionConflicts, conclusionRevisions, conclusions, events, followUpItems, followUpNotes, organisations, people, rapporteurAssignments, sessions,
  timeSlots, users, type ConclusionContent, type FollowUpKind,
} from '../../db/schema.ts';

export type ConclusionsRow = typeof conclusions.$inferSelect;
export type RevisionRow = typeof conclusionRevisions.$inferSelect;
export type ConflictCopyRow = typeof conclusionConflicts.$inferSelect;

/** Published conclusions, with the text of the published revision. */
export interface PublishedRow {
  sessionId: number;
  sessionPublicId: string;
  revision: number;
  publishedAt: Date;
  content: ConclusionContent;
}

const published = {
  sessionId: conclusions.sessionId,
  sessionPublicId: sessions.publicId,
  revision: conclusionRevisions.number,
  publishedAt: conclusions.publishedAt,
  content: conclusionRevisions.content,
};

function prepareStatements(db: Db) {
  const publishedQuery = () => db.select(published).from(conclusions)
    .innerJoin(sessions, eq(sessions.id, conclusions.sessionId))
    .innerJoin(conclusionRevisions, and(eq(conclusionRevisions.conclusionId, conclusions.id), eq(conclusionRevisions.number, conclusions.publishedRevision)));
  return {
    publishedOfSession: publishedQuery().where(eq(sessions.publicId, sql.placeholder('sessionPublicId'))).prepare(),
    publishedOfEvent: publishedQuery().where(eq(conclusions.eventId, sql.placeholder('eventId'))).prepare(),
  };
}

const statements = preparedPerDatabase(prepareStatements);

function asPublished(row: { publishedAt: Date | null } & Omit<PublishedRow, 'publishedAt'>): PublishedRow {
  return { ...row, publishedAt: row.publishedAt! };
}

export function findPublishedOfSession(db: Db, sessionPublicId: string): PublishedRow | null {
  const row = statements(db).publishedOfSession.get({ sessionPublicId });
  return row ? asPublished(row) : null;
}

export function listPublishedOfEvent(db: Db, eventId: number): PublishedRow[] {
  return statements(db).publishedOfEvent.all({ eventId }).map(asPublished);
}

export function findConclusionsOfSession(db: Db, sessionId: number): ConclusionsRow | null {
  return db.select().from(conclusions).where(eq(conclusions.sessionId, sessionId)).get() ?? null;
}

/** The working state of every session of an event that has conclusions: for organisers' overviews. */
export function listConclusionsOfEvent(db: Db, eventId: number): ConclusionsRow[] {
  return db.select().from(conclusions).where(eq(conclusions.eventId, eventId)).all();
}

export function insertConclusions(db: Db, values: typeof conclusions.$inferInsert): ConclusionsRow {
  return db.insert(conclusions).values(values).returning().get();
}

/** Moves the conclusions on from the revision the writer read; false when someone else moved them first. */
export function updateConclusions(db: Db, id: number, expectedRevision: number, values: Partial<typeof conclusions.$inferInsert>): boolean {
  return db.update(conclusions).set(values).where(and(eq(conclusions.id, id), eq(conclusions.revision, expectedRevision))).run().changes === 1;
}

export function insertRevision(db: Db, values: typeof conclusionRevisions.$inferInsert): RevisionRow {
  return db.insert(conclusionRevisions).values(values).returning().get();
}

export function findRevision(db: Db, conclusionId: number, number: number): RevisionRow | null {
  return db.select().from(conclusionRevisions)
    .where(and(eq(conclusionRevisions.conclusionId, conclusionId), eq(conclusionRevisions.number, number))).get() ?? null;
}

/** Every revision, newest first. */
export function listRevisions(db: Db, conclusionId: number): RevisionRow[] {
  return db.select().from(conclusionRevisions).where(eq(conclusionRevisions.conclusionId, conclusionId))
    .orderBy(desc(conclusionRevisions.number)).all();
}

export function insertConflictCopy(db: Db, values: typeof conclusionConflicts.$inferInsert): ConflictCopyRow {
  return db.insert(conclusionConflicts).values(values).returning().get();
}

export function listConflictCopies(db: Db, conclusionId: number): ConflictCopyRow[] {
  return db.select().from(conclusionConflicts).where(eq(conclusionConflicts.conclusionId, conclusionId))
    .orderBy(desc(conclusionConflicts.id)).all();
}

export function findConflictCopy(db: Db, conclusionId: number, publicId: string): ConflictCopyRow | null {
  return db.select().from(conclusionConflicts)
    .where(and(eq(conclusionConflicts.conclusionId, conclusionId), eq(conclusionConflicts.publicId, publicId))).get() ?? null;
}

export function isAssigned(db: Db, sessionId: number, userId: number): boolean {
  return db.select({ one: sql`1` }).from(rapporteurAssignments)
    .where(and(eq(rapporteurAssignments.sessionId, sessionId), eq(rapporteurAssignments.userId, userId))).get() !== undefined;
}

/** The sessions assigned to a rapporteur, in every event, in time order, with where their conclusions stand. */
export function listAssignedSessions(db: Db, userId: number) {
  return db.select({ session: sessions, event: events, slotStart: timeSlots.startsAt, slotEnd: timeSlots.endsAt, conclusions })
    .from(rapporteurAssignments)
    .innerJoin(sessions, eq(sessions.id, rapporteurAssignments.sessionId))
    .innerJoin(events, eq(events.id, sessions.eventId))
    .leftJoin(timeSlots, eq(timeSlots.id, sessions.slotId))
    .leftJoin(conclusions, eq(conclusions.sessionId, sessions.id))
    .where(eq(rapporteurAssignments.userId, userId))
    .orderBy(asc(events.startDate), asc(events.id), sql`${timeSlots.startsAt} is null`, asc(timeSlots.startsAt), asc(sessions.id)).all();
}

/** The rapporteurs of each session of an event: for organisers' overviews. */
export function listAssignmentsOfEvent(db: Db, eventId: number) {
  return db.select({ sessionId: rapporteurAssignments.sessionId, name: users.name, userPublicId: users.publicId })
    .from(rapporteurAssignments)
    .innerJoin(sessions, eq(sessions.id, rapporteurAssignments.sessionId))
    .innerJoin(users, eq(users.id, rapporteurAssignments.userId))
    .where(eq(sessions.eventId, eventId)).orderBy(users.name).all();
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

// ---- The follow-up of published recommendations and actions (follow-up.ts)

export type FollowUpItemRow = typeof followUpItems.$inferSelect;
export type FollowUpNoteRow = typeof followUpNotes.$inferSelect;

/** The published conclusions of an event with their row id: what items are named against. */
export function listPublishedWithIds(db: Db, eventId: number) {
  return db.select({
    conclusionId: conclusions.id, sessionId: conclusions.sessionId, sessionPublicId: sessions.publicId,
    publishedAt: conclusions.publishedAt, revision: conclusionRevisions.number, content: conclusionRevisions.content,
  }).from(conclusions)
    .innerJoin(sessions, eq(sessions.id, conclusions.sessionId))
    .innerJoin(conclusionRevisions, and(eq(conclusionRevisions.conclusionId, conclusions.id), eq(conclusionRevisions.number, conclusions.publishedRevision)))
    .where(and(eq(conclusions.eventId, eventId), isNotNull(conclusions.publishedRevision))).all();
}

/** Every follow-up row of an event, with the session its conclusions are of. */
export function listItemsOfEvent(db: Db, eventId: number) {
  return db.select({ item: followUpItems, sessionId: conclusions.sessionId }).from(followUpItems)
    .innerJoin(conclusions, eq(conclusions.id, followUpItems.conclusionId))
    .where(eq(followUpItems.eventId, eventId)).all();
}

/** Every note of an event's follow-ups, oldest first. */
export function listNotesOfEvent(db: Db, eventId: number): FollowUpNoteRow[] {
  return db.select({ note: followUpNotes }).from(followUpNotes)
    .innerJoin(followUpItems, eq(followUpItems.id, followUpNotes.itemId))
    .where(eq(followUpItems.eventId, eventId))
    .orderBy(asc(followUpNotes.at), asc(followUpNotes.id)).all().map((r) => r.note);
}

export function findItem(db: Db, conclusionId: number, kind: FollowUpKind, position: number): FollowUpItemRow | null {
  return db.select().from(followUpItems)
    .where(and(eq(followUpItems.conclusionId, conclusionId), eq(followUpItems.kind, kind), eq(followUpItems.position, position))).get() ?? null;
}

export function listNotesOfItem(db: Db, itemId: number): FollowUpNoteRow[] {
  return db.select().from(followUpNotes).where(eq(followUpNotes.itemId, itemId)).orderBy(asc(followUpNotes.at), asc(followUpNotes.id)).all();
}

export function insertItem(db: Db, values: typeof followUpItems.$inferInsert): FollowUpItemRow {
  return db.insert(followUpItems).values(values).returning().get();
}

/** Moves the item on from the version the writer read; false when someone else moved it first. */
export function updateItem(db: Db, id: number, expectedVersion: number, values: Partial<typeof followUpItems.$inferInsert>): boolean {
  return db.update(followUpItems).set(values).where(and(eq(followUpItems.id, id), eq(followUpItems.version, expectedVersion))).run().changes === 1;
}

export function insertNote(db: Db, values: typeof followUpNotes.$inferInsert): FollowUpNoteRow {
  return db.insert(followUpNotes).values(values).returning().get();
}

/** The row id of a session's conclusions when they are published, or null. */
export function findPublishedConclusionId(db: Db, sessionId: number): number | null {
  return db.select({ id: conclusions.id }).from(conclusions)
    .where(and(eq(conclusions.sessionId, sessionId), isNotNull(conclusions.publishedRevision))).get()?.id ?? null;
}

/** The public id of a person or an organisation, by row id. */
export function findOwnerPublicId(db: Db, kind: 'person' | 'organisation', id: number): string | null {
  const table = kind === 'person' ? people : organisations;
  return db.select({ publicId: table.publicId }).from(table).where(eq(table.id, id)).get()?.publicId ?? null;
}
