// Who may read and write a session's conclusions, and what they read: the conclusions as they
// stand (state, latest revision, texts set aside), as the API answers with them.
import { organises } from '../accounts/permissions.ts';
import { findUserById } from '../accounts/repository.ts';
import type { AuthUser } from '../accounts/service.ts';
import { findRow, listRows, type RowOf } from '../programme/items.ts';
import { getEditableEvent } from '../programme/service.ts';
import type { Db } from '../../db/client.ts';
import { type ConclusionContent, type ConclusionState } from '../../db/schema.ts';
import { ForbiddenError, HttpError, NotFoundError } from '../../errors.ts';
import type { EventRow } from '../programme/repository.ts';
import { toZonedIso } from '../../time.ts';
import { readProgramme } from '../releases/reader.ts';
import {
  findConclusionsOfSession, findRevision, isAssigned, listConflictCopies, type ConclusionsRow, type ConflictCopyRow,
  type RevisionRow,
} from './repository.ts';

type SessionRow = RowOf<'session'>;

/** Who acts, when, on which event. */
export interface ConclusionsContext {
  db: Db;
  event: EventRow;
  user: AuthUser;
  now: Date;
  /** The site's address, for the messages that tell rapporteurs where their conclusions stand. */
  publicUrl: string;
}

/** A save that started from an old revision: refused, its text kept and sent back beside the current one. */
export class StaleRevisionError extends HttpError {
  override name = 'StaleRevisionError';
  constructor(db: Db, readonly current: ConclusionsView, readonly yours: ConclusionContent, readonly copy: ConflictCopyRow | null) {
    super(409, 'errors.conflict.title',
      `These conclusions were saved by someone else since you started (they are now at revision ${current.revision}). Nothing was overwritten: your text is in "yours"${copy ? `, and kept on the server (set aside as ${copy.publicId})` : ''}. Merge it into the current revision and save again from revision ${current.revision}.`,
      'stale-revision', { current: conclusionsOut(db, current), yours, ...(copy ? { setAside: copy.publicId } : {}) }, { ETag: `"${current.revision}"` });
  }
}

/** The empty conclusions a new form starts from. */
export function emptyContent(language: ConclusionContent['language']): ConclusionContent {
  return { language, summary: '', keyPoints: [], challenges: '', recommendations: [], followUps: [], participants: null };
}

// ---- Who may

/** An organiser of the event, or a rapporteur assigned to the session. */
export function mayWrite(db: Db, user: AuthUser, event: EventRow, session: SessionRow): boolean {
  if (organises(user, event.id)) return true;
  return user.role === 'rapporteur' && isAssigned(db, session.id, user.id);
}

export function requireWriter(db: Db, user: AuthUser, event: EventRow, session: SessionRow) {
  if (!mayWrite(db, user, event, session)) {
    throw new ForbiddenError('Only the rapporteurs assigned to this session and the organisers of the event may write its conclusions');
  }
}

/** The public ids of the expected outputs of the event's latest release; none before the first. */
export function releasedOutputIds(db: Db, event: EventRow): Set<string> {
  try {
    return new Set(readProgramme(db, { id: event.id }, 'released').outputs.map((o) => o.publicId));
  } catch (error) {
    if (error instanceof NotFoundError) return new Set();
    throw error;
  }
}

/** Every output id the content's recommendations are tied to. */
export function tiedOutputIds(content: ConclusionContent | null | undefined): Set<string> {
  return new Set(content?.recommendations.flatMap((r) => r.outputs) ?? []);
}

/**
 * The expected outputs this writer may tie conclusions to. Organisers: every output of the
 * event. A rapporteur: those of the latest release, since an output not yet released is not
 * public and may still change or go; and those the latest revision is already tied to (an
 * organiser's tie), kept so that saving the form never silently drops it.
 */
export function tieableOutputIds(db: Db, user: AuthUser, event: EventRow, latest: ConclusionContent | null | undefined): Set<string> {
  const all = new Set(listRows(db, 'output', event.id).map((o) => o.publicId));
  if (organises(user, event.id)) return all;
  const visible = new Set([...releasedOutputIds(db, event), ...tiedOutputIds(latest)]);
  return new Set([...all].filter((id) => visible.has(id)));
}

function findSession(db: Db, event: EventRow, publicId: string): SessionRow {
  const session = findRow(db, 'session', event.id, publicId);
  if (!session) throw new NotFoundError('session', publicId);
  return session;
}

/** The event of an address and the session in it that the user may write conclusions for. */
export function sessionToWrite(db: Db, user: AuthUser, slug: string, sessionPublicId: string): { event: EventRow; session: SessionRow } {
  const event = getEditableEvent(db, slug);
  const session = findSession(db, event, sessionPublicId);
  requireWriter(db, user, event, session);
  return { event, session };
}

// ---- Reading

export interface ConclusionsView {
  event: EventRow;
  session: SessionRow;
  row: ConclusionsRow | null;
  latest: RevisionRow | null;
  state: ConclusionState | 'none';
  revision: number;
  copies: ConflictCopyRow[];
}

export function viewOf(db: Db, event: EventRow, session: SessionRow): ConclusionsView {
  const row = findConclusionsOfSession(db, session.id);
  const latest = row ? findRevision(db, row.id, row.revision) : null;
  return {
    event, session, row, latest,
    state: row?.state ?? 'none',
    revision: row?.revision ?? 0,
    copies: row ? listConflictCopies(db, row.id) : [],
  };
}

export function getConclusions(ctx: Omit<ConclusionsContext, 'now'>, session: SessionRow): ConclusionsView {
  requireWriter(ctx.db, ctx.user, ctx.event, session);
  return viewOf(ctx.db, ctx.event, session);
}

const authorCache = new WeakMap<Db, Map<number, string | null>>();

/** The public id of an author, when their account still exists. */
export function authorId(db: Db, userId: number | null): string | null {
  if (userId === null) return null;
  let known = authorCache.get(db);
  if (!known) authorCache.set(db, known = new Map());
  if (!known.has(userId)) known.set(userId, findUserById(db, userId)?.publicId ?? null);
  return known.get(userId)!;
}

export function revisionOut(db: Db, event: EventRow, revision: RevisionRow) {
  return {
    number: revision.number,
    author: { id: authorId(db, revision.userId), name: revision.author },
    createdAt: toZonedIso(revision.createdAt, event.timezone),
    restoredFrom: revision.restoredFrom,
  };
}

function copyOut(db: Db, event: EventRow, copy: ConflictCopyRow) {
  return {
    id: copy.publicId,
    baseRevision: copy.baseRevision,
    currentRevision: copy.currentRevision,
    author: { id: authorId(db, copy.userId), name: copy.author },
    createdAt: toZonedIso(copy.createdAt, event.timezone),
    content: copy.content,
  };
}

/** What the API answers about a session's conclusions. */
export function conclusionsOut(db: Db, view: ConclusionsView) {
  const { event, session, row, latest } = view;
  return {
    session: { id: session.publicId, title: session.title },
    state: view.state,
    revision: view.revision,
    publishedRevision: row?.publishedRevision ?? null,
    returnComment: row?.returnComment ?? null,
    updatedAt: row ? toZonedIso(row.updatedAt, event.timezone) : null,
    author: latest ? { id: authorId(db, latest.userId), name: latest.author } : null,
    content: latest?.content ?? null,
    conflicts: view.copies.map((c) => copyOut(db, event, c)),
  };
}

