// The release page of the workspace: what the next release would change (and the conflicts in
// it), the form that makes it, the versions released; and the preview switch.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { EventRow } from '../../domains/programme/repository.ts';
import { RELEASE_NAME_MAX } from '../../domains/releases/schemas.ts';
import { getReleaseHistory, pendingRelease, releaseNote, releaseProgramme } from '../../domains/releases/service.ts';
import { listOutbox } from '../../domains/messaging/outbox.ts';
import { LANGUAGES, type Language, type LocalizedText } from '../../db/schema.ts';
import { ConflictError, UnprocessableError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { setPreviewCookie } from '../shared/preview.ts';
import { ReleasePresenter } from '../shared/release-presenter.ts';
import { render, scopeOf } from './kit.ts';
import { conflictViews } from './conflicts.ts';
import { assembleProgramme } from '../../domains/programme/assemble.ts';
import { EventParams } from '../shared/schemas.ts';
import { LangOnly } from './schemas.ts';

const NOTE_MAX = 2000;

/**
 * Who released, as the page names them. The loader of data/ stores this fixed value as the
 * first release's actor (interop/bundled.ts); it is a key of sorts, read in the page's language.
 */
const BUNDLED_ACTOR = 'bundled programme (data/)';
const actorName = (actor: string | null, locale: Language) => (actor === BUNDLED_ACTOR ? translate(locale, 'release.actor.bundled') : actor ?? undefined);

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

/**
 * Checks what a schema cannot say of the form, and turns it into the domain's input, or into
 * the page's messages by field ("name", "note.fr").
 */
function releaseInput(values: ReleaseFormValues, locale: Language, event: EventRow): { name: string; note: LocalizedText | null } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const name = values.name.trim();
  if (name === '') errors.name = translate(locale, 'release.error.nameRequired');
  else if (name.length > RELEASE_NAME_MAX || /[\x00-\x1f\x7f]/.test(name)) errors.name = translate(locale, 'release.error.nameInvalid', { max: RELEASE_NAME_MAX });
  for (const language of LANGUAGES) {
    if (values.note[language].trim().length > NOTE_MAX) errors[`note.${language}`] = translate(locale, 'release.error.noteLength', { max: NOTE_MAX });
  }
  if (Object.keys(errors).length > 0) return { errors };
  // The domain's rule (trimmed, blank dropped, default language required), with the page's words.
  try {
    return { name, note: releaseNote(values.note, event.defaultLanguage) };
  } catch (error) {
    if (!(error instanceof UnprocessableError)) throw error;
    const language = event.defaultLanguage;
    return { errors: { [`note.${language}`]: translate(locale, 'release.error.noteDefaultLanguage', { language: translate(locale, `language.${language}`) }) } };
  }
}

function draftsNotice(request: FastifyRequest, locale: Language) {
  const { event, base } = scopeOf(request);
  const drafts = listOutbox(request.server.db, event).counts.draft ?? 0;
  return drafts === 0 ? null : { text: translate(locale, drafts === 1 ? 'outbox.release.draftsOne' : 'outbox.release.drafts', { count: drafts }), href: `${base}/outbox` };
}

function releasePage(request: FastifyRequest, reply: FastifyReply, status: number, form: {
  values: ReleaseFormValues; errors?: Record<string, string>; failure?: string | null; saved?: boolean; prefill?: boolean;
}) {
  const scope = scopeOf(request);
  const { event, locale } = scope;
  const db = request.server.db;
  const now = request.server.now();
  const presenter = new ReleasePresenter(event, locale);
  const pending = pendingRelease(db, event, now);
  const errors = form.errors ?? {};
  return render(request, reply, 'workspace/releases', status, {
    title: translate(locale, 'release.title'),
    section: 'releases',
    action: `/admin/events/${encodeURIComponent(event.slug)}/releases`,
    previewAction: `/admin/events/${encodeURIComponent(event.slug)}/preview`,
    publicUrl: `/events/${encodeURIComponent(event.slug)}`,
    saved: form.saved ?? false,
    // Drafts waiting for review (a release's messages to its contributors, by default): said beside the release, with the way to them.
    drafts: draftsNotice(request, locale),
    failure: form.failure ?? null,
    errorList: Object.entries(errors).map(([field, message]) => ({ field, message })),
    nameError: errors.name ?? null,
    noteFields: LANGUAGES.map((language) => ({
      language,
      label: translate(locale, `language.${language}`),
      value: form.values.note[language],
      error: errors[`note.${language}`] ?? null,
    })),
    // The next version's number, filled in (a placeholder would look filled in and be sent empty): one click publishes it.
    name: form.prefill ? String((pending.previous?.sequence ?? 0) + 1) : form.values.name,
    suggestedName: String((pending.previous?.sequence ?? 0) + 1),
    previous: pending.previous ? { name: pending.previous.name } : null,
    hasChanges: pending.hasChanges,
    pending: {
      summary: presenter.release({
        publicId: '', sequence: (pending.previous?.sequence ?? 0) + 1, name: '', note: null, releasedAt: now, changes: [...pending.changes, ...pending.edits],
      }),
      // In the page's language, names as the programme gives them (the API keeps the domain's English messages).
      conflicts: conflictViews(scope, assembleProgramme(pending.rows), pending.conflicts).list.map((c) => c.message),
    },
    history: getReleaseHistory(db, event).map((r) => presenter.release({ ...r, actor: actorName(r.actor, locale) })),
  });
}


export default async function releaseRoutes(fastify: FastifyInstance, options: { secureCookies: boolean }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const emptyValues = (): ReleaseFormValues => ({ name: '', note: { fr: '', en: '', es: '' } });

  app.get('/events/:slug/releases', {
    schema: { params: EventParams, querystring: Type.Object({ lang: LangOnly.properties.lang, saved: Type.Optional(Type.String({ maxLength: 10 })) }) },
  }, async (request, reply) => releasePage(request, reply, 200, { values: emptyValues(), saved: request.query.saved === '1', prefill: true }));

  app.post('/events/:slug/releases', { schema: { params: EventParams, body: ReleaseForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    const { event, user, locale, base } = scopeOf(request);
    const body = request.body;
    const values: ReleaseFormValues = { name: body.name, note: { fr: body['note.fr'] ?? '', en: body['note.en'] ?? '', es: body['note.es'] ?? '' } };
    const input = releaseInput(values, locale, event);
    if ('errors' in input) return releasePage(request, reply, 422, { values, errors: input.errors });
    try {
      releaseProgramme(app.db, event, { id: user.id, name: user.name }, input, app.now(), { notify: { publicUrl: app.publicUrl } });
    } catch (error) {
      if (error instanceof ConflictError) {
        const failure = translate(locale, error.problem === 'duplicate' ? 'release.error.duplicate' : 'release.nothing', { name: values.name.trim() });
        return releasePage(request, reply, 409, { values, failure, errors: error.problem === 'duplicate' ? { name: failure } : {} });
      }
      throw error;
    }
    return reply.redirect(`${base}/releases?saved=1`, 303);
  });

  // The preview switch: on, the organiser reads the event's public pages as the working copy.
  app.post('/events/:slug/preview', { schema: { params: EventParams, body: PreviewForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    const { event, base } = scopeOf(request);
    const on = request.body.preview === 'on';
    setPreviewCookie(reply, on, options.secureCookies);
    return reply.redirect(on ? `/events/${encodeURIComponent(event.slug)}` : base, 303);
  });
}
