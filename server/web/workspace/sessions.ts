// Sessions in the workspace: the form that edits every field (contributors, outputs, links,
// rapporteurs), and what the form's page offers besides (duplicate, delete). Their list is
// session-list.ts. A new one is made fast: a day, a start and a duration place it; the room,
// people and organisation it names are created with it; "save and add another" opens the next
// form where this one ends.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { listRapporteurs, rapporteurCandidates } from '../../domains/conclusions/assignments.ts';
import { createQuickSession, NAME_MAX, newNameProblems, sessionTimes, type QuickSessionInput } from '../../domains/programme/quick.ts';
import type { EventRow } from '../../domains/programme/repository.ts';
import { RESOURCES } from '../../domains/programme/resources/index.ts';
import type { Representation } from '../../domains/programme/resources/resource.ts';
import { SESSION_FIELDS } from '../../domains/programme/resources/session.ts';
import { deleteSession, duplicateSession, isReleased, sessionForEditing, updateSession, type SessionBody } from '../../domains/programme/sessions.ts';
import { LocalDate, PublicId } from '../../domains/programme/schemas.ts';
import type { Language } from '../../db/schema.ts';
import { ConflictError, StaleVersionError, UnprocessableError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { longDate } from '../../time.ts';
import { checkBody, formErrors } from '../shared/forms/check.ts';
import { clean, field, single, type FieldDef, type FormSpec, type FormValues } from '../shared/forms/fields.ts';
import { fromEntity, readForm, toBody, versionOf } from '../shared/forms/read.ts';
import { formView } from '../shared/forms/view.ts';
import { conflictViews } from './conflicts.ts';
import { type FormState, programmeOptions, render, save, type Scope, scopeOf, staleBy, staleMessage, workingCopy, writeContext } from './kit.ts';
import { EventParams, ItemParams } from '../shared/schemas.ts';
import { PageQuery } from './schemas.ts';

const f = SESSION_FIELDS;

/** The fields of the session form that place it on the clock (a day, a start, a duration or an end): no values of the session's own. */
const CLOCK_FIELDS = ['day', 'startTime', 'duration', 'endTime'] as const;
/** The fields that name what the event does not have yet: created with the session. */
const NEW_ITEM_FIELDS = ['newRoom', 'newPeople', 'newOrganisation'] as const;
/** The fields used less often, behind "More fields" unless one of them has a value or an error. */
const MORE_FIELDS = new Set(['subtitle', 'abstract', 'description', 'language', 'interpretation', 'outputs', 'links']);
/** The longest session of a duration: a whole day. */
const MAX_MINUTES = 1440;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

export const SESSION_FORM: FormSpec = {
  fields: [
    field(f, 'title', { label: 'field.title' }),
    { name: 'day', type: 'select', label: 'building.field.day', options: 'days', compare: false },
    { name: 'startTime', type: 'time', label: 'field.start', hint: 'building.hint.start', compare: false },
    { name: 'duration', type: 'number', label: 'exports.column.duration', compare: false },
    { name: 'endTime', type: 'time', label: 'building.field.end', hint: 'building.hint.end', compare: false },
    field(f, 'slot', { label: 'admin.field.slot', options: 'slots', noneLabel: 'admin.form.unscheduled', hint: 'building.hint.slot' }),
    // Times that place the session in a slot found or made, as the API takes them: read when
    // posted, not shown (the day, start and duration above say the same).
    { name: 'start', type: 'datetime', label: 'admin.field.newStart', compare: false, hint: 'admin.hint.newTimes' },
    { name: 'end', type: 'datetime', label: 'admin.field.newEnd', compare: false },
    field(f, 'room', { label: 'field.room', options: 'rooms' }),
    { name: 'newRoom', type: 'text', label: 'building.field.newRoom', maxLength: NAME_MAX, compare: false },
    field(f, 'contributors', { label: 'session.contributors', hint: 'admin.hint.contributors', control: 'contributors' }),
    { name: 'newPeople', type: 'text', label: 'building.field.newPeople', hint: 'building.hint.newPeople', multiline: true, compare: false },
    { name: 'newOrganisation', type: 'text', label: 'building.field.newOrganisation', hint: 'building.hint.newOrganisation', maxLength: NAME_MAX, compare: false },
    field(f, 'kind', { label: 'session.kind', options: 'kinds', required: true }),
    field(f, 'status', { label: 'admin.field.status', options: 'statuses', required: true }),
    field(f, 'part', { label: 'field.part', options: 'parts' }),
    field(f, 'subtitle', { label: 'field.subtitle' }),
    field(f, 'abstract', { label: 'session.abstract', hint: 'admin.hint.abstract' }),
    field(f, 'description', { label: 'admin.field.agenda', hint: 'admin.hint.agenda' }),
    field(f, 'language', { label: 'admin.field.sessionLanguage', hint: 'admin.hint.sessionLanguage' }),
    field(f, 'interpretation', { label: 'interpretation.field', hint: 'interpretation.hint.session' }),
    field(f, 'outputs', { label: 'admin.field.outputs', options: 'outputs', control: 'checkboxes' }),
    field(f, 'links', { label: 'session.links', hint: 'admin.hint.links', control: 'links' }),
  ],
  schemas: RESOURCES.session.schemas,
  // The clock fields and new names are read by the routes (clockOf, newItemsOf); a session placed
  // with new start and end times ignores its slot choice.
  adjust: (body) => {
    for (const name of [...CLOCK_FIELDS, ...NEW_ITEM_FIELDS]) delete body[name];
    if (body.start !== undefined || body.end !== undefined) delete body.slot;
  },
};

const Clock = Type.String({ pattern: '^\\d{2}:\\d{2}$', maxLength: 5 });
const NewSessionQuery = Type.Object({
  ...PageQuery.properties,
  slot: Type.Optional(Type.Union([PublicId, Type.Literal('')])),
  day: Type.Optional(Type.Union([LocalDate, Type.Literal('')])),
  start: Type.Optional(Type.Union([Clock, Type.Literal('')])),
  room: Type.Optional(Type.Union([PublicId, Type.Literal('')])),
  return: Type.Optional(Type.Union([Type.Literal('grid'), Type.Literal('')])),
});
type NewSessionQueryValue = { slot?: string; day?: string; start?: string; room?: string; return?: string };

/** The event's local days, first to last (an event is a few days at most: its dates are bounded). */
export function eventDays(event: Pick<EventRow, 'startDate' | 'endDate'>): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${event.startDate}T00:00:00Z`); days.length < 400; at += 86_400_000) {
    const day = new Date(at).toISOString().slice(0, 10);
    if (day > event.endDate) break;
    days.push(day);
  }
  return days;
}

interface Clock {
  /** The session's start and end as the write API takes them, when a start was typed. */
  times: { start: string; end: string } | null;
  errors: Map<string, string>;
}

/**
 * The times the clock fields give, or their errors by field. A start is what places the
 * session by the clock; without one, the slot choice stands.
 */
function clockOf(values: FormValues, event: EventRow, locale: Language): Clock {
  const errors = new Map<string, string>();
  const [day, start, minutes, end] = CLOCK_FIELDS.map((name) => clean(single(values, name)) ?? '') as [string, string, string, string];
  if (start === '') {
    if (end !== '') errors.set('startTime', translate(locale, 'building.error.startNeeded'));
    return { times: null, errors };
  }
  if (!eventDays(event).includes(day)) errors.set('day', translate(locale, 'building.error.day'));
  if (!CLOCK.test(start)) errors.set('startTime', translate(locale, 'building.error.time'));
  if (end !== '' && !CLOCK.test(end)) errors.set('endTime', translate(locale, 'building.error.time'));
  if (end === '' && !(/^\d{1,4}$/.test(minutes) && Number(minutes) >= 1 && Number(minutes) <= MAX_MINUTES)) {
    errors.set('duration', translate(locale, 'building.error.duration', { max: MAX_MINUTES }));
  }
  if (errors.size > 0) return { times: null, errors };
  return { times: sessionTimes(day, start, event.timezone, end === '' ? { minutes: Number(minutes) } : { end }), errors };
}

/** The form as it reads this post: the times of the clock fields, when given, place the session. */
function formWith(clock: Clock): FormSpec {
  if (!clock.times) return SESSION_FORM;
  const times = clock.times;
  return { ...SESSION_FORM, adjust: (body, mode) => { SESSION_FORM.adjust!(body, mode); Object.assign(body, times); delete body.slot; } };
}

/** A refusal of the times lands beside the clock field they came from. */
function onClock(errors: Map<string, string> | undefined, clock: Clock, values: FormValues): Map<string, string> | undefined {
  if (!errors || !clock.times) return errors;
  const endField = (clean(single(values, 'endTime')) ?? '') === '' ? 'duration' : 'endTime';
  const moved = new Map<string, string>();
  for (const [name, message] of errors) {
    const to = name === 'start' ? 'startTime' : name === 'end' ? endField : name;
    if (!moved.has(to)) moved.set(to, message);
  }
  return moved;
}

/** The new room, people and organisation a form names; the people one a line or separated by commas. */
function newItemsOf(values: FormValues): Omit<QuickSessionInput, 'session'> {
  const text = (name: string) => clean(single(values, name)) || undefined;
  const people = (text('newPeople') ?? '').split(/[\n,]/).map((name) => name.trim()).filter((name) => name !== '');
  return { newRoom: text('newRoom'), newPeople: people.length > 0 ? people : undefined, newOrganisation: text('newOrganisation') };
}

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

/** The page's fields in two groups, the less used behind "More fields", with the controls the shared partial has none of. */
function groupedFields(form: ReturnType<typeof formView>, shown: FieldDef[], state: FormState, scope: Scope, days: string[]) {
  const filled = (name: string) => Object.entries(state.values).some(([key, value]) =>
    (key === name || key.startsWith(`${name}.`)) && (Array.isArray(value) ? value.length > 0 : value.trim() !== ''));
  const views = form.fields.map((view, i) => {
    const def = shown[i]!;
    const v = view as Record<string, unknown>;
    // A one-day event needs no choice of day: it is said, and sent as it is.
    if (def.name === 'day' && days.length === 1) return { ...v, type: 'fixed', value: days[0], text: longDate(days[0]!, scope.locale) };
    if (def.multiline && def.type === 'text') return { ...v, type: 'textarea' };
    return v;
  });
  const more = shown.map((def) => MORE_FIELDS.has(def.name));
  return {
    fields: views.filter((_, i) => !more[i]),
    more: views.filter((_, i) => more[i]),
    moreOpen: shown.some((def) => MORE_FIELDS.has(def.name) && (filled(def.name) || [...(state.errors?.keys() ?? [])].some((k) => k.split('.')[0] === def.name))),
  };
}

/** The form of a session (new when id is null), as typed or as saved, with what refused it; `back` is where a new one returns. */
export function showSession(request: FastifyRequest, reply: FastifyReply, id: string | null, state: FormState, assignError: string | null = null, back: 'grid' | null = null) {
  const scope = scopeOf(request);
  const { locale, base, event } = scope;
  const days = eventDays(event);
  const options = { ...programmeOptions(scope, workingCopy(request)), days: days.map((day) => ({ value: day, label: longDate(day, locale) })) };
  const omit = ['start', 'end', ...(id ? NEW_ITEM_FIELDS : [])];
  const form = formView(SESSION_FORM, {
    locale, values: state.values, errors: state.errors, current: state.current, options, languages: event.languages, defaultLanguage: event.defaultLanguage, omit,
  });
  const session = id ? { ...sessionExtras(request, id, assignError), version: state.values.version } : null;
  const saved = (request.query as { saved?: unknown }).saved;
  return render(request, reply, 'workspace/session', state.status, {
    title: translate(locale, id ? 'admin.sessions.edit' : 'admin.sessions.new'),
    section: 'sessions',
    styles: ['building.css'],
    // A session just created says so in its own words (a session is feminine in French).
    ...(saved === 'created' && state.status < 300 ? { flash: translate(locale, 'building.saved.sessionCreated') } : {}),
    backUrl: back === 'grid' ? `${base}/grid` : `${base}/sessions`,
    backLabel: translate(locale, 'sessions.title'),
    stale: staleMessage(locale, state),
    formError: state.formError ?? null,
    errorSummary: form.errorSummary,
    form: {
      action: id ? `${base}/sessions/${id}` : `${base}/sessions`,
      version: id ? state.values.version : null,
      ...groupedFields(form, SESSION_FORM.fields.filter((def) => !omit.includes(def.name)), state, scope, days),
      back,
      submitLabel: translate(locale, id ? 'admin.form.save' : 'admin.sessions.create'),
      anotherLabel: id ? null : translate(locale, 'building.saveAndAdd'),
    },
    session,
  });
}

/** The session's form as it is saved now; its clock fields start from its day and its length. */
export function savedSession(request: FastifyRequest, id: string): FormState {
  const { event } = scopeOf(request);
  const { session } = sessionForEditing(workingCopy(request), id);
  const start = session.start as string | null;
  const end = session.end as string | null;
  const day = start !== null && eventDays(event).includes(start.slice(0, 10)) ? start.slice(0, 10) : event.startDate;
  const minutes = start !== null && end !== null ? Math.round((Date.parse(end) - Date.parse(start)) / 60_000) : 60;
  return { status: 200, values: { ...fromEntity(SESSION_FORM, session), day, duration: String(minutes) } };
}

/** The values a new session's form starts from: the day, start and room the address asks for (one the event lacks is ignored). */
function newSessionValues(request: FastifyRequest): FormValues {
  const { event } = scopeOf(request);
  const query = request.query as NewSessionQueryValue;
  const room = query.room && workingCopy(request).rooms.some((r) => r.publicId === query.room) ? query.room : '';
  const day = query.day && eventDays(event).includes(query.day) ? query.day : event.startDate;
  return { kind: 'session', status: 'confirmed', slot: query.slot ?? '', day, startTime: query.start ?? '', duration: '60', room };
}

/** Where a new session's form goes once saved: a new form after this one, the grid, or the session's page. */
function afterCreate(base: string, event: EventRow, session: Representation, values: FormValues, back: 'grid' | null, another: boolean): string {
  const start = session.start as string | null;
  const end = session.end as string | null;
  const typed = single(values, 'day') ?? '';
  const day = start?.slice(0, 10) ?? (eventDays(event).includes(typed) ? typed : event.startDate);
  if (another) {
    const query = [
      `day=${end?.slice(0, 10) ?? day}`, ...(end ? [`start=${end.slice(11, 16)}`] : []), ...(session.room ? [`room=${session.room as string}`] : []),
      ...(back ? [`return=${back}`] : []), 'saved=created',
    ];
    return `${base}/sessions/new?${query.join('&')}`;
  }
  if (back === 'grid') return `${base}/grid?day=${day}&saved=created#session-${session.id as string}`;
  return `${base}/sessions/${session.id as string}?saved=created`;
}

/** Creates a session, with the room, people and organisation its form names, in one write. */
function createOne(request: FastifyRequest, reply: FastifyReply) {
  const { locale, event, base } = scopeOf(request);
  const raw = (request.body ?? {}) as Record<string, unknown>;
  const back = raw.return === 'grid' ? 'grid' : null;
  const values = readForm(SESSION_FORM, request.body);
  const clock = clockOf(values, event, locale);
  const show = (state: FormState) => showSession(request, reply, null, { ...state, errors: onClock(state.errors, clock, values) }, null, back);
  if (clock.errors.size > 0) return show({ status: 422, values, errors: clock.errors });
  const form = formWith(clock);
  const result = toBody(form, 'create', values);
  const input: QuickSessionInput = { session: result.body as SessionBody, ...newItemsOf(values) };
  const invalid = checkBody(form, 'create', result.body);
  // The new names' problems are said with the others, before anything is written.
  const named = newNameProblems(input);
  if (result.errors.length > 0 || invalid.length > 0 || named.length > 0) {
    return show({ status: 422, values, errors: formErrors(locale, result, [...result.errors, ...named], invalid) });
  }
  let created: Representation;
  try {
    created = createQuickSession(writeContext(request), input).data.session;
  } catch (error) {
    if (error instanceof UnprocessableError) return show({ status: 422, values, errors: formErrors(locale, result, error.errors) });
    if (error instanceof ConflictError) return show({ status: 409, values, formError: translate(locale, 'admin.error.conflict') });
    throw error;
  }
  return reply.redirect(afterCreate(base, event, created, values, back, raw.next === 'another'), 303);
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
    showSession(request, reply, null, { status: 200, values: newSessionValues(request) }, null, (request.query as NewSessionQueryValue).return === 'grid' ? 'grid' : null));
  app.post('/events/:slug/sessions', { ...page, ...form }, async (request, reply) => createOne(request, reply));
  app.get('/events/:slug/sessions/:id', itemPage, async (request, reply) => showSession(request, reply, idOf(request), savedSession(request, idOf(request))));
  app.post('/events/:slug/sessions/:id', { ...itemPage, ...form }, async (request, reply) => {
    const scope = scopeOf(request);
    const id = idOf(request);
    const values = readForm(SESSION_FORM, request.body);
    const clock = clockOf(values, scope.event, scope.locale);
    const show = (state: FormState) => showSession(request, reply, id, { ...state, errors: onClock(state.errors, clock, values) });
    if (clock.errors.size > 0) return show({ status: 422, values, errors: clock.errors });
    return save(request, reply, scope.locale, {
      form: formWith(clock), mode: 'patch', values, entity: 'session', entityId: id, show,
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
