// The languages a session can be followed in: the language(s) it is held in (its floor
// language, or the event's), and those it is interpreted into (its own list, or its room's).
// Pure functions of plain data: the one place that says which languages a session offers.
import { Type } from 'typebox';
import type { Interpretation } from '../../db/schema.ts';
import type { FieldError } from '../../errors.ts';
import type { RoomRow, SessionRow } from './repository.ts';
import { strict } from './schemas.ts';

/** One BCP 47 tag ("es", "pt-BR"): a single tag of a session's `language`. */
export const LANGUAGE_TAG_PATTERN = '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$';
/** The most interpretation languages one session or room has (booths are few). */
export const INTERPRETATION_MAX = 10;
/** A receivers' channel: "2", "EN", "Canal 3". */
export const CHANNEL_MAX = 20;
/** What `?follow=` may be: a primary language subtag ("es"). */
export const FOLLOW_PATTERN = '^[a-z]{2,3}$';

const InterpretationInput = Type.Object({
  language: Type.String({ pattern: LANGUAGE_TAG_PATTERN, maxLength: 35, description: 'A BCP 47 tag ("es")' }),
  channel: Type.Optional(Type.Union([
    Type.String({ minLength: 1, maxLength: CHANNEL_MAX, pattern: '^\\S(.*\\S)?$', description: 'The receivers\' channel ("2", "EN")' }),
    Type.Null(),
  ])),
}, strict);
const InterpretationOutput = Type.Object({ language: Type.String(), channel: Type.Union([Type.String(), Type.Null()]) });

export const InterpretationList = (options: { description?: string } = {}) => Type.Array(InterpretationInput, { maxItems: INTERPRETATION_MAX, ...options });
export const InterpretationListOutput = Type.Array(InterpretationOutput);

/** One spelling of a list: channels absent are null, so that saving it unchanged changes nothing. */
export function normalizeInterpretation(list: readonly { language: string; channel?: string | null }[]): Interpretation[] {
  return list.map((i) => ({ language: i.language, channel: i.channel ?? null }));
}

/** A language named twice in one list is refused at its second place (its channel would be ambiguous). */
export function interpretationProblems(pointer: string, list: readonly { language: string }[]): FieldError[] {
  const seen = new Set<string>();
  const problems: FieldError[] = [];
  list.forEach((i, index) => {
    const key = i.language.toLowerCase();
    if (seen.has(key)) problems.push({ pointer: `${pointer}/${index}/language`, code: 'listed-twice' });
    seen.add(key);
  });
  return problems;
}

/**
 * The languages a session is interpreted into: its own list when it has one (an empty one
 * says "none", whatever its room has), else its room's, else none.
 */
export function effectiveInterpretation(session: Pick<SessionRow, 'interpretation'>, room: Pick<RoomRow, 'interpretation'> | null): Interpretation[] {
  return session.interpretation ?? room?.interpretation ?? [];
}

/** The tags of a session's `language` ("de, en" → ["de", "en"]); the event's default language when it names none. */
export function floorLanguages(language: string | null, defaultLanguage: string): string[] {
  return language === null ? [defaultLanguage] : language.split(/, ?/).filter((tag) => tag !== '');
}

/** A tag's primary language ("pt-BR" → "pt"): what a participant follows a session in. */
export const primaryLanguage = (tag: string) => tag.split('-')[0]!.toLowerCase();

/** Every language a session can be followed in, floor first, each once, as primary subtags. */
export function followableLanguages(floor: readonly string[], interpretation: readonly Interpretation[]): string[] {
  return [...new Set([...floor, ...interpretation.map((i) => i.language)].map(primaryLanguage))];
}
