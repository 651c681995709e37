// What is read of conclusions besides the form: their history, a rapporteur's sessions, and
// the public side (published conclusions and the consolidated report).
import type { AuthUser } from '../accounts/service.ts';
import { listRows, type RowOf } from '../programme/items.ts';
import type { Db } from '../../db/client.ts';
import { type ConclusionState } from '../../db/schema.ts';
import { NotFoundError } from '../../errors.ts';
import type { EventRow } from '../programme/repository.ts';
import type { Programme } from '../programme/assemble.ts';
import { toZonedIso } from '../../time.ts';
import {
  findConclusionsOfSession, findPublishedOfSession, findRevision, listAssignedSessions, listConclusionsOfEvent,
  listPublishedOfEvent, listRevisions, type PublishedRow, type RevisionRow,
} from './repository.ts';
import { buildReport, publicContent, type Report } from './report.ts';
import { contentChanges } from './diff.ts';
import { followUpStatuses } from './follow-up.ts';

import { requireWriter, revisionOut, type ConclusionsContext } from './views.ts';

type SessionRow = RowOf<'session'>;

// ---- History

export function getRevisions(ctx: Omit<ConclusionsContext, 'now'>, session: SessionRow) {
  requireWriter(ctx.db, ctx.user, ctx.event, session);
  const row = findConclusionsOfSession(ctx.db, session.id);
  return row ? listRevisions(ctx.db, row.id) : [];
}

export function revisionsOut(db: Db, event: EventRow, revisions: RevisionRow[]) {
  return { revisions: revisions.map((r) => revisionOut(db, event, r)) };
}

/** One revision, and what changed since the one before it. */
export function getRevisionDetail(ctx: Omit<ConclusionsContext, 'now'>, session: SessionRow, number: number) {
  requireWriter(ctx.db, ctx.user, ctx.event, session);
  const row = findConclusionsOfSession(ctx.db, session.id);
  const revision = row ? findRevision(ctx.db, row.id, number) : null;
  if (!row || !revision) throw new NotFoundError('revision', String(number));
  const previous = number > 1 ? findRevision(ctx.db, row.id, number - 1) : null;
  const outputs = outputNumbers(ctx.db, ctx.event);
  return {
    ...revisionOut(ctx.db, ctx.event, revision),
    content: revision.content,
    changes: contentChanges(previous?.content ?? null, revision.content, (id) => outputs.get(id) ?? id),
  };
}

/** Expected outputs by public id, as their number ("2"): how the history names them. */
export function outputNumbers(db: Db, event: EventRow): Map<string, string> {
  return new Map(listRows(db, 'output', event.id).map((o) => [o.publicId, String(o.position + 1)]));
}

// ---- A rapporteur's sessions

export function getAssignedSessions(db: Db, user: AuthUser) {
  return listAssignedSessions(db, user.id).map(({ session, event, slotStart, slotEnd, conclusions }) => ({
    event, session, slotStart, slotEnd,
    state: conclusions?.state ?? 'none' as ConclusionState | 'none',
    revision: conclusions?.revision ?? 0,
    publishedRevision: conclusions?.publishedRevision ?? null,
    returnComment: conclusions?.returnComment ?? null,
  }));
}

export function assignedSessionsOut(db: Db, user: AuthUser) {
  return {
    sessions: getAssignedSessions(db, user).map((s) => ({
      event: { slug: s.event.slug, title: s.event.title },
      session: {
        id: s.session.publicId, title: s.session.title,
        start: s.slotStart ? toZonedIso(s.slotStart, s.event.timezone) : null,
        end: s.slotEnd ? toZonedIso(s.slotEnd, s.event.timezone) : null,
      },
      state: s.state,
      revision: s.revision,
      returnComment: s.returnComment,
    })),
  };
}

// ---- The public side: published conclusions, and the consolidated report

/** The published conclusions of a session of the released programme, or null. */
export function getPublishedConclusions(db: Db, session: { publicId: string }): PublishedRow | null {
  return findPublishedOfSession(db, session.publicId);
}

/**
 * The consolidated report of an event as released: published conclusions only. Organisers
 * get the coverage panel's states too (where each missing session's conclusions stand).
 */
export function getReport(db: Db, programme: Programme, options: { withStates: boolean }): Report {
  const published = listPublishedOfEvent(db, programme.event.id);
  const states = options.withStates ? new Map(listConclusionsOfEvent(db, programme.event.id).map((c) => [c.sessionId, c.state])) : new Map();
  return buildReport(programme, published, states, followUpStatuses(db, programme.event.id));
}

/** Every published conclusions of the released programme, in its order. */
export function publishedConclusionsOut(db: Db, programme: Programme) {
  const bySession = new Map(listPublishedOfEvent(db, programme.event.id).map((p) => [p.sessionId, p]));
  const zone = programme.event.timezone;
  const released = new Set(programme.outputs.map((o) => o.publicId));
  return {
    conclusions: programme.sessions.filter((s) => bySession.has(s.row.id)).map((s) => {
      const published = bySession.get(s.row.id)!;
      return {
        session: {
          id: s.publicId, title: s.row.title, part: s.part?.publicId ?? null,
          start: s.slot ? toZonedIso(s.slot.startsAt, zone) : null, end: s.slot ? toZonedIso(s.slot.endsAt, zone) : null,
        },
        revision: published.revision,
        publishedAt: toZonedIso(published.publishedAt, zone),
        content: publicContent(published.content, released),
      };
    }),
  };
}
