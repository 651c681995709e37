// Imports and exports of whole programmes: which format a file is in, the checks every file
// passes before it is read (size, encoding), and the one transaction that writes it.
import { recordWrite } from '../audit/service.ts';
import type { Db } from '../../db/client.ts';
import type { Language } from '../../db/schema.ts';
import { BundledProgrammeError, bundledToImport, validateBundledProgramme } from './bundled.ts';
import { findEventByPublicId, findEventBySlug, type EventRow } from '../programme/repository.ts';
import { parseFrabSchedule } from './frab-import/index.ts';
import { PROGRAMME_FORMAT, exportProgrammeJson, parseProgrammeDocument } from './programme-json.ts';
import { ImportError, writeProgramme, type ProgrammeImport, type WriteSummary } from '../programme/sync.ts';
import { fieldErrorDetail } from '../../errors.ts';
import { findTextFaults } from '../../unicode.ts';

export const IMPORT_FORMATS = ['forum-programme', 'bundled', 'frab-xml'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
/** What an import was read from: a whole programme's format, or a CSV of sessions added to an event (csv-import.ts). */
export type SourceFormat = ImportFormat | 'csv';

export interface ImportOptions {
  /** Only for frab XML: the time zone when the file names none (or to override it). */
  timezone?: string | undefined;
  /** Only for frab XML: the event's address, instead of the conference acronym. */
  slug?: string | undefined;
  /** Only for frab XML: the language its texts are stored under. */
  language?: Language | undefined;
  maxBytes: number;
}

export interface ImportReport extends WriteSummary {
  format: SourceFormat;
  /** What the import had to assume or leave out, one sentence each. */
  notes: string[];
}

/** Who imports, for the audit log; the command line imports as nobody in particular. */
export interface Importer {
  id: number | null;
  name: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of a file, once it has passed the checks every import makes before reading it:
 * not too big, and UTF-8 (a UTF-8 byte-order mark is dropped). Nothing else is accepted:
 * guessing an encoding is how accents get lost.
 */
export function decodeProgrammeFile(bytes: Uint8Array, maxBytes: number): string {
  if (bytes.byteLength > maxBytes) {
    throw new ImportError(`the file is ${bytes.byteLength} bytes long, over the limit of ${maxBytes} bytes (IMPORT_MAX_BYTES)`, 413);
  }
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    throw new ImportError('the file is in UTF-16; save it as UTF-8 and import it again');
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new ImportError(`the file is not valid UTF-8 (byte ${at}); save it as UTF-8 and import it again`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The offset of the first byte that breaks UTF-8, for the error message. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  // A prefix that decodes (an unfinished character is not an error when streaming) stays
  // decodable when shortened: halve the span until the first bad byte is pinned.
  const decodes = (length: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = bytes.byteLength;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (decodes(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/** Which format the text is in, and the programme it holds. */
export function readProgrammeText(text: string, options: Omit<ImportOptions, 'maxBytes'>): { format: ImportFormat; programme: ProgrammeImport; notes: string[] } {
  const start = text.trimStart();
  if (start.startsWith('<')) {
    const { programme, notes } = parseFrabSchedule(text, options);
    return { format: 'frab-xml', programme, notes };
  }
  const frabOnly = (['timezone', 'slug', 'language'] as const).filter((o) => options[o] !== undefined);
  if (frabOnly.length > 0) {
    throw new ImportError(`--${frabOnly[0]} applies to frab XML files only: a JSON programme names its own event, time zone and languages`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ImportError(`the file is neither XML nor valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ImportError('the JSON file does not hold an object');
  // The rule every text written through the site follows (the API checks its bodies the same way, server/web/shared/well-formed.ts).
  const [fault] = findTextFaults(value);
  if (fault) throw new ImportError(`the text at ${fault.pointer} ${fieldErrorDetail(fault)}: correct it and import the file again`);
  const object = value as Record<string, unknown>;
  if (object.format === PROGRAMME_FORMAT) return { format: 'forum-programme', programme: parseProgrammeDocument(value), notes: [] };
  if ('schedule' in object) throw new ImportError('this is a frab schedule JSON file; import the same schedule as XML (schedule.xml)');
  if (object.format === undefined && typeof object.event === 'object' && Array.isArray(object.sessions)) {
    try {
      return { format: 'bundled', programme: bundledToImport(validateBundledProgramme(value, 'the file')), notes: [] };
    } catch (error) {
      if (error instanceof BundledProgrammeError) throw new ImportError(error.message.replace(/^the file: /, 'the programme file: '));
      throw error;
    }
  }
  throw new ImportError(`not a programme file: a forum-programme export has "format": "${PROGRAMME_FORMAT}"`);
}

/**
 * Imports a file into the database: creates its event, or brings it to what the file says.
 * One transaction: a file refused at any step leaves the database as it was.
 */
export function importProgrammeFile(db: Db, bytes: Uint8Array, options: ImportOptions, importer: Importer | null, now: Date = new Date()): ImportReport {
  const { format, programme, notes } = readProgrammeText(decodeProgrammeFile(bytes, options.maxBytes), options);
  return importProgramme(db, programme, { format, notes }, importer, now);
}

/** Writes a programme already read, with its audit entry, in one transaction. */
export function importProgramme(
  db: Db, programme: ProgrammeImport, source: { format: SourceFormat; notes: string[] }, importer: Importer | null, now: Date = new Date(),
): ImportReport {
  return db.transaction(() => {
    // Who imports is named for each change, as for a change made by hand, and for the import as a whole.
    const summary = writeProgramme(db, programme, now, importer);
    const notes = [...source.notes, ...summary.scoping];
    if (importer) {
      recordWrite(db, {
        eventId: summary.eventId, actor: importer, at: now,
        action: summary.created ? 'create' : 'update', entity: 'import', entityId: programme.event.publicId,
        before: null, after: { format: source.format, counts: summary.counts, notes },
      });
    }
    return { ...summary, format: source.format, notes };
  }, { behavior: 'immediate' });
}

/** The event an import would write into: the one with the file's id, else the one at its address. */
export function findImportTarget(db: Db, publicId: string, slug: string): EventRow | null {
  return findEventByPublicId(db, publicId) ?? findEventBySlug(db, slug);
}

export { exportProgrammeJson };
