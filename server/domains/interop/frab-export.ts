// The programme as a frab/voc schedule ("schedule.xml" and its JSON twin), the format that
// conference apps (Giggity, EventFahrplan…), video tooling and signage read. Pure functions:
// a programme and options in, text out. Both files are built from one model, so they always
// say the same thing; both must pass the strict schemas of the voc (see test/interop). The
// XML writer is in frab-export-xml.ts.
import { v5 as uuidv5, validate as isUuid } from 'uuid';
import { inLanguage, sessionAddress } from '../../addresses.ts';
import type { Language } from '../../db/schema.ts';
import { textIn, translate } from '../../i18n/index.ts';
import type { EventRow, PartRow, RoomRow } from '../programme/repository.ts';
import type { Programme, ProgrammeSession } from '../programme/assemble.ts';
import { daysCounted, EVENT_DAYS_MAX } from '../programme/bounds.ts';
import { spokenLanguagesLine } from '../programme/language-words.ts';
import { localClock, localDate, localToInstant, toZonedIso } from '../../time.ts';

export interface FrabExportOptions {
  /** The language of the texts; each falls back to the event's default language. */
  locale: Language;
  /** The site's public address, without a trailing slash. */
  publicUrl: string;
  /** The address of this very file, for `<url>`. */
  selfUrl: string;
  /** What the schedule is a version of: the release's name, or "working copy" in preview. */
  version: string;
  generator: { name: string; version: string };
}

export interface FrabPerson { guid: string; name: string }
export interface FrabLink { url: string; title: string }

export interface FrabEvent {
  guid: string;
  id: number;
  /** Start, ISO 8601 with the event's offset. */
  date: string;
  /** Start on the event's local clock, HH:MM. */
  start: string;
  /** HH:MM. */
  duration: string;
  /** End, ISO 8601 with the event's offset. */
  end: string;
  room: string;
  /** Matches both schemas' slug patterns, or null when none can be made (only the XML may omit it). */
  xmlSlug: string | null;
  jsonSlug: string;
  url: string;
  title: string;
  subtitle: string;
  track: string;
  type: string;
  language: string;
  abstract: string;
  description: string;
  persons: FrabPerson[];
  links: FrabLink[];
}

export interface FrabRoom { name: string; guid: string }

export interface FrabDay {
  index: number;
  /** Local date, YYYY-MM-DD. */
  date: string;
  start: string;
  end: string;
  rooms: { room: FrabRoom; events: FrabEvent[] }[];
}

export interface FrabTrack { name: string; slug: string | null }

export interface FrabSchedule {
  selfUrl: string;
  version: string;
  baseUrl: string;
  generator: { name: string; version: string; system: string };
  conference: {
    acronym: string;
    title: string;
    start: string;
    end: string;
    timeslotDuration: string;
    url: string;
    timeZoneName: string;
    tracks: FrabTrack[];
  };
  rooms: FrabRoom[];
  days: FrabDay[];
}

// Patterns of the voc schemas (XSD patterns match whole values; the JSON ones are anchored here).
const XSD_EVENT_SLUG = /^[a-z0-9_]{4,}-[a-z0-9\-_]{4,}$/;
const JSON_SLUG = /^[a-z0-9_-]+[a-z0-9]$/;
const XSD_TRACK_SLUG = /^[a-z][a-z0-9-]+$/;
// As written in the JSON schema: "^(A/B)" or "UTC$", so it accepts any zone that starts like "Europe/Berlin".
const JSON_TIME_ZONE = /^([A-Z][a-z]+\/[A-Z][a-z]+)|UTC$/;

/** Lower-case ASCII words joined by dashes: "Atelier : villes & régions" → "atelier-villes-regions". */
export function asciiSlug(text: string, maxLength = 50): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, maxLength).replace(/-+$/, '');
}

/**
 * The conference's acronym: the event's address with "-" turned to "_", which both the XSD
 * ([a-z0-9_-]{4,}) and the JSON schema (no "-" after the first character) accept. An address
 * shorter than four characters is padded with "_" to reach the minimum length.
 */
export function acronymOf(slug: string): string {
  return slug.replace(/-/g, '_').padEnd(4, '_');
}

/** A frab guid: our public ids are UUIDs already; anything else gets a stable UUID v5 derived from it. */
function guidOf(publicId: string): string {
  return isUuid(publicId) ? publicId.toLowerCase() : uuidv5(publicId, uuidv5.URL);
}

/** HH:MM of a number of minutes (hours may pass 24). */
function hoursMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The grid apps draw the schedule on: the greatest common divisor of the session lengths, kept
 * between 5 minutes and an hour; 15 minutes when nothing is scheduled.
 */
export function timeslotMinutes(durations: number[]): number {
  const whole = durations.map((d) => Math.round(d)).filter((d) => d > 0);
  if (whole.length === 0) return 15;
  return Math.min(60, Math.max(5, whole.reduce(gcd)));
}

/** The day after a YYYY-MM-DD date (calendar arithmetic only: no zone is involved). */
function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The event's local dates. An event stored before its length was bounded (bounds.ts) may span
 * centuries: then only its first and last dates, so that no answer walks the years between.
 */
function eventDates(event: Pick<EventRow, 'startDate' | 'endDate'>): string[] {
  const days = daysCounted(event.startDate, event.endDate);
  if (!(days >= 1 && days <= EVENT_DAYS_MAX)) return [...new Set([event.startDate, event.endDate])];
  const dates: string[] = [];
  for (let date = event.startDate; date <= event.endDate; date = nextDate(date)) dates.push(date);
  return dates;
}

/** The first instant of a local date; where midnight falls in a clock change, the first hour that exists. */
function startOfLocalDate(date: string, zone: string): Date {
  for (const clock of ['00:00', '01:00', '02:00']) {
    try {
      return localToInstant(`${date}T${clock}`, zone);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  }
  throw new RangeError(`No start of day found for ${date} in ${zone}`);
}

/** A track per part: its label, and its title when that says more. Sessions name their track the same way, so apps can match them. */
export function trackName(part: PartRow, text: (value: PartRow['label']) => string | null): string {
  const label = text(part.label) ?? '';
  const title = text(part.title) ?? '';
  if (title === '' || title === label) return label;
  if (label === '') return title;
  return `${label} — ${title}`;
}

/** Each name once: apps key rooms by name (the JSON schedule does too), so two rooms must not share one. */
function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let n = 2; seen.has(unique); n += 1) unique = `${name} (${n})`;
    seen.add(unique);
    return unique;
  });
}

/** The characters a URI may hold as it is (RFC 3986). */
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

/** Only absolute http(s) addresses: the JSON schema wants a URI, and apps open nothing else. */
function usableLinks(links: ProgrammeSession['row']['links'] | undefined): FrabLink[] {
  const usable: FrabLink[] = [];
  for (const link of links ?? []) {
    try {
      const url = new URL(link.url);
      // Kept as written when it is a plain URI already; otherwise (spaces, accents…) in its encoded form.
      if (url.protocol === 'http:' || url.protocol === 'https:') usable.push({ url: URI_CHARACTERS.test(link.url) ? link.url : url.href, title: link.title });
    } catch {
      // Not an address: left out.
    }
  }
  return usable;
}

/** The whole schedule as plain data, in the reader's language. */
export function frabSchedule(programme: Programme, options: FrabExportOptions): FrabSchedule {
  const { event } = programme;
  const { locale, publicUrl } = options;
  const zone = event.timezone;
  const text = (value: Parameters<typeof textIn>[0]) => textIn(value, locale, event.defaultLanguage);
  const acronym = acronymOf(event.slug);
  const eventPath = `/events/${encodeURIComponent(event.slug)}`;
  const colon = translate(locale, 'punctuation.colon');

  // Sessions without a time slot have no day or time to be placed at: the format cannot hold them.
  const placed = programme.sessions.filter((s): s is ProgrammeSession & { slot: NonNullable<ProgrammeSession['slot']> } => s.slot !== null);

  // Rooms in their order, then, if some session has none, a room for those.
  const roomRows: (RoomRow | null)[] = [...programme.rooms];
  if (placed.some((s) => s.room === null)) roomRows.push(null);
  const names = uniqueNames(roomRows.map((r) => (r ? text(r.name) ?? '' : translate(locale, 'session.noRoom'))));
  const rooms: FrabRoom[] = roomRows.map((r, i) => ({
    name: names[i]!,
    // The room of sessions without one keeps the same guid across releases: derived from the event's id.
    guid: r ? guidOf(r.publicId) : uuidv5('no-room', guidOf(event.publicId)),
  }));
  const roomIndex = (s: ProgrammeSession) => (s.room ? roomRows.findIndex((r) => r?.id === s.room!.id) : roomRows.length - 1);

  const tracks = programme.parts.map((part) => {
    const slug = asciiSlug(text(part.label) ?? '', 60);
    return { name: trackName(part, text), slug: XSD_TRACK_SLUG.test(slug) && JSON_SLUG.test(slug) ? slug : null };
  });

  const frabEvent = (s: (typeof placed)[number]): FrabEvent => {
    const title = text(s.row.title) ?? '';
    // The slug follows the default-language title, so that it does not change with ?lang=.
    const words = asciiSlug(textIn(s.row.title, event.defaultLanguage, event.defaultLanguage) ?? '');
    const jsonSlug = words === '' ? `${acronym}-${s.row.id}` : `${acronym}-${s.row.id}-${words}`;
    const persons = new Map<string, FrabPerson>();
    for (const c of s.contributors) {
      const person = c.person
        ? { guid: guidOf(c.person.publicId), name: c.person.name }
        : c.organisation ? { guid: guidOf(c.organisation.publicId), name: text(c.organisation.name) ?? '' } : null;
      if (person && !persons.has(person.guid)) persons.set(person.guid, person);
    }
    const agenda = (text(s.row.description) ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n');
    // frab's `language` holds the floor language; the interpretation, which it has no field for, is told in the description.
    const languages = s.interpretation.length > 0 ? spokenLanguagesLine(s, locale) : null;
    return {
      guid: guidOf(s.publicId),
      id: s.row.id,
      date: toZonedIso(s.slot.startsAt, zone),
      start: localClock(s.slot.startsAt, zone),
      duration: hoursMinutes((s.slot.endsAt.getTime() - s.slot.startsAt.getTime()) / 60_000),
      end: toZonedIso(s.slot.endsAt, zone),
      room: names[roomIndex(s)]!,
      xmlSlug: XSD_EVENT_SLUG.test(jsonSlug) ? jsonSlug : null,
      jsonSlug,
      url: sessionAddress(publicUrl, event, locale, s.publicId),
      // Apps that ignore anything but the title still learn that the session will not take place.
      title: s.row.status === 'cancelled' ? `${translate(locale, 'status.cancelled')}${colon}${title}` : title,
      subtitle: text(s.row.subtitle) ?? '',
      track: s.part ? tracks[programme.parts.findIndex((p) => p.id === s.part!.id)]?.name ?? '' : '',
      type: s.row.kind,
      language: s.row.language ?? event.defaultLanguage,
      abstract: text(s.row.abstract) ?? '',
      description: [agenda, languages ?? ''].filter((block) => block !== '').join('\n\n'),
      persons: [...persons.values()],
      links: usableLinks(s.row.links),
    };
  };

  // Every local date of the event, and any other date a session falls on, in order: never the
  // days between two far dates, so that a session stored far from its event costs one day.
  const byDate = new Map<string, typeof placed>();
  for (const s of placed) {
    const date = localDate(s.slot.startsAt, zone);
    byDate.set(date, [...(byDate.get(date) ?? []), s]);
  }
  const dates = [...new Set([...eventDates(event), ...byDate.keys()])].sort();
  const first = dates[0]!;
  const last = dates.at(-1)!;
  const days: FrabDay[] = [];
  for (const [i, date] of dates.entries()) {
    const index = i + 1;
    const today = byDate.get(date) ?? [];
    // A day spans its sessions; a day without any spans the whole local day.
    const start = today.length > 0 ? new Date(Math.min(...today.map((s) => s.slot.startsAt.getTime()))) : startOfLocalDate(date, zone);
    const end = today.length > 0 ? new Date(Math.max(...today.map((s) => s.slot.endsAt.getTime()))) : startOfLocalDate(nextDate(date), zone);
    days.push({
      index,
      date,
      start: toZonedIso(start, zone),
      end: toZonedIso(end, zone),
      rooms: rooms.map((room, r) => ({ room, events: today.filter((s) => roomIndex(s) === r).map(frabEvent) })),
    });
  }

  return {
    selfUrl: options.selfUrl,
    version: options.version,
    baseUrl: `${publicUrl}${eventPath}/`,
    generator: { ...options.generator, system: new URL(publicUrl).host },
    conference: {
      acronym,
      title: text(event.title) ?? event.slug,
      start: first,
      end: last,
      timeslotDuration: hoursMinutes(timeslotMinutes(placed.map((s) => (s.slot.endsAt.getTime() - s.slot.startsAt.getTime()) / 60_000))),
      url: `${publicUrl}${inLanguage(eventPath, locale, event)}`,
      timeZoneName: zone,
      tracks,
    },
    rooms,
    days,
  };
}

// ---- JSON

/** schedule.json, valid against the voc's schedule JSON Schema (draft-06). */
export function frabJson(programme: Programme, options: FrabExportOptions) {
  const s = frabSchedule(programme, options);
  const c = s.conference;
  return {
    $schema: 'https://c3voc.de/schedule/schema.json',
    generator: { name: s.generator.name, version: s.generator.version },
    schedule: {
      url: s.selfUrl,
      version: s.version,
      base_url: s.baseUrl,
      conference: {
        acronym: c.acronym,
        title: c.title,
        start: c.start,
        end: c.end,
        daysCount: s.days.length,
        timeslot_duration: c.timeslotDuration,
        // The schema's pattern refuses some real zones (Etc/GMT+2…); the member is optional, so it is left out for them.
        ...(JSON_TIME_ZONE.test(c.timeZoneName) ? { time_zone_name: c.timeZoneName } : {}),
        url: c.url,
        tracks: c.tracks.map((t) => (t.slug ? { name: t.name, slug: t.slug } : { name: t.name })),
        rooms: s.rooms.map((r) => ({ name: r.name, guid: r.guid })),
        days: s.days.map((day) => ({
          index: day.index,
          date: day.date,
          day_start: day.start,
          day_end: day.end,
          rooms: Object.fromEntries(day.rooms.map(({ room, events }) => [room.name, events.map((e) => ({
            guid: e.guid,
            id: e.id,
            date: e.date,
            start: e.start,
            duration: e.duration,
            end: e.end,
            room: e.room,
            slug: e.jsonSlug,
            url: e.url,
            title: e.title,
            subtitle: e.subtitle,
            track: e.track,
            type: e.type,
            language: e.language,
            abstract: e.abstract,
            description: e.description,
            // Name and guid only: the schema's Person is oneOf a frab person (public_name and id) or a pretalx one (name).
            persons: e.persons.map((p) => ({ guid: p.guid, name: p.name })),
            links: e.links.map((l) => (l.title === '' ? { url: l.url } : { url: l.url, title: l.title })),
          }))])),
        })),
      },
    },
  };
}

export function renderFrabJson(programme: Programme, options: FrabExportOptions): string {
  return `${JSON.stringify(frabJson(programme, options), null, 2)}\n`;
}

/** The event's export files, for links and the rendering options' address. */
export function exportPath(event: Pick<EventRow, 'slug' | 'defaultLanguage'>, file: string, locale: Language): string {
  return inLanguage(`/events/${encodeURIComponent(event.slug)}/${file}`, locale, event);
}
