// Queries of releases. The hot path (which release does the public see?) reads one indexed
// row without its snapshot; snapshots are read once per release and kept parsed by the service.
import { and, desc, eq, sql } from 'drizzle-orm';
import { preparedPerDatabase, type Db } from '../../db/client.ts';
import { conclusions, events, followUpItems, releases } from '../../db/schema.ts';

export type ReleaseRow = typeof releases.$inferSelect;
export type NewRelease = typeof releases.$inferInsert;

/** A release without its snapshot: what lists and lookups need. */
export type ReleaseHead = Pick<ReleaseRow, 'id' | 'publicId' | 'eventId' | 'sequence' | 'name' | 'releasedAt'>;

const head = {
  id: releases.id, publicId: releases.publicId, eventId: releases.eventId, sequence: releases.sequence, name: releases.name, releasedAt: releases.releasedAt,
};

function prepareStatements(db: Db) {
  return {
    latestOfSlug: db.select(head).from(releases).innerJoin(events, eq(events.id, releases.eventId))
      .where(eq(events.slug, sql.placeholder('slug'))).orderBy(desc(releases.sequence)).limit(1).prepare(),
    latestOfEvent: db.select(head).from(releases)
      .where(eq(releases.eventId, sql.placeholder('eventId'))).orderBy(desc(releases.sequence)).limit(1).prepare(),
    // The latest release of every event that has one.
    latestOfAll: db.select(head).from(releases)
      .where(sql`${releases.sequence} = (select max(r.sequence) from ${releases} r where r.event_id = ${releases.eventId})`).prepare(),
    // What the public can see of an event: its latest release and the state of its conclusions.
    publicStateOfSlug: db.select({
      release: sql<number | null>`(select max(r.id) from ${releases} r where r.event_id = e.id)`,
      conclusions: sql<string>`(select count(*) || ':' || total(c.published_revision) || ':' || coalesce(max(c.updated_at), 0) from ${conclusions} c where c.event_id = e.id)`,
      // Every write of a follow-up raises its item's version: the follow-up page, its feed and the report change with it.
      followUp: sql<string>`(select count(*) || ':' || total(f.version) from ${followUpItems} f where f.event_id = e.id)`,
    }).from(sql`${events} e`).where(sql`e.slug = ${sql.placeholder('slug')}`).prepare(),
    snapshot: db.select({ snapshot: releases.snapshot }).from(releases).where(eq(releases.id, sql.placeholder('id'))).prepare(),
  };
}

const statements = preparedPerDatabase(prepareStatements);

export function findLatestReleaseOfSlug(db: Db, slug: string): ReleaseHead | null {
  return statements(db).latestOfSlug.get({ slug }) ?? null;
}

export function findLatestReleaseOfEvent(db: Db, eventId: number): ReleaseHead | null {
  return statements(db).latestOfEvent.get({ eventId }) ?? null;
}

export function listLatestReleases(db: Db): ReleaseHead[] {
  return statements(db).latestOfAll.all();
}

/**
 * A word that changes whenever what the public sees of an event may have changed (a new
 * release, conclusions written or published), or null for an event never released.
 */
export function findPublicStateOfSlug(db: Db, slug: string): string | null {
  const row = statements(db).publicStateOfSlug.get({ slug });
  return row?.release ? `${row.release}/${row.conclusions}/${row.followUp}` : null;
}

export function findSnapshot(db: Db, releaseId: number): string | null {
  return statements(db).snapshot.get({ id: releaseId })?.snapshot ?? null;
}

/** An event's releases, newest first, with their notes and changes but not their snapshots. */
export function listReleases(db: Db, eventId: number) {
  return db.select({ ...head, note: releases.note, actor: releases.actor, userId: releases.userId, changes: releases.changes })
    .from(releases).where(eq(releases.eventId, eventId)).orderBy(desc(releases.sequence)).all();
}

export function findReleaseByName(db: Db, eventId: number, name: string): ReleaseHead | null {
  return db.select(head).from(releases).where(and(eq(releases.eventId, eventId), eq(releases.name, name))).get() ?? null;
}

export function insertRelease(db: Db, release: NewRelease): ReleaseHead {
  return db.insert(releases).values(release).returning(head).get();
}
