// The addresses and query strings every front-end shares: an event, an item of it, ?lang=.
import { Type } from 'typebox';
import { Lang, PublicId, Slug } from '../../domains/programme/schemas.ts';
import { LANGUAGE_TAG_PATTERN } from '../../domains/programme/languages.ts';

export const EventParams = Type.Object({ slug: Slug });
export const ItemParams = Type.Object({ slug: Slug, id: PublicId });
export const AssignmentParams = Type.Object({ slug: Slug, id: PublicId, userId: PublicId });

export const LangQuery = Type.Object({ lang: Type.Optional(Lang) });

/**
 * A programme filter's value. The filter form sends every select, so "All" arrives as an empty
 * value: it means no filter. Any other short value is accepted here and looked up in the
 * programme, where one that names nothing (a link older than the latest release, a typo) is
 * ignored with a notice rather than refused; only an over-long one is a bad request.
 */
const FilterValue = Type.String({ maxLength: 64 });
/** `?day=`: a local date (2015-09-30), "all" or "unscheduled"; anything else short shows the default day, with a notice. */
const DayValue = Type.String({ maxLength: 16 });
/**
 * `?follow=`: a language tag ("es"), the sessions one can follow in it; empty means every
 * session. A tag no session offers is ignored with a notice; anything that is not a tag is a bad request.
 */
const FollowValue = Type.Union([Type.Literal(''), Type.String({ maxLength: 35, pattern: LANGUAGE_TAG_PATTERN })]);

export const ProgrammeQuery = Type.Object({
  lang: Type.Optional(Lang),
  part: Type.Optional(FilterValue),
  room: Type.Optional(FilterValue),
  speaker: Type.Optional(FilterValue),
  day: Type.Optional(DayValue),
  follow: Type.Optional(FollowValue),
});

/** A part's own page: the part is in the address; the day can still be chosen. */
export const PartQuery = Type.Object({
  lang: Type.Optional(Lang),
  day: Type.Optional(DayValue),
  follow: Type.Optional(FollowValue),
});
