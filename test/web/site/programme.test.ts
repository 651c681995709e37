import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sessions } from '../../../server/db/schema.ts';
import { eq } from 'drizzle-orm';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { release } from '../../helpers/releases.ts';

// The programme of 12 November 2019 as the seed document lists it, accents intact.
const SEED_PROGRAMME_2019 = [
  ['08:30', '09:00', 'Arrivée des participants'],
  ['09:00', '09:20', 'Ouverture et bienvenue'],
  ['09:20', '09:55', 'Objectifs et attentes des participants'],
  ['10:00', '11:00', 'Bilan du travail effectué'],
  ['11:00', '11:40', "Apprendre d'un exemple : localiser le cadre de Sendai"],
  ['11:40', '13:00', 'Evolution des modules et méthodologies'],
  ['13:00', '15:00', 'Déjeuner'],
  ['15:00', '16:00', "Composants clés pour nourrir le programme d'apprentissage"],
  ['16:00', '17:00', 'Dialogue entre mécanismes : comment assurer la transférabilité ?'],
  ['17:00', '18:00', 'La voie à suivre ?'],
];

/** [start, end, title] of every session card on a programme page, in page order. */
function programmeRows(html: string): string[][] {
  const $ = cheerio.load(html);
  return $('.slot').toArray().flatMap((slot) => {
    const [start, end] = $(slot).find('.slot__time').text().split('–');
    return $(slot).find('.session__title').toArray().map((title) => [start!, end!, $(title).text().trim()]);
  });
}

describe('public programme pages', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  test('the 2019 forum page lists every session of the seed with its local times, as UTF-8 HTML', async () => {
    const response = await t.app.inject(`/events/${FORUM_2019}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(programmeRows(response.body)).toEqual(SEED_PROGRAMME_2019);
    const $ = cheerio.load(response.body);
    expect($('html').attr('lang')).toBe('fr');
    expect($('.part__title').toArray().map((e) => $(e).text())).toEqual([
      'Première partie : Introduction – mise en contexte',
      'Deuxième partie : Localiser les agendas globaux',
      "Troisième partie : Renforcer le programme d'apprentissage entre pairs & coopération décentralisée",
    ]);
    expect($('.timezone-note').first().text()).toBe('Toutes les heures sont à l\'heure locale de Durban (Africa/Johannesburg, UTC+02:00).');
    expect($('.day__title').text()).toBe('mardi 12 novembre 2019');
  });

  test('a session shows its agenda lines, contributors with roles and the outputs it serves', async () => {
    const page = cheerio.load((await t.app.inject(`/events/${FORUM_2019}`)).body);
    const sendai = page('.session').filter((_, e) => page(e).find('.session__title').text().includes('Sendai'));
    const href = sendai.find('.session__title a').attr('href')!;
    expect(href).toMatch(/^\/events\/uclg-learning-forum-2019\/sessions\/[0-9a-f-]{36}$/);
    const response = await t.app.inject(href);
    expect(response.statusCode).toBe(200);
    const $ = cheerio.load(response.body);
    expect($('h1').text()).toBe("Apprendre d'un exemple : localiser le cadre de Sendai");
    expect($('.facts dd').first().text()).toContain('11:00–11:40');
    expect($('.contributor-list li').toArray().map((e) => $(e).text().replace(/\s+/g, ' ').trim())).toEqual([
      'CGLU ASPAC · présentation', 'UNGL · présentation', 'San José · présentation', 'CGLU · présentation', 'ONU-Habitat · présentation',
    ]);
    expect($('.output-list li').length).toBe(2);
    expect($('.session__agenda li').length).toBeGreaterThan(0);
  });

  test('the outputs page lists the four expected outputs with accents restored and the sessions serving each', async () => {
    const $ = cheerio.load((await t.app.inject(`/events/${FORUM_2019}/outputs`)).body);
    expect($('.output__statement span[lang], .output__statement span:not(.output__number)').toArray().map((e) => $(e).text())).toEqual([
      "Évaluer l'état de l'apprentissage au sein du réseau",
      "Inspirer les éléments clés de la stratégie d'apprentissage de CGLU 2019-2021",
      "Proposer des recommandations concrètes pour renforcer l'extension des politiques de CGLU avec l'apprentissage",
      "Élaborer des recommandations concrètes sur les méthodes et mécanismes d'apprentissage innovants",
    ]);
    const evaluate = $('.output').first().find('.session-list a').toArray().map((e) => $(e).text());
    expect(evaluate).toEqual(['Bilan du travail effectué', "Composants clés pour nourrir le programme d'apprentissage"]);
  });

  test('speakers list the organisations named in the sessions, each with its sessions', async () => {
    const $ = cheerio.load((await t.app.inject(`/events/${FORUM_2019}/speakers`)).body);
    const names = $('.directory a').toArray().map((e) => $(e).text());
    expect(names).toEqual(expect.arrayContaining(['CGLU', 'CGLU ASPAC', 'UNGL', 'San José', 'ONU-Habitat', 'CGLU-Afrique', 'LRGA']));
    const cglu = $('.directory a').filter((_, e) => $(e).text() === 'CGLU').attr('href')!;
    const profile = cheerio.load((await t.app.inject(cglu)).body);
    expect(profile('.session-list a').toArray().map((e) => profile(e).text())).toEqual([
      'Ouverture et bienvenue', "Apprendre d'un exemple : localiser le cadre de Sendai",
    ]);
  });

  test('the home page lists both bundled events, most recent past event first', async () => {
    const $ = cheerio.load((await t.app.inject('/')).body);
    expect($('.event-item h3 a').toArray().map((e) => $(e).attr('href'))).toEqual([
      `/events/${FORUM_2019}`, `/events/${SEMINAR_2015}`,
    ]);
  });

  test('the 2015 seminar shows two days in Europe/Madrid time', async () => {
    // Every day at once: by default the page shows one day (test/web/site/day-picker.test.ts).
    const $ = cheerio.load((await t.app.inject(`/events/${SEMINAR_2015}?day=all`)).body);
    expect($('.day__title').toArray().map((e) => $(e).text())).toEqual(['mardi 29 septembre 2015', 'mercredi 30 septembre 2015']);
    expect($('.timezone-note').first().text()).toContain('Europe/Madrid, UTC+02:00');
  });

  test('filters by part, room and contributor narrow the programme', async () => {
    const page = cheerio.load((await t.app.inject(`/events/${FORUM_2019}`)).body);
    const firstPart = page('#filter-part option').eq(1).attr('value');
    const byPart = programmeRows((await t.app.inject(`/events/${FORUM_2019}?part=${firstPart}`)).body);
    expect(byPart).toEqual(SEED_PROGRAMME_2019.slice(1, 3));
    // The form sends the selects left on "All" as empty values.
    expect(programmeRows((await t.app.inject(`/events/${FORUM_2019}?part=${firstPart}&room=&speaker=`)).body)).toEqual(byPart);
    expect(programmeRows((await t.app.inject(`/events/${FORUM_2019}?part=&room=&speaker=`)).body)).toEqual(SEED_PROGRAMME_2019);
    const lrga = page('#filter-speaker option').filter((_, e) => page(e).text() === 'LRGA').attr('value');
    const bySpeaker = programmeRows((await t.app.inject(`/events/${FORUM_2019}?speaker=${lrga}`)).body);
    expect(bySpeaker).toEqual([SEED_PROGRAMME_2019[7]]);
    const room = page('#filter-room option').eq(1).attr('value');
    expect(programmeRows((await t.app.inject(`/events/${FORUM_2019}?room=${room}`)).body)).toEqual(SEED_PROGRAMME_2019);
  });

  test('pages give absolute canonical and alternate-language addresses from PUBLIC_URL', async () => {
    const other = await buildTestApp({ env: { PUBLIC_URL: 'https://forum.example.org/' } });
    try {
      const $ = cheerio.load((await other.app.inject(`/events/${FORUM_2019}/outputs?lang=en`)).body);
      expect($('link[rel="canonical"]').attr('href')).toBe(`https://forum.example.org/events/${FORUM_2019}/outputs?lang=en`);
      expect($('link[rel="alternate"]').toArray().map((e) => [$(e).attr('hreflang'), $(e).attr('href')])).toEqual(
        ['fr', 'en', 'es'].map((code) => [code, `https://forum.example.org/events/${FORUM_2019}/outputs?lang=${code}`]),
      );
    } finally {
      await other.close();
    }
  });

  test('?lang=en shows English titles and English interface', async () => {
    const response = await t.app.inject(`/events/${FORUM_2019}?lang=en`);
    const $ = cheerio.load(response.body);
    expect($('html').attr('lang')).toBe('en');
    expect(response.headers['content-language']).toBe('en');
    expect(programmeRows(response.body).map((r) => r[2])).toEqual([
      'Arrival of participants', 'Opening and welcome', "Participants' objectives and expectations", 'Review of the work done',
      'Learning from an example: localising the Sendai Framework', 'Evolution of modules and methodologies', 'Lunch',
      'Key components to nurture the learning programme', 'Dialogue between mechanisms: how can transferability be ensured?', 'The way forward?',
    ]);
    expect($('#filters-heading').text()).toBe('Filter the programme');
    expect($('.part__title').first().text()).toBe('Part one: Introduction – setting the scene');
    // British English, as the interface's: the forum is not in the United States.
    expect($('.day__title').text()).toBe('Tuesday, 12 November 2019');
    expect($('.event-header__when').text()).toContain('12 November 2019');
    expect($('.session__title[lang]').length).toBe(0);
    expect($('.fallback-note').length).toBe(0);
  });

  test('a missing translation falls back to French, marked lang="fr" on that element', async () => {
    // Spanish has session titles but no agenda lines: those fall back to French.
    const $ = cheerio.load((await t.app.inject(`/events/${FORUM_2019}?lang=es`)).body);
    expect($('html').attr('lang')).toBe('es');
    const opening = $('.session').eq(1);
    expect(opening.find('.session__title').attr('lang')).toBeUndefined();
    expect(opening.find('.session__agenda').attr('lang')).toBe('fr');
    expect(opening.find('.session__agenda li').first().text()).toBe("Présentation du forum d'apprentissage de CGLU");
    // Said visibly too, in the page's language, and marked as Spanish itself.
    const note = opening.find('.session__agenda').next('.fallback-note');
    expect(note.text()).toBe('(en francés)');
    expect(note.attr('lang')).toBe('es');
    // The description has no Spanish either: its summary says so.
    expect($('.event-description summary').text().replace(/\s+/g, ' ').trim()).toBe('Acerca del evento (en francés)');
    expect($('.event-description div').attr('lang')).toBe('fr');
    expect($('.event-description').attr('lang')).toBeUndefined();

    // And a title with no English at all is shown in French, marked as such.
    const session = t.app.db.select().from(sessions).all().find((s) => s.title.fr === 'La voie à suivre ?')!;
    t.app.db.update(sessions).set({ title: { fr: 'La voie à suivre ?' } }).where(eq(sessions.id, session.id)).run();
    release(t.app, FORUM_2019);
    try {
      const en = cheerio.load((await t.app.inject(`/events/${FORUM_2019}?lang=en`)).body);
      const title = en('.session__title').last();
      expect(title.find('a').text()).toBe('La voie à suivre ?');
      expect(title.attr('lang')).toBe('fr');
      expect(title.find('.fallback-note').text()).toBe('(in French)');
      expect(title.find('.fallback-note').attr('lang')).toBe('en');
      expect(en('.fallback-note').length).toBe(1);
    } finally {
      t.app.db.update(sessions).set({ title: session.title }).where(eq(sessions.id, session.id)).run();
      release(t.app, FORUM_2019);
    }
  });

  test('Accept-Language chooses the language when there is no ?lang=, and ?lang= is remembered', async () => {
    const en = await t.app.inject({ url: `/events/${FORUM_2019}`, headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(cheerio.load(en.body)('html').attr('lang')).toBe('en');
    const de = await t.app.inject({ url: `/events/${FORUM_2019}`, headers: { 'accept-language': 'de' } });
    expect(cheerio.load(de.body)('html').attr('lang')).toBe('fr');
    const chosen = await t.app.inject(`/events/${FORUM_2019}/outputs?lang=es`);
    const cookie = chosen.cookies.find((c) => c.name === 'lang');
    expect(cookie?.value).toBe('es');
    const next = await t.app.inject({ url: `/events/${FORUM_2019}/speakers`, cookies: { lang: 'es' }, headers: { 'accept-language': 'en' } });
    expect(cheerio.load(next.body)('html').attr('lang')).toBe('es');
  });
});
