// Releases: organisers edit a working copy; participants see the latest release of it. The
// public pages, the read API and the feeds all read their programme from here.
import { v4 as uuidv4 } from 'uuid';
import { findConflicts, type Conflict } from '../programme/conflicts.ts';
import { insertAuditEntry } from '../programme/write-repository.ts';
import type { Db } from '../../db/client.ts';
import { LANGUAGES, type Language, type LocalizedText } from '../../db/schema.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../errors.ts';
import { findEventById, listProgrammeRows, type EventRow, type ProgrammeRows } from '../programme/repository.ts';
import { assembleProgramme, type Programme } from '../programme/assemble.ts';
import { toZonedIso } from '../../time.ts';
import { countChanges, diffReleases, type Placement, type ReleaseChange } from './changelog.ts';
import {
  findLatestReleaseOfEvent, findLatestReleaseOfSlug, findReleaseByName, findSnapshot, insertRelease, listLatestReleases, listReleases,
  type ReleaseHead,
} from './repository.ts';
import { composeRelease, parseSnapshot, publicContent, serializeSnapshot } from './snapshot.ts';

// ---- What participants see

/** Parsed releases, per database and release id: a release never changes once made. */
const publishedCache = new WeakMap<Db, Map<number, Programme>>();
const PUBLISHED_CACHE_MAX = 32;

function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (typeof value !== 'object' || value === null || seen.has(value) || value instanceof Date) return value;
  seen.add(value);
  for (const inner of Object.values(value)) deepFreeze(inner, seen);
  return Object.freeze(value);
}

/**
 * The programme of a release, read and assembled once, then shared by every request: frozen,
 * so that no page can change what the next one shows. Its event carries the release's
 * sequence as revision and the release's time as update time, which feeds and caches follow.
 */
function programmeOfRelease(db: Db, release: ReleaseHead): Programme {
  let perDb = publishedCache.get(db);
  if (!perDb) {
    perDb = new Map();
    publishedCache.set(db, perDb);
  }
  let programme = perDb.get(release.id);
  if (!programme) {
    const rows = parseSnapshot(findSnapshot(db, release.id)!);
    rows.event = { ...rows.event, revision: release.sequence, updatedAt: release.releasedAt };
    programme = deepFreeze(assembleProgramme(rows));
    if (perDb.size >= PUBLISHED_CACHE_MAX) perDb.delete(perDb.keys().next().value!);
    perDb.set(release.id, programme);
  }
  return programme;
}

/** The latest release of an event; an event never released is not public (404). */
export function getPublishedProgramme(db: Db, slug: string): Programme {
  const release = findLatestReleaseOfSlug(db, slug);
  if (!release) throw new NotFoundError('event', slug);
  return programmeOfRelease(db, release);
}

export function getPublishedProgrammeOfEvent(db: Db, eventId: number): Programme {
  const release = findLatestReleaseOfEvent(db, eventId);
  if (!release) throw new NotFoundError('event', String(eventId));
  return programmeOfRelease(db, release);
}

/** The events participants can see, as released, by date then address. */
export function getPublishedEvents(db: Db): EventRow[] {
  return listLatestReleases(db).map((release) => programmeOfRelease(db, release).event)
    .sort((a, b) => a.startDate.localeCompare(b.startDate) || a.slug.localeCompare(b.slug));
}

/**
 * Whether participants have ever seen the session. Every release keeps the sessions of the
 * one before (cancelled if need be), so the latest release answers for all of them.
 */
export function isReleasedSession(db: Db, eventId: number, sessionId: number): boolean {
  const release = findLatestReleaseOfEvent(db, eventId);
  return release !== null && programmeOfRelease(db, release).sessions.some((s) => s.row.id === sessionId);
}

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
  /** False when the release would publish exactly what the latest one did. */
  hasChanges: boolean;
  /** Clashes in what would be released. */
  conflicts: Conflict[];
}

export function pendingRelease(db: Db, event: EventRow, now: Date): PendingRelease {
  const previous = findLatestReleaseOfEvent(db, event.id);
  const previousRows = previous ? parseSnapshot(findSnapshot(db, previous.id)!) : null;
  const rows = composeRelease(previousRows, listProgrammeRows(db, event), now);
  const next = assembleProgramme(rows);
  return {
    previous,
    rows,
    changes: diffReleases(previousRows ? assembleProgramme(previousRows) : null, next),
    hasChanges: previousRows === null || publicContent(previousRows) !== publicContent(rows),
    conflicts: findConflicts(next),
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
    throw new UnprocessableError([{ pointer: `#/note/${defaultLanguage}`, detail: `is required: ${defaultLanguage} is the event's default language` }]);
  }
  return kept;
}

/**
 * Releases the working copy under a name: in one immediate transaction, so that no edit
 * slips in between what was compared and what is stored. Refuses a name already used and
 * a release that would change nothing.
 */
export function releaseProgramme(db: Db, event: EventRow, releaser: Releaser, input: ReleaseInput, now: Date, options: { audit?: boolean } = {}) {
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
      changes: pending.changes,
    });
    const out = releaseOut({ ...release, note, changes: pending.changes }, current);
    if (options.audit ?? true) insertAuditEntry(db, {
      eventId: current.id, userId: releaser.id, actor: releaser.name, at: now, action: 'create', entity: 'release', entityId: release.publicId,
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

/** A change as the API shows it: times with the event's offset. */
export function changeOut(change: ReleaseChange, zone: string) {
  const session = { id: change.session.id, title: change.session.title, ...placementOut(change.session, zone) };
  switch (change.type) {
    case 'moved': return { type: change.type, session, before: placementOut(change.before, zone), fields: change.fields };
    case 'changed': return { type: change.type, session, fields: change.fields };
    default: return { type: change.type, session };
  }
}

type ReleaseListRow = ReturnType<typeof listReleases>[number];

export function releaseOut(release: Pick<ReleaseListRow, 'publicId' | 'sequence' | 'name' | 'note' | 'releasedAt' | 'changes'>, event: EventRow) {
  const changes = release.changes as ReleaseChange[];
  return {
    id: release.publicId,
    sequence: release.sequence,
    name: release.name,
    note: release.note,
    releasedAt: toZonedIso(release.releasedAt, event.timezone),
    counts: countChanges(changes),
    changes: changes.map((c) => changeOut(c, event.timezone)),
  };
}

/** An event's releases, newest first, with what each changed. */
export function getReleaseHistory(db: Db, event: EventRow) {
  return listReleases(db, event.id);
}
