// Request and response schemas of the programme pages and read API.
import { Type } from 'typebox';
import { LANGUAGES } from '../../db/schema.ts';
import { PUBLIC_ID_PATTERN, SLUG_PATTERN } from '../../domains/programme/schemas.ts';

const Slug = Type.String({ pattern: SLUG_PATTERN, maxLength: 60 });
const PublicId = Type.String({ pattern: PUBLIC_ID_PATTERN, maxLength: 36 });
const Lang = Type.Enum(LANGUAGES);

export const EventParams = Type.Object({ slug: Slug });
export const EventItemParams = Type.Object({ slug: Slug, id: PublicId });

export const LangQuery = Type.Object({ lang: Type.Optional(Lang) });

// The filter form sends every select, so "All" arrives as an empty value: it means no filter.
const FilterId = Type.Union([PublicId, Type.Literal('')]);

export const ProgrammeQuery = Type.Object({
  lang: Type.Optional(Lang),
  part: Type.Optional(FilterId),
  room: Type.Optional(FilterId),
  speaker: Type.Optional(FilterId),
});

const LocalizedText = Type.Object({
  fr: Type.Optional(Type.String()),
  en: Type.Optional(Type.String()),
  es: Type.Optional(Type.String()),
});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const ZonedDateTime = Type.String({ description: 'ISO 8601 with the event\'s UTC offset', format: 'date-time' });

export const ApiEvent = Type.Object({
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

const ApiSession = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  title: LocalizedText,
  description: Nullable(LocalizedText),
  subtitle: Nullable(LocalizedText),
  abstract: Nullable(Type.Object(LocalizedText.properties, { description: 'Plain text; paragraphs are separated by a blank line' })),
  language: Nullable(Type.String({ description: 'BCP 47 tags of the language(s) the session is held in ("fr", "de, en"); null: the event\'s default language' })),
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

export const ApiEventList = Type.Object({ events: Type.Array(ApiEvent) });

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
  rooms: Type.Array(Named),
  outputs: Type.Array(Type.Object({ id: Type.String(), position: Type.Integer(), statement: LocalizedText })),
});
