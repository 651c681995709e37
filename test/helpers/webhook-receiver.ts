// A webhook receiver on loopback for the tests: a plain node:http server that records every
// request (method, path, headers, raw body), answers 200 unless told to fail the next ones,
// and checks signatures with the standardwebhooks package, an implementation of the
// specification independent of the server's own (domains/messaging/webhooks.ts).
import { arrivals } from './wait.ts';
import http from 'node:http';
import type net from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedHook {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** What this receiver answered. */
  status: number;
  at: number;
}

export interface WebhookReceiver {
  port: number;
  /** The address to register, e.g. http://127.0.0.1:1234/hooks/a */
  url(path?: string): string;
  received: ReceivedHook[];
  /** Answers `status` (503 unless told) to the next `count` requests. */
  failNext(count: number, status?: number): void;
  /** Answers `status` to every request from now on (undo with failAlways(null)). */
  failAlways(status: number | null): void;
  /** Resolves once at least `count` requests have come; fails with what did come after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedHook[]>;
  close(): Promise<void>;
}

/** The signature headers of a request, as the Standard Webhooks libraries take them. */
export function signatureOf(hook: ReceivedHook): Record<string, string> {
  const h = (name: string) => {
    const value = hook.headers[name];
    return Array.isArray(value) ? value.join(', ') : value ?? '';
  };
  return { 'webhook-id': h('webhook-id'), 'webhook-timestamp': h('webhook-timestamp'), 'webhook-signature': h('webhook-signature') };
}

/** Verifies a request with standardwebhooks' Webhook class and the endpoint's secret: the parsed payload, or a throw. */
export function verifyHook(secret: string, hook: ReceivedHook): { type: string; timestamp: string; data: Record<string, unknown> } {
  return new Webhook(secret).verify(hook.body, signatureOf(hook)) as { type: string; timestamp: string; data: Record<string, unknown> };
}

export async function startReceiver(host = '127.0.0.1'): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const waits = arrivals(received, (count, timeoutMs) =>
    `the receiver got ${received.length} request(s) within ${timeoutMs} ms, not ${count}: ${JSON.stringify(received.map((r) => ({ path: r.path, id: r.headers['webhook-id'], status: r.status })))}`);
  let failures = { count: 0, status: 503 };
  let always: number | null = null;

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let status = 200;
      if (always !== null) status = always;
      else if (failures.count > 0) {
        failures.count -= 1;
        status = failures.status;
      }
      received.push({
        method: request.method ?? '', path: request.url ?? '', headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'), status, at: Date.now(),
      });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'unavailable (test)');
      waits.arrived();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: (path = '/hooks') => `http://${host}:${port}${path}`,
    received,
    failNext(count, status = 503) {
      failures = { count, status };
    },
    failAlways(status) {
      always = status;
    },
    waitFor: waits.waitFor,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
