// Queries of personal agendas: an agenda by its token's hash, the sessions chosen, and changes.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { personalAgendaSessions, personalAgendas, sessions } from '../../db/schema.ts';

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
