// Reads a frab "schedule.xml" (pentabarf, frab, pretalx, wafer, the CCC hub…) into the model
// every importer produces (writer.ts). Real files break the strict schema in many small ways
// (no guid, no per-event date, dates in UTC beside local starts, extra elements): what they
// mean is accepted, and every assumption is told to the operator as a note. What could hurt
// (DOCTYPEs, entities) or what would be a guess (the time zone) is refused.
import { DateTime } from 'luxon';
import sanitizeHtml from 'sanitize-html';
import { SaxesParser } from 'saxes';
import { v5 as uuidv5 } from 'uuid';
import { LANGUAGES, type Language, type LocalizedText, type SessionKind, type SessionLink } from '../../db/schema.ts';
import { PUBLIC_ID_PATTERN, SLUG_PATTERN } from '../programme/schemas.ts';
import { isValidTimeZone, localDate, localToInstant } from '../../time.ts';
import { ImportError, type ImportedSession, type ProgrammeImport } from '../programme/sync.ts';

export interface FrabImportOptions {
  /** The event's IANA time zone, when the file names none (or to override the file's). */
  timezone?: string | undefined;
  /** The event's address, instead of one made from the acronym or title. */
  slug?: string | undefined;
  /** The language the texts are stored under, instead of the sessions' most common one. */
  language?: Language | undefined;
}

export interface FrabImport {
  programme: ProgrammeImport;
  /** What the import had to assume or leave out, one sentence each, for the operator. */
  notes: string[];
}

/**
 * Public ids of rows without a guid of their own are UUID v5 of "frab/<conference>/<kind>/<key>"
 * in this namespace: importing the same file again, into any database, gives the same ids,
 * so it updates rows in place instead of duplicating them.
 */
const FRAB_NAMESPACE = '03eb4519-5cf8-4ef6-a9a9-eb4b2af30629';

const UUID = new RegExp(PUBLIC_ID_PATTERN, 'i');
const SLUG = new RegExp(SLUG_PATTERN);
const SLUG_MAX = 60;

// ---------------------------------------------------------------------------------------------
// XML → a small element tree

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (and CDATA), not its children's. */
  text: string;
}

const PREDEFINED_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** Parses strict XML 1.0 into a tree; refuses DOCTYPEs, entities, other encodings and other roots. */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const document: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [document];
  let sawRoot = false;

  parser.on('xmldecl', (decl) => {
    if (decl.encoding !== undefined && !/^utf-?8$/i.test(decl.encoding)) {
      throw new ImportError(`the file declares the encoding "${decl.encoding}"; only UTF-8 is accepted: save it as UTF-8 and import it again`);
    }
  });
  // A DOCTYPE can declare entities that read local files or expand without end: refused as
  // soon as it is seen, before anything it declares could be used.
  parser.on('doctype', () => {
    throw new ImportError(`the file has a DOCTYPE (line ${parser.line}); DOCTYPEs and entities are refused`);
  });
  parser.on('opentag', (tag) => {
    if (!sawRoot) {
      sawRoot = true;
      if (tag.name !== 'schedule') throw new ImportError(`the root element is <${tag.name}>, not <schedule>: this is not a frab schedule.xml file`);
    }
    const element: XmlElement = { name: tag.name, attributes: { ...tag.attributes }, children: [], text: '' };
    stack[stack.length - 1]!.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => { stack.pop(); });
  parser.on('text', (text) => { stack[stack.length - 1]!.text += text; });
  parser.on('cdata', (text) => { stack[stack.length - 1]!.text += text; });

  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const message = (error as Error).message.replace(/^\d+:\d+: /, '');
    const where = `line ${parser.line}, column ${parser.column}`;
    if (/undefined entity/.test(message)) {
      let entity = '';
      for (const m of xml.matchAll(/&([A-Za-z_:][\w.:-]*);/g)) {
        if (!PREDEFINED_ENTITIES.has(m[1]!)) { entity = ` &${m[1]};`; break; }
      }
      throw new ImportError(`the file uses the undefined entity${entity} (${where}); entities are never resolved: write the character itself`);
    }
    throw new ImportError(`the file is not well-formed XML: ${message.replace(/\.$/, '')} (${where})`);
  }
  const root = document.children[0];
  if (!root) throw new ImportError('the file has no root element: this is not a frab schedule.xml file');
  return root;
}

const childrenNamed = (element: XmlElement, name: string) => element.children.filter((c) => c.name === name);
const child = (element: XmlElement, name: string) => element.children.find((c) => c.name === name);
/** The trimmed one-line text of a child element, '' when it is missing or empty. */
const line = (element: XmlElement, name: string) => oneLine(child(element, name)?.text ?? '');
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const hasContent = (e: XmlElement) => e.text.trim() !== '' || e.children.length > 0 || Object.keys(e.attributes).length > 0;

// ---------------------------------------------------------------------------------------------
// Texts

/**
 * Trims a multi-line text: the indentation the generator added (the smallest indentation of
 * the lines after the first) goes, deeper indentation (nested lists) stays; trailing spaces go;
 * three or more line breaks become a blank line.
 */
function tidyText(raw: string): string {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/[ \t]+$/, ''));
  const indents = lines.slice(1).filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const common = indents.length > 0 ? indents.reduce((a, b) => Math.min(a, b)) : 0;
  const tidied = lines.map((l, i) => (i === 0 ? l.trimStart() : l.slice(Math.min(common, /^[ \t]*/.exec(l)![0].length))));
  return tidied.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

const HTML_TAG = /<\/?(p|br|a|ul|ol|li|em|strong|b|i|u|h[1-6]|div|span|pre|code|blockquote|table|tr|td|th|img|hr|sup|sub|dl|dt|dd)(\s[^<>]*)?\/?>/i;
const BLOCK_END = /<\/(p|div|h[1-6]|ul|ol|pre|blockquote|table|tr|dl)\s*>/gi;
const BLOCK_START = /<(p|div|h[1-6]|ul|ol|pre|blockquote|table|dl)(\s[^<>]*)?>/gi;

const KEPT_SPACE = '\uE000';
const KEPT_TAB = '\uE001';

/**
 * A link keeps its address, after its text, when the text does not already show it. One pass
 * from each <a> to its </a>, never back: many unclosed <a> cannot make it slow.
 */
function withLinkAddresses(html: string): string {
  const opening = /<a\s[^<>]*>/gi;
  const closing = /<\/a\s*>/gi;
  let out = '';
  let done = 0;
  for (let open = opening.exec(html); open !== null; open = opening.exec(html)) {
    closing.lastIndex = opening.lastIndex;
    const close = closing.exec(html);
    if (close === null) break;
    const href = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(open[0]);
    const address = (href?.[1] ?? href?.[2] ?? '').trim();
    const text = html.slice(opening.lastIndex, close.index).replace(/<[^<>]*>/g, '').trim();
    if (/^(https?:|mailto:)/i.test(address) && !text.includes(address)) {
      out += `${html.slice(done, close.index)} (${address})`;
      done = close.index;
    }
    opening.lastIndex = closing.lastIndex;
  }
  return out + html.slice(done);
}

/** HTML (fosdem's texts are escaped HTML) to plain text, keeping paragraphs, lines and list items. */
function htmlToText(html: string): string {
  // Outside <pre>, HTML whitespace is one space; line breaks come from the markup only.
  const collapsed = html.split(/(<pre[\s\S]*?<\/pre\s*>)/i)
    // Inside it, spaces and tabs are kept through the trimming below behind private-use characters.
    .map((part, i) => (i % 2 === 1 ? part.replace(/\r\n?/g, '\n').replace(/(<[^<>]*>)|[ \t]/g, (m, tag?: string) => tag ?? (m === ' ' ? KEPT_SPACE : KEPT_TAB)) : part.replace(/\s+/g, ' ')))
    .join('');
  const marked = withLinkAddresses(collapsed)
    // A paragraph inside a list item is the item itself.
    .replace(/(<li(?:\s[^<>]*)?>)\s*<p(?:\s[^<>]*)?>/gi, '$1')
    .replace(/<\/p\s*>\s*(<\/li\s*>)/gi, '$1')
    .replace(BLOCK_START, '\n\n$&')
    .replace(BLOCK_END, '$&\n\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li(\s[^<>]*)?>/gi, '\n- ');
  // Tags go before sanitize-html sees them (but those whose content it drops): it takes time
  // that grows with the square of the depth of unclosed tags, and a file can hold many.
  const flat = marked.replace(/<\/?(?!(?:script|style|textarea|option|noscript)\b)[a-z][^<>]*>/gi, '');
  const stripped = sanitizeHtml(flat, { allowedTags: [], allowedAttributes: {} });
  // sanitize-html re-escapes exactly &, < and > in text: undo that to get plain text.
  const decoded = stripped.replace(/&(amp|lt|gt|quot);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[name]!);
  const lines = decoded.split('\n').map((l) => l.trim().replace(/^- +/, '- ').replaceAll(KEPT_SPACE, ' ').replaceAll(KEPT_TAB, '\t').trimEnd());
  // List items follow each other without blank lines between them.
  const kept = lines.filter((l, i) => !(l === '' && lines[i - 1]?.startsWith('- ') && lines.slice(i + 1).find((n) => n !== '')?.startsWith('- ')));
  return kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

// ---------------------------------------------------------------------------------------------
// Times

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DATE_TIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** "HH:MM" or "HH:MM:SS" as HH:MM[:SS] with two-digit hours, or null when it is not a time of day. */
function clockOf(value: string): string | null {
  const m = CLOCK.exec(value);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || (m[3] !== undefined && Number(m[3]) > 59)) return null;
  return `${m[1]!.padStart(2, '0')}:${m[2]}${m[3] === undefined || m[3] === '00' ? '' : `:${m[3]}`}`;
}

/**
 * A duration in milliseconds: "HH:MM" or "HH:MM:SS" (the schema's two forms; three parts are
 * read that way), or "D:HH:MM:SS". A leading minus is read, so that a negative duration is
 * refused as such rather than called malformed.
 */
function durationOf(value: string): number | null {
  const m = /^(-)?(\d+(?::\d{1,2}){1,3})$/.exec(value);
  if (!m) return null;
  const parts = m[2]!.split(':').map(Number);
  const [d, h, min, s] = parts.length === 4 ? parts : parts.length === 3 ? [0, ...parts] : [0, ...parts, 0];
  if (min! > 59 || s! > 59) return null;
  const ms = (((d! * 24 + h!) * 60 + min!) * 60 + s!) * 1000;
  return m[1] ? -ms : ms;
}

/** A date or a date and time with an offset, as a local date in the zone; null when it is neither. */
function localDateOf(value: string, zone: string): string | null {
  if (DATE.test(value)) return DateTime.fromISO(value).isValid ? value : null;
  if (DATE_TIME_OFFSET.test(value) || DATE_TIME_LOCAL.test(value)) {
    const parsed = DateTime.fromISO(value, { zone, setZone: false });
    return parsed.isValid ? parsed.toISODate() : null;
  }
  return null;
}

const minDate = (a: string | null, b: string) => (a === null || b < a ? b : a);
const maxDate = (a: string | null, b: string) => (a === null || b > a ? b : a);

// ---------------------------------------------------------------------------------------------
// Names and kinds

function slugify(text: string): string {
  const folded = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss').replace(/[æÆ]/g, 'ae').replace(/[œŒ]/g, 'oe').replace(/[øØ]/g, 'o').replace(/[łŁ]/g, 'l').replace(/[đĐ]/g, 'd')
    .toLowerCase();
  return folded.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, SLUG_MAX).replace(/-+$/g, '');
}

const KIND_RULES: [RegExp, SessionKind][] = [
  [/\b(workshops?|ateliers?|hands-on)\b/i, 'workshop'],
  [/\b(panels?)\b/i, 'panel'],
  [/\b(plenar(y|ies)|keynotes?|opening|closing|ceremony|ceremonies)\b/i, 'plenary'],
  [/\b(breaks?|lunch|coffee|pause)\b/i, 'break'],
  [/\b(registration|arrivals?)\b/i, 'registration'],
];

function kindOf(type: string): SessionKind {
  return KIND_RULES.find(([pattern]) => pattern.test(type))?.[1] ?? 'session';
}

/** The primary language subtags of a free list such as "de, en" or "en-GB". */
function languageTags(language: string): string[] {
  return [...new Set(language.toLowerCase().split(/[\s,;/]+/).map((t) => t.split(/[-_]/)[0]!).filter((t) => t !== ''))];
}

/** The address as the file gives it (not re-encoded: "zügli.app" stays readable), when it is an http(s) URL. */
function httpUrl(value: string): string | null {
  const trimmed = value.trim();
  try {
    const url = new URL(trimmed);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !/\s/.test(trimmed) ? trimmed : null;
  } catch {
    return null;
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const tally = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
const listed = (counts: Map<string, number>) => [...counts].map(([k, n]) => `${k} (${n})`).join(', ');
/** Names in a note: all of them up to ten, then how many more. */
const someNames = (names: string[]) => (names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`);

// Elements read, or left out on purpose because they add nothing an operator would miss: the
// rest, when they hold something, are counted in the "ignored" note.
const EVENT_ELEMENTS = new Set([
  'date', 'start', 'end', 'duration', 'room', 'title', 'subtitle', 'abstract', 'description', 'track', 'type', 'language', 'persons', 'links', 'url',
  // Slugs are made from titles by the generator: ours are our own.
  'slug',
]);
const CONFERENCE_ELEMENTS = new Set([
  'acronym', 'title', 'subtitle', 'venue', 'city', 'start', 'end', 'time_zone_name', 'day_change', 'track',
  // Derived from the days and events themselves.
  'days', 'timeslot_duration',
]);
const SCHEDULE_ELEMENTS = new Set(['conference', 'day', 'version', 'generator', 'url']);

// ---------------------------------------------------------------------------------------------

interface ReadEvent {
  element: XmlElement;
  /** The event's id attribute, or its position in the file when it has none. */
  ref: string;
  title: string;
  publicId: string;
  startsAt: Date;
  endsAt: Date;
  roomKey: string | null;
}

/** Reads a frab schedule.xml (already decoded text) into a programme ready to be written, with notes for the operator. */
export function parseFrabSchedule(xml: string, options: FrabImportOptions = {}): FrabImport {
  const notes: string[] = [];
  const root = parseXml(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml);
  const conference = child(root, 'conference');
  if (!conference) throw new ImportError('the file has no <conference> element: this is not a frab schedule.xml file');

  // ---- event identity, address, time zone, language
  const acronym = line(conference, 'acronym');
  const conferenceTitle = line(conference, 'title');
  const key = acronym !== '' ? acronym : slugify(conferenceTitle);
  if (key === '') throw new ImportError('the conference has neither an acronym nor a title (conference/acronym, conference/title), so it cannot be named');
  const idOf = (kind: string, name: string) => uuidv5(`frab/${key}/${kind}/${name}`, FRAB_NAMESPACE);

  let slug: string;
  if (options.slug !== undefined) {
    if (!SLUG.test(options.slug) || options.slug.length > SLUG_MAX) {
      throw new ImportError(`the address "${options.slug}" is not valid: use lower-case letters, digits and single hyphens, at most ${SLUG_MAX} characters`);
    }
    slug = options.slug;
  } else {
    slug = slugify(acronym.replace(/_/g, '-'));
    if (slug === '') slug = slugify(conferenceTitle);
    if (slug === '') throw new ImportError('no address can be made from the conference acronym or title; give one with --slug');
  }

  const fileZone = line(conference, 'time_zone_name');
  let zone: string;
  if (options.timezone !== undefined && options.timezone !== '') {
    if (!isValidTimeZone(options.timezone)) throw new ImportError(`the time zone "${options.timezone}" is not a known IANA time zone (e.g. Europe/Brussels)`);
    zone = options.timezone;
    if (fileZone === '') notes.push(`The file names no time zone; ${zone} (given with --timezone) was used.`);
    else if (fileZone !== zone) notes.push(`The time zone ${zone} given with --timezone replaces the file's ${fileZone}.`);
  } else if (fileZone !== '') {
    if (!isValidTimeZone(fileZone)) throw new ImportError(`the file's time zone "${fileZone}" (conference/time_zone_name) is not a known IANA time zone; give one with --timezone, e.g. --timezone Europe/Brussels`);
    zone = fileZone;
  } else {
    throw new ImportError('the file names no time zone (conference/time_zone_name); give one with --timezone, e.g. --timezone Europe/Brussels');
  }
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

  // ---- what is ignored, where
  const ignored = new Map<string, number>();
  for (const e of root.children) if (!SCHEDULE_ELEMENTS.has(e.name) && hasContent(e)) tally(ignored, e.name);
  for (const e of conference.children) if (!CONFERENCE_ELEMENTS.has(e.name) && hasContent(e)) tally(ignored, `conference/${e.name}`);

  // ---- events
  const days = childrenNamed(root, 'day');
  const roomsByKey = new Map<string, { publicId: string; name: string }>();
  const roomsSeen: string[] = []; // every room element's name, in order, to tell which ones hold nothing
  const roomNameMismatch: string[] = [];
  const read: ReadEvent[] = [];
  const guidOwner = new Map<string, string>();
  let withoutGuid = 0;
  let dateClockDisagrees = 0;
  let firstDisagreement = '';
  const otherOffsets = new Map<string, number>();
  let movedToNextDay = 0;
  let endDisagrees = 0;
  let position = 0;

  for (const day of days) {
    const dayDate = (day.attributes.date ?? '').trim();
    const dayStartText = (day.attributes.start ?? '').trim();
    let dayStart: Date | null = null;
    if (dayStartText !== '' && DATE_TIME_OFFSET.test(dayStartText)) {
      const parsed = DateTime.fromISO(dayStartText, { setZone: true });
      if (parsed.isValid) dayStart = parsed.toJSDate();
    }
    for (const e of day.children) if (e.name !== 'room' && hasContent(e)) tally(ignored, `day/${e.name}`);

    for (const roomElement of childrenNamed(day, 'room')) {
      const roomName = oneLine(roomElement.attributes.name ?? '');
      const roomGuid = (roomElement.attributes.guid ?? '').trim().toLowerCase();
      roomsSeen.push(roomName);
      for (const e of roomElement.children) if (e.name !== 'event' && hasContent(e)) tally(ignored, `room/${e.name}`);

      for (const element of childrenNamed(roomElement, 'event')) {
        position += 1;
        const idAttribute = (element.attributes.id ?? '').trim();
        const ref = idAttribute !== '' ? idAttribute : `#${position}`;
        const title = tidyText(child(element, 'title')?.text ?? '').replace(/\s*\n\s*/g, ' ');
        if (title === '') throw new ImportError(`event ${idAttribute !== '' ? idAttribute : `number ${position} in the file`} has no title`);
        const where = `session "${title}" (event ${ref})`;

        for (const e of element.children) if (!EVENT_ELEMENTS.has(e.name) && hasContent(e)) tally(ignored, e.name);

        // Identity: the generator's guid, else one derived from the conference and the event id.
        const guid = (element.attributes.guid ?? '').trim().toLowerCase();
        let publicId: string;
        if (UUID.test(guid)) {
          publicId = guid;
        } else {
          if (idAttribute === '') throw new ImportError(`${where} has neither a guid nor an id, so it cannot keep its identity from one import to the next`);
          withoutGuid += 1;
          publicId = idOf('event', idAttribute);
        }
        const owner = guidOwner.get(publicId);
        if (owner !== undefined) {
          throw new ImportError(UUID.test(guid)
            ? `events ${owner} and ${ref} have the same guid ${guid}; each event needs its own`
            : `two events have the id ${idAttribute} and no guid, so they cannot be told apart`);
        }
        guidOwner.set(publicId, ref);

        // Start: the <date> instant when there is one, else the day's date and the local <start>.
        const startText = line(element, 'start');
        const clock = startText === '' ? null : clockOf(startText);
        if (startText !== '' && clock === null) throw new ImportError(`${where} has the start "${startText}", which is not a time of day (HH:MM)`);
        const dateText = line(element, 'date');
        let startsAt: Date;
        if (dateText !== '' && !DATE.test(dateText)) {
          if (DATE_TIME_OFFSET.test(dateText)) {
            const parsed = DateTime.fromISO(dateText, { setZone: true });
            if (!parsed.isValid) throw new ImportError(`${where} has the date "${dateText}", which is not a date and time`);
            startsAt = parsed.toJSDate();
            const inZone = DateTime.fromJSDate(startsAt, { zone });
            if (inZone.offset !== parsed.offset) tally(otherOffsets, parsed.offset === 0 ? 'UTC' : parsed.toFormat('ZZ'));
          } else if (DATE_TIME_LOCAL.test(dateText)) {
            startsAt = atLocal(dateText, zone, where);
          } else {
            throw new ImportError(`${where} has the date "${dateText}", which is not a date and time`);
          }
          if (clock !== null) {
            const local = DateTime.fromJSDate(startsAt, { zone }).toFormat(clock.length > 5 ? 'HH:mm:ss' : 'HH:mm');
            if (local !== clock) {
              dateClockDisagrees += 1;
              if (firstDisagreement === '') firstDisagreement = `"${title}": date ${dateText} is ${local} in ${zone}, start ${clock}`;
            }
          }
        } else {
          if (clock === null) throw new ImportError(`${where} has no start (<start> or <date>)`);
          const onDate = dateText !== '' ? dateText : dayDate;
          if (!DATE.test(onDate) || !DateTime.fromISO(onDate).isValid) {
            throw new ImportError(onDate === '' ? `${where} has no <date> and its day has no date attribute` : `${where} is on the day "${onDate}", which is not a date`);
          }
          startsAt = atLocal(`${onDate}T${clock}`, zone, where);
          // A day runs from its start (or the conference's day change) past midnight: a start
          // before it is on the next date. An event's own date says which date it is.
          const afterMidnight = dateText === ''
            && ((dayStart !== null && startsAt < dayStart) || (dayStart === null && dayChange !== null && clock < dayChange));
          if (afterMidnight) {
            const next = DateTime.fromISO(onDate).plus({ days: 1 }).toISODate()!;
            startsAt = atLocal(`${next}T${clock}`, zone, where);
            movedToNextDay += 1;
          }
        }

        // End: start + duration; an <end>, when a generator gives one, is checked against it.
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
            if (DateTime.fromJSDate(endsAt, { zone }).toFormat('HH:mm') !== clockOf(endText)?.slice(0, 5)) endDisagrees += 1;
          } else {
            if (given.getTime() <= startsAt.getTime()) throw new ImportError(`${where} ends before it starts`);
            if (endsAt === null) endsAt = given;
            else if (given.getTime() !== endsAt.getTime()) endDisagrees += 1;
          }
        }
        if (endsAt === null) throw new ImportError(`${where} has no duration`);

        // Room: the room element it is listed under (its <room> names it again).
        let roomKey: string | null = null;
        const eventRoom = line(element, 'room');
        const name = roomName !== '' ? roomName : eventRoom;
        if (roomName !== '' && eventRoom !== '' && eventRoom !== roomName) roomNameMismatch.push(ref);
        if (name !== '') {
          roomKey = UUID.test(roomGuid) ? roomGuid : `name:${name}`;
          if (!roomsByKey.has(roomKey)) roomsByKey.set(roomKey, { publicId: UUID.test(roomGuid) ? roomGuid : idOf('room', name), name });
        }

        startDate = minDate(startDate, localDate(startsAt, zone));
        endDate = maxDate(endDate, localDate(new Date(endsAt.getTime() - 1), zone));
        read.push({ element, ref, title, publicId, startsAt, endsAt, roomKey });
      }
    }
  }
  if (read.length === 0) throw new ImportError('the file has no events (schedule/day/room/event): there is nothing to import');

  // ---- language: the operator's choice, else the sessions' most common of ours
  const languageCounts = new Map<Language, number>(LANGUAGES.map((l) => [l, 0]));
  for (const r of read) {
    for (const tag of languageTags(line(r.element, 'language'))) {
      if (languageCounts.has(tag as Language)) languageCounts.set(tag as Language, languageCounts.get(tag as Language)! + 1);
    }
  }
  let language: Language;
  if (options.language !== undefined) {
    language = options.language;
  } else {
    const [best, count] = [...languageCounts].reduce((a, b) => (b[1] > a[1] ? b : a));
    if (count > 0) {
      language = best;
      notes.push(`Texts are stored as ${language}, the most common of ${LANGUAGES.join(', ')} among the sessions' languages (${plural(count, 'session', 'sessions')}); --language chooses another.`);
    } else {
      language = 'en';
      notes.push(`No session is in ${LANGUAGES.join(', ')}; texts are stored as en (--language chooses another).`);
    }
  }
  const localized = (text: string): LocalizedText => ({ [language]: text });
  const localizedOrNull = (text: string): LocalizedText | null => (text === '' ? null : localized(text));

  // ---- parts (tracks): the conference's list first, then in order of appearance
  const trackOrder: string[] = [];
  const conferenceTracks = childrenNamed(conference, 'track').map((t) => oneLine(t.attributes.name ?? t.text)).filter((t) => t !== '');
  const usedTracks = new Set(read.map((r) => line(r.element, 'track')).filter((t) => t !== ''));
  for (const t of [...conferenceTracks, ...read.map((r) => line(r.element, 'track'))]) {
    if (t !== '' && usedTracks.has(t) && !trackOrder.includes(t)) trackOrder.push(t);
  }
  const unusedTracks = [...new Set(conferenceTracks)].filter((t) => !usedTracks.has(t));
  if (unusedTracks.length > 0) notes.push(`Tracks with no session, not imported: ${someNames(unusedTracks)}.`);

  // ---- people: one per identity (guid, else id, else name), in order of appearance
  const peopleByKey = new Map<string, { publicId: string; name: string }>();
  const keysByName = new Map<string, Set<string>>();
  let renamed = 0;
  let nameless = 0;
  const personOf = (element: XmlElement): string | null => {
    const name = oneLine(element.text);
    const guid = (element.attributes.guid ?? '').trim().toLowerCase();
    const id = (element.attributes.id ?? '').trim();
    if (name === '' && !UUID.test(guid) && id === '') { nameless += 1; return null; }
    const personKey = UUID.test(guid) ? guid : id !== '' ? `id:${id}` : `name:${name}`;
    let person = peopleByKey.get(personKey);
    if (!person) {
      if (name === '') { nameless += 1; return null; }
      person = { publicId: UUID.test(guid) ? guid : id !== '' ? idOf('person', id) : idOf('person-name', name), name };
      peopleByKey.set(personKey, person);
      const keys = keysByName.get(name) ?? new Set<string>();
      keys.add(personKey);
      keysByName.set(name, keys);
    } else if (name !== '' && name !== person.name) {
      renamed += 1;
    }
    return person.publicId;
  };

  // ---- sessions
  const slots = new Map<string, { publicId: string; startsAt: Date; endsAt: Date }>();
  const kinds = new Map<string, { kind: SessionKind; count: number }>();
  let htmlTexts = 0;
  let skippedLinks = 0;
  const text = (element: XmlElement, name: string): string => {
    const raw = child(element, name)?.text ?? '';
    // In HTML, whitespace outside <pre> means nothing: the markup alone makes the lines.
    if (HTML_TAG.test(raw)) {
      htmlTexts += 1;
      return htmlToText(raw);
    }
    return tidyText(raw);
  };

  const sessions: ImportedSession[] = read.map((r) => {
    const { element } = r;
    const slotKey = `${r.startsAt.toISOString()}/${r.endsAt.toISOString()}`;
    let slot = slots.get(slotKey);
    if (!slot) {
      slot = { publicId: idOf('slot', slotKey), startsAt: r.startsAt, endsAt: r.endsAt };
      slots.set(slotKey, slot);
    }

    const type = line(element, 'type');
    const kind = kindOf(type);
    const typeLabel = type === '' ? '(no type)' : type;
    const seenKind = kinds.get(typeLabel) ?? { kind, count: 0 };
    seenKind.count += 1;
    kinds.set(typeLabel, seenKind);

    const links: SessionLink[] = [];
    const addLink = (href: string, title: string) => {
      const url = httpUrl(href);
      if (url === null) { skippedLinks += 1; return; }
      if (!links.some((l) => l.url === url)) links.push({ url, title: title === '' ? url : title });
    };
    const pageUrl = line(element, 'url');
    if (pageUrl !== '') addLink(pageUrl, conferenceTitle !== '' ? conferenceTitle : acronym);
    for (const list of childrenNamed(element, 'links')) {
      for (const link of childrenNamed(list, 'link')) {
        const href = (link.attributes.href ?? '').trim();
        if (href === '') { skippedLinks += 1; continue; }
        const titled = line(link, 'title');
        addLink(href, titled !== '' ? titled : oneLine(link.text));
      }
    }

    const contributors: ImportedSession['contributors'] = [];
    for (const list of childrenNamed(element, 'persons')) {
      for (const p of childrenNamed(list, 'person')) {
        const person = personOf(p);
        if (person !== null && !contributors.some((c) => c.person === person)) contributors.push({ role: 'speaker', person, organisation: null });
      }
    }

    const track = line(element, 'track');
    const sessionLanguage = line(element, 'language');
    const subtitle = text(element, 'subtitle').replace(/\s*\n\s*/g, ' ');
    return {
      publicId: r.publicId,
      part: track === '' ? null : idOf('track', track),
      slot: slot.publicId,
      room: r.roomKey === null ? null : roomsByKey.get(r.roomKey)!.publicId,
      kind,
      status: 'confirmed',
      title: localized(r.title),
      subtitle: localizedOrNull(subtitle),
      abstract: localizedOrNull(text(element, 'abstract')),
      description: localizedOrNull(text(element, 'description')),
      language: sessionLanguage === '' ? null : sessionLanguage,
      links: links.length > 0 ? links : null,
      contributors,
      outputs: [],
    };
  });

  // ---- notes, in the order an operator would check them
  if (withoutGuid > 0) notes.push(`${plural(withoutGuid, 'event has', 'events have')} no guid; ids derived from the conference and the event id.`);
  const offsetCount = [...otherOffsets.values()].reduce((a, b) => a + b, 0);
  if (offsetCount > 0) {
    const how = [...otherOffsets.keys()].every((k) => k === 'UTC') ? 'in UTC' : `with an offset other than ${zone}'s (${[...otherOffsets.keys()].join(', ')})`;
    notes.push(`${plural(offsetCount, 'event gives its', 'events give their')} <date> ${how}; read as the instant it names, shown in ${zone}.`);
  }
  if (dateClockDisagrees > 0) {
    notes.push(`${plural(dateClockDisagrees, 'event has a', 'events have a')} <date> whose time in ${zone} is not its <start>; the <date> was kept (first: ${firstDisagreement}).`);
  }
  if (movedToNextDay > 0) notes.push(`${plural(movedToNextDay, 'event starts', 'events start')} after midnight of its day and ${movedToNextDay === 1 ? 'was' : 'were'} placed on the next date.`);
  if (endDisagrees > 0) notes.push(`${plural(endDisagrees, 'event gives an', 'events give an')} <end> that differs from its start and duration; the duration was kept.`);
  if (roomNameMismatch.length > 0) notes.push(`${plural(roomNameMismatch.length, 'event names', 'events name')} another room in its <room> than the room it is listed under; the room it is listed under was kept (events ${someNames(roomNameMismatch)}).`);
  const usedRoomNames = new Set([...roomsByKey.values()].map((r) => r.name));
  const emptyRooms = [...new Set(roomsSeen.filter((n) => n !== '' && !usedRoomNames.has(n)))];
  if (emptyRooms.length > 0) notes.push(`${plural(emptyRooms.length, 'room has', 'rooms have')} no session and ${emptyRooms.length === 1 ? 'was' : 'were'} not imported: ${someNames(emptyRooms)}.`);
  const sharedNames = [...keysByName].filter(([, keys]) => keys.size > 1).map(([name]) => name);
  if (sharedNames.length > 0) notes.push(`${plural(sharedNames.length, 'name is', 'names are')} shared by different persons; kept apart: ${someNames(sharedNames)}.`);
  if (renamed > 0) notes.push(`${plural(renamed, 'person appears', 'persons appear')} under another name in a later event; the first name was kept.`);
  if (nameless > 0) notes.push(`${plural(nameless, 'person has', 'persons have')} no name and ${nameless === 1 ? 'was' : 'were'} left out.`);
  notes.push(`Types mapped to kinds: ${[...kinds].map(([t, k]) => `${t} → ${k.kind} (${k.count})`).join(', ')}.`);
  if (htmlTexts > 0) notes.push(`${plural(htmlTexts, 'text was', 'texts were')} HTML and ${htmlTexts === 1 ? 'was' : 'were'} converted to plain text (paragraphs, line breaks and list items kept).`);
  if (skippedLinks > 0) notes.push(`${plural(skippedLinks, 'link was', 'links were')} left out: not an http(s) address.`);
  if (ignored.size > 0) notes.push(`Ignored: ${listed(ignored)}.`);

  const startsAt = read.reduce((a, r) => (r.startsAt < a ? r.startsAt : a), read[0]!.startsAt);
  const programme: ProgrammeImport = {
    event: {
      publicId: uuidv5(`frab/${key}/event`, FRAB_NAMESPACE),
      slug,
      timezone: zone,
      defaultLanguage: language,
      languages: [language],
      title: localized(conferenceTitle !== '' ? conferenceTitle : acronym),
      subtitle: localizedOrNull(line(conference, 'subtitle')),
      description: null,
      venue: localizedOrNull(line(conference, 'venue')),
      city: line(conference, 'city') === '' ? null : line(conference, 'city'),
      country: null,
      startDate: startDate ?? localDate(startsAt, zone),
      endDate: endDate ?? localDate(startsAt, zone),
    },
    rooms: [...roomsByKey.values()].map((r) => ({ publicId: r.publicId, name: localized(r.name) })),
    parts: trackOrder.map((t) => ({ publicId: idOf('track', t), label: localized(t), title: localized(t), startsAt: null, endsAt: null })),
    organisations: [],
    people: [...peopleByKey.values()].map((p) => ({ publicId: p.publicId, name: p.name, organisation: null, bio: null })),
    outputs: [],
    slots: [...slots.values()],
    sessions,
  };
  return { programme, notes };
}

/** A local date and time in the zone as an instant; a time the clock skips is refused, naming the session. */
function atLocal(local: string, zone: string, where: string): Date {
  try {
    return localToInstant(local, zone);
  } catch {
    if (!DateTime.fromISO(local).isValid) throw new ImportError(`${where} starts at "${local}", which is not a date and time`);
    throw new ImportError(`${where} starts at ${local.replace('T', ' ')}, which does not exist in ${zone} (the clocks change then)`);
  }
}

/**
 * An <end>: a date and time (with or without offset), or a time of day on the start's local
 * date. A time of day at or before the start may be after midnight: told apart by the caller.
 */
function endOf(value: string, startsAt: Date, zone: string, where: string): Date | 'crosses-midnight' {
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
