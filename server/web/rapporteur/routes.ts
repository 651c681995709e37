// Rapporteurs' pages, under /rapporteur: their sessions, the conclusions form, its history.
// Server-rendered and usable without JavaScript; conclusions.js only adds rows without a
// round trip and keeps a copy of what is typed in the browser until the server has it.
// Organisers use the same pages for every session of their events, and validate there;
// their overview of an event's conclusions is /admin/events/:slug/conclusions.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { organises } from '../../domains/accounts/permissions.ts';
import { csrfToken, currentUser } from '../shared/auth.ts';
import type { AuthUser } from '../../domains/accounts/service.ts';
import { PublicId, Slug } from '../../domains/programme/schemas.ts';
import { getAudit, getEditableEvent } from '../../domains/programme/writes.ts';
import { adminNavFor } from '../workspace/routes.ts';
import { findRow, listRows, type RowOf } from '../../domains/programme/write-repository.ts';
import { LANGUAGES, type ConclusionContent, type Language } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, HttpError, UnauthorizedError, UnprocessableError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { Presenter } from '../shared/presenter.ts';
import { listEvents, type EventRow } from '../../domains/programme/repository.ts';
import { programmeOf } from '../../domains/programme/assemble.ts';
import { localClock, localDate, longDate, toZonedIso } from '../../time.ts';
import { contentChanges, wordDiff, type ContentField } from '../../domains/conclusions/diff.ts';
import {
  checkContent, EMPTY_ROWS, errorMessages, filledRows, FORM_INTENTS, parseForm, readValues, valuesOf, type FormValues,
} from './forms.ts';
import { conclusionsView, stateLabel } from '../shared/conclusions-presenter.ts';
import { listAssignmentsOfEvent, listConclusionsOfEvent } from '../../domains/conclusions/repository.ts';
import { expectsConclusions } from '../../domains/conclusions/report.ts';
import { LIMITS, TRANSITIONS, type Transition } from '../../domains/conclusions/schemas.ts';
import {
  emptyContent, getAssignedSessions, getConclusions, getRevisions, mayWrite, restoreConflictCopy, restoreRevision, saveConclusions,
  StaleRevisionError, transitionConclusions, type ConclusionsContext, type ConclusionsView,
} from '../../domains/conclusions/service.ts';

const Lang = Type.Enum(LANGUAGES);
const PageQuery = Type.Object({ lang: Type.Optional(Lang), saved: Type.Optional(Type.String({ maxLength: 30 })) });
const SessionParams = Type.Object({ slug: Slug, id: PublicId });
const RevisionParams = Type.Object({ slug: Slug, id: PublicId, number: Type.Integer({ minimum: 1, maximum: 1000000 }) });
const CopyParams = Type.Object({ slug: Slug, id: PublicId, copy: PublicId });
const TransitionForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  action: Type.Enum(TRANSITIONS),
  revision: Type.Integer({ minimum: 1 }),
  comment: Type.Optional(Type.String({ maxLength: LIMITS.comment })),
});
const RestoreForm = Type.Object({ _csrf: Type.Optional(Type.String()), baseRevision: Type.Integer({ minimum: 0 }) });

/** Confirmations a redirect may ask the next page to show (?saved=…). */
const CONFIRMATIONS = new Set(['saved', 'unchanged', 'submitted', 'validated', 'returned', 'published', 'unpublished', 'restored']);
const CONFIRMATION_OF: Record<Transition, string> = { submit: 'submitted', validate: 'validated', return: 'returned', publish: 'published', unpublish: 'unpublished' };

interface Scope {
  user: AuthUser;
  event: EventRow;
  session: RowOf<'session'>;
  locale: Language;
  presenter: Presenter;
  /** /rapporteur/events/:slug/sessions/:id */
  base: string;
  organiser: boolean;
}

/** What the form page shows besides the conclusions as they stand. */
interface FormState {
  status: number;
  values: FormValues;
  errors?: Map<string, string>;
  /** After a refused save: the conclusions as someone else saved them. */
  stale?: ConclusionsView;
  /** Rows each list shows, at least. */
  rows?: Partial<Record<'keyPoints' | 'recommendations' | 'followUps', number>>;
  /** A refusal of a workflow step, or its comment's error. */
  workflowError?: string;
  comment?: string;
}

const scopes = new WeakMap<FastifyRequest, Scope>();

export default async function conclusionUiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.db;

  function signedIn(request: FastifyRequest): AuthUser {
    const user = currentUser(request);
    if (!user) throw new UnauthorizedError(translate(requestLocale(request), 'admin.denied.signIn'));
    return user;
  }

  /** The session of the address, for someone who may write its conclusions; anyone else stops here, before the body is read. */
  async function writerOfSession(request: FastifyRequest) {
    const user = signedIn(request);
    const { slug, id } = request.params as { slug: string; id: string };
    const event = getEditableEvent(db, slug);
    const locale = requestLocale(request, event.defaultLanguage);
    const session = findRow(db, 'session', event.id, id);
    if (!session) throw new HttpError(404, 'errors.notFound.title', `No session "${id}"`, 'not-found');
    if (!mayWrite(db, user, event, session)) throw new ForbiddenError(translate(locale, 'conclusions.denied'));
    scopes.set(request, {
      user, event, session, locale, presenter: new Presenter(event, locale),
      base: `/rapporteur/events/${event.slug}/sessions/${session.publicId}`, organiser: organises(user, event.id),
    });
  }

  const scopeOf = (request: FastifyRequest) => scopes.get(request)!;
  const sessionPage = { onRequest: writerOfSession };
  const sessionForm = { onRequest: writerOfSession, preValidation: app.csrfProtection };
  const contextOf = (scope: Scope): ConclusionsContext => ({ db, event: scope.event, user: scope.user, now: app.now() });

  function render(request: FastifyRequest, reply: FastifyReply, locale: Language, template: string, status: number, context: Record<string, unknown> & { title: string }) {
    const saved = (request.query as { saved?: string } | undefined)?.saved;
    reply.header('Cache-Control', 'no-store').header('X-Robots-Tag', 'noindex');
    return reply.code(status).page(template, locale, {
      admin: true,
      conclusionsScript: true,
      noindex: true,
      csrfToken: csrfToken(reply),
      flash: saved && CONFIRMATIONS.has(saved) && status < 300 ? translate(locale, `conclusions.saved.${saved}`) : null,
      ...context,
    });
  }

  function sessionFacts(scope: Scope) {
    const { session, event, presenter, locale } = scope;
    const programmeSession = programmeOf(db, event).sessions.find((s) => s.row.id === session.id);
    const zone = event.timezone;
    return {
      title: presenter.text(session.title),
      event: presenter.text(event.title),
      when: programmeSession?.slot
        ? translate(locale, 'report.when', {
          day: longDate(localDate(programmeSession.slot.startsAt, zone), locale), start: localClock(programmeSession.slot.startsAt, zone), end: localClock(programmeSession.slot.endsAt, zone),
        })
        : null,
      room: programmeSession?.room ? presenter.text(programmeSession.room.name) : null,
      cancelled: session.status === 'cancelled',
      publicUrl: presenter.url(`/sessions/${session.publicId}`),
      outputs: programmeSession?.outputs ?? [],
    };
  }

  // ---- My sessions

  app.get('/rapporteur', { schema: { querystring: PageQuery } }, async (request, reply) => {
    const user = signedIn(request);
    const locale = requestLocale(request);
    const assigned = getAssignedSessions(db, user);
    const events: { title: unknown; dates: string; sessions: unknown[] }[] = [];
    let current: EventRow | null = null;
    for (const item of assigned) {
      const presenter = new Presenter(item.event, locale);
      if (current?.id !== item.event.id) {
        current = item.event;
        events.push({ title: presenter.text(item.event.title), dates: presenter.eventSummary().dates, sessions: [] });
      }
      const zone = item.event.timezone;
      events.at(-1)!.sessions.push({
        title: presenter.text(item.session.title),
        url: `/rapporteur/events/${item.event.slug}/sessions/${item.session.publicId}`,
        when: item.slotStart && item.slotEnd
          ? translate(locale, 'report.when', { day: longDate(localDate(item.slotStart, zone), locale), start: localClock(item.slotStart, zone), end: localClock(item.slotEnd, zone) })
          : null,
        startIso: item.slotStart ? toZonedIso(item.slotStart, zone) : null,
        state: item.state,
        stateLabel: stateLabel({ locale }, item.state, item.publishedRevision),
        returned: item.returnComment !== null,
        cancelled: item.session.status === 'cancelled',
      });
    }
    // Organisers reach every session of their events from the workspace.
    const organised = user.role === 'organiser'
      ? listEvents(db).filter((e) => organises(user, e.id)).map((e) => ({ title: new Presenter(e, locale).text(e.title), url: `/admin/events/${e.slug}/conclusions` }))
      : [];
    return render(request, reply, locale, 'conclusions/mine', 200, { title: translate(locale, 'conclusions.mine.title'), events, organised });
  });

  // ---- The conclusions form

  function formPage(request: FastifyRequest, reply: FastifyReply, scope: Scope, view: ConclusionsView, state: FormState) {
    const { locale, presenter, organiser } = scope;
    const outputs = listRows(db, 'output', scope.event.id).sort((a, b) => a.position - b.position);
    const facts = sessionFacts(scope);
    const errors = state.errors ?? new Map<string, string>();
    const values = state.values;
    const rowsFor = (list: 'keyPoints' | 'recommendations' | 'followUps') =>
      Math.min(LIMITS[list] + EMPTY_ROWS, Math.max(filledRows(values, list) + EMPTY_ROWS, state.rows?.[list] ?? 0));
    const str = (name: string) => (typeof values[name] === 'string' ? values[name] as string : '');
    const field = (name: string) => ({ name, id: `field-${name.replace(/\./g, '-')}`, value: str(name), error: errors.get(name) ?? null });
    const sessionOutputIds = new Set(facts.outputs.map((o) => o.publicId));

    const keyPoints = Array.from({ length: rowsFor('keyPoints') }, (_, i) => ({ ...field(`keyPoints.${i}`), number: i + 1 }));
    const recommendations = Array.from({ length: rowsFor('recommendations') }, (_, i) => {
      const chosen = new Set((values[`recommendations.${i}.outputs`] as string[] | undefined) ?? []);
      const outputsField = field(`recommendations.${i}.outputs`);
      return {
        number: i + 1,
        text: field(`recommendations.${i}.text`),
        outputs: { ...outputsField, options: outputs.map((o) => ({
          id: `${outputsField.id}-${o.publicId}`, value: o.publicId, checked: chosen.has(o.publicId),
          label: translate(locale, 'outputs.number', { number: o.position + 1 }), statement: presenter.text(o.statement),
          ofSession: sessionOutputIds.has(o.publicId),
        })) },
      };
    });
    const followUps = Array.from({ length: rowsFor('followUps') }, (_, i) => ({
      number: i + 1, action: field(`followUps.${i}.action`), owner: field(`followUps.${i}.owner`), due: field(`followUps.${i}.due`),
    }));
    const language = str('language') || scope.event.defaultLanguage;
    const errorSummary = [...errors].map(([name, message]) => ({ href: `#field-${name.replace(/\./g, '-')}`, text: message }));

    const row = view.row;
    const steps = workflowSteps(scope, view);
    const stale = state.stale;
    const latestCopy = view.copies[0];
    return render(request, reply, locale, 'conclusions/form', state.status, {
      title: translate(locale, 'conclusions.form.title', { session: facts.title?.text ?? '' }),
      facts,
      base: scope.base,
      historyUrl: `${scope.base}/history`,
      reportUrl: presenter.url('/report'),
      overviewUrl: organiser ? `/admin/events/${scope.event.slug}/conclusions` : null,
      state: {
        label: stateLabel(presenter, view.state, row?.publishedRevision ?? null),
        key: view.state,
        revision: view.revision,
        author: view.latest?.author ?? null,
        at: view.latest ? `${longDate(localDate(view.latest.createdAt, scope.event.timezone), locale)} ${localClock(view.latest.createdAt, scope.event.timezone)}` : null,
        returnComment: row?.returnComment ?? null,
      },
      // Texts set aside by a refused save that nobody has saved over since.
      setAside: latestCopy && latestCopy.currentRevision >= view.revision && !stale ? { count: view.copies.filter((c) => c.currentRevision >= view.revision).length } : null,
      staleSave: stale
        ? {
          message: translate(locale, 'conclusions.stale.intro', { name: stale.latest?.author ?? '—', revision: stale.revision }),
          current: stale.latest ? conclusionsView(presenter, stale.latest.content, outputs) : null,
        }
        : null,
      errorSummary,
      form: {
        action: scope.base,
        baseRevision: str('baseRevision') || '0',
        draftKey: `conclusions:${scope.event.slug}:${scope.session.publicId}`,
        confirmedRevision: (request.query as { saved?: string }).saved && state.status === 200 ? view.revision : null,
        languages: LANGUAGES.map((code) => ({ code, label: translate(locale, `language.${code}`), selected: code === language })),
        summary: field('summary'),
        challenges: field('challenges'),
        participants: field('participants'),
        keyPoints,
        recommendations,
        followUps,
        hasOutputs: outputs.length > 0,
        intents: FORM_INTENTS,
      },
      steps,
      workflowError: state.workflowError ?? null,
      comment: state.comment ?? '',
    });
  }

  /** The workflow buttons this user may use now. */
  function workflowSteps(scope: Scope, view: ConclusionsView) {
    const row = view.row;
    if (!row) return [];
    const may = (action: Transition) => {
      switch (action) {
        case 'submit': return row.state === 'draft';
        case 'validate': return scope.organiser && row.state === 'submitted';
        case 'return': return scope.organiser && (row.state === 'submitted' || row.state === 'validated');
        case 'publish': return scope.organiser && row.state === 'validated';
        case 'unpublish': return scope.organiser && row.publishedRevision !== null;
      }
    };
    return TRANSITIONS.filter(may).map((action) => ({
      action,
      label: translate(scope.locale, `conclusions.step.${action}`),
      hint: translate(scope.locale, `conclusions.step.${action}Hint`, { revision: row.revision, published: row.publishedRevision ?? '' }),
      needsComment: action === 'return',
      revision: row.revision,
      danger: action === 'unpublish',
    }));
  }

  function showForm(request: FastifyRequest, reply: FastifyReply, scope: Scope, state?: Partial<FormState>) {
    const view = getConclusions(contextOf(scope), scope.session);
    const values = state?.values ?? valuesOf(view.latest?.content ?? emptyContent(scope.event.defaultLanguage), view.revision);
    return formPage(request, reply, scope, view, { status: 200, ...state, values });
  }

  app.get('/rapporteur/events/:slug/sessions/:id', { ...sessionPage, schema: { params: SessionParams, querystring: PageQuery } }, async (request, reply) =>
    showForm(request, reply, scopeOf(request)));

  app.post('/rapporteur/events/:slug/sessions/:id', { ...sessionForm, schema: { params: SessionParams, querystring: PageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    const values = readValues(request.body);
    const intentValue = (request.body as Record<string, unknown> | undefined)?.intent;
    const intent = FORM_INTENTS.find((i) => i === intentValue) ?? 'save';
    if (intent === 'addRows') {
      // Rows without JavaScript: nothing is saved, what was typed is shown again with more room.
      const more = (list: 'keyPoints' | 'recommendations' | 'followUps') => filledRows(values, list) + EMPTY_ROWS * 2;
      return showForm(request, reply, scope, { values, rows: { keyPoints: more('keyPoints'), recommendations: more('recommendations'), followUps: more('followUps') } });
    }
    const parsed = parseForm(values, scope.event.defaultLanguage);
    const schemaErrors = checkContent(parsed.content);
    if (parsed.errors.length > 0 || schemaErrors.length > 0) {
      return showForm(request, reply, scope, { status: 422, values, errors: errorMessages(scope.locale, parsed, parsed.errors, schemaErrors) });
    }
    try {
      const { view, created } = saveConclusions(contextOf(scope), scope.session, { baseRevision: parsed.baseRevision, content: parsed.content, submit: intent === 'submit' });
      const saved = intent === 'submit' && view.state === 'submitted' ? 'submitted' : created ? 'saved' : 'unchanged';
      return reply.redirect(`${scope.base}?saved=${saved}`, 303);
    } catch (error) {
      if (error instanceof UnprocessableError) {
        return showForm(request, reply, scope, { status: 422, values, errors: errorMessages(scope.locale, parsed, error.errors) });
      }
      if (error instanceof StaleRevisionError) {
        // What was typed stays in the form, now based on the current revision: saving it again
        // is a deliberate choice, made with the current text in view.
        return formPage(request, reply, scope, error.current, {
          status: 409, values: { ...values, baseRevision: String(error.current.revision) }, stale: error.current,
        });
      }
      throw error;
    }
  });

  app.post('/rapporteur/events/:slug/sessions/:id/transition', {
    ...sessionForm, schema: { params: SessionParams, querystring: PageQuery, body: TransitionForm },
  }, async (request, reply) => {
    const scope = scopeOf(request);
    const { action, revision, comment } = request.body;
    try {
      transitionConclusions(contextOf(scope), scope.session, { action, revision, ...(comment !== undefined ? { comment } : {}) });
      return reply.redirect(`${scope.base}?saved=${CONFIRMATION_OF[action]}`, 303);
    } catch (error) {
      const refusal = error instanceof UnprocessableError
        ? errorMessages(scope.locale, { fieldOf: (p) => p }, error.errors).values().next().value
        : error instanceof ForbiddenError ? translate(scope.locale, 'conclusions.step.forbidden')
          : error instanceof ConflictError || (error instanceof HttpError && error.statusCode === 409)
            ? translate(scope.locale, error.problem === 'stale-revision' ? 'conclusions.step.stale' : 'conclusions.step.invalid')
            : null;
      if (refusal === null || refusal === undefined) throw error;
      const status = error instanceof HttpError ? error.statusCode : 400;
      return showForm(request, reply, scope, { status, workflowError: refusal, comment: comment ?? '' });
    }
  });

  // ---- History

  app.get('/rapporteur/events/:slug/sessions/:id/history', { ...sessionPage, schema: { params: SessionParams, querystring: PageQuery } }, async (request, reply) =>
    showHistory(request, reply, scopeOf(request), 200, null));

  function showHistory(request: FastifyRequest, reply: FastifyReply, scope: Scope, status: number, alert: string | null) {
    const { locale, presenter, event } = scope;
    const ctx = contextOf(scope);
    const view = getConclusions(ctx, scope.session);
    const revisions = getRevisions(ctx, scope.session);
    const outputs = listRows(db, 'output', event.id);
    const outputNumber = new Map(outputs.map((o) => [o.publicId, translate(locale, 'outputs.number', { number: o.position + 1 })]));
    const label = (id: string) => outputNumber.get(id) ?? id;
    const zone = event.timezone;
    const at = (instant: Date) => translate(locale, 'conclusions.history.at', { date: longDate(localDate(instant, zone), locale), time: localClock(instant, zone) });
    const changesView = (before: ConclusionContent | null, after: ConclusionContent) => contentChanges(before, after, label).map((change) => ({
      field: translate(locale, `conclusions.field.${change.field as ContentField}`),
      parts: wordDiff(change).map((p) => ({ text: p.text, added: p.kind === 'added', removed: p.kind === 'removed' })),
    }));
    const audit = getAudit(db, event, { entity: 'conclusions', entityId: scope.session.publicId, limit: 200 }).entries;
    return render(request, reply, locale, 'conclusions/history', status, {
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
        conclusions: conclusionsView(presenter, copy.content, outputs),
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
      restore(contextOf(scope), (request.body as { baseRevision: number }).baseRevision);
      return reply.redirect(`${scope.base}?saved=restored`, 303);
    } catch (error) {
      if (error instanceof StaleRevisionError) return showHistory(request, reply, scope, 409, translate(scope.locale, 'conclusions.history.stale', { revision: error.current.revision }));
      throw error;
    }
  }

  app.post('/rapporteur/events/:slug/sessions/:id/revisions/:number/restore', {
    ...sessionForm, schema: { params: RevisionParams, querystring: PageQuery, body: RestoreForm },
  }, async (request, reply) => restoreThen(request, reply, (ctx, base) => restoreRevision(ctx, scopeOf(request).session, request.params.number, base)));

  app.post('/rapporteur/events/:slug/sessions/:id/conflicts/:copy/restore', {
    ...sessionForm, schema: { params: CopyParams, querystring: PageQuery, body: RestoreForm },
  }, async (request, reply) => restoreThen(request, reply, (ctx, base) => restoreConflictCopy(ctx, scopeOf(request).session, request.params.copy, base)));

  // ---- Organisers: where every session's conclusions stand

  app.get('/admin/events/:slug/conclusions', { schema: { params: Type.Object({ slug: Slug }), querystring: PageQuery } }, async (request, reply) => {
    const user = signedIn(request);
    const event = getEditableEvent(db, request.params.slug);
    const locale = requestLocale(request, event.defaultLanguage);
    if (!organises(user, event.id)) throw new ForbiddenError(translate(locale, 'admin.denied.event'));
    const presenter = new Presenter(event, locale);
    const programme = programmeOf(db, event);
    const byId = new Map(listConclusionsOfEvent(db, event.id).map((c) => [c.sessionId, c]));
    const rapporteurs = new Map<number, string[]>();
    for (const a of listAssignmentsOfEvent(db, event.id)) rapporteurs.set(a.sessionId, [...(rapporteurs.get(a.sessionId) ?? []), a.name]);
    const sessions = programme.sessions.filter(expectsConclusions).map((s) => {
      const c = byId.get(s.row.id);
      const view = presenter.session(s);
      return {
        title: view.title,
        when: view.day ? `${view.day}, ${view.start}–${view.end}` : null,
        rapporteurs: rapporteurs.get(s.row.id) ?? [],
        state: stateLabel(presenter, c?.state ?? 'none', c?.publishedRevision ?? null),
        stateKey: c?.state ?? 'none',
        revision: c?.revision ?? 0,
        url: `/rapporteur/events/${event.slug}/sessions/${s.publicId}`,
      };
    });
    const counts = ['none', 'draft', 'submitted', 'validated', 'published'].map((key) => ({
      label: translate(locale, `conclusions.state.${key}`), count: sessions.filter((s) => s.stateKey === key).length,
    }));
    return render(request, reply, locale, 'conclusions/overview', 200, {
      title: translate(locale, 'admin.pageTitle', { page: translate(locale, 'conclusions.overview.title'), event: presenter.text(event.title)?.text ?? '' }),
      heading: translate(locale, 'conclusions.overview.title'),
      adminNav: adminNavFor(request, reply, event, 'conclusions'),
      reportUrl: presenter.url('/report'),
      sessions,
      counts,
    });
  });
}
