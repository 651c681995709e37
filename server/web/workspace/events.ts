// The workspace's home (the events one organises, and for organisers of every event the form
// that creates one) and an event's settings.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isOrganiserOfAll, organises } from '../../domains/accounts/permissions.ts';
import { createEvent, EVENT_FIELDS, eventSchemas, updateEvent, type EventCreateBody, type EventPatchBody } from '../../domains/programme/events.ts';
import { listEvents } from '../../domains/programme/repository.ts';
import { eventRepresentation } from '../../domains/programme/write.ts';
import { ConflictError, UnprocessableError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { checkBody, formErrors } from '../shared/forms/check.ts';
import { field, type FieldDef, type FormSpec } from '../shared/forms/fields.ts';
import { fromEntity, readForm, toBody, versionOf } from '../shared/forms/read.ts';
import { fixedOptions, formView } from '../shared/forms/view.ts';
import { Presenter } from '../shared/presenter.ts';
import { render, save, scopeOf, staleMessage, userOf, writeContext, type FormState } from './kit.ts';
import { EventParams } from '../shared/schemas.ts';
import { PageQuery } from './schemas.ts';

const f = EVENT_FIELDS;
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
    field(f, 'venue', { label: 'event.venue' }), common.city!, common.country!, common.timezone!, common.defaultLanguage!, common.languages!,
    common.startDate!, common.endDate!,
  ],
  schemas: { create: eventSchemas.create, patch: eventSchemas.patch },
};

/** A new event: its address and what it cannot be without. */
const NEW_EVENT_FORM: FormSpec = {
  fields: [
    { name: 'slug', type: 'text', label: 'admin.field.slug', maxLength: 60, required: true, hint: 'admin.hint.slug' },
    common.title!, common.startDate!, common.endDate!, common.timezone!, common.defaultLanguage!, common.languages!, common.city!, common.country!,
  ],
  schemas: { create: eventSchemas.create, patch: eventSchemas.patch },
};

function showHome(request: FastifyRequest, reply: FastifyReply, state: FormState) {
  const user = userOf(request);
  const locale = requestLocale(request);
  const events = listEvents(request.server.db).filter((e) => organises(user, e.id)).map((e) => ({
    ...new Presenter(e, locale).eventSummary(), adminUrl: `/admin/events/${e.slug}`,
  }));
  const form = isOrganiserOfAll(user) ? formView(NEW_EVENT_FORM, { locale, values: state.values, errors: state.errors, options: fixedOptions(locale) }) : null;
  return render(request, reply, 'workspace/home', state.status, {
    title: translate(locale, 'account.home.organiser'),
    events,
    form: form && { action: '/admin/events', fields: form.fields, submitLabel: translate(locale, 'admin.home.createEvent') },
    errorSummary: form?.errorSummary ?? [],
    formError: state.formError ?? null,
  });
}

async function createOne(request: FastifyRequest, reply: FastifyReply) {
  const user = userOf(request);
  const locale = requestLocale(request);
  const values = readForm(NEW_EVENT_FORM, request.body);
  const result = toBody(NEW_EVENT_FORM, 'create', values);
  const invalid = checkBody(NEW_EVENT_FORM, 'create', result.body);
  if (result.errors.length > 0 || invalid.length > 0) return showHome(request, reply, { status: 422, values, errors: formErrors(locale, result, result.errors, invalid) });
  try {
    const created = createEvent(request.server.db, { id: user.id, name: user.name }, result.body as unknown as EventCreateBody, request.server.now());
    return reply.redirect(`/admin/events/${created.data.slug as string}?saved=eventCreated`, 303);
  } catch (error) {
    if (error instanceof UnprocessableError) return showHome(request, reply, { status: 422, values, errors: formErrors(locale, result, error.errors) });
    if (error instanceof ConflictError) return showHome(request, reply, { status: 409, values, errors: new Map([['slug', translate(locale, 'admin.error.slugTaken')]]) });
    throw error;
  }
}

function showSettings(request: FastifyRequest, reply: FastifyReply, state: FormState) {
  const { locale, event, base } = scopeOf(request);
  const form = formView(EVENT_FORM, {
    locale, values: state.values, errors: state.errors, current: state.current, options: fixedOptions(locale), languages: event.languages,
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
    showHome(request, reply, { status: 200, values: { languages: ['fr', 'en', 'es'], defaultLanguage: 'fr' } }));
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
