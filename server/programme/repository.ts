// Read queries of the programme domain. A whole programme is read in a fixed handful of
// queries, whatever the number of sessions, and assembled in memory by the service.
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import {
  events, expectedOutputs, organisations, parts, people, rooms, sessionContributors, sessionOutputs, sessions, timeSlots,
} from '../db/schema.ts';

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

export function listEvents(db: Db): EventRow[] {
  return db.select().from(events).orderBy(asc(events.startDate), asc(events.slug)).all();
}

export function findEventBySlug(db: Db, slug: string): EventRow | null {
  return db.select().from(events).where(eq(events.slug, slug)).get() ?? null;
}

export function listProgrammeRows(db: Db, event: EventRow): ProgrammeRows {
  const eventId = event.id;
  const sessionIdsOfEvent = sql`(select ${sessions.id} from ${sessions} where ${sessions.eventId} = ${eventId})`;
  return {
    event,
    parts: db.select().from(parts).where(eq(parts.eventId, eventId)).orderBy(asc(parts.position)).all(),
    rooms: db.select().from(rooms).where(eq(rooms.eventId, eventId)).orderBy(asc(rooms.position)).all(),
    slots: db.select().from(timeSlots).where(eq(timeSlots.eventId, eventId)).orderBy(asc(timeSlots.startsAt), asc(timeSlots.endsAt)).all(),
    sessions: db.select().from(sessions).where(eq(sessions.eventId, eventId)).orderBy(asc(sessions.id)).all(),
    organisations: db.select().from(organisations).where(eq(organisations.eventId, eventId)).orderBy(asc(organisations.id)).all(),
    people: db.select().from(people).where(eq(people.eventId, eventId)).orderBy(asc(people.name)).all(),
    outputs: db.select().from(expectedOutputs).where(eq(expectedOutputs.eventId, eventId)).orderBy(asc(expectedOutputs.position)).all(),
    contributors: db.select().from(sessionContributors)
      .where(sql`${sessionContributors.sessionId} in ${sessionIdsOfEvent}`)
      .orderBy(asc(sessionContributors.sessionId), asc(sessionContributors.position)).all(),
    sessionOutputs: db.select().from(sessionOutputs)
      .where(sql`${sessionOutputs.sessionId} in ${sessionIdsOfEvent}`).all(),
  };
}

/** Proves the database answers; used by the health check. */
export function pingDatabase(db: Db): boolean {
  return db.get<{ ok: number }>(sql`select 1 as ok`)?.ok === 1;
}
