// Which rapporteur reports on which session: organisers assign them, and only the assigned
// rapporteurs (with the event's organisers) may write a session's conclusions.
import type { Db } from '../../db/client.ts';
import { NotFoundError, UnprocessableError } from '../../errors.ts';
import { isOrganiserOfAll, type Principal } from '../accounts/permissions.ts';
import { findUserByPublicId, listUsers } from '../accounts/repository.ts';
import { recordWrite, type Actor } from '../audit/service.ts';
import { findRow } from '../programme/items.ts';
import type { EventRow } from '../programme/repository.ts';
import { draftAssignmentNotice } from '../messaging/drafts.ts';
import { deleteAssignment, insertAssignment, listAssignments, listAssignmentsOfEvent } from './repository.ts';

/** Who assigns, in which event, when. */
export interface AssignmentContext {
  db: Db;
  event: EventRow;
  actor: Actor;
  now: Date;
  /** The site's address, for the message that tells the rapporteur. */
  publicUrl: string;
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

/** A rapporteur account an organiser may assign; its e-mail is null where the organiser may not see it. */
export interface Candidate {
  id: string;
  name: string;
  email: string | null;
}

/**
 * The rapporteur accounts an organiser may assign to a session of this event, but those in
 * `except`. Accounts are shared by every event, and an organiser of one event must not gather
 * the addresses of people who work for others: they see the e-mail of the rapporteurs already
 * assigned to a session of their event only. Organisers of every event, who create the
 * accounts, see them all.
 */
export function rapporteurCandidates(db: Db, event: EventRow, viewer: Principal, except: ReadonlySet<string>): Candidate[] {
  const ofTheEvent = isOrganiserOfAll(viewer) ? null : new Set(listAssignmentsOfEvent(db, event.id).map((a) => a.userPublicId));
  return listUsers(db).filter((u) => u.role === 'rapporteur' && !except.has(u.publicId)).map((u) => ({
    id: u.publicId, name: u.name, email: ofTheEvent === null || ofTheEvent.has(u.publicId) ? u.email : null,
  }));
}

/** Assigns a rapporteur to a session; assigning again changes nothing. Answers as writes do (no conflicts: the programme is unchanged). */
export function assignRapporteur(ctx: AssignmentContext, sessionPublicId: string, userPublicId: string) {
  return ctx.db.transaction(() => {
    const session = sessionOf(ctx.db, ctx.event, sessionPublicId);
    const user = findUserByPublicId(ctx.db, userPublicId);
    if (!user) throw new UnprocessableError([{ pointer: '#/user', code: 'unknown-account', params: { id: userPublicId } }]);
    if (user.role !== 'rapporteur') throw new UnprocessableError([{ pointer: '#/user', code: 'not-rapporteur', params: { name: user.name } }]);
    if (insertAssignment(ctx.db, session.id, user.id, ctx.now)) {
      draftAssignmentNotice(ctx, session, user);
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
