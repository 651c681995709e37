// The organisers' workspace in the browser, under /admin: server-rendered pages that work
// without JavaScript, built on the same services as the write API (server/admin/service.ts).
// Every form posts with a CSRF token and answers with a redirect (303) and a confirmation on
// the next page; a refused write shows the form again with what was typed: 422 with each
// error beside its field, or 409 with the saved values beside the typed ones.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isOrganiserOfAll, organises } from '../../domains/accounts/permissions.ts';
import { csrfToken, currentUser } from '../shared/auth.ts';
import { listUsers } from '../../domains/accounts/repository.ts';
import { createUser, type AuthUser } from '../../domains/accounts/service.ts';
import type { Db } from '../../db/client.ts';
import { LANGUAGES, type Language } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, StaleVersionError, UnauthorizedError, UnprocessableError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { Presenter } from '../shared/presenter.ts';
import { findEventBySlug, listEvents, type EventRow, type SlotRow } from '../../domains/programme/repository.ts';
import { PUBLIC_ID_PATTERN } from '../../domains/programme/schemas.ts';
import { programmeOf, type LiveState, type Programme, type ProgrammeSession } from '../../domains/programme/assemble.ts';
import { isReleasedSession } from '../../domains/releases/service.ts';
import { localClock, localDate, longDate, toZonedIso } from '../../time.ts';
import { findConflicts, type Conflict } from '../../domains/programme/conflicts.ts';
import {
  checkBody, fixedOptions, formErrors, formView, fromEntity, readForm, toBody, versionOf, type BodyResult, type FormKind, type FormValues,
  type Option,
} from '../shared/forms.ts';
import { findRowsByPublicIds, type EditableKind } from '../../domains/programme/write-repository.ts';
import { AssignmentParams, EventParams, ItemParams, PublicId } from '../../domains/programme/schemas.ts';
import {
  assignRapporteur, createEntity, createEvent, createSession, deleteEntity, deleteSession, duplicateSession, eventOut, getAudit, getAuditActors, getEditableEvent,
  getEntity, getSessionForEditing, listRapporteurs, movePart, unassignRapporteur, updateEntity, updateEvent, updateSession, type WriteContext,
} from '../../domains/programme/writes.ts';

const Lang = Type.Enum(LANGUAGES);
const PageQuery = Type.Object({ lang: Type.Optional(Lang), saved: Type.Optional(Type.String({ maxLength: 30 })) });
const NewSessionQuery = Type.Object({ ...PageQuery.properties, slot: Type.Optional(Type.Union([PublicId, Type.Literal('')])) });
const AUDIT_ENTITIES = ['event', 'part', 'room', 'slot', 'session', 'organisation', 'person', 'output', 'assignment', 'release', 'conclusions'] as const;
const AuditPageQuery = Type.Object({
  ...PageQuery.properties,
  entity: Type.Optional(Type.Union([Type.Enum(AUDIT_ENTITIES), Type.Literal('')])),
  user: Type.Optional(Type.Union([PublicId, Type.Literal('')])),
  before: Type.Optional(Type.Integer({ minimum: 1 })),
});

/** Confirmations a redirect may ask the next page to show (?saved=…). */
const CONFIRMATIONS = new Set([
  'created', 'updated', 'deleted', 'duplicated', 'moved', 'cancelled', 'confirmed', 'assigned', 'withdrawn', 'reordered', 'userCreated', 'eventCreated',
]);

const PUBLIC_ID = new RegExp(PUBLIC_ID_PATTERN);

/** Audit entries per page. */
const AUDIT_PAGE_SIZE = 50;

/** Nothing is "on now" in the editor. */
const NOT_LIVE: LiveState = { live: false, phase: 'notStarted', current: new Set(), next: new Set() };

type CollectionKind = Exclude<EditableKind, 'session'>;

interface Collection {
  kind: CollectionKind;
  /** The address under /admin/events/:slug/, and the navigation entry. */
  path: string;
}

const COLLECTIONS: Collection[] = [
  { kind: 'part', path: 'parts' },
  { kind: 'slot', path: 'slots' },
  { kind: 'room', path: 'rooms' },
  { kind: 'person', path: 'people' },
  { kind: 'organisation', path: 'organisations' },
  { kind: 'output', path: 'outputs' },
];
const PATH_OF: Record<string, string> = Object.fromEntries([...COLLECTIONS.map((c) => [c.kind, c.path]), ['session', 'sessions']]);

/** What a page about one event knows about the request. */
interface Scope {
  user: AuthUser;
  event: EventRow;
  locale: Language;
  presenter: Presenter;
  /** /admin/events/:slug */
  base: string;
}

/** The state of a form shown again after a refused save. */
interface FormState {
  status: number;
  values: FormValues;
  errors?: Map<string, string> | undefined;
  /** After a stale save: the saved values, and who saved them. */
  current?: FormValues | null | undefined;
  staleBy?: string | null | undefined;
  /** Set when the refused write was a deletion. */
  staleDelete?: boolean;
  /** A refusal that names no field. */
  formError?: string | null | undefined;
  inUse?: InUse | null | undefined;
}

interface InUse {
  message: string;
  items: { href: string; text: string; code: string | null }[];
}

const scopes = new WeakMap<FastifyRequest, Scope>();

export default async function adminUiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db: Db = app.db;

  // ---- Who may

  // The refusals are pages: they say why in the reader's language. A page read without being
  // signed in leads to the sign-in form (the errors plugin redirects a 401 GET).

  function signedIn(request: FastifyRequest): AuthUser {
    const user = currentUser(request);
    if (!user) throw new UnauthorizedError(translate(requestLocale(request), 'admin.denied.signIn'));
    return user;
  }

  function refuse(request: FastifyRequest, key: string): never {
    throw new ForbiddenError(translate(requestLocale(request), key));
  }

  /** An organiser of the event of the address; anyone else stops here, before the body is read. */
  async function organiserOfEvent(request: FastifyRequest) {
    const user = signedIn(request);
    const { slug } = request.params as { slug: string };
    const event = getEditableEvent(db, slug);
    if (!organises(user, event.id)) refuse(request, 'admin.denied.event');
    const locale = requestLocale(request, event.defaultLanguage);
    scopes.set(request, { user, event, locale, presenter: new Presenter(event, locale), base: `/admin/events/${event.slug}` });
  }

  async function anyOrganiser(request: FastifyRequest) {
    if (signedIn(request).role !== 'organiser') refuse(request, 'admin.denied.workspace');
  }

  /** Creating events and accounts is for organisers of every event. */
  function organiserOfAll(request: FastifyRequest): AuthUser {
    const user = signedIn(request);
    if (!isOrganiserOfAll(user)) refuse(request, user.role === 'organiser' ? 'admin.denied.all' : 'admin.denied.workspace');
    return user;
  }

  const scopeOf = (request: FastifyRequest) => scopes.get(request)!;
  const eventPage = { onRequest: organiserOfEvent };
  const eventForm = { onRequest: organiserOfEvent, preValidation: app.csrfProtection };

  function writeContext(scope: Scope): WriteContext {
    return { db, event: scope.event, actor: { id: scope.user.id, name: scope.user.name }, now: app.now() };
  }

  // ---- Rendering

  function render(request: FastifyRequest, reply: FastifyReply, scope: Scope | null, template: string, status: number, context: Record<string, unknown> & { title: string; section?: string }) {
    const locale = scope?.locale ?? requestLocale(request);
    const saved = (request.query as { saved?: string } | undefined)?.saved;
    const user = scope?.user ?? signedIn(request);
    const eventTitle = scope ? scope.presenter.text(scope.event.title) : null;
    reply.header('Cache-Control', 'no-store').header('X-Robots-Tag', 'noindex');
    return reply.code(status).page(template, locale, {
      admin: true,
      noindex: true,
      csrfToken: csrfToken(reply),
      flash: saved && CONFIRMATIONS.has(saved) && status < 300 ? translate(locale, `admin.saved.${saved}`) : null,
      home: homeOf(user, template),
      nav: scope ? navOf(scope, context.section ?? '') : null,
      ...context,
      heading: context.heading ?? context.title,
      title: eventTitle ? translate(locale, 'admin.pageTitle', { page: context.title, event: eventTitle.text }) : context.title,
    });
  }

  /** The last person who changed an entity, by the audit log: named in the stale-save explanation. */
  function lastEditor(scope: Scope, entity: string, entityId: string): string | null {
    return getAudit(db, scope.event, { entity, entityId, limit: 1 }).entries[0]?.actor.name ?? null;
  }

  function staleMessage(scope: Scope, state: FormState): string | null {
    if (state.current === undefined && !state.staleDelete) return null;
    const key = state.staleDelete ? 'admin.stale.delete' : 'admin.stale.intro';
    return state.staleBy
      ? translate(scope.locale, key, { name: state.staleBy })
      : translate(scope.locale, `${key}Anonymous`);
  }

  // ---- Choices of the forms, from one read of the programme

  function slotLabel(slot: Pick<SlotRow, 'startsAt' | 'endsAt'>, scope: Scope) {
    const zone = scope.event.timezone;
    return translate(scope.locale, 'admin.slot.label', {
      day: longDate(localDate(slot.startsAt, zone), scope.locale), start: localClock(slot.startsAt, zone), end: localClock(slot.endsAt, zone),
    });
  }

  function textOption(scope: Scope, value: string, text: LocalizedValue): Option {
    const found = scope.presenter.text(text);
    return { value, label: found?.text ?? '—', lang: found && found.lang !== scope.locale ? found.lang : undefined };
  }

  function programmeOptions(scope: Scope, programme: Programme): Record<string, Option[]> {
    const { presenter, locale } = scope;
    return {
      ...fixedOptions(locale),
      parts: programme.parts.map((p) => ({
        value: p.publicId,
        label: translate(locale, 'admin.part.option', { label: presenter.text(p.label)?.text ?? '', title: presenter.text(p.title)?.text ?? '' }),
      })),
      slots: programme.slots.map((s) => ({ value: s.publicId, label: slotLabel(s, scope) })),
      rooms: programme.rooms.map((r) => textOption(scope, r.publicId, r.name)),
      people: programme.people.map((p) => ({ value: p.publicId, label: p.name })),
      organisations: programme.organisations.map((o) => textOption(scope, o.publicId, o.name)),
      outputs: programme.outputs.map((o) => ({
        value: o.publicId,
        label: translate(locale, 'admin.output.option', { number: o.position + 1, statement: presenter.text(o.statement)?.text ?? '' }),
      })),
    };
  }

  // ---- Conflicts, in the reader's language

  function conflictMessage(scope: Scope, programme: Programme, c: Conflict): string {
    const { presenter, locale } = scope;
    const title = (i: number) => presenter.text(c.sessions[i]?.title)?.text ?? '';
    switch (c.type) {
      case 'contributor-double-booked': {
        const organisation = c.contributor!.kind === 'organisation' ? programme.organisations.find((o) => o.publicId === c.contributor!.id) : undefined;
        const name = organisation ? presenter.orgName(organisation).text : c.contributor!.name;
        return translate(locale, 'admin.conflict.contributor', { name, first: title(0), second: title(1) });
      }
      case 'room-double-booked':
        return translate(locale, 'admin.conflict.room', { room: presenter.text(c.room!.name)?.text ?? '', first: title(0), second: title(1) });
      case 'slot-outside-event': {
        const slot = programme.slots.find((s) => s.publicId === c.slot!.id);
        return translate(locale, 'admin.conflict.slot', { slot: slot ? slotLabel(slot, scope) : c.slot!.start, dates: presenter.eventSummary().dates });
      }
      case 'session-outside-part':
        return translate(locale, 'admin.conflict.part', { session: title(0), part: presenter.text(c.part!.label)?.text ?? '' });
    }
  }

  /** Each conflict with its message and links, and the conflicts of each session, to mark them in place. */
  function conflictViews(scope: Scope, programme: Programme, conflicts: Conflict[]) {
    const bySession = new Map<string, { id: string; message: string }[]>();
    const list = conflicts.map((c, n) => {
      const id = `conflict-${n + 1}`;
      const message = conflictMessage(scope, programme, c);
      for (const s of c.sessions) {
        const notes = bySession.get(s.id) ?? [];
        notes.push({ id: `${id}-${s.id}`, message });
        bySession.set(s.id, notes);
      }
      return {
        id,
        message,
        sessions: c.sessions.map((s) => ({ href: `#session-${s.id}`, title: scope.presenter.text(s.title) })),
        slotUrl: c.type === 'slot-outside-event' ? `${scope.base}/slots/${c.slot!.id}` : null,
      };
    });
    return { list, bySession };
  }

  // ---- Home: the events one organises; a new event

  app.get('/admin', { onRequest: anyOrganiser, schema: { querystring: PageQuery } }, async (request, reply) =>
    showHome(request, reply, { status: 200, values: { languages: ['fr', 'en', 'es'], defaultLanguage: 'fr' } }));

  function showHome(request: FastifyRequest, reply: FastifyReply, state: FormState) {
    const user = signedIn(request);
    const locale = requestLocale(request);
    const events = listEvents(db).filter((e) => organises(user, e.id)).map((e) => {
      const presenter = new Presenter(e, locale);
      return { ...presenter.eventSummary(), adminUrl: `/admin/events/${e.slug}` };
    });
    const form = isOrganiserOfAll(user)
      ? formView('eventCreate', { locale, values: state.values, errors: state.errors, options: fixedOptions(locale) })
      : null;
    return render(request, reply, null, 'admin/home', state.status, {
      title: translate(locale, 'admin.home.title'),
      events,
      form: form && { action: '/admin/events', fields: form.fields, submitLabel: translate(locale, 'admin.home.createEvent') },
      errorSummary: form?.errorSummary ?? [],
      formError: state.formError ?? null,
    });
  }

  app.post('/admin/events', {
    onRequest: async (request) => { organiserOfAll(request); },
    preValidation: app.csrfProtection,
    schema: { querystring: PageQuery },
  }, async (request, reply) => {
    const user = organiserOfAll(request);
    const locale = requestLocale(request);
    const values = readForm('eventCreate', request.body);
    const result = toBody('eventCreate', 'create', values);
    const invalid = checkBody('eventCreate', 'create', result.body);
    if (result.errors.length > 0 || invalid.length > 0) {
      return showHome(request, reply, { status: 422, values, errors: formErrors(locale, result, result.errors, invalid) });
    }
    try {
      const created = createEvent(db, { id: user.id, name: user.name }, result.body as never, app.now());
      return reply.redirect(`/admin/events/${created.data.slug}?saved=eventCreated`, 303);
    } catch (error) {
      if (error instanceof UnprocessableError) return showHome(request, reply, { status: 422, values, errors: formErrors(locale, result, error.errors) });
      if (error instanceof ConflictError) {
        return showHome(request, reply, { status: 409, values, errors: new Map([['slug', translate(locale, 'admin.error.slugTaken')]]) });
      }
      throw error;
    }
  });

  // ---- The programme editor: the working copy as the public page shows it, with conflicts in place

  app.get('/admin/events/:slug', { ...eventPage, schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) =>
    showProgramme(request, reply, scopeOf(request), 200, null));

  function showProgramme(request: FastifyRequest, reply: FastifyReply, scope: Scope, status: number, alert: string | null) {
    const { presenter, base, locale } = scope;
    const programme = programmeOf(db, scope.event);
    const conflicts = conflictViews(scope, programme, findConflicts(programme));
    const byId = new Map(programme.sessions.map((s) => [s.publicId, s]));
    const card = (view: ReturnType<Presenter['session']>) => adminCard(scope, byId.get(view.id)!, view, conflicts.bySession.get(view.id) ?? []);
    const schedule = presenter.schedule(programme.sessions, NOT_LIVE);
    const options = programmeOptions(scope, programme);
    const zone = scope.event.timezone;
    const slotIds = new Map(programme.slots.map((s) => [`${toZonedIso(s.startsAt, zone)}|${localClock(s.endsAt, zone)}`, s.publicId]));
    const addHere = (slot: { startIso: string; start: string; end: string }) => {
      const id = slotIds.get(`${slot.startIso}|${slot.end}`);
      return id ? { url: `${base}/sessions/new?slot=${id}`, label: translate(locale, 'admin.programme.addHere', { start: slot.start, end: slot.end }) } : null;
    };
    return render(request, reply, scope, 'admin/programme', status, {
      title: translate(locale, 'admin.programme.title'),
      section: 'programme',
      alert,
      details: presenter.eventDetails(programme),
      conflicts: conflicts.list,
      days: schedule.days.map((day) => ({
        ...day,
        groups: day.groups.map((group) => ({
          ...group,
          slots: group.slots.map((slot) => ({ ...slot, sessions: slot.sessions.map(card), add: addHere(slot) })),
        })),
      })),
      unscheduled: schedule.unscheduled.map(card),
      empty: programme.sessions.length === 0,
      newSessionUrl: `${base}/sessions/new`,
      slotOptions: [{ value: '', label: translate(locale, 'admin.form.unscheduled') }, ...options.slots!].map((o) => ({ value: o.value, label: o.label })),
      roomOptions: [{ value: '', label: translate(locale, 'admin.form.none') }, ...options.rooms!].map((o) => ({ value: o.value, label: o.label, code: o.lang ?? null })),
    });
  }

  function adminCard(scope: Scope, s: ProgrammeSession, view: ReturnType<Presenter['session']>, conflicts: { id: string; message: string }[]) {
    const { base } = scope;
    const url = `${base}/sessions/${s.publicId}`;
    return {
      ...view,
      editUrl: url,
      duplicateUrl: `${url}/duplicate`,
      statusUrl: `${url}/status`,
      moveUrl: `${url}/move`,
      version: s.row.version,
      nextStatus: s.row.status === 'cancelled' ? 'confirmed' : 'cancelled',
      slotId: s.slot?.publicId ?? '',
      roomId: s.room?.publicId ?? '',
      contributors: view.contributors.map((c, i) => {
        const link = s.contributors[i]!;
        return { ...c, url: link.person ? `${base}/people/${link.person.publicId}` : `${base}/organisations/${link.organisation!.publicId}` };
      }),
      outputs: view.outputs.map((o, i) => ({ ...o, url: `${base}/outputs/${s.outputs[i]!.publicId}` })),
      conflicts,
    };
  }

  // ---- Sessions

  app.get('/admin/events/:slug/sessions', { ...eventPage, schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    const { presenter, locale, base } = scope;
    const programme = programmeOf(db, scope.event);
    const zone = scope.event.timezone;
    const rows = programme.sessions.map((s) => ({
      id: s.publicId,
      cells: [
        { text: presenter.text(s.row.title), href: `${base}/sessions/${s.publicId}`, header: true },
        { text: plain(s.slot ? slotLabel(s.slot, scope) : translate(locale, 'admin.form.unscheduled'), locale), datetime: s.slot ? toZonedIso(s.slot.startsAt, zone) : null },
        { text: s.part ? presenter.text(s.part.label) : plain('—', locale) },
        { text: s.room ? presenter.text(s.room.name) : plain('—', locale) },
        { text: plain(translate(locale, `kind.${s.row.kind}`), locale) },
        { text: plain(translate(locale, `admin.status.${s.row.status}`), locale) },
      ],
    }));
    return render(request, reply, scope, 'admin/list', 200, {
      title: translate(locale, 'admin.nav.sessions'),
      section: 'sessions',
      newUrl: `${base}/sessions/new`,
      newLabel: translate(locale, 'admin.sessions.new'),
      columns: ['admin.field.title', 'admin.field.slot', 'admin.field.part', 'admin.field.room', 'admin.field.kind', 'admin.field.status'].map((k) => translate(locale, k)),
      rows,
      empty: translate(locale, 'admin.list.empty'),
    });
  });

  function showSession(
    request: FastifyRequest, reply: FastifyReply, scope: Scope, id: string | null, state: FormState,
    extra: { assignError?: string | null; found?: ReturnType<typeof getSessionForEditing> } = {},
  ) {
    const { locale, base, event } = scope;
    let programme: Programme;
    let sessionConflicts: { id: string; message: string }[] = [];
    let rapporteurs: ReturnType<typeof listRapporteurs> = [];
    if (id) {
      const found = extra.found ?? getSessionForEditing(db, event, id);
      programme = found.programme;
      sessionConflicts = conflictViews(scope, programme, found.conflicts.filter((c) => c.sessions.some((s) => s.id === id))).list;
      rapporteurs = listRapporteurs(db, event, id);
    } else {
      programme = programmeOf(db, event);
    }
    const options = programmeOptions(scope, programme);
    const form = formView('session', {
      locale, values: state.values, errors: state.errors, current: state.current, options, languages: event.languages, defaultLanguage: event.defaultLanguage,
    });
    const assigned = new Set(rapporteurs.map((r) => r.user.id));
    const url = id ? `${base}/sessions/${id}` : null;
    return render(request, reply, scope, 'admin/session', state.status, {
      title: translate(locale, id ? 'admin.sessions.edit' : 'admin.sessions.new'),
      section: 'sessions',
      backUrl: `${base}/sessions`,
      backLabel: translate(locale, 'admin.nav.sessions'),
      stale: staleMessage(scope, state),
      formError: state.formError ?? null,
      errorSummary: form.errorSummary,
      form: {
        action: url ?? `${base}/sessions`,
        version: id ? state.values.version : null,
        fields: form.fields,
        submitLabel: translate(locale, id ? 'admin.form.save' : 'admin.sessions.create'),
      },
      session: url && {
        duplicateAction: `${url}/duplicate`,
        // Participants may hold a released session in their calendars: it can only be cancelled.
        released: isReleasedSession(db, event.id, programme.sessions.find((s) => s.publicId === id)!.row.id),
        deleteAction: `${url}/delete`,
        deleteConfirm: translate(locale, 'admin.form.confirmDelete'),
        version: state.values.version,
        programmeUrl: `${base}#session-${id}`,
        conclusionsUrl: `/rapporteur/events/${scope.event.slug}/sessions/${id}`,
        conflicts: sessionConflicts,
        rapporteurs: rapporteurs.map((r) => ({ name: r.user.name, email: r.user.email, withdrawAction: `${url}/rapporteurs/${r.user.id}/delete` })),
        assignAction: `${url}/rapporteurs`,
        // Every rapporteur account, one query: an organiser assigns people across sessions.
        candidates: listUsers(db).filter((u) => u.role === 'rapporteur' && !assigned.has(u.publicId)).map((u) => ({ value: u.publicId, label: `${u.name} (${u.email})` })),
        assignError: extra.assignError ?? null,
      },
    });
  }

  app.get('/admin/events/:slug/sessions/new', { ...eventPage, schema: { params: EventParams, querystring: NewSessionQuery } }, async (request, reply) =>
    showSession(request, reply, scopeOf(request), null, { status: 200, values: { kind: 'session', status: 'confirmed', slot: request.query.slot ?? '' } }));

  app.post('/admin/events/:slug/sessions', { ...eventForm, schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    const values = readForm('session', request.body);
    return save(request, reply, scope, {
      kind: 'session', mode: 'create', values,
      show: (state) => showSession(request, reply, scope, null, state),
      write: (body) => createSession(writeContext(scope), body as never),
      done: (data) => `${scope.base}/sessions/${data.id as string}?saved=created`,
    });
  });

  app.get('/admin/events/:slug/sessions/:id', { ...eventPage, schema: { params: ItemParams, querystring: PageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    // One read of the programme gives the session, the form's choices and the conflicts.
    const found = getSessionForEditing(db, scope.event, request.params.id);
    return showSession(request, reply, scope, request.params.id, { status: 200, values: fromEntity('session', found.session) }, { found });
  });

  app.post('/admin/events/:slug/sessions/:id', { ...eventForm, schema: { params: ItemParams, querystring: PageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    const { id } = request.params;
    const values = readForm('session', request.body);
    return save(request, reply, scope, {
      kind: 'session', mode: 'patch', values, entity: 'session', entityId: id,
      show: (state) => showSession(request, reply, scope, id, state),
      write: (body) => updateSession(writeContext(scope), id, [versionOf(values) ?? 0], body as never),
      done: () => `${scope.base}/sessions/${id}?saved=updated`,
    });
  });

  app.post('/admin/events/:slug/sessions/:id/duplicate', { ...eventForm, schema: { params: ItemParams, querystring: PageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    const copy = duplicateSession(writeContext(scope), request.params.id);
    return reply.redirect(`${scope.base}/sessions/${copy.data.id as string}?saved=duplicated`, 303);
  });

  // Only a session never released can be deleted; the service refuses the others (cancel-instead).
  app.post('/admin/events/:slug/sessions/:id/delete', { ...eventForm, schema: { params: ItemParams, querystring: PageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    const { id } = request.params;
    const version = versionOf(readForm('session', request.body));
    try {
      deleteSession(writeContext(scope), id, [version ?? 0]);
    } catch (error) {
      if (error instanceof StaleVersionError) {
        const current = fromEntity('session', error.extensions.current as Record<string, unknown>);
        return showSession(request, reply, scope, id, { status: 409, values: current, staleDelete: true, staleBy: lastEditor(scope, 'session', id) });
      }
      if (error instanceof ConflictError && error.problem === 'cancel-instead') {
        const found = getSessionForEditing(db, scope.event, id);
        return showSession(request, reply, scope, id, { status: 409, values: fromEntity('session', found.session), formError: translate(scope.locale, 'admin.sessions.releasedNoDelete') }, { found });
      }
      throw error;
    }
    return reply.redirect(`${scope.base}/sessions?saved=deleted`, 303);
  });

  /** The compact forms of the programme editor: move to a slot and room, cancel or restore. */
  async function quickChange(request: FastifyRequest, reply: FastifyReply, body: Record<string, unknown>, confirmation: string) {
    const scope = scopeOf(request);
    const { id } = request.params as { id: string };
    const values = readForm('session', request.body);
    const invalid = checkBody('session', 'patch', body);
    if (invalid.length > 0) return showProgramme(request, reply, scope, 422, translate(scope.locale, 'admin.programme.invalid'));
    try {
      updateSession(writeContext(scope), id, [versionOf(values) ?? 0], body as never);
    } catch (error) {
      if (error instanceof StaleVersionError) {
        const name = lastEditor(scope, 'session', id);
        return showProgramme(request, reply, scope, 409, name
          ? translate(scope.locale, 'admin.programme.stale', { name })
          : translate(scope.locale, 'admin.programme.staleAnonymous'));
      }
      if (error instanceof UnprocessableError) return showProgramme(request, reply, scope, 422, translate(scope.locale, 'admin.programme.invalid'));
      throw error;
    }
    return reply.redirect(`${scope.base}?saved=${confirmation}#session-${id}`, 303);
  }

  app.post('/admin/events/:slug/sessions/:id/move', { ...eventForm, schema: { params: ItemParams, querystring: PageQuery } }, async (request, reply) => {
    const values = readForm('session', request.body);
    const slot = typeof values.slot === 'string' && values.slot !== '' ? values.slot : null;
    const room = typeof values.room === 'string' && values.room !== '' ? values.room : null;
    return quickChange(request, reply, { slot, room }, 'moved');
  });

  app.post('/admin/events/:slug/sessions/:id/status', { ...eventForm, schema: { params: ItemParams, querystring: PageQuery } }, async (request, reply) => {
    const status = readForm('session', request.body).status;
    return quickChange(request, reply, { status }, status === 'confirmed' ? 'confirmed' : 'cancelled');
  });

  // ---- Rapporteur assignments

  app.post('/admin/events/:slug/sessions/:id/rapporteurs', { ...eventForm, schema: { params: ItemParams, querystring: PageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    const { id } = request.params;
    const user = (request.body as Record<string, unknown> | undefined)?.user;
    const again = (message: string) => {
      const found = getSessionForEditing(db, scope.event, id);
      return showSession(request, reply, scope, id, { status: 422, values: fromEntity('session', found.session) }, { assignError: message, found });
    };
    if (typeof user !== 'string' || !PUBLIC_ID.test(user)) return again(translate(scope.locale, 'admin.error.chooseRapporteur'));
    try {
      assignRapporteur(writeContext(scope), id, user);
    } catch (error) {
      if (error instanceof UnprocessableError) return again(translate(scope.locale, 'admin.error.notRapporteur'));
      throw error;
    }
    return reply.redirect(`${scope.base}/sessions/${id}?saved=assigned#rapporteurs`, 303);
  });

  app.post('/admin/events/:slug/sessions/:id/rapporteurs/:userId/delete', { ...eventForm, schema: { params: AssignmentParams, querystring: PageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    unassignRapporteur(writeContext(scope), request.params.id, request.params.userId);
    return reply.redirect(`${scope.base}/sessions/${request.params.id}?saved=withdrawn#rapporteurs`, 303);
  });

  // ---- Parts, time slots, rooms, people, organisations, expected outputs

  for (const c of COLLECTIONS) {
    const collection = `/admin/events/:slug/${c.path}`;

    app.get(collection, { ...eventPage, schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) =>
      showList(request, reply, scopeOf(request), c));

    app.get(`${collection}/new`, { ...eventPage, schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) =>
      showEntity(request, reply, scopeOf(request), c, null, { status: 200, values: {} }));

    app.post(collection, { ...eventForm, schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) => {
      const scope = scopeOf(request);
      const values = readForm(c.kind, request.body);
      return save(request, reply, scope, {
        kind: c.kind, mode: 'create', values,
        show: (state) => showEntity(request, reply, scope, c, null, state),
        write: (body) => createEntity(writeContext(scope), c.kind, body),
        done: (data) => `${scope.base}/${c.path}?saved=created#item-${data.id as string}`,
      });
    });

    app.get(`${collection}/:id`, { ...eventPage, schema: { params: ItemParams, querystring: PageQuery } }, async (request, reply) => {
      const scope = scopeOf(request);
      const entity = getEntity(db, scope.event, c.kind, request.params.id);
      return showEntity(request, reply, scope, c, request.params.id, { status: 200, values: fromEntity(c.kind, entity) });
    });

    app.post(`${collection}/:id`, { ...eventForm, schema: { params: ItemParams, querystring: PageQuery } }, async (request, reply) => {
      const scope = scopeOf(request);
      const { id } = request.params;
      getEntity(db, scope.event, c.kind, id);
      const values = readForm(c.kind, request.body);
      return save(request, reply, scope, {
        kind: c.kind, mode: 'patch', values, entity: c.kind, entityId: id,
        show: (state) => showEntity(request, reply, scope, c, id, state),
        write: (body) => updateEntity(writeContext(scope), c.kind, id, [versionOf(values) ?? 0], body),
        done: () => `${scope.base}/${c.path}/${id}?saved=updated`,
      });
    });

    app.post(`${collection}/:id/delete`, { ...eventForm, schema: { params: ItemParams, querystring: PageQuery } }, async (request, reply) => {
      const scope = scopeOf(request);
      const { id } = request.params;
      const version = versionOf(readForm(c.kind, request.body));
      try {
        deleteEntity(writeContext(scope), c.kind, id, [version ?? 0]);
      } catch (error) {
        if (error instanceof StaleVersionError) {
          const current = fromEntity(c.kind, error.extensions.current as Record<string, unknown>);
          return showEntity(request, reply, scope, c, id, { status: 409, values: current, staleDelete: true, staleBy: lastEditor(scope, c.kind, id) });
        }
        if (error instanceof ConflictError && error.problem === 'in-use') {
          const values = fromEntity(c.kind, getEntity(db, scope.event, c.kind, id));
          return showEntity(request, reply, scope, c, id, { status: 409, values, inUse: inUseOf(scope, error) });
        }
        throw error;
      }
      return reply.redirect(`${scope.base}/${c.path}?saved=deleted`, 303);
    });
  }

  app.post('/admin/events/:slug/parts/:id/move', { ...eventForm, schema: { params: ItemParams, querystring: PageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    const direction = (request.body as Record<string, unknown> | undefined)?.direction === 'up' ? 'up' : 'down';
    movePart(writeContext(scope), request.params.id, direction);
    return reply.redirect(`${scope.base}/parts?saved=reordered#item-${request.params.id}`, 303);
  });

  /** What still uses an item that could not be deleted, with links to change it. */
  function inUseOf(scope: Scope, error: ConflictError): InUse {
    const { base, presenter, locale, event } = scope;
    const sessionIds = (error.extensions.sessions ?? []) as string[];
    if (sessionIds.length > 0) {
      const sessions = findRowsByPublicIds(db, 'session', event.id, sessionIds);
      return {
        message: translate(locale, 'admin.inUse.sessions', { count: sessions.length }),
        items: sessions.map((s) => {
          const title = presenter.text(s.title);
          return { href: `${base}/sessions/${s.publicId}`, text: title?.text ?? s.publicId, code: title && title.lang !== locale ? title.lang : null };
        }),
      };
    }
    const people = findRowsByPublicIds(db, 'person', event.id, (error.extensions.people ?? []) as string[]);
    return {
      message: translate(locale, 'admin.inUse.people', { count: people.length }),
      items: people.map((p) => ({ href: `${base}/people/${p.publicId}`, text: p.name, code: null })),
    };
  }

  function showEntity(request: FastifyRequest, reply: FastifyReply, scope: Scope, c: Collection, id: string | null, state: FormState) {
    const { locale, base, event } = scope;
    const options: Record<string, Option[]> = { ...fixedOptions(locale) };
    if (c.kind === 'person') options.organisations = programmeOf(db, event).organisations.map((o) => textOption(scope, o.publicId, o.name));
    const form = formView(c.kind, {
      locale, values: state.values, errors: state.errors, current: state.current, options, languages: event.languages, defaultLanguage: event.defaultLanguage,
    });
    const url = id ? `${base}/${c.path}/${id}` : null;
    return render(request, reply, scope, 'admin/form', state.status, {
      title: translate(locale, `admin.${c.path}.${id ? 'edit' : 'new'}`),
      section: c.path,
      backUrl: `${base}/${c.path}`,
      backLabel: translate(locale, `admin.nav.${c.path}`),
      stale: staleMessage(scope, state),
      formError: state.formError ?? null,
      inUse: state.inUse ?? null,
      errorSummary: form.errorSummary,
      form: {
        action: url ?? `${base}/${c.path}`,
        version: id ? state.values.version : null,
        fields: form.fields,
        submitLabel: translate(locale, id ? 'admin.form.save' : 'admin.form.create'),
      },
      deleteForm: url && { action: `${url}/delete`, version: state.values.version, confirm: translate(locale, 'admin.form.confirmDelete') },
    });
  }

  function showList(request: FastifyRequest, reply: FastifyReply, scope: Scope, c: Collection) {
    const { locale, base, presenter, event } = scope;
    const programme = programmeOf(db, event);
    const count = (predicate: (s: ProgrammeSession) => boolean) => plain(String(programme.sessions.filter(predicate).length), locale);
    const edit = (id: string) => `${base}/${c.path}/${id}`;
    const t = (key: string) => translate(locale, key);
    const zone = event.timezone;
    const clock = (instant: Date | null) => (instant ? `${longDate(localDate(instant, zone), locale)} ${localClock(instant, zone)}` : '—');
    let columns: string[];
    let rows: { id: string; cells: Record<string, unknown>[]; move?: { up: boolean; down: boolean; action: string; label: string } }[];
    switch (c.kind) {
      case 'part':
        columns = ['admin.field.partLabel', 'admin.field.title', 'admin.field.partStart', 'admin.field.partEnd', 'admin.list.sessions', 'admin.parts.order'];
        rows = programme.parts.map((p, i) => ({
          id: p.publicId,
          cells: [{ text: presenter.text(p.label), href: edit(p.publicId), header: true }, { text: presenter.text(p.title) },
            { text: plain(clock(p.startsAt), locale) }, { text: plain(clock(p.endsAt), locale) }, { text: count((s) => s.part?.id === p.id) }],
          move: { up: i > 0, down: i < programme.parts.length - 1, action: `${edit(p.publicId)}/move`, label: presenter.text(p.label)?.text ?? '' },
        }));
        break;
      case 'slot':
        columns = ['admin.field.slot', 'admin.list.sessions'];
        rows = programme.slots.map((s) => ({
          id: s.publicId,
          cells: [{ text: plain(slotLabel(s, scope), locale), href: edit(s.publicId), header: true, datetime: toZonedIso(s.startsAt, zone) }, { text: count((x) => x.slot?.id === s.id) }],
        }));
        break;
      case 'room':
        columns = ['admin.field.name', 'admin.field.position', 'admin.list.sessions'];
        rows = programme.rooms.map((r) => ({
          id: r.publicId,
          cells: [{ text: presenter.text(r.name), href: edit(r.publicId), header: true }, { text: plain(String(r.position), locale) }, { text: count((s) => s.room?.id === r.id) }],
        }));
        break;
      case 'person':
        columns = ['admin.field.personName', 'admin.field.organisation', 'admin.list.sessions'];
        rows = programme.people.map((p) => {
          const organisation = programme.organisations.find((o) => o.id === p.organisationId);
          return {
            id: p.publicId,
            cells: [{ text: plain(p.name, locale), href: edit(p.publicId), header: true }, { text: organisation ? presenter.orgName(organisation) : plain('—', locale) },
              { text: count((s) => s.contributors.some((x) => x.person?.id === p.id)) }],
          };
        });
        break;
      case 'organisation':
        columns = ['admin.field.shortName', 'admin.field.fullName', 'admin.list.sessions'];
        rows = programme.organisations.map((o) => ({
          id: o.publicId,
          cells: [{ text: presenter.orgName(o), href: edit(o.publicId), header: true }, { text: presenter.text(o.fullName) ?? plain('—', locale) },
            { text: count((s) => s.contributors.some((x) => x.organisation?.id === o.id)) }],
        }));
        break;
      case 'output':
        columns = ['admin.output.number', 'admin.field.statement', 'admin.list.sessions'];
        rows = programme.outputs.map((o) => ({
          id: o.publicId,
          cells: [{ text: plain(translate(locale, 'outputs.number', { number: o.position + 1 }), locale), href: edit(o.publicId), header: true },
            { text: presenter.text(o.statement) }, { text: count((s) => s.outputs.some((x) => x.id === o.id)) }],
        }));
        break;
    }
    return render(request, reply, scope, 'admin/list', 200, {
      title: t(`admin.nav.${c.path}`),
      section: c.path,
      newUrl: `${base}/${c.path}/new`,
      newLabel: t(`admin.${c.path}.new`),
      columns: columns.map(t),
      rows,
      reorder: c.kind === 'part',
      empty: t('admin.list.empty'),
    });
  }

  // ---- Event settings

  app.get('/admin/events/:slug/settings', { ...eventPage, schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    return showSettings(request, reply, scope, { status: 200, values: fromEntity('event', eventOut(scope.event)) });
  });

  app.post('/admin/events/:slug/settings', { ...eventForm, schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    const values = readForm('event', request.body);
    return save(request, reply, scope, {
      kind: 'event', mode: 'patch', values, entity: 'event', entityId: scope.event.publicId,
      show: (state) => showSettings(request, reply, scope, state),
      write: (body) => updateEvent(writeContext(scope), [versionOf(values) ?? 0], body as never),
      done: () => `${scope.base}/settings?saved=updated`,
    });
  });

  function showSettings(request: FastifyRequest, reply: FastifyReply, scope: Scope, state: FormState) {
    const { locale, event } = scope;
    const form = formView('event', {
      locale, values: state.values, errors: state.errors, current: state.current, options: fixedOptions(locale), languages: event.languages,
      defaultLanguage: event.defaultLanguage,
    });
    return render(request, reply, scope, 'admin/form', state.status, {
      title: translate(locale, 'admin.nav.settings'),
      section: 'settings',
      intro: translate(locale, 'admin.settings.intro', { slug: event.slug }),
      stale: staleMessage(scope, state),
      formError: state.formError ?? null,
      errorSummary: form.errorSummary,
      form: { action: `${scope.base}/settings`, version: state.values.version, fields: form.fields, submitLabel: translate(locale, 'admin.form.save') },
    });
  }

  // ---- Saving a form: the same steps for every kind

  interface SaveSpec {
    kind: FormKind;
    mode: 'create' | 'patch';
    values: FormValues;
    /** The audit log's name and id of the entity, to say who changed it after a stale save. */
    entity?: string;
    entityId?: string;
    show: (state: FormState) => FastifyReply;
    write: (body: Record<string, unknown>) => { data: Record<string, unknown> };
    done: (data: Record<string, unknown>) => string;
  }

  function save(request: FastifyRequest, reply: FastifyReply, scope: Scope, spec: SaveSpec) {
    const { locale } = scope;
    const { values } = spec;
    const result: BodyResult = toBody(spec.kind, spec.mode, values);
    const invalid = checkBody(spec.kind, spec.mode, result.body);
    if (result.errors.length > 0 || invalid.length > 0) {
      return spec.show({ status: 422, values, errors: formErrors(locale, result, result.errors, invalid) });
    }
    let written: { data: Record<string, unknown> };
    try {
      written = spec.write(result.body);
    } catch (error) {
      if (error instanceof UnprocessableError) return spec.show({ status: 422, values, errors: formErrors(locale, result, error.errors) });
      if (error instanceof StaleVersionError) {
        // What was typed stays; the saved values are shown beside it, and the form now names
        // the current version, so that saving again replaces theirs knowingly.
        const saved = error.extensions.current as Record<string, unknown>;
        const current = fromEntity(spec.kind, saved);
        return spec.show({
          status: 409, values: { ...values, version: String(saved.version) }, current,
          staleBy: spec.entity ? lastEditor(scope, spec.entity, spec.entityId!) : null,
        });
      }
      if (error instanceof ConflictError) return spec.show({ status: 409, values, formError: translate(locale, 'admin.error.conflict') });
      throw error;
    }
    return reply.redirect(spec.done(written.data), 303);
  }

  // ---- Users (organisers of every event)

  app.get('/admin/users', { onRequest: async (request) => { organiserOfAll(request); }, schema: { querystring: PageQuery } }, async (request, reply) =>
    showUsers(request, reply, { status: 200, values: { role: 'rapporteur' } }));

  function showUsers(request: FastifyRequest, reply: FastifyReply, state: FormState) {
    const locale = requestLocale(request);
    const events = listEvents(db);
    const slugOf = new Map(events.map((e) => [e.id, e]));
    const options = {
      ...fixedOptions(locale),
      events: events.map((e) => {
        const title = new Presenter(e, locale).text(e.title);
        return { value: e.slug, label: title?.text ?? e.slug, lang: title && title.lang !== locale ? title.lang : undefined };
      }),
    };
    const form = formView('user', { locale, values: state.values, errors: state.errors, options });
    const users = listUsers(db).map((u) => {
      const event = u.eventId === null ? null : slugOf.get(u.eventId) ?? null;
      return {
        name: u.name,
        email: u.email,
        role: translate(locale, `admin.userRole.${u.role}`),
        scope: u.role === 'rapporteur'
          ? translate(locale, 'admin.users.assignedSessions')
          : event ? new Presenter(event, locale).text(event.title)?.text ?? event.slug : translate(locale, 'admin.form.allEvents'),
      };
    });
    return render(request, reply, null, 'admin/users', state.status, {
      title: translate(locale, 'admin.users.title'),
      users,
      errorSummary: form.errorSummary,
      formError: state.formError ?? null,
      form: { action: '/admin/users', fields: form.fields, submitLabel: translate(locale, 'admin.users.create') },
    });
  }

  app.post('/admin/users', {
    onRequest: async (request) => { organiserOfAll(request); },
    preValidation: app.csrfProtection,
    schema: { querystring: PageQuery },
  }, async (request, reply) => {
    const locale = requestLocale(request);
    const values = readForm('user', request.body);
    const result = toBody('user', 'create', values);
    const invalid = checkBody('user', 'create', result.body);
    if (result.errors.length > 0 || invalid.length > 0) {
      return showUsers(request, reply, { status: 422, values, errors: formErrors(locale, result, result.errors, invalid) });
    }
    const body = result.body as { email: string; name: string; role: 'organiser' | 'rapporteur'; event: string | null; password: string };
    const event = body.event === null ? null : findEventBySlug(db, body.event);
    if (body.event !== null && !event) {
      return showUsers(request, reply, { status: 422, values, errors: new Map([['event', translate(locale, 'admin.error.unknown')]]) });
    }
    try {
      await createUser(db, { email: body.email, name: body.name, password: body.password, role: body.role, eventId: event?.id ?? null }, app.now());
    } catch (error) {
      if (error instanceof UnprocessableError) return showUsers(request, reply, { status: 422, values, errors: formErrors(locale, result, error.errors) });
      if (error instanceof ConflictError) {
        return showUsers(request, reply, { status: 409, values, errors: new Map([['email', translate(locale, 'admin.error.emailTaken')]]) });
      }
      throw error;
    }
    return reply.redirect('/admin/users?saved=userCreated', 303);
  });

  // ---- Addresses that only take forms

  // A page shown again after a refused form has the form's address, and so do its language
  // links (?lang=): reading one of these addresses leads back to the page of the form.
  const backTo = (page: (params: { slug: string; id: string }) => string) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { lang } = request.query as { lang?: string };
      return reply.redirect(`${page(request.params as { slug: string; id: string })}${lang ? `?lang=${lang}` : ''}`, 303);
    };
  const onlyLang = { querystring: Type.Object({ lang: Type.Optional(Lang) }) };
  app.get('/admin/events', { schema: onlyLang }, backTo(() => '/admin'));
  for (const c of COLLECTIONS) {
    app.get(`/admin/events/:slug/${c.path}/:id/delete`, { schema: { params: ItemParams, ...onlyLang } }, backTo((p) => `/admin/events/${p.slug}/${c.path}/${p.id}`));
  }
  app.get('/admin/events/:slug/parts/:id/move', { schema: { params: ItemParams, ...onlyLang } }, backTo((p) => `/admin/events/${p.slug}/parts`));
  for (const action of ['duplicate', 'move', 'status', 'rapporteurs', 'delete']) {
    app.get(`/admin/events/:slug/sessions/:id/${action}`, { schema: { params: ItemParams, ...onlyLang } }, backTo((p) => `/admin/events/${p.slug}/sessions/${p.id}`));
  }
  app.get('/admin/events/:slug/sessions/:id/rapporteurs/:userId/delete', { schema: { params: AssignmentParams, ...onlyLang } },
    backTo((p) => `/admin/events/${p.slug}/sessions/${p.id}`));

  // ---- Audit

  app.get('/admin/events/:slug/audit', { ...eventPage, schema: { params: EventParams, querystring: AuditPageQuery } }, async (request, reply) => {
    const scope = scopeOf(request);
    const { locale, event, base } = scope;
    const { entity, user, before } = request.query;
    const page = getAudit(db, event, { entity: entity || undefined, user: user || undefined, before, limit: AUDIT_PAGE_SIZE });
    const actors = getAuditActors(db, event);
    const zone = event.timezone;
    const filters = (more: Record<string, string>) => {
      const params = new URLSearchParams({ ...(entity ? { entity } : {}), ...(user ? { user } : {}), ...more });
      const query = params.toString();
      return `${base}/audit${query ? `?${query}` : ''}`;
    };
    const entries = page.entries.map((e) => {
      const at = new Date(e.at);
      const path = PATH_OF[e.entity];
      return {
        at: `${localDate(at, zone)} ${localClock(at, zone)}`,
        atIso: toZonedIso(at, zone),
        actor: e.actor.name,
        action: translate(locale, `admin.audit.action.${e.action}`),
        entity: translate(locale, `admin.entity.${(AUDIT_ENTITIES as readonly string[]).includes(e.entity) ? e.entity : 'other'}`),
        entityId: e.entityId,
        entityUrl: path && e.action !== 'delete' ? `${base}/${path}/${e.entityId}` : e.entity === 'event' ? `${base}/settings` : null,
        changes: changesOf(e.before, e.after),
      };
    });
    return render(request, reply, scope, 'admin/audit', 200, {
      title: translate(locale, 'admin.nav.audit'),
      section: 'audit',
      action: `${base}/audit`,
      entityOptions: [{ value: '', label: translate(locale, 'admin.audit.allEntities'), selected: !entity },
        ...AUDIT_ENTITIES.map((k) => ({ value: k, label: translate(locale, `admin.entity.${k}`), selected: entity === k }))],
      userOptions: [{ value: '', label: translate(locale, 'admin.audit.everyone'), selected: !user },
        ...actors.map((a) => ({ value: a.id, label: a.name, selected: user === a.id }))],
      entries,
      filtered: Boolean(entity || user),
      resetUrl: `${base}/audit`,
      newerUrl: before !== undefined ? filters({}) : null,
      olderUrl: page.next !== null ? filters({ before: String(page.next) }) : null,
      timezone: zone,
    });
  });
}

// ---------------------------------------------------------------------------------------------

/** The links to the workspace's own pages: the events one organises, and the accounts for organisers of every event. */
function homeOf(user: AuthUser, template: string) {
  return { href: '/admin', current: template === 'admin/home', usersHref: isOrganiserOfAll(user) ? '/admin/users' : null, usersCurrent: template === 'admin/users' };
}

/** The navigation between an event's pages of the workspace; `section` is the current one. */
function navOf(scope: Pick<Scope, 'event' | 'locale' | 'presenter' | 'base'>, section: string) {
  const { base, locale } = scope;
  const entries: [string, string][] = [
    ['programme', ''], ['sessions', '/sessions'], ['parts', '/parts'], ['slots', '/slots'], ['rooms', '/rooms'], ['people', '/people'],
    ['organisations', '/organisations'], ['outputs', '/outputs'], ['settings', '/settings'], ['conclusions', '/conclusions'], ['audit', '/audit'], ['releases', '/releases'],
  ];
  return {
    event: scope.presenter.text(scope.event.title),
    publicUrl: `/events/${scope.event.slug}`,
    items: entries.map(([key, path]) => ({ label: translate(locale, `admin.nav.${key}`), href: `${base}${path}`, current: key === section })),
    previewAction: `${base}/preview`,
  };
}

/**
 * The workspace navigation for an event page served by another domain (the releases page):
 * render it with {{> admin-nav adminNav}} and put `admin: true` in the page's context so that
 * the layout loads the workspace's stylesheet and script. The caller has checked that the
 * user organises the event.
 */
export function adminNavFor(request: FastifyRequest, reply: FastifyReply, event: EventRow, section = 'releases') {
  const user = currentUser(request);
  if (!user) throw new UnauthorizedError();
  const locale = requestLocale(request, event.defaultLanguage);
  const scope = { event, locale, presenter: new Presenter(event, locale), base: `/admin/events/${event.slug}` };
  return { csrfToken: csrfToken(reply), home: homeOf(user, ''), nav: navOf(scope, section) };
}

type LocalizedValue = Parameters<Presenter['text']>[0];

/** A text of the interface, shaped like a content text so that one cell template shows both. */
const plain = (text: string, locale: Language) => ({ text, lang: locale });

const HIDDEN_AUDIT_FIELDS = new Set(['id', 'version']);

/** An audit value as one line of text: texts per language, lists, and "—" for nothing. */
function auditValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '—' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(auditValue).join(' ; ');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 0 && entries.every(([k]) => (LANGUAGES as readonly string[]).includes(k))) {
    return entries.map(([k, v]) => `${k} : ${auditValue(v)}`).join(' · ');
  }
  return entries.filter(([, v]) => v !== null).map(([k, v]) => `${k} : ${auditValue(v)}`).join(', ');
}

/** The fields an audit entry changed, with their values before and after. */
function changesOf(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((f) => !HIDDEN_AUDIT_FIELDS.has(f));
  return fields
    .filter((f) => JSON.stringify(before?.[f] ?? null) !== JSON.stringify(after?.[f] ?? null))
    .map((field) => ({ field, before: before ? auditValue(before[field]) : '—', after: after ? auditValue(after[field]) : '—' }));
}
