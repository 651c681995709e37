// Our own JSON format: a whole programme, every row with its public id, every time with the
// event's offset. Exporting, importing into an empty database and exporting again gives the
// same bytes: the order of every list is a function of the content alone, and every value
// the export writes is one the import keeps. Its JSON Schema is programme.schema.json here.
import { Type, type Static, type TSchema } from 'typebox';
import { Errors } from 'typebox/value';
import { CONTRIBUTOR_ROLES, LANGUAGES, SESSION_KINDS, SESSION_STATUSES, type Interpretation, type Language, type LocalizedText } from '../../db/schema.ts';
import { PUBLIC_ID_PATTERN, SLUG_PATTERN } from '../programme/schemas.ts';
import type { Programme } from '../programme/assemble.ts';
import { SESSION_CONTENT, type SessionContent, type SessionContentField } from '../programme/resources/session.ts';
import { isValidTimeZone, toZonedIso } from '../../time.ts';
import { ImportError, type ProgrammeImport } from '../programme/sync.ts';
import { InterpretationList, interpretationProblems, normalizeInterpretation } from '../programme/languages.ts';

export const PROGRAMME_FORMAT = 'forum-programme/1';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ pattern: PUBLIC_ID_PATTERN, maxLength: 36, description: 'Public id (UUID): what links, feeds and exports carry' });
const Ref = (what: string) => Type.Union([Id, Type.Null()], { description: `Public id of the ${what}, or null` });
const Localized = (maxLength: number) => Type.Object({
  fr: Type.Optional(Type.String({ minLength: 1, maxLength })),
  en: Type.Optional(Type.String({ minLength: 1, maxLength })),
  es: Type.Optional(Type.String({ minLength: 1, maxLength })),
}, { ...strict, minProperties: 1, description: 'Text in French, English and/or Spanish; the event\'s default language is always given' });
const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})$',
  maxLength: 25,
  description: 'ISO 8601 with the event\'s UTC offset, e.g. 2019-11-12T09:00:00+02:00',
});
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'Local date of the event' });
const Language = Type.Enum(LANGUAGES);
const Optional = <T extends TSchema>(schema: T) => Type.Optional(schema);

/**
 * Interpretation as the file carries it: a channel only when there is one. A session without
 * the member has its room's; an empty list is "none" and is written as such.
 */
type InterpretationValue = { language: string; channel?: string | null }[];
const writeInterpretation = (list: Interpretation[] | null) => list && list.map((i) => present({ language: i.language, channel: i.channel }));
function readInterpretation(list: InterpretationValue | undefined, where: string): Interpretation[] | null {
  if (list === undefined) return null;
  const twice = interpretationProblems(where, list)[0];
  if (twice) throw new ImportError(`${twice.pointer.replace(/^#/, '')}: the language "${list[Number(twice.pointer.split('/').at(-2))]!.language}" is listed twice`);
  return normalizeInterpretation(list);
}

/**
 * How each content field of a session is carried by the file: its schema, how the export writes
 * it and how the import reads it back. Keyed by the session's descriptor (SESSION_CONTENT): a
 * field added to sessions fails the type check here until the format carries it.
 */
type Need = (text: LocalizedText | undefined, where: string) => LocalizedText | null;
const SESSION_CONTENT_FORMAT: { [F in SessionContentField]: { schema: TSchema; write: (value: SessionContent[F]) => unknown; read: (value: never, where: string, need: Need) => SessionContent[F] } } = {
  kind: { schema: Type.Enum(SESSION_KINDS), write: (v) => v, read: (v) => v },
  status: { schema: Type.Enum(SESSION_STATUSES), write: (v) => v, read: (v) => v },
  title: { schema: Localized(300), write: (v) => ordered(v), read: (v, where, need) => need(v, where)! },
  subtitle: { schema: Optional(Localized(300)), write: (v) => v && ordered(v), read: (v, where, need) => need(v, where) },
  abstract: { schema: Optional(Localized(10000)), write: (v) => v && ordered(v), read: (v, where, need) => need(v, where) },
  description: { schema: Optional(Localized(10000)), write: (v) => v && ordered(v), read: (v, where, need) => need(v, where) },
  language: {
    schema: Optional(Type.String({ minLength: 1, maxLength: 50, description: 'BCP 47 tags of the language(s) spoken, when not the event\'s' })),
    write: (v) => v, read: (v: string | undefined) => v ?? null,
  },
  interpretation: {
    schema: Optional(InterpretationList({ description: 'The languages the session is interpreted into, with the receivers\' channel; absent: its room\'s; empty: none' })),
    write: writeInterpretation,
    read: (v: InterpretationValue | undefined, where: string) => readInterpretation(v, where),
  },
  links: {
    schema: Optional(Type.Array(Type.Object({
      url: Type.String({ pattern: '^https?://', maxLength: 2000 }), title: Type.String({ minLength: 1, maxLength: 200 }),
    }, strict), { maxItems: 50 })),
    write: (v) => (v && v.length > 0 ? v.map((l) => ({ url: l.url, title: l.title })) : null),
    read: (v: { url: string; title: string }[] | undefined) => (v && v.length > 0 ? v.map((l) => ({ url: l.url, title: l.title })) : null),
  },
};

export const ProgrammeDocument = Type.Object({
  format: Type.Literal(PROGRAMME_FORMAT),
  event: Type.Object({
    id: Id,
    slug: Type.String({ pattern: SLUG_PATTERN, maxLength: 60 }),
    timezone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone' }),
    defaultLanguage: Language,
    languages: Type.Array(Language, { minItems: 1, maxItems: 3, uniqueItems: true }),
    startDate: LocalDate,
    endDate: LocalDate,
    title: Localized(300),
    subtitle: Optional(Localized(300)),
    description: Optional(Localized(20000)),
    venue: Optional(Localized(300)),
    city: Optional(Type.String({ minLength: 1, maxLength: 100 })),
    country: Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
  }, strict),
  parts: Type.Array(Type.Object({
    id: Id, label: Localized(200), title: Localized(300), start: Optional(Instant), end: Optional(Instant),
  }, strict), { description: 'In their order' }),
  rooms: Type.Array(Type.Object({
    id: Id, name: Localized(200), interpretation: Optional(InterpretationList({ description: 'The languages its booths interpret into, which its sessions have unless they say otherwise' })),
  }, strict), { description: 'In their order' }),
  outputs: Type.Array(Type.Object({ id: Id, statement: Localized(1000) }, strict), { description: 'The expected outputs ("Résultats"), in their order' }),
  organisations: Type.Array(Type.Object({
    id: Id, name: Localized(200), fullName: Optional(Localized(300)), description: Optional(Localized(5000)),
  }, strict)),
  people: Type.Array(Type.Object({
    id: Id, name: Type.String({ minLength: 1, maxLength: 200 }), organisation: Optional(Id), bio: Optional(Localized(5000)),
  }, strict)),
  slots: Type.Array(Type.Object({ id: Id, start: Instant, end: Instant }, strict)),
  sessions: Type.Array(Type.Object({
    id: Id,
    slot: Ref('time slot'),
    part: Ref('part'),
    room: Ref('room'),
    ...Object.fromEntries(SESSION_CONTENT.map((field) => [field, SESSION_CONTENT_FORMAT[field].schema])) as Record<SessionContentField, TSchema>,
    contributors: Type.Array(Type.Object({
      role: Type.Enum(CONTRIBUTOR_ROLES), person: Optional(Id), organisation: Optional(Id),
    }, strict), { maxItems: 200 }),
    outputs: Type.Array(Id, { maxItems: 100, uniqueItems: true }),
  }, strict)),
}, { ...strict, title: 'forum-programme programme', description: 'A whole programme of forum-programme: export, edit, import again.' });

export type ProgrammeDocumentValue = Static<typeof ProgrammeDocument>;

/** The JSON Schema document of the format, as committed in programme.schema.json. */
export function programmeJsonSchema(): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(ProgrammeDocument)) };
}

// ---- Export

/** A localised text with its languages in fr, en, es order, whatever order it was stored in. */
function ordered(text: LocalizedText): LocalizedText {
  const out: LocalizedText = {};
  for (const language of LANGUAGES) if (text[language] !== undefined) out[language] = text[language];
  return out;
}

/** Members whose value is null are left out: the file says only what there is. */
type Present<T> = { [K in keyof T as null extends T[K] ? never : K]: T[K] } & { [K in keyof T as null extends T[K] ? K : never]?: Exclude<T[K], null> };
function present<T extends Record<string, unknown>>(value: T): Present<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Present<T>;
}

const byText = (text: LocalizedText, language: Language) => text[language] ?? Object.values(text)[0] ?? '';
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The programme in our format, as text (two-space indents, a final newline). */
export function exportProgrammeJson(programme: Programme): string {
  const { event } = programme;
  const zone = event.timezone;
  const at = (instant: Date) => toZonedIso(instant, zone);
  const lang = event.defaultLanguage;
  const idOf = new Map<string, Map<number, string>>();
  const ids = (kind: string, rows: { id: number; publicId: string }[]) => idOf.set(kind, new Map(rows.map((r) => [r.id, r.publicId])));
  ids('organisation', programme.organisations);

  const positional = <T extends { position: number; publicId: string }>(rows: T[]) =>
    [...rows].sort((a, b) => a.position - b.position || compare(a.publicId, b.publicId));
  const slots = [...programme.slots].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()
    || a.endsAt.getTime() - b.endsAt.getTime() || compare(a.publicId, b.publicId));
  const sessions = [...programme.sessions].sort((a, b) => {
    const start = (s: typeof a) => s.slot?.startsAt.getTime() ?? Number.POSITIVE_INFINITY;
    const end = (s: typeof a) => s.slot?.endsAt.getTime() ?? Number.POSITIVE_INFINITY;
    return start(a) - start(b) || end(a) - end(b)
      || (a.room?.position ?? Number.MAX_SAFE_INTEGER) - (b.room?.position ?? Number.MAX_SAFE_INTEGER)
      || compare(a.publicId, b.publicId);
  });

  const document: ProgrammeDocumentValue = {
    format: PROGRAMME_FORMAT,
    event: present({
      id: event.publicId,
      slug: event.slug,
      timezone: zone,
      defaultLanguage: event.defaultLanguage,
      languages: LANGUAGES.filter((l) => event.languages.includes(l)),
      startDate: event.startDate,
      endDate: event.endDate,
      title: ordered(event.title),
      subtitle: event.subtitle && ordered(event.subtitle),
      description: event.description && ordered(event.description),
      venue: event.venue && ordered(event.venue),
      city: event.city,
      country: event.country,
    }),
    parts: positional(programme.parts).map((p) => present({
      id: p.publicId, label: ordered(p.label), title: ordered(p.title), start: p.startsAt && at(p.startsAt), end: p.endsAt && at(p.endsAt),
    })),
    rooms: positional(programme.rooms).map((r) => present({ id: r.publicId, name: ordered(r.name), interpretation: writeInterpretation(r.interpretation) })),
    outputs: positional(programme.outputs).map((o) => ({ id: o.publicId, statement: ordered(o.statement) })),
    organisations: [...programme.organisations]
      .sort((a, b) => compare(byText(a.name, lang), byText(b.name, lang)) || compare(a.publicId, b.publicId))
      .map((o) => present({
        id: o.publicId, name: ordered(o.name), fullName: o.fullName && ordered(o.fullName), description: o.description && ordered(o.description),
      })),
    people: [...programme.people]
      .sort((a, b) => compare(a.name, b.name) || compare(a.publicId, b.publicId))
      .map((p) => present({
        id: p.publicId,
        name: p.name,
        organisation: p.organisationId === null ? null : idOf.get('organisation')!.get(p.organisationId) ?? null,
        bio: p.bio && ordered(p.bio),
      })),
    slots: slots.map((s) => ({ id: s.publicId, start: at(s.startsAt), end: at(s.endsAt) })),
    sessions: sessions.map((s) => ({
      id: s.publicId,
      slot: s.slot?.publicId ?? null,
      part: s.part?.publicId ?? null,
      room: s.room?.publicId ?? null,
      ...present(Object.fromEntries(SESSION_CONTENT.map((field) => [field, (SESSION_CONTENT_FORMAT[field].write as (v: unknown) => unknown)(s.row[field])]))),
      contributors: s.contributors.map((c) => present({ role: c.role, person: c.person?.publicId ?? null, organisation: c.organisation?.publicId ?? null })),
      outputs: [...s.outputs].sort((a, b) => a.position - b.position).map((o) => o.publicId),
    })) as ProgrammeDocumentValue['sessions'],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

// ---- Import

function instant(value: string, where: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new ImportError(`${where}: "${value}" is not a date and time`);
  return date;
}

/** Checks a parsed document against the format and turns it into rows to write. */
export function parseProgrammeDocument(value: unknown): ProgrammeImport {
  const errors = [...Errors(ProgrammeDocument, value)];
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new ImportError(`not a valid forum-programme file: at ${first.instancePath || '/'}, ${first.message}`);
  }
  return documentToImport(value as ProgrammeDocumentValue);
}

/** A document already checked against the schema (the API's validation did it), as rows to write. */
export function documentToImport(document: ProgrammeDocumentValue): ProgrammeImport {
  const { event } = document;
  if (!isValidTimeZone(event.timezone)) throw new ImportError(`/event/timezone: unknown time zone "${event.timezone}"`);
  if (!event.languages.includes(event.defaultLanguage)) throw new ImportError('/event/defaultLanguage must be one of the event\'s languages');
  if (event.startDate > event.endDate) throw new ImportError('/event: the event ends (endDate) before it starts (startDate)');
  const lang = event.defaultLanguage;
  const need = (text: LocalizedText | undefined, where: string) => {
    if (text !== undefined && text[lang] === undefined) throw new ImportError(`${where} has no text in the event's default language (${lang})`);
    return text === undefined ? null : ordered(text);
  };
  need(event.title, '/event/title');

  const slots = document.slots.map((s, i) => {
    const startsAt = instant(s.start, `/slots/${i}/start`);
    const endsAt = instant(s.end, `/slots/${i}/end`);
    if (!(startsAt < endsAt)) {
      const users = document.sessions.filter((session) => session.slot === s.id).map((session) => `"${Object.values(session.title as LocalizedText)[0]}"`);
      const what = users.length > 0 ? `session ${users.join(', ')}` : `time slot ${s.id}`;
      throw new ImportError(`/slots/${i}: ${what} ends (${s.end}) before it starts (${s.start})`);
    }
    return { publicId: s.id, startsAt, endsAt };
  });

  return {
    event: {
      publicId: event.id,
      slug: event.slug,
      timezone: event.timezone,
      defaultLanguage: event.defaultLanguage,
      languages: LANGUAGES.filter((l) => event.languages.includes(l)),
      title: ordered(event.title),
      subtitle: need(event.subtitle, '/event/subtitle'),
      description: need(event.description, '/event/description'),
      venue: need(event.venue, '/event/venue'),
      city: event.city ?? null,
      country: event.country ?? null,
      startDate: event.startDate,
      endDate: event.endDate,
    },
    parts: document.parts.map((p, i) => {
      const startsAt = p.start === undefined ? null : instant(p.start, `/parts/${i}/start`);
      const endsAt = p.end === undefined ? null : instant(p.end, `/parts/${i}/end`);
      return { publicId: p.id, label: need(p.label, `/parts/${i}/label`)!, title: need(p.title, `/parts/${i}/title`)!, startsAt, endsAt };
    }),
    rooms: document.rooms.map((r, i) => ({ publicId: r.id, name: need(r.name, `/rooms/${i}/name`)!, interpretation: readInterpretation(r.interpretation, `/rooms/${i}/interpretation`) })),
    outputs: document.outputs.map((o, i) => ({ publicId: o.id, statement: need(o.statement, `/outputs/${i}/statement`)! })),
    organisations: document.organisations.map((o, i) => ({
      publicId: o.id,
      name: need(o.name, `/organisations/${i}/name`)!,
      fullName: need(o.fullName, `/organisations/${i}/fullName`),
      description: need(o.description, `/organisations/${i}/description`),
    })),
    people: document.people.map((p, i) => ({
      publicId: p.id, name: p.name, organisation: p.organisation ?? null, bio: need(p.bio, `/people/${i}/bio`),
    })),
    slots,
    sessions: document.sessions.map((s, i) => ({
      publicId: s.id,
      part: s.part,
      slot: s.slot,
      room: s.room,
      ...Object.fromEntries(SESSION_CONTENT.map((field) => [
        field, (SESSION_CONTENT_FORMAT[field].read as (v: unknown, where: string, n: Need) => unknown)((s as Record<string, unknown>)[field], `/sessions/${i}/${field}`, need),
      ])) as SessionContent,
      contributors: s.contributors.map((c) => ({ role: c.role, person: c.person ?? null, organisation: c.organisation ?? null })),
      outputs: s.outputs,
    })),
  };
}
