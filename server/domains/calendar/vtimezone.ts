// The VTIMEZONE of a feed (RFC 5545, 3.6.5), built from the tz database the runtime has (through
// luxon and Intl) for the years the feed covers: the offsets in force then, not the zone's
// current rules. A zone whose rules changed since (São Paulo dropped summer time in 2019,
// Moscow kept +04 from 2011 to 2014) is described as it was, so that a calendar reading only
// the feed gets the instants the database holds.
import { DateTime } from 'luxon';
import { BoundedCache } from '../../cache.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The zone's offset from UTC at an instant, in minutes. */
function offsetAt(zone: string, millis: number): number {
  return DateTime.fromMillis(millis, { zone }).offset;
}

interface Transition {
  /** The first instant of the new offset. */
  at: number;
  from: number;
  to: number;
}

/**
 * The instants in [from, to) where the zone's offset changes. Offsets are sampled every
 * 6 hours (no zone has changed twice within that), then each change is narrowed to the minute.
 */
export function transitions(zone: string, from: number, to: number): Transition[] {
  const found: Transition[] = [];
  const step = 6 * HOUR;
  let before = offsetAt(zone, from);
  for (let t = from + step; t < to + step; t += step) {
    const after = offsetAt(zone, t);
    if (after === before) continue;
    let low = t - step;
    let high = t;
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offsetAt(zone, middle) === before) low = middle;
      else high = middle;
    }
    if (high < to && high >= from) found.push({ at: high, from: before, to: after });
    before = after;
  }
  return found;
}

/** "+0200", "-0330": an offset as TZOFFSETFROM and TZOFFSETTO write it. */
function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** A local date-time as DTSTART writes it: the wall clock of the offset in force before. */
function localText(millis: number, offsetMinutes: number): string {
  return new Date(millis + offsetMinutes * 60_000).toISOString().slice(0, 19).replace(/[-:]/g, '');
}

/** The zone's abbreviation at an instant ("CET", "SAST"), or null where the database has only a number. */
function abbreviation(zone: string, millis: number): string | null {
  const name = DateTime.fromMillis(millis, { zone }).setLocale('en-US').offsetNameShort;
  return name && /^[A-Z]{2,6}$/.test(name) ? name : null;
}

/** Whether an instant is in summer time: its offset is above the lowest of the year around it. */
function isDaylight(zone: string, millis: number): boolean {
  const offset = offsetAt(zone, millis);
  const year = [0, 1, 2, 3].map((quarter) => offsetAt(zone, millis + quarter * 91 * DAY));
  return offset > Math.min(...year);
}

function observance(zone: string, start: number, from: number, to: number): string[] {
  const kind = isDaylight(zone, start) ? 'DAYLIGHT' : 'STANDARD';
  const name = abbreviation(zone, start);
  return [
    `BEGIN:${kind}`,
    `DTSTART:${localText(start, from)}`,
    `TZOFFSETFROM:${offsetText(from)}`,
    `TZOFFSETTO:${offsetText(to)}`,
    ...(name ? [`TZNAME:${name}`] : []),
    `END:${kind}`,
  ];
}

const blocks = new BoundedCache<string, string>(200);

/**
 * The VTIMEZONE of a zone for the years from `firstYear` to `lastYear`, both included: the
 * observance in force on 1 January of the first year, then one per change of offset, each with
 * its own DTSTART and no RRULE (a rule would say the changes go on as they were, which is what
 * went wrong). CRLF line ends, no final one.
 */
export function vtimezoneFor(zone: string, firstYear: number, lastYear: number): string {
  return blocks.getOrCompute(`${zone} ${firstYear} ${lastYear}`, () => {
    const from = Date.UTC(firstYear, 0, 1);
    const to = Date.UTC(lastYear + 1, 0, 1);
    const initial = offsetAt(zone, from);
    const lines = [
      'BEGIN:VTIMEZONE',
      `TZID:${zone}`,
      `X-LIC-LOCATION:${zone}`,
      ...observance(zone, from, initial, initial),
      ...transitions(zone, from, to).flatMap((t) => observance(zone, t.at, t.from, t.to)),
      'END:VTIMEZONE',
    ];
    return lines.join('\r\n');
  });
}

/**
 * Whether a local time of this instant's also names another instant: it falls in the hour
 * repeated when the clocks go back. Such a time must be written in UTC.
 */
export function isAmbiguousLocalTime(zone: string, instant: Date): boolean {
  return ambiguity.getOrCompute(`${zone} ${instant.getTime()}`, () => isAmbiguous(zone, instant.getTime()));
}

/** By zone and instant: a congress's sessions start and end at a few hundred instants, and each costs four zone lookups. */
const ambiguity = new BoundedCache<string, boolean>(20_000);

function isAmbiguous(zone: string, t: number): boolean {
  const offset = offsetAt(zone, t);
  for (const other of [offsetAt(zone, t - 12 * HOUR), offsetAt(zone, t + 12 * HOUR)]) {
    if (other === offset) continue;
    const twin = t + (offset - other) * 60_000;
    if (offsetAt(zone, twin) === other) return true;
  }
  return false;
}
