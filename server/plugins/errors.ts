// One place turns every error into an answer: a page in the site layout for people,
// application/problem+json for the API. A 5xx never shows its message or stack.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { BadRequestError, HttpError } from '../errors.ts';
import { translate } from '../i18n/index.ts';
import { requestLocale } from '../i18n/request.ts';

/** Longer addresses are refused before routing: no page of ours needs one. */
export const MAX_URL_LENGTH = 2048;

const TITLE_KEYS: Record<number, string> = {
  400: 'errors.badRequest.title',
  403: 'errors.forbidden.title',
  404: 'errors.notFound.title',
  429: 'errors.tooMany.title',
  500: 'errors.server.title',
};

function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/** Answers with the error page, or problem+json under /api/. */
export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, detail: string | null) {
  const locale = requestLocale(request);
  const titleKey = TITLE_KEYS[status] ?? (status >= 500 ? 'errors.server.title' : 'errors.badRequest.title');
  const title = translate(locale, titleKey);
  if (isApi(request)) {
    return reply.code(status).type('application/problem+json; charset=utf-8').send({
      type: 'about:blank',
      title,
      status,
      ...(detail ? { detail } : {}),
    });
  }
  const template = status === 404 ? 'errors/404' : status >= 500 ? 'errors/500' : status === 403 ? 'errors/403' : status === 429 ? 'errors/429' : 'errors/400';
  return reply.code(status).page(template, locale, { title, detail });
}

/**
 * For errors the router raises before a request reaches the app (an address that cannot be
 * decoded): the reply has no decorators yet, so the page is rendered through the instance.
 */
export function sendFrameworkError(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, detail: string): void {
  const locale = requestLocale(request);
  const title = translate(locale, 'errors.badRequest.title');
  if (isApi(request)) {
    reply.code(400).type('application/problem+json; charset=utf-8').send({ type: 'about:blank', title, status: 400, detail });
    return;
  }
  app.renderPage(request, 'errors/400', locale, { title, detail }).then(
    (html) => reply.code(400).header('Content-Language', locale).type('text/html; charset=utf-8').send(html),
    (error: unknown) => {
      request.log.error({ err: error }, 'could not render the error page');
      reply.code(400).type('text/plain; charset=utf-8').send(title);
    },
  );
}

async function errorsPlugin(app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    if (request.url.length > MAX_URL_LENGTH) {
      throw new BadRequestError(`The address is longer than ${MAX_URL_LENGTH} characters`);
    }
  });

  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404, null));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A 404 says nothing about what was looked for: the page is the same for a private
    // address that never existed as for a mistyped one.
    if (error instanceof HttpError) return sendError(request, reply, error.statusCode, error.statusCode === 404 ? null : error.message);
    if (error.validation) {
      // A path of the wrong shape names nothing that exists; a bad query parameter is the caller's mistake.
      if (error.validationContext === 'params') return sendError(request, reply, 404, null);
      return sendError(request, reply, 400, `${error.validationContext ?? 'request'}: ${error.validation.map((v) => `${v.instancePath || ''} ${v.message ?? ''}`.trim()).join('; ')}`);
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendError(request, reply, 500, null);
    }
    return sendError(request, reply, status, error.message);
  });
}

export default fp(errorsPlugin, { name: 'errors', dependencies: ['views'] });
