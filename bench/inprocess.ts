// The organisers' computations over a whole programme, timed in this process by calling the
// domain functions on a copy of the bench's database (the server keeps the original).
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../server/db/client.ts';
import { programmeOf } from '../server/domains/programme/assemble.ts';
import { findConflicts } from '../server/domains/programme/conflicts.ts';
import { findEventBySlug } from '../server/domains/programme/repository.ts';
import { diffReleases } from '../server/domains/releases/changelog.ts';
import { readProgramme } from '../server/domains/releases/reader.ts';
import { pendingRelease } from '../server/domains/releases/service.ts';
import { Presenter } from '../server/web/shared/presenter.ts';
import type { Scope } from '../server/web/workspace/kit.ts';
import { gridModel } from '../server/web/workspace/grid/model.ts';
import { gridView } from '../server/web/workspace/grid/view.ts';
import { timeMedian } from './measure.ts';

export const IN_PROCESS_RUNS = 7;

export interface InProcessResult {
  id: string;
  what: string;
  ms: number;
  runs: number[];
  /** What the computation found: conflicts, changes. */
  count?: number;
}

/** A consistent copy of a live database (WAL included), through SQLite's backup. */
export async function copyDatabase(source: string, dir: string): Promise<string> {
  const copy = path.join(dir, 'in-process.db');
  const db = new Database(source, { fileMustExist: true });
  try {
    await db.backup(copy);
  } finally {
    db.close();
  }
  return copy;
}

export function inProcessTimes(databasePath: string, slug: string, wanted: (id: string) => boolean): InProcessResult[] {
  const db = openDatabase(databasePath);
  try {
    const event = findEventBySlug(db, slug);
    if (!event) throw new Error(`no event ${slug} in the copy`);
    const results: InProcessResult[] = [];
    const working = programmeOf(db, event);

    if (wanted('conflicts')) {
      let count = 0;
      const timed = timeMedian(IN_PROCESS_RUNS, () => { count = findConflicts(working).length; });
      results.push({ id: 'conflicts', what: `findConflicts over the working copy of ${slug} (${working.sessions.length} sessions)`, ...timed, count });
    }
    if (wanted('changelog')) {
      // What making a release computes before it writes: the previous release and the working
      // copy read and assembled, their changelog, and the clashes of what would be published.
      let count = 0;
      const timed = timeMedian(IN_PROCESS_RUNS, () => { count = pendingRelease(db, event, new Date()).changes.length; });
      results.push({ id: 'changelog', what: `pendingRelease of ${slug}: reads, assembles, diffReleases, findConflicts`, ...timed, count });

      const released = readProgramme(db, { slug }, 'released');
      let changes = 0;
      const diff = timeMedian(IN_PROCESS_RUNS, () => { changes = diffReleases(released, working).length; });
      results.push({ id: 'changelog diff', what: 'diffReleases alone, on two assembled programmes', ...diff, count: changes });

      const assemble = timeMedian(IN_PROCESS_RUNS, () => programmeOf(db, event));
      results.push({ id: 'changelog working copy', what: 'programmeOf: the working copy read and assembled', ...assemble });
    }
    if (wanted('admin grid day')) {
      // The organisers' grid of the first day (conflicts apart, timed above): the table's model
      // and every block's words, addresses and move form, before the template writes them.
      const scope = { event, locale: 'fr', presenter: new Presenter(event, 'fr'), base: `/admin/events/${slug}` } as Scope;
      let count = 0;
      const timed = timeMedian(IN_PROCESS_RUNS, () => { count = gridView(scope, gridModel(working, event.startDate), new Map(), null).json.sessions.length; });
      results.push({ id: 'admin grid day', what: `gridModel and gridView of ${slug}'s first day (${working.rooms.length} rooms)`, ...timed, count });
    }
    return results;
  } finally {
    db.$client.close();
  }
}
