// Rules of conclusions: who may write and move them along, and how no word is ever lost.
// Every save is a new revision; a save names the revision it started from, and one that
// started from an old revision is refused (409) but its text is kept (conclusion_conflicts).
// Only the published revision is public, on the session page, in the report and the API.
import { v4 as uuidv4 } from 'uuid';
import { eq } from 'drizzle-orm';
import { organises } from '../accounts/permissions.ts';
import { findUserById } from '../accounts/repository.ts';
import type { AuthUser } from '../accounts/service.ts';
import { recordWrite } from '../audit/service.ts';
import { findRow, listRows, type RowOf } from '../programme/items.ts';
import { getEditableEvent } from '../programme/service.ts';
import type { Db } from '../../db/client.ts';
import { expectedOutputs, type ConclusionContent, type ConclusionState } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, HttpError, NotFoundError, UnprocessableError, type FieldError } from '../../errors.ts';
import type { EventRow } from '../programme/repository.ts';
import type { Programme } from '../programme/assemble.ts';
import { toZonedIso } from '../../time.ts';
import {
  findConclusionsOfSession, findConflictCopy, findPublishedOfSession, findRevision, insertConclusions, insertConflictCopy, insertRevision, isAssigned,
  listAssignedSessions, listConclusionsOfEvent, listConflictCopies, listPublishedOfEvent, listRevisions, updateConclusions, type ConclusionsRow,
  type ConflictCopyRow, type PublishedRow, type RevisionRow,
} from './repository.ts';
import { buildReport, type Report } from './report.ts';
import type { ConclusionSaveBody, Transition, TransitionRequest } from './schemas.ts';
import { contentChanges } from './diff.ts';

type SessionRow = RowOf<'session'>;

/** Who acts, when, on which event. */
export interface ConclusionsContext {
  db: Db;
  event: EventRow;
  user: AuthUser;
  now: Date;
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

function requireWriter(db: Db, user: AuthUser, event: EventRow, session: SessionRow) {
  if (!mayWrite(db, user, event, session)) {
    throw new ForbiddenError('Only the rapporteurs assigned to this session and the organisers of the event may write its conclusions');
  }
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

function viewOf(db: Db, event: EventRow, session: SessionRow): ConclusionsView {
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
function authorId(db: Db, userId: number | null): string | null {
  if (userId === null) return null;
  let known = authorCache.get(db);
  if (!known) authorCache.set(db, known = new Map());
  if (!known.has(userId)) known.set(userId, findUserById(db, userId)?.publicId ?? null);
  return known.get(userId)!;
}

function revisionOut(db: Db, event: EventRow, revision: RevisionRow) {
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

// ---- Checking what is written

const CRLF = /\r\n?/g;

/** Line ends as \n and no blank edges: a form and a script that send the same text save the same revision. */
export function normaliseContent(content: ConclusionContent): ConclusionContent {
  const clean = (s: string) => s.replace(CRLF, '\n').trim();
  return {
    language: content.language,
    summary: clean(content.summary),
    keyPoints: content.keyPoints.map(clean),
    challenges: clean(content.challenges),
    recommendations: content.recommendations.map((r) => ({ text: clean(r.text), outputs: [...r.outputs] })),
    followUps: content.followUps.map((f) => ({ action: clean(f.action), owner: clean(f.owner), due: f.due })),
    participants: content.participants,
  };
}

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function eventOutputIds(db: Db, eventId: number): Set<string> {
  return new Set(db.select({ publicId: expectedOutputs.publicId }).from(expectedOutputs).where(eq(expectedOutputs.eventId, eventId)).all().map((o) => o.publicId));
}

/** What makes conclusions unsaveable at all: outputs of another event, dates that do not exist. */
function checkContent(db: Db, event: EventRow, content: ConclusionContent, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  const outputs = eventOutputIds(db, event.id);
  content.recommendations.forEach((r, i) => {
    for (const id of r.outputs) {
      if (!outputs.has(id)) errors.push({ pointer: `${prefix}/recommendations/${i}/outputs`, code: 'unknown-output', params: { id } });
    }
  });
  content.followUps.forEach((f, i) => {
    if (f.due !== null && !isRealDate(f.due)) errors.push({ pointer: `${prefix}/followUps/${i}/due`, code: 'invalid-date', params: { value: f.due } });
  });
  if (content.keyPoints.some((p) => p === '')) errors.push({ pointer: `${prefix}/keyPoints`, code: 'empty-key-point' });
  return errors;
}

/** What submitted conclusions must have: a summary, and each recommendation tied to an expected output. */
function checkSubmittable(db: Db, event: EventRow, content: ConclusionContent, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  if (content.summary === '') errors.push({ pointer: `${prefix}/summary`, code: 'summary-required' });
  if (eventOutputIds(db, event.id).size > 0) {
    content.recommendations.forEach((r, i) => {
      if (r.outputs.length === 0) errors.push({ pointer: `${prefix}/recommendations/${i}/outputs`, code: 'recommendation-untied' });
    });
  }
  return errors;
}

function sameContent(a: ConclusionContent, b: ConclusionContent): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---- Writing

function auditTransition(ctx: ConclusionsContext, session: SessionRow, before: Record<string, unknown>, after: Record<string, unknown>) {
  recordWrite(ctx.db, {
    eventId: ctx.event.id, actor: { id: ctx.user.id, name: ctx.user.name }, at: ctx.now,
    action: 'update', entity: 'conclusions', entityId: session.publicId, before, after,
  });
}

type Outcome = { view: ConclusionsView; created: boolean } | { stale: ConclusionsView; copy: ConflictCopyRow | null; yours: ConclusionContent };

/**
 * Writes a new revision with this content, if it started from the latest one. A save that
 * did not is refused; its text is set aside first, in the same transaction, so the refusal
 * loses nothing. The refusal is thrown after the commit, or it would undo the keeping.
 */
function writeRevision(ctx: ConclusionsContext, session: SessionRow, baseRevision: number, rawContent: ConclusionContent, options: { submit?: boolean; restoredFrom?: number | null; pointer: string }): { view: ConclusionsView; created: boolean } {
  const content = normaliseContent(rawContent);
  const problems = checkContent(ctx.db, ctx.event, content, options.pointer);
  if (options.submit) problems.push(...checkSubmittable(ctx.db, ctx.event, content, options.pointer));
  if (problems.length > 0) throw new UnprocessableError(problems);

  const outcome = ctx.db.transaction((): Outcome => {
    const row = findConclusionsOfSession(ctx.db, session.id);
    const current = row?.revision ?? 0;
    if (baseRevision !== current) {
      // Nothing to keep when the stale save only repeats what is there.
      const latest = row ? findRevision(ctx.db, row.id, row.revision) : null;
      const copy = row && !(latest && sameContent(latest.content, content))
        ? insertConflictCopy(ctx.db, {
          publicId: uuidv4(), conclusionId: row.id, baseRevision, currentRevision: current, content,
          userId: ctx.user.id, author: ctx.user.name, createdAt: ctx.now,
        })
        : null;
      return { stale: viewOf(ctx.db, ctx.event, session), copy, yours: content };
    }
    const latest = row ? findRevision(ctx.db, row.id, row.revision) : null;
    const changed = !latest || !sameContent(latest.content, content) || options.restoredFrom != null;
    let conclusionsRow = row;
    if (changed) {
      const number = current + 1;
      if (!conclusionsRow) {
        conclusionsRow = insertConclusions(ctx.db, {
          publicId: uuidv4(), eventId: ctx.event.id, sessionId: session.id, state: 'draft', revision: 0, updatedAt: ctx.now,
        });
      }
      insertRevision(ctx.db, {
        conclusionId: conclusionsRow.id, number, content, userId: ctx.user.id, author: ctx.user.name, createdAt: ctx.now,
        restoredFrom: options.restoredFrom ?? null,
      });
      // A new text goes back to draft: what was submitted, validated or published was another revision.
      updateConclusions(ctx.db, conclusionsRow.id, current, { revision: number, state: 'draft', updatedAt: ctx.now });
    }
    if (options.submit) {
      const after = viewOf(ctx.db, ctx.event, session);
      if (after.state === 'draft') applyTransition(ctx, after, { action: 'submit', revision: after.revision });
    }
    return { view: viewOf(ctx.db, ctx.event, session), created: changed };
  }, { behavior: 'immediate' });

  if ('stale' in outcome) throw new StaleRevisionError(ctx.db, outcome.stale, outcome.yours, outcome.copy);
  return outcome;
}

export function saveConclusions(ctx: ConclusionsContext, session: SessionRow, body: ConclusionSaveBody) {
  requireWriter(ctx.db, ctx.user, ctx.event, session);
  return writeRevision(ctx, session, body.baseRevision, body.content, { submit: body.submit ?? false, pointer: '#/content' });
}

/**
 * An old text as it can be saved today: ties to expected outputs deleted since are dropped
 * (outputs that current or published conclusions serve cannot be deleted, older ones can).
 */
function withoutLostOutputs(ctx: ConclusionsContext, content: ConclusionContent): ConclusionContent {
  const outputs = eventOutputIds(ctx.db, ctx.event.id);
  if (content.recommendations.every((r) => r.outputs.every((id) => outputs.has(id)))) return content;
  return { ...content, recommendations: content.recommendations.map((r) => ({ ...r, outputs: r.outputs.filter((id) => outputs.has(id)) })) };
}

/** Restores an old revision as a new one: the history keeps both. */
export function restoreRevision(ctx: ConclusionsContext, session: SessionRow, number: number, baseRevision: number) {
  requireWriter(ctx.db, ctx.user, ctx.event, session);
  const row = findConclusionsOfSession(ctx.db, session.id);
  const old = row ? findRevision(ctx.db, row.id, number) : null;
  if (!row || !old) throw new NotFoundError('revision', String(number));
  return writeRevision(ctx, session, baseRevision, withoutLostOutputs(ctx, old.content), { restoredFrom: number, pointer: '#' });
}

/** Saves a text that was set aside after a refused save, as a new revision. */
export function restoreConflictCopy(ctx: ConclusionsContext, session: SessionRow, copyPublicId: string, baseRevision: number) {
  requireWriter(ctx.db, ctx.user, ctx.event, session);
  const row = findConclusionsOfSession(ctx.db, session.id);
  const copy = row ? findConflictCopy(ctx.db, row.id, copyPublicId) : null;
  if (!row || !copy) throw new NotFoundError('set-aside text', copyPublicId);
  return writeRevision(ctx, session, baseRevision, withoutLostOutputs(ctx, copy.content), { pointer: '#' });
}

/** From which states each step may be taken, to which state it leads, and whether only organisers may take it. */
const STEPS: Record<Transition, { from: (ConclusionState)[]; organiserOnly: boolean }> = {
  submit: { from: ['draft'], organiserOnly: false },
  validate: { from: ['submitted'], organiserOnly: true },
  return: { from: ['submitted', 'validated'], organiserOnly: true },
  publish: { from: ['validated'], organiserOnly: true },
  unpublish: { from: ['published', 'draft', 'submitted', 'validated'], organiserOnly: true },
};

function applyTransition(ctx: ConclusionsContext, view: ConclusionsView, request: TransitionRequest): void {
  const { session, row } = view;
  const step = STEPS[request.action];
  if (step.organiserOnly && !organises(ctx.user, ctx.event.id)) {
    throw new ForbiddenError(`Only the organisers of this event may ${request.action} conclusions`);
  }
  if (!row || !view.latest) throw new ConflictError('There are no conclusions for this session yet: save them first', 'invalid-transition');
  if (request.revision !== row.revision) {
    throw new HttpError(409, 'errors.conflict.title',
      `These conclusions are now at revision ${row.revision}, not ${request.revision}: read them again before you ${request.action} them`,
      'stale-revision', { current: conclusionsOut(ctx.db, view) }, { ETag: `"${row.revision}"` });
  }
  const unpublishable = request.action === 'unpublish' && row.publishedRevision === null;
  if (!step.from.includes(row.state) || unpublishable) {
    throw new ConflictError(`Conclusions that are ${row.state}${row.publishedRevision !== null && row.state !== 'published' ? ` (revision ${row.publishedRevision} published)` : ''} cannot be ${pastTense(request.action)}`, 'invalid-transition', { state: row.state });
  }
  const comment = request.comment?.replace(CRLF, '\n').trim() ?? '';
  if (request.action === 'return' && comment === '') {
    throw new UnprocessableError([{ pointer: '#/comment', code: 'return-comment' }]);
  }
  if (request.action === 'submit') {
    const problems = checkSubmittable(ctx.db, ctx.event, view.latest.content, '#/content');
    if (problems.length > 0) throw new UnprocessableError(problems);
  }

  const values: Partial<ConclusionsRow> = { updatedAt: ctx.now };
  switch (request.action) {
    case 'submit': values.state = 'submitted'; values.returnComment = null; break;
    case 'validate': values.state = 'validated'; break;
    case 'return': values.state = 'draft'; values.returnComment = comment; break;
    case 'publish': values.state = 'published'; values.publishedRevision = row.revision; values.publishedAt = ctx.now; break;
    case 'unpublish':
      values.publishedRevision = null;
      values.publishedAt = null;
      if (row.state === 'published') values.state = 'validated';
      break;
  }
  updateConclusions(ctx.db, row.id, row.revision, values);
  auditTransition(ctx, session,
    { state: row.state, revision: row.revision, publishedRevision: row.publishedRevision },
    { action: request.action, state: values.state ?? row.state, revision: row.revision, publishedRevision: values.publishedRevision === undefined ? row.publishedRevision : values.publishedRevision, ...(comment ? { comment } : {}) });
}

function pastTense(action: Transition): string {
  return { submit: 'submitted', validate: 'validated', return: 'returned', publish: 'published', unpublish: 'unpublished' }[action];
}

/** Moves the conclusions one step along their workflow; the request names the revision it acts on. */
export function transitionConclusions(ctx: ConclusionsContext, session: SessionRow, request: TransitionRequest): ConclusionsView {
  requireWriter(ctx.db, ctx.user, ctx.event, session);
  return ctx.db.transaction(() => {
    applyTransition(ctx, viewOf(ctx.db, ctx.event, session), request);
    return viewOf(ctx.db, ctx.event, session);
  }, { behavior: 'immediate' });
}

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
  return buildReport(programme, published, states);
}

/** Every published conclusions of the released programme, in its order. */
export function publishedConclusionsOut(db: Db, programme: Programme) {
  const bySession = new Map(listPublishedOfEvent(db, programme.event.id).map((p) => [p.sessionId, p]));
  const zone = programme.event.timezone;
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
        content: published.content,
      };
    }),
  };
}
