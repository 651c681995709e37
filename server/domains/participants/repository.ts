// Queries of personal agendas (an agenda by its token's hash, the sessions chosen, and changes)
// and of participants' feedback (an answer by its session and browser, an event's answers, writes).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { events, personalAgendaSessions, personalAgendas, sessionFeedback, sessions, type CommentState } from '../../db/schema.ts';

export type AgendaRow = typeof personalAgendas.$inferSelect;

export function findAgendaByTokenHash(db: Db, tokenHash: string): AgendaRow | null {
  return db.select().from(personalAgendas).where(eq(personalAgendas.tokenHash, tokenHash)).get() ?? null;
}

export function listChosenSessionIds(db: Db, agendaId: number): number[] {
  return db.select({ sessionId: personalAgendaSessions.sessionId }).from(personalAgendaSessions)
    .where(eq(personalAgendaSessions.agendaId, agendaId)).all().map((c) => c.sessionId);
}

export function insertAgenda(db: Db, values: typeof personalAgendas.$inferInsert): AgendaRow {
  return db.insert(personalAgendas).values(values).returning().get();
}

// Joined on the sessions of the agenda's event, so that a session of another event can never slip in.
export function insertChosenSessions(db: Db, agenda: AgendaRow, sessionIds: number[]): void {
  if (sessionIds.length === 0) return;
  db.insert(personalAgendaSessions)
    .select(db.select({ agendaId: sql<number>`${agenda.id}`.as('agenda_id'), sessionId: sessions.id }).from(sessions)
      .where(and(eq(sessions.eventId, agenda.eventId), inArray(sessions.id, sessionIds))))
    .onConflictDoNothing().run();
}

export function deleteChosenSessions(db: Db, agendaId: number, sessionIds: number[]): void {
  if (sessionIds.length === 0) return;
  db.delete(personalAgendaSessions).where(and(eq(personalAgendaSessions.agendaId, agendaId), inArray(personalAgendaSessions.sessionId, sessionIds))).run();
}

/** Raises the agenda's revision (its feed's ETag follows it). */
export function touchAgenda(db: Db, agendaId: number, now: Date): void {
  db.update(personalAgendas).set({ revision: sql`${personalAgendas.revision} + 1`, updatedAt: now }).where(eq(personalAgendas.id, agendaId)).run();
}

// ---- Participants' feedback

export type FeedbackRow = typeof sessionFeedback.$inferSelect;
export type NewFeedback = typeof sessionFeedback.$inferInsert;

export function findFeedbackOfBrowser(db: Db, sessionId: number, browserHash: string): FeedbackRow | null {
  return db.select().from(sessionFeedback)
    .where(and(eq(sessionFeedback.sessionId, sessionId), eq(sessionFeedback.browserHash, browserHash))).get() ?? null;
}

export function findFeedback(db: Db, eventId: number, id: number): FeedbackRow | null {
  return db.select().from(sessionFeedback).where(and(eq(sessionFeedback.eventId, eventId), eq(sessionFeedback.id, id))).get() ?? null;
}

/** Every answer of an event, oldest first. */
export function listFeedbackOfEvent(db: Db, eventId: number): FeedbackRow[] {
  return db.select().from(sessionFeedback).where(eq(sessionFeedback.eventId, eventId)).orderBy(asc(sessionFeedback.createdAt), asc(sessionFeedback.id)).all();
}

export function insertFeedback(db: Db, values: NewFeedback): FeedbackRow {
  const { id } = db.insert(sessionFeedback).values(values).returning({ id: sessionFeedback.id }).get();
  // Read again: the insert trigger may have set the comment's state after RETURNING was written.
  return db.select().from(sessionFeedback).where(eq(sessionFeedback.id, id)).get()!;
}

export function updateFeedbackAnswer(db: Db, id: number, values: Pick<FeedbackRow, 'rating' | 'useful' | 'comment' | 'commentState' | 'updatedAt'>): FeedbackRow {
  db.update(sessionFeedback).set(values).where(eq(sessionFeedback.id, id)).run();
  return db.select().from(sessionFeedback).where(eq(sessionFeedback.id, id)).get()!;
}

export function updateCommentState(db: Db, id: number, state: CommentState): FeedbackRow {
  db.update(sessionFeedback).set({ commentState: state }).where(eq(sessionFeedback.id, id)).run();
  return db.select().from(sessionFeedback).where(eq(sessionFeedback.id, id)).get()!;
}

/**
 * A word that changes with every answer of an event, new or changed, and every moderation (each
 * raises the row's version): what cached pages and exports that show the figures are keyed by.
 */
export function findFeedbackWord(db: Db, slug: string): { word: string; updatedAt: Date | null } {
  const row = db.select({
    count: sql<number>`count(*)`,
    versions: sql<number>`total(${sessionFeedback.version})`,
    latest: sql<number | null>`max(${sessionFeedback.updatedAt})`,
  }).from(sessionFeedback).where(sql`${sessionFeedback.eventId} = (select ${events.id} from ${events} where ${events.slug} = ${slug})`).get()!;
  return { word: `${row.count}:${row.versions}:${row.latest ?? 0}`, updatedAt: row.latest === null ? null : new Date(row.latest) };
}
