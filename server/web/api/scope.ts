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

async function requireJsonBody(request: FastifyRequest) {
  if (!UNSAFE_METHODS.has(request.method)) return;
  // A browser's cookie must not carry another site's write; scripts with tokens send no such header.
  if (request.headers.authorization === undefined && request.headers['sec-fetch-site'] === 'cross-site') {
    throw new ForbiddenError('Writes are not accepted from another site');
  }
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
    app.addHook('onRequest', requireJsonBody);
    for (const routes of routePlugins) await app.register(routes);
  };
}
