// Reading calendar feeds in tests: with Mozilla's ical.js, with node-ical (a second,
// independent parser), and as raw RFC 5545 text.
import ICAL from 'ical.js';
import ical from 'node-ical';
import type { FastifyInstance } from 'fastify';

// RFC 7986 makes NAME a TEXT property, and X-WR-CALNAME / X-WR-CALDESC are TEXT by convention,
// but ical.js does not know them: it would give their values with the escapes (\, \; \\) still in.
// Telling it their type lets a round trip through ical.js compare the text itself.
const icalProperties = (ICAL.design.icalendar as unknown as { property: Record<string, { defaultType: string } | undefined> }).property;
for (const name of ['name', 'x-wr-calname', 'x-wr-caldesc']) icalProperties[name] ??= { defaultType: 'text' };

// ---------------------------------------------------------------------------------------------
// The programme read API, as the feeds are checked against it.

export type ApiText = Partial<Record<'fr' | 'en' | 'es', string>>;

export interface ApiSession {
  id: string;
  kind: string;
  status: string;
  title: ApiText;
  description: ApiText | null;
  start: string | null;
  end: string | null;
  room: { id: string; name: ApiText } | null;
  contributors: { role: string; person: { id: string; name: string } | null; organisation: { id: string; name: ApiText } | null }[];
  outputs: string[];
}

interface ApiSlot { id: string; start: string; end: string; sessions: ApiSession[] }

export interface ApiProgramme {
  event: { id: string; slug: string; timezone: string; title: ApiText; defaultLanguage: string };
  parts: { id: string; position: number; label: ApiText; title: ApiText; slots: ApiSlot[] }[];
  outsideParts: ApiSlot[];
  unscheduled: ApiSession[];
  rooms: { id: string; name: ApiText }[];
  outputs: { id: string; position: number; statement: ApiText }[];
}

export async function readProgramme(app: FastifyInstance, slug: string): Promise<ApiProgramme> {
  const response = await app.inject(`/api/v1/events/${slug}/programme`);
  if (response.statusCode !== 200) throw new Error(`programme of ${slug}: ${response.statusCode} ${response.body}`);
  return response.json() as ApiProgramme;
}

/** Every scheduled session of the programme, with the public id of its part (null outside parts). */
export function scheduledSessions(programme: ApiProgramme): (ApiSession & { partId: string | null })[] {
  return [
    ...programme.parts.flatMap((p) => p.slots.flatMap((slot) => slot.sessions.map((s) => ({ ...s, partId: p.id })))),
    ...programme.outsideParts.flatMap((slot) => slot.sessions.map((s) => ({ ...s, partId: null }))),
  ];
}

export function sessionTitled(programme: ApiProgramme, title: string): ApiSession & { partId: string | null } {
  const session = scheduledSessions(programme).find((s) => s.title.fr === title);
  if (!session) throw new Error(`no session titled "${title}"`);
  return session;
}

/** The UID a session's VEVENT must have: its public id at the host of the site's public address. */
export function uidOf(sessionId: string, publicUrl: string): string {
  return `${sessionId}@${new URL(publicUrl).hostname}`;
}

// ---------------------------------------------------------------------------------------------
// Raw text.

/** The physical lines of a feed, as bytes, split at CRLF; the text after the last CRLF is left out. */
export function physicalLines(body: Buffer): { lines: Buffer[]; rest: Buffer } {
  const lines: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf('\r\n', from); at >= 0; at = body.indexOf('\r\n', from)) {
    lines.push(body.subarray(from, at));
    from = at + 2;
  }
  return { lines, rest: body.subarray(from) };
}

/** Content lines, unfolded (RFC 5545, 3.1): a CRLF followed by one space or tab joins two lines. */
export function contentLines(text: string): string[] {
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The content lines of each component with this name (VEVENT, VTIMEZONE…), outermost only. */
export function rawComponents(text: string, name: string): string[][] {
  const components: string[][] = [];
  let current: string[] | null = null;
  for (const line of contentLines(text)) {
    if (line === `BEGIN:${name}`) current = [];
    else if (line === `END:${name}` && current) {
      components.push(current);
      current = null;
    } else if (current) current.push(line);
  }
  return components;
}

/** The name of a content line's property: what comes before the first ";" or ":". */
export function propertyName(line: string): string {
  return /^[A-Za-z0-9-]+/.exec(line)?.[0]?.toUpperCase() ?? '';
}

/** The content lines of a component that hold this property (parameters included). */
export function rawProperties(lines: string[], name: string): string[] {
  return lines.filter((l) => propertyName(l) === name.toUpperCase());
}

// ---------------------------------------------------------------------------------------------
// ical.js.

export interface IcalJsEvent {
  component: InstanceType<typeof ICAL.Component>;
  uid: string;
  start: Date;
  end: Date;
  /** The wall-clock values as written, e.g. 2019-11-12T09:00:00. */
  startLocal: string;
  endLocal: string;
  startTzid: string | null;
  endTzid: string | null;
  /** The tzid of the zone ical.js resolved the time in; "floating" when it found none. */
  startZone: string | null;
  sequence: number;
  summary: string;
  description: string;
  location: string;
  url: string;
  categories: string[];
  status: string;
  transp: string;
  dtstamp: InstanceType<typeof ICAL.Time>;
  lastModified: InstanceType<typeof ICAL.Time>;
}

export interface IcalJsCalendar {
  calendar: InstanceType<typeof ICAL.Component>;
  timezones: InstanceType<typeof ICAL.Component>[];
  events: IcalJsEvent[];
}

function tzidOf(property: InstanceType<typeof ICAL.Property> | null): string | null {
  const tzid = property?.getParameter('tzid');
  return typeof tzid === 'string' ? tzid : null;
}

function timeValue(component: InstanceType<typeof ICAL.Component>, name: string): InstanceType<typeof ICAL.Time> {
  const value = component.getFirstPropertyValue(name);
  if (!(value instanceof ICAL.Time)) throw new Error(`${name} is not a date-time: ${String(value)}`);
  return value;
}

function textValue(component: InstanceType<typeof ICAL.Component>, name: string): string {
  const value = component.getFirstPropertyValue(name);
  if (typeof value !== 'string') throw new Error(`${name} is missing or not text`);
  return value;
}

/**
 * Parses a feed with ical.js after registering its VTIMEZONEs with ical.js's TimezoneService,
 * so that times with a TZID convert to instants through the feed's own zone definitions.
 */
export function parseWithIcalJs(text: string): IcalJsCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const timezones = calendar.getAllSubcomponents('vtimezone');
  for (const zone of timezones) ICAL.TimezoneService.register(zone);
  const events = calendar.getAllSubcomponents('vevent').map((component): IcalJsEvent => {
    const event = new ICAL.Event(component);
    const categories = component.getAllProperties('categories').flatMap((p) => p.getValues().map(String));
    return {
      component,
      uid: event.uid,
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      startLocal: event.startDate.toString(),
      endLocal: event.endDate.toString(),
      startTzid: tzidOf(component.getFirstProperty('dtstart')),
      endTzid: tzidOf(component.getFirstProperty('dtend')),
      startZone: event.startDate.zone?.tzid ?? null,
      sequence: event.sequence,
      summary: event.summary,
      description: event.description,
      location: event.location,
      url: textValue(component, 'url'),
      categories,
      status: textValue(component, 'status'),
      transp: textValue(component, 'transp'),
      dtstamp: timeValue(component, 'dtstamp'),
      lastModified: timeValue(component, 'last-modified'),
    };
  });
  return { calendar, timezones, events };
}

/** Forgets the zones registered by earlier parses (ical.js's TimezoneService is global). */
export function resetIcalTimezones(): void {
  ICAL.TimezoneService.reset();
}

export { ICAL };

// ---------------------------------------------------------------------------------------------
// node-ical.

export interface NodeIcalEvent {
  uid: string;
  start: Date;
  end: Date;
  tz: string | undefined;
  sequence: number;
  summary: string;
  description: string;
  location: string;
  url: string;
  categories: string[];
  status: string | undefined;
  transparency: string | undefined;
  dtstamp: Date;
  lastModified: Date | undefined;
}

const valueOf = (value: ical.ParameterValue | undefined): string =>
  value === undefined ? '' : typeof value === 'string' ? value : value.val;

/** Parses a feed with node-ical; its events are keyed by UID, so a repeated UID would show as fewer events. */
export function parseWithNodeIcal(text: string): { calendar: ical.VCalendar | undefined; events: NodeIcalEvent[]; components: ical.CalendarComponent[] } {
  const parsed = ical.sync.parseICS(text);
  const components = Object.entries(parsed).filter(([key]) => key !== 'vcalendar').map(([, c]) => c as ical.CalendarComponent);
  const events = components.filter((c): c is ical.VEvent => c.type === 'VEVENT').map((e): NodeIcalEvent => {
    if (!e.end) throw new Error(`${e.uid} has no end`);
    return {
      uid: e.uid,
      start: e.start,
      end: e.end,
      tz: e.start.tz,
      sequence: Number(e.sequence),
      summary: valueOf(e.summary),
      description: valueOf(e.description),
      location: valueOf(e.location),
      url: valueOf(e.url as ical.ParameterValue | undefined),
      categories: e.categories ?? [],
      status: e.status,
      transparency: e.transparency,
      dtstamp: e.dtstamp,
      lastModified: e.lastmodified,
    };
  });
  return { calendar: parsed.vcalendar, events, components };
}
