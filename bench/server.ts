// The real server, as production runs it: its own process, the default logging (LOG_LEVEL
// unset) written to a file, on a free loopback port.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChildProcess } from 'node:child_process';
import { request } from './http.ts';
import { processTree, spawnGroup, stopGroup, treeMemory, type ProcessMemory } from './processes.ts';
import { ROOT } from './paths.ts';

export interface StartCommand {
  args: string[];
  label: string;
}

/**
 * `node scripts/start.mjs` once the project has it (it builds dist/ first when the build is
 * missing or stale, so the first start of a run may take longer). Until then the TypeScript
 * entry point through tsx's loader, in one process (the tsx command would add a wrapper
 * process whose memory and start-up are not the server's).
 */
export function startCommand(): StartCommand {
  if (fs.existsSync(path.join(ROOT, 'scripts', 'start.mjs'))) return { args: ['scripts/start.mjs'], label: 'node scripts/start.mjs' };
  return { args: ['--import', 'tsx', 'server/main.ts'], label: 'node --import tsx server/main.ts (no scripts/start.mjs yet)' };
}

export interface Server {
  base: string;
  pid: number;
  /** From spawning the process to the first 200 of /healthz. */
  readyMs: number;
  log: LogFile;
  /** The server and the processes it started, with their peak memory so far. */
  memory(): ProcessMemory[];
  /** How many processes the server runs as (more than one with cluster workers). */
  processCount(): number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function waitReady(base: string, child: ChildProcess, errPath: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before /healthz answered:\n${tail(errPath)}`);
    }
    try {
      if ((await request(base, '/healthz', { timeoutMs: 2000 })).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(5);
  }
  throw new Error(`/healthz did not answer 200 within ${timeoutMs} ms:\n${tail(errPath)}`);
}

let started = 0;

export async function startServer(options: { databasePath: string; dir: string; command: StartCommand; workers?: string | undefined }): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: options.databasePath, PORT: String(port), HOST: '127.0.0.1' };
  // The defaults of production: info logging, the public address made from HOST and PORT.
  delete env.LOG_LEVEL;
  delete env.PUBLIC_URL;
  if (options.workers === undefined) delete env.WORKERS;
  else env.WORKERS = options.workers;

  started += 1;
  const logPath = path.join(options.dir, `server-${started}.log`);
  const errPath = path.join(options.dir, `server-${started}.err`);
  const out = fs.openSync(logPath, 'a');
  const err = fs.openSync(errPath, 'a');
  const start = performance.now();
  const child = spawnGroup(process.execPath, options.command.args, { cwd: ROOT, env, stdio: ['ignore', out, err] });
  fs.closeSync(out);
  fs.closeSync(err);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitReady(base, child, errPath, 180_000);
  } catch (error) {
    await stopGroup(child);
    throw error;
  }
  const readyMs = performance.now() - start;
  const pid = child.pid!;
  return {
    base, pid, readyMs, log: new LogFile(logPath),
    memory: () => treeMemory(pid),
    processCount: () => processTree(pid).length,
    stop: () => stopGroup(child),
  };
}

/** Lines and bytes in a file. */
function countLines(file: string): { bytes: number; lines: number } {
  if (!fs.existsSync(file)) return { bytes: 0, lines: 0 };
  const fd = fs.openSync(file, 'r');
  const chunk = Buffer.alloc(1 << 20);
  let bytes = 0;
  let lines = 0;
  for (let read; (read = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0;) {
    bytes += read;
    for (let i = chunk.indexOf(10); i !== -1 && i < read; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  fs.closeSync(fd);
  return { bytes, lines };
}

/**
 * The server's log, which production writes at info: two lines a request. It is counted and
 * emptied between measurements (the server appends, so it writes on at the new end), lest a
 * run's hundreds of megabytes fill a small temporary folder.
 */
export class LogFile {
  private total = { bytes: 0, lines: 0 };

  constructor(readonly file: string) {}

  /** What the server has logged since it started. */
  summary(): { bytes: number; lines: number } {
    const now = countLines(this.file);
    return { bytes: this.total.bytes + now.bytes, lines: this.total.lines + now.lines };
  }

  empty(): void {
    this.total = this.summary();
    fs.truncateSync(this.file, 0);
  }
}
