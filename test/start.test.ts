// Starts the server as `npm start` does, on a fresh database file, and reads it over HTTP.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../server/config.ts';
import { FORUM_2019, makeTempDir } from './helpers/app.ts';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForHealth(base: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output()}`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy: ${output()}`);
}

describe('npm start', () => {
  const dir = makeTempDir();
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('serves the bundled 2019 programme on a fresh database, and closes cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(TSX, ['server/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: path.join(dir, 'forum.db'), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk) => { output += chunk; });
    child.stderr!.on('data', (chunk) => { output += chunk; });
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, child, () => output);

    const response = await fetch(`${base}/events/${FORUM_2019}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain("Apprendre d'un exemple : localiser le cadre de Sendai");
    expect(html).toContain('La voie à suivre ?');
    expect(html).toMatch(/>11:00<\/time>–11:40/);
    expect(html).toMatch(/>17:00<\/time>–18:00/);
    const css = await fetch(`${base}/assets/site.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain(`forum-programme is serving http://127.0.0.1:${port}`);
  });

  test('a bad setting stops the server with one clear line', () => {
    const result = spawnSync(TSX, ['server/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PORT: 'eighty', DATABASE_PATH: path.join(dir, 'unused.db') },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('forum-programme: PORT must be a whole number from 0 to 65535, not "eighty"');
    expect(fs.existsSync(path.join(dir, 'unused.db'))).toBe(false);
  });

  test('npm run cli -- seed loads the bundled programmes into the configured database', () => {
    const databasePath = path.join(dir, 'seeded.db');
    const result = spawnSync(TSX, ['server/cli.ts', 'seed'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_PATH: databasePath },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(`Loaded 2 programme(s) into ${databasePath}: uclg-learning-agenda-2015, ${FORUM_2019}`);
    expect(result.status).toBe(0);
  });
});
