// Writes iCalendar (RFC 5545) of a programme, or of any part of it, with ical-generator: the
// feeds, and the one-session files attached to the messages that tell contributors of a change.
import ical, { escape, foldLines, ICalEventStatus, ICalEventTransparency, type ICalCalendar, type ICalEventData } from 'ical-generator';
import { DateTime } from 'luxon';
import type { Language } from '../../db/schema.ts';
import { textIn, translate, type localize } from '../../i18n/index.ts';
import type { EventRow } from '../programme/repository.ts';
import type { ProgrammeContributor, ProgrammeSession } from '../programme/assemble.ts';
import { spokenLanguagesLine } from '../programme/language-words.ts';
import { isWebAddress, sessionAddress } from '../../addresses.ts';
import { BoundedCache } from '../../cache.ts';
import { wellFormedText } from '../../unicode.ts';
import { isAmbiguousLocalTime, vtimezoneFor } from './vtimezone.ts';

export interface CalendarFeed {
  event: EventRow;
  /** The sessions to include; sessions without a time slot are left out, since calendars need a time. */
  sessions: ProgrammeSession[];
  /** What the feed narrows the event to ("Première partie", a room, a speaker…), for its name. */
  scopeName: string | null;
  locale: Language;
  /** The site's public address, without a trailing slash: UIDs and links are built from it. */
  publicUrl: string;
  /** The address of this feed, for SOURCE. */
  feedUrl: string;
  /** How often subscribers should fetch the feed again, in seconds. */
  refreshSeconds: number;
}

/** A calendar's name: the event's title, and what the feed narrows it to. */
export function calendarName(feed: { event: Pick<EventRow, 'title' | 'slug' | 'defaultLanguage'>; locale: Language; scopeName: string | null }): string {
  const title = textIn(feed.event.title, feed.locale, feed.event.defaultLanguage) ?? feed.event.slug;
  return feed.scopeName ? `${title} – ${feed.scopeName}` : title;
}

/** Never changes: calendar apps use PRODID to recognise the producer of a feed. */
export const PRODID = { company: 'forum-programme', product: 'Programme feed', language: 'FR' } as const;

/**
 * The VTIMEZONE of the feed's zone for the years it covers: those of the event's dates and of
 * its sessions' times (a session may have been moved outside the event's dates).
 */
export function feedVtimezone(feed: Pick<CalendarFeed, 'event' | 'sessions'>): string {
  const years = [feed.event.startDate, feed.event.endDate].map((date) => Number(date.slice(0, 4)));
  for (const session of feed.sessions) {
    if (session.slot) years.push(session.slot.startsAt.getUTCFullYear(), session.slot.endsAt.getUTCFullYear());
  }
  return vtimezoneFor(feed.event.timezone, Math.min(...years), Math.max(...years));
}

/** The UID of a session's VEVENT: its public id, which never changes, at the site's host. */
export function sessionUid(sessionPublicId: string, publicUrl: string): string {
  return `${sessionPublicId}@${new URL(publicUrl).hostname}`;
}

/** Calendar text in the feed's language, falling back to the event's default language. */
export function textOf(feed: Pick<CalendarFeed, 'event' | 'locale'>, value: Parameters<typeof localize>[0]): string | null {
  return textIn(value, feed.locale, feed.event.defaultLanguage);
}

export function sessionUrl(feed: Pick<CalendarFeed, 'event' | 'locale' | 'publicUrl'>, session: ProgrammeSession): string {
  return sessionAddress(feed.publicUrl, feed.event, feed.locale, session.publicId);
}

function contributorLine(feed: CalendarFeed, c: ProgrammeContributor): string {
  const role = translate(feed.locale, `role.${c.role}`);
  if (c.person) {
    const organisation = c.organisation ? textOf(feed, c.organisation.name) : null;
    return `- ${c.person.name}${organisation ? ` (${organisation})` : ''} · ${role}`;
  }
  return `- ${textOf(feed, c.organisation!.name) ?? ''} · ${role}`;
}

/** Agenda lines, the languages, contributors with their roles, the outputs served and the session's address. */
export function sessionDescription(feed: CalendarFeed, session: ProgrammeSession): string {
  const colon = translate(feed.locale, 'punctuation.colon');
  const blocks: string[] = [];
  const agenda = textOf(feed, session.row.description);
  if (agenda) blocks.push(agenda.split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n'));
  const abstract = textOf(feed, session.row.abstract);
  if (abstract) blocks.push(abstract.trim());
  const languages = spokenLanguagesLine(session, feed.locale);
  if (languages) blocks.push(languages);
  // Only web addresses, as on the session's page: a stored link may come from an import.
  const links = (session.row.links ?? []).filter((link) => isWebAddress(link.url));
  if (links.length > 0) {
    blocks.push([`${translate(feed.locale, 'session.links')}${colon.trimEnd()}`, ...links.map((link) => `- ${link.title}${colon}${link.url}`)].join('\n'));
  }
  if (session.contributors.length > 0) {
    blocks.push([`${translate(feed.locale, 'session.contributors')}${colon.trimEnd()}`, ...session.contributors.map((c) => contributorLine(feed, c))].join('\n'));
  }
  if (session.outputs.length > 0) {
    blocks.push([
      `${translate(feed.locale, 'session.outputs')}${colon.trimEnd()}`,
      ...session.outputs.map((o) => `- ${translate(feed.locale, 'outputs.number', { number: o.position + 1 })}${colon}${textOf(feed, o.statement) ?? ''}`),
    ].join('\n'));
  }
  blocks.push(sessionUrl(feed, session));
  return blocks.filter((b) => b !== '').join('\n\n');
}

/** Room, venue and city, as far as they are known. */
export function sessionLocation(feed: Pick<CalendarFeed, 'event' | 'locale'>, session: ProgrammeSession): string | null {
  const parts = [session.room ? textOf(feed, session.room.name) : null, textOf(feed, feed.event.venue), feed.event.city];
  const location = parts.filter((p): p is string => Boolean(p)).join(', ');
  return location === '' ? null : location;
}


/**
 * Folds lines at 75 octets (RFC 5545, 3.1) exactly as ical-generator's foldLines does, which
 * makes a TextEncoder for every character: 45% of the time of a congress's feed. The size of
 * a character is read from its code point instead; a surrogate pair counts as one character.
 */
export function fold(text: string): string {
  return text.split('\r\n').map((line) => {
    let result = '';
    let octets = 0;
    let from = 0;
    for (let i = 0; i < line.length; i++) {
      const code = line.charCodeAt(i);
      let size: number;
      if (code < 0x80) size = 1;
      else if (code < 0x800) size = 2;
      else if (code >= 0xd800 && code <= 0xdbff) {
        // As ical-generator: the next character joins it, whatever it is.
        size = Buffer.byteLength(line.slice(i, i + 2));
        if (octets + size > 74) {
          result += `${line.slice(from, i)}\r\n `;
          from = i;
          octets = 0;
        }
        octets += size;
        i += 1;
        continue;
      } else size = 3;
      if (octets + size > 74) {
        result += `${line.slice(from, i)}\r\n `;
        from = i;
        octets = 0;
      }
      octets += size;
    }
    return result + line.slice(from);
  }).join('\r\n');
}

/**
 * The VEVENT of each session, folded, by the feed's language and the site's address: the same
 * in every feed that has the session (the event's, its part's, a room's, a speaker's, an
 * agenda's), and kept as long as the release's programme it belongs to (programmes are frozen).
 */
const vevents = new WeakMap<ProgrammeSession, Map<string, string>>();

function veventOf(feed: CalendarFeed, session: ProgrammeSession & { slot: NonNullable<ProgrammeSession['slot']> }, scratch: ICalCalendar): string {
  let byFeed = vevents.get(session);
  if (!byFeed) {
    byFeed = new Map();
    vevents.set(session, byFeed);
  }
  const key = `${feed.locale} ${feed.publicUrl}`;
  let text = byFeed.get(key);
  if (text === undefined) {
    text = fold(scratch.createEvent(eventData(feed, session)).toString());
    byFeed.set(key, text);
  }
  return text;
}

/** Zoned times, made once per instant and zone: a congress's 2,000 sessions share a few hundred. */
const zonedTimes = new BoundedCache<string, DateTime>(20_000);

function zoned(instant: Date, zone: string): DateTime {
  return zonedTimes.getOrCompute(`${zone} ${instant.getTime()}`, () => DateTime.fromMillis(instant.getTime(), { zone }));
}

/**
 * RFC 5545 TEXT carries no control character but TAB (LF and CR are escaped as \n), and UTF-8
 * has no lone surrogate: what was stored before texts were checked is cleaned on its way out.
 */
const nullable = (text: string | null) => (text === null ? null : wellFormedText(text));

function eventData(feed: CalendarFeed, session: ProgrammeSession & { slot: NonNullable<ProgrammeSession['slot']> }): ICalEventData {
  const zone = feed.event.timezone;
  const colon = translate(feed.locale, 'punctuation.colon');
  const title = textOf(feed, session.row.title) ?? '';
  const cancelled = session.row.status === 'cancelled';
  const categories = [
    session.part ? textOf(feed, session.part.label) : null,
    translate(feed.locale, `kind.${session.row.kind}`),
  ].filter((c): c is string => Boolean(c));
  // A local time in the hour repeated when the clocks go back names two instants, and parsers
  // take the first: such a session is written in UTC (RFC 5545, 3.3.5, form #2), which names one.
  const ambiguous = isAmbiguousLocalTime(zone, session.slot.startsAt) || isAmbiguousLocalTime(zone, session.slot.endsAt);
  return {
    id: sessionUid(session.publicId, feed.publicUrl),
    // Zoned values: ical-generator would otherwise format plain Dates in the server process's zone.
    start: ambiguous ? session.slot.startsAt : zoned(session.slot.startsAt, zone),
    end: ambiguous ? session.slot.endsAt : zoned(session.slot.endsAt, zone),
    timezone: ambiguous ? null : zone,
    // Published feeds carry no METHOD, so DTSTAMP is when the session was last revised (RFC 5545, 3.8.7.2).
    // A Date is written in UTC, as the calendar itself names no zone.
    stamp: session.row.updatedAt,
    lastModified: session.row.updatedAt,
    sequence: session.row.revision,
    // Some calendars (Google's among them) ignore STATUS in subscriptions; the title says it too.
    summary: wellFormedText(cancelled ? `${translate(feed.locale, 'status.cancelled')}${colon}${title}` : title),
    description: wellFormedText(sessionDescription(feed, session)),
    location: nullable(sessionLocation(feed, session)),
    url: sessionUrl(feed, session),
    categories: categories.map((name) => ({ name: wellFormedText(name) })),
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    transparency: session.row.kind === 'break' ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
  };
}

/**
 * The calendar's own lines, by what they hold: made by ical-generator once for each name,
 * address and interval, since making them costs a millisecond, a thousand times what the
 * kept VEVENTs cost, and the files attached to a release's messages are thousands of
 * one-session calendars sharing a few.
 */
const shells = new BoundedCache<string, string>(2_000);

function calendarShell(feed: CalendarFeed): string {
  const subtitle = textOf(feed, feed.event.subtitle);
  // ical-generator writes NAME and X-WR-CALDESC as given: commas, semicolons and line
  // breaks in a title must be escaped here, or they would end or split the value.
  const name = escape(wellFormedText(calendarName(feed)), false);
  const description = subtitle === null ? null : escape(wellFormedText(subtitle), false);
  const url = `${feed.publicUrl}/events/${encodeURIComponent(feed.event.slug)}`;
  const key = JSON.stringify([name, description, url, feed.feedUrl, feed.refreshSeconds]);
  return shells.getOrCompute(key, () => ical({
    prodId: PRODID, name, description, scale: 'GREGORIAN', url, source: feed.feedUrl, ttl: feed.refreshSeconds,
  }).toString());
}

/** The whole feed as iCalendar text, CRLF line ends, folded at 75 octets. */
export function renderCalendar(feed: CalendarFeed): string {
  // The calendar's own lines come from ical-generator; its events are written (and kept) one by one.
  const scratch = ical();
  const events: string[] = [];
  for (const session of feed.sessions) {
    if (session.slot) events.push(veventOf(feed, session as ProgrammeSession & { slot: NonNullable<ProgrammeSession['slot']> }, scratch));
  }
  const shell = calendarShell(feed);
  const end = shell.lastIndexOf('END:VCALENDAR');
  // ical-generator leaves the last line without its CRLF; RFC 5545 ends every line with one.
  return `${placeTimezone(shell.slice(0, end) + events.join('') + shell.slice(end), feed.event.timezone, feedVtimezone(feed))}\r\n`;
}

/**
 * Puts X-WR-TIMEZONE and the VTIMEZONE component where RFC 5545 wants them: after the
 * calendar's properties, before its first component. ical-generator's own timezone option
 * writes them after REFRESH-INTERVAL would have to come, and formats DTSTAMP in local time.
 */
function placeTimezone(text: string, zone: string, vtimezone: string): string {
  const insert = `${foldLines(`X-WR-TIMEZONE:${zone}`)}\r\n${vtimezone}\r\n`;
  const at = text.search(/^BEGIN:VEVENT\r?$/m);
  if (at >= 0) return text.slice(0, at) + insert + text.slice(at);
  const end = text.lastIndexOf('END:VCALENDAR');
  return text.slice(0, end) + insert + text.slice(end);
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface RefreshPolicy {
  /** How often subscribers should fetch the feed again, in seconds. */
  seconds: number;
  /** When this interval took over from the previous one; the feed's text changed then. */
  since: Date | null;
}

/**
 * How often subscribers should fetch again: every 15 minutes from two days before the event
 * to the day after it, hourly in the month before, daily when it is far off, weekly once past.
 * Days are the event's local days.
 */
export function refreshPolicy(event: Pick<EventRow, 'startDate' | 'endDate' | 'timezone'>, now: Date): RefreshPolicy {
  const today = DateTime.fromJSDate(now, { zone: event.timezone }).startOf('day');
  const start = DateTime.fromISO(event.startDate, { zone: event.timezone });
  const end = DateTime.fromISO(event.endDate, { zone: event.timezone });
  const daysToStart = start.diff(today, 'days').days;
  const daysSinceEnd = today.diff(end, 'days').days;
  if (daysSinceEnd > 1) return { seconds: 7 * DAY, since: end.plus({ days: 2 }).toJSDate() };
  if (daysToStart <= 2) return { seconds: 15 * MINUTE, since: start.minus({ days: 2 }).toJSDate() };
  if (daysToStart <= 30) return { seconds: HOUR, since: start.minus({ days: 30 }).toJSDate() };
  return { seconds: DAY, since: null };
}
