// Which rapporteur reports on which session: organisers assign them, and only the assigned
// rapporteurs (with the event's organisers) may write a session's conclusions.
import type { Db } from '../../db/client.ts';
import { NotFoundError, UnprocessableError } from '../../errors.ts';
import { findUserByPublicId } from '../accounts/repository.ts';
import { recordWrite, type Actor } from '../audit/service.ts';
import { findRow } from '../programme/items.ts';
import type { EventRow } from '../programme/repository.ts';
import { deleteAssignment, insertAssignment, listAssignments } from './repository.ts';

/** Who assigns, in which event, when. */
export interface AssignmentContext {
  db: Db;
  event: EventRow;
  actor: Actor;
  now: Date;
}

function assignmentOut(sessionPublicId: string, a: ReturnType<typeof listAssignments>[number]) {
  return { session: sessionPublicId, user: { id: a.user.publicId, name: a.user.name, email: a.user.email }, assignedAt: a.assignedAt.toISOString() };
}

function sessionOf(db: Db, event: EventRow, publicId: string) {
  const session = findRow(db, 'session', event.id, publicId);
  if (!session) throw new NotFoundError('session', publicId);
  return session;
}

export function listRapporteurs(db: Db, event: EventRow, sessionPublicId: string) {
  const session = sessionOf(db, event, sessionPublicId);
  return listAssignments(db, session.id).map((a) => assignmentOut(session.publicId, a));
}

/** Assigns a rapporteur to a session; assigning again changes nothing. Answers as writes do (no conflicts: the programme is unchanged). */
export function assignRapporteur(ctx: AssignmentContext, sessionPublicId: string, userPublicId: string) {
  return ctx.db.transaction(() => {
    const session = sessionOf(ctx.db, ctx.event, sessionPublicId);
    const user = findUserByPublicId(ctx.db, userPublicId);
    if (!user) throw new UnprocessableError([{ pointer: '#/user', code: 'unknown-account', params: { id: userPublicId } }]);
    if (user.role !== 'rapporteur') throw new UnprocessableError([{ pointer: '#/user', code: 'not-rapporteur', params: { name: user.name } }]);
    if (insertAssignment(ctx.db, session.id, user.id, ctx.now)) {
      recordWrite(ctx.db, {
        eventId: ctx.event.id, actor: ctx.actor, at: ctx.now, action: 'create', entity: 'assignment', entityId: `${session.publicId}/${user.publicId}`,
        before: null, after: { session: session.publicId, user: user.publicId },
      });
    }
    return { data: assignmentOut(session.publicId, listAssignments(ctx.db, session.id).find((a) => a.user.id === user.id)!), warnings: [] };
  }, { behavior: 'immediate' });
}

export function unassignRapporteur(ctx: AssignmentContext, sessionPublicId: string, userPublicId: string): void {
  ctx.db.transaction(() => {
    const session = findRow(ctx.db, 'session', ctx.event.id, sessionPublicId);
    const user = findUserByPublicId(ctx.db, userPublicId);
    if (!session || !user || !deleteAssignment(ctx.db, session.id, user.id)) throw new NotFoundError('assignment', `${sessionPublicId}/${userPublicId}`);
    recordWrite(ctx.db, {
      eventId: ctx.event.id, actor: ctx.actor, at: ctx.now, action: 'delete', entity: 'assignment', entityId: `${session.publicId}/${user.publicId}`,
      before: { session: session.publicId, user: user.publicId }, after: null,
    });
  }, { behavior: 'immediate' });
}
