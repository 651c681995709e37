// Backups: `npm run cli -- backup FILE` while the real server takes writes, `restore FILE` into a
// new database that a server then serves, the restores that must be refused, and the scheduled
// backups of BACKUP_DIR / BACKUP_INTERVAL / BACKUP_KEEP.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../server/db/client.ts';
import { MIGRATIONS_FOLDER } from '../../server/db/migrate.ts';
import { makeTempDir } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';
import { stopServer, type RunningServer } from '../helpers/server.ts';
import {
  missing, seededDatabase, sqliteChecks, startCompiledServer, startWriters, storedNames, type Acknowledged,
} from '../helpers/write-load.ts';

const waitUntil = async (what: string, probe: () => boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Each writer's writes in a consistent snapshot are a beginning of its sequence: #1 to #k, nothing after a gap. */
function gapsPerWriter(acknowledged: Acknowledged[], stored: Map<string, string>): string[] {
  const byWriter = new Map<string, Acknowledged[]>();
  for (const write of acknowledged) {
    const writer = write.name.replace(/ #\d+$/, '');
    byWriter.set(writer, [...(byWriter.get(writer) ?? []), write]);
  }
  return [...byWriter.values()].flatMap((writes) => {
    const present = writes.map((w) => stored.get(w.id) === w.name);
    const firstAbsent = present.indexOf(false);
    return firstAbsent === -1 ? [] : writes.slice(firstAbsent).filter((_, i) => present[firstAbsent + i]).map((w) => w.name);
  });
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('backup and restore from the command line', { timeout: 240_000 }, () => {
  const dir = makeTempDir();
  const servers: RunningServer[] = [];
  let bearer: { authorization: string };
  const start = async (databasePath: string, env: Record<string, string> = {}) => {
    const server = await startCompiledServer({ DATABASE_PATH: databasePath, ...env }, 60_000);
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    bearer = await seededDatabase(dir);
  });
  afterAll(() => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a backup taken under write load holds every write acknowledged before it began, and restored, a server serves them all', async () => {
    const server = await start(path.join(dir, 'forum.db'));
    const load = startWriters(server.base, bearer, 4, 'under load');
    await waitUntil('writes before the backup', () => load.acknowledged.length >= 12);
    const backupFile = path.join(dir, 'under-load.db');
    const began = performance.now();
    const backup = await runCli(dir, ['backup', backupFile]);
    const ended = performance.now();
    // The writers go on a little after it, so that the copy was taken between writes of theirs.
    const acknowledgedBeforeEnd = load.acknowledged.length;
    await waitUntil('writes after the backup', () => load.acknowledged.length >= acknowledgedBeforeEnd + 4);
    load.stop();
    await load.done;
    expect(load.refused).toEqual([]);
    expect(backup.stderr).toBe('');
    const report = new RegExp(`^Backed up ${path.join(dir, 'forum.db')} to ${backupFile} as of (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z): \\d+ bytes, checked, 12 migrations, in \\d+ ms\\n$`).exec(backup.stdout);
    expect(report, backup.stdout).not.toBe(null);
    expect(backup.status).toBe(0);
    // The moment the copy read the database, seconds after the command started on a busy machine:
    // the writes acknowledged just before it are the ones a plain copy of the file misses (in the -wal).
    const snapshotAt = Date.parse(report![1]!);
    const beforeSnapshot = load.acknowledged.filter((write) => write.wallAt < snapshotAt);
    const before = load.acknowledged.filter((write) => write.at < began);
    const during = load.acknowledged.filter((write) => write.at >= began && write.at <= ended);
    expect(before.length).toBeGreaterThanOrEqual(12);
    // A self-contained file: no -wal beside it holds a part of it.
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('under-load'))).toEqual(['under-load.db']);

    const restoredDir = makeTempDir();
    try {
      const restore = await runCli(restoredDir, ['restore', backupFile]);
      expect(restore).toEqual({ status: 0, stdout: `Restored ${backupFile} into ${path.join(restoredDir, 'forum.db')} (${fs.statSync(backupFile).size} bytes, checked)\n`, stderr: '' });
      // The organiser's token is in the backup too: accounts are part of it.
      const restored = await start(path.join(restoredDir, 'forum.db'));
      const stored = await storedNames(restored.base, bearer);
      expect(missing(before, stored)).toEqual([]);
      expect(missing(beforeSnapshot, stored)).toEqual([]);
      expect(gapsPerWriter(load.acknowledged, stored), 'the backup is one moment of the database').toEqual([]);
      const after = load.acknowledged.filter((write) => write.at > ended);
      expect(missing(after, stored)).toEqual(after);
      expect(await stopServer(restored)).toBe(0);
      console.log(`backup under load: ${before.length} writes acknowledged before the command, ${beforeSnapshot.length} before its snapshot, all restored; ${during.length} during the command; ${backup.stdout.trim()}`);
    } finally {
      fs.rmSync(restoredDir, { recursive: true, force: true });
    }
    expect(await stopServer(server)).toBe(0);
  });

  test('restore refuses a file that is not SQLite, a truncated one, one of another schema or of a newer version, and a database in use; the database stays as it was', async () => {
    const good = path.join(dir, 'good.db');
    expect((await runCli(dir, ['backup', good])).status).toBe(0);
    const files = {
      text: path.join(dir, 'notes.db'), truncated: path.join(dir, 'truncated.db'), pageTruncated: path.join(dir, 'page-truncated.db'),
      foreign: path.join(dir, 'other-app.db'), newer: path.join(dir, 'newer.db'),
    };
    fs.writeFileSync(files.text, 'forum backup, honest\n');
    const bytes = fs.readFileSync(good);
    fs.writeFileSync(files.truncated, bytes.subarray(0, Math.floor(bytes.length / 2) + 100));
    fs.writeFileSync(files.pageTruncated, bytes.subarray(0, 4096 * 20));
    const foreign = new Database(files.foreign);
    foreign.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
    foreign.close();
    fs.copyFileSync(good, files.newer);
    const newer = new Database(files.newer);
    newer.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), Date.UTC(2100, 0, 1));
    newer.close();

    const target = makeTempDir();
    const targetDb = path.join(target, 'forum.db');
    try {
      expect((await runCli(target, ['restore', good])).status).toBe(0);
      const refusal = (message: string) => ({ status: 1, stdout: '', stderr: `forum-programme: ${message}\n` });
      const running = await start(targetDb);
      expect(await runCli(target, ['restore', good])).toEqual(refusal(`the database ${targetDb} is open in another process (a running server?): stop it, then restore`));
      expect((await storedNames(running.base, bearer)).size).toBeGreaterThan(0);
      expect(await stopServer(running)).toBe(0);

      const unchanged = sha(targetDb);
      expect(await runCli(target, ['restore', files.text])).toEqual(refusal(`${files.text} is not a SQLite database`));
      expect(await runCli(target, ['restore', files.truncated])).toEqual(refusal(`${files.truncated} is not a usable SQLite database: database disk image is malformed`));
      const pageTruncated = await runCli(target, ['restore', files.pageTruncated]);
      expect(pageTruncated.stderr).toMatch(new RegExp(`^forum-programme: ${files.pageTruncated} (fails SQLite's integrity check: |is not a usable SQLite database: )[^\\n]+\\n$`));
      expect(pageTruncated.status).toBe(1);
      expect(await runCli(target, ['restore', files.foreign])).toEqual(refusal(`${files.foreign} is not a forum-programme database: it has no migrations table`));
      expect(await runCli(target, ['restore', files.newer])).toEqual(refusal(`${files.newer} comes from a newer version of forum-programme: its migration of 2100-01-01T00:00:00.000Z is unknown to this one; restore it with that version`));
      expect(await runCli(target, ['restore', path.join(dir, 'nowhere.db')])).toEqual(refusal(`${path.join(dir, 'nowhere.db')} is not a file`));
      expect(await runCli(target, ['restore'])).toEqual(refusal('restore needs 1 argument(s)'));

      expect(sha(targetDb)).toBe(unchanged);
      // Nothing left behind by the refusals: no partial file, no -wal, nothing renamed aside.
      expect(fs.readdirSync(target)).toEqual(['forum.db']);
    } finally {
      fs.rmSync(target, { recursive: true, force: true });
    }
  });

  test('a backup of an older schema is restored, the database it replaces is kept, and the next start migrates it', async () => {
    const oldFolder = path.join(dir, 'old-migrations');
    fs.cpSync(MIGRATIONS_FOLDER, oldFolder, { recursive: true });
    const journalFile = path.join(oldFolder, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
    const total = journal.entries.length;
    fs.writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, 4) }));
    const oldFile = path.join(dir, 'old-schema.db');
    const old = openDatabase(oldFile);
    migrate(old, { migrationsFolder: oldFolder });
    old.$client.pragma('journal_mode = DELETE');
    old.$client.close();

    const target = makeTempDir();
    const targetDb = path.join(target, 'forum.db');
    try {
      expect((await runCli(target, ['restore', path.join(dir, 'good.db')])).status).toBe(0);
      const previous = sha(targetDb);
      const restore = await runCli(target, ['restore', oldFile]);
      expect(restore.stdout).toBe(`Restored ${oldFile} into ${targetDb} (${fs.statSync(oldFile).size} bytes, checked; ${total - 4} migration(s) will be applied at the next start)\n`);
      expect(restore.stderr).toMatch(new RegExp(`^The database it replaced is now ${targetDb}\\.before-restore-\\d{8}T\\d{6}\\.\\d{3}Z\\n$`));
      expect(restore.status).toBe(0);
      const kept = restore.stderr.slice('The database it replaced is now '.length).trim();
      expect(sha(kept)).toBe(previous);
      const server = await start(targetDb);
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
      expect(await stopServer(server)).toBe(0);
      const migrated = new Database(targetDb, { readonly: true });
      expect(migrated.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: total });
      migrated.close();
      expect(sqliteChecks(targetDb)).toEqual({ integrity: ['ok'], foreignKeys: [] });
    } finally {
      fs.rmSync(target, { recursive: true, force: true });
    }
  });
});

describe('scheduled backups (BACKUP_DIR, BACKUP_INTERVAL, BACKUP_KEEP)', { timeout: 240_000 }, () => {
  const dir = makeTempDir();
  const backups = path.join(dir, 'backups');
  let server: RunningServer | undefined;
  afterAll(() => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every second under writes, the newest two kept, each restorable with every write acknowledged before its moment', async () => {
    const bearer = await seededDatabase(dir);
    // A partial file of a backup cut short earlier: never taken for a backup, removed at the start.
    fs.mkdirSync(backups);
    fs.writeFileSync(path.join(backups, '.forum-20260101T000000.000Z.db.partial-99999'), 'cut short');
    server = await startCompiledServer({ DATABASE_PATH: path.join(dir, 'forum.db'), BACKUP_DIR: backups, BACKUP_INTERVAL: '1s', BACKUP_KEEP: '2', LOG_LEVEL: 'info' }, 60_000);
    const load = startWriters(server.base, bearer, 3, 'scheduled');
    const written = () => server!.output().split('\n').filter((line) => line.includes('"msg":"backup written"'))
      .map((line) => JSON.parse(line) as { file: string; pruned: string[]; pid: number });
    await waitUntil('four scheduled backups', () => written().length >= 4, 120_000);
    load.stop();
    await load.done;
    expect(load.refused).toEqual([]);
    expect(await stopServer(server)).toBe(0);
    // The server itself took them: no other process.
    expect(new Set(written().map((line) => line.pid))).toEqual(new Set([server.child.pid]));
    expect(server.output()).not.toContain('scheduled backup failed');

    const logged = written().map((line) => path.basename(line.file));
    // A backup under way when the server stopped may have left its partial file (the next start removes it).
    const names = fs.readdirSync(backups).filter((name) => !name.endsWith(`.partial-${server!.child.pid}`)).sort();
    expect(names).toEqual(logged.slice(-2));
    for (const name of names) expect(name).toMatch(/^forum-\d{8}T\d{6}\.\d{3}Z\.db$/);
    // Each one pruned what had become the third newest.
    expect(written().slice(2).map((line) => line.pruned)).toEqual(logged.slice(0, -2).map((name) => [name]));

    const newest = names.at(-1)!;
    const stamp = /(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z/.exec(newest)!.slice(1).map(Number);
    const moment = Date.UTC(stamp[0]!, stamp[1]! - 1, stamp[2]!, stamp[3]!, stamp[4]!, stamp[5]!, stamp[6]!);
    const before = load.acknowledged.filter((write) => write.wallAt < moment);
    expect(before.length).toBeGreaterThan(0);
    const restoredDir = makeTempDir();
    try {
      expect((await runCli(restoredDir, ['restore', path.join(backups, newest)])).status).toBe(0);
      server = await startCompiledServer({ DATABASE_PATH: path.join(restoredDir, 'forum.db') }, 60_000);
      expect(missing(before, await storedNames(server.base, bearer))).toEqual([]);
      expect(await stopServer(server)).toBe(0);
    } finally {
      fs.rmSync(restoredDir, { recursive: true, force: true });
    }
  });
});
