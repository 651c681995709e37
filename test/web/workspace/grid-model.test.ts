// The scheduling grid's model (server/web/workspace/grid/model.ts), a pure function of a
// programme and a day: which cells the table has, where each session sits, how long it is,
// which sessions share a cell, where roomless ones go, the day's bounds and step.
import { describe, expect, test } from 'vitest';
import type { Programme, ProgrammeSession } from '../../../server/domains/programme/assemble.ts';
import type { RoomRow } from '../../../server/domains/programme/repository.ts';
import { localToInstant } from '../../../server/time.ts';
import { eventDays, gridDays, gridModel, SESSIONS_ONLY, type GridModel } from '../../../server/web/workspace/grid/model.ts';

const ZONE = 'Europe/Paris';
const DAY = '2027-06-15';

function room(n: number): RoomRow {
  return { id: n, publicId: `room-${n}`, eventId: 1, position: n, name: { fr: `Salle ${n}` }, interpretation: null, version: 1 };
}

let ids = 0;
/** A session from local times of the event ("09:00", or "2027-06-16T01:00" for another day), in a room or none. */
function session(title: string, start: string | null, end: string | null, r: RoomRow | null = null, kind = 'session'): ProgrammeSession {
  ids += 1;
  const at = (t: string) => localToInstant(t.includes('T') ? t : `${DAY}T${t}`, ZONE);
  const slot = start && end ? { id: ids, publicId: `slot-${ids}`, eventId: 1, startsAt: at(start), endsAt: at(end), version: 1 } : null;
  return {
    row: { id: ids, publicId: title, title: { fr: title }, kind, status: 'confirmed', version: 1 },
    publicId: title, slot, part: null, room: r, contributors: [], outputs: [],
  } as unknown as ProgrammeSession;
}

function programme(rooms: RoomRow[], sessions: ProgrammeSession[], dates: [string, string] = [DAY, '2027-06-17']): Programme {
  const time = (s: ProgrammeSession) => s.slot?.startsAt.getTime() ?? Number.POSITIVE_INFINITY;
  return {
    event: { id: 1, timezone: ZONE, startDate: dates[0], endDate: dates[1] },
    parts: [], rooms, slots: [], outputs: [], organisations: [], people: [],
    sessions: [...sessions].sort((a, b) => time(a) - time(b) || (a.slot?.endsAt.getTime() ?? 0) - (b.slot?.endsAt.getTime() ?? 0)),
  } as unknown as Programme;
}

/** The table in short: each row's time and cells, "·room" for an empty one, "titles@room r×c" for one with sessions. */
function shape(model: GridModel): string[] {
  return model.rows.map((row) => `${row.time} ${row.cells.map((c) => (c.type === 'empty'
    ? `·${c.room || '-'}`
    : `${c.blocks.map((b) => b.session.publicId).join('+')}@${c.room || '-'} ${c.rowspan}×${c.colspan}`)).join(' | ')}`);
}

const A = room(1);
const B = room(2);

describe('the grid of a day', () => {
  test('an empty day shows 08:00 to 18:00 in quarters of an hour, an empty cell for each room at each time', () => {
    const model = gridModel(programme([A, B], []), DAY, SESSIONS_ONLY);
    expect({ step: model.step, start: model.dayStart, end: model.dayEnd, rows: model.rows.length, roomless: model.roomlessColumn })
      .toEqual({ step: 15, start: '08:00', end: '18:00', rows: 40, roomless: false });
    expect(shape(model).slice(0, 2)).toEqual(['08:00 ·room-1 | ·room-2', '08:15 ·room-1 | ·room-2']);
    expect(shape(model).at(-1)).toBe('17:45 ·room-1 | ·room-2');
    expect(model.offset).toBe('+02:00');
    expect(model.days).toEqual(['2027-06-15', '2027-06-16', '2027-06-17']);
  });

  test('an event without rooms has one column, "no room", for every session', () => {
    const model = gridModel(programme([], [session('s1', '09:00', '09:30'), session('s2', '09:15', '10:00')]), DAY, SESSIONS_ONLY);
    expect(model.roomlessColumn).toBe(true);
    expect(shape(model)).toEqual(['09:00 s1+s2@- 4×1', '09:15 ', '09:30 ', '09:45 ']);
  });

  test('sessions sit in their room\'s column for their length; a break across every room; clashes share one cell; a roomless session beside a room\'s goes to its own column', () => {
    const sessions = [
      session('a1', '09:00', '10:00', A),
      session('b1', '09:30', '10:30', B),
      session('pause', '10:30', '11:00', null, 'break'),
      session('a2', '11:00', '12:00', A),
      session('a3', '11:30', '12:30', A),
      session('b2', '12:00', '13:00', B),
      session('lunch', '12:30', '13:00', null, 'break'),
    ];
    const model = gridModel(programme([A, B], sessions), DAY, SESSIONS_ONLY);
    expect({ step: model.step, start: model.dayStart, end: model.dayEnd, roomless: model.roomlessColumn })
      .toEqual({ step: 15, start: '09:00', end: '13:00', roomless: true });
    expect(shape(model)).toEqual([
      '09:00 a1@room-1 4×1 | ·room-2 | ·-',
      '09:15 ·room-2 | ·-',
      '09:30 b1@room-2 4×1 | ·-',
      '09:45 ·-',
      '10:00 ·room-1 | ·-',
      '10:15 ·room-1 | ·-',
      // Nothing in the roomless column then: the break spans it too.
      '10:30 pause@- 2×3',
      '10:45 ',
      '11:00 a2+a3@room-1 6×1 | ·room-2 | ·-',
      '11:15 ·room-2 | ·-',
      '11:30 ·room-2 | ·-',
      '11:45 ·room-2 | ·-',
      '12:00 b2@room-2 4×1 | ·-',
      '12:15 ·-',
      '12:30 ·room-1 | lunch@- 2×1',
      '12:45 ·room-1',
    ]);
    const a2 = model.rows[8]!.cells[0]!;
    expect(a2.type === 'blocks' && a2.blocks.map((b) => [b.start, b.end, b.duration, b.from, b.to])).toEqual([['11:00', '12:00', 60, 660, 720], ['11:30', '12:30', 60, 690, 750]]);
  });

  test('a roomless session at the time of another spanning one goes to the roomless column, and the first spans only the rooms', () => {
    const model = gridModel(programme([A, B], [session('welcome', '09:00', '10:00', null, 'registration'), session('coffee', '09:30', '10:00', null, 'break')]), DAY, SESSIONS_ONLY);
    expect(shape(model)).toEqual([
      '09:00 welcome@- 4×2 | ·-',
      '09:15 ·-',
      '09:30 coffee@- 2×1',
      '09:45 ',
    ]);
  });

  test('the step follows the times: 10 minutes, else 5, when a session is off the quarters', () => {
    expect(gridModel(programme([A], [session('s', '09:10', '09:50', A)]), DAY, SESSIONS_ONLY).step).toBe(10);
    expect(gridModel(programme([A], [session('s', '09:15', '09:50', A)]), DAY, SESSIONS_ONLY).step).toBe(5);
    expect(gridModel(programme([A], [session('s', '09:05', '10:00', A)]), DAY, SESSIONS_ONLY).step).toBe(5);
    const model = gridModel(programme([A], [session('s', '09:10', '09:50', A)]), DAY, SESSIONS_ONLY);
    expect(shape(model)).toEqual(['09:00 ·room-1', '09:10 s@room-1 4×1', '09:20 ', '09:30 ', '09:40 ', '09:50 ·room-1']);
  });

  test('the day is widened to whole hours around its sessions', () => {
    const model = gridModel(programme([A], [session('s', '09:15', '10:45', A), session('t', '14:00', '17:20', A)]), DAY, SESSIONS_ONLY);
    expect({ start: model.dayStart, end: model.dayEnd, step: model.step, rows: model.rows.length }).toEqual({ start: '09:00', end: '18:00', step: 5, rows: 108 });
  });

  test('the grid always shows the working hours (08:00 to 18:00), so that there is a cell to add a session before the first and after the last', () => {
    const bounds = (model: GridModel) => ({ start: model.dayStart, end: model.dayEnd });
    expect(bounds(gridModel(programme([A], [session('s', '09:00', '10:00', A)]), DAY))).toEqual({ start: '08:00', end: '18:00' });
    expect(bounds(gridModel(programme([A], [session('early', '07:30', '08:30', A), session('late', '18:20', '19:10', A)]), DAY))).toEqual({ start: '07:00', end: '20:00' });
    const rows = gridModel(programme([A], [session('s', '09:00', '10:00', A)]), DAY).rows;
    expect(rows[0]!.cells.map((c) => c.type)).toEqual(['empty']);
    expect(rows.at(-1)!.cells.map((c) => c.type)).toEqual(['empty']);
  });

  test('a late evening past midnight is shown on its start day, to the day\'s end, with its real end and length', () => {
    const model = gridModel(programme([A], [session('gala', '22:00', '2027-06-16T01:00', A)]), DAY, SESSIONS_ONLY);
    expect({ start: model.dayStart, end: model.dayEnd }).toEqual({ start: '22:00', end: '24:00' });
    expect(shape(model)).toEqual(['22:00 gala@room-1 8×1', '22:15 ', '22:30 ', '22:45 ', '23:00 ', '23:15 ', '23:30 ', '23:45 ']);
    const cell = model.rows[0]!.cells[0]!;
    expect(cell.type === 'blocks' && [cell.blocks[0]!.end, cell.blocks[0]!.duration]).toEqual(['01:00', 180]);
    // Not on the next day.
    expect(gridModel(programme([A], [session('gala', '22:00', '2027-06-16T01:00', A)]), '2027-06-16').rows.every((r) => r.cells.every((c) => c.type === 'empty'))).toBe(true);
  });

  test('other days\' sessions stay off the grid; sessions without a time are listed whatever the day', () => {
    const model = gridModel(programme([A], [session('tomorrow', '2027-06-16T09:00', '2027-06-16T10:00', A), session('someday', null, null)]), DAY, SESSIONS_ONLY);
    expect(shape(model)[0]).toBe('08:00 ·room-1');
    expect(model.unscheduled.map((s) => s.publicId)).toEqual(['someday']);
  });

  test('the days are the event\'s, and any other day holding a session; the zone\'s offset is that day\'s', () => {
    const p = programme([A], [session('early', '2027-06-10T09:00', '2027-06-10T10:00', A)]);
    expect(gridDays(p)).toEqual(['2027-06-10', '2027-06-15', '2027-06-16', '2027-06-17']);
    expect(gridModel(p, '2027-06-10').days).toEqual(gridDays(p));
    expect(eventDays('2027-12-30', '2028-01-02')).toEqual(['2027-12-30', '2027-12-31', '2028-01-01', '2028-01-02']);
    expect(gridModel(programme([A], [], ['2027-11-12', '2027-11-12']), '2027-11-12').offset).toBe('+01:00');
  });

  test('a congress day of 400 sessions in 32 rooms: every session placed once, every cell of the table accounted for', () => {
    const rooms = Array.from({ length: 32 }, (_, i) => room(i + 1));
    const sessions: ProgrammeSession[] = [];
    for (let i = 0; i < 400; i += 1) {
      const r = rooms[i % 32]!;
      const slot = Math.floor(i / 32);
      const minutes = 8 * 60 + slot * 45;
      const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      sessions.push(session(`c${i}`, clock(minutes), clock(minutes + 45), r));
    }
    const model = gridModel(programme(rooms, sessions), DAY, SESSIONS_ONLY);
    const placed = model.rows.flatMap((r) => r.cells.flatMap((c) => (c.type === 'blocks' ? c.blocks.map((b) => b.session.publicId) : [])));
    expect(placed.sort()).toEqual(sessions.map((s) => s.publicId).sort());
    // Each column's cells cover its rows exactly once.
    const area = model.rows.reduce((n, r) => n + r.cells.reduce((m, c) => m + (c.type === 'empty' ? 1 : c.rowspan * c.colspan), 0), 0);
    expect(area).toBe(model.rows.length * 32);
    expect({ start: model.dayStart, end: model.dayEnd, step: model.step }).toEqual({ start: '08:00', end: '18:00', step: 15 });
  });
});
