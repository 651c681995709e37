// One helper for every visible word: UI strings come from the catalogues, content text
// from LocalizedText fields with a fallback to the event's default language.
import { LANGUAGES, type Language, type LocalizedText } from '../db/schema.ts';
import frApi from './messages/fr/api.json' with { type: 'json' };
import frRapporteur from './messages/fr/rapporteur.json' with { type: 'json' };
import frShared from './messages/fr/shared.json' with { type: 'json' };
import frSite from './messages/fr/site.json' with { type: 'json' };
import frWorkspace from './messages/fr/workspace.json' with { type: 'json' };
import frGrid from './messages/fr/grid.json' with { type: 'json' };
import frBuilding from './messages/fr/building.json' with { type: 'json' };
import frImports from './messages/fr/imports.json' with { type: 'json' };
import frMoves from './messages/fr/moves.json' with { type: 'json' };
import frBulk from './messages/fr/bulk.json' with { type: 'json' };
import frPocket from './messages/fr/pocket.json' with { type: 'json' };
import frTexts from './messages/fr/texts.json' with { type: 'json' };
import frPaper from './messages/fr/paper.json' with { type: 'json' };
import frKiosk from './messages/fr/kiosk.json' with { type: 'json' };
import frOffline from './messages/fr/offline.json' with { type: 'json' };
import frEmbed from './messages/fr/embed.json' with { type: 'json' };
import frSubscribe from './messages/fr/subscribe.json' with { type: 'json' };
import frFeeds from './messages/fr/feeds.json' with { type: 'json' };
import frMail from './messages/fr/mail.json' with { type: 'json' };
import frOutbox from './messages/fr/outbox.json' with { type: 'json' };
import frFollowUp from './messages/fr/followup.json' with { type: 'json' };
import frFeedback from './messages/fr/feedback.json' with { type: 'json' };
import frLanguages from './messages/fr/languages.json' with { type: 'json' };
import enApi from './messages/en/api.json' with { type: 'json' };
import enRapporteur from './messages/en/rapporteur.json' with { type: 'json' };
import enShared from './messages/en/shared.json' with { type: 'json' };
import enSite from './messages/en/site.json' with { type: 'json' };
import enWorkspace from './messages/en/workspace.json' with { type: 'json' };
import enGrid from './messages/en/grid.json' with { type: 'json' };
import enBuilding from './messages/en/building.json' with { type: 'json' };
import enImports from './messages/en/imports.json' with { type: 'json' };
import enMoves from './messages/en/moves.json' with { type: 'json' };
import enBulk from './messages/en/bulk.json' with { type: 'json' };
import enPocket from './messages/en/pocket.json' with { type: 'json' };
import enTexts from './messages/en/texts.json' with { type: 'json' };
import enPaper from './messages/en/paper.json' with { type: 'json' };
import enKiosk from './messages/en/kiosk.json' with { type: 'json' };
import enOffline from './messages/en/offline.json' with { type: 'json' };
import enEmbed from './messages/en/embed.json' with { type: 'json' };
import enSubscribe from './messages/en/subscribe.json' with { type: 'json' };
import enFeeds from './messages/en/feeds.json' with { type: 'json' };
import enMail from './messages/en/mail.json' with { type: 'json' };
import enOutbox from './messages/en/outbox.json' with { type: 'json' };
import enFollowUp from './messages/en/followup.json' with { type: 'json' };
import enFeedback from './messages/en/feedback.json' with { type: 'json' };
import enLanguages from './messages/en/languages.json' with { type: 'json' };
import esApi from './messages/es/api.json' with { type: 'json' };
import esRapporteur from './messages/es/rapporteur.json' with { type: 'json' };
import esShared from './messages/es/shared.json' with { type: 'json' };
import esSite from './messages/es/site.json' with { type: 'json' };
import esWorkspace from './messages/es/workspace.json' with { type: 'json' };
import esGrid from './messages/es/grid.json' with { type: 'json' };
import esBuilding from './messages/es/building.json' with { type: 'json' };
import esImports from './messages/es/imports.json' with { type: 'json' };
import esMoves from './messages/es/moves.json' with { type: 'json' };
import esBulk from './messages/es/bulk.json' with { type: 'json' };
import esPocket from './messages/es/pocket.json' with { type: 'json' };
import esTexts from './messages/es/texts.json' with { type: 'json' };
import esPaper from './messages/es/paper.json' with { type: 'json' };
import esKiosk from './messages/es/kiosk.json' with { type: 'json' };
import esOffline from './messages/es/offline.json' with { type: 'json' };
import esEmbed from './messages/es/embed.json' with { type: 'json' };
import esSubscribe from './messages/es/subscribe.json' with { type: 'json' };
import esFeeds from './messages/es/feeds.json' with { type: 'json' };
import esMail from './messages/es/mail.json' with { type: 'json' };
import esOutbox from './messages/es/outbox.json' with { type: 'json' };
import esFollowUp from './messages/es/followup.json' with { type: 'json' };
import esFeedback from './messages/es/feedback.json' with { type: 'json' };
import esLanguages from './messages/es/languages.json' with { type: 'json' };

/**
 * The catalogues of each language, one file per front-end (the workspace's scheduling grid,
 * its script, its quick building forms, bulk actions and import pages each have their own, and so
 * do the public site's phone reading, texts' languages, paper, venue screen, offline app, embed,
 * subscription and feeds, the messages the server sends, the follow-up of recommendations,
 * participants' feedback and the languages sessions can be followed in) and one for what several of them
 * say, so that a front-end's words are found beside each other. A key lives in one file only,
 * and the three languages have the same keys in the same files (test/i18n checks both).
 */
export const CATALOGUE_FILES = {
  fr: { site: frSite, workspace: frWorkspace, grid: frGrid, building: frBuilding, imports: frImports, moves: frMoves, bulk: frBulk, pocket: frPocket, texts: frTexts, paper: frPaper, kiosk: frKiosk, offline: frOffline, embed: frEmbed, subscribe: frSubscribe, feeds: frFeeds, mail: frMail, outbox: frOutbox, followup: frFollowUp, feedback: frFeedback, languages: frLanguages, rapporteur: frRapporteur, api: frApi, shared: frShared },
  en: { site: enSite, workspace: enWorkspace, grid: enGrid, building: enBuilding, imports: enImports, moves: enMoves, bulk: enBulk, pocket: enPocket, texts: enTexts, paper: enPaper, kiosk: enKiosk, offline: enOffline, embed: enEmbed, subscribe: enSubscribe, feeds: enFeeds, mail: enMail, outbox: enOutbox, followup: enFollowUp, feedback: enFeedback, languages: enLanguages, rapporteur: enRapporteur, api: enApi, shared: enShared },
  es: { site: esSite, workspace: esWorkspace, grid: esGrid, building: esBuilding, imports: esImports, moves: esMoves, bulk: esBulk, pocket: esPocket, texts: esTexts, paper: esPaper, kiosk: esKiosk, offline: esOffline, embed: esEmbed, subscribe: esSubscribe, feeds: esFeeds, mail: esMail, outbox: esOutbox, followup: esFollowUp, feedback: esFeedback, languages: esLanguages, rapporteur: esRapporteur, api: esApi, shared: esShared },
};

export type CatalogueName = keyof (typeof CATALOGUE_FILES)['fr'];
type FrenchFiles = (typeof CATALOGUE_FILES)['fr'];
/**
 * Every UI string's key, from the catalogues themselves: a misspelt key does not compile, and
 * a key built in code (`kind.${SessionKind}`) compiles only if every value of its union has one.
 */
export type MessageKey = { [F in CatalogueName]: keyof FrenchFiles[F] }[CatalogueName];

/** One language's files as one catalogue; typed so that a file missing a French key does not compile. */
function merge(files: { [F in CatalogueName]: Record<keyof FrenchFiles[F], string> }): Record<MessageKey, string> {
  return { ...files.site, ...files.workspace, ...files.grid, ...files.building, ...files.imports, ...files.moves, ...files.bulk, ...files.pocket, ...files.texts, ...files.paper, ...files.kiosk, ...files.offline, ...files.embed, ...files.subscribe, ...files.feeds, ...files.mail, ...files.outbox, ...files.followup, ...files.feedback, ...files.languages, ...files.rapporteur, ...files.api, ...files.shared };
}

export const catalogues: Record<Language, Record<MessageKey, string>> = {
  fr: merge(CATALOGUE_FILES.fr), en: merge(CATALOGUE_FILES.en), es: merge(CATALOGUE_FILES.es),
};

/** The language of the interface when nothing else decides. */
export const DEFAULT_LOCALE: Language = 'fr';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** For keys the compiler cannot see: those written in templates. */
export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && Object.hasOwn(catalogues[DEFAULT_LOCALE], value);
}

/** Translates a UI string; `{name}` placeholders are filled from params. */
export function translate(locale: Language, key: MessageKey, params: Record<string, unknown> = {}): string {
  // Checked when running too, for callers the compiler does not see.
  const message = isMessageKey(key) ? catalogues[locale][key] ?? catalogues[DEFAULT_LOCALE][key] : undefined;
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
