// The history of a session's conclusions: every revision with what it changed word by word,
// the texts set aside by refused saves, the workflow's steps, and restoring any of them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getAudit } from '../../domains/audit/service.ts';
import { contentChanges, wordDiff } from '../../domains/conclusions/diff.ts';
import type { Transition } from '../../domains/conclusions/schemas.ts';
import { getConclusions, StaleRevisionError, type ConclusionsContext } from '../../domains/conclusions/views.ts';
import { getRevisions } from '../../domains/conclusions/reads.ts';
import { restoreConflictCopy, restoreRevision } from '../../domains/conclusions/service.ts';
import { listRows } from '../../domains/programme/items.ts';
import type { ConclusionContent } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';
import { localClock, localDate, longDate, toZonedIso } from '../../time.ts';
import { conclusionsView } from '../shared/conclusions-presenter.ts';
import { contextOf, CopyParams, PageQuery, readableOutputs, render, RestoreForm, RevisionParams, scopeOf, SessionParams, type Scope } from './kit.ts';

function showHistory(request: FastifyRequest, reply: FastifyReply, scope: Scope, status: number, alert: string | null) {
  const { locale, presenter, event } = scope;
  const ctx = contextOf(request);
  const view = getConclusions(ctx, scope.session);
  const revisions = getRevisions(ctx, scope.session);
  const outputs = listRows(request.server.db, 'output', event.id);
  const outputNumber = new Map(outputs.map((o) => [o.publicId, translate(locale, 'outputs.number', { number: o.position + 1 })]));
  const label = (id: string) => outputNumber.get(id) ?? id;
  const zone = event.timezone;
  const at = (instant: Date) => translate(locale, 'conclusions.history.at', { date: longDate(localDate(instant, zone), locale), time: localClock(instant, zone) });
  const changesView = (before: ConclusionContent | null, after: ConclusionContent) => contentChanges(before, after, label).map((change) => ({
    field: translate(locale, `conclusions.field.${change.field}`),
    parts: wordDiff(change).map((p) => ({ text: p.text, added: p.kind === 'added', removed: p.kind === 'removed' })),
  }));
  const audit = getAudit(request.server.db, event, { entity: 'conclusions', entityId: scope.session.publicId, limit: 200 }).entries;
  return render(request, reply, locale, 'rapporteur/history', status, {
    title: translate(locale, 'conclusions.history.title', { session: presenter.text(scope.session.title)?.text ?? '' }),
    alert,
    formUrl: scope.base,
    currentRevision: view.revision,
    revisions: revisions.map((revision, index) => {
      const previous = revisions[index + 1] ?? null;
      return {
        number: revision.number,
        anchor: `revision-${revision.number}`,
        author: revision.author,
        at: at(revision.createdAt),
        atIso: toZonedIso(revision.createdAt, zone),
        restoredFrom: revision.restoredFrom,
        published: view.row?.publishedRevision === revision.number,
        latest: revision.number === view.revision,
        changes: changesView(previous?.content ?? null, revision.content),
        restoreAction: `${scope.base}/revisions/${revision.number}/restore`,
      };
    }),
    copies: view.copies.map((copy) => ({
      author: copy.author,
      at: at(copy.createdAt),
      atIso: toZonedIso(copy.createdAt, zone),
      baseRevision: copy.baseRevision,
      currentRevision: copy.currentRevision,
      conclusions: conclusionsView(presenter, copy.content, readableOutputs(request, scope)),
      restoreAction: `${scope.base}/conflicts/${copy.publicId}/restore`,
    })),
    steps: audit.map((entry) => {
      const after = entry.after as { action?: Transition; comment?: string; revision?: number } | null;
      return {
        label: after?.action ? translate(locale, `conclusions.history.step.${after.action}`, { name: entry.actor.name, revision: after.revision ?? '' }) : entry.action,
        comment: after?.comment ?? null,
        at: at(new Date(entry.at)),
        atIso: toZonedIso(new Date(entry.at), zone),
      };
    }),
  });
}

async function restoreThen(request: FastifyRequest, reply: FastifyReply, restore: (ctx: ConclusionsContext, base: number) => void) {
  const scope = scopeOf(request);
  try {
    restore(contextOf(request), (request.body as { baseRevision: number }).baseRevision);
    return reply.redirect(`${scope.base}?saved=restored`, 303);
  } catch (error) {
    if (error instanceof StaleRevisionError) return showHistory(request, reply, scope, 409, translate(scope.locale, 'conclusions.history.stale', { revision: error.current.revision }));
    throw error;
  }
}


export default async function historyRoutes(app: FastifyInstance) {
  app.get('/events/:slug/sessions/:id/history', { schema: { params: SessionParams, querystring: PageQuery } }, async (request, reply) =>
    showHistory(request, reply, scopeOf(request), 200, null));

  app.post('/events/:slug/sessions/:id/revisions/:number/restore', {
    preValidation: app.csrfProtection, schema: { params: RevisionParams, querystring: PageQuery, body: RestoreForm },
  }, async (request, reply) => restoreThen(request, reply, (ctx, base) => restoreRevision(ctx, scopeOf(request).session, (request.params as { number: number }).number, base)));

  app.post('/events/:slug/sessions/:id/conflicts/:copy/restore', {
    preValidation: app.csrfProtection, schema: { params: CopyParams, querystring: PageQuery, body: RestoreForm },
  }, async (request, reply) => restoreThen(request, reply, (ctx, base) => restoreConflictCopy(ctx, scopeOf(request).session, (request.params as { copy: string }).copy, base)));
}
