import path from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { PROJECT_ROOT } from '../config.ts';
import type { Db } from './client.ts';

export const MIGRATIONS_FOLDER = path.join(PROJECT_ROOT, 'migrations');

/** Applies the committed drizzle-kit migrations that this database has not seen yet. */
export function applyMigrations(db: Db): void {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}
