// Accounts, for organisers of every event: the list, and the form that creates one.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../domains/accounts/passwords.ts';
import { listUsers } from '../../domains/accounts/repository.ts';
import { createUser, EMAIL_PATTERN } from '../../domains/accounts/service.ts';
import { setUserLanguage } from '../../domains/messaging/repository.ts';
import { findEventBySlug, listEvents } from '../../domains/programme/repository.ts';
import { Slug } from '../../domains/programme/schemas.ts';
import { USER_ROLES, type Language } from '../../db/schema.ts';
import { ConflictError, UnprocessableError } from '../../errors.ts';
import { isLanguage, translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { checkBody, formErrors } from '../shared/forms/check.ts';
import type { FormSpec } from '../shared/forms/fields.ts';
import { readForm, toBody } from '../shared/forms/read.ts';
import { fixedOptions, formView } from '../shared/forms/view.ts';
import { Presenter } from '../shared/presenter.ts';
import { languageOptions } from './contacts.ts';
import { render, type FormState } from './kit.ts';
import { PageQuery } from './schemas.ts';

/** Accounts are made by createUser, which checks them again; this keeps the form's checks in the same shape. */
const UserSchema = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254, pattern: EMAIL_PATTERN }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Type.Enum(USER_ROLES),
  event: Type.Union([Slug, Type.Null()]),
  password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH }),
}, { additionalProperties: false });

const USER_FORM: FormSpec = {
  fields: [
    { name: 'email', type: 'email', label: 'field.email', required: true, maxLength: 254, autocomplete: 'off' },
    { name: 'name', type: 'text', label: 'field.name', required: true, maxLength: 200 },
    { name: 'role', type: 'select', label: 'admin.field.role', options: 'userRoles', required: true },
    { name: 'event', type: 'select', label: 'admin.field.userEvent', options: 'events', nullable: true, hint: 'admin.hint.userEvent', noneLabel: 'admin.form.allEvents' },
    { name: 'password', type: 'password', label: 'admin.field.initialPassword', required: true, maxLength: PASSWORD_MAX_LENGTH, autocomplete: 'new-password', hint: 'admin.hint.password' },
  ],
  schemas: { create: UserSchema, patch: UserSchema },
  adjust: (body, mode) => {
    if (mode === 'create' && body.event === undefined) body.event = null;
  },
};

/**
 * The language the server writes to each account in (a rapporteur's news, an organiser's
 * warnings): one select a row, one button. Each row carries the value it was shown with, so that
 * only what this organiser changed is written.
 */
const LanguagesForm = Type.Object({ _csrf: Type.String({ maxLength: 200 }) }, {
  additionalProperties: false,
  patternProperties: { '^(?:language|wasLanguage)\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$': Type.Enum(['', 'fr', 'en', 'es']) },
  maxProperties: 20_001,
});

function showUsers(request: FastifyRequest, reply: FastifyReply, state: FormState) {
  const locale = requestLocale(request);
  const events = listEvents(request.server.db);
  const byId = new Map(events.map((e) => [e.id, e]));
  const titleOf = (e: (typeof events)[number]) => new Presenter(e, locale).text(e.title);
  const options = {
    ...fixedOptions(locale),
    events: events.map((e) => {
      const title = titleOf(e);
      return { value: e.slug, label: title?.text ?? e.slug, lang: title && title.lang !== locale ? title.lang : undefined };
    }),
  };
  const form = formView(USER_FORM, { locale, values: state.values, errors: state.errors, options });
  const eventLanguage = translate(locale, 'outbox.users.eventLanguage');
  const users = listUsers(request.server.db).map((u) => {
    const event = u.eventId === null ? null : byId.get(u.eventId) ?? null;
    return {
      id: u.publicId,
      language: u.language ?? '',
      languageLabel: translate(locale, 'contacts.languageOf', { name: u.name }),
      languageOptions: languageOptions(locale, u.language ?? '', eventLanguage),
      name: u.name,
      email: u.email,
      role: translate(locale, `admin.userRole.${u.role}`),
      scope: u.role === 'rapporteur'
        ? translate(locale, 'admin.users.assignedSessions')
        : event ? titleOf(event)?.text ?? event.slug : translate(locale, 'admin.form.allEvents'),
    };
  });
  return render(request, reply, 'workspace/users', state.status, {
    title: translate(locale, 'admin.users.title'),
    users,
    languagesAction: '/admin/users/languages',
    errorSummary: form.errorSummary,
    formError: state.formError ?? null,
    form: { action: '/admin/users', fields: form.fields, submitLabel: translate(locale, 'admin.users.create') },
  });
}

async function createOne(request: FastifyRequest, reply: FastifyReply) {
  const locale = requestLocale(request);
  const values = readForm(USER_FORM, request.body);
  const result = toBody(USER_FORM, 'create', values);
  const invalid = checkBody(USER_FORM, 'create', result.body);
  if (result.errors.length > 0 || invalid.length > 0) return showUsers(request, reply, { status: 422, values, errors: formErrors(locale, result, result.errors, invalid) });
  const body = result.body as { email: string; name: string; role: 'organiser' | 'rapporteur'; event: string | null; password: string };
  const event = body.event === null ? null : findEventBySlug(request.server.db, body.event);
  if (body.event !== null && !event) return showUsers(request, reply, { status: 422, values, errors: new Map([['event', translate(locale, 'admin.error.unknown')]]) });
  try {
    await createUser(request.server.db, { email: body.email, name: body.name, password: body.password, role: body.role, eventId: event?.id ?? null }, request.server.now());
  } catch (error) {
    if (error instanceof UnprocessableError) return showUsers(request, reply, { status: 422, values, errors: formErrors(locale, result, error.errors) });
    if (error instanceof ConflictError) return showUsers(request, reply, { status: 409, values, errors: new Map([['email', translate(locale, 'admin.error.emailTaken')]]) });
    throw error;
  }
  return reply.redirect('/admin/users?saved=userCreated', 303);
}

/** Writes the languages this organiser changed; a row someone else changed meanwhile keeps theirs. */
async function saveLanguages(request: FastifyRequest, reply: FastifyReply) {
  const body = request.body as Record<string, string | undefined>;
  const db = request.server.db;
  const now = request.server.now();
  const stale = db.transaction(() => {
    let skipped = 0;
    for (const user of listUsers(db)) {
      const chosen = body[`language.${user.publicId}`];
      const was = body[`wasLanguage.${user.publicId}`] ?? '';
      if (chosen === undefined || chosen === was) continue;
      if ((user.language ?? '') !== was) {
        skipped += 1;
        continue;
      }
      setUserLanguage(db, user.id, isLanguage(chosen) ? chosen as Language : null, now);
    }
    return skipped;
  }, { behavior: 'immediate' });
  return reply.redirect(`/admin/users?saved=${stale > 0 ? 'languagesStale' : 'languagesSaved'}`, 303);
}

export default async function userRoutes(app: FastifyInstance) {
  const config = { access: 'every-event' as const };
  app.get('/users', { schema: { querystring: PageQuery }, config }, async (request, reply) => showUsers(request, reply, { status: 200, values: { role: 'rapporteur' } }));
  app.post('/users', { schema: { querystring: PageQuery }, config, preValidation: app.csrfProtection }, createOne);
  app.post('/users/languages', { schema: { querystring: PageQuery, body: LanguagesForm }, config, preValidation: app.csrfProtection }, saveLanguages);
}
