// A real nginx caching proxy in front of the app, for the tests that prove what a shared cache
// may keep: Debian's nginx, started by the test itself (never the system service) on a config
// and a cache of its own in a temporary folder, listening on a free port of 127.0.0.1.
//
// It honours the origin's Cache-Control exactly as a deployment would (no proxy_ignore_headers,
// no proxy_cache_valid: nothing is cached that the app did not call cacheable), revalidates
// expired entries with If-None-Match / If-Modified-Since, and says what it did in X-Cache-Status
// (HIT, MISS, EXPIRED, REVALIDATED, BYPASS, STALE, UPDATING).
//
// Without nginx the suites are skipped with a warning, except on CI (CI=true), where startNginx
// fails them loudly.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './server.ts';

const onCI = process.env.CI === 'true';

/** nginx on the PATH, else where Debian puts it (/usr/sbin is not on every user's PATH). */
function findNginx(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'nginx');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch { /* not here */ }
  }
  try {
    fs.accessSync('/usr/sbin/nginx', fs.constants.X_OK);
    return '/usr/sbin/nginx';
  } catch {
    return null;
  }
}

export const NGINX_PATH = findNginx();

/**
 * Whether an nginx suite is to be skipped, for describe.skipIf: only when nginx is missing
 * and this is not CI; it then says so on the console.
 */
export function skipWithoutNginx(): boolean {
  if (NGINX_PATH !== null || onCI) return false;
  console.warn('HTTP cache tests skipped: no nginx on the PATH nor at /usr/sbin/nginx (apt-get install -y nginx).');
  return true;
}

export interface RunningNginx {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:PORT, where nginx listens. */
  base: string;
  dir: string;
  /** The error log so far (start-up problems, upstream errors). */
  errorLog: () => string;
  /** The access log so far, one line a request: status, cache status, the server's status (- when it was not asked), method, address. */
  accessLog: () => string;
}

/** The modules this nginx was built without (lighter builds leave some out): their temp paths would be unknown directives. */
function missingModules(nginx: string): Set<string> {
  // nginx -V prints its configure arguments on stderr.
  const { stdout, stderr } = spawnSync(nginx, ['-V'], { encoding: 'utf8' });
  return new Set([...`${stdout}${stderr}`.matchAll(/--without-http_(\w+)_module/g)].map((m) => m[1]!));
}

/** The whole config: one server, one cache zone, every path inside `dir`. */
export function nginxConfig(dir: string, port: number, upstreamPort: number, without: Set<string>): string {
  const p = (name: string) => path.join(dir, name);
  const temp = [
    `client_body_temp_path ${p('client_body_temp')};`,
    `proxy_temp_path ${p('proxy_temp')};`,
    ...(without.has('fastcgi') ? [] : [`fastcgi_temp_path ${p('fastcgi_temp')};`]),
    ...(without.has('uwsgi') ? [] : [`uwsgi_temp_path ${p('uwsgi_temp')};`]),
    ...(without.has('scgi') ? [] : [`scgi_temp_path ${p('scgi_temp')};`]),
  ];
  return `# Written by the tests; nginx runs as the test's own process and is stopped with it.
daemon off;
# One process, no workers: nothing can outlive the test when it is killed.
master_process off;
worker_processes 1;
pid ${p('nginx.pid')};
error_log ${p('error.log')} warn;

events {
  worker_connections 256;
}

http {
  ${temp.join('\n  ')}
  log_format cache '$status $upstream_cache_status $upstream_status $request_method $request_uri';
  access_log ${p('access.log')} cache;

  # Honour the origin's Cache-Control and Vary: no proxy_ignore_headers, no proxy_cache_valid.
  proxy_cache_path ${p('cache')} keys_zone=forum:1m;

  server {
    listen 127.0.0.1:${port};

    location / {
      proxy_pass http://127.0.0.1:${upstreamPort};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache forum;
      proxy_cache_revalidate on;
      proxy_cache_lock on;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}
`;
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts nginx in front of 127.0.0.1:upstreamPort and waits until it accepts connections.
 * Fails (also under CI=true) when nginx is missing.
 */
export async function startNginx(upstreamPort: number, timeoutMs = 10_000): Promise<RunningNginx> {
  if (NGINX_PATH === null) {
    throw new Error('nginx is missing (neither on the PATH nor at /usr/sbin/nginx): install it with apt-get install -y nginx');
  }
  const nginx = NGINX_PATH;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-programme-nginx-'));
  const without = missingModules(nginx);
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, nginxConfig(dir, port, upstreamPort, without));
  const read = (name: string) => () => {
    try {
      return fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      return '';
    }
  };

  // -e: the log of start-up, before the config is read, goes there too, not to a system folder.
  const child = spawn(nginx, ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  child.once('error', (error) => { printed += `${error.message}\n`; });
  child.stdout!.on('data', (chunk) => { printed += chunk; });
  child.stderr!.on('data', (chunk) => { printed += chunk; });
  // Should the test process end without afterAll, nginx goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  const running: RunningNginx = { child, port, base: `http://127.0.0.1:${port}`, dir, errorLog: read('error.log'), accessLog: read('access.log') };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null || (child.pid === undefined && printed !== '')) {
      const log = `${printed}${running.errorLog()}`;
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`nginx exited (${child.exitCode ?? child.signalCode ?? 'did not start'}): ${log}`);
    }
    if (await connects(port)) return running;
    await new Promise((r) => setTimeout(r, 50));
  }
  await stopNginx(running);
  throw new Error(`nginx did not listen on ${port}: ${printed}${running.errorLog()}`);
}

/** SIGTERM (nginx's fast shutdown), then SIGKILL after 5 s; removes its folder. */
export async function stopNginx(nginx: RunningNginx): Promise<void> {
  const { child } = nginx;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(nginx.dir, { recursive: true, force: true });
}
