// Writes a generated congress (generator.ts) as a new event and releases it: through the
// import's one write path and releaseProgramme, in one transaction, so that a refusal at any
// step leaves the database as it was.
import type { Db } from '../../db/client.ts';
import type { Conflict } from '../programme/conflicts.ts';
import { findEventById, findEventBySlug } from '../programme/repository.ts';
import { releaseProgramme, type Releaser } from '../releases/service.ts';
import { generateCongress, GenerateError, type GenerateOptions, type GeneratedFacts } from './generator.ts';
import { Compile } from 'typebox/compile';
import { documentToImport, parseProgrammeDocument, ProgrammeDocument } from './programme-json.ts';
import { importProgramme } from './service.ts';

/** The release a generated congress is published as. */
export const GENERATED_RELEASE_NAME = '1';

export interface GenerateReport {
  slug: string;
  eventId: number;
  facts: GeneratedFacts;
  release: { name: string; sequence: number };
  /** What the conflict checks found in the release: the deliberate clashes. */
  conflicts: Conflict[];
}

let compiled: { Check(value: unknown): boolean } | null = null;
const checkDocument = () => (compiled ??= Compile(ProgrammeDocument));

/** Generates the congress the options describe, writes it as a new event and releases it once. */
export function generateCongressInto(db: Db, options: GenerateOptions, releaser: Releaser, now: Date = new Date()): GenerateReport {
  const refuseTaken = () => {
    if (findEventBySlug(db, options.slug)) {
      throw new GenerateError(`an event already has the address "${options.slug}": generate only creates new events; choose another --slug`);
    }
  };
  refuseTaken();
  const { document, facts } = generateCongress(options);
  // Checked against the format like any file, with the compiled schema (a tenth of the time of
  // the interpreted check for 2,000 sessions); should it fail, the import's check names the fault.
  const programme = checkDocument().Check(document) ? documentToImport(document) : parseProgrammeDocument(document);
  return db.transaction(() => {
    refuseTaken();
    const summary = importProgramme(db, programme, { format: 'forum-programme', notes: [] }, null, now);
    const event = findEventById(db, summary.eventId)!;
    const { data, warnings } = releaseProgramme(db, event, releaser, { name: GENERATED_RELEASE_NAME }, now);
    return { slug: summary.slug, eventId: summary.eventId, facts, release: { name: data.name, sequence: data.sequence }, conflicts: warnings };
  }, { behavior: 'immediate' });
}
