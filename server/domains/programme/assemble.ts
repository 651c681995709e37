// Rules of the programme domain: assembling a programme from its rows, filtering it,
// and telling what is on now. Pure functions of plain data except programmeOf.
import type { Db } from '../../db/client.ts';
import type { ContributorRole } from '../../db/schema.ts';
import { NotFoundError } from '../../errors.ts';
import { localDate } from '../../time.ts';
import type { Interpretation } from '../../db/schema.ts';
import { effectiveInterpretation, floorLanguages, followableLanguages, primaryLanguage } from './languages.ts';
import {
  listProgrammeRows, type ProgrammeRows,
  type EventRow, type OrganisationRow, type OutputRow, type PartRow, type PersonRow, type RoomRow, type SessionRow, type SlotRow,
} from './repository.ts';

export interface ProgrammeContributor {
  role: ContributorRole;
  person: PersonRow | null;
  organisation: OrganisationRow | null;
}

export interface ProgrammeSession {
  row: SessionRow;
  publicId: string;
  slot: SlotRow | null;
  part: PartRow | null;
  room: RoomRow | null;
  contributors: ProgrammeContributor[];
  outputs: OutputRow[];
  /** The languages it is held in: its own tags, else the event's default language. */
  floor: string[];
  /** What participants get: its own interpretation, else its room's, else none (languages.ts). */
  interpretation: Interpretation[];
  /** Whether that interpretation is the room's. */
  interpretationInherited: boolean;
}

export interface Programme {
  event: EventRow;
  parts: PartRow[];
  rooms: RoomRow[];
  slots: SlotRow[];
  outputs: OutputRow[];
  organisations: OrganisationRow[];
  people: PersonRow[];
  /** Scheduled sessions in time order (then room order), unscheduled ones last. */
  sessions: ProgrammeSession[];
}

/**
 * Reads and assembles the working copy of an event's programme, the one organisers edit, in a
 * fixed handful of queries. Participants see a release instead (domains/releases/).
 */
export function programmeOf(db: Db, event: EventRow): Programme {
  return assembleProgramme(listProgrammeRows(db, event));
}

/** Links the rows of a programme together: sessions with their slot, part, room, contributors and outputs. */
export function assembleProgramme(rows: ProgrammeRows): Programme {
  const { event } = rows;
  const byId = <T extends { id: number }>(list: T[]) => new Map(list.map((item) => [item.id, item]));
  const partsById = byId(rows.parts);
  const roomsById = byId(rows.rooms);
  const slotsById = byId(rows.slots);
  const peopleById = byId(rows.people);
  const organisationsById = byId(rows.organisations);
  const outputsById = byId(rows.outputs);

  const contributorsBySession = new Map<number, ProgrammeContributor[]>();
  for (const c of rows.contributors) {
    const list = contributorsBySession.get(c.sessionId) ?? [];
    list.push({
      role: c.role,
      person: c.personId === null ? null : peopleById.get(c.personId) ?? null,
      organisation: c.organisationId === null ? null : organisationsById.get(c.organisationId) ?? null,
    });
    contributorsBySession.set(c.sessionId, list);
  }
  const outputsBySession = new Map<number, OutputRow[]>();
  for (const link of rows.sessionOutputs) {
    const output = outputsById.get(link.outputId);
    if (!output) continue;
    const list = outputsBySession.get(link.sessionId) ?? [];
    list.push(output);
    outputsBySession.set(link.sessionId, list);
  }

  const sessions: ProgrammeSession[] = rows.sessions.map((row) => {
    const room = row.roomId === null ? null : roomsById.get(row.roomId) ?? null;
    return {
      row,
      publicId: row.publicId,
      slot: row.slotId === null ? null : slotsById.get(row.slotId) ?? null,
      part: row.partId === null ? null : partsById.get(row.partId) ?? null,
      room,
      contributors: contributorsBySession.get(row.id) ?? [],
      outputs: (outputsBySession.get(row.id) ?? []).sort((a, b) => a.position - b.position),
      floor: floorLanguages(row.language, event.defaultLanguage),
      interpretation: effectiveInterpretation(row, room),
      interpretationInherited: row.interpretation === null && (room?.interpretation ?? null) !== null,
    };
  });
  sessions.sort(compareSessions);
  return { event, parts: rows.parts, rooms: rows.rooms, slots: rows.slots, outputs: rows.outputs, organisations: rows.organisations, people: rows.people, sessions };
}

function compareSessions(a: ProgrammeSession, b: ProgrammeSession): number {
  const start = (s: ProgrammeSession) => s.slot?.startsAt.getTime() ?? Number.POSITIVE_INFINITY;
  const end = (s: ProgrammeSession) => s.slot?.endsAt.getTime() ?? Number.POSITIVE_INFINITY;
  return start(a) - start(b) || end(a) - end(b)
    || (a.room?.position ?? Number.MAX_SAFE_INTEGER) - (b.room?.position ?? Number.MAX_SAFE_INTEGER)
    || a.row.id - b.row.id;
}

export function findSession(programme: Programme, publicId: string): ProgrammeSession {
  const session = programme.sessions.find((s) => s.publicId === publicId);
  if (!session) throw new NotFoundError('session', publicId);
  return session;
}

export type Contributor =
  | { kind: 'person'; person: PersonRow; organisation: OrganisationRow | null }
  | { kind: 'organisation'; organisation: OrganisationRow };

/** A person or an organisation of the event, by public id. */
export function findContributor(programme: Programme, publicId: string): Contributor {
  const person = programme.people.find((p) => p.publicId === publicId);
  if (person) {
    const organisation = programme.organisations.find((o) => o.id === person.organisationId) ?? null;
    return { kind: 'person', person, organisation };
  }
  const organisation = programme.organisations.find((o) => o.publicId === publicId);
  if (organisation) return { kind: 'organisation', organisation };
  throw new NotFoundError('speaker', publicId);
}

function isContribution(c: ProgrammeContributor, contributor: Contributor): boolean {
  return contributor.kind === 'person'
    ? c.person?.id === contributor.person.id
    : c.organisation?.id === contributor.organisation.id || (c.person !== null && c.person.organisationId === contributor.organisation.id);
}

/** Whether a contributor takes part in a session, directly or (for an organisation) through one of its people. */
export function involves(session: ProgrammeSession, contributor: Contributor): boolean {
  return session.contributors.some((c) => isContribution(c, contributor));
}

/** The roles a contributor holds in a session, each once. */
export function rolesIn(session: ProgrammeSession, contributor: Contributor): ContributorRole[] {
  return [...new Set(session.contributors.filter((c) => isContribution(c, contributor)).map((c) => c.role))];
}

export interface ProgrammeFilters {
  part?: PartRow | undefined;
  room?: RoomRow | undefined;
  contributor?: Contributor | undefined;
  /** A language the session can be followed in, on the floor or through interpretation (a primary subtag, "es"). */
  follow?: string | undefined;
}

/** The query parameters that filter a programme. */
export type FilterName = 'part' | 'room' | 'speaker' | 'follow';

export interface ResolvedFilters {
  filters: ProgrammeFilters;
  /** The filters whose value names nothing in this programme (an old link, a typo): left out. */
  ignored: FilterName[];
}

/**
 * Turns filter ids from the query into the event's part, room and contributor. An id the
 * programme lacks is ignored, not refused: links outlive releases, and a link to a room that
 * was since removed should still open the programme.
 */
export function resolveFilters(programme: Programme, query: { part?: string | undefined; room?: string | undefined; speaker?: string | undefined; follow?: string | undefined }): ResolvedFilters {
  const filters: ProgrammeFilters = {};
  const ignored: FilterName[] = [];
  if (query.part) {
    filters.part = programme.parts.find((p) => p.publicId === query.part);
    if (!filters.part) ignored.push('part');
  }
  if (query.room) {
    filters.room = programme.rooms.find((r) => r.publicId === query.room);
    if (!filters.room) ignored.push('room');
  }
  if (query.speaker) {
    try {
      filters.contributor = findContributor(programme, query.speaker);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      ignored.push('speaker');
    }
  }
  if (query.follow) {
    const wanted = primaryLanguage(query.follow);
    if (programmeLanguages(programme).includes(wanted)) filters.follow = wanted;
    else ignored.push('follow');
  }
  return { filters, ignored };
}

export function isFiltered(filters: ProgrammeFilters): boolean {
  return Boolean(filters.part || filters.room || filters.contributor || filters.follow);
}

/** Whether a participant who understands `language` (a primary subtag) can follow the session: held in it, or interpreted into it. */
export function canFollowIn(session: ProgrammeSession, language: string): boolean {
  return followableLanguages(session.floor, session.interpretation).includes(language);
}

/** The languages some session of the programme can be followed in (primary subtags), in alphabetical order. */
export function programmeLanguages(programme: Programme): string[] {
  return [...new Set(programme.sessions.flatMap((s) => followableLanguages(s.floor, s.interpretation)))].sort();
}

export function filterSessions(programme: Programme, filters: ProgrammeFilters): ProgrammeSession[] {
  return programme.sessions.filter((s) =>
    (!filters.part || s.part?.id === filters.part.id)
    && (!filters.room || s.room?.id === filters.room.id)
    && (!filters.contributor || involves(s, filters.contributor))
    && (!filters.follow || canFollowIn(s, filters.follow)));
}

/** What a programme page shows of the days: one local date, every day, or the sessions without a time. */
export type DayChoice = { kind: 'date'; date: string } | { kind: 'all' } | { kind: 'unscheduled' };

/** The `?day=` values besides a date: every day at once (to print or search), and the sessions without a time. */
export const ALL_DAYS = 'all';
export const UNSCHEDULED = 'unscheduled';

export interface DayPlan {
  /** The event's local dates that have sessions, in order. */
  dates: string[];
  /** Whether some sessions have no time yet. */
  hasUnscheduled: boolean;
  /** Whether the programme is shown a day at a time: it has more than one date. */
  paged: boolean;
  selected: DayChoice;
  /** Whether `?day=` named no day of the programme and the default day is shown instead. */
  ignored: boolean;
  /** Per date, the sessions that pass the filters; UNSCHEDULED counts those without a time. */
  counts: Map<string, number>;
  /** The sessions to show: those that pass the filters, on the selected day. */
  sessions: ProgrammeSession[];
}

/** The local date a session belongs to (its start, in the event's zone), or null without a time. */
function sessionDate(session: ProgrammeSession, zone: string): string | null {
  return session.slot ? localDate(session.slot.startsAt, zone) : null;
}

/**
 * Which day a programme page shows. With more than one date, one at a time: the day asked for,
 * else today in the event's zone while the event runs (or its next day with sessions), else the
 * first day. Unasked, a filtered page moves on to a day where the filters match something, so
 * that a part's page opens on that part's day. `filtered` are the sessions passing the filters.
 */
export function planDays(programme: Programme, filtered: ProgrammeSession[], requested: string | undefined, now: Date, isFilteredView: boolean): DayPlan {
  const zone = programme.event.timezone;
  const dates = [...new Set(programme.sessions.map((s) => sessionDate(s, zone)).filter((d): d is string => d !== null))].sort();
  const hasUnscheduled = programme.sessions.some((s) => s.slot === null);
  const counts = new Map<string, number>(dates.map((d) => [d, 0]));
  if (hasUnscheduled) counts.set(UNSCHEDULED, 0);
  for (const s of filtered) {
    const key = sessionDate(s, zone) ?? UNSCHEDULED;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const paged = dates.length > 1;
  const known = requested === undefined || requested === '' || requested === ALL_DAYS
    || dates.includes(requested) || (requested === UNSCHEDULED && hasUnscheduled);
  const plan = { dates, hasUnscheduled, paged, ignored: !known, counts };
  if (!paged) return { ...plan, selected: { kind: 'all' }, sessions: filtered };

  let selected: DayChoice;
  if (requested === ALL_DAYS) selected = { kind: 'all' };
  else if (requested === UNSCHEDULED && hasUnscheduled) selected = { kind: 'unscheduled' };
  else if (requested !== undefined && dates.includes(requested)) selected = { kind: 'date', date: requested };
  else selected = defaultDay(programme.event, dates, counts, now, isFilteredView);

  const sessions = selected.kind === 'all' ? filtered
    : selected.kind === 'unscheduled' ? filtered.filter((s) => s.slot === null)
    : filtered.filter((s) => sessionDate(s, zone) === selected.date);
  return { ...plan, selected, sessions };
}

function defaultDay(event: EventRow, dates: string[], counts: Map<string, number>, now: Date, isFilteredView: boolean): DayChoice {
  const today = localDate(now, event.timezone);
  const first = dates[0]!;
  const last = dates.at(-1)!;
  const running = today >= (event.startDate < first ? event.startDate : first) && today <= (event.endDate > last ? event.endDate : last);
  const base = running ? dates.find((d) => d >= today) ?? first : first;
  if (!isFilteredView || (counts.get(base) ?? 0) > 0) return { kind: 'date', date: base };
  const matching = dates.filter((d) => (counts.get(d) ?? 0) > 0);
  const next = matching.find((d) => d > base) ?? matching[0];
  if (next) return { kind: 'date', date: next };
  if ((counts.get(UNSCHEDULED) ?? 0) > 0) return { kind: 'unscheduled' };
  return { kind: 'date', date: base };
}

export interface LiveState {
  /** True between the start of the first session and the end of the last. */
  live: boolean;
  /** Where the clock stands against the programme's hours. */
  phase: 'notStarted' | 'live' | 'ended';
  current: Set<string>;
  next: Set<string>;
}

/** Which sessions are on now and which come next; nothing is highlighted outside the event's hours. */
export function liveState(sessions: ProgrammeSession[], now: Date): LiveState {
  const scheduled = sessions.filter((s) => s.slot !== null && s.row.status !== 'cancelled');
  const state: LiveState = { live: false, phase: 'notStarted', current: new Set(), next: new Set() };
  if (scheduled.length === 0) return state;
  const t = now.getTime();
  const first = Math.min(...scheduled.map((s) => s.slot!.startsAt.getTime()));
  const last = Math.max(...scheduled.map((s) => s.slot!.endsAt.getTime()));
  if (t < first) return state;
  if (t >= last) return { ...state, phase: 'ended' };
  state.live = true;
  state.phase = 'live';
  for (const s of scheduled) {
    if (s.slot!.startsAt.getTime() <= t && t < s.slot!.endsAt.getTime()) state.current.add(s.publicId);
  }
  const upcoming = scheduled.filter((s) => s.slot!.startsAt.getTime() > t);
  if (upcoming.length > 0) {
    const nextStart = Math.min(...upcoming.map((s) => s.slot!.startsAt.getTime()));
    for (const s of upcoming) if (s.slot!.startsAt.getTime() === nextStart) state.next.add(s.publicId);
  }
  return state;
}

export interface RoomNow {
  room: RoomRow | null;
  current: ProgrammeSession | null;
  next: ProgrammeSession | null;
}

/** For the venue screen: per room, the session on now and the one after it. */
export function nowByRoom(programme: Programme, now: Date): RoomNow[] {
  const t = now.getTime();
  const rooms: (RoomRow | null)[] = [...programme.rooms];
  if (programme.sessions.some((s) => s.room === null && s.slot !== null)) rooms.push(null);
  return rooms.map((room) => {
    const here = programme.sessions.filter((s) => s.slot !== null && s.row.status !== 'cancelled' && (s.room?.id ?? null) === (room?.id ?? null));
    const current = here.find((s) => s.slot!.startsAt.getTime() <= t && t < s.slot!.endsAt.getTime()) ?? null;
    const next = here.find((s) => s.slot!.startsAt.getTime() > t) ?? null;
    return { room, current, next };
  });
}

export type EventPhase = 'upcoming' | 'live' | 'past';

/** Compares the event's local dates with today's local date in the event's zone. */
export function eventPhase(event: EventRow, now: Date): EventPhase {
  const today = localDate(now, event.timezone);
  if (today < event.startDate) return 'upcoming';
  if (today > event.endDate) return 'past';
  return 'live';
}
