// Loads the programmes bundled in data/ (one JSON file per event) into the database.
import fs from 'node:fs';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Errors } from 'typebox/value';
import { v5 as uuidv5 } from 'uuid';
import { PROJECT_ROOT } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { CONTRIBUTOR_ROLES, LANGUAGES, SESSION_KINDS, SESSION_STATUSES } from '../../db/schema.ts';
import { writeProgramme, type ProgrammeImport } from '../programme/sync.ts';
import { findLatestReleaseOfEvent } from '../releases/repository.ts';
import { releaseProgramme } from '../releases/service.ts';
import { isValidTimeZone, localToInstant } from '../../time.ts';
import { findEventBySlug } from '../programme/repository.ts';

export const BUNDLED_DIR = path.join(PROJECT_ROOT, 'data');

/**
 * Public ids of bundled entities are UUID v5 of "slug/kind/key": loading the same file
 * into any database, fresh or not, gives the same ids, so links and calendar UIDs hold.
 */
const PUBLIC_ID_NAMESPACE = '6f1d3a52-4c1e-5b8e-9a57-0c7e2f4b9d10';
export function bundledPublicId(eventSlug: string, kind: string, key: string): string {
  return uuidv5(`${eventSlug}/${kind}/${key}`, PUBLIC_ID_NAMESPACE);
}

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Localized = (max: number) => Type.Object(
  { fr: Type.Optional(Text(max)), en: Type.Optional(Text(max)), es: Type.Optional(Text(max)) },
  { additionalProperties: false, minProperties: 1 },
);
const Key = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60 });
const LocalDateTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$' });
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Language = Type.Enum(LANGUAGES);

const ContributorEntry = Type.Object({
  role: Type.Enum(CONTRIBUTOR_ROLES),
  person: Type.Optional(Key),
  organisation: Type.Optional(Key),
}, { additionalProperties: false });

export const BundledProgrammeSchema = Type.Object({
  event: Type.Object({
    slug: Key,
    timezone: Type.String({ maxLength: 64 }),
    defaultLanguage: Language,
    languages: Type.Array(Language, { minItems: 1, uniqueItems: true }),
    startDate: LocalDate,
    endDate: LocalDate,
    title: Localized(300),
    subtitle: Type.Optional(Localized(300)),
    description: Type.Optional(Localized(20000)),
    venue: Type.Optional(Localized(300)),
    city: Type.Optional(Text(100)),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
  }, { additionalProperties: false }),
  rooms: Type.Array(Type.Object({ key: Key, name: Localized(200) }, { additionalProperties: false })),
  parts: Type.Array(Type.Object({ key: Key, label: Localized(200), title: Localized(300) }, { additionalProperties: false })),
  organisations: Type.Array(Type.Object({
    key: Key,
    name: Localized(200),
    fullName: Type.Optional(Localized(300)),
    description: Type.Optional(Localized(5000)),
  }, { additionalProperties: false })),
  people: Type.Array(Type.Object({
    key: Key,
    name: Text(200),
    organisation: Type.Optional(Key),
    bio: Type.Optional(Localized(5000)),
  }, { additionalProperties: false })),
  outputs: Type.Array(Type.Object({ key: Key, statement: Localized(1000) }, { additionalProperties: false })),
  sessions: Type.Array(Type.Object({
    key: Key,
    part: Type.Union([Key, Type.Null()]),
    start: LocalDateTime,
    end: LocalDateTime,
    room: Type.Union([Key, Type.Null()]),
    kind: Type.Enum(SESSION_KINDS),
    status: Type.Enum(SESSION_STATUSES),
    title: Localized(300),
    description: Type.Optional(Localized(10000)),
    contributors: Type.Array(ContributorEntry),
    outputs: Type.Array(Key),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export type BundledProgramme = Static<typeof BundledProgrammeSchema>;

export class BundledProgrammeError extends Error {
  override name = 'BundledProgrammeError';
}

function keyMap<T extends { key: string }>(list: T[], what: string, file: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of list) {
    if (map.has(item.key)) throw new BundledProgrammeError(`${file}: ${what} "${item.key}" is listed twice`);
    map.set(item.key, item);
  }
  return map;
}

/** Checks the shape and every cross-reference of a programme file; returns it typed. */
export function validateBundledProgramme(value: unknown, file: string): BundledProgramme {
  const errors = Errors(BundledProgrammeSchema, value);
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new BundledProgrammeError(`${file}: ${first.instancePath || '/'} ${first.message}`);
  }
  const programme = value as BundledProgramme;
  const { event } = programme;
  if (!isValidTimeZone(event.timezone)) throw new BundledProgrammeError(`${file}: unknown timezone "${event.timezone}"`);
  if (!event.languages.includes(event.defaultLanguage)) {
    throw new BundledProgrammeError(`${file}: the default language must be one of the event's languages`);
  }
  if (event.startDate > event.endDate) throw new BundledProgrammeError(`${file}: the event ends before it starts`);
  const rooms = keyMap(programme.rooms, 'room', file);
  const partKeys = keyMap(programme.parts, 'part', file);
  const organisationKeys = keyMap(programme.organisations, 'organisation', file);
  const personKeys = keyMap(programme.people, 'person', file);
  const outputKeys = keyMap(programme.outputs, 'output', file);
  keyMap(programme.sessions, 'session', file);
  const missing = (what: string, key: string, where: string) =>
    new BundledProgrammeError(`${file}: ${where} names ${what} "${key}", which is not defined`);
  for (const person of programme.people) {
    if (person.organisation && !organisationKeys.has(person.organisation)) throw missing('organisation', person.organisation, `person "${person.key}"`);
  }
  for (const session of programme.sessions) {
    const where = `session "${session.key}"`;
    if (session.part !== null && !partKeys.has(session.part)) throw missing('part', session.part, where);
    if (session.room !== null && !rooms.has(session.room)) throw missing('room', session.room, where);
    for (const output of session.outputs) if (!outputKeys.has(output)) throw missing('output', output, where);
    for (const contributor of session.contributors) {
      if (!contributor.person && !contributor.organisation) throw new BundledProgrammeError(`${file}: ${where} has a contributor with neither person nor organisation`);
      if (contributor.person && !personKeys.has(contributor.person)) throw missing('person', contributor.person, where);
      if (contributor.organisation && !organisationKeys.has(contributor.organisation)) throw missing('organisation', contributor.organisation, where);
    }
    if (session.end <= session.start) throw new BundledProgrammeError(`${file}: ${where} ends before it starts`);
    if (session.start.slice(0, 10) < event.startDate || session.end.slice(0, 10) > event.endDate) {
      throw new BundledProgrammeError(`${file}: ${where} is outside the event's dates`);
    }
    try {
      localToInstant(session.start, event.timezone);
      localToInstant(session.end, event.timezone);
    } catch (error) {
      throw new BundledProgrammeError(`${file}: ${where}: ${(error as Error).message}`);
    }
  }
  return programme;
}

export function readBundledProgrammes(dir: string = BUNDLED_DIR): BundledProgramme[] {
  return fs.readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      let parsed: unknown;
      try {
        parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        throw new BundledProgrammeError(`${file}: not valid JSON (${(error as Error).message})`);
      }
      return validateBundledProgramme(parsed, file);
    });
}

/** The programme of a bundled file, named by public ids, ready to be written. */
export function bundledToImport(programme: BundledProgramme): ProgrammeImport {
  const { event: source } = programme;
  const idOf = (kind: string, key: string) => bundledPublicId(source.slug, kind, key);
  // A slot is the span of time its sessions share; bundled files name sessions, not slots,
  // so a slot's identity is its local start and end.
  const slotKey = (s: { start: string; end: string }) => idOf('slot', `${s.start}_${s.end}`.replace(/[^0-9_]/g, ''));
  const slots = new Map<string, { publicId: string; startsAt: Date; endsAt: Date }>();
  for (const s of programme.sessions) {
    const publicId = slotKey(s);
    if (!slots.has(publicId)) {
      slots.set(publicId, { publicId, startsAt: localToInstant(s.start, source.timezone), endsAt: localToInstant(s.end, source.timezone) });
    }
  }
  return {
    event: {
      publicId: idOf('event', source.slug),
      slug: source.slug,
      timezone: source.timezone,
      defaultLanguage: source.defaultLanguage,
      languages: source.languages,
      title: source.title,
      subtitle: source.subtitle ?? null,
      description: source.description ?? null,
      venue: source.venue ?? null,
      city: source.city ?? null,
      country: source.country ?? null,
      startDate: source.startDate,
      endDate: source.endDate,
    },
    // The sources say nothing of interpretation: none is set (data/README.md).
    rooms: programme.rooms.map((r) => ({ publicId: idOf('room', r.key), name: r.name, interpretation: null })),
    parts: programme.parts.map((p) => ({ publicId: idOf('part', p.key), label: p.label, title: p.title, startsAt: null, endsAt: null })),
    outputs: programme.outputs.map((o) => ({ publicId: idOf('output', o.key), statement: o.statement })),
    organisations: programme.organisations.map((o) => ({
      publicId: idOf('organisation', o.key), name: o.name, fullName: o.fullName ?? null, description: o.description ?? null,
    })),
    people: programme.people.map((p) => ({
      publicId: idOf('person', p.key), name: p.name, organisation: p.organisation ? idOf('organisation', p.organisation) : null, bio: p.bio ?? null,
    })),
    slots: [...slots.values()],
    sessions: programme.sessions.map((s) => ({
      publicId: idOf('session', s.key),
      part: s.part === null ? null : idOf('part', s.part),
      slot: slotKey(s),
      room: s.room === null ? null : idOf('room', s.room),
      kind: s.kind,
      status: s.status,
      title: s.title,
      subtitle: null,
      abstract: null,
      description: s.description ?? null,
      language: null,
      interpretation: null,
      links: null,
      contributors: s.contributors.map((c) => ({
        role: c.role,
        person: c.person ? idOf('person', c.person) : null,
        organisation: c.organisation ? idOf('organisation', c.organisation) : null,
      })),
      outputs: s.outputs.map((o) => idOf('output', o)),
    })),
  };
}

/**
 * Writes one programme in a single transaction: rows are matched on their public ids and
 * updated in place, so ids and everything that points at them survive a reload; rows the
 * file no longer has are removed (domains/programme/sync.ts).
 */
export function loadBundledProgramme(db: Db, programme: BundledProgramme, now: Date = new Date()): void {
  writeProgramme(db, bundledToImport(programme), now);
}

/** The name of the release that publishes a bundled programme when it is first loaded. */
export const BUNDLED_RELEASE_NAME = '1';

/**
 * Loads every bundled programme; returns the slugs loaded. A programme loaded for the first
 * time is released as "1", so that the public site shows it from the first start; later
 * loads change the working copy only, which organisers release when they choose.
 */
export function loadAllBundledProgrammes(db: Db, dir: string = BUNDLED_DIR, now: Date = new Date()): string[] {
  const programmes = readBundledProgrammes(dir);
  for (const programme of programmes) {
    loadBundledProgramme(db, programme, now);
    const event = findEventBySlug(db, programme.event.slug)!;
    if (!findLatestReleaseOfEvent(db, event.id)) {
      // Not in the audit log, like the rest of the loading: it records what people did.
      releaseProgramme(db, event, { id: null, name: 'bundled programme (data/)' }, { name: BUNDLED_RELEASE_NAME }, now, { audit: false });
    }
  }
  return programmes.map((p) => p.event.slug);
}
