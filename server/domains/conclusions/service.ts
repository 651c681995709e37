// Rules of conclusions: who may write and move them along, and how no word is ever lost.
// Every save is a new revision; a save names the revision it started from, and one that
// started from an old revision is refused (409) but its text is kept (conclusion_conflicts).
// Only the published revision is public, on the session page, in the report and the API.
import { draftConclusionsNotice } from '../messaging/drafts.ts';
import { v4 as uuidv4 } from 'uuid';
import { organises } from '../accounts/permissions.ts';
import { recordWrite } from '../audit/service.ts';
import { type RowOf } from '../programme/items.ts';
import type { Db } from '../../db/client.ts';
import { type ConclusionContent, type ConclusionState } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, HttpError, NotFoundError, UnprocessableError, type FieldError } from '../../errors.ts';
import {
  findConclusionsOfSession, findConflictCopy, findRevision, insertConclusions, insertConflictCopy, insertRevision,
  updateConclusions, type ConclusionsRow, type ConflictCopyRow,
} from './repository.ts';
import type { ConclusionSaveBody, Transition, TransitionRequest } from './schemas.ts';

import { conclusionsOut, requireWriter, tieableOutputIds, viewOf, type ConclusionsContext, type ConclusionsView, StaleRevisionError } from './views.ts';

type SessionRow = RowOf<'session'>;

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

/**
 * The outputs this writer may tie the session's conclusions to (see tieableOutputIds): what a
 * rapporteur names beyond them is refused as unknown, so that a refusal does not even tell
 * that an unreleased output exists.
 */
function writerOutputIds(ctx: ConclusionsContext, session: SessionRow): Set<string> {
  const row = findConclusionsOfSession(ctx.db, session.id);
  const latest = row ? findRevision(ctx.db, row.id, row.revision) : null;
  return tieableOutputIds(ctx.db, ctx.user, ctx.event, latest?.content);
}

/** What makes conclusions unsaveable at all: outputs of another event or not to be seen, dates that do not exist. */
function checkContent(outputs: Set<string>, content: ConclusionContent, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
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

/**
 * What submitted conclusions must have: a summary, and each recommendation tied to an expected
 * output, when the writer has any to tie it to (a rapporteur before any output is released has none).
 */
function checkSubmittable(outputs: Set<string>, content: ConclusionContent, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  if (content.summary === '') errors.push({ pointer: `${prefix}/summary`, code: 'summary-required' });
  if (outputs.size > 0) {
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
  const outputs = writerOutputIds(ctx, session);
  const problems = checkContent(outputs, content, options.pointer);
  if (options.submit) problems.push(...checkSubmittable(outputs, content, options.pointer));
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
 * (outputs that current or published conclusions serve cannot be deleted, older ones can), and
 * so are a rapporteur's ties to outputs not released (that the latest revision does not have).
 */
function withoutLostOutputs(ctx: ConclusionsContext, session: SessionRow, content: ConclusionContent): ConclusionContent {
  const outputs = writerOutputIds(ctx, session);
  if (content.recommendations.every((r) => r.outputs.every((id) => outputs.has(id)))) return content;
  return { ...content, recommendations: content.recommendations.map((r) => ({ ...r, outputs: r.outputs.filter((id) => outputs.has(id)) })) };
}

/** Restores an old revision as a new one: the history keeps both. */
export function restoreRevision(ctx: ConclusionsContext, session: SessionRow, number: number, baseRevision: number) {
  requireWriter(ctx.db, ctx.user, ctx.event, session);
  const row = findConclusionsOfSession(ctx.db, session.id);
  const old = row ? findRevision(ctx.db, row.id, number) : null;
  if (!row || !old) throw new NotFoundError('revision', String(number));
  return writeRevision(ctx, session, baseRevision, withoutLostOutputs(ctx, session, old.content), { restoredFrom: number, pointer: '#' });
}

/** Saves a text that was set aside after a refused save, as a new revision. */
export function restoreConflictCopy(ctx: ConclusionsContext, session: SessionRow, copyPublicId: string, baseRevision: number) {
  requireWriter(ctx.db, ctx.user, ctx.event, session);
  const row = findConclusionsOfSession(ctx.db, session.id);
  const copy = row ? findConflictCopy(ctx.db, row.id, copyPublicId) : null;
  if (!row || !copy) throw new NotFoundError('set-aside text', copyPublicId);
  return writeRevision(ctx, session, baseRevision, withoutLostOutputs(ctx, session, copy.content), { pointer: '#' });
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
    const problems = checkSubmittable(tieableOutputIds(ctx.db, ctx.user, ctx.event, view.latest.content), view.latest.content, '#/content');
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
  if (request.action === 'return' || request.action === 'validate' || request.action === 'publish') {
    const kind = ({ return: 'returned', validate: 'validated', publish: 'published' } as const)[request.action];
    draftConclusionsNotice(ctx, kind, session, request.action === 'return' ? comment : null);
  }
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

