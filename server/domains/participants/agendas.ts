// Personal agendas: a participant's own choice of sessions, kept behind an unguessable token.
import type { Db } from '../../db/client.ts';
import { NotFoundError } from '../../errors.ts';
import { hashToken, newSecretToken } from '../../secret-tokens.ts';
import {
  deleteChosenSessions, findAgendaByTokenHash, insertAgenda, insertChosenSessions, listChosenSessionIds, touchAgenda, type AgendaRow,
} from './repository.ts';

export type { AgendaRow };

/** 32 random bytes, base64url: 43 characters, 256 bits that nobody can guess or enumerate. */
export const AGENDA_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';
const AGENDA_TOKEN = new RegExp(AGENDA_TOKEN_PATTERN);

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
  const row = AGENDA_TOKEN.test(token) ? findAgendaByTokenHash(db, hashToken(token)) : null;
  if (!row) throw new NotFoundError('agenda', 'this address');
  return { row, sessionIds: new Set(listChosenSessionIds(db, row.id)) };
}

/**
 * Creates an agenda holding the given sessions of an event, in one transaction; returns its
 * token, which is stored nowhere but in the participant's address.
 */
export function createAgenda(db: Db, eventId: number, sessionIds: number[], now: Date): { token: string; agenda: Agenda } {
  const token = newSecretToken();
  const row = db.transaction(() => {
    const created = insertAgenda(db, { tokenHash: hashToken(token), eventId, createdAt: now, updatedAt: now });
    insertChosenSessions(db, created, sessionIds);
    return created;
  });
  return { token, agenda: { row, sessionIds: new Set(sessionIds) } };
}

/**
 * Adds and removes sessions in one transaction. Only sessions of the agenda's event are
 * accepted; the caller has checked the ids. The revision moves only if the choice changed.
 */
export function changeAgenda(db: Db, agenda: Agenda, change: { add: number[]; remove: number[] }, now: Date): boolean {
  const add = change.add.filter((id) => !agenda.sessionIds.has(id) && !change.remove.includes(id));
  const remove = change.remove.filter((id) => agenda.sessionIds.has(id));
  if (add.length === 0 && remove.length === 0) return false;
  db.transaction(() => {
    deleteChosenSessions(db, agenda.row.id, remove);
    insertChosenSessions(db, agenda.row, add);
    touchAgenda(db, agenda.row.id, now);
  });
  agenda.row = { ...agenda.row, revision: agenda.row.revision + 1, updatedAt: now };
  for (const id of remove) agenda.sessionIds.delete(id);
  for (const id of add) agenda.sessionIds.add(id);
  return true;
}
