// Programme files waiting to be imported. Re-exported by schema.ts, the one place tables are imported from.
import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { events, users } from './schema.ts';

const instant = (name: string) => integer(name, { mode: 'timestamp_ms' });

/**
 * Programme files uploaded in the workspace and not yet imported: the preview is computed from
 * them, and the import reads them again once the organiser confirms. Reachable only by their
 * owner's token; kept one hour at most (older ones are deleted when a new file is staged).
 */
export const stagedImports = sqliteTable('staged_imports', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Random, in the page's address: only the organiser who staged the file is shown it. */
  token: text('token').notNull().unique(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  /** The event the file is imported into; null for a file that makes a new event. */
  eventId: integer('event_id').references(() => events.id, { onDelete: 'cascade' }),
  format: text('format').notNull(),
  fileName: text('file_name').notNull(),
  /** What the organiser chose beside the file (a frab file's time zone, address and language). */
  options: text('options', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  createdAt: instant('created_at').notNull(),
}, (t) => [index('staged_imports_created').on(t.createdAt)]);

export type StagedImportRow = typeof stagedImports.$inferSelect;
