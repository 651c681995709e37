// The conclusions form of a session: what its rapporteurs (and the event's organisers) write,
// saved as a new revision; a refused save keeps what was typed, beside the saved text when
// someone else saved meanwhile; and the workflow's buttons (submit, validate, return, publish).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LIMITS, TRANSITIONS, type Transition } from '../../domains/conclusions/schemas.ts';
import {
  emptyContent, getConclusions, releasedOutputIds, StaleRevisionError, tieableOutputIds, type ConclusionsView,
} from '../../domains/conclusions/views.ts';
import { saveConclusions, transitionConclusions } from '../../domains/conclusions/service.ts';
import { listRows } from '../../domains/programme/items.ts';
import { LANGUAGES } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, HttpError, UnprocessableError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { localClock, localDate, longDate } from '../../time.ts';
import { conclusionsView, stateLabel } from '../shared/conclusions-presenter.ts';
import { checkContent, EMPTY_ROWS, errorMessages, filledRows, FORM_INTENTS, parseForm, readValues, valuesOf, type FormValues } from './forms.ts';
import { contextOf, PageQuery, readableOutputs, render, scopeOf, sessionFacts, SessionParams, TransitionForm, type Scope } from './kit.ts';

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

const CONFIRMATION_OF: Record<Transition, string> = { submit: 'submitted', validate: 'validated', return: 'returned', publish: 'published', unpublish: 'unpublished' };

function formPage(request: FastifyRequest, reply: FastifyReply, scope: Scope, view: ConclusionsView, state: FormState) {
  const { locale, presenter, organiser } = scope;
  const db = request.server.db;
  const outputs = listRows(db, 'output', scope.event.id).sort((a, b) => a.position - b.position);
  // Ties are offered to the outputs this writer may tie to: a rapporteur sees released ones,
  // and those already tied, marked as not yet public and without their unreleased text.
  const tieable = tieableOutputIds(db, scope.user, scope.event, view.latest?.content);
  const released = releasedOutputIds(db, scope.event);
  const offered = outputs.filter((o) => tieable.has(o.publicId));
  const facts = sessionFacts(request, scope);
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
      outputs: { ...outputsField, options: offered.map((o) => ({
        id: `${outputsField.id}-${o.publicId}`, value: o.publicId, checked: chosen.has(o.publicId),
        label: translate(locale, 'outputs.number', { number: o.position + 1 }),
        statement: organiser || released.has(o.publicId) ? presenter.text(o.statement) : null,
        ofSession: sessionOutputIds.has(o.publicId),
        notPublic: !released.has(o.publicId),
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
  return render(request, reply, locale, 'rapporteur/form', state.status, {
    title: translate(locale, 'conclusions.form.title', { session: facts.title?.text ?? '' }),
    facts,
    base: scope.base,
    historyUrl: `${scope.base}/history`,
    followUpUrl: `${scope.base}/follow-up`,
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
        current: stale.latest ? conclusionsView(presenter, stale.latest.content, readableOutputs(request, scope)) : null,
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
      hasOutputs: offered.length > 0,
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
  const view = getConclusions(contextOf(request), scope.session);
  const values = state?.values ?? valuesOf(view.latest?.content ?? emptyContent(scope.event.defaultLanguage), view.revision);
  return formPage(request, reply, scope, view, { status: 200, ...state, values });
}


export default async function formRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/events/:slug/sessions/:id', { schema: { params: SessionParams, querystring: PageQuery } }, async (request, reply) =>
    showForm(request, reply, scopeOf(request)));

  app.post('/events/:slug/sessions/:id', { preValidation: app.csrfProtection, schema: { params: SessionParams, querystring: PageQuery } }, async (request, reply) => {
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
      const { view, created } = saveConclusions(contextOf(request), scope.session, { baseRevision: parsed.baseRevision, content: parsed.content, submit: intent === 'submit' });
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

  app.post('/events/:slug/sessions/:id/transition', {
    preValidation: app.csrfProtection, schema: { params: SessionParams, querystring: PageQuery, body: TransitionForm },
  }, async (request, reply) => {
    const scope = scopeOf(request);
    const { action, revision, comment } = request.body;
    try {
      transitionConclusions(contextOf(request), scope.session, { action, revision, ...(comment !== undefined ? { comment } : {}) });
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
}
