// Personal agendas: a participant's own choice of sessions, kept behind an unguessable token.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { personalAgendaSessions, personalAgendas, sessions } from '../../db/schema.ts';
import { NotFoundError } from '../../errors.ts';
import { hashToken, newSecretToken } from '../../secret-tokens.ts';

export type AgendaRow = typeof personalAgendas.$inferSelect;

/** 32 random bytes, base64url: 43 characters, 256 bits that nobody can guess or enumerate. */
export const AGENDA_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

export interface Agenda {
  row: AgendaRow;
  /** Integer ids of the chosen sessions. */
  sessionIds: Set<number>;
}

/**
 * The agenda behind a token. Any token that does not open one, malformed or unknown,
 * gives the same NotFoundError, so answers say nothing about which tokens exist.
 */
export function findAgenda(db: Db, token: string): Agenda {
  const row = new RegExp(AGENDA_TOKEN_PATTERN).test(token)
    ? db.select().from(personalAgendas).where(eq(personalAgendas.tokenHash, hashToken(token))).get()
    : undefined;
  if (!row) throw new NotFoundError('agenda', 'this address');
  const chosen = db.select({ sessionId: personalAgendaSessions.sessionId }).from(personalAgendaSessions)
    .where(eq(personalAgendaSessions.agendaId, row.id)).all();
  return { row, sessionIds: new Set(chosen.map((c) => c.sessionId)) };
}

/**
 * Creates an agenda holding the given sessions of an event, in one transaction; returns its
 * token, which is stored nowhere but in the participant's address.
 */
export function createAgenda(db: Db, eventId: number, sessionIds: number[], now: Date): { token: string; agenda: Agenda } {
  const token = newSecretToken();
  const row = db.transaction((tx) => {
    const created = tx.insert(personalAgendas).values({ tokenHash: hashToken(token), eventId, createdAt: now, updatedAt: now }).returning().get();
    insertSessions(tx, created, sessionIds);
    return created;
  });
  return { token, agenda: { row, sessionIds: new Set(sessionIds) } };
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

// Joined on the sessions of the agenda's event, so that a session of another event can never slip in.
function insertSessions(tx: Tx, agenda: AgendaRow, sessionIds: number[]): void {
  if (sessionIds.length === 0) return;
  tx.insert(personalAgendaSessions)
    .select(tx.select({ agendaId: sql<number>`${agenda.id}`.as('agenda_id'), sessionId: sessions.id }).from(sessions)
      .where(and(eq(sessions.eventId, agenda.eventId), inArray(sessions.id, sessionIds))))
    .onConflictDoNothing().run();
}

/**
 * Adds and removes sessions in one transaction. Only sessions of the agenda's event are
 * accepted; the caller has checked the ids. The revision moves only if the choice changed.
 */
export function changeAgenda(db: Db, agenda: Agenda, change: { add: number[]; remove: number[] }, now: Date): boolean {
  const add = change.add.filter((id) => !agenda.sessionIds.has(id) && !change.remove.includes(id));
  const remove = change.remove.filter((id) => agenda.sessionIds.has(id));
  if (add.length === 0 && remove.length === 0) return false;
  db.transaction((tx) => {
    if (remove.length > 0) {
      tx.delete(personalAgendaSessions)
        .where(and(eq(personalAgendaSessions.agendaId, agenda.row.id), inArray(personalAgendaSessions.sessionId, remove))).run();
    }
    insertSessions(tx, agenda.row, add);
    tx.update(personalAgendas).set({ revision: sql`${personalAgendas.revision} + 1`, updatedAt: now })
      .where(eq(personalAgendas.id, agenda.row.id)).run();
  });
  agenda.row = { ...agenda.row, revision: agenda.row.revision + 1, updatedAt: now };
  for (const id of remove) agenda.sessionIds.delete(id);
  for (const id of add) agenda.sessionIds.add(id);
  return true;
}
