// Read queries of the programme domain. A whole programme is read in a fixed handful of
// queries, whatever the number of sessions, and assembled in memory by the service.
import { asc, eq, sql } from 'drizzle-orm';
import { preparedPerDatabase, type Db } from '../../db/client.ts';
import {
  events, expectedOutputs, organisations, parts, people, rooms, sessionContributors, sessionOutputs, sessions, timeSlots,
} from '../../db/schema.ts';

export type EventRow = typeof events.$inferSelect;
export type PartRow = typeof parts.$inferSelect;
export type RoomRow = typeof rooms.$inferSelect;
export type SlotRow = typeof timeSlots.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type OrganisationRow = typeof organisations.$inferSelect;
export type PersonRow = typeof people.$inferSelect;
export type OutputRow = typeof expectedOutputs.$inferSelect;
export type ContributorRow = typeof sessionContributors.$inferSelect;
export type SessionOutputRow = typeof sessionOutputs.$inferSelect;

export interface ProgrammeRows {
  event: EventRow;
  parts: PartRow[];
  rooms: RoomRow[];
  slots: SlotRow[];
  sessions: SessionRow[];
  organisations: OrganisationRow[];
  people: PersonRow[];
  outputs: OutputRow[];
  contributors: ContributorRow[];
  sessionOutputs: SessionOutputRow[];
}

/**
 * Statements are prepared once per database: preparing and building SQL cost more than
 * running these small queries, and every page runs them.
 */
function prepareStatements(db: Db) {
  const eventId = sql.placeholder('eventId');
  const sessionIdsOfEvent = sql`(select ${sessions.id} from ${sessions} where ${sessions.eventId} = ${eventId})`;
  return {
    listEvents: db.select().from(events).orderBy(asc(events.startDate), asc(events.slug)).prepare(),
    findEventBySlug: db.select().from(events).where(eq(events.slug, sql.placeholder('slug'))).prepare(),
    findEventById: db.select().from(events).where(eq(events.id, sql.placeholder('id'))).prepare(),
    findEventByPublicId: db.select().from(events).where(eq(events.publicId, sql.placeholder('publicId'))).prepare(),
    parts: db.select().from(parts).where(eq(parts.eventId, eventId)).orderBy(asc(parts.position)).prepare(),
    rooms: db.select().from(rooms).where(eq(rooms.eventId, eventId)).orderBy(asc(rooms.position)).prepare(),
    slots: db.select().from(timeSlots).where(eq(timeSlots.eventId, eventId)).orderBy(asc(timeSlots.startsAt), asc(timeSlots.endsAt)).prepare(),
    sessions: db.select().from(sessions).where(eq(sessions.eventId, eventId)).orderBy(asc(sessions.id)).prepare(),
    organisations: db.select().from(organisations).where(eq(organisations.eventId, eventId)).orderBy(asc(organisations.id)).prepare(),
    people: db.select().from(people).where(eq(people.eventId, eventId)).orderBy(asc(people.name)).prepare(),
    outputs: db.select().from(expectedOutputs).where(eq(expectedOutputs.eventId, eventId)).orderBy(asc(expectedOutputs.position)).prepare(),
    contributors: db.select().from(sessionContributors)
      .where(sql`${sessionContributors.sessionId} in ${sessionIdsOfEvent}`)
      .orderBy(asc(sessionContributors.sessionId), asc(sessionContributors.position)).prepare(),
    sessionOutputs: db.select().from(sessionOutputs).where(sql`${sessionOutputs.sessionId} in ${sessionIdsOfEvent}`).prepare(),
  };
}

const statements = preparedPerDatabase(prepareStatements);

export function listEvents(db: Db): EventRow[] {
  return statements(db).listEvents.all();
}

export function findEventBySlug(db: Db, slug: string): EventRow | null {
  return statements(db).findEventBySlug.get({ slug }) ?? null;
}

export function findEventById(db: Db, id: number): EventRow | null {
  return statements(db).findEventById.get({ id }) ?? null;
}

export function findEventByPublicId(db: Db, publicId: string): EventRow | null {
  return statements(db).findEventByPublicId.get({ publicId }) ?? null;
}

export function listProgrammeRows(db: Db, event: EventRow): ProgrammeRows {
  const q = statements(db);
  const params = { eventId: event.id };
  return {
    event,
    parts: q.parts.all(params),
    rooms: q.rooms.all(params),
    slots: q.slots.all(params),
    sessions: q.sessions.all(params),
    organisations: q.organisations.all(params),
    people: q.people.all(params),
    outputs: q.outputs.all(params),
    contributors: q.contributors.all(params),
    sessionOutputs: q.sessionOutputs.all(params),
  };
}

export function countEvents(db: Db): number {
  return db.select({ n: sql<number>`count(*)` }).from(events).get()?.n ?? 0;
}

export function insertEvent(db: Db, values: typeof events.$inferInsert): EventRow {
  return db.insert(events).values(values).returning().get();
}

/** Writes an event's fields; its revision, version and update time follow by the triggers, only when a value changes. */
export function updateEventRow(db: Db, id: number, values: Partial<typeof events.$inferInsert>): void {
  if (Object.keys(values).length > 0) db.update(events).set(values).where(eq(events.id, id)).run();
}

/** Proves the database answers; used by the health check. */
export function pingDatabase(db: Db): boolean {
  return db.get<{ ok: number }>(sql`select 1 as ok`)?.ok === 1;
}
