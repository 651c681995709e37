// Release pages: the public changelog of an event, and for its organisers the page that shows
// what the next release would change and makes it, and the preview switch.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { adminNavFor } from './routes.ts';
import { csrfToken, requireOrganiserOf, requireUser } from '../shared/auth.ts';
import { LANGUAGES, type Language, type LocalizedText } from '../../db/schema.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { findEventBySlug, type EventRow } from '../../domains/programme/repository.ts';
import { EventParams, LangQuery } from '../shared/schemas.ts';
import { ReleasePresenter } from '../shared/release-presenter.ts';
import { setPreviewCookie } from '../shared/preview.ts';
import { RELEASE_NAME_MAX } from '../../domains/releases/schemas.ts';
import { getPublishedProgramme, getReleaseHistory, pendingRelease, releaseNote, releaseProgramme } from '../../domains/releases/service.ts';

const NOTE_MAX = 2000;

const ReleaseForm = Type.Object({
  _csrf: Type.String({ maxLength: 200 }),
  name: Type.String({ maxLength: 1000 }),
  'note.fr': Type.Optional(Type.String({ maxLength: 10000 })),
  'note.en': Type.Optional(Type.String({ maxLength: 10000 })),
  'note.es': Type.Optional(Type.String({ maxLength: 10000 })),
});

const PreviewForm = Type.Object({
  _csrf: Type.String({ maxLength: 200 }),
  preview: Type.Enum(['on', 'off']),
});

interface ReleaseFormValues {
  name: string;
  note: Record<Language, string>;
}

/** The event of an organiser's page: 404 if unknown, 401 anonymous, 403 for anyone who does not organise it. */
function organisedEvent(request: FastifyRequest, slug: string) {
  // Signed in first: an anonymous visitor learns nothing, not even whether the event exists.
  requireUser(request);
  const event = findEventBySlug(request.server.db, slug);
  if (!event) throw new NotFoundError('event', slug);
  return { event, user: requireOrganiserOf(request, event) };
}

/** Checks what a schema cannot say of the form, and turns it into the service's input. */
function releaseInput(values: ReleaseFormValues, locale: Language, event: EventRow): { name: string; note: LocalizedText | null } {
  const errors: { pointer: string; detail: string }[] = [];
  const name = values.name.trim();
  if (name === '') errors.push({ pointer: '#/name', detail: translate(locale, 'release.error.nameRequired') });
  else if (name.length > RELEASE_NAME_MAX || /[\x00-\x1f\x7f]/.test(name)) {
    errors.push({ pointer: '#/name', detail: translate(locale, 'release.error.nameInvalid', { max: RELEASE_NAME_MAX }) });
  }
  for (const language of LANGUAGES) {
    if (values.note[language].trim().length > NOTE_MAX) {
      errors.push({ pointer: `#/note/${language}`, detail: translate(locale, 'release.error.noteLength', { max: NOTE_MAX }) });
    }
  }
  if (errors.length > 0) throw new UnprocessableError(errors);
  // The service's rule (trimmed, blank dropped, default language required), with the page's words.
  try {
    return { name, note: releaseNote(values.note, event.defaultLanguage) };
  } catch (error) {
    if (!(error instanceof UnprocessableError)) throw error;
    const language = event.defaultLanguage;
    throw new UnprocessableError([{
      pointer: `#/note/${language}`,
      detail: translate(locale, 'release.error.noteDefaultLanguage', { language: translate(locale, `language.${language}`) }),
    }]);
  }
}

export default async function releaseRoutes(fastify: FastifyInstance, options: { secureCookies: boolean }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/events/:slug/changes', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const { event } = getPublishedProgramme(app.db, request.params.slug);
    const locale = requestLocale(request, event.defaultLanguage);
    const presenter = new ReleasePresenter(event, locale);
    return reply.page('releases/changes', locale, {
      title: translate(locale, 'changes.title'),
      event: presenter.presenter.eventSummary(),
      section: 'changes',
      releases: getReleaseHistory(app.db, event).map((r) => presenter.release(r)),
    });
  });

  // ---- Organisers

  function releasePage(request: FastifyRequest, reply: FastifyReply, event: EventRow, status: number, form: {
    values: ReleaseFormValues; errors?: Record<string, string>; failure?: string | null; saved?: boolean;
  }) {
    const locale = requestLocale(request, event.defaultLanguage);
    const presenter = new ReleasePresenter(event, locale);
    const pending = pendingRelease(app.db, event, app.now());
    const history = getReleaseHistory(app.db, event);
    const errors = form.errors ?? {};
    reply.header('Cache-Control', 'no-store').header('X-Robots-Tag', 'noindex');
    return reply.code(status).page('releases/admin', locale, {
      title: translate(locale, 'release.title'),
      noindex: true,
      admin: true,
      adminNav: adminNavFor(request, reply, event, 'releases'),
      csrfToken: csrfToken(reply),
      action: `/admin/events/${encodeURIComponent(event.slug)}/releases`,
      previewAction: `/admin/events/${encodeURIComponent(event.slug)}/preview`,
      publicUrl: `/events/${encodeURIComponent(event.slug)}`,
      saved: form.saved ?? false,
      failure: form.failure ?? null,
      errorList: Object.entries(errors).map(([field, message]) => ({ field, message })),
      nameError: errors.name ?? null,
      noteFields: LANGUAGES.map((language) => ({
        language,
        label: translate(locale, `language.${language}`),
        value: form.values.note[language],
        error: errors[`note.${language}`] ?? null,
      })),
      name: form.values.name,
      suggestedName: String((pending.previous?.sequence ?? 0) + 1),
      previous: pending.previous ? { name: pending.previous.name } : null,
      hasChanges: pending.hasChanges,
      pending: {
        summary: presenter.release({
          publicId: '', sequence: (pending.previous?.sequence ?? 0) + 1, name: '', note: null, releasedAt: app.now(), changes: pending.changes,
        }),
        conflicts: pending.conflicts.map((c) => c.message),
      },
      history: history.map((r) => presenter.release(r)),
    });
  }

  const emptyValues = (): ReleaseFormValues => ({ name: '', note: { fr: '', en: '', es: '' } });

  app.get('/admin/events/:slug/releases', {
    schema: { params: EventParams, querystring: Type.Object({ lang: LangQuery.properties.lang, saved: Type.Optional(Type.String({ maxLength: 10 })) }) },
  }, async (request, reply) => {
    const { event } = organisedEvent(request, request.params.slug);
    return releasePage(request, reply, event, 200, { values: emptyValues(), saved: request.query.saved === '1' });
  });

  app.post('/admin/events/:slug/releases', {
    schema: { params: EventParams, body: ReleaseForm },
    preValidation: app.csrfProtection,
  }, async (request, reply) => {
    const { event, user } = organisedEvent(request, request.params.slug);
    const locale = requestLocale(request, event.defaultLanguage);
    const body = request.body;
    const values: ReleaseFormValues = { name: body.name, note: { fr: body['note.fr'] ?? '', en: body['note.en'] ?? '', es: body['note.es'] ?? '' } };
    try {
      releaseProgramme(app.db, event, { id: user.id, name: user.name }, releaseInput(values, locale, event), app.now());
    } catch (error) {
      if (error instanceof UnprocessableError) {
        const errors = Object.fromEntries(error.errors.map((e) => [e.pointer.slice(2).replace('/', '.'), e.detail]));
        return releasePage(request, reply, event, 422, { values, errors });
      }
      if (error instanceof ConflictError) {
        const failure = translate(locale, error.problem === 'duplicate' ? 'release.error.duplicate' : 'release.error.nothing', { name: values.name.trim() });
        return releasePage(request, reply, event, 409, { values, failure, errors: error.problem === 'duplicate' ? { name: failure } : {} });
      }
      throw error;
    }
    return reply.redirect(`/admin/events/${encodeURIComponent(event.slug)}/releases?saved=1`, 303);
  });

  // The preview switch: on, the organiser reads the event's public pages as the working copy.
  app.post('/admin/events/:slug/preview', {
    schema: { params: EventParams, body: PreviewForm },
    preValidation: app.csrfProtection,
  }, async (request, reply) => {
    const { event } = organisedEvent(request, request.params.slug);
    const on = request.body.preview === 'on';
    setPreviewCookie(reply, on, options.secureCookies);
    return reply.redirect(on ? `/events/${encodeURIComponent(event.slug)}` : `/admin/events/${encodeURIComponent(event.slug)}`, 303);
  });
}
