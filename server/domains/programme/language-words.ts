// The languages of a session in words, in a reader's language: what the programme's badges
// say to screen readers, and what calendar entries and frab exports write in their description.
// One sentence for all of them: "Langue : français ; interprétation en anglais (canal 2) et en espagnol".
import type { Interpretation, Language } from '../../db/schema.ts';
import type { ProgrammeSession } from './assemble.ts';
import { translate } from '../../i18n/index.ts';

const names = new Map<Language, Intl.DisplayNames>();
const lists = new Map<Language, Intl.ListFormat>();

/** A language's name in the reader's language ("es" → "espagnol"); the tag itself when Intl knows none. */
export function languageName(tag: string, locale: Language): string {
  let display = names.get(locale);
  if (!display) {
    display = new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' });
    names.set(locale, display);
  }
  try {
    return display.of(tag) ?? tag;
  } catch {
    // A tag the pattern lets through but Intl refuses (a long private subtag): shown as it is.
    return tag;
  }
}

/** "anglais, espagnol et portugais": a list joined as the reader's language joins one. */
export function joinList(items: string[], locale: Language): string {
  let format = lists.get(locale);
  if (!format) {
    format = new Intl.ListFormat([locale], { type: 'conjunction', style: 'long' });
    lists.set(locale, format);
  }
  return format.format(items);
}

/** One language interpreted into, in words: "en anglais (canal 2)". */
export function interpretationTarget(i: Interpretation, locale: Language): string {
  const language = languageName(i.language, locale);
  return i.channel === null
    ? translate(locale, 'languages.target', { language })
    : translate(locale, 'languages.targetChannel', { language, channel: i.channel });
}

/** The whole sentence: the floor language(s), then the interpretation if there is any. */
export function languagesSentence(floor: readonly string[], interpretation: readonly Interpretation[], locale: Language): string {
  const spoken = translate(locale, floor.length > 1 ? 'languages.floorMany' : 'languages.floor', {
    languages: joinList(floor.map((tag) => languageName(tag, locale)), locale),
  });
  if (interpretation.length === 0) return spoken;
  const targets = joinList(interpretation.map((i) => interpretationTarget(i, locale)), locale);
  return `${spoken}${translate(locale, 'languages.separator')}${translate(locale, 'languages.interpretation', { targets })}`;
}

/**
 * The sentence a calendar entry or an export writes, with a full stop; null when the session
 * says nothing beyond the event's language (no language of its own, no interpretation), so
 * that the entries of an event in one language are not padded with the obvious.
 */
export function spokenLanguagesLine(session: Pick<ProgrammeSession, 'row' | 'floor' | 'interpretation'>, locale: Language): string | null {
  if (session.row.language === null && session.interpretation.length === 0) return null;
  return `${languagesSentence(session.floor, session.interpretation, locale)}.`;
}
