// One helper for every visible word: UI strings come from the catalogues, content text
// from LocalizedText fields with a fallback to the event's default language.
import { LANGUAGES, type Language, type LocalizedText } from '../db/schema.ts';
import fr from './messages/fr.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import es from './messages/es.json' with { type: 'json' };

export type MessageKey = keyof typeof fr;
export const catalogues: Record<Language, Record<MessageKey, string>> = { fr, en, es };

/** The language of the interface when nothing else decides. */
export const DEFAULT_LOCALE: Language = 'fr';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Translates a UI string; `{name}` placeholders are filled from params. */
export function translate(locale: Language, key: string, params: Record<string, unknown> = {}): string {
  const catalogue = catalogues[locale] as Record<string, string>;
  const message = catalogue[key] ?? (catalogues[DEFAULT_LOCALE] as Record<string, string>)[key];
  if (message === undefined) throw new Error(`Missing UI string "${key}"`);
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A content text resolved for display, with the language it is really in. */
export interface Localized {
  text: string;
  lang: Language;
}

/**
 * Picks the text in the wanted language, else in the event's default language, else in any
 * language present, so that a field is never blank because one translation is missing.
 */
export function localize(value: LocalizedText | null | undefined, locale: Language, fallback: Language): Localized | null {
  if (!value) return null;
  for (const lang of [locale, fallback, ...LANGUAGES]) {
    const text = value[lang];
    if (text !== undefined && text !== '') return { text, lang };
  }
  return null;
}

/** The text of a content field in the reader's language, else the fallback's (see localize), or null. */
export function textIn(value: LocalizedText | null | undefined, locale: Language, fallback: Language): string | null {
  return localize(value, locale, fallback)?.text ?? null;
}

export interface LocaleChoice {
  /** The `lang` query parameter, already validated. */
  query?: Language | undefined;
  /** The best of the offered languages according to Accept-Language, if any matched. */
  acceptLanguage?: Language | undefined;
  /** The event's default language on event pages. */
  eventDefault?: Language | undefined;
}

/** Query parameter, then the browser's Accept-Language, then the event's default language. */
export function chooseLocale(choice: LocaleChoice): Language {
  return choice.query ?? choice.acceptLanguage ?? choice.eventDefault ?? DEFAULT_LOCALE;
}
