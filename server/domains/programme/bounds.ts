// Where an event's dates and times may lie: said once, checked wherever a date or a time is
// accepted (the API and the workspace's forms through fields.ts, sessions.ts and events.ts; every
// import, the bundled data and the generator through sync.ts), so that no stored programme
// spans more than a year and no response's cost depends on the distance between two dates.
import { DateTime } from 'luxon';
import { toZonedIso } from '../../time.ts';

/**
 * An event's dates lie in these years. 1970: the IANA time zone rules are only kept exact since
 * then, so older local times could be shown at the wrong hour. 2200: far beyond any planning,
 * and what zone rules say that far out is already guesswork.
 */
export const EVENT_FIRST_DATE = '1970-01-01';
export const EVENT_LAST_DATE = '2200-12-31';
/** An event lasts a year at most (a leap year's 366 days): a congress is days, a season of events a year. */
export const EVENT_DAYS_MAX = 366;
/** A late evening of the last day may run past midnight until this hour the next morning. */
export const LATE_NIGHT_HOURS = 6;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(value: string): boolean {
  return DATE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/** Days from the first date to the last, both counted: 2019-11-12 to 2019-11-12 is one. */
export function daysCounted(startDate: string, endDate: string): number {
  return Math.round(DateTime.fromISO(endDate, { zone: 'UTC' }).diff(DateTime.fromISO(startDate, { zone: 'UTC' }), 'days').days) + 1;
}

/** What is wrong with an event's dates, as field errors (none: they are acceptable). */
export type DatesProblem =
  | { pointer: '#/startDate' | '#/endDate'; code: 'invalid-date'; params: { value: string } }
  | { pointer: '#/startDate' | '#/endDate'; code: 'date-out-of-range'; params: { value: string; first: string; last: string } }
  | { pointer: '#/endDate'; code: 'end-date-before-start' }
  | { pointer: '#/endDate'; code: 'event-too-long'; params: { days: number; max: number } };

export function eventDatesProblems(startDate: string, endDate: string): DatesProblem[] {
  const problems: DatesProblem[] = [];
  for (const [pointer, value] of [['#/startDate', startDate], ['#/endDate', endDate]] as const) {
    if (!isValidDate(value)) problems.push({ pointer, code: 'invalid-date', params: { value } });
    else if (value < EVENT_FIRST_DATE || value > EVENT_LAST_DATE) {
      problems.push({ pointer, code: 'date-out-of-range', params: { value, first: EVENT_FIRST_DATE, last: EVENT_LAST_DATE } });
    }
  }
  if (problems.length > 0) return problems;
  if (endDate < startDate) return [{ pointer: '#/endDate', code: 'end-date-before-start' }];
  const days = daysCounted(startDate, endDate);
  if (days > EVENT_DAYS_MAX) problems.push({ pointer: '#/endDate', code: 'event-too-long', params: { days, max: EVENT_DAYS_MAX } });
  return problems;
}

/**
 * The span of time an event's slots may take, on its local clock: a slot starts at or after
 * 00:00 of the first day and before 24:00 of the last one, and ends by 06:00 the morning after
 * the last day (a late evening that runs past midnight).
 */
export interface EventWindow {
  startDate: string;
  endDate: string;
  zone: string;
  /** 00:00 of the first day. */
  from: Date;
  /** 24:00 of the last day: starts are before it. */
  lastStart: Date;
  /** 06:00 the day after the last: ends are at or before it. */
  lastEnd: Date;
}

export function eventWindow(event: { startDate: string; endDate: string; timezone: string }): EventWindow {
  const first = DateTime.fromISO(event.startDate, { zone: event.timezone }).startOf('day');
  const after = DateTime.fromISO(event.endDate, { zone: event.timezone }).plus({ days: 1 }).startOf('day');
  return {
    startDate: event.startDate,
    endDate: event.endDate,
    zone: event.timezone,
    from: first.toJSDate(),
    lastStart: after.toJSDate(),
    lastEnd: after.set({ hour: LATE_NIGHT_HOURS }).toJSDate(),
  };
}

/** Whether a start, or an end, lies where the event's window lets it. */
export function startFits(window: EventWindow, startsAt: Date): boolean {
  return startsAt.getTime() >= window.from.getTime() && startsAt.getTime() < window.lastStart.getTime();
}
export function endFits(window: EventWindow, endsAt: Date): boolean {
  return endsAt.getTime() > window.from.getTime() && endsAt.getTime() <= window.lastEnd.getTime();
}

/** Whether a span of time (a slot, a part's hours; either end may be open) lies within the event's window. */
export function spanFits(window: EventWindow, startsAt: Date | null, endsAt: Date | null): boolean {
  return (startsAt === null || startFits(window, startsAt)) && (endsAt === null || endFits(window, endsAt));
}

/** The field error of a time outside the event's window, with what the writer needs to put it right. */
export function outsideProblem(window: EventWindow, pointer: string, value: Date) {
  return {
    pointer,
    code: 'outside-event-days' as const,
    params: {
      value: toZonedIso(value, window.zone), startDate: window.startDate, endDate: window.endDate, lateEnd: toZonedIso(window.lastEnd, window.zone),
    },
  };
}

/** In one sentence, for imports' refusals and logs. */
export function windowDescription(window: EventWindow): string {
  return `the event's days (${window.startDate} to ${window.endDate}, a late evening ending by ${toZonedIso(window.lastEnd, window.zone)})`;
}
