// One request at a time over a fresh connection, with the raw headers kept: what the floor
// replays, what the cold timings measure, and the few writes the bench makes.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface RawResponse {
  status: number;
  /** Header names and values as sent, in order: [name, value, name, value, …]. */
  rawHeaders: string[];
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** From sending the request to the last byte of the body. */
  ms: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export function request(base: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.request(url, {
      method: options.method ?? 'GET',
      headers: { ...options.headers, ...(options.body !== undefined ? { 'content-length': Buffer.byteLength(options.body) } : {}) },
      agent: false,
      timeout: options.timeoutMs ?? 60_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - start,
      }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within ${options.timeoutMs ?? 60_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A request that must answer `expected`; the error quotes the start of the body otherwise. */
export async function expectStatus(base: string, path: string, expected: number, options: RequestOptions = {}): Promise<RawResponse> {
  const response = await request(base, path, options);
  if (response.status !== expected) {
    throw new Error(`${options.method ?? 'GET'} ${path} answered ${response.status}, not ${expected}: ${response.body.toString('utf8', 0, 300)}`);
  }
  return response;
}

export async function getJson<T>(base: string, path: string, headers: Record<string, string> = {}): Promise<{ data: T; response: RawResponse }> {
  const response = await expectStatus(base, path, 200, { headers: { accept: 'application/json', ...headers } });
  return { data: JSON.parse(response.body.toString('utf8')) as T, response };
}

export function sendJson(base: string, method: string, path: string, payload: unknown, headers: Record<string, string>, expected: number) {
  return expectStatus(base, path, expected, {
    method, body: JSON.stringify(payload), headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
  });
}
