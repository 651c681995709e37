import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDatabaseOptions {
  /** Called with each SQL statement run; tests use it to count queries per page. */
  onStatement?: (sql: string) => void;
}

export function openDatabase(databasePath: string, options: OpenDatabaseOptions = {}): Db {
  if (databasePath !== ':memory:') fs.mkdirSync(path.dirname(databasePath), { recursive: true });
  const sqlite = new Database(databasePath, options.onStatement ? { verbose: (s) => options.onStatement?.(String(s)) } : {});
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Readers and the one writer wait for each other instead of failing with SQLITE_BUSY.
  sqlite.pragma('busy_timeout = 5000');
  // FULL: each commit is on the disk before the write is acknowledged. NORMAL in WAL mode survives a
  // killed process but may lose the last commits at a power cut or a kernel crash; FULL costs
  // about 0.3 ms a commit here, a small part of a write request.
  sqlite.pragma('synchronous = FULL');
  return drizzle(sqlite, { schema }) as Db;
}

/**
 * Statements a domain runs on every request, prepared once per database: preparing and
 * building SQL cost more than running small indexed queries.
 */
export function preparedPerDatabase<T>(prepare: (db: Db) => T): (db: Db) => T {
  const byDb = new WeakMap<Db, T>();
  return (db) => {
    let prepared = byDb.get(db);
    if (prepared === undefined) {
      prepared = prepare(db);
      byDb.set(db, prepared);
    }
    return prepared;
  };
}
