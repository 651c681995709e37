// The public read API: the events, and the whole programme of one, as released. Times carry
// the event's offset; every text is { fr, en, es }.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { EventRow } from '../../domains/programme/repository.ts';
import type { Programme, ProgrammeSession } from '../../domains/programme/assemble.ts';
import { readProgramme, releasedEvents } from '../../domains/releases/reader.ts';
import { toZonedIso } from '../../time.ts';
import { Lang } from '../../domains/programme/schemas.ts';
import { EventParams } from '../shared/schemas.ts';

const LocalizedText = Type.Object({
  fr: Type.Optional(Type.String()),
  en: Type.Optional(Type.String()),
  es: Type.Optional(Type.String()),
});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const ZonedDateTime = Type.String({ description: 'ISO 8601 with the event\'s UTC offset', format: 'date-time' });

const ApiEvent = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  title: LocalizedText,
  subtitle: Nullable(LocalizedText),
  description: Nullable(LocalizedText),
  timezone: Type.String(),
  defaultLanguage: Lang,
  languages: Type.Array(Lang),
  startDate: Type.String({ format: 'date' }),
  endDate: Type.String({ format: 'date' }),
  venue: Nullable(LocalizedText),
  city: Nullable(Type.String()),
  country: Nullable(Type.String()),
  revision: Type.Integer(),
});

const Named = Type.Object({ id: Type.String(), name: LocalizedText });
const Interpretation = Type.Object({
  language: Type.String({ description: 'BCP 47 tag' }),
  channel: Nullable(Type.String({ description: 'The receivers\' channel ("2", "EN"), if any' })),
});
const ApiRoom = Type.Object({
  ...Named.properties,
  interpretation: Type.Array(Interpretation, { description: 'The languages its booths interpret into, which its sessions have unless they name their own' }),
});

const ApiSession = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  title: LocalizedText,
  description: Nullable(LocalizedText),
  subtitle: Nullable(LocalizedText),
  abstract: Nullable(Type.Object(LocalizedText.properties, { description: 'Plain text; paragraphs are separated by a blank line' })),
  language: Nullable(Type.String({ description: 'BCP 47 tags of the language(s) the session is held in ("fr", "de, en"); null: the event\'s default language' })),
  interpretation: Type.Array(Interpretation, { description: 'The languages the session is interpreted into: its own, else its room\'s; empty: none' }),
  links: Nullable(Type.Array(Type.Object({ url: Type.String(), title: Type.String() }))),
  start: Nullable(ZonedDateTime),
  end: Nullable(ZonedDateTime),
  room: Nullable(Named),
  contributors: Type.Array(Type.Object({
    role: Type.String(),
    person: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
    organisation: Nullable(Named),
  })),
  outputs: Type.Array(Type.String(), { description: 'ids of the expected outputs the session serves' }),
});

const ApiSlot = Type.Object({
  id: Type.String(),
  start: ZonedDateTime,
  end: ZonedDateTime,
  sessions: Type.Array(ApiSession),
});

const ApiEventList = Type.Object({ events: Type.Array(ApiEvent) });

export const ApiProgramme = Type.Object({
  event: ApiEvent,
  parts: Type.Array(Type.Object({
    id: Type.String(),
    position: Type.Integer(),
    label: LocalizedText,
    title: LocalizedText,
    slots: Type.Array(ApiSlot),
  })),
  outsideParts: Type.Array(ApiSlot, { description: 'slots of sessions that belong to no part, such as arrival' }),
  unscheduled: Type.Array(ApiSession),
  rooms: Type.Array(ApiRoom),
  outputs: Type.Array(Type.Object({ id: Type.String(), position: Type.Integer(), statement: LocalizedText })),
});

/** The programme as the read API returns it: parts → slots → sessions, times with the event's offset. */
function toApiProgramme(programme: Programme) {
  const { event } = programme;
  const zone = event.timezone;
  const apiSession = (s: ProgrammeSession) => ({
    id: s.publicId,
    kind: s.row.kind,
    status: s.row.status,
    title: s.row.title,
    description: s.row.description,
    subtitle: s.row.subtitle,
    abstract: s.row.abstract,
    language: s.row.language,
    interpretation: s.interpretation,
    links: s.row.links,
    start: s.slot ? toZonedIso(s.slot.startsAt, zone) : null,
    end: s.slot ? toZonedIso(s.slot.endsAt, zone) : null,
    room: s.room ? { id: s.room.publicId, name: s.room.name } : null,
    contributors: s.contributors.map((c) => ({
      role: c.role,
      person: c.person ? { id: c.person.publicId, name: c.person.name } : null,
      organisation: c.organisation ? { id: c.organisation.publicId, name: c.organisation.name } : null,
    })),
    outputs: s.outputs.map((o) => o.publicId),
  });
  const slotsOf = (list: ProgrammeSession[]) => {
    const slots: { id: string; start: string; end: string; sessions: ReturnType<typeof apiSession>[] }[] = [];
    for (const s of list) {
      if (!s.slot) continue;
      let slot = slots.find((x) => x.id === s.slot!.publicId);
      if (!slot) {
        slot = { id: s.slot.publicId, start: toZonedIso(s.slot.startsAt, zone), end: toZonedIso(s.slot.endsAt, zone), sessions: [] };
        slots.push(slot);
      }
      slot.sessions.push(apiSession(s));
    }
    return slots;
  };
  return {
    event: apiEvent(event),
    parts: programme.parts.map((p) => ({
      id: p.publicId,
      position: p.position,
      label: p.label,
      title: p.title,
      slots: slotsOf(programme.sessions.filter((s) => s.part?.id === p.id)),
    })),
    outsideParts: slotsOf(programme.sessions.filter((s) => s.part === null)),
    unscheduled: programme.sessions.filter((s) => s.slot === null).map(apiSession),
    rooms: programme.rooms.map((r) => ({ id: r.publicId, name: r.name, interpretation: r.interpretation ?? [] })),
    outputs: programme.outputs.map((o) => ({ id: o.publicId, position: o.position, statement: o.statement })),
  };
}

function apiEvent(event: EventRow) {
  return {
    id: event.publicId,
    slug: event.slug,
    title: event.title,
    subtitle: event.subtitle,
    description: event.description,
    timezone: event.timezone,
    defaultLanguage: event.defaultLanguage,
    languages: event.languages,
    startDate: event.startDate,
    endDate: event.endDate,
    venue: event.venue,
    city: event.city,
    country: event.country,
    revision: event.revision,
  };
}

export default async function programmeApiRoutes(app: FastifyInstance) {
  app.get('/api/v1/events', { schema: { tags: ['programme (public)'], summary: 'Every event', response: { 200: ApiEventList } } }, async () => {
    return { events: releasedEvents(app.db).map(apiEvent) };
  });

  app.get('/api/v1/events/:slug/programme', { schema: { tags: ['programme (public)'], summary: 'The whole programme of an event: parts, slots, sessions, rooms, expected outputs', params: EventParams, response: { 200: ApiProgramme } } }, async (request) => {
    return toApiProgramme(readProgramme(app.db, { slug: (request.params as { slug: string }).slug }, 'released'));
  });
}
