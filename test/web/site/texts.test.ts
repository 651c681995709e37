// Texts as a reader meets them: each output cited with its statement written out (no tooltip,
// which touch screens and paper never show), a legend of the outputs at the end of the
// programme, conclusions marked with their own language and named in the page's, dates in each
// language's own order (British English unless the event is in the United States).
import * as cheerio from 'cheerio';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { events } from '../../../server/db/schema.ts';
import { englishVariant, longDate } from '../../../server/time.ts';
import { dateRangeLabel } from '../../../server/web/shared/presenter.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { apiAs, sessionsByTitle } from '../../helpers/api.ts';
import { addUser } from '../../helpers/auth.ts';
import { release } from '../../helpers/releases.ts';
import { content, outputIds, publish } from '../../helpers/conclusions.ts';

const REVIEW = 'Bilan du travail effectué';
const PUBLIC = `/events/${FORUM_2019}`;
const STATEMENTS = {
  fr: "Évaluer l'état de l'apprentissage au sein du réseau",
  en: 'Assess the state of learning within the network',
  es: 'Evaluar el estado del aprendizaje dentro de la red',
};

describe('texts a reader can read', () => {
  let t: TestApp;
  let sessions: Record<string, string>;

  beforeAll(async () => {
    t = await buildTestApp();
    const organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Aminata Diallo');
    const api = apiAs(t.app, organiser.bearer);
    sessions = await sessionsByTitle(api, FORUM_2019);
    const [o1] = await outputIds(api, FORUM_2019) as [string];
    // Conclusions written in English, with a recommendation serving output 1.
    await publish(api, FORUM_2019, sessions[REVIEW]!, content({
      language: 'en',
      summary: 'The network learns from its members.',
      recommendations: [{ text: 'Map what the members already teach each other.', outputs: [o1] }],
    }));
  });
  afterAll(async () => { await t.close(); });

  const page = async (url: string) => cheerio.load((await t.app.inject(url)).body);

  test('a session card cites each output by its number and its statement, written out, in the page language', async () => {
    for (const [lang, statement] of Object.entries(STATEMENTS)) {
      const $ = await page(`${PUBLIC}?lang=${lang}`);
      const refs = $('.session__outputs .output-refs li').toArray().map((li) => $(li).text());
      expect(refs.length).toBeGreaterThan(0);
      expect(refs).toContain(`${{ fr: 'Résultat', en: 'Output', es: 'Resultado' }[lang]} 1${lang === 'fr' ? ' : ' : ': '}${statement}`);
      // Nothing hides in a tooltip.
      expect($('.session__outputs [title]').length).toBe(0);
    }
  });

  test('the programme ends with the legend of the outputs, every statement in order, printed too', async () => {
    const programme = (await t.app.inject(`/api/v1/events/${FORUM_2019}/programme`)).json() as { outputs: { position: number; statement: { fr: string } }[] };
    const $ = await page(PUBLIC);
    const legend = $('.outputs-legend');
    expect(legend.find('h2').text()).toBe('Résultats attendus');
    expect(legend.find('dt').toArray().map((dt) => $(dt).text())).toEqual(programme.outputs.map((o) => `Résultat ${o.position + 1}`));
    expect(legend.find('dd').toArray().map((dd) => $(dd).text())).toEqual(
      [...programme.outputs].sort((a, b) => a.position - b.position).map((o) => o.statement.fr));
    expect(legend.find('dd').first().text()).toBe(STATEMENTS.fr);
    // After the programme itself; neither it nor its parent is left off the printed page.
    expect($('section.programme ~ .outputs-legend').length).toBe(1);
    expect(legend.hasClass('no-print')).toBe(false);
  });

  test('conclusions in another language carry its code, and the note names it in the page language', async () => {
    const expectations = {
      fr: 'Rédigées en anglais.',
      es: 'Redactadas en inglés.',
    };
    for (const [lang, note] of Object.entries(expectations)) {
      const $ = await page(`${PUBLIC}/sessions/${sessions[REVIEW]}?lang=${lang}`);
      expect($('.session-conclusions .conclusions').attr('lang')).toBe('en');
      expect($('.conclusions__language').text()).toBe(note);
      expect($('.conclusions__serves li').first().text()).toBe(`${lang === 'fr' ? 'Résultat 1 : ' : 'Resultado 1: '}${STATEMENTS[lang as 'fr' | 'es']}`);
    }
    // In English, the conclusions are in the page's language: no lang, no note.
    const en = await page(`${PUBLIC}/sessions/${sessions[REVIEW]}?lang=en`);
    expect(en('.session-conclusions .conclusions').attr('lang')).toBeUndefined();
    expect(en('.conclusions__language').length).toBe(0);
    // No element anywhere says lang="" (a template helper once shadowed the field).
    for (const url of [`${PUBLIC}/sessions/${sessions[REVIEW]}`, `${PUBLIC}/report`, `${PUBLIC}/report?lang=es`]) {
      const body = (await t.app.inject(url)).body;
      expect(body, url).not.toContain('lang=""');
    }
    const report = await page(`${PUBLIC}/report`);
    expect(report('.report-session .conclusions').attr('lang')).toBe('en');
  });

  test('dates read in each language\'s order; English is British unless the event is in the United States', async () => {
    const dates = async (lang: string) => (await page(`${PUBLIC}?lang=${lang}`))('.event-header__when time').text();
    expect(await dates('fr')).toBe('12 novembre 2019');
    expect(await dates('en')).toBe('12 November 2019');
    expect(await dates('es')).toBe('12 de noviembre de 2019');

    // The same forum moved to the United States reads month first in English, and only there.
    t.app.db.update(events).set({ country: 'US' }).where(eq(events.slug, FORUM_2019)).run();
    release(t.app, FORUM_2019);
    try {
      expect(await dates('en')).toBe('November 12, 2019');
      expect(await dates('fr')).toBe('12 novembre 2019');
    } finally {
      t.app.db.update(events).set({ country: 'ZA' }).where(eq(events.slug, FORUM_2019)).run();
      release(t.app, FORUM_2019);
    }
    expect(await dates('en')).toBe('12 November 2019');
    expect(englishVariant({ country: null, timezone: 'America/Chicago' })).toBe('en-US');
    expect(englishVariant({ country: null, timezone: 'America/Toronto' })).toBe('en');
    expect(englishVariant({ country: 'GB', timezone: 'America/New_York' })).toBe('en');
    expect(longDate('2019-11-12', 'en')).toMatch(/^Tuesday,? 12 November 2019$/);
    expect(longDate('2019-11-12', 'en-US')).toBe('Tuesday, November 12, 2019');
    expect(dateRangeLabel('2015-09-29', '2015-09-30', 'en')).toMatch(/^29\s?–\s?30 September 2015$/);
  });
});
