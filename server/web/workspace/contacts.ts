// The contacts of an event's people: the address the server writes to when a release changes
// someone's sessions, and the language it writes in. Private to the organisers (a table of its
// own, never read by a public page, feed, export or release). One form for every person, one
// button: each row carries the values it was shown with, so that only the rows the organiser
// changed are written, and a row someone else changed meanwhile is not silently replaced.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { checkedEmail, contactsOf, setContact } from '../../domains/messaging/outbox.ts';
import { LANGUAGES, type Language } from '../../db/schema.ts';
import { UnprocessableError } from '../../errors.ts';
import { isLanguage, translate } from '../../i18n/index.ts';
import { fieldErrorMessage } from '../shared/forms/check.ts';
import { EventParams } from '../shared/schemas.ts';
import { outboxContext } from './outbox.ts';
import { render, scopeOf, type Scope } from './kit.ts';
import { LangOnly, PageQuery } from './schemas.ts';

const ROW_FIELD = '^(?:email|language|wasEmail|wasLanguage)\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** Four fields a person; the bound keeps a forged form of a million fields out. */
export const ContactsForm = Type.Object({ _csrf: Type.String({ maxLength: 200 }) }, {
  additionalProperties: false, patternProperties: { [ROW_FIELD]: Type.String({ maxLength: 254 }) }, maxProperties: 40_001,
});

interface Row {
  id: string;
  name: string;
  email: string;
  language: string;
  wasEmail: string;
  wasLanguage: string;
}

/** The language select of a row, for a person or an account: the event's language first. */
export function languageOptions(locale: Language, chosen: string, eventLanguage: string) {
  return [
    { value: '', label: eventLanguage, selected: chosen === '' },
    ...LANGUAGES.map((code) => ({ value: code, label: translate(locale, `language.${code}`), code, selected: chosen === code })),
  ];
}

function contactsPage(request: FastifyRequest, reply: FastifyReply, status: number, rows: Row[], state: { errors?: Map<string, string>; stale?: string[] } = {}) {
  const scope: Scope = scopeOf(request);
  const { locale, base, event } = scope;
  const errors = state.errors ?? new Map<string, string>();
  const eventLanguage = translate(locale, 'contacts.eventLanguage', { language: translate(locale, `language.${event.defaultLanguage}`) });
  return render(request, reply, 'workspace/contacts', status, {
    title: translate(locale, 'contacts.title'),
    section: 'contacts',
    action: `${base}/contacts`,
    peopleUrl: `${base}/people`,
    alert: state.stale?.length ? translate(locale, 'contacts.stale', { names: state.stale.join(', ') }) : null,
    errorSummary: rows.filter((r) => errors.has(r.id)).map((r) => ({ href: `#email-${r.id}`, text: translate(locale, 'contacts.errorOf', { name: r.name, message: errors.get(r.id)! }) })),
    rows: rows.map((r) => ({
      ...r,
      error: errors.get(r.id) ?? null,
      emailLabel: translate(locale, 'contacts.emailOf', { name: r.name }),
      languageLabel: translate(locale, 'contacts.languageOf', { name: r.name }),
      options: languageOptions(locale, r.language, eventLanguage),
    })),
  });
}

/** The rows as saved now. */
function savedRows(request: FastifyRequest): Row[] {
  return contactsOf(request.server.db, scopeOf(request).event).map((c) => ({
    id: c.person, name: c.name, email: c.email ?? '', language: c.language ?? '', wasEmail: c.email ?? '', wasLanguage: c.language ?? '',
  }));
}

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export default async function contactRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/events/:slug/contacts', { schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) =>
    contactsPage(request, reply, 200, savedRows(request)));

  app.post('/events/:slug/contacts', { schema: { params: EventParams, querystring: LangOnly, body: ContactsForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    const { locale, base } = scopeOf(request);
    const body = request.body as Record<string, string | undefined>;
    const saved = savedRows(request);
    const errors = new Map<string, string>();
    const stale: Row[] = [];
    const changes: { id: string; email: string | null; language: Language | null }[] = [];
    // What the form shows again on a refusal: what was typed, over what was saved.
    const rows = saved.map((now) => {
      const typed: Row = {
        ...now,
        email: body[`email.${now.id}`] ?? now.email, language: body[`language.${now.id}`] ?? now.language,
        wasEmail: body[`wasEmail.${now.id}`] ?? now.email, wasLanguage: body[`wasLanguage.${now.id}`] ?? now.language,
      };
      if (sameEmail(typed.email, typed.wasEmail) && typed.language === typed.wasLanguage) return typed;
      // Changed here, and by someone else since the page was read: theirs is shown, nothing of this row written.
      if (!sameEmail(now.email, typed.wasEmail) || now.language !== typed.wasLanguage) {
        stale.push(now);
        return now;
      }
      if (typed.language !== '' && !isLanguage(typed.language)) {
        errors.set(now.id, translate(locale, 'admin.error.choice'));
        return typed;
      }
      const email = typed.email.trim() === '' ? null : typed.email;
      if (email !== null) {
        try {
          checkedEmail(email, '#/email');
        } catch (error) {
          if (!(error instanceof UnprocessableError)) throw error;
          errors.set(now.id, fieldErrorMessage(locale, error.errors[0]!));
          return typed;
        }
      }
      changes.push({ id: now.id, email, language: typed.language === '' ? null : typed.language as Language });
      return typed;
    });
    if (errors.size > 0 || stale.length > 0) return contactsPage(request, reply, errors.size > 0 ? 422 : 409, rows, { errors, stale: stale.map((r) => r.name) });
    const ctx = outboxContext(request);
    // One save: every changed row, or none (setContact's own transactions nest as savepoints).
    app.db.transaction(() => {
      for (const change of changes) setContact(ctx, change.id, { email: change.email, language: change.language });
    }, { behavior: 'immediate' });
    return reply.redirect(`${base}/contacts?saved=contactsSaved`, 303);
  });
}
