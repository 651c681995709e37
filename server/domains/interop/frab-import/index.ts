// Reads a frab "schedule.xml" (pentabarf, frab, pretalx, wafer, the CCC hub…) into the model
// every importer produces (programme/sync.ts). Real files break the strict schema in
// many small ways (no guid, no per-event date, dates in UTC beside local starts, extra
// elements): what they mean is accepted, and every assumption is told to the operator as a
// note. What could hurt (DOCTYPEs, entities) or what would be a guess (the time zone) is refused.
//
// One reader per part of the file, each testable alone: the conference (conference.ts), its
// days, rooms and events (days.ts) with their times (times.ts), the sessions (sessions.ts) and
// their persons (persons.ts), over the XML tree (xml.ts) and plain texts (text.ts). This module
// puts them together and orders their notes.
import type { ProgrammeImport } from '../../programme/sync.ts';
import { chooseLanguage, ignoredAtTop, localizeIn, programmeEvent, readConference, type FrabImportOptions } from './conference.ts';
import { readDays } from './days.ts';
import { listed } from './notes.ts';
import { PersonReader } from './persons.ts';
import { readParts, SessionReader } from './sessions.ts';
import { parseXml } from './xml.ts';

export type { FrabImportOptions } from './conference.ts';

export interface FrabImport {
  programme: ProgrammeImport;
  /** What the import had to assume or leave out, one sentence each, for the operator. */
  notes: string[];
}

/** Reads a frab schedule.xml (already decoded text) into a programme ready to be written, with notes for the operator. */
export function parseFrabSchedule(xml: string, options: FrabImportOptions = {}): FrabImport {
  const root = parseXml(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml);
  const conference = readConference(root, options);
  const ignored = ignoredAtTop(root, conference.element);
  const days = readDays(root, conference, ignored);

  const { language, note: languageNote } = chooseLanguage(days.events.map((e) => e.element), options.language);
  const localize = localizeIn(language);
  const parts = readParts(conference.element, days.events, conference.idOf, localize);
  const persons = new PersonReader(conference.idOf);
  const reader = new SessionReader({
    idOf: conference.idOf, localize, pageTitle: conference.title !== '' ? conference.title : conference.acronym, rooms: days.rooms, persons,
  });
  const sessions = days.events.map((e) => reader.session(e));

  // Notes, in the order an operator would check them.
  const notes = [
    ...conference.notes,
    ...(languageNote === null ? [] : [languageNote]),
    ...parts.notes,
    ...days.notes,
    ...persons.notes(),
    ...reader.notes(),
    ...(ignored.size > 0 ? [`Ignored: ${listed(ignored)}.`] : []),
  ];
  const programme: ProgrammeImport = {
    event: programmeEvent(conference, language, days.events),
    rooms: [...days.rooms.values()].map((r) => ({ publicId: r.publicId, name: localize.localized(r.name), interpretation: null })),
    parts: parts.parts,
    organisations: [],
    people: persons.people(),
    outputs: [],
    slots: reader.allSlots(),
    sessions,
  };
  return { programme, notes };
}
