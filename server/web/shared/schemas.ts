// The addresses and query strings every front-end shares: an event, an item of it, ?lang=.
import { Type } from 'typebox';
import { Lang, PublicId, Slug } from '../../domains/programme/schemas.ts';

export const EventParams = Type.Object({ slug: Slug });
export const ItemParams = Type.Object({ slug: Slug, id: PublicId });
export const AssignmentParams = Type.Object({ slug: Slug, id: PublicId, userId: PublicId });

export const LangQuery = Type.Object({ lang: Type.Optional(Lang) });

// The filter form sends every select, so "All" arrives as an empty value: it means no filter.
const FilterId = Type.Union([PublicId, Type.Literal('')]);

export const ProgrammeQuery = Type.Object({
  lang: Type.Optional(Lang),
  part: Type.Optional(FilterId),
  room: Type.Optional(FilterId),
  speaker: Type.Optional(FilterId),
});
