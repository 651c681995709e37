// How long a client may take: the options of the HTTP server that buildApp gives Fastify.
// Without them a body sent a byte a second, or one byte short of its Content-Length, kept its
// connection (and a closing server) waiting for half an hour.
import http from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Timeouts } from '../config.ts';

/**
 * How often Node looks for requests past their headers or request timeout. Its default, 30 s,
 * would let a 2 s timeout run to 32 s; a tenth of the shorter timeout, within 50 ms to 1 s,
 * cuts a slow client off within 10% of its bound for the price of a scan of the open connections.
 */
export function checkingInterval(timeouts: Pick<Timeouts, 'headers' | 'request'>): number {
  return Math.min(1_000, Math.max(50, Math.floor(Math.min(timeouts.headers, timeouts.request) / 10)));
}

/** The Fastify options that bound every phase of a connection. */
export function serverTimeoutOptions(timeouts: Timeouts) {
  return {
    requestTimeout: timeouts.request,
    keepAliveTimeout: timeouts.keepAlive,
    // Given to http.createServer too: Node checks there that the headers' bound is within the request's.
    http: { headersTimeout: timeouts.headers, requestTimeout: timeouts.request, connectionsCheckingInterval: checkingInterval(timeouts) },
    // On close, connections with no request in flight close at once; a request that arrives on
    // a kept-alive one meanwhile gets 503 with Connection: close. main.ts cuts the rest after SHUTDOWN_TIMEOUT.
    forceCloseConnections: 'idle' as const,
    return503OnClosing: true,
    clientErrorHandler,
  };
}

const ANSWERS: Record<string, number> = { ERR_HTTP_REQUEST_TIMEOUT: 408, HPE_HEADER_OVERFLOW: 431 };

/**
 * A connection that broke the protocol or ran out of time: a short problem document when no
 * answer has started on it, then the connection is closed. The log names the connection, never
 * its bytes: Node's error carries the raw packet, which may hold a password or a cookie.
 */
function clientErrorHandler(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = ANSWERS[error.code] ?? 400;
  const client = { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort, code: error.code };
  if (status === 408) this.log.info(client, 'a client was too slow to send its request: its connection is closed');
  else this.log.debug(client, 'a client sent a request that is not HTTP: its connection is closed');
  // Bytes written after an answer has begun would be read as part of it.
  const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !current?.headersSent) {
    const body = JSON.stringify({ type: 'about:blank', title: http.STATUS_CODES[status], status });
    socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

/**
 * Once the app is closing, every answer says Connection: close. Node closes only the connections
 * idle at the moment close() is called; one whose request was in flight would otherwise stay
 * open, idle, after its answer, and hold the close until SHUTDOWN_TIMEOUT cut it.
 */
async function drainPlugin(app: FastifyInstance) {
  let closing = false;
  app.addHook('preClose', async () => { closing = true; });
  app.addHook('onSend', async (request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
}

export const drain = fp(drainPlugin, { name: 'drain' });
