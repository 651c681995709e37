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
