// When the sessions of a frab file take place. Files give a local <start> on their day's date,
// or a <date> that is an instant (often in UTC, beside a local <start>), a <duration> and
// sometimes an <end>; days run past midnight. What is meant is read and told in notes; a time
// the clock skips is refused rather than moved.
import { DateTime } from 'luxon';
import { instantsOfLocal, localDate } from '../../../time.ts';
import { ImportError } from '../../programme/sync.ts';
import { plural, tally } from './notes.ts';
import { attribute, line, type XmlElement } from './xml.ts';

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_TIME_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
export const DATE_TIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** "HH:MM" or "HH:MM:SS" as HH:MM[:SS] with two-digit hours, or null when it is not a time of day. */
export function clockOf(value: string): string | null {
  const m = CLOCK.exec(value);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || (m[3] !== undefined && Number(m[3]) > 59)) return null;
  return `${m[1]!.padStart(2, '0')}:${m[2]}${m[3] === undefined || m[3] === '00' ? '' : `:${m[3]}`}`;
}

/**
 * A duration in milliseconds: "HH:MM" or "HH:MM:SS" (the schema's two forms; three parts are
 * read that way), or "D:HH:MM:SS". A leading minus is read, so that a negative duration is
 * refused as such rather than called malformed.
 */
export function durationOf(value: string): number | null {
  const m = /^(-)?(\d+(?::\d{1,2}){1,3})$/.exec(value);
  if (!m) return null;
  const parts = m[2]!.split(':').map(Number);
  const [d, h, min, s] = parts.length === 4 ? parts : parts.length === 3 ? [0, ...parts] : [0, ...parts, 0];
  if (min! > 59 || s! > 59) return null;
  const ms = (((d! * 24 + h!) * 60 + min!) * 60 + s!) * 1000;
  return m[1] ? -ms : ms;
}

/** A date or a date and time with an offset, as a local date in the zone; null when it is neither. */
export function localDateOf(value: string, zone: string): string | null {
  if (DATE.test(value)) return DateTime.fromISO(value).isValid ? value : null;
  if (DATE_TIME_OFFSET.test(value) || DATE_TIME_LOCAL.test(value)) {
    const parsed = DateTime.fromISO(value, { zone, setZone: false });
    return parsed.isValid ? parsed.toISODate() : null;
  }
  return null;
}

export const minDate = (a: string | null, b: string) => (a === null || b < a ? b : a);
export const maxDate = (a: string | null, b: string) => (a === null || b > a ? b : a);

/**
 * A local date and time in the zone as an instant; a time the clock skips is refused, and so is
 * one it repeats (the night clocks go back), naming the session and both offsets: a <date> with
 * an offset says which one is meant.
 */
export function atLocal(local: string, zone: string, where: string): Date {
  const instants = instantsOfLocal(local, zone);
  if (instants === null) throw new ImportError(`${where} starts at "${local}", which is not a date and time`);
  if (instants.length === 0) throw new ImportError(`${where} starts at ${local.replace('T', ' ')}, which does not exist in ${zone} (the clocks change then)`);
  if (instants.length > 1) {
    const offsets = instants.map((at) => DateTime.fromJSDate(at, { zone }).toFormat('ZZ'));
    throw new ImportError(`${where} starts at ${local.replace('T', ' ')}, which happens twice in ${zone} (the clocks go back then, from ${offsets[0]} to ${offsets.at(-1)}): give its <date> with the offset, ${local}${offsets[0]} or ${local}${offsets.at(-1)}`);
  }
  return instants[0]!;
}

/**
 * An <end>: a date and time (with or without offset), or a time of day on the start's local
 * date. A time of day at or before the start may be after midnight: told apart by the caller.
 */
export function endOf(value: string, startsAt: Date, zone: string, where: string): Date | 'crosses-midnight' {
  if (DATE_TIME_OFFSET.test(value)) {
    const parsed = DateTime.fromISO(value, { setZone: true });
    if (parsed.isValid) return parsed.toJSDate();
  } else if (DATE_TIME_LOCAL.test(value)) {
    return atLocal(value, zone, where);
  } else {
    const clock = clockOf(value);
    if (clock !== null) {
      const end = atLocal(`${localDate(startsAt, zone)}T${clock}`, zone, where);
      return end > startsAt ? end : 'crosses-midnight';
    }
  }
  throw new ImportError(`${where} has the end "${value}", which is not a date and time`);
}

/** What a <day> says of time: its date, and its start when that is an instant (with an offset). */
export interface DayTimes {
  date: string;
  start: Date | null;
}

export function dayTimes(day: XmlElement): DayTimes {
  const startText = attribute(day, 'start');
  let start: Date | null = null;
  if (startText !== '' && DATE_TIME_OFFSET.test(startText)) {
    const parsed = DateTime.fromISO(startText, { setZone: true });
    if (parsed.isValid) start = parsed.toJSDate();
  }
  return { date: attribute(day, 'date'), start };
}

/** The session an event is, for refusals ("session "…" (event 12)") and for the first disagreement in the notes. */
export interface EventName {
  where: string;
  title: string;
}

/** Reads the start and end of each event of a file, counting what it assumed for the notes. */
export class TimeReader {
  private readonly otherOffsets = new Map<string, number>();
  private dateClockDisagrees = 0;
  private firstDisagreement = '';
  private movedToNextDay = 0;
  private endDisagrees = 0;

  /** `dayChange` is the conference's day change (HH:MM[:SS]), or null when it gives none. */
  constructor(readonly zone: string, readonly dayChange: string | null) {}

  /** An event's start and end, as instants. */
  read(element: XmlElement, day: DayTimes, name: EventName): { startsAt: Date; endsAt: Date } {
    const startsAt = this.start(element, day, name);
    return { startsAt, endsAt: this.end(element, startsAt, name.where) };
  }

  /** Start: the <date> instant when there is one, else the day's date and the local <start>. */
  private start(element: XmlElement, day: DayTimes, name: EventName): Date {
    const { where } = name;
    const startText = line(element, 'start');
    const clock = startText === '' ? null : clockOf(startText);
    if (startText !== '' && clock === null) throw new ImportError(`${where} has the start "${startText}", which is not a time of day (HH:MM)`);
    const dateText = line(element, 'date');
    if (dateText !== '' && !DATE.test(dateText)) return this.startAtDate(dateText, clock, name);

    if (clock === null) throw new ImportError(`${where} has no start (<start> or <date>)`);
    const onDate = dateText !== '' ? dateText : day.date;
    if (!DATE.test(onDate) || !DateTime.fromISO(onDate).isValid) {
      throw new ImportError(onDate === '' ? `${where} has no <date> and its day has no date attribute` : `${where} is on the day "${onDate}", which is not a date`);
    }
    const startsAt = atLocal(`${onDate}T${clock}`, this.zone, where);
    // A day runs from its start (or the conference's day change) past midnight: a start
    // before it is on the next date. An event's own date says which date it is.
    const afterMidnight = dateText === ''
      && ((day.start !== null && startsAt < day.start) || (day.start === null && this.dayChange !== null && clock < this.dayChange));
    if (!afterMidnight) return startsAt;
    const next = DateTime.fromISO(onDate).plus({ days: 1 }).toISODate()!;
    const nextDay = atLocal(`${next}T${clock}`, this.zone, where);
    this.movedToNextDay += 1;
    return nextDay;
  }

  /** A <date> with a time: the instant it names (with an offset) or a local time; a <start> beside it is only compared. */
  private startAtDate(dateText: string, clock: string | null, { where, title }: EventName): Date {
    const { zone } = this;
    let startsAt: Date;
    if (DATE_TIME_OFFSET.test(dateText)) {
      const parsed = DateTime.fromISO(dateText, { setZone: true });
      if (!parsed.isValid) throw new ImportError(`${where} has the date "${dateText}", which is not a date and time`);
      startsAt = parsed.toJSDate();
      const inZone = DateTime.fromJSDate(startsAt, { zone });
      if (inZone.offset !== parsed.offset) tally(this.otherOffsets, parsed.offset === 0 ? 'UTC' : parsed.toFormat('ZZ'));
    } else if (DATE_TIME_LOCAL.test(dateText)) {
      startsAt = atLocal(dateText, zone, where);
    } else {
      throw new ImportError(`${where} has the date "${dateText}", which is not a date and time`);
    }
    if (clock !== null) {
      const local = DateTime.fromJSDate(startsAt, { zone }).toFormat(clock.length > 5 ? 'HH:mm:ss' : 'HH:mm');
      if (local !== clock) {
        this.dateClockDisagrees += 1;
        if (this.firstDisagreement === '') this.firstDisagreement = `"${title}": date ${dateText} is ${local} in ${zone}, start ${clock}`;
      }
    }
    return startsAt;
  }

  /** End: start + duration; an <end>, when a generator gives one, is checked against it. */
  private end(element: XmlElement, startsAt: Date, where: string): Date {
    const { zone } = this;
    const durationText = line(element, 'duration');
    const endText = line(element, 'end');
    let endsAt: Date | null = null;
    if (durationText !== '') {
      const ms = durationOf(durationText);
      if (ms === null) throw new ImportError(`${where} has the duration "${durationText}", which is not a duration (HH:MM)`);
      if (ms <= 0) throw new ImportError(`${where} has a duration of ${durationText}; a session must last longer than that`);
      endsAt = new Date(startsAt.getTime() + ms);
    }
    if (endText !== '') {
      const given = endOf(endText, startsAt, zone, where);
      if (given === 'crosses-midnight') {
        if (endsAt === null) throw new ImportError(`${where} ends before it starts`);
        if (DateTime.fromJSDate(endsAt, { zone }).toFormat('HH:mm') !== clockOf(endText)?.slice(0, 5)) this.endDisagrees += 1;
      } else {
        if (given.getTime() <= startsAt.getTime()) throw new ImportError(`${where} ends before it starts`);
        if (endsAt === null) endsAt = given;
        else if (given.getTime() !== endsAt.getTime()) this.endDisagrees += 1;
      }
    }
    if (endsAt === null) throw new ImportError(`${where} has no duration`);
    return endsAt;
  }

  /** What was assumed of the times, in the order an operator would check it. */
  notes(): string[] {
    const { zone } = this;
    const notes: string[] = [];
    const offsetCount = [...this.otherOffsets.values()].reduce((a, b) => a + b, 0);
    if (offsetCount > 0) {
      const how = [...this.otherOffsets.keys()].every((k) => k === 'UTC') ? 'in UTC' : `with an offset other than ${zone}'s (${[...this.otherOffsets.keys()].join(', ')})`;
      notes.push(`${plural(offsetCount, 'event gives its', 'events give their')} <date> ${how}; read as the instant it names, shown in ${zone}.`);
    }
    if (this.dateClockDisagrees > 0) {
      notes.push(`${plural(this.dateClockDisagrees, 'event has a', 'events have a')} <date> whose time in ${zone} is not its <start>; the <date> was kept (first: ${this.firstDisagreement}).`);
    }
    if (this.movedToNextDay > 0) notes.push(`${plural(this.movedToNextDay, 'event starts', 'events start')} after midnight of its day and ${this.movedToNextDay === 1 ? 'was' : 'were'} placed on the next date.`);
    if (this.endDisagrees > 0) notes.push(`${plural(this.endDisagrees, 'event gives an', 'events give an')} <end> that differs from its start and duration; the duration was kept.`);
    return notes;
  }
}
