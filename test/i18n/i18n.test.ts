import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { LANGUAGES } from '../../server/db/schema.ts';
import { CATALOGUE_FILES, catalogues, chooseLocale, localize, translate } from '../../server/i18n/index.ts';

const MESSAGES_DIR = path.join(PROJECT_ROOT, 'server', 'i18n', 'messages');

/** A language's catalogue files, by name: { site: { key: text } }. */
type Files = Record<string, Record<string, string>>;

/** Keys defined in more than one file of a language, each with the files that define it. */
function keysInSeveralFiles(files: Files): string[] {
  const where = new Map<string, string[]>();
  for (const [name, file] of Object.entries(files)) for (const key of Object.keys(file)) where.set(key, [...(where.get(key) ?? []), name]);
  return [...where].filter(([, names]) => names.length > 1).map(([key, names]) => `${key} in ${names.join(' and ')}`);
}

/** How a translation's files differ from the French ones: files, keys and placeholders. */
function differencesFromFrench(fr: Files, other: Files): string[] {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(', ');
  const problems: string[] = [];
  for (const name of new Set([...Object.keys(fr), ...Object.keys(other)])) {
    const french = fr[name] ?? {};
    const translated = other[name] ?? {};
    for (const key of Object.keys(french)) if (!(key in translated)) problems.push(`${name}: ${key} is missing`);
    for (const key of Object.keys(translated)) {
      if (!(key in french)) problems.push(`${name}: ${key} is not in the French file`);
      else if (placeholders(translated[key]!) !== placeholders(french[key]!)) problems.push(`${name}: ${key} has the placeholders {${placeholders(translated[key]!)}}`);
    }
  }
  return problems;
}

describe('i18n catalogues', () => {
  test('the checks report a key defined twice, a key missing or added in one language, a key in another file, a placeholder changed', () => {
    expect(keysInSeveralFiles({ site: { a: 'A', b: 'B' }, shared: { b: 'B', c: 'C' }, api: { b: 'B' } })).toEqual(['b in site and shared and api']);
    expect(differencesFromFrench(
      { site: { a: 'A {n}', b: 'B', c: 'C' }, shared: { d: 'D' } },
      { site: { a: 'A {count}', b: 'B', e: 'E' }, shared: { c: 'C' }, api: { d: 'D' } },
    )).toEqual([
      'site: c is missing', 'site: a has the placeholders {count}', 'site: e is not in the French file',
      'shared: d is missing', 'shared: c is not in the French file',
      'api: d is not in the French file',
    ]);
  });

  test('each language has the same five files, and the app reads each of them as it is on disk', () => {
    expect(fs.readdirSync(MESSAGES_DIR).sort()).toEqual(['en', 'es', 'fr']);
    for (const lang of LANGUAGES) {
      expect(fs.readdirSync(path.join(MESSAGES_DIR, lang)).sort(), lang).toEqual(['api.json', 'rapporteur.json', 'shared.json', 'site.json', 'workspace.json']);
      for (const [name, file] of Object.entries(CATALOGUE_FILES[lang])) {
        expect(file, `${lang}/${name}.json`).toEqual(JSON.parse(fs.readFileSync(path.join(MESSAGES_DIR, lang, `${name}.json`), 'utf8')));
      }
    }
  });

  test("no key is defined in two files, and each language's catalogue is its five files together", () => {
    for (const lang of LANGUAGES) {
      expect(keysInSeveralFiles(CATALOGUE_FILES[lang]), lang).toEqual([]);
      expect(catalogues[lang], lang).toEqual(Object.assign({}, ...Object.values(CATALOGUE_FILES[lang])));
    }
  });

  test('the fr, en and es catalogues have exactly the same keys, in the same files, with the same placeholders', () => {
    for (const lang of ['en', 'es'] as const) expect(differencesFromFrench(CATALOGUE_FILES.fr, CATALOGUE_FILES[lang]), lang).toEqual([]);
  });
});

describe('i18n', () => {

  test('translate fills placeholders and refuses unknown keys', () => {
    expect(translate('en', 'outputs.number', { number: 2 })).toBe('Output 2');
    expect(() => translate('fr', 'no.such.key')).toThrow('Missing UI string "no.such.key"');
  });

  test('content falls back to the event default language, then to any language present', () => {
    expect(localize({ fr: 'Déjeuner', en: 'Lunch' }, 'en', 'fr')).toEqual({ text: 'Lunch', lang: 'en' });
    expect(localize({ fr: 'Déjeuner' }, 'es', 'fr')).toEqual({ text: 'Déjeuner', lang: 'fr' });
    expect(localize({ en: 'Lunch' }, 'es', 'fr')).toEqual({ text: 'Lunch', lang: 'en' });
    expect(localize({ fr: '' , en: 'Lunch' }, 'fr', 'fr')).toEqual({ text: 'Lunch', lang: 'en' });
    expect(localize(null, 'fr', 'fr')).toBeNull();
  });

  test('locale: query, then Accept-Language, then the event default, then French', () => {
    expect(chooseLocale({ query: 'es', acceptLanguage: 'en', eventDefault: 'fr' })).toBe('es');
    expect(chooseLocale({ acceptLanguage: 'en', eventDefault: 'fr' })).toBe('en');
    expect(chooseLocale({ eventDefault: 'es' })).toBe('es');
    expect(chooseLocale({})).toBe('fr');
  });
});
