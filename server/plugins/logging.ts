// The log: pino's JSON lines, each line of a request with its id, and never a secret. Secrets
// travel in headers (Authorization, Cookie), in bodies (passwords: never logged) and in the
// addresses of private pages: /my/<token> (an agenda and its feed) and /setup/<token> (the first
// organiser's link). The one secret ever written is that setup link, on purpose, by
// web/shared/auth.ts at start, so that the first organiser can sign in at all.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { LogLevel } from '../config.ts';

export const REDACTED = '[redacted]';

/** The segment after /my/ or /setup/ is a token, wherever it is and however it is spelt. */
const SECRET_SEGMENT = /(^|\/)(my|setup|stop)\/[^/?#]+/gi;
/** Query parameters that would carry a secret if a client ever sent one there. */
const SECRET_PARAMETER = /([?&](?:_csrf|csrf|token|password|secret|key|session)=)[^&#]*/gi;

/** The address as the log shows it: tokens replaced by [redacted]. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_SEGMENT, `$1$2/${REDACTED}`).replace(SECRET_PARAMETER, `$1${REDACTED}`);
}

/** Where a secret could sit in a logged object, should any code log headers or a body. */
const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]',
  'headers.authorization', 'headers.cookie', 'headers["x-csrf-token"]', 'headers["set-cookie"]',
  'body.password', 'body.currentPassword', 'body.newPassword', 'body.confirmation', 'body._csrf', 'body.token',
  'password', 'currentPassword', 'newPassword', 'token',
];

export function loggerOptions(level: LogLevel, stream?: { write(line: string): void }) {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      // Fastify's own fields, the address redacted (whatever object a careless line logs as req).
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: typeof request.url === 'string' ? redactUrl(request.url) : undefined,
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
}

/** A request id from the proxy is taken as is only when it is short and plain: no line breaks, quotes or spaces in the log. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:=+/-]+$/;
const MAX_REQUEST_ID = 128;

/**
 * Fastify's options for request ids: the proxy's, from `header`, when it sends one well formed
 * (the proxy must overwrite whatever the client sent: only then is the header trusted); else a
 * random UUID, which, unlike Fastify's counter, is unique across workers and restarts.
 */
export function requestIdOptions(header: string | null) {
  // Each line of a request carries it as reqId (Fastify's label).
  return {
    genReqId: (request: IncomingMessage): string => {
      const given = header === null ? undefined : request.headers[header];
      if (typeof given === 'string' && given.length <= MAX_REQUEST_ID && SAFE_REQUEST_ID.test(given)) return given;
      return randomUUID();
    },
  };
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** Every answer names its request id, so that a person reporting a problem can quote it. */
async function requestIdPlugin(app: FastifyInstance) {
  // onSend, not onRequest: an answer replayed from the public cache would bring back the id it was kept with.
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    return payload;
  });
}

export default fp(requestIdPlugin, { name: 'request-id' });
