// The queries of staged imports: files uploaded in the workspace, awaiting the organiser's confirmation.
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { stagedImports, type StagedImportRow } from '../../db/schema.ts';

export function insertStagedImport(db: Db, values: Omit<StagedImportRow, 'id'>): void {
  db.insert(stagedImports).values(values).run();
}

/** The staged file of that token and owner, or null. */
export function findStagedImport(db: Db, token: string, userId: number): StagedImportRow | null {
  return db.select().from(stagedImports).where(and(eq(stagedImports.token, token), eq(stagedImports.userId, userId))).get() ?? null;
}

export function deleteStagedImport(db: Db, id: number): void {
  db.delete(stagedImports).where(eq(stagedImports.id, id)).run();
}

/** Drops every file staged before that moment. */
export function deleteStagedImportsBefore(db: Db, moment: Date): void {
  db.delete(stagedImports).where(lt(stagedImports.createdAt, moment)).run();
}
