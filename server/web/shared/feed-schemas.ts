// Request schemas of the calendar feeds and personal agendas.
import { Type } from 'typebox';
import { LANGUAGES } from '../../db/schema.ts';
import { AGENDA_TOKEN_PATTERN } from '../../domains/participants/agendas.ts';
import { PublicId, Slug } from '../../domains/programme/schemas.ts';
import { LangQuery, ProgrammeQuery, PartQuery } from './schemas.ts';

export const FeedQuery = Type.Object({ lang: Type.Optional(Type.Enum(LANGUAGES)) });
export const AgendaParams = Type.Object({ token: Type.String({ pattern: AGENDA_TOKEN_PATTERN, maxLength: 43 }) });

/** A form sends one value as a string and several as an array. */
const SessionIds = Type.Union([PublicId, Type.Array(PublicId, { maxItems: 1000 })]);

/**
 * Where a session's own toggle form returns to: a path of this site (the handler checks it is
 * one of the event's pages). Only path characters and a query; never a scheme, host or fragment.
 */
const ReturnPath = Type.String({ maxLength: 512, pattern: '^/[A-Za-z0-9/_.~%:@!$&\'()*+,;=?-]*$' });

/**
 * A choice of sessions from a programme page: `listed` are the sessions the page showed,
 * `session` those ticked among them. Sessions the page did not show are left as they were,
 * so a filtered page never drops the rest of the agenda. `return` is set by the toggle of one
 * session, which then goes back to the page it was on.
 */
export const AgendaChange = Type.Object({
  session: Type.Optional(SessionIds),
  listed: Type.Optional(SessionIds),
  return: Type.Optional(ReturnPath),
}, { additionalProperties: false });

export const NewAgenda = Type.Object({
  event: Slug,
  session: Type.Optional(SessionIds),
  listed: Type.Optional(SessionIds),
  return: Type.Optional(ReturnPath),
}, { additionalProperties: false });

/** Set by a toggle's return: the session whose change the page confirms beside it. */
const Saved = Type.Optional(PublicId);

/** The programme's query, with the session a toggle just changed. */
export const ProgrammePageQuery = Type.Object({ ...ProgrammeQuery.properties, saved: Saved });
/** A part's page query, with the session a toggle just changed. */
export const PartPageQuery = Type.Object({ ...PartQuery.properties, saved: Saved });
/** A session page's query, with the session a toggle just changed. */
export const SessionPageQuery = Type.Object({ ...LangQuery.properties, saved: Saved });

export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export const AgendaPageQuery = Type.Object({
  lang: Type.Optional(Type.Enum(LANGUAGES)),
  /** Set by the redirect after saving, to confirm it. */
  saved: Type.Optional(Type.Literal('1')),
});
