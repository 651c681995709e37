// The reference schedule files of ../shared/interop (INTEROP_DIR overrides it). They are never
// copied into the repository: tests read them where they are. Without the folder, the tests
// that need it are skipped with a message saying so; under CI=true a missing folder fails.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';

export const INTEROP_DIR = path.resolve(PROJECT_ROOT, process.env.INTEROP_DIR ?? '../shared/interop');

export const interopAvailable = fs.existsSync(path.join(INTEROP_DIR, 'schedule.xml.xsd'));

if (!interopAvailable) {
  const message = `The reference files of ${INTEROP_DIR} are missing (set INTEROP_DIR to their folder)`;
  if (process.env.CI === 'true') throw new Error(`${message}: under CI=true this fails the run.`);
  console.warn(`${message}: the tests that read them are skipped.`);
}

export function interopFile(name: string): string {
  return path.join(INTEROP_DIR, name);
}

/** A describe block that needs the reference files: skipped, with the warning above, when they are missing. */
export const describeInterop = interopAvailable ? describe : describe.skip;

/**
 * Every row of every table of a SQLite file, as text: two dumps are equal exactly when the
 * database holds the same data (sqlite_sequence included, so even a rolled-back insert shows).
 * `except` leaves tables out, such as api_tokens, whose last use every request records.
 */
export function dumpDatabase(file: string, options: { except?: string[] } = {}): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[])
      .filter(({ name }) => !options.except?.includes(name));
    return tables.map(({ name }) => `${name}\n${db.prepare(`select * from "${name}" order by rowid`).all().map((row) => JSON.stringify(row)).join('\n')}`).join('\n\n');
  } finally {
    db.close();
  }
}
