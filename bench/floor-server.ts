// The floor: a bare node:http server, in its own process, that answers each path with the bytes
// our server sent for it, from memory. Whatever our server does beyond this costs its ratio.
// Started by floor.ts, which sends the routes over IPC; exits when the bench goes away.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FloorRoute {
  /** The request target, path and query, as the client sends it. */
  path: string;
  status: number;
  /** Our server's headers without Date, Connection, Keep-Alive and Transfer-Encoding, which node:http adds itself. */
  rawHeaders: string[];
  body: Uint8Array;
  /** When set, a request whose If-None-Match is this tag gets an empty 304 with it. */
  etag?: string;
}

export interface FloorSetup {
  routes: FloorRoute[];
  /** Our server's keep-alive timeout, so that even the Keep-Alive header is the same. */
  keepAliveTimeoutMs: number;
}

process.once('message', (setup: FloorSetup) => {
  const routes = new Map(setup.routes.map((route) => [route.path, route]));
  const server = http.createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (route === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    if (route.etag !== undefined && req.headers['if-none-match'] === route.etag) {
      res.writeHead(304, ['ETag', route.etag]);
      res.end();
      return;
    }
    res.writeHead(route.status, route.rawHeaders);
    res.end(route.body);
  });
  server.keepAliveTimeout = setup.keepAliveTimeoutMs;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
});

// The bench went away (finished, interrupted or killed): nothing left to serve.
process.on('disconnect', () => process.exit(0));
