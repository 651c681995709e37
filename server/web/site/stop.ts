// The link at the foot of every message the server sends (and its List-Unsubscribe header):
// /stop/<token> says which address it is for, and one button stops every message to that
// address from then on. The token is the capability: random, one per message, so the form
// carries no CSRF token, and mail programs may post to it with nothing but the body that
// RFC 8058 gives them ("List-Unsubscribe=One-Click"), with no cookie and no page read first.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { stopMessages, stopTarget } from '../../domains/messaging/outbox.ts';
import type { Language } from '../../db/schema.ts';
import { NotFoundError } from '../../errors.ts';
import { isLanguage, translate } from '../../i18n/index.ts';
import { LangQuery } from '../shared/schemas.ts';

const StopParams = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]{20,100}$' }) });

/**
 * What a mail program sends (RFC 8058: exactly "List-Unsubscribe=One-Click"), which the page's
 * own form sends too; nothing else is needed, or read.
 */
const StopForm = Type.Object({ 'List-Unsubscribe': Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false });

/** The page in the language of the message the link came with, unless the reader chose another (?lang=). */
function localeOf(request: FastifyRequest, messageLanguage: Language): Language {
  const lang = (request.query as { lang?: unknown }).lang;
  return isLanguage(lang) ? lang : messageLanguage;
}

function stopPage(reply: FastifyReply, locale: Language, context: Record<string, unknown>) {
  return reply.code(200).page('site/stop', locale, { title: translate(locale, 'stop.title'), noindex: true, ...context });
}

export default async function stopRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // Some mail programs post the one-click body as multipart/form-data (RFC 8058 allows it): its
  // content changes nothing, so it is read (a few bytes at most) and set aside.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) => done(null, {}));
  // Never kept by a cache (the address is in the page), never indexed, refusals included.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('Cache-Control', 'no-store').header('X-Robots-Tag', 'noindex');
  });

  app.get('/stop/:token', { schema: { params: StopParams, querystring: LangQuery } }, async (request, reply) => {
    const target = stopTarget(app.db, request.params.token);
    if (!target) throw new NotFoundError('stop link', '');
    const locale = localeOf(request, target.language);
    return stopPage(reply, locale, { email: target.email, action: `/stop/${request.params.token}` });
  });

  app.post('/stop/:token', {
    schema: { params: StopParams, querystring: LangQuery, body: StopForm },
    // A post with no body at all (a mail program that reads RFC 8058 loosely) stops the messages too.
    preValidation: async (request) => { request.body ??= {}; },
  }, async (request, reply) => {
    const target = stopMessages(app.db, request.params.token, app.now());
    if (!target) throw new NotFoundError('stop link', '');
    return stopPage(reply, localeOf(request, target.language), { email: target.email, stopped: true });
  });
}
