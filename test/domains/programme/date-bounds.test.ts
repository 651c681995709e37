// The bounds of an event's dates and times (bounds.ts) and the reading of local times
// (time.ts): pure functions, tested on exact values.
import { describe, expect, test } from 'vitest';
import {
  daysCounted, EVENT_DAYS_MAX, eventDatesProblems, eventWindow, spanFits,
} from '../../../server/domains/programme/bounds.ts';
import { fieldErrorDetail, type FieldError } from '../../../server/errors.ts';
import { instantsOfLocal, parseEventTime } from '../../../server/time.ts';
import { fieldErrorMessage } from '../../../server/web/shared/forms/check.ts';

const utc = (iso: string) => new Date(iso);

describe('an event\'s dates', () => {
  test('years 1970 to 2200 are accepted; 0000, 1015, 1969, 2201 and 9999 are refused naming the field', () => {
    expect(eventDatesProblems('1970-01-01', '1970-01-01')).toEqual([]);
    expect(eventDatesProblems('2200-12-31', '2200-12-31')).toEqual([]);
    expect(eventDatesProblems('1015-09-29', '2019-11-12')).toEqual([
      { pointer: '#/startDate', code: 'date-out-of-range', params: { value: '1015-09-29', first: '1970-01-01', last: '2200-12-31' } },
    ]);
    expect(eventDatesProblems('0000-01-01', '9999-12-31').map((p) => [p.pointer, fieldErrorDetail(p)])).toEqual([
      ['#/startDate', '0000-01-01 is not between 1970-01-01 and 2200-12-31'],
      ['#/endDate', '9999-12-31 is not between 1970-01-01 and 2200-12-31'],
    ]);
    expect(eventDatesProblems('1969-12-31', '2201-01-01').map((p) => p.code)).toEqual(['date-out-of-range', 'date-out-of-range']);
  });

  test('an event lasts 366 days at most, both ends counted; a day that does not exist is no date', () => {
    expect(daysCounted('2019-11-12', '2019-11-12')).toBe(1);
    expect(daysCounted('2024-01-01', '2024-12-31')).toBe(366);
    expect(eventDatesProblems('2024-01-01', '2024-12-31')).toEqual([]);
    expect(eventDatesProblems('2023-01-01', '2024-01-02')).toEqual([
      { pointer: '#/endDate', code: 'event-too-long', params: { days: 367, max: EVENT_DAYS_MAX } },
    ]);
    expect(fieldErrorDetail(eventDatesProblems('2023-01-01', '2024-01-02')[0]!)).toBe('makes the event last 367 days; it may last 366 at most');
    expect(eventDatesProblems('2019-11-12', '2019-11-11')).toEqual([{ pointer: '#/endDate', code: 'end-date-before-start' }]);
    expect(eventDatesProblems('2019-02-30', '2019-03-01')).toEqual([{ pointer: '#/startDate', code: 'invalid-date', params: { value: '2019-02-30' } }]);
  });
});

describe('the window of an event\'s times', () => {
  // The 2019 forum: one day, 12 November 2019, in Johannesburg (UTC+2).
  const forum = eventWindow({ startDate: '2019-11-12', endDate: '2019-11-12', timezone: 'Africa/Johannesburg' });

  test('runs from 00:00 of the first day; starts are before 24:00 of the last day, ends by 06:00 the morning after', () => {
    expect([forum.from, forum.lastStart, forum.lastEnd]).toEqual([
      utc('2019-11-11T22:00:00Z'), utc('2019-11-12T22:00:00Z'), utc('2019-11-13T04:00:00Z'),
    ]);
    expect(spanFits(forum, utc('2019-11-11T22:00:00Z'), utc('2019-11-11T23:00:00Z'))).toBe(true); // 00:00–01:00 local
    expect(spanFits(forum, utc('2019-11-12T20:00:00Z'), utc('2019-11-13T04:00:00Z'))).toBe(true); // 22:00–06:00: a late evening
    expect(spanFits(forum, utc('2019-11-12T20:00:00Z'), utc('2019-11-13T04:01:00Z'))).toBe(false); // ends at 06:01
    expect(spanFits(forum, utc('2019-11-12T22:00:00Z'), utc('2019-11-12T23:00:00Z'))).toBe(false); // starts at 24:00
    expect(spanFits(forum, utc('2019-11-11T21:59:00Z'), utc('2019-11-11T23:00:00Z'))).toBe(false); // starts at 23:59 the day before
    expect(spanFits(forum, utc('9999-12-31T20:00:00Z'), utc('9999-12-31T21:00:00Z'))).toBe(false);
    // A part's open end holds anything on that side.
    expect(spanFits(forum, null, utc('2019-11-12T18:00:00Z'))).toBe(true);
  });

  test('follows the event\'s own clock across a clock change: Madrid\'s last day of October 2019 has 25 hours', () => {
    const madrid = eventWindow({ startDate: '2019-10-27', endDate: '2019-10-27', timezone: 'Europe/Madrid' });
    expect([madrid.from, madrid.lastStart, madrid.lastEnd]).toEqual([
      utc('2019-10-26T22:00:00Z'), utc('2019-10-27T23:00:00Z'), utc('2019-10-28T05:00:00Z'),
    ]);
  });
});

describe('local times as organisers write them', () => {
  test('the autumn hour that happens twice is refused, naming both offsets; an explicit offset chooses', () => {
    expect(instantsOfLocal('2019-10-27T02:30', 'Europe/Madrid')).toEqual([utc('2019-10-27T00:30:00Z'), utc('2019-10-27T01:30:00Z')]);
    const problem = parseEventTime('2019-10-27T02:30', 'Europe/Madrid');
    expect(problem).toEqual({
      code: 'ambiguous-time',
      params: { value: '2019-10-27T02:30', zone: 'Europe/Madrid', earlier: '2019-10-27T02:30+02:00', later: '2019-10-27T02:30+01:00' },
    });
    expect(fieldErrorDetail({ pointer: '#/start', ...problem } as FieldError)).toBe(
      '"2019-10-27T02:30" happens twice in Europe/Madrid (the clocks go back): give its offset, "2019-10-27T02:30+02:00" or "2019-10-27T02:30+01:00"',
    );
    expect(parseEventTime('2019-10-27T02:30+02:00', 'Europe/Madrid')).toEqual(utc('2019-10-27T00:30:00Z'));
    expect(parseEventTime('2019-10-27T02:30+01:00', 'Europe/Madrid')).toEqual(utc('2019-10-27T01:30:00Z'));
    // The hours either side of it are single.
    expect(parseEventTime('2019-10-27T01:59', 'Europe/Madrid')).toEqual(utc('2019-10-26T23:59:00Z'));
    expect(parseEventTime('2019-10-27T03:00', 'Europe/Madrid')).toEqual(utc('2019-10-27T02:00:00Z'));
  });

  test('the spring hour the clock skips is refused, never shifted', () => {
    expect(instantsOfLocal('2019-03-31T02:30', 'Europe/Madrid')).toEqual([]);
    expect(parseEventTime('2019-03-31T02:30', 'Europe/Madrid')).toEqual({ code: 'clock-change', params: { value: '2019-03-31T02:30', zone: 'Europe/Madrid' } });
  });

  test('T24:00 is the end of that day: the next day\'s 00:00, with or without an offset, even at the end of a year', () => {
    expect(parseEventTime('2019-11-12T24:00', 'Africa/Johannesburg')).toEqual(utc('2019-11-12T22:00:00Z'));
    expect(parseEventTime('2019-11-12T24:00:00', 'Africa/Johannesburg')).toEqual(utc('2019-11-12T22:00:00Z'));
    expect(parseEventTime('2019-11-12T24:00+02:00', 'Africa/Johannesburg')).toEqual(utc('2019-11-12T22:00:00Z'));
    expect(parseEventTime('2019-12-31T24:00', 'UTC')).toEqual(utc('2020-01-01T00:00:00Z'));
    expect(parseEventTime('2019-11-12T24:30', 'Africa/Johannesburg')).toEqual({ code: 'invalid-local-datetime', params: { value: '2019-11-12T24:30' } });
    expect(parseEventTime('2019-11-12T25:00+02:00', 'Africa/Johannesburg')).toEqual({ code: 'invalid-datetime', params: { value: '2019-11-12T25:00+02:00' } });
  });

  test('the forms say each new refusal in the reader\'s language, with its values', () => {
    const errors: FieldError[] = [
      { pointer: '#/start', code: 'ambiguous-time', params: { value: '2019-10-27T02:30', zone: 'Europe/Madrid', earlier: '2019-10-27T02:30+02:00', later: '2019-10-27T02:30+01:00' } },
      { pointer: '#/startDate', code: 'date-out-of-range', params: { value: '9999-12-31', first: '1970-01-01', last: '2200-12-31' } },
      { pointer: '#/endDate', code: 'event-too-long', params: { days: 367, max: 366 } },
      { pointer: '#/start', code: 'outside-event-days', params: { value: '9999-12-31T22:00:00+02:00', startDate: '2019-11-12', endDate: '2019-11-12', lateEnd: '2019-11-13T06:00:00+02:00' } },
      { pointer: '#/endDate', code: 'items-outside-dates', params: { sessions: ['a', 'b'], slots: ['c'], parts: [] } },
    ];
    expect(errors.map((e) => fieldErrorMessage('en', e))).toEqual([
      'This time happens twice that night (the clocks go back): add the offset, 2019-10-27T02:30+02:00 or 2019-10-27T02:30+01:00.',
      'Choose a date from 1970-01-01 to 2200-12-31.',
      'An event lasts 366 days at most.',
      'This time is outside the event\'s days (2019-11-12 to 2019-11-12); a late evening may end by 2019-11-13 06:00.',
      '3 sessions, time slots or parts would fall outside these dates: move them first.',
    ]);
    expect(errors.map((e) => fieldErrorMessage('fr', e))).toEqual([
      'Cette heure existe deux fois cette nuit-là (on recule les horloges) : précisez le décalage, 2019-10-27T02:30+02:00 ou 2019-10-27T02:30+01:00.',
      'Choisissez une date du 1970-01-01 au 2200-12-31.',
      'Un événement dure 366 jours au plus.',
      'Cette heure est en dehors des jours de l\'événement (du 2019-11-12 au 2019-11-12) ; une soirée peut finir jusqu\'au 2019-11-13 06:00.',
      '3 sessions, créneaux ou parties sortiraient de ces dates : déplacez-les d\'abord.',
    ]);
    expect(errors.map((e) => fieldErrorMessage('es', e))).toEqual([
      'Esta hora ocurre dos veces esa noche (se atrasan los relojes): indique el desfase, 2019-10-27T02:30+02:00 o 2019-10-27T02:30+01:00.',
      'Elija una fecha del 1970-01-01 al 2200-12-31.',
      'Un evento dura 366 días como máximo.',
      'Esta hora queda fuera de los días del evento (del 2019-11-12 al 2019-11-12); una velada puede terminar hasta el 2019-11-13 06:00.',
      '3 sesiones, franjas horarias o partes quedarían fuera de estas fechas: muévalas primero.',
    ]);
  });
});
