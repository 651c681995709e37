// The floor of each measured row: our server's answer, fetched once and replayed from memory by
// a bare node:http server in another process (floor-server.ts).
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { FloorRoute, FloorSetup } from './floor-server.ts';
import { forkGroup, stopGroup } from './processes.ts';
import type { RawResponse } from './http.ts';
import { BENCH_DIR } from './paths.ts';

/** Headers node:http writes itself on every answer, or that depend on how the body is framed. */
const HOP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** Our answer to `target`, as the floor will send it. */
export function floorRoute(target: string, response: RawResponse, options: { notModified?: boolean } = {}): FloorRoute {
  const rawHeaders: string[] = [];
  for (let i = 0; i < response.rawHeaders.length; i += 2) {
    if (!HOP_HEADERS.has(response.rawHeaders[i]!.toLowerCase())) rawHeaders.push(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
  }
  const etag = response.headers.etag;
  if (options.notModified && etag === undefined) throw new Error(`${target} has no ETag to revalidate`);
  return { path: target, status: response.status, rawHeaders, body: response.body, ...(options.notModified ? { etag } : {}) };
}

/** The keep-alive timeout our server announced (Keep-Alive: timeout=72), in ms. */
export function keepAliveTimeoutOf(response: RawResponse): number {
  const seconds = Number(String(response.headers['keep-alive'] ?? '').match(/timeout=(\d+)/)?.[1] ?? 5);
  return seconds * 1000;
}

export interface Floor {
  base: string;
  stop(): Promise<void>;
}

export async function startFloor(setup: FloorSetup): Promise<Floor> {
  const child: ChildProcess = forkGroup(path.join(BENCH_DIR, 'floor-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the floor server exited (${code}) before listening`)));
    child.send(setup);
  });
  return { base: `http://127.0.0.1:${port}`, stop: () => stopGroup(child) };
}
