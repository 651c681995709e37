// A release keeps the rows of the programme as they were released. Pure functions: rows to
// text and back, and the making of a release's rows from the working copy and the release before.
import type { ProgrammeRows } from '../programme/repository.ts';
import { assembleProgramme } from '../programme/assemble.ts';
import { calendarFingerprint } from './changelog.ts';

/**
 * The format of the rows a snapshot stores, raised whenever the rows change shape (a column
 * added to a programme table): a snapshot is read back through the upgrades from its own
 * format to this one, so old releases are always read as if made today.
 *   1: written without a format member; releases made before migration 0007 have sessions
 *      without subtitle, abstract, language and links;
 *   2: every session has them; releases made before migration 0011 have sessions and rooms
 *      without interpretation;
 *   3: every session and room has it.
 */
export const SNAPSHOT_FORMAT = 3;

type StoredRows = ProgrammeRows & { format?: number };

/** What each format lacks of the next one, filled in as "absent". */
const UPGRADES: Record<number, (rows: StoredRows) => void> = {
  1: (rows) => {
    for (const session of rows.sessions) {
      session.subtitle ??= null;
      session.abstract ??= null;
      session.language ??= null;
      session.links ??= null;
    }
  },
  // Before interpretation was recorded, nobody had set any: none, in the room and the session.
  2: (rows) => {
    for (const room of rows.rooms) room.interpretation ??= null;
    for (const session of rows.sessions) session.interpretation ??= null;
  },
};

/**
 * The rows as stored in `releases.snapshot`, with their format. Instants become ISO strings in
 * JSON. Sessions stay at $.sessions: the programme domain looks a released session up there.
 */
export function serializeSnapshot(rows: ProgrammeRows): string {
  return JSON.stringify({ format: SNAPSHOT_FORMAT, ...rows });
}

const instant = (value: unknown): Date => new Date(value as string);
const optionalInstant = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string));

/** Reads a stored snapshot back in today's format, with its instants as Dates again. */
export function parseSnapshot(text: string): ProgrammeRows {
  const { format = 1, ...rows } = JSON.parse(text) as StoredRows;
  if (format > SNAPSHOT_FORMAT) throw new Error(`This release was stored in snapshot format ${format}, newer than this server's (${SNAPSHOT_FORMAT})`);
  for (let from = format; from < SNAPSHOT_FORMAT; from += 1) UPGRADES[from]!(rows);
  rows.event.updatedAt = instant(rows.event.updatedAt);
  for (const part of rows.parts) {
    part.startsAt = optionalInstant(part.startsAt);
    part.endsAt = optionalInstant(part.endsAt);
  }
  for (const slot of rows.slots) {
    slot.startsAt = instant(slot.startsAt);
    slot.endsAt = instant(slot.endsAt);
  }
  for (const session of rows.sessions) {
    session.updatedAt = instant(session.updatedAt);
  }
  return rows;
}

const byId = <T extends { id: number }>(list: T[]) => new Map(list.map((item) => [item.id, item]));

/**
 * The rows a new release publishes: the working copy, except that
 * - a session cancelled before it was ever released is left out (nobody has it to cancel);
 * - a released session the working copy no longer has stays, cancelled: participants who
 *   saw it, and calendars that hold it, must learn that it will not take place;
 * - time slots that no session uses are left out: they show nowhere;
 * - each session's revision (the feeds' SEQUENCE) and update time follow releases: they
 *   move only when what participants see of the session changed since the last release.
 */
export function composeRelease(previous: ProgrammeRows | null, working: ProgrammeRows, releasedAt: Date): ProgrammeRows {
  const released = new Map((previous?.sessions ?? []).map((s) => [s.id, s]));
  const sessions = working.sessions.filter((s) => s.status !== 'cancelled' || released.has(s.id)).map((s) => ({ ...s }));
  const slots = working.slots.map((s) => ({ ...s }));
  const contributors = [...working.contributors];
  const sessionOutputs = [...working.sessionOutputs];

  if (previous) {
    const kept = new Set(sessions.map((s) => s.id));
    const parts = byId(working.parts);
    const rooms = byId(working.rooms);
    const people = byId(working.people);
    const organisations = byId(working.organisations);
    const outputs = byId(working.outputs);
    const slotIds = new Set(slots.map((s) => s.id));
    const previousSlots = byId(previous.slots);
    for (const lost of previous.sessions) {
      if (kept.has(lost.id)) continue;
      // It keeps its time (a calendar needs one to show the cancellation); what is gone from the working copy is left out.
      if (lost.slotId !== null && !slotIds.has(lost.slotId) && previousSlots.has(lost.slotId)) {
        slots.push({ ...previousSlots.get(lost.slotId)! });
        slotIds.add(lost.slotId);
      }
      sessions.push({
        ...lost,
        status: 'cancelled',
        partId: lost.partId !== null && parts.has(lost.partId) ? lost.partId : null,
        roomId: lost.roomId !== null && rooms.has(lost.roomId) ? lost.roomId : null,
      });
      contributors.push(...previous.contributors.filter((c) => c.sessionId === lost.id
        && (c.personId === null || people.has(c.personId)) && (c.organisationId === null || organisations.has(c.organisationId))));
      sessionOutputs.push(...previous.sessionOutputs.filter((o) => o.sessionId === lost.id && outputs.has(o.outputId)));
    }
    slots.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.endsAt.getTime() - b.endsAt.getTime());
    sessions.sort((a, b) => a.id - b.id);
  }

  // A time slot without sessions shows nowhere; releasing one would be a change nobody sees.
  const usedSlots = new Set(sessions.map((s) => s.slotId));
  const next: ProgrammeRows = {
    ...working, event: { ...working.event }, sessions, slots: slots.filter((s) => usedSlots.has(s.id)), contributors, sessionOutputs,
  };
  const before = previous ? new Map(assembleProgramme(previous).sessions.map((s) => [s.row.id, s])) : new Map();
  for (const session of assembleProgramme(next).sessions) {
    const was = before.get(session.row.id);
    if (was && calendarFingerprint(was) === calendarFingerprint(session)) {
      session.row.revision = was.row.revision;
      session.row.updatedAt = was.row.updatedAt;
    } else {
      session.row.revision = was ? was.row.revision + 1 : 0;
      session.row.updatedAt = releasedAt;
    }
  }
  return next;
}

/**
 * What participants can see of a programme, without what only bookkeeping changes (edit
 * versions, revisions, update times): two releases with equal content publish the same thing.
 */
export function publicContent(rows: ProgrammeRows): string {
  const strip = <T extends object>(row: T) => {
    const { version: _v, revision: _r, updatedAt: _u, ...rest } = row as T & { version?: unknown; revision?: unknown; updatedAt?: unknown };
    return rest;
  };
  return JSON.stringify({
    event: strip(rows.event),
    parts: rows.parts.map(strip),
    rooms: rows.rooms.map(strip),
    slots: rows.slots.map(strip),
    sessions: rows.sessions.map(strip),
    organisations: rows.organisations.map(strip),
    people: rows.people.map(strip),
    outputs: rows.outputs.map(strip),
    contributors: rows.contributors.map(({ id: _id, ...rest }) => rest),
    sessionOutputs: [...rows.sessionOutputs].sort((a, b) => a.sessionId - b.sessionId || a.outputId - b.outputId),
  });
}
