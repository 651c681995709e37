// The scheduling grid of one day, as a pure function of the working copy: rooms as columns,
// time as rows, each session a cell as long as it lasts. Built in one pass over the sorted
// sessions and one over the table's cells, so that a congress day of hundreds of sessions in
// dozens of rooms costs what its table costs, never sessions × cells.
import type { Programme, ProgrammeSession } from '../../../domains/programme/assemble.ts';
import type { RoomRow } from '../../../domains/programme/repository.ts';
import { localClock, localDate, localToInstant, utcOffsetLabel } from '../../../time.ts';

/**
 * The hours a day always shows (minutes from midnight), so that a session can be added before
 * the first or after the last, and an empty day has somewhere to add the first one.
 */
export const WORKING_HOURS = { start: 8 * 60, end: 18 * 60 } as const;
/** Only the whole hours around the day's sessions (an empty day still shows the working hours). */
export const SESSIONS_ONLY = null;
const DAY_END = 24 * 60;
const DAY_MS = 86_400_000;

/** A session placed on the grid, its times on the event's clock. */
export interface GridBlock {
  session: ProgrammeSession;
  start: string;
  /** Its real end on the clock (after midnight for a late evening). */
  end: string;
  /** Its real length in minutes. */
  duration: number;
  /** Minutes after midnight, the end clipped to the day's end. */
  from: number;
  to: number;
}

export type GridCell =
  | { type: 'empty'; room: string; time: string }
  | {
    type: 'blocks'; room: string; time: string; rowspan: number; colspan: number;
    /** In start order; more than one when sessions overlap in one room (a clash) or in the roomless column. */
    blocks: GridBlock[];
  };

export interface GridRow {
  time: string;
  cells: GridCell[];
}

export interface GridModel {
  day: string;
  /** Every day of the event, in order. */
  days: string[];
  /** The zone's offset from UTC on that day: "+02:00". */
  offset: string;
  step: number;
  dayStart: string;
  dayEnd: string;
  rooms: RoomRow[];
  /** Whether the table has a last column for sessions without a room. */
  roomlessColumn: boolean;
  rows: GridRow[];
  /** Sessions without a time, whatever the day. */
  unscheduled: ProgrammeSession[];
}

export const clockOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** The event's days, first to last (an event lasts a year at most). */
export function eventDays(startDate: string, endDate: string): string[] {
  const days: string[] = [];
  const last = Date.parse(`${endDate}T00:00:00Z`);
  for (let t = Date.parse(`${startDate}T00:00:00Z`); t <= last && days.length < 400; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * The event's days, and any other day holding a session (one outside the event's dates is a
 * conflict to see and move, not to hide).
 */
function daysOf(startDate: string, endDate: string, held: Set<string>): string[] {
  const days = eventDays(startDate, endDate);
  const extra = [...held].filter((d) => d < startDate || d > endDate);
  return extra.length === 0 ? days : [...days, ...extra].sort();
}

/** The days the grid offers: the event's, and any other holding a session. */
export function gridDays(programme: Programme): string[] {
  const zone = programme.event.timezone;
  const held = new Set(programme.sessions.flatMap((s) => (s.slot ? [localDate(s.slot.startsAt, zone)] : [])));
  return daysOf(programme.event.startDate, programme.event.endDate, held);
}

/** The zone's offset at noon of a day (a clock change happens at night). */
function offsetOn(day: string, zone: string): string {
  try {
    return utcOffsetLabel(localToInstant(`${day}T12:00`, zone), zone).slice(3);
  } catch {
    return utcOffsetLabel(new Date(`${day}T12:00:00Z`), zone).slice(3);
  }
}

/** The finest step that puts every start and end on a row: 15 minutes, else 10, else 5. */
function stepFor(blocks: GridBlock[]): number {
  const fits = (step: number) => blocks.every((b) => b.from % step === 0 && b.to % step === 0);
  return fits(15) ? 15 : fits(10) ? 10 : 5;
}

function blocksOf(programme: Programme, day: string): { blocks: GridBlock[]; unscheduled: ProgrammeSession[]; days: Set<string> } {
  const zone = programme.event.timezone;
  const blocks: GridBlock[] = [];
  const unscheduled: ProgrammeSession[] = [];
  const days = new Set<string>();
  for (const session of programme.sessions) {
    const slot = session.slot;
    if (!slot) { unscheduled.push(session); continue; }
    const date = localDate(slot.startsAt, zone);
    days.add(date);
    if (date !== day) continue;
    const start = localClock(slot.startsAt, zone);
    const end = localClock(slot.endsAt, zone);
    const from = minutesOf(start);
    // A late evening that runs past midnight is shown on its start day, up to the day's end.
    const to = localDate(slot.endsAt, zone) === day ? Math.max(minutesOf(end), from + 1) : DAY_END;
    blocks.push({ session, start, end, duration: Math.round((slot.endsAt.getTime() - slot.startsAt.getTime()) / 60_000), from, to });
  }
  return { blocks, unscheduled, days };
}

interface Placed { col: number; row: number; rowspan: number; colspan: number; blocks: GridBlock[] }

/** Groups a column's blocks (in start order) into cells: blocks whose rows overlap share one. */
function cellsOfColumn(blocks: GridBlock[], col: number, rowOf: (m: number) => number, endRowOf: (m: number) => number): Placed[] {
  const cells: Placed[] = [];
  let current: Placed | null = null;
  for (const block of blocks) {
    const row = rowOf(block.from);
    const end = Math.max(endRowOf(block.to), row + 1);
    if (current && row < current.row + current.rowspan) {
      current.blocks.push(block);
      current.rowspan = Math.max(current.rowspan, end - current.row);
    } else {
      current = { col, row, rowspan: end - row, colspan: 1, blocks: [block] };
      cells.push(current);
    }
  }
  return cells;
}

/** Rows taken in a column, to tell in one look whether a span of rows is free. */
class Rows {
  private readonly taken: Uint8Array;
  constructor(count: number) { this.taken = new Uint8Array(count); }
  take(row: number, span: number) { this.taken.fill(1, row, row + span); }
  free(row: number, span: number) {
    for (let r = row; r < row + span; r += 1) if (this.taken[r]) return false;
    return true;
  }
}

/** The grid of one day of the working copy. */
export function gridModel(programme: Programme, day: string, hours: { start: number; end: number } | null = WORKING_HOURS): GridModel {
  const { event } = programme;
  const { blocks, unscheduled, days } = blocksOf(programme, day);
  const step = stepFor(blocks);
  // Sessions outside the hours shown widen the day to whole hours.
  const shown = hours ?? (blocks.length === 0 ? WORKING_HOURS : { start: DAY_END, end: 0 });
  const start = Math.min(shown.start, ...blocks.map((b) => Math.floor(b.from / 60) * 60));
  const end = Math.min(DAY_END, Math.max(shown.end, ...blocks.map((b) => Math.ceil(b.to / 60) * 60)));
  const rowCount = Math.max(1, (end - start) / step);
  const rowOf = (m: number) => Math.min(rowCount - 1, Math.floor((m - start) / step));
  const endRowOf = (m: number) => Math.min(rowCount, Math.ceil((m - start) / step));

  const rooms = programme.rooms;
  const column = new Map(rooms.map((r, i) => [r.id, i]));
  const byRoom: GridBlock[][] = rooms.map(() => []);
  const roomless: GridBlock[] = [];
  for (const b of blocks) (b.session.room ? byRoom[column.get(b.session.room.id)!]! : roomless).push(b);

  const placed: Placed[] = byRoom.flatMap((list, col) => cellsOfColumn(list, col, rowOf, endRowOf));
  // Rows where some room holds a session: a roomless session there cannot span the rooms.
  const roomRows = new Rows(rowCount);
  for (const p of placed) roomRows.take(p.row, p.rowspan);
  const spanning: GridBlock[] = [];
  const inColumn: GridBlock[] = [];
  for (const b of roomless) {
    const row = rowOf(b.from);
    const span = Math.max(endRowOf(b.to), row + 1) - row;
    if (rooms.length > 0 && roomRows.free(row, span)) {
      spanning.push(b);
      roomRows.take(row, span);
    } else inColumn.push(b);
  }
  const roomlessColumn = rooms.length === 0 || inColumn.length > 0;
  const columnCells = roomlessColumn ? cellsOfColumn(inColumn, rooms.length, rowOf, endRowOf) : [];
  const columnRows = new Rows(rowCount);
  for (const p of columnCells) columnRows.take(p.row, p.rowspan);
  for (const b of spanning) {
    const row = rowOf(b.from);
    const rowspan = Math.max(endRowOf(b.to), row + 1) - row;
    // Across the roomless column too, when nothing is there at that time.
    const colspan = rooms.length + (roomlessColumn && columnRows.free(row, rowspan) ? 1 : 0);
    placed.push({ col: 0, row, rowspan, colspan, blocks: [b] });
  }
  placed.push(...columnCells);

  return {
    day, days: daysOf(event.startDate, event.endDate, days), offset: offsetOn(day, event.timezone), step,
    dayStart: clockOf(start), dayEnd: clockOf(end), rooms, roomlessColumn, rows: tableRows(placed, rooms, roomlessColumn, rowCount, start, step), unscheduled,
  };
}

/** The table, row by row: each placed cell where it starts, an empty cell wherever nothing covers. */
function tableRows(placed: Placed[], rooms: RoomRow[], roomlessColumn: boolean, rowCount: number, start: number, step: number): GridRow[] {
  const cols = rooms.length + (roomlessColumn ? 1 : 0);
  const roomIds = [...rooms.map((r) => r.publicId), ''];
  const covered = new Uint8Array(rowCount * cols);
  const startsAt = new Map<number, Placed>();
  for (const p of placed) {
    startsAt.set(p.row * cols + p.col, p);
    for (let r = p.row; r < p.row + p.rowspan; r += 1) covered.fill(1, r * cols + p.col, r * cols + p.col + p.colspan);
  }
  const rows: GridRow[] = [];
  for (let r = 0; r < rowCount; r += 1) {
    const time = clockOf(start + r * step);
    const cells: GridCell[] = [];
    for (let c = 0; c < cols; c += 1) {
      const p = startsAt.get(r * cols + c);
      const room = p ? p.blocks[0]!.session.room?.publicId ?? '' : roomIds[c]!;
      if (p) cells.push({ type: 'blocks', room, time, rowspan: p.rowspan, colspan: p.colspan, blocks: p.blocks });
      else if (!covered[r * cols + c]) cells.push({ type: 'empty', room, time });
    }
    rows.push({ time, cells });
  }
  return rows;
}
