// The one reader of "the programme a reader sees": the latest release of an event, or, for an
// organiser's preview and the workspace, the working copy. Each is read and assembled once and
// then shared by every request until it changes: one cache, keyed by the release (which never
// changes once made) or by the working copy's revision (which the database raises on every
// change, migrations/0002), so nothing in it can be stale. Programmes handed out are frozen:
// no page can change what the next one shows. Front-ends only decide which view applies.
import { perDatabase, perDatabaseValue } from '../../cache.ts';
import { GenerationMemo } from '../../db/generation.ts';
import type { Db } from '../../db/client.ts';
import { NotFoundError } from '../../errors.ts';
import { assembleProgramme, programmeOf, type Programme } from '../programme/assemble.ts';
import { findEventById, findEventBySlug, type EventRow } from '../programme/repository.ts';
import {
  findLatestReleaseOfEvent, findLatestReleaseOfSlug, findPublicStateOfSlug, findSnapshot, listLatestReleases, type ReleaseHead,
} from './repository.ts';
import { parseSnapshot } from './snapshot.ts';

/** What participants see (the latest release), or what organisers edit (the working copy). */
export type ProgrammeView = 'released' | 'working';

/** Programmes kept: the latest releases of a few dozen events, and their working copies. */
const CACHED_PROGRAMMES = 64;
const cacheOf = perDatabase<Db, string, Programme>(CACHED_PROGRAMMES);

function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (typeof value !== 'object' || value === null || seen.has(value) || value instanceof Date) return value;
  seen.add(value);
  for (const inner of Object.values(value)) deepFreeze(inner, seen);
  return Object.freeze(value);
}

/**
 * The programme of a release. Its event carries the release's sequence as revision and the
 * release's time as update time, which feeds and caches follow.
 */
function releasedProgramme(db: Db, release: ReleaseHead): Programme {
  return cacheOf(db).getOrCompute(`release:${release.id}`, () => {
    const rows = parseSnapshot(findSnapshot(db, release.id)!);
    rows.event = { ...rows.event, revision: release.sequence, updatedAt: release.releasedAt };
    return deepFreeze(assembleProgramme(rows));
  });
}

/**
 * The working copy. Inside a transaction it is read afresh and not kept: a write under way may
 * still be rolled back, and its revision would then be given again to other content.
 */
function workingProgramme(db: Db, event: EventRow): Programme {
  if (db.$client.inTransaction) return programmeOf(db, event);
  return cacheOf(db).getOrCompute(`working:${event.id}:${event.revision}`, () => deepFreeze(programmeOf(db, event)));
}

/**
 * Which release the public sees of each event, and the word for what it sees, asked of the
 * database once until anything in it changes (db/generation.ts): a cached page costs no query.
 */
const latestReleases = perDatabaseValue((db: Db) => new GenerationMemo<string, ReleaseHead | null>(db));
const publicStates = perDatabaseValue((db: Db) => new GenerationMemo<string, string | null>(db));

/**
 * A word that changes whenever what the public sees of an event may change (a release, its
 * conclusions), or null for an unknown event or one never released: what cached responses of
 * the event are keyed by. The site's word ('*') changes with any event's.
 */
export function publicStateOf(db: Db, slug: string | '*'): string | null {
  return publicStates(db).get(slug, () => (slug === '*'
    ? listLatestReleases(db).map((r) => r.id).sort((a, b) => a - b).join(',')
    : findPublicStateOfSlug(db, slug)));
}

/** An event, by its address or by its row id (a personal agenda knows its event by id). */
export type EventRef = { slug: string } | { id: number };

/**
 * The programme of an event as the view shows it: the one way anything outside the programme
 * domain obtains a programme. 404 for an unknown event, or, released, for one never released.
 * The working copy's event row is read each time (one indexed query): a row read earlier may
 * carry an older revision, which would name an older working copy. Which release is the latest
 * is asked once per database generation, so a released programme costs no query at all.
 */
export function readProgramme(db: Db, ref: EventRef, view: ProgrammeView): Programme {
  const key = 'slug' in ref ? ref.slug : String(ref.id);
  if (view === 'working') {
    const event = 'slug' in ref ? findEventBySlug(db, ref.slug) : findEventById(db, ref.id);
    if (!event) throw new NotFoundError('event', key);
    return workingProgramme(db, event);
  }
  const release = latestReleases(db).get('slug' in ref ? `slug:${ref.slug}` : `id:${ref.id}`,
    () => ('slug' in ref ? findLatestReleaseOfSlug(db, ref.slug) : findLatestReleaseOfEvent(db, ref.id)));
  if (!release) throw new NotFoundError('event', key);
  return releasedProgramme(db, release);
}

/** The events participants can see, as released, by date then address. */
export function releasedEvents(db: Db): EventRow[] {
  return listLatestReleases(db).map((release) => releasedProgramme(db, release).event)
    .sort((a, b) => a.startDate.localeCompare(b.startDate) || a.slug.localeCompare(b.slug));
}
