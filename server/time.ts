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

/** "mardi 12 novembre 2019" in the reader's language. */
export function longDate(isoDate: string, locale: Language): string {
  return longDateMemo(isoDate, locale);
}

/**
 * The interface's English is British ("programme", "organisation"), so its short dates are
 * too: "Tue 29 Sept", not "Tue, Sep 29".
 */
const SHORT_DATE_LOCALES: Record<Language, string> = { fr: 'fr', en: 'en-GB', es: 'es' };
const shortDateMemo = memoise((isoDate: string, locale: string) =>
  DateTime.fromISO(isoDate, { zone: 'UTC', locale }).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' }));

/** "mar. 29 sept.", "Tue 29 Sept", "mar, 29 sept": a day of an event where space is short (the day picker). */
export function shortDate(isoDate: string, locale: Language): string {
  return shortDateMemo(isoDate, SHORT_DATE_LOCALES[locale]);
}

/** "UTC+02:00" for the zone at that instant (offsets differ across a daylight-saving change). */
export function utcOffsetLabel(instant: Date, zone: string): string {
  return `UTC${DateTime.fromJSDate(instant, { zone }).toFormat('ZZ')}`;
}

/** Why a time of an event could not be read, as a field error's code and params. */
export type EventTimeProblem =
  | { code: 'invalid-datetime'; params: { value: string } }
  | { code: 'invalid-local-datetime'; params: { value: string } }
  | { code: 'clock-change'; params: { value: string; zone: string } };

/**
 * A time of an event as organisers write it: an instant with its offset, or local wall-clock
 * time in the event's zone. Times the clock skips are refused, never shifted.
 */
export function parseEventTime(value: string, zone: string): Date | EventTimeProblem {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const parsed = DateTime.fromISO(value, { setZone: true });
    return parsed.isValid ? parsed.toJSDate() : { code: 'invalid-datetime', params: { value } };
  }
  const dateTime = DateTime.fromISO(value, { zone, setZone: false });
  if (!dateTime.isValid) return { code: 'invalid-local-datetime', params: { value } };
  if (dateTime.toFormat("yyyy-MM-dd'T'HH:mm") !== value.slice(0, 16)) return { code: 'clock-change', params: { value, zone } };
  return dateTime.toJSDate();
}
