// One place turns every error into an answer: a page in the site layout for people,
// application/problem+json for the API. A 5xx never shows its message or stack.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { BadRequestError, HttpError } from '../errors.ts';
import { translate, type MessageKey } from '../i18n/index.ts';
import { requestLocale } from '../i18n/request.ts';

/** Longer addresses are refused before routing: no page of ours needs one. */
export const MAX_URL_LENGTH = 2048;

const TITLE_KEYS: Record<number, MessageKey> = {
  400: 'errors.badRequest.title',
  401: 'errors.unauthorized.title',
  403: 'errors.forbidden.title',
  404: 'errors.notFound.title',
  409: 'errors.conflict.title',
  413: 'errors.tooLarge.title',
  415: 'errors.unsupportedMediaType.title',
  422: 'errors.unprocessable.title',
  428: 'errors.preconditionRequired.title',
  429: 'errors.tooMany.title',
  500: 'errors.server.title',
};

const PAGE_TEMPLATES: Record<number, string> = { 401: 'errors/401', 403: 'errors/403', 404: 'errors/404', 429: 'errors/429' };

export function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.routeOptions?.config?.problemJson === true;
}

export interface Problem {
  status: number;
  detail: string | null;
  /** The problem type's name, documented at /api/docs#problem-<name>. */
  problem?: string | undefined;
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Answers with the error page, or RFC 9457 problem+json under /api/. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, { status, detail, problem, extensions = {}, headers = {} }: Problem) {
  const locale = requestLocale(request);
  const titleKey = TITLE_KEYS[status] ?? (status >= 500 ? 'errors.server.title' : 'errors.badRequest.title');
  const title = translate(locale, titleKey);
  reply.headers(headers);
  if (isApi(request)) {
    return reply.code(status).type('application/problem+json; charset=utf-8').send({
      type: problem ? `${request.server.problemTypeBase}/api/docs#problem-${problem}` : 'about:blank',
      title,
      status,
      ...(detail ? { detail } : {}),
      ...extensions,
    });
  }
  // A page that needs an account sends the browser to sign in, and back here afterwards.
  if (status === 401 && (request.method === 'GET' || request.method === 'HEAD')) {
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  }
  const template = PAGE_TEMPLATES[status] ?? (status >= 500 ? 'errors/500' : 'errors/400');
  return reply.code(status).page(template, locale, { title, detail });
}

export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, detail: string | null) {
  return sendProblem(request, reply, { status, detail });
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

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

/** A field at fault as problem documents show it. */
export interface ProblemFieldError {
  pointer: string;
  detail: string;
}

/** Turns a schema validator's findings into field errors that name the field at fault. */
export function fieldErrors(issues: ValidationIssue[]): ProblemFieldError[] {
  const seen = new Set<string>();
  const errors: ProblemFieldError[] = [];
  for (const issue of issues) {
    const params = issue.params as Record<string, unknown>;
    let pointer = issue.instancePath || '';
    let detail = issue.message ?? 'is not valid';
    if (issue.keyword === 'required' && typeof params.missingProperty === 'string') {
      pointer += `/${params.missingProperty}`;
      detail = 'is required';
    } else if (issue.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      pointer += `/${params.additionalProperty}`;
      detail = 'is not a field of this resource';
    } else if (issue.keyword === 'enum' && Array.isArray(params.allowedValues) && params.allowedValues.length <= 20) {
      detail = `must be one of ${params.allowedValues.map(String).join(', ')}`;
    }
    const key = `#${pointer} ${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({ pointer: `#${pointer}`, detail });
  }
  return errors;
}

/** How a detail names the part of a request that broke its schema. */
const WHERE_NAMES: Record<string, string> = { body: 'request body', querystring: 'query string', headers: 'headers' };

/** Messages of Fastify's own client errors that name no field and read well as they are. */
const FRAMEWORK_PROBLEMS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'too-large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-body',
};

async function errorsPlugin(app: FastifyInstance, options: { publicUrl: string }) {
  app.decorate('problemTypeBase', options.publicUrl);
  app.addHook('onRequest', async (request) => {
    if (request.url.length > MAX_URL_LENGTH) {
      throw new BadRequestError(`The address is longer than ${MAX_URL_LENGTH} characters`);
    }
  });

  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, { status: 404, detail: null, problem: 'not-found' }));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A 404 says nothing about what was looked for: the page is the same for a private
    // address that never existed as for a mistyped one.
    if (error instanceof HttpError) {
      return sendProblem(request, reply, {
        status: error.statusCode,
        detail: error.statusCode === 404 ? null : error.message,
        problem: error.problem,
        extensions: error.extensions,
        headers: error.headers,
      });
    }
    if (error.validation) {
      // A path of the wrong shape names nothing that exists; a bad query parameter is the caller's mistake.
      if (error.validationContext === 'params') return sendProblem(request, reply, { status: 404, detail: null, problem: 'not-found' });
      const errors = fieldErrors(error.validation);
      const where = error.validationContext ?? 'request';
      const detail = `The ${WHERE_NAMES[where] ?? where} is not valid: ${errors.map((e) => `${e.pointer.slice(2) || where} ${e.detail}`).join('; ')}`;
      // A body that breaks its schema is well-formed JSON that cannot be processed: 422, per RFC 9110.
      if (where === 'body' && isApi(request)) return sendProblem(request, reply, { status: 422, detail, problem: 'validation', extensions: { errors } });
      return sendProblem(request, reply, { status: 400, detail, problem: isApi(request) ? 'validation' : undefined, extensions: isApi(request) ? { errors } : {} });
    }
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      return sendError(request, reply, 403, translate(requestLocale(request), 'errors.csrf'));
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendError(request, reply, 500, null);
    }
    return sendProblem(request, reply, { status, detail: error.message, problem: FRAMEWORK_PROBLEMS[error.code] });
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's errors are problem+json, as the API's, though it is not under /api/ (a JSON read by other sites). */
    problemJson?: boolean;
  }
  interface FastifyInstance {
    /** Problem types are documented at <this>/api/docs#problem-<name>. */
    problemTypeBase: string;
  }
}

export default fp(errorsPlugin, { name: 'errors', dependencies: ['views'] });
