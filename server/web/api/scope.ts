// The scope of the write API (/api/v1): request bodies are checked strictly (unknown fields
// refused, no type coercion) and must be JSON, which also keeps cross-site HTML forms out.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { ForbiddenError, HttpError } from '../../errors.ts';

function newAjv(coerceTypes: boolean) {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes, strict: false });
  addFormats.default(ajv);
  return ajv;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** onRequest: a browser's cookie must not carry another site's write; scripts with tokens send no such header. */
async function refuseCrossSiteWrites(request: FastifyRequest) {
  if (!UNSAFE_METHODS.has(request.method)) return;
  if (request.headers.authorization === undefined && request.headers['sec-fetch-site'] === 'cross-site') {
    throw new ForbiddenError('Writes are not accepted from another site');
  }
}

/**
 * preParsing, not onRequest: the routes' own onRequest guards (401, 404, 403) run after the
 * scope's onRequest hooks, and someone without the right must hear that, not what the route
 * accepts. preParsing is the last step before Fastify reads the body.
 */
async function requireJsonBody(request: FastifyRequest) {
  if (!UNSAFE_METHODS.has(request.method)) return;
  const length = request.headers['content-length'];
  const hasBody = (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
  if (!hasBody) return;
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new HttpError(415, 'errors.unsupportedMediaType.title', 'Send the request body as JSON (Content-Type: application/json)', 'unsupported-media-type');
  }
}

/** Registers the given route plugins in the strict API scope. */
export function strictApiScope(...routePlugins: ((app: FastifyInstance) => Promise<void>)[]) {
  return async function strictApi(app: FastifyInstance) {
    const bodies = newAjv(false);
    const queries = newAjv(true);
    app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodies : queries).compile(schema));
    // The order of every request here: cross-site check, the route's guards (onRequest), the media type
    // (preParsing), then the body is read (400, 413) and validated (400, 422).
    app.addHook('onRequest', refuseCrossSiteWrites);
    app.addHook('preParsing', requireJsonBody);
    for (const routes of routePlugins) await app.register(routes);
  };
}
