// The conference a frab file describes: its name and address, its time zone, its dates, and the
// language its texts are stored under. The time zone is never guessed: without one, the file
// is refused and the operator asked for it.
import { LANGUAGES, type Language, type LocalizedText } from '../../../db/schema.ts';
import { isValidTimeZone, localDate } from '../../../time.ts';
import { SLUG_PATTERN } from '../../programme/schemas.ts';
import { ImportError, type ProgrammeImport } from '../../programme/sync.ts';
import { eventIdOf, idsOf, type IdOf } from './ids.ts';
import { plural, tally } from './notes.ts';
import { clockOf, localDateOf, maxDate, minDate } from './times.ts';
import { child, hasContent, line, type XmlElement } from './xml.ts';

export interface FrabImportOptions {
  /** The event's IANA time zone, when the file names none (or to override the file's). */
  timezone?: string | undefined;
  /** The event's address, instead of one made from the acronym or title. */
  slug?: string | undefined;
  /** The language the texts are stored under, instead of the sessions' most common one. */
  language?: Language | undefined;
}

const SLUG = new RegExp(SLUG_PATTERN);
const SLUG_MAX = 60;

// Elements read, or left out on purpose because they add nothing an operator would miss: the
// rest, when they hold something, are counted in the "ignored" note (events: see days.ts).
const CONFERENCE_ELEMENTS = new Set([
  'acronym', 'title', 'subtitle', 'venue', 'city', 'start', 'end', 'time_zone_name', 'day_change', 'track',
  // Derived from the days and events themselves.
  'days', 'timeslot_duration',
]);
const SCHEDULE_ELEMENTS = new Set(['conference', 'day', 'version', 'generator', 'url']);

export interface Conference {
  element: XmlElement;
  acronym: string;
  title: string;
  /** What derived ids start from: the acronym, else the title's slug. */
  key: string;
  idOf: IdOf;
  slug: string;
  zone: string;
  /** The conference's day change, HH:MM[:SS], or null when it gives none. */
  dayChange: string | null;
  /** The earliest and latest dates of the conference's <start> and <end>, when it gives them. */
  startDate: string | null;
  endDate: string | null;
  /** What was assumed of the time zone. */
  notes: string[];
}

export function slugify(text: string): string {
  const folded = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss').replace(/[æÆ]/g, 'ae').replace(/[œŒ]/g, 'oe').replace(/[øØ]/g, 'o').replace(/[łŁ]/g, 'l').replace(/[đĐ]/g, 'd')
    .toLowerCase();
  return folded.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, SLUG_MAX).replace(/-+$/g, '');
}

/** Reads schedule/conference: identity, address, time zone, day change and dates; checks the options. */
export function readConference(root: XmlElement, options: FrabImportOptions = {}): Conference {
  const conference = child(root, 'conference');
  if (!conference) throw new ImportError('the file has no <conference> element: this is not a frab schedule.xml file');

  const acronym = line(conference, 'acronym');
  const title = line(conference, 'title');
  const key = acronym !== '' ? acronym : slugify(title);
  if (key === '') throw new ImportError('the conference has neither an acronym nor a title (conference/acronym, conference/title), so it cannot be named');
  const slug = slugOf(acronym, title, options.slug);
  const notes: string[] = [];
  const zone = zoneOf(line(conference, 'time_zone_name'), options.timezone, notes);
  if (options.language !== undefined && !(LANGUAGES as readonly string[]).includes(options.language)) {
    throw new ImportError(`the language "${options.language}" is not one of ${LANGUAGES.join(', ')}`);
  }

  let dayChange: string | null = null;
  const dayChangeText = line(conference, 'day_change');
  if (dayChangeText !== '') {
    dayChange = clockOf(dayChangeText);
    if (dayChange === null) throw new ImportError(`the conference day change "${dayChangeText}" (conference/day_change) is not a time of day`);
  }

  let startDate: string | null = null;
  let endDate: string | null = null;
  for (const name of ['start', 'end'] as const) {
    const value = line(conference, name);
    if (value === '') continue;
    const date = localDateOf(value, zone);
    if (date === null) throw new ImportError(`the conference ${name} "${value}" (conference/${name}) is neither a date nor a date and time`);
    startDate = minDate(startDate, date);
    endDate = maxDate(endDate, date);
  }
  return { element: conference, acronym, title, key, idOf: idsOf(key), slug, zone, dayChange, startDate, endDate, notes };
}

/** The event's address: the one given, else made from the acronym, else from the title. */
function slugOf(acronym: string, title: string, given: string | undefined): string {
  if (given !== undefined) {
    if (!SLUG.test(given) || given.length > SLUG_MAX) {
      throw new ImportError(`the address "${given}" is not valid: use lower-case letters, digits and single hyphens, at most ${SLUG_MAX} characters`);
    }
    return given;
  }
  let slug = slugify(acronym.replace(/_/g, '-'));
  if (slug === '') slug = slugify(title);
  if (slug === '') throw new ImportError('no address can be made from the conference acronym or title; give one with --slug');
  return slug;
}

/** The time zone: the one given (said in a note when it is not the file's), else the file's; never a guess. */
function zoneOf(fileZone: string, given: string | undefined, notes: string[]): string {
  if (given !== undefined && given !== '') {
    if (!isValidTimeZone(given)) throw new ImportError(`the time zone "${given}" is not a known IANA time zone (e.g. Europe/Brussels)`);
    if (fileZone === '') notes.push(`The file names no time zone; ${given} (given with --timezone) was used.`);
    else if (fileZone !== given) notes.push(`The time zone ${given} given with --timezone replaces the file's ${fileZone}.`);
    return given;
  }
  if (fileZone !== '') {
    if (!isValidTimeZone(fileZone)) throw new ImportError(`the file's time zone "${fileZone}" (conference/time_zone_name) is not a known IANA time zone; give one with --timezone, e.g. --timezone Europe/Brussels`);
    return fileZone;
  }
  throw new ImportError('the file names no time zone (conference/time_zone_name); give one with --timezone, e.g. --timezone Europe/Brussels');
}

/** The elements of schedule/ and schedule/conference that are not read, counted by name. */
export function ignoredAtTop(root: XmlElement, conference: XmlElement): Map<string, number> {
  const ignored = new Map<string, number>();
  for (const e of root.children) if (!SCHEDULE_ELEMENTS.has(e.name) && hasContent(e)) tally(ignored, e.name);
  for (const e of conference.children) if (!CONFERENCE_ELEMENTS.has(e.name) && hasContent(e)) tally(ignored, `conference/${e.name}`);
  return ignored;
}

/** The primary language subtags of a free list such as "de, en" or "en-GB". */
export function languageTags(language: string): string[] {
  return [...new Set(language.toLowerCase().split(/[\s,;/]+/).map((t) => t.split(/[-_]/)[0]!).filter((t) => t !== ''))];
}

/** The language texts are stored under: the operator's choice, else the most common of ours among the events' <language>. */
export function chooseLanguage(events: XmlElement[], given: Language | undefined): { language: Language; note: string | null } {
  if (given !== undefined) return { language: given, note: null };
  const languageCounts = new Map<Language, number>(LANGUAGES.map((l) => [l, 0]));
  for (const element of events) {
    for (const tag of languageTags(line(element, 'language'))) {
      if (languageCounts.has(tag as Language)) languageCounts.set(tag as Language, languageCounts.get(tag as Language)! + 1);
    }
  }
  const [best, count] = [...languageCounts].reduce((a, b) => (b[1] > a[1] ? b : a));
  if (count > 0) {
    return { language: best, note: `Texts are stored as ${best}, the most common of ${LANGUAGES.join(', ')} among the sessions' languages (${plural(count, 'session', 'sessions')}); --language chooses another.` };
  }
  return { language: 'en', note: `No session is in ${LANGUAGES.join(', ')}; texts are stored as en (--language chooses another).` };
}

/** Texts in the one language they are stored under. */
export interface Localize {
  localized: (text: string) => LocalizedText;
  /** An empty text is no text. */
  localizedOrNull: (text: string) => LocalizedText | null;
}

export function localizeIn(language: Language): Localize {
  const localized = (text: string): LocalizedText => ({ [language]: text });
  return { localized, localizedOrNull: (text) => (text === '' ? null : localized(text)) };
}

/** The event's row: the conference's texts, its dates widened to every session's. */
export function programmeEvent(
  conference: Conference, language: Language, sessions: { startsAt: Date; endsAt: Date }[],
): ProgrammeImport['event'] {
  const { element, zone } = conference;
  const { localized, localizedOrNull } = localizeIn(language);
  let { startDate, endDate } = conference;
  for (const s of sessions) {
    startDate = minDate(startDate, localDate(s.startsAt, zone));
    endDate = maxDate(endDate, localDate(new Date(s.endsAt.getTime() - 1), zone));
  }
  const startsAt = sessions.reduce((a, s) => (s.startsAt < a ? s.startsAt : a), sessions[0]!.startsAt);
  return {
    publicId: eventIdOf(conference.key),
    slug: conference.slug,
    timezone: zone,
    defaultLanguage: language,
    languages: [language],
    title: localized(conference.title !== '' ? conference.title : conference.acronym),
    subtitle: localizedOrNull(line(element, 'subtitle')),
    description: null,
    venue: localizedOrNull(line(element, 'venue')),
    city: line(element, 'city') === '' ? null : line(element, 'city'),
    country: null,
    startDate: startDate ?? localDate(startsAt, zone),
    endDate: endDate ?? localDate(startsAt, zone),
  };
}
