// The one place where instants (UTC in the database) meet an event's local clock.
import { DateTime, IANAZone } from 'luxon';
import { BoundedCache } from './cache.ts';
import type { Language } from './db/schema.ts';

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * Converts a wall-clock time ("2019-11-12T09:00") in an IANA zone to an instant.
 * Refuses times that do not exist (spring-forward gaps) instead of shifting them silently.
 */
export function localToInstant(local: string, zone: string): Date {
  const dateTime = DateTime.fromISO(local, { zone, setZone: false });
  if (!dateTime.isValid) throw new RangeError(`"${local}" is not a valid local date and time`);
  if (dateTime.toFormat("yyyy-MM-dd'T'HH:mm") !== local.slice(0, 16)) {
    throw new RangeError(`"${local}" does not exist in ${zone} (clock change)`);
  }
  return dateTime.toJSDate();
}

/**
 * A programme has few distinct instants and every page formats them again: zone offset
 * lookups dominate page time, so results are remembered (bounded, cleared when full).
 */
function memoise<Args extends (string | number)[]>(compute: (...args: Args) => string): (...args: Args) => string {
  const cache = new BoundedCache<string, string>(20_000);
  return (...args: Args) => cache.getOrCompute(args.join('|'), () => compute(...args));
}

const zonedIso = memoise((ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString());
const zonedDate = memoise((ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toISODate() ?? new Date(ms).toISOString().slice(0, 10));
const zonedClock = memoise((ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm'));
const longDateMemo = memoise((isoDate: string, locale: string) =>
  DateTime.fromISO(isoDate, { zone: 'UTC', locale }).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }));

/** ISO 8601 with the event's offset: 2019-11-12T09:00:00+02:00. */
export function toZonedIso(instant: Date, zone: string): string {
  return zonedIso(instant.getTime(), zone);
}

/** The local calendar date of an instant in the event's zone: 2019-11-12. */
export function localDate(instant: Date, zone: string): string {
  return zonedDate(instant.getTime(), zone);
}

/** HH:MM on a 24-hour clock in the event's zone. */
export function localClock(instant: Date, zone: string): string {
  return zonedClock(instant.getTime(), zone);
}

/**
 * The language dates are written in: a language of the interface, or an English variant. The
 * interface's English is British ("programme", "organisation"), so its dates are too ("Tuesday
 * 12 November 2019") unless the event is held in the United States (englishVariant).
 */
export type DateLocale = Language | 'en-US';

/** The Intl locale of a date language: plain English is British. */
export function intlDateLocale(locale: DateLocale): string {
  return locale === 'en' ? 'en-GB' : locale;
}

/** Zones of the United States whose events are dated in American English (see data/english-dates.md). */
const US_ZONE = /^(America\/(New_York|Chicago|Denver|Los_Angeles|Phoenix|Anchorage|Detroit|Boise|Juneau|Adak|Nome|Sitka|Yakutat|Metlakatla|Menominee|Indiana\/.+|Kentucky\/.+|North_Dakota\/.+)|Pacific\/Honolulu)$/;

/** The English an event's dates are written in: American for one held in the United States, else British. */
export function englishVariant(event: { country: string | null; timezone: string }): DateLocale {
  const country = event.country?.trim().toUpperCase();
  if (country) return country === 'US' ? 'en-US' : 'en';
  return US_ZONE.test(event.timezone) ? 'en-US' : 'en';
}

/** The date language of a reader of an event: the reader's language, in the event's English. */
export function eventDateLocale(locale: Language, event: { country: string | null; timezone: string }): DateLocale {
  return locale === 'en' ? englishVariant(event) : locale;
}

/** "mardi 12 novembre 2019", "Tuesday 12 November 2019" in the reader's language. */
export function longDate(isoDate: string, locale: DateLocale): string {
  return longDateMemo(isoDate, intlDateLocale(locale));
}

/**
 * The interface's English is British ("programme", "organisation"), so its short dates are
 * too: "Tue 29 Sept", not "Tue, Sep 29".
 */
const shortDateMemo = memoise((isoDate: string, locale: string) =>
  DateTime.fromISO(isoDate, { zone: 'UTC', locale }).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' }));

/** "mar. 29 sept.", "Tue 29 Sept", "mar, 29 sept": a day of an event where space is short (the day picker). */
export function shortDate(isoDate: string, locale: DateLocale): string {
  return shortDateMemo(isoDate, intlDateLocale(locale));
}

/** "UTC+02:00" for the zone at that instant (offsets differ across a daylight-saving change). */
export function utcOffsetLabel(instant: Date, zone: string): string {
  return `UTC${DateTime.fromJSDate(instant, { zone }).toFormat('ZZ')}`;
}

/** Why a time of an event could not be read, as a field error's code and params. */
export type EventTimeProblem =
  | { code: 'invalid-datetime'; params: { value: string } }
  | { code: 'invalid-local-datetime'; params: { value: string } }
  | { code: 'clock-change'; params: { value: string; zone: string } }
  | { code: 'ambiguous-time'; params: { value: string; zone: string; earlier: string; later: string } };

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(:\d{2}(?:\.\d+)?)?$/;
const DAY_MS = 86_400_000;

/**
 * "T24:00" is the end of that day (ISO 8601 allows it): the next day's 00:00. Any other hour
 * past 23 is no time; null then. Other values are returned as they are.
 */
function withoutMidnight24(value: string): string | null {
  const m = LOCAL_TIME.exec(value);
  if (!m || m[2] !== '24') return value;
  if (m[3] !== '00' || (m[4] !== undefined && m[4] !== ':00')) return null;
  const next = DateTime.fromISO(m[1]!, { zone: 'UTC' }).plus({ days: 1 });
  return next.isValid ? `${next.toISODate()}T00:00` : null;
}

/**
 * Every instant a wall-clock time ("2019-10-27T02:30") names in a zone, earliest first: none in
 * a spring-forward gap, two in the hour an autumn clock change repeats, else one. Null when the
 * text is no local date and time. Offsets are those of the zone a day either side: no zone
 * changes its clock twice within a day.
 */
export function instantsOfLocal(local: string, zone: string): Date[] | null {
  const normal = withoutMidnight24(local);
  if (normal === null || !LOCAL_TIME.test(normal) || !IANAZone.isValidZone(zone)) return null;
  const wall = DateTime.fromISO(normal, { zone: 'UTC' });
  if (!wall.isValid) return null;
  const tz = IANAZone.create(zone);
  const ms = wall.toMillis();
  const found = new Set<number>();
  for (const offset of new Set([tz.offset(ms - DAY_MS), tz.offset(ms), tz.offset(ms + DAY_MS)])) {
    const instant = ms - offset * 60_000;
    if (tz.offset(instant) === offset) found.add(instant);
  }
  return [...found].sort((a, b) => a - b).map((t) => new Date(t));
}

/**
 * A time of an event as organisers write it: an instant with its offset, or local wall-clock
 * time in the event's zone. Times the clock skips are refused, never shifted; a time it
 * repeats is refused naming both instants, so that the writer chooses with an offset.
 */
export function parseEventTime(value: string, zone: string): Date | EventTimeProblem {
  const offset = /(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (offset) {
    const local = withoutMidnight24(value.slice(0, offset.index));
    const parsed = local === null ? null : DateTime.fromISO(`${local}${offset[0]}`, { setZone: true });
    return parsed?.isValid ? parsed.toJSDate() : { code: 'invalid-datetime', params: { value } };
  }
  const instants = instantsOfLocal(value, zone);
  if (instants === null) return { code: 'invalid-local-datetime', params: { value } };
  if (instants.length === 0) return { code: 'clock-change', params: { value, zone } };
  if (instants.length > 1) {
    const at = (instant: Date) => `${value}${DateTime.fromJSDate(instant, { zone }).toFormat('ZZ')}`;
    return { code: 'ambiguous-time', params: { value, zone, earlier: at(instants[0]!), later: at(instants.at(-1)!) } };
  }
  return instants[0]!;
}
