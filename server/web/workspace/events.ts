// The workspace's home (the events one organises, and for organisers of every event the form
// that creates one, with its rooms, its address made from its title and its zone chosen from a
// list) and an event's settings.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isOrganiserOfAll, organises } from '../../domains/accounts/permissions.ts';
import { EVENT_FIELDS, eventSchemas, updateEvent, type EventCreateBody, type EventPatchBody } from '../../domains/programme/events.ts';
import { createEventWithRooms, NAME_MAX, NEW_ROOMS_MAX, SLUG_MAX, slugOf } from '../../domains/programme/quick.ts';
import { listEvents, type EventRow } from '../../domains/programme/repository.ts';
import { LANGUAGES, type Language } from '../../db/schema.ts';
import { eventRepresentation } from '../../domains/programme/write.ts';
import { ConflictError, UnprocessableError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { isValidTimeZone, utcOffsetLabel } from '../../time.ts';
import { checkBody, formErrors } from '../shared/forms/check.ts';
import { clean, field, single, type FieldDef, type FormSpec, type FormValues } from '../shared/forms/fields.ts';
import { fromEntity, readForm, toBody, versionOf } from '../shared/forms/read.ts';
import { fixedOptions, formView, type Option } from '../shared/forms/view.ts';
import { Presenter } from '../shared/presenter.ts';
import { render, save, scopeOf, staleMessage, userOf, writeContext, type FormState } from './kit.ts';
import { EventParams } from '../shared/schemas.ts';
import { PageQuery } from './schemas.ts';

const f = EVENT_FIELDS;
/** The time zone as a choice among the server's zones, each with its offset (timezoneOptions). */
const timezoneChoice: Pick<FieldDef, 'type' | 'options' | 'hint'> = { type: 'select', options: 'timezones', hint: 'building.hint.timezone' };

const common: Record<string, FieldDef> = {
  title: field(f, 'title', { label: 'field.title' }),
  timezone: field(f, 'timezone', { label: 'admin.field.timezone', hint: 'admin.hint.timezone' }),
  defaultLanguage: field(f, 'defaultLanguage', { label: 'admin.field.defaultLanguage', options: 'languages' }),
  languages: field(f, 'languages', { label: 'admin.field.languages', options: 'languages', control: 'checkboxes', required: true }),
  startDate: field(f, 'startDate', { label: 'admin.field.startDate' }),
  endDate: field(f, 'endDate', { label: 'admin.field.endDate' }),
  city: field(f, 'city', { label: 'admin.field.city' }),
  country: { ...field(f, 'country', { label: 'admin.field.country', hint: 'admin.hint.country' }), upperCase: true },
};

/** An event's settings: every field but its address, which never changes. */
export const EVENT_FORM: FormSpec = {
  fields: [
    common.title!, field(f, 'subtitle', { label: 'field.subtitle' }), field(f, 'description', { label: 'admin.field.eventDescription' }),
    field(f, 'venue', { label: 'event.venue' }), common.city!, common.country!, { ...common.timezone!, ...timezoneChoice }, common.defaultLanguage!, common.languages!,
    common.startDate!, common.endDate!,
  ],
  schemas: { create: eventSchemas.create, patch: eventSchemas.patch },
};

/** A new event: what it cannot be without, its address made from its title, and its rooms. */
const NEW_EVENT_FORM: FormSpec = {
  fields: [
    common.title!,
    { name: 'slug', type: 'text', label: 'admin.field.slug', maxLength: SLUG_MAX, hint: 'building.hint.slug' },
    common.startDate!, { ...common.endDate!, required: false, hint: 'building.hint.endDate' }, { ...common.timezone!, ...timezoneChoice },
    common.defaultLanguage!, common.languages!,
    { name: 'rooms', type: 'text', label: 'admin.nav.rooms', hint: 'building.hint.rooms', multiline: true },
    common.city!, common.country!,
  ],
  schemas: { create: eventSchemas.create, patch: eventSchemas.patch },
  // The rooms are created beside the event (createEventWithRooms), not a field of it.
  adjust: (body) => { delete body.rooms; },
};

/**
 * Every time zone this server knows, each with its offset now ("Africa/Johannesburg (UTC+02:00)"),
 * sorted by name so that a region's zones are together; a zone the event has that the list
 * lacks (an old alias) is kept, so that saving the settings unchanged changes nothing.
 */
export function timezoneOptions(locale: Language, now: Date, keep: string | null = null): Option[] {
  // The runtime's list leaves out UTC itself, which some online events use.
  const zones = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  if (keep && isValidTimeZone(keep)) zones.add(keep);
  return [...zones].sort().map((zone) => ({ value: zone, label: translate(locale, 'building.timezone.option', { zone, offset: utcOffsetLabel(now, zone) }) }));
}

/** The zone a new event starts with: that of the event created last, else Paris. */
function defaultZone(request: FastifyRequest): string {
  const last = listEvents(request.server.db).reduce<EventRow | null>((found, e) => (found === null || e.id > found.id ? e : found), null);
  return last?.timezone ?? 'Europe/Paris';
}

function showHome(request: FastifyRequest, reply: FastifyReply, state: FormState) {
  const user = userOf(request);
  const locale = requestLocale(request);
  const events = listEvents(request.server.db).filter((e) => organises(user, e.id)).map((e) => ({
    ...new Presenter(e, locale).eventSummary(), adminUrl: `/admin/events/${e.slug}`,
  }));
  const options = { ...fixedOptions(locale), timezones: timezoneOptions(locale, request.server.now(), single(state.values, 'timezone') ?? null) };
  const form = isOrganiserOfAll(user) ? formView(NEW_EVENT_FORM, { locale, values: state.values, errors: state.errors, options }) : null;
  return render(request, reply, 'workspace/home', state.status, {
    title: translate(locale, 'account.home.organiser'),
    styles: ['building.css'],
    scripts: ['building.js'],
    events,
    form: form && {
      action: '/admin/events',
      fields: form.fields.map((view, i) => (NEW_EVENT_FORM.fields[i]!.multiline && NEW_EVENT_FORM.fields[i]!.type === 'text' ? { ...(view as object), type: 'textarea' } : view)),
      submitLabel: translate(locale, 'admin.home.createEvent'),
      filterLabel: translate(locale, 'building.timezone.filter'),
    },
    errorSummary: form?.errorSummary ?? [],
    formError: state.formError ?? null,
  });
}

/** The rooms of the form, one a line, or the error of the first line that is no name. */
function roomsOf(locale: Language, values: FormValues): { rooms: string[]; error: string | null } {
  const lines = (clean(single(values, 'rooms')) ?? '').split('\n').map((line, i) => ({ name: line.trim(), line: i + 1 })).filter((l) => l.name !== '');
  if (lines.length > NEW_ROOMS_MAX) return { rooms: [], error: translate(locale, 'building.error.tooManyRooms', { max: NEW_ROOMS_MAX }) };
  const long = lines.find((l) => l.name.length > NAME_MAX);
  if (long) return { rooms: [], error: translate(locale, 'admin.error.onLine', { line: long.line, message: translate(locale, 'admin.error.name') }) };
  return { rooms: lines.map((l) => l.name), error: null };
}

/** The address a form asks for, or the one its title makes when left empty. */
function withSlug(values: FormValues): FormValues {
  if ((clean(single(values, 'slug')) ?? '') !== '') return values;
  const language = single(values, 'defaultLanguage') ?? 'fr';
  const titles = [language, ...LANGUAGES].map((lang) => clean(single(values, `title.${lang}`)) ?? '');
  return { ...values, slug: slugOf(titles.find((title) => slugOf(title) !== '') ?? '') };
}

async function createOne(request: FastifyRequest, reply: FastifyReply) {
  const user = userOf(request);
  const locale = requestLocale(request);
  const typed = readForm(NEW_EVENT_FORM, request.body);
  // A one-day event needs only its first day.
  const values = withSlug({ ...typed, endDate: (clean(single(typed, 'endDate')) ?? '') === '' ? single(typed, 'startDate') ?? '' : typed.endDate! });
  const rooms = roomsOf(locale, values);
  const result = toBody(NEW_EVENT_FORM, 'create', values);
  const invalid = checkBody(NEW_EVENT_FORM, 'create', result.body);
  const errors = formErrors(locale, result, result.errors, invalid);
  // No address from no title: the title's own error says what to do.
  if (values.slug === '') {
    if ([...errors.keys()].some((name) => name.split('.')[0] === 'title')) errors.delete('slug');
    else errors.set('slug', translate(locale, 'building.error.slugFromTitle'));
  }
  if (rooms.error) errors.set('rooms', rooms.error);
  if (errors.size > 0) return showHome(request, reply, { status: 422, values, errors });
  try {
    const created = createEventWithRooms(request.server.db, { id: user.id, name: user.name }, result.body as unknown as EventCreateBody, rooms.rooms, request.server.now());
    return reply.redirect(`/admin/events/${created.data.slug as string}?saved=eventCreated`, 303);
  } catch (error) {
    if (error instanceof UnprocessableError) return showHome(request, reply, { status: 422, values, errors: formErrors(locale, result, error.errors) });
    if (error instanceof ConflictError) {
      return showHome(request, reply, { status: 409, values, errors: new Map([['slug', translate(locale, 'building.error.slugTaken', { slug: single(values, 'slug') })]]) });
    }
    throw error;
  }
}

function showSettings(request: FastifyRequest, reply: FastifyReply, state: FormState) {
  const { locale, event, base } = scopeOf(request);
  const options = { ...fixedOptions(locale), timezones: timezoneOptions(locale, request.server.now(), single(state.values, 'timezone') ?? event.timezone) };
  const form = formView(EVENT_FORM, {
    locale, values: state.values, errors: state.errors, current: state.current, options, languages: event.languages,
    defaultLanguage: event.defaultLanguage,
  });
  return render(request, reply, 'workspace/form', state.status, {
    title: translate(locale, 'admin.nav.settings'),
    section: 'settings',
    intro: translate(locale, 'admin.settings.intro', { slug: event.slug }),
    stale: staleMessage(locale, state),
    formError: state.formError ?? null,
    errorSummary: form.errorSummary,
    form: { action: `${base}/settings`, version: state.values.version, fields: form.fields, submitLabel: translate(locale, 'admin.form.save') },
  });
}

export default async function eventRoutes(app: FastifyInstance) {
  app.get('/', { schema: { querystring: PageQuery } }, async (request, reply) =>
    showHome(request, reply, { status: 200, values: { languages: ['fr', 'en', 'es'], defaultLanguage: 'fr', timezone: defaultZone(request) } }));
  app.post('/events', { schema: { querystring: PageQuery }, preValidation: app.csrfProtection, config: { access: 'every-event' } }, createOne);

  app.get('/events/:slug/settings', { schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) =>
    showSettings(request, reply, { status: 200, values: fromEntity(EVENT_FORM, eventRepresentation(scopeOf(request).event)) }));
  app.post('/events/:slug/settings', { schema: { params: EventParams, querystring: PageQuery }, preValidation: app.csrfProtection }, async (request, reply) => {
    const scope = scopeOf(request);
    const values = readForm(EVENT_FORM, request.body);
    return save(request, reply, scope.locale, {
      form: EVENT_FORM, mode: 'patch', values, entity: 'event', entityId: scope.event.publicId,
      show: (state) => showSettings(request, reply, state),
      write: (body) => updateEvent(writeContext(request), [versionOf(values) ?? 0], body as EventPatchBody),
      done: () => `${scope.base}/settings?saved=updated`,
    });
  });
}
