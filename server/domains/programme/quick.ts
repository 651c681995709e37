// Building a programme fast: a session created with the room, the people and the organisation
// its form names and the event does not have yet, all in one transaction (so a refused session
// leaves no room or person behind), and its times read as a day, a start and a duration; an
// event created with its rooms, its address made from its title.
import type { Db } from '../../db/client.ts';
import type { FieldError } from '../../errors.ts';
import { UnprocessableError } from '../../errors.ts';
import { parseEventTime, toZonedIso } from '../../time.ts';
import type { Actor } from '../audit/service.ts';
import { createEvent, type EventCreateBody } from './events.ts';
import { listRows } from './items.ts';
import { findEventBySlug } from './repository.ts';
import { createItem } from './service.ts';
import { createSession, type SessionBody } from './sessions.ts';
import type { Representation } from './resources/resource.ts';
import type { WriteContext, Written } from './write.ts';

/** The longest name of a room, a person or an organisation (their descriptors' limit). */
export const NAME_MAX = 200;
/** The most people one form may name at once (a session has at most 200 contributors). */
export const NEW_PEOPLE_MAX = 50;

export interface QuickSessionInput {
  session: SessionBody;
  /** A room to create and place the session in (its name in the event's default language). */
  newRoom?: string | undefined;
  /** People to add as speakers: created, unless a person of the event has that exact name. */
  newPeople?: string[] | undefined;
  /** An organisation to create and add as presenter (the role organisations hold alone). */
  newOrganisation?: string | undefined;
}

export interface QuickSessionResult {
  session: Representation;
  /** Public ids of what was created besides the session. */
  room: string | null;
  people: string[];
  organisation: string | null;
}

function nameProblems(pointer: string, names: string[]): FieldError[] {
  return names.some((name) => name.length === 0 || name.length > NAME_MAX) ? [{ pointer, code: 'name-length' }] : [];
}

/** Every problem of the new names at once, to say them before anything is written. */
export function newNameProblems(input: Omit<QuickSessionInput, 'session'>): FieldError[] {
  const problems: FieldError[] = [
    ...(input.newRoom === undefined ? [] : nameProblems('#/newRoom', [input.newRoom])),
    ...(input.newPeople === undefined ? [] : nameProblems('#/newPeople', input.newPeople)),
    ...(input.newOrganisation === undefined ? [] : nameProblems('#/newOrganisation', [input.newOrganisation])),
  ];
  if (input.newPeople !== undefined && input.newPeople.length > NEW_PEOPLE_MAX) problems.push({ pointer: '#/newPeople', code: 'name-length' });
  return problems;
}

/** A refusal of a new item's own write, pointed at the form field that named it. */
function pointedAt<T>(pointer: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof UnprocessableError) throw new UnprocessableError(error.errors.map((e) => ({ ...e, pointer }) as FieldError));
    throw error;
  }
}

/**
 * Creates the session and what it names that does not exist yet, in one transaction: the
 * nested writes run as savepoints of it, each audited as its own creation.
 */
export function createQuickSession(ctx: WriteContext, input: QuickSessionInput): Written<QuickSessionResult> {
  const problems = newNameProblems(input);
  if (problems.length > 0) throw new UnprocessableError(problems);
  const lang = ctx.event.defaultLanguage;
  return ctx.db.transaction(() => {
    const body: SessionBody = { ...input.session, contributors: [...(input.session.contributors ?? [])] };
    let room: string | null = null;
    if (input.newRoom !== undefined) {
      room = pointedAt('#/newRoom', () => createItem(ctx, 'room', { name: { [lang]: input.newRoom } }).data.id as string);
      body.room = room;
    }
    const people: string[] = [];
    if (input.newPeople !== undefined) {
      const existing = new Map(listRows(ctx.db, 'person', ctx.event.id).map((p) => [p.name, p.publicId]));
      for (const name of new Set(input.newPeople)) {
        let id = existing.get(name);
        if (id === undefined) {
          id = pointedAt('#/newPeople', () => createItem(ctx, 'person', { name }).data.id as string);
          people.push(id);
        }
        // Someone already chosen as a speaker in the rows above is not listed twice.
        if (!body.contributors!.some((c) => c.role === 'speaker' && c.person === id && !c.organisation)) body.contributors!.push({ role: 'speaker', person: id, organisation: null });
      }
    }
    let organisation: string | null = null;
    if (input.newOrganisation !== undefined) {
      organisation = pointedAt('#/newOrganisation', () => createItem(ctx, 'organisation', { name: { [lang]: input.newOrganisation } }).data.id as string);
      body.contributors!.push({ role: 'presenter', person: null, organisation });
    }
    if (input.session.contributors === undefined && body.contributors!.length === 0) delete body.contributors;
    const written = createSession(ctx, body);
    return { data: { session: written.data, room, people, organisation }, warnings: written.warnings };
  }, { behavior: 'immediate' });
}

/** A session's times as the write API takes them. */
export interface SessionTimes {
  start: string;
  end: string;
}

/**
 * A session's start and end as the write API takes them, from a day, a start on the clock
 * and either a duration in minutes or an end on the clock (the same day). A duration is
 * counted in real minutes: across a clock change the end is where the clock then shows it.
 * When the start is no time of the zone (a clock change skips it), its local form is kept,
 * so that the session's own rules refuse it with their words.
 */
export function sessionTimes(day: string, start: string, zone: string, until: { minutes: number } | { end: string }): SessionTimes {
  const local = `${day}T${start}`;
  if ('end' in until) return { start: local, end: `${day}T${until.end}` };
  const instant = parseEventTime(local, zone);
  if (instant instanceof Date) return { start: local, end: toZonedIso(new Date(instant.getTime() + until.minutes * 60_000), zone) };
  // Wall-clock arithmetic, on a clock without changes.
  const wall = Date.parse(`${local}:00Z`);
  return { start: local, end: Number.isNaN(wall) ? local : new Date(wall + until.minutes * 60_000).toISOString().slice(0, 16) };
}

/** The longest event address (its schema's limit). */
export const SLUG_MAX = 60;

/**
 * An event's address made from its title: lower-case ASCII, accents folded, words joined by
 * hyphens, cut at a word within the limit ("Forum d'apprentissage 2026" → forum-d-apprentissage-2026).
 * views/assets/building.js makes the same as one types. Empty when the title has no letter or digit.
 */
export function slugOf(title: string): string {
  const words = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss')
    .split(/[^a-z0-9]+/).filter((w) => w !== '');
  let slug = '';
  for (const word of words) {
    const next = slug === '' ? word : `${slug}-${word}`;
    if (next.length > SLUG_MAX) return slug === '' ? word.slice(0, SLUG_MAX) : slug;
    slug = next;
  }
  return slug;
}

/** The most rooms a new event's form may name. */
export const NEW_ROOMS_MAX = 100;

/** Creates an event and its rooms (in the order given) in one transaction. */
export function createEventWithRooms(db: Db, actor: Actor, body: EventCreateBody, rooms: string[], now: Date): Written<Representation> {
  return db.transaction(() => {
    const created = createEvent(db, actor, body, now);
    const event = findEventBySlug(db, body.slug)!;
    const ctx: WriteContext = { db, event, actor, now };
    rooms.forEach((name, i) => pointedAt(`#/rooms/${i}`, () => createItem(ctx, 'room', { name: { [event.defaultLanguage]: name } })));
    return created;
  }, { behavior: 'immediate' });
}
