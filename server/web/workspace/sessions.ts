// Sessions in the workspace: the form that edits every field (contributors, outputs, links,
// rapporteurs), and what the form's page offers besides (duplicate, delete). Their list is session-list.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { listRapporteurs, rapporteurCandidates } from '../../domains/conclusions/assignments.ts';
import { RESOURCES } from '../../domains/programme/resources/index.ts';
import { SESSION_FIELDS } from '../../domains/programme/resources/session.ts';
import { createSession, deleteSession, duplicateSession, isReleased, sessionForEditing, updateSession, type SessionBody } from '../../domains/programme/sessions.ts';
import { PublicId } from '../../domains/programme/schemas.ts';
import { ConflictError, StaleVersionError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { field, type FormSpec } from '../shared/forms/fields.ts';
import { fromEntity, readForm, versionOf } from '../shared/forms/read.ts';
import { formView } from '../shared/forms/view.ts';
import { conflictViews } from './conflicts.ts';
import { type FormState, programmeOptions, render, save, scopeOf, staleBy, staleMessage, workingCopy, writeContext } from './kit.ts';
import { EventParams, ItemParams } from '../shared/schemas.ts';
import { PageQuery } from './schemas.ts';

const f = SESSION_FIELDS;

export const SESSION_FORM: FormSpec = {
  fields: [
    field(f, 'title', { label: 'field.title' }),
    field(f, 'subtitle', { label: 'field.subtitle' }),
    field(f, 'abstract', { label: 'session.abstract', hint: 'admin.hint.abstract' }),
    field(f, 'description', { label: 'admin.field.agenda', hint: 'admin.hint.agenda' }),
    field(f, 'kind', { label: 'session.kind', options: 'kinds', required: true }),
    field(f, 'status', { label: 'admin.field.status', options: 'statuses', required: true }),
    field(f, 'language', { label: 'admin.field.sessionLanguage', hint: 'admin.hint.sessionLanguage' }),
    field(f, 'part', { label: 'field.part', options: 'parts' }),
    field(f, 'slot', { label: 'admin.field.slot', options: 'slots', noneLabel: 'admin.form.unscheduled' }),
    // Times that place the session in a slot found or made: they are no value of the session's own.
    { name: 'start', type: 'datetime', label: 'admin.field.newStart', compare: false, hint: 'admin.hint.newTimes' },
    { name: 'end', type: 'datetime', label: 'admin.field.newEnd', compare: false },
    field(f, 'room', { label: 'field.room', options: 'rooms' }),
    field(f, 'contributors', { label: 'session.contributors', hint: 'admin.hint.contributors', control: 'contributors' }),
    field(f, 'outputs', { label: 'admin.field.outputs', options: 'outputs', control: 'checkboxes' }),
    field(f, 'links', { label: 'session.links', hint: 'admin.hint.links', control: 'links' }),
  ],
  schemas: RESOURCES.session.schemas,
  // A session placed with new start and end times ignores its slot choice.
  adjust: (body) => {
    if (body.start !== undefined || body.end !== undefined) delete body.slot;
  },
};

const NewSessionQuery = Type.Object({ ...PageQuery.properties, slot: Type.Optional(Type.Union([PublicId, Type.Literal('')])) });

/** What the page of a session shows besides its form: its conflicts, its rapporteurs and the accounts to assign. */
function sessionExtras(request: FastifyRequest, id: string, assignError: string | null) {
  const scope = scopeOf(request);
  const { base, event, locale } = scope;
  const programme = workingCopy(request);
  const { conflicts } = sessionForEditing(programme, id);
  const rapporteurs = listRapporteurs(request.server.db, event, id);
  const assigned = new Set(rapporteurs.map((r) => r.user.id));
  const url = `${base}/sessions/${id}`;
  return {
    duplicateAction: `${url}/duplicate`,
    // Participants may hold a released session in their calendars: it can only be cancelled.
    released: isReleased(request.server.db, event, id),
    deleteAction: `${url}/delete`,
    deleteConfirm: translate(locale, 'admin.form.confirmDelete'),
    programmeUrl: `${base}#session-${id}`,
    conclusionsUrl: `/rapporteur/events/${event.slug}/sessions/${id}`,
    conflicts: conflictViews(scope, programme, conflicts).list,
    rapporteurs: rapporteurs.map((r) => ({ name: r.user.name, email: r.user.email, withdrawAction: `${url}/rapporteurs/${r.user.id}/delete` })),
    assignAction: `${url}/rapporteurs`,
    // Every rapporteur account: an organiser assigns people across sessions. Only the e-mails this organiser may see.
    candidates: rapporteurCandidates(request.server.db, event, scope.user, assigned)
      .map((c) => ({ value: c.id, label: c.email === null ? c.name : `${c.name} (${c.email})` })),
    assignError,
  };
}

/** The form of a session (new when id is null), as typed or as saved, with what refused it. */
export function showSession(request: FastifyRequest, reply: FastifyReply, id: string | null, state: FormState, assignError: string | null = null) {
  const scope = scopeOf(request);
  const { locale, base, event } = scope;
  const options = programmeOptions(scope, workingCopy(request));
  const form = formView(SESSION_FORM, {
    locale, values: state.values, errors: state.errors, current: state.current, options, languages: event.languages, defaultLanguage: event.defaultLanguage,
  });
  const session = id ? { ...sessionExtras(request, id, assignError), version: state.values.version } : null;
  return render(request, reply, 'workspace/session', state.status, {
    title: translate(locale, id ? 'admin.sessions.edit' : 'admin.sessions.new'),
    section: 'sessions',
    backUrl: `${base}/sessions`,
    backLabel: translate(locale, 'sessions.title'),
    stale: staleMessage(locale, state),
    formError: state.formError ?? null,
    errorSummary: form.errorSummary,
    form: {
      action: id ? `${base}/sessions/${id}` : `${base}/sessions`,
      version: id ? state.values.version : null,
      fields: form.fields,
      submitLabel: translate(locale, id ? 'admin.form.save' : 'admin.sessions.create'),
    },
    session,
  });
}

/** The session's form as it is saved now. */
export function savedSession(request: FastifyRequest, id: string): FormState {
  const { session } = sessionForEditing(workingCopy(request), id);
  return { status: 200, values: fromEntity(SESSION_FORM, session) };
}

function deleteOne(request: FastifyRequest, reply: FastifyReply, id: string) {
  const scope = scopeOf(request);
  try {
    deleteSession(writeContext(request), id, [versionOf(readForm(SESSION_FORM, request.body)) ?? 0]);
  } catch (error) {
    if (error instanceof StaleVersionError) {
      const current = fromEntity(SESSION_FORM, error.extensions.current as Record<string, unknown>);
      return showSession(request, reply, id, { status: 409, values: current, staleDelete: true, staleBy: staleBy(request, 'session', id) });
    }
    if (error instanceof ConflictError && error.problem === 'cancel-instead') {
      return showSession(request, reply, id, { ...savedSession(request, id), status: 409, formError: translate(scope.locale, 'admin.sessions.releasedNoDelete') });
    }
    throw error;
  }
  return reply.redirect(`${scope.base}/sessions?saved=deleted`, 303);
}

export default async function sessionRoutes(app: FastifyInstance) {
  const page = { schema: { params: EventParams, querystring: PageQuery } };
  const itemPage = { schema: { params: ItemParams, querystring: PageQuery } };
  const form = { preValidation: app.csrfProtection };
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get('/events/:slug/sessions/new', { schema: { params: EventParams, querystring: NewSessionQuery } }, async (request, reply) =>
    showSession(request, reply, null, { status: 200, values: { kind: 'session', status: 'confirmed', slot: (request.query as { slot?: string }).slot ?? '' } }));
  app.post('/events/:slug/sessions', { ...page, ...form }, async (request, reply) => {
    const scope = scopeOf(request);
    return save(request, reply, scope.locale, {
      form: SESSION_FORM, mode: 'create', values: readForm(SESSION_FORM, request.body),
      show: (state) => showSession(request, reply, null, state),
      write: (body) => createSession(writeContext(request), body as SessionBody),
      done: (data) => `${scope.base}/sessions/${data.id as string}?saved=created`,
    });
  });
  app.get('/events/:slug/sessions/:id', itemPage, async (request, reply) => showSession(request, reply, idOf(request), savedSession(request, idOf(request))));
  app.post('/events/:slug/sessions/:id', { ...itemPage, ...form }, async (request, reply) => {
    const scope = scopeOf(request);
    const id = idOf(request);
    const values = readForm(SESSION_FORM, request.body);
    return save(request, reply, scope.locale, {
      form: SESSION_FORM, mode: 'patch', values, entity: 'session', entityId: id,
      show: (state) => showSession(request, reply, id, state),
      write: (body) => updateSession(writeContext(request), id, [versionOf(values) ?? 0], body as SessionBody),
      done: () => `${scope.base}/sessions/${id}?saved=updated`,
    });
  });
  app.post('/events/:slug/sessions/:id/duplicate', { ...itemPage, ...form }, async (request, reply) => {
    const copy = duplicateSession(writeContext(request), idOf(request));
    return reply.redirect(`${scopeOf(request).base}/sessions/${copy.data.id}?saved=duplicated`, 303);
  });
  // Only a session never released can be deleted; the domain refuses the others (cancel-instead).
  app.post('/events/:slug/sessions/:id/delete', { ...itemPage, ...form }, async (request, reply) => deleteOne(request, reply, idOf(request)));
}
