// Conclusions in the API: rapporteurs and organisers write them (signed in: 401 before
// anything else, then 403 unless assigned or organising); everyone reads what is published.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { organises } from '../../domains/accounts/permissions.ts';
import { authenticated, currentUser, requireUser } from '../shared/auth.ts';
import type { RowOf } from '../../domains/programme/items.ts';
import { API_SECURITY } from '../../plugins/openapi.ts';
import type { EventRow } from '../../domains/programme/repository.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { EventParams } from '../shared/schemas.ts';
import { reportJson } from '../shared/report-files.ts';
import {
  AssignedSessionList, ConclusionSave, ConclusionsOut, PublishedConclusionsList, ReportOut, RestoreBody, RevisionDetail, RevisionList,
  RevisionParams, SavedOut, SessionParams, TransitionBody, CopyParams,
} from '../../domains/conclusions/schemas.ts';
import { assignedSessionsOut, getReport, getRevisionDetail, getRevisions, publishedConclusionsOut, revisionsOut } from '../../domains/conclusions/reads.ts';
import { conclusionsOut, getConclusions, sessionToWrite, type ConclusionsContext, type ConclusionsView } from '../../domains/conclusions/views.ts';
import { restoreConflictCopy, restoreRevision, saveConclusions, transitionConclusions } from '../../domains/conclusions/service.ts';

const SECURITY = API_SECURITY;

const targets = new WeakMap<FastifyRequest, { event: EventRow; session: RowOf<'session'> }>();

/** Finds the session of the address and checks the caller may write its conclusions, before the body is read. */
async function writerOfSession(request: FastifyRequest) {
  const { slug, id } = request.params as { slug: string; id: string };
  targets.set(request, sessionToWrite(request.server.db, requireUser(request), slug, id));
}

function context(request: FastifyRequest): ConclusionsContext & { session: RowOf<'session'> } {
  const { event, session } = targets.get(request)!;
  return { db: request.server.db, event, session, user: requireUser(request), now: request.server.now(), publicUrl: request.server.publicUrl };
}

function sendConclusions(reply: FastifyReply, status: number, db: FastifyInstance['db'], view: ConclusionsView) {
  return reply.code(status).header('ETag', `"${view.revision}"`).send({ data: conclusionsOut(db, view) });
}

export default async function conclusionApiRoutes(app: FastifyInstance) {
  // Before the body is read (see writes.ts): 401, then 404 for an unknown event or session, 403 for anyone who may not write.
  const guarded = { onRequest: [authenticated, writerOfSession] };
  const base = '/api/v1/events/:slug/sessions/:id/conclusions';

  app.get('/api/v1/rapporteur/sessions', {
    onRequest: authenticated,
    schema: { tags: ['conclusions'], summary: 'The sessions assigned to me, with where their conclusions stand', security: SECURITY, response: { 200: AssignedSessionList } },
  }, async (request) => assignedSessionsOut(app.db, requireUser(request)));

  app.get(base, {
    ...guarded,
    schema: { tags: ['conclusions'], summary: 'A session\'s conclusions as they stand: latest revision, state, texts set aside', security: SECURITY, params: SessionParams, response: { 200: ConclusionsOut } },
  }, async (request, reply) => {
    const ctx = context(request);
    const view = getConclusions(ctx, ctx.session);
    return reply.header('ETag', `"${view.revision}"`).send(conclusionsOut(app.db, view));
  });

  app.put(base, {
    ...guarded,
    schema: {
      tags: ['conclusions'],
      summary: 'Save a session\'s conclusions as a new revision',
      description: 'Name the revision you started from in `baseRevision` (0 for the first save). If someone saved since, nothing is overwritten: the answer is 409 `stale-revision` with the current conclusions in `current` and your text in `yours`, which is also kept on the server (`conflicts`). A save that changes nothing adds no revision. A new revision is a draft again; the published revision stays public until another is published. `submit: true` submits it in the same step.',
      security: SECURITY, params: SessionParams, body: ConclusionSave, response: { 200: SavedOut, 201: SavedOut },
    },
  }, async (request, reply) => {
    const ctx = context(request);
    const { view, created } = saveConclusions(ctx, ctx.session, request.body as never);
    return sendConclusions(reply, created && view.revision === 1 ? 201 : 200, app.db, view);
  });

  app.post(`${base}/transitions`, {
    ...guarded,
    schema: {
      tags: ['conclusions'],
      summary: 'Move conclusions along: submit, validate, return (with a comment), publish, unpublish',
      description: 'Rapporteurs may only submit. `revision` must be the latest (409 `stale-revision` otherwise); a step the state does not allow is 409 `invalid-transition`.',
      security: SECURITY, params: SessionParams, body: TransitionBody, response: { 200: SavedOut },
    },
  }, async (request, reply) => {
    const ctx = context(request);
    return sendConclusions(reply, 200, app.db, transitionConclusions(ctx, ctx.session, request.body as never));
  });

  app.get(`${base}/revisions`, {
    ...guarded,
    schema: { tags: ['conclusions'], summary: 'Every revision of a session\'s conclusions, newest first', security: SECURITY, params: SessionParams, response: { 200: RevisionList } },
  }, async (request) => {
    const ctx = context(request);
    return revisionsOut(app.db, ctx.event, getRevisions(ctx, ctx.session));
  });

  app.get(`${base}/revisions/:number`, {
    ...guarded,
    schema: { tags: ['conclusions'], summary: 'One revision, with what changed since the one before it', security: SECURITY, params: RevisionParams, response: { 200: RevisionDetail } },
  }, async (request) => {
    const ctx = context(request);
    return getRevisionDetail(ctx, ctx.session, (request.params as { number: number }).number);
  });

  app.post(`${base}/revisions/:number/restore`, {
    ...guarded,
    schema: { tags: ['conclusions'], summary: 'Restore an old revision, as a new revision', security: SECURITY, params: RevisionParams, body: RestoreBody, response: { 200: SavedOut } },
  }, async (request, reply) => {
    const ctx = context(request);
    const { view } = restoreRevision(ctx, ctx.session, (request.params as { number: number }).number, (request.body as { baseRevision: number }).baseRevision);
    return sendConclusions(reply, 200, app.db, view);
  });

  app.post(`${base}/conflicts/:copy/restore`, {
    ...guarded,
    schema: { tags: ['conclusions'], summary: 'Save a text that a refused save left aside, as a new revision', security: SECURITY, params: CopyParams, body: RestoreBody, response: { 200: SavedOut } },
  }, async (request, reply) => {
    const ctx = context(request);
    const { view } = restoreConflictCopy(ctx, ctx.session, (request.params as { copy: string }).copy, (request.body as { baseRevision: number }).baseRevision);
    return sendConclusions(reply, 200, app.db, view);
  });

  // ---- Public: what is published

  app.get('/api/v1/events/:slug/conclusions', {
    schema: { tags: ['conclusions (public)'], summary: 'The published conclusions of every session, in programme order', params: EventParams, response: { 200: PublishedConclusionsList } },
  }, async (request) => publishedConclusionsOut(app.db, readProgramme(app.db, { slug: (request.params as { slug: string }).slug }, 'released')));

  app.get('/api/v1/events/:slug/report', {
    schema: {
      tags: ['conclusions (public)'],
      summary: 'The consolidated report: recommendations by expected output, conclusions by part, follow-up actions',
      description: 'Published conclusions only. For the event\'s organisers, `coverage` lists the outputs with no recommendation yet and the sessions with no published conclusions.',
      params: EventParams, response: { 200: ReportOut },
    },
  }, async (request) => {
    const programme = readProgramme(app.db, { slug: (request.params as { slug: string }).slug }, 'released');
    const user = currentUser(request);
    const organiser = user !== null && organises(user, programme.event.id);
    return reportJson(programme, getReport(app.db, programme, { withStates: organiser }), { coverage: organiser });
  });
}
