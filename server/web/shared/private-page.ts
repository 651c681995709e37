// A page for one person: a form (it carries a CSRF token) or a signed-in person's workspace.
// Such a page is never stored by a cache and never indexed, and may show the confirmation a
// redirect asked for (?saved=…). The workspace, the rapporteur's pages and the sign-in pages
// render through it; each says only its own context and its own list of confirmations.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '../../db/schema.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import type { PageContext } from '../../plugins/views.ts';
import { csrfToken } from './auth.ts';

/** The confirmations a front-end's redirects may ask for: a name in ?saved=, its words. */
export type Confirmations = Readonly<Record<string, MessageKey>>;

/**
 * The words of the confirmation the address asks for, or null: ?saved= comes from the address,
 * so only a name of the list has words, and only a page that succeeded shows them.
 */
export function confirmationOf(request: FastifyRequest, status: number, locale: Language, confirmations: Confirmations): string | null {
  const saved = (request.query as { saved?: unknown } | undefined)?.saved;
  if (status >= 300 || typeof saved !== 'string' || !Object.hasOwn(confirmations, saved)) return null;
  return translate(locale, confirmations[saved]!);
}

/** Renders a private page: private, no-store, noindex, the CSRF token of its forms, then the page's context. */
export function privatePage(reply: FastifyReply, template: string, locale: Language, status: number, context: PageContext) {
  reply.header('Cache-Control', 'private, no-store').header('X-Robots-Tag', 'noindex');
  return reply.code(status).page(template, locale, { noindex: true, csrfToken: csrfToken(reply), ...context });
}
