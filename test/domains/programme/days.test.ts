// Which day a programme page shows (planDays) and which filters it keeps (resolveFilters):
// pure functions of a programme, tested on a hand-built one over three days in Europe/Madrid,
// whose middle date has no session.
import { describe, expect, test } from 'vitest';
import {
  filterSessions, planDays, resolveFilters, type Programme, type ProgrammeSession,
} from '../../../server/domains/programme/assemble.ts';
import type { EventRow, PartRow, RoomRow, SessionRow, SlotRow } from '../../../server/domains/programme/repository.ts';
import { localToInstant } from '../../../server/time.ts';

const ZONE = 'Europe/Madrid';
const at = (local: string) => localToInstant(local, ZONE);

let nextId = 1;
const event = {
  id: 1, publicId: 'event', slug: 'congress', timezone: ZONE, defaultLanguage: 'fr', languages: ['fr'],
  title: { fr: 'Congrès' }, startDate: '2021-10-04', endDate: '2021-10-06',
} as EventRow;
const part = (name: string) => ({ id: nextId++, publicId: `part-${name}`, label: { fr: name }, title: { fr: name } }) as PartRow;
const room = { id: nextId++, publicId: 'room-a', name: { fr: 'A' }, position: 0 } as RoomRow;
const monday = part('lundi');
const wednesday = part('mercredi');
const later = part('plus tard');

function session(title: string, start: string | null, sessionPart: PartRow): ProgrammeSession {
  const id = nextId++;
  const slot = start === null ? null : { id: nextId++, startsAt: at(start), endsAt: new Date(at(start).getTime() + 3_600_000) } as SlotRow;
  return {
    row: { id, publicId: title, title: { fr: title }, status: 'confirmed', kind: 'session', slotId: slot?.id ?? null } as SessionRow,
    publicId: title, slot, part: sessionPart, room: null, contributors: [], outputs: [], floor: ['fr'], interpretation: [], interpretationInherited: false,
  };
}

// Monday 4 and Wednesday 6 October 2021; 23:30 on Monday is still Monday in Madrid (21:30 UTC).
const programme: Programme = {
  event, parts: [monday, wednesday, later], rooms: [room], slots: [], outputs: [], organisations: [], people: [],
  sessions: [
    session('ouverture', '2021-10-04T09:00', monday),
    session('dîner', '2021-10-04T23:30', monday),
    session('clôture', '2021-10-06T09:00', wednesday),
    session('à fixer', null, later),
  ],
};

const plan = (requested: string | undefined, now: string, filters: Parameters<typeof filterSessions>[1] = {}) => {
  const filtered = filterSessions(programme, filters);
  const result = planDays(programme, filtered, requested, new Date(now), Object.keys(filters).length > 0);
  return { selected: result.selected, ignored: result.ignored, shown: result.sessions.map((s) => s.publicId) };
};

describe('planDays', () => {
  test('the dates are the local dates that have sessions, and every count starts from the filtered sessions', () => {
    const result = planDays(programme, programme.sessions, undefined, new Date('2021-01-01T00:00:00Z'), false);
    expect(result.dates).toEqual(['2021-10-04', '2021-10-06']);
    expect(result.hasUnscheduled).toBe(true);
    expect(result.paged).toBe(true);
    expect([...result.counts]).toEqual([['2021-10-04', 2], ['2021-10-06', 1], ['unscheduled', 1]]);
  });

  test('unasked: the first day before and after the event, today while it runs, and on a date without sessions the next day that has some', () => {
    expect(plan(undefined, '2021-01-01T00:00:00Z')).toEqual({ selected: { kind: 'date', date: '2021-10-04' }, ignored: false, shown: ['ouverture', 'dîner'] });
    expect(plan(undefined, '2021-10-04T21:59:00Z').selected).toEqual({ kind: 'date', date: '2021-10-04' }); // 23:59 in Madrid
    expect(plan(undefined, '2021-10-04T22:00:00Z').selected).toEqual({ kind: 'date', date: '2021-10-06' }); // Tuesday 00:00: nothing that day
    expect(plan(undefined, '2021-10-06T20:00:00Z').selected).toEqual({ kind: 'date', date: '2021-10-06' });
    expect(plan(undefined, '2021-10-06T22:00:00Z').selected).toEqual({ kind: 'date', date: '2021-10-04' }); // Thursday: over
    expect(plan('', '2021-10-06T08:00:00Z').selected).toEqual({ kind: 'date', date: '2021-10-06' });
  });

  test('asked: a date of the programme, every day, or the sessions without a time; anything else is the default, flagged', () => {
    expect(plan('2021-10-06', '2021-01-01T00:00:00Z')).toEqual({ selected: { kind: 'date', date: '2021-10-06' }, ignored: false, shown: ['clôture'] });
    expect(plan('all', '2021-01-01T00:00:00Z').shown).toEqual(['ouverture', 'dîner', 'clôture', 'à fixer']);
    expect(plan('unscheduled', '2021-01-01T00:00:00Z')).toEqual({ selected: { kind: 'unscheduled' }, ignored: false, shown: ['à fixer'] });
    for (const day of ['2021-10-05', '2021-10-07', 'lundi', '2021-13-01']) {
      expect(plan(day, '2021-10-06T08:00:00Z'), day).toEqual({ selected: { kind: 'date', date: '2021-10-06' }, ignored: true, shown: ['clôture'] });
    }
  });

  test('unasked and filtered: the default day if it matches, else the next day that does, else the first, else the sessions without a time', () => {
    expect(plan(undefined, '2021-01-01T00:00:00Z', { part: wednesday }).selected).toEqual({ kind: 'date', date: '2021-10-06' });
    expect(plan(undefined, '2021-10-06T08:00:00Z', { part: monday }).selected).toEqual({ kind: 'date', date: '2021-10-04' });
    expect(plan(undefined, '2021-01-01T00:00:00Z', { part: later })).toEqual({ selected: { kind: 'unscheduled' }, ignored: false, shown: ['à fixer'] });
    // Matching nothing anywhere: the default day, empty.
    expect(plan(undefined, '2021-01-01T00:00:00Z', { room })).toEqual({ selected: { kind: 'date', date: '2021-10-04' }, ignored: false, shown: [] });
    // Asked for, a day is shown even when the filter matches nothing on it.
    expect(plan('2021-10-04', '2021-01-01T00:00:00Z', { part: wednesday }).shown).toEqual([]);
  });

  test('a programme on one date is not paged: everything is shown whatever is asked, and an unknown day is flagged', () => {
    const oneDay: Programme = { ...programme, sessions: programme.sessions.filter((s) => s.publicId !== 'clôture') };
    for (const day of [undefined, '2021-10-04', 'all', 'unscheduled']) {
      const result = planDays(oneDay, oneDay.sessions, day, new Date('2021-10-04T10:00:00Z'), false);
      expect([result.paged, result.ignored, result.sessions.length], String(day)).toEqual([false, false, 3]);
    }
    expect(planDays(oneDay, oneDay.sessions, '2021-10-06', new Date(), false).ignored).toBe(true);
  });
});

describe('resolveFilters', () => {
  test('an id the programme has becomes its row; one it lacks, or a malformed one, is left out and named', () => {
    expect(resolveFilters(programme, { part: 'part-lundi', room: 'room-a' })).toEqual({ filters: { part: monday, room }, ignored: [] });
    expect(resolveFilters(programme, { part: 'part-mardi', room: 'nope', speaker: '00000000-0000-4000-8000-000000000000' }))
      .toEqual({ filters: { part: undefined, room: undefined }, ignored: ['part', 'room', 'speaker'] });
    expect(resolveFilters(programme, { part: '', room: '', speaker: '' })).toEqual({ filters: {}, ignored: [] });
  });
});
