// Releases: organisers edit a working copy; participants see the latest release of it
// (reader.ts). Here: what the next release would change, making a release, and the history.
import { v4 as uuidv4 } from 'uuid';
import { recordWrite } from '../audit/service.ts';
import { findConflicts, type Conflict } from '../programme/conflicts.ts';
import type { Db } from '../../db/client.ts';
import { LANGUAGES, type Language, type LocalizedText } from '../../db/schema.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../errors.ts';
import { findEventById, listProgrammeRows, type EventRow, type ProgrammeRows } from '../programme/repository.ts';
import { assembleProgramme, type Programme } from '../programme/assemble.ts';
import { draftReleaseMessages } from '../messaging/drafts.ts';
import { toZonedIso } from '../../time.ts';
import { countChanges, diffItems, diffReleases, splitChanges, type ChangeDetails, type ItemEdit, type Placement, type ReleaseChange } from './changelog.ts';
import { findLatestReleaseOfEvent, findReleaseByName, findSnapshot, insertRelease, listReleases, type ReleaseHead } from './repository.ts';
import { composeRelease, parseSnapshot, publicContent, serializeSnapshot } from './snapshot.ts';

// ---- Making a release

export interface ReleaseInput {
  name: string;
  note?: LocalizedText | null | undefined;
}

export interface Releaser {
  id: number | null;
  name: string;
}

/** What releasing now would publish, and what it would change: the release page shows it before anyone releases. */
export interface PendingRelease {
  previous: ReleaseHead | null;
  rows: ProgrammeRows;
  changes: ReleaseChange[];
  /** Parts renamed and outputs reworded, told once each. */
  edits: ItemEdit[];
  /** False when the release would publish exactly what the latest one did. */
  hasChanges: boolean;
  /** Clashes in what would be released. */
  conflicts: Conflict[];
  /** The programmes compared: the latest release's (null before the first) and the one releasing now would publish. */
  before: Programme | null;
  next: Programme;
}

export function pendingRelease(db: Db, event: EventRow, now: Date): PendingRelease {
  const previous = findLatestReleaseOfEvent(db, event.id);
  const previousRows = previous ? parseSnapshot(findSnapshot(db, previous.id)!) : null;
  const rows = composeRelease(previousRows, listProgrammeRows(db, event), now);
  const next = assembleProgramme(rows);
  const before = previousRows ? assembleProgramme(previousRows) : null;
  return {
    previous,
    rows,
    changes: diffReleases(before, next),
    edits: diffItems(before, next),
    hasChanges: previousRows === null || publicContent(previousRows) !== publicContent(rows),
    conflicts: findConflicts(next),
    before,
    next,
  };
}

/**
 * A release note as stored: each text trimmed, blank ones dropped, in fr/en/es order; when
 * there is one, it must have the event's default language, the one every fallback ends at.
 */
export function releaseNote(note: LocalizedText | null | undefined, defaultLanguage: Language): LocalizedText | null {
  const kept: LocalizedText = {};
  for (const language of LANGUAGES) {
    const text = note?.[language]?.trim();
    if (text) kept[language] = text;
  }
  if (Object.keys(kept).length === 0) return null;
  if (kept[defaultLanguage] === undefined) {
    throw new UnprocessableError([{ pointer: `#/note/${defaultLanguage}`, code: 'default-language', params: { language: defaultLanguage } }]);
  }
  return kept;
}

export interface ReleaseOptions {
  audit?: boolean;
  /**
   * The site's address, for the messages to the contributors of the sessions it changes and the
   * webhooks, drafted in the same transaction. Absent only for the bundled programmes' first
   * release, made into an empty database where there is nobody to tell yet.
   */
  notify?: { publicUrl: string };
}

/**
 * Releases the working copy under a name: in one immediate transaction, so that no edit
 * slips in between what was compared and what is stored, and so that what tells people of
 * it is stored with it. Refuses a name already used and a release that would change nothing.
 */
export function releaseProgramme(db: Db, event: EventRow, releaser: Releaser, input: ReleaseInput, now: Date, options: ReleaseOptions = {}) {
  return db.transaction(() => {
    const current = findEventById(db, event.id);
    if (!current) throw new NotFoundError('event', event.slug);
    const name = input.name.trim();
    const note = releaseNote(input.note, current.defaultLanguage);
    if (findReleaseByName(db, current.id, name)) {
      throw new ConflictError(`This event already has a release named "${name}": choose another name`, 'duplicate');
    }
    const pending = pendingRelease(db, current, now);
    if (!pending.hasChanges) {
      throw new ConflictError(`Nothing changed since release "${pending.previous!.name}": there is nothing new to release`, 'nothing-to-release');
    }
    const release = insertRelease(db, {
      publicId: uuidv4(),
      eventId: current.id,
      sequence: (pending.previous?.sequence ?? 0) + 1,
      name,
      note,
      releasedAt: now,
      userId: releaser.id,
      actor: releaser.name,
      snapshot: serializeSnapshot(pending.rows),
      changes: [...pending.changes, ...pending.edits],
    });
    const out = releaseOut({ ...release, note, changes: [...pending.changes, ...pending.edits] }, current);
    if (options.notify) {
      draftReleaseMessages({ db, event: current, publicUrl: options.notify.publicUrl, now }, {
        id: release.id, publicId: release.publicId, sequence: release.sequence, name, note, changes: pending.changes, before: pending.before, next: pending.next,
      });
    }
    if (options.audit ?? true) recordWrite(db, {
      eventId: current.id, actor: releaser, at: now, action: 'create', entity: 'release', entityId: release.publicId,
      before: null, after: { name, sequence: release.sequence, note, changes: countChanges(pending.changes) },
    });
    return { data: out, warnings: pending.conflicts };
  }, { behavior: 'immediate' });
}

// ---- The history

const zoned = (instant: string | null, zone: string) => (instant === null ? null : toZonedIso(new Date(instant), zone));

function placementOut(p: Placement, zone: string) {
  return { start: zoned(p.start, zone), end: zoned(p.end, zone), room: p.room };
}

const detailsOut = (change: { details?: ChangeDetails }) => (change.details ? { details: change.details } : {});

/** A change as the API shows it: times with the event's offset. */
export function changeOut(change: ReleaseChange, zone: string) {
  const session = { id: change.session.id, title: change.session.title, ...placementOut(change.session, zone) };
  switch (change.type) {
    case 'moved': return { type: change.type, session, before: placementOut(change.before, zone), fields: change.fields, ...detailsOut(change) };
    case 'changed': return { type: change.type, session, fields: change.fields, ...detailsOut(change) };
    default: return { type: change.type, session };
  }
}

type ReleaseListRow = ReturnType<typeof listReleases>[number];

export function releaseOut(release: Pick<ReleaseListRow, 'publicId' | 'sequence' | 'name' | 'note' | 'releasedAt' | 'changes'>, event: EventRow) {
  const { changes, edits } = splitChanges(release.changes);
  return {
    id: release.publicId,
    sequence: release.sequence,
    name: release.name,
    note: release.note,
    releasedAt: toZonedIso(release.releasedAt, event.timezone),
    counts: countChanges(changes),
    changes: changes.map((c) => changeOut(c, event.timezone)),
    edits,
  };
}

/** An event's releases, newest first, with what each changed. */
export function getReleaseHistory(db: Db, event: EventRow) {
  return listReleases(db, event.id);
}
