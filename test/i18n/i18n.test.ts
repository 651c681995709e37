import { describe, expect, test } from 'vitest';
import { catalogues, chooseLocale, localize, translate } from '../../server/i18n/index.ts';

describe('i18n', () => {
  test('the fr, en and es catalogues have exactly the same keys and placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const frKeys = Object.keys(catalogues.fr).sort();
    for (const locale of ['en', 'es'] as const) {
      expect(Object.keys(catalogues[locale]).sort()).toEqual(frKeys);
      for (const key of frKeys) {
        expect(placeholders((catalogues[locale] as Record<string, string>)[key]!), `${locale} ${key}`).toEqual(placeholders((catalogues.fr as Record<string, string>)[key]!));
      }
    }
  });

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
