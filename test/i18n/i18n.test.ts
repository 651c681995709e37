import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { LANGUAGES } from '../../server/db/schema.ts';
import { CATALOGUE_FILES, catalogues, chooseLocale, isMessageKey, localize, translate } from '../../server/i18n/index.ts';
import { VIEWS_DIR } from '../../server/plugins/views.ts';

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

/** The files under a folder whose name ends so, at any depth. */
function sourceFiles(dir: string, ending: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full, ending);
    return entry.name.endsWith(ending) ? [full] : [];
  });
}

/** Every key the templates write, `{{t "key"}}` or `(t "key")`, with its template. */
function templateKeys(): { file: string; key: string }[] {
  return sourceFiles(VIEWS_DIR, '.hbs').flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(/[{(]~?\s*t\s+"([^"]+)"/g)].map((m) => ({ file: path.relative(VIEWS_DIR, file), key: m[1]! })));
}

/**
 * What a source file says of keys, read by the TypeScript parser: every string written whole,
 * and for each template string that starts with a prefix ending in a dot (`kind.${kind}`), the
 * keys it can build, each ${…} standing for one segment of a key. The compiler checks those
 * keys exist; this says which keys something uses.
 */
function keyUses(fileName: string, text: string): { literals: Set<string>; patterns: RegExp[] } {
  const literals = new Set<string>();
  const patterns: RegExp[] = [];
  const escape = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literals.add(node.text);
    else if (ts.isTemplateExpression(node) && /^[\w-]+\./.test(node.head.text)) {
      patterns.push(new RegExp(`^${escape(node.head.text)}${node.templateSpans.map((span) => `[\\w-]+${escape(span.literal.text)}`).join('')}$`));
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
  return { literals, patterns };
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
      expect(fs.readdirSync(path.join(MESSAGES_DIR, lang)).sort(), lang).toEqual(['api.json', 'building.json', 'bulk.json', 'embed.json', 'feedback.json', 'feeds.json', 'followup.json', 'grid.json', 'imports.json', 'kiosk.json', 'languages.json', 'mail.json', 'moves.json', 'offline.json', 'outbox.json', 'paper.json', 'pocket.json', 'rapporteur.json', 'shared.json', 'site.json', 'subscribe.json', 'texts.json', 'workspace.json']);
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

  test('no two keys say the same in all three languages: one text, one key', () => {
    const keysByTexts = new Map<string, string[]>();
    for (const key of Object.keys(catalogues.fr).filter(isMessageKey)) {
      const texts = JSON.stringify(LANGUAGES.map((lang) => catalogues[lang][key]));
      keysByTexts.set(texts, [...(keysByTexts.get(texts) ?? []), key]);
    }
    expect([...keysByTexts.values()].filter((keys) => keys.length > 1)).toEqual([]);
  });
});

describe('i18n keys', () => {
  test('what code says of keys: the strings it writes whole, and a pattern for each key it builds from a prefix', () => {
    const uses = keyUses('example.ts', [
      "translate(locale, 'admin.form.save');",
      'const columns = ["report.title", `outputs.title`];',
      'translate(locale, `kind.${s.row.kind}`);',
      'translate(locale, id ? `admin.${path}.edit` : `admin.${path}.new`);',
      'translate(locale, `conclusions.step.${action}Hint`, { revision });',
      'const name = `${field.name}.${lang}`;',
    ].join('\n'));
    expect([...uses.literals]).toEqual(['admin.form.save', 'report.title', 'outputs.title']);
    expect(uses.patterns.map(String)).toEqual([
      String(/^kind\.[\w-]+$/), String(/^admin\.[\w-]+\.edit$/), String(/^admin\.[\w-]+\.new$/), String(/^conclusions\.step\.[\w-]+Hint$/),
    ]);
  });

  test('every key a template writes is in the catalogues', () => {
    const keys = templateKeys();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter(({ key }) => !isMessageKey(key))).toEqual([]);
  });

  test('every key is used: by a template, or by server code whole or through the prefix it is built from', () => {
    const inTemplates = new Set(templateKeys().map(({ key }) => key));
    const literals = new Set<string>();
    const patterns: RegExp[] = [];
    for (const file of sourceFiles(path.join(PROJECT_ROOT, 'server'), '.ts')) {
      const uses = keyUses(file, fs.readFileSync(file, 'utf8'));
      for (const literal of uses.literals) literals.add(literal);
      patterns.push(...uses.patterns);
    }
    const unused = Object.keys(catalogues.fr).filter((key) => !inTemplates.has(key) && !literals.has(key) && !patterns.some((p) => p.test(key)));
    expect(unused).toEqual([]);
  });
});

describe('i18n', () => {
  test('translate fills placeholders and refuses unknown keys', () => {
    expect(translate('en', 'outputs.number', { number: 2 })).toBe('Output 2');
    // @ts-expect-error A key that is in no catalogue does not compile.
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
