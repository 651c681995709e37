// Events: what an event is (its fields, said once for the API and the workspace's forms) and
// the rules of creating one and changing it. An event's address (its slug) never changes.
import { Type } from 'typebox';
import { v4 as uuidv4 } from 'uuid';
import type { Db } from '../../db/client.ts';
import { LANGUAGES } from '../../db/schema.ts';
import { ConflictError } from '../../errors.ts';
import { isValidTimeZone } from '../../time.ts';
import { recordWrite, type Actor } from '../audit/service.ts';
import { eventDatesProblems, eventWindow, spanFits } from './bounds.ts';
import { inLanguageOrder, listRows, sessionsUsing } from './items.ts';
import { findEventById, findEventBySlug, insertEvent, updateEventRow, type EventRow } from './repository.ts';
import { checkDefaultLanguage, inputSchema, Problems, type FieldSpecs } from './resources/fields.ts';
import type { Representation } from './resources/resource.ts';
import { Lang, PublicId, Slug, strict, Version } from './schemas.ts';
import { checkVersion } from './service.ts';
import { eventRepresentation, write, type WriteContext, type Written } from './write.ts';

export const EVENT_FIELDS = {
  title: { type: 'localized', max: 300, required: true },
  subtitle: { type: 'localized', max: 300, nullable: true },
  description: { type: 'localized', max: 20000, nullable: true, multiline: true },
  venue: { type: 'localized', max: 300, nullable: true },
  city: { type: 'text', max: 100, nullable: true },
  country: { type: 'text', max: 2, nullable: true, pattern: '^[A-Z]{2}$' },
  timezone: { type: 'text', max: 64, required: true, description: 'IANA time zone, such as Africa/Johannesburg' },
  defaultLanguage: { type: 'enum', values: LANGUAGES, required: true },
  languages: { type: 'custom', input: Type.Array(Lang, { minItems: 1, maxItems: 3, uniqueItems: true }), output: Type.Array(Lang, { minItems: 1, maxItems: 3, uniqueItems: true }) },
  startDate: { type: 'date', required: true },
  endDate: { type: 'date', required: true },
} satisfies FieldSpecs;

const inputs = Object.fromEntries(Object.entries(EVENT_FIELDS).map(([name, spec]) => [name, inputSchema(spec)]));

export const eventSchemas = {
  create: Type.Object({
    slug: Slug,
    ...Object.fromEntries(Object.entries(EVENT_FIELDS).map(([name, spec]) => [name, 'required' in spec ? inputSchema(spec) : Type.Optional(inputSchema(spec))])),
  }, strict),
  patch: Type.Partial(Type.Object(inputs), strict),
  out: Type.Object({ id: PublicId, slug: Slug, ...inputs, version: Version }),
};

export interface EventCreateBody extends Partial<Pick<EventRow, 'subtitle' | 'description' | 'venue' | 'city' | 'country' | 'languages'>> {
  slug: string;
  title: EventRow['title'];
  timezone: string;
  defaultLanguage: EventRow['defaultLanguage'];
  startDate: string;
  endDate: string;
}
export type EventPatchBody = Partial<Omit<EventCreateBody, 'slug'>>;

function checkEventFields(problems: Problems, fields: Partial<EventPatchBody> & Pick<EventRow, 'timezone' | 'defaultLanguage' | 'languages' | 'startDate' | 'endDate'>) {
  if (!isValidTimeZone(fields.timezone)) problems.add({ pointer: '#/timezone', code: 'unknown-timezone', params: { value: fields.timezone } });
  if (!fields.languages.includes(fields.defaultLanguage)) problems.add({ pointer: '#/defaultLanguage', code: 'language-not-listed' });
  for (const problem of eventDatesProblems(fields.startDate, fields.endDate)) problems.add(problem);
  checkDefaultLanguage(problems, '#/title', fields.title, fields.defaultLanguage);
}

export function createEvent(db: Db, actor: Actor, body: EventCreateBody, now: Date): Written<Representation> {
  const problems = new Problems();
  const languages = body.languages ?? [body.defaultLanguage];
  checkEventFields(problems, { ...body, languages });
  problems.throwIfAny();
  return db.transaction(() => {
    if (findEventBySlug(db, body.slug)) throw new ConflictError(`An event already has the address /events/${body.slug}`, 'duplicate');
    const ordered = inLanguageOrder(body);
    const row = insertEvent(db, {
      publicId: uuidv4(), slug: body.slug, timezone: body.timezone, defaultLanguage: body.defaultLanguage, languages,
      title: ordered.title, subtitle: ordered.subtitle ?? null, description: ordered.description ?? null, venue: ordered.venue ?? null,
      city: body.city ?? null, country: body.country ?? null, startDate: body.startDate, endDate: body.endDate, updatedAt: now,
    });
    recordWrite(db, { eventId: row.id, actor, at: now, action: 'create', entity: 'event', entityId: row.publicId, before: null, after: eventRepresentation(row) });
    return { data: eventRepresentation(row), warnings: [] };
  }, { behavior: 'immediate' });
}

/**
 * New dates (or a new zone, which moves the local days) must still hold every time slot and
 * every part's hours: refused otherwise, naming what would fall outside, rather than leaving
 * sessions far from their event.
 */
function checkItemsStayWithin(ctx: WriteContext, row: EventRow, next: Pick<EventRow, 'startDate' | 'endDate' | 'timezone'>): void {
  if (next.startDate === row.startDate && next.endDate === row.endDate && next.timezone === row.timezone) return;
  const window = eventWindow(next);
  const byField = new Map<'#/startDate' | '#/endDate', { sessions: string[]; slots: string[]; parts: string[] }>();
  const outside = (startsAt: Date | null) => {
    const pointer = startsAt !== null && startsAt.getTime() < window.from.getTime() ? '#/startDate' : '#/endDate';
    if (!byField.has(pointer)) byField.set(pointer, { sessions: [], slots: [], parts: [] });
    return byField.get(pointer)!;
  };
  for (const slot of listRows(ctx.db, 'slot', row.id)) {
    if (spanFits(window, slot.startsAt, slot.endsAt)) continue;
    const found = outside(slot.startsAt);
    found.slots.push(slot.publicId);
    found.sessions.push(...sessionsUsing(ctx.db, 'slot', slot.id));
  }
  for (const part of listRows(ctx.db, 'part', row.id)) {
    if (!spanFits(window, part.startsAt, part.endsAt)) outside(part.startsAt ?? part.endsAt).parts.push(part.publicId);
  }
  const problems = new Problems();
  for (const [pointer, params] of byField) problems.add({ pointer, code: 'items-outside-dates', params });
  problems.throwIfAny();
}

export function updateEvent(ctx: WriteContext, expected: number[], body: EventPatchBody): Written<Representation> {
  return write(ctx, (touched) => {
    const row = findEventById(ctx.db, ctx.event.id)!;
    checkVersion('event', row.version, expected, () => eventRepresentation(row));
    const problems = new Problems();
    // A new default language must be present in the title, the text every fallback ends at.
    checkEventFields(problems, { ...row, ...body, title: body.title ?? (body.defaultLanguage ? row.title : undefined) });
    problems.throwIfAny();
    checkItemsStayWithin(ctx, row, { ...row, ...body });
    // The triggers of migrations 0002 and 0004 raise the revision, update time and version
    // only when a value really changes, so sending the current values again changes nothing.
    updateEventRow(ctx.db, row.id, inLanguageOrder(body));
    touched.updated('event', row.publicId);
  }, (after) => eventRepresentation(after.event));
}
