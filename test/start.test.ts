// Starts the server as `npm start` does (the compiled build, rebuilt first if stale), on a fresh
// database file, and reads it over HTTP.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../server/config.ts';
import { FORUM_2019, makeTempDir } from './helpers/app.ts';
import { ensureBuilt, startCommand, startServer, stopServer, TSX, type RunningServer } from './helpers/server.ts';

describe('npm start', () => {
  const dir = makeTempDir();
  const servers: RunningServer[] = [];
  afterAll(() => {
    for (const server of servers) server.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('serves the bundled 2019 programme on a fresh database, and closes cleanly on SIGTERM', async () => {
    const server = await startServer({ DATABASE_PATH: path.join(dir, 'forum.db'), LOG_LEVEL: 'info' });
    servers.push(server);
    const { base, port } = server;

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
    // Read to the end: a response left unread keeps its connection busy, and the close waits for it.
    await css.text();

    expect(await stopServer(server)).toBe(0);
    expect(server.output()).toContain(`forum-programme is serving http://127.0.0.1:${port}`);
  }, 40_000);

  test('a bad setting stops the server with one clear line', () => {
    ensureBuilt();
    const { command, args } = startCommand();
    const result = spawnSync(command, args, {
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
