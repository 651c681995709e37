// Imports from the workspace in two steps: a file is staged, its import is tried in a
// transaction that is rolled back to tell what it would create, change and remove, and only
// when the organiser confirms is it written, in one transaction. Staged files belong to who
// uploaded them and last an hour.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import type { Language, LocalizedText, StagedImportRow } from '../../db/schema.ts';
import { programmeOf, type Programme } from '../programme/assemble.ts';
import type { ItemKind } from '../programme/items.ts';
import { findEventById, type EventRow } from '../programme/repository.ts';
import { itemsOf } from '../programme/service.ts';
import { ImportError, type ProgrammeImport, type WriteSummary } from '../programme/sync.ts';
import { csvToImport } from './csv-import.ts';
import { deleteStagedImport, deleteStagedImportsBefore, findStagedImport as findStagedRow, insertStagedImport } from './repository.ts';
import { decodeProgrammeFile, findImportTarget, importProgramme, readProgrammeText, type SourceFormat } from './service.ts';

export const STAGED_LIFETIME_MS = 60 * 60 * 1000;
export const STAGED_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

export type StagedFormat = SourceFormat;
export interface StagedOptions { timezone?: string; language?: Language; slug?: string }

/** Keeps a file for its preview; older files of everyone are dropped on the way. */
export function stageImport(db: Db, values: { userId: number; eventId: number | null; format: StagedFormat; fileName: string; options: StagedOptions; bytes: Buffer }, now: Date): string {
  const token = randomBytes(32).toString('base64url');
  db.transaction(() => {
    deleteStagedImportsBefore(db, new Date(now.getTime() - STAGED_LIFETIME_MS));
    insertStagedImport(db, { ...values, options: values.options as Record<string, string>, token, createdAt: now });
  });
  return token;
}

/** The staged file of that token, only for its owner and the event it was staged for, and only within its hour. */
export function findStagedImport(db: Db, token: string, userId: number, eventId: number | null, now: Date): StagedImportRow | null {
  const row = findStagedRow(db, token, userId);
  if (!row || row.eventId !== eventId || row.createdAt.getTime() < now.getTime() - STAGED_LIFETIME_MS) return null;
  return row;
}

export { deleteStagedImport };

/** What a file holds, read as the import will read it; the event it goes into must be `into` when given. */
export interface ReadImport {
  format: StagedFormat;
  programme: ProgrammeImport;
  notes: string[];
  /** The event written into, when it exists. */
  target: EventRow | null;
}

/**
 * Reads a file as the command line and the API do, or a CSV against the event's working copy.
 * A programme file imported into an event (`into`) must be that event's: a frab file is taken
 * as the event's whatever its conference's key.
 */
export function readImport(db: Db, bytes: Uint8Array, fileName: string, options: StagedOptions, maxBytes: number, into: EventRow | null): ReadImport {
  const text = decodeProgrammeFile(bytes, maxBytes);
  if (fileKind(fileName, text) === 'csv') {
    if (!into) throw new ImportError('a CSV of sessions is imported into an event that exists: open the event\'s import page');
    const { programme, notes } = csvToImport(text, programmeOf(db, into));
    return { format: 'csv', programme, notes, target: into };
  }
  const { format, programme, notes } = readProgrammeText(text, into && looksXml(text) ? { ...options, slug: into.slug } : options);
  if (into) {
    if (format === 'frab-xml') programme.event.publicId = into.publicId;
    const target = findImportTarget(db, programme.event.publicId, programme.event.slug);
    if (target?.id !== into.id) throw new ImportError(`this file is the programme of another event ("${programme.event.slug}"), not of "${into.slug}"`);
  }
  return { format, programme, notes, target: findImportTarget(db, programme.event.publicId, programme.event.slug) };
}

const looksXml = (text: string) => text.trimStart().startsWith('<');
/** A CSV by its name, or by not looking like JSON or XML; XML by its first character, as the importer tells. */
export function fileKind(fileName: string, text: string): 'csv' | 'xml' | 'json' {
  const start = text.replace(/^\uFEFF/, '').trimStart()[0];
  if (/\.csv$/i.test(fileName) || (!/\.(json|xml)$/i.test(fileName) && start !== '<' && start !== '{' && start !== '[')) return 'csv';
  return start === '<' ? 'xml' : 'json';
}

/** Writes what was read, with its audit entry naming the importer. */
export function writeImport(db: Db, read: ReadImport, importer: { id: number; name: string }, now: Date): WriteSummary {
  return importProgramme(db, read.programme, { format: read.format, notes: read.notes }, importer, now);
}

/** How a row is named in the preview: a text, a name, or a time span. */
export type RowName = { text: LocalizedText } | { plain: string } | { from: Date; to: Date };
export interface KindChanges { kind: ItemKind; created: RowName[]; changed: RowName[]; removed: RowName[] }
export interface ImportPreview {
  /** Null when the import makes a new event. */
  before: EventRow | null;
  after: EventRow;
  eventChanged: boolean;
  kinds: KindChanges[];
}

const KINDS: ItemKind[] = ['session', 'room', 'part', 'slot', 'person', 'organisation', 'output'];
class Rollback extends Error {}

/** The programme changed since the preview the organiser confirms: nothing was written. */
export class StaleImportError extends Error {}

/**
 * Runs the import and tells what it created, changed and removed, kind by kind. A preview
 * (`write: false`) is rolled back; a confirmed import is written only if the event is still as
 * the preview saw it (`fingerprint`), checked in the same transaction as the write.
 */
export function runImport(db: Db, read: ReadImport, importer: { id: number; name: string }, now: Date, how: { write: false } | { write: true; fingerprint: string }): ImportPreview {
  let preview: ImportPreview | null = null;
  try {
    db.transaction(() => {
      const target = findImportTarget(db, read.programme.event.publicId, read.programme.event.slug);
      if (how.write && fingerprintOf(target) !== how.fingerprint) throw new StaleImportError();
      const before = target ? programmeOf(db, target) : null;
      const summary = writeImport(db, read, importer, now);
      preview = compare(before, programmeOf(db, findEventById(db, summary.eventId)!));
      if (!how.write) throw new Rollback();
    }, { behavior: 'immediate' });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return preview!;
}

function compare(before: Programme | null, after: Programme): ImportPreview {
  const kinds = KINDS.map((kind) => {
    const old = new Map((before ? itemsOf(before, kind) : []).map((r) => [r.id as string, r]));
    const now = new Map(itemsOf(after, kind).map((r) => [r.id as string, r]));
    const changes: KindChanges = { kind, created: [], changed: [], removed: [] };
    for (const [id, row] of now) {
      const was = old.get(id);
      if (!was) changes.created.push(nameOf(kind, row));
      else if (JSON.stringify(comparable(was)) !== JSON.stringify(comparable(row))) changes.changed.push(nameOf(kind, row));
    }
    for (const [id, row] of old) if (!now.has(id)) changes.removed.push(nameOf(kind, row));
    return changes;
  });
  const eventOf = (p: Programme) => JSON.stringify({ ...p.event, id: 0, revision: 0, version: 0, updatedAt: 0 });
  return { before: before?.event ?? null, after: after.event, eventChanged: before !== null && eventOf(before) !== eventOf(after), kinds };
}

/** A row's representation without what moves with every write. */
function comparable(row: Record<string, unknown>): Record<string, unknown> {
  const { version: _v, revision: _r, updatedAt: _u, ...rest } = row;
  return rest;
}

function nameOf(kind: ItemKind, row: Record<string, unknown>): RowName {
  switch (kind) {
    case 'session': return { text: row.title as LocalizedText };
    case 'room': case 'organisation': return { text: row.name as LocalizedText };
    case 'part': return { text: row.label as LocalizedText };
    case 'output': return { text: row.statement as LocalizedText };
    case 'person': return { plain: row.name as string };
    case 'slot': return { from: new Date(row.start as string), to: new Date(row.end as string) };
  }
}

/** What the preview was computed against: the event's revision moves with every change to its programme. */
export function fingerprintOf(event: EventRow | null): string {
  return event ? `r${event.revision}` : 'new';
}
