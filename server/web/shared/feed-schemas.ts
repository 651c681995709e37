// Request schemas of the calendar feeds and personal agendas.
import { Type } from 'typebox';
import { LANGUAGES } from '../../db/schema.ts';
import { AGENDA_TOKEN_PATTERN } from '../../domains/participants/agendas.ts';
import { PublicId, Slug } from '../../domains/programme/schemas.ts';

export const FeedQuery = Type.Object({ lang: Type.Optional(Type.Enum(LANGUAGES)) });
export const AgendaParams = Type.Object({ token: Type.String({ pattern: AGENDA_TOKEN_PATTERN, maxLength: 43 }) });

/** A form sends one value as a string and several as an array. */
const SessionIds = Type.Union([PublicId, Type.Array(PublicId, { maxItems: 1000 })]);

/**
 * A choice of sessions from a programme page: `listed` are the sessions the page showed,
 * `session` those ticked among them. Sessions the page did not show are left as they were,
 * so a filtered page never drops the rest of the agenda.
 */
export const AgendaChange = Type.Object({
  session: Type.Optional(SessionIds),
  listed: Type.Optional(SessionIds),
}, { additionalProperties: false });

export const NewAgenda = Type.Object({
  event: Slug,
  session: Type.Optional(SessionIds),
  listed: Type.Optional(SessionIds),
}, { additionalProperties: false });

export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export const AgendaPageQuery = Type.Object({
  lang: Type.Optional(Type.Enum(LANGUAGES)),
  /** Set by the redirect after saving, to confirm it. */
  saved: Type.Optional(Type.Literal('1')),
});
