// Starts the real server as `npm start` does (node scripts/start.mjs, which runs the compiled
// dist/server/main.js) in a child process, on a free port, and waits until it answers /healthz.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config.ts';

export const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

/**
 * The command of package.json's start script, run with this Node: the tests start exactly what
 * `npm start` starts, without npm in between (which would stand between the signals and the server).
 */
export function startCommand(): { command: string; args: string[] } {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [program, ...args] = scripts.start!.split(' ');
  if (program !== 'node') throw new Error(`the start script no longer runs node: ${scripts.start}`);
  return { command: process.execPath, args };
}

/**
 * Builds dist/ if it is missing or older than server/, as the start script would, but before a
 * test's clock starts: a build takes seconds, a start from a fresh build well under one.
 */
export function ensureBuilt(): void {
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'build.mjs'), '--if-stale'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the build failed: ${result.stdout}${result.stderr}`);
}

export interface RunningServer {
  child: ChildProcess;
  port: number;
  base: string;
  /** Everything the server printed so far, stdout and stderr together. */
  output: () => string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Spawns the server with the test's environment over this process's (PORT and HOST are
 * chosen here; PUBLIC_URL and WORKERS are left to their defaults unless given) and waits for /healthz.
 */
export async function startServer(env: Record<string, string>, timeoutMs = 20_000): Promise<RunningServer> {
  ensureBuilt();
  const { command, args } = startCommand();
  return spawnServer(command, args, env, timeoutMs);
}

/**
 * Spawns `command args` as the server, with the test's environment over this process's (PORT and
 * HOST chosen here; PUBLIC_URL and WORKERS left to their defaults unless given), and waits for /healthz.
 */
export async function spawnServer(command: string, args: string[], env: Record<string, string>, timeoutMs = 20_000, pollMs = 100): Promise<RunningServer> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env };
  if (!('PUBLIC_URL' in env)) delete childEnv.PUBLIC_URL;
  if (!('WORKERS' in env)) delete childEnv.WORKERS;
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  child.stdout!.on('data', (chunk) => { printed += chunk; });
  child.stderr!.on('data', (chunk) => { printed += chunk; });
  const server = { child, port, base: `http://127.0.0.1:${port}`, output: () => printed };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${printed}`);
    try {
      if ((await fetch(`${server.base}/healthz`)).ok) return server;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become healthy: ${printed}`);
}

/** SIGTERM, then SIGKILL if it has not exited within 15 s (a loaded CI machine closes slowly); resolves with the exit code. */
export async function stopServer(server: RunningServer): Promise<number | null> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}
