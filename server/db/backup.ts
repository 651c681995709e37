// Backups of the SQLite database while the server runs, and their restore. A copy of the file
// (cp forum.db) taken during writes misses what sits in the -wal file and can be torn; SQLite's
// online backup API reads one consistent snapshot through a connection of its own instead.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS_FOLDER } from './migrate.ts';

/** A backup or restore that cannot be done, told in one line for the operator; nothing was changed. */
export class BackupError extends Error {
  override name = 'BackupError';
}

export interface VerifiedDatabase {
  /** How many of this version's migrations the file has (an older file has fewer; the next start applies the rest). */
  migrations: number;
  /** How many this version knows. */
  knownMigrations: number;
  bytes: number;
}

export interface BackupReport extends VerifiedDatabase {
  file: string;
  /** A moment before the copy read its snapshot: every write committed before it is in the backup. */
  snapshotAt: Date;
  /** How long the copy and its check took, in milliseconds. */
  ms: number;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/**
 * The progress callback's answer: copy every remaining page in one step. One step reads inside one
 * read transaction, so the copy is the snapshot of one moment even while another process writes;
 * steps of a few pages would restart from the first page at every write of another connection
 * and, under steady writes, might never finish.
 */
const ALL_PAGES = 0x7fffffff;

function fsyncPath(target: string, flags: string): void {
  const fd = fs.openSync(target, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The name a file is written under until it is complete, beside its final name: a rename is atomic within a folder. */
function partialName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.partial-${process.pid}`);
}

function removeWithSidecars(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
}

function hasSqliteHeader(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(SQLITE_MAGIC.length);
    return fs.readSync(fd, header, 0, header.length, 0) === header.length && header.equals(SQLITE_MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Checks a database file this process owns (it may write to it: it leaves it in rollback-journal
 * mode, one self-contained file): SQLite, intact, with foreign keys that hold, and migrations
 * that this version knows. `label` names the file in messages.
 */
export function verifyDatabaseFile(file: string, label = file): VerifiedDatabase {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new BackupError(`${label} is not a file`);
  if (!hasSqliteHeader(file)) throw new BackupError(`${label} is not a SQLite database`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma('journal_mode = DELETE');
    const integrity = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok') {
      throw new BackupError(`${label} fails SQLite's integrity check: ${integrity.slice(0, 3).map((r) => r.integrity_check).join('; ')}`);
    }
    const foreignKeys = db.pragma('foreign_key_check') as unknown[];
    if (foreignKeys.length > 0) throw new BackupError(`${label} has ${foreignKeys.length} row(s) whose foreign keys point nowhere`);
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
    if (!table) throw new BackupError(`${label} is not a forum-programme database: it has no migrations table`);
    const applied = (db.prepare('SELECT created_at AS at FROM __drizzle_migrations ORDER BY created_at').all() as { at: number }[]).map((r) => Number(r.at));
    const known = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((m) => m.folderMillis);
    // Migrations are told apart by their moment (as the migrator does): one unknown here comes from a newer version.
    const unknown = applied.find((at) => !known.includes(at));
    if (unknown !== undefined) {
      throw new BackupError(`${label} comes from a newer version of forum-programme: its migration of ${new Date(unknown).toISOString()} is unknown to this one; restore it with that version`);
    }
    return { migrations: applied.length, knownMigrations: known.length, bytes: fs.statSync(file).size };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${label} is not a usable SQLite database: ${(error as Error).message}`);
  } finally {
    db?.close();
  }
}

/**
 * Writes a consistent copy of the database at sourcePath (which a running server may be writing)
 * to file: under a partial name, checked, flushed to disk, then renamed, so a file under the
 * final name is always a complete, verified backup. Refuses to overwrite a file.
 */
export async function backupDatabase(sourcePath: string, file: string): Promise<BackupReport> {
  const started = performance.now();
  if (sourcePath === ':memory:') throw new BackupError('DATABASE_PATH=:memory: lives in one process only: there is nothing to back up');
  if (!fs.existsSync(sourcePath)) throw new BackupError(`there is no database at ${sourcePath}`);
  const target = path.resolve(file);
  if (fs.existsSync(target)) throw new BackupError(`${file} already exists: a backup never overwrites a file, choose another name`);
  if (!fs.existsSync(path.dirname(target))) throw new BackupError(`the folder ${path.dirname(target)} does not exist`);
  const partial = partialName(target);
  removeWithSidecars(partial);
  const source = new Database(sourcePath, { fileMustExist: true });
  let snapshotAt = new Date();
  try {
    source.pragma('busy_timeout = 5000');
    // Called between the first step (no page) and the one that copies them all, in one read transaction.
    await source.backup(partial, { progress: () => { snapshotAt = new Date(); return ALL_PAGES; } });
  } catch (error) {
    removeWithSidecars(partial);
    throw new BackupError(`the backup of ${sourcePath} failed: ${(error as Error).message}`);
  } finally {
    source.close();
  }
  try {
    const verified = verifyDatabaseFile(partial, `the copy of ${sourcePath}`);
    fsyncPath(partial, 'r+');
    fs.renameSync(partial, target);
    fsyncPath(path.dirname(target), 'r');
    return { ...verified, file: target, snapshotAt, ms: Math.round(performance.now() - started) };
  } finally {
    removeWithSidecars(partial);
  }
}

/** True when another connection (a running server, another program) has the database open. */
function inUse(databasePath: string): boolean {
  const db = new Database(databasePath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    // In exclusive locking mode, SQLite needs every other connection gone, even idle ones, to begin.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw new BackupError(`cannot open the database at ${databasePath}: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

export interface RestoreReport extends VerifiedDatabase {
  /** Where the database that was replaced now is (with its -wal and -shm), or null when there was none. */
  previous: string | null;
}

const stampOf = (date: Date) => date.toISOString().replace(/[-:]/g, '');

/**
 * Replaces the database at databasePath by a backup, once the backup is checked and copied beside
 * it: the previous database is renamed, never deleted, and its -wal and -shm go with it (a stale
 * -wal beside the restored file would be replayed into it). Refused while a process has the
 * database open: the server must be stopped first.
 */
export function restoreDatabase(file: string, databasePath: string, now: Date): RestoreReport {
  if (databasePath === ':memory:') throw new BackupError('DATABASE_PATH=:memory: cannot be restored into: set it to the database file');
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new BackupError(`${file} is not a file`);
  if (path.resolve(file) === path.resolve(databasePath)) throw new BackupError(`${file} is the database itself`);
  fs.mkdirSync(path.dirname(databasePath), { recursive: true });
  const exists = fs.existsSync(databasePath);
  if (exists && inUse(databasePath)) {
    throw new BackupError(`the database ${databasePath} is open in another process (a running server?): stop it, then restore`);
  }
  const partial = partialName(databasePath);
  removeWithSidecars(partial);
  try {
    // Checked on a copy of our own: checking opens it for writing, and the backup stays untouched.
    fs.copyFileSync(file, partial);
    const verified = verifyDatabaseFile(partial, file);
    fsyncPath(partial, 'r+');
    let previous: string | null = null;
    if (exists) {
      previous = `${databasePath}.before-restore-${stampOf(now)}`;
      for (const suffix of ['-wal', '-shm', '-journal', '']) {
        if (fs.existsSync(`${databasePath}${suffix}`)) fs.renameSync(`${databasePath}${suffix}`, `${previous}${suffix}`);
      }
    }
    for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${databasePath}${suffix}`, { force: true });
    fs.renameSync(partial, databasePath);
    fsyncPath(path.dirname(databasePath), 'r');
    return { ...verified, previous };
  } finally {
    removeWithSidecars(partial);
  }
}
