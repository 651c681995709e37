// A programme over several days shows one day at a time, with a picker of plain links; filters
// combine with the day; a filter or a day that names nothing is ignored with a notice, not a 400.
import * as cheerio from 'cheerio';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sessions } from '../../../server/db/schema.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { formOf } from '../../helpers/browser.ts';
import { release } from '../../helpers/releases.ts';

const SEMINAR = `/events/${SEMINAR_2015}`;

// The seminar's two days as the bundled programme has them, in Europe/Madrid time.
const DAY_ONE = [
  ['09:30', '13:00', "Activités d'apprentissage, indicateurs et plans des participants"],
  ['14:30', '17:30', "Critères de participation et de gestion de l'agenda d'apprentissage de CGLU"],
];
const DAY_TWO = [
  ['09:30', '11:15', "Rôles des partenaires et lien avec l'élaboration des politiques"],
  ['11:15', '13:00', "L'agenda d'apprentissage, les ODD et le nouvel agenda urbain"],
  ['14:30', '17:30', "Outils et mécanismes du nouvel agenda d'apprentissage"],
];
const DAY_ONE_TITLE = 'mardi 29 septembre 2015';
const DAY_TWO_TITLE = 'mercredi 30 septembre 2015';

const FILTER_IGNORED = {
  part: 'Le filtre « Partie » ne correspond plus à rien dans le programme : il a été ignoré.',
  room: 'Le filtre « Salle » ne correspond plus à rien dans le programme : il a été ignoré.',
  speaker: 'Le filtre « Intervenant ou organisation » ne correspond plus à rien dans le programme : il a été ignoré.',
};
const DAY_IGNORED = 'Le jour demandé ne fait pas partie du programme : il a été ignoré.';

/** [start, end, title] of every session card, in page order. */
function rows($: cheerio.CheerioAPI): string[][] {
  return $('.slot').toArray().flatMap((slot) => {
    const [start, end] = $(slot).find('.slot__time').text().split('–');
    return $(slot).find('.session__title').toArray().map((title) => [start!, end!, $(title).text().trim()]);
  });
}

const dayTitles = ($: cheerio.CheerioAPI) => $('.day__title').toArray().map((e) => $(e).text());
const notices = ($: cheerio.CheerioAPI) => $('.programme-notice').toArray().map((e) => $(e).text());

/** The picker's links: [text, href, aria-current], text with whitespace collapsed. */
function picker($: cheerio.CheerioAPI): (string | null)[][] {
  return $('nav.day-picker a').toArray().map((a) => [
    $(a).text().replace(/\s+/g, ' ').trim(), $(a).attr('href')!, $(a).attr('aria-current') ?? null,
  ]);
}

describe('the programme a day at a time', () => {
  let clock = new Date('2015-01-01T10:00:00Z'); // months before the seminar
  let t: TestApp;
  let get: (url: string) => Promise<cheerio.CheerioAPI>;
  /** Public ids from the page's own filter form, by the text of their option. */
  let option: (select: string, text: string) => string;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    get = async (url) => {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(200);
      return cheerio.load(response.body);
    };
    const $ = await get(SEMINAR);
    option = (select, text) => $(`#filter-${select} option`).filter((_, e) => $(e).text().startsWith(text)).attr('value')!;
  });
  afterAll(async () => { await t.close(); });

  test('before the seminar, its page shows the first day and a picker of its two days, the first one current', async () => {
    clock = new Date('2015-01-01T10:00:00Z');
    const $ = await get(SEMINAR);
    expect(dayTitles($)).toEqual([DAY_ONE_TITLE]);
    expect(rows($)).toEqual(DAY_ONE);
    expect($('nav.day-picker').attr('aria-label')).toBe('Jours du programme');
    expect(picker($)).toEqual([
      ['mar. 29 sept.', `${SEMINAR}?day=2015-09-29`, 'page'],
      ['mer. 30 sept.', `${SEMINAR}?day=2015-09-30`, null],
      ['Tous les jours', `${SEMINAR}?day=all`, null],
    ]);
    expect($('nav.day-picker time').toArray().map((e) => $(e).attr('datetime'))).toEqual(['2015-09-29', '2015-09-30']);
    expect($('nav.day-picker a[rel="nofollow"]').attr('href')).toBe(`${SEMINAR}?day=all`);
    expect(notices($)).toEqual([]);
  });

  test('during the second day in Madrid (already 00:30 there, still the 29th in UTC) the page opens on it', async () => {
    clock = new Date('2015-09-29T21:30:00Z'); // 23:30 in Madrid: still the first day
    expect(dayTitles(await get(SEMINAR))).toEqual([DAY_ONE_TITLE]);
    clock = new Date('2015-09-29T22:30:00Z'); // 00:30 on 30 September in Madrid
    const $ = await get(SEMINAR);
    expect(dayTitles($)).toEqual([DAY_TWO_TITLE]);
    expect(rows($)).toEqual(DAY_TWO);
    expect(picker($).map(([, , current]) => current)).toEqual([null, 'page', null]);
    clock = new Date('2015-09-30T15:00:00Z'); // 17:00 on the second day: the session of 14:30 is on
    expect(cheerio.load((await t.app.inject(SEMINAR)).body)('.session--current .session__title').text()).toBe(DAY_TWO[2]![2]);
    clock = new Date('2026-03-01T10:00:00Z'); // long after: the first day again
    expect(dayTitles(await get(SEMINAR))).toEqual([DAY_ONE_TITLE]);
    clock = new Date('2015-01-01T10:00:00Z');
  });

  test('?day= picks a day, and ?day=all shows both, with every day on a page of its own when printed', async () => {
    const second = await get(`${SEMINAR}?day=2015-09-30`);
    expect(dayTitles(second)).toEqual([DAY_TWO_TITLE]);
    expect(rows(second)).toEqual(DAY_TWO);
    expect(picker(second).map(([, , current]) => current)).toEqual([null, 'page', null]);
    const all = await get(`${SEMINAR}?day=all`);
    expect(dayTitles(all)).toEqual([DAY_ONE_TITLE, DAY_TWO_TITLE]);
    expect(rows(all)).toEqual([...DAY_ONE, ...DAY_TWO]);
    expect(picker(all).map(([, , current]) => current)).toEqual([null, null, 'page']);
  });

  test('the picker speaks the page\'s language, and <html lang> follows it', async () => {
    const en = await get(`${SEMINAR}?lang=en`);
    expect(en('html').attr('lang')).toBe('en');
    expect(en('nav.day-picker').attr('aria-label')).toBe('Days of the programme');
    expect(picker(en).map(([text]) => text)).toEqual(['Tue 29 Sept', 'Wed 30 Sept', 'All days']);
    expect(en('.day__title').text()).toBe('Tuesday, 29 September 2015');
    const es = await get(`${SEMINAR}?lang=es`);
    expect(es('html').attr('lang')).toBe('es');
    expect(es('nav.day-picker').attr('aria-label')).toBe('Días del programa');
    expect(picker(es).map(([text]) => text)).toEqual(['mar, 29 sept', 'mié, 30 sept', 'Todos los días']);
  });

  test('a filter combines with the day: the picker keeps the filter and counts its sessions per day', async () => {
    const metropolis = option('speaker', 'Metropolis');
    const $ = await get(`${SEMINAR}?speaker=${metropolis}&day=2015-09-29`);
    expect(rows($)).toEqual([DAY_ONE[0]]);
    expect(picker($)).toEqual([
      ['mar. 29 sept. 1 session', `${SEMINAR}?speaker=${metropolis}&day=2015-09-29`, 'page'],
      ['mer. 30 sept. aucune session', `${SEMINAR}?speaker=${metropolis}&day=2015-09-30`, null],
      ['Tous les jours 1 session', `${SEMINAR}?speaker=${metropolis}&day=all`, null],
    ]);
    expect($('nav.day-picker .day-picker__link--none').attr('href')).toBe(`${SEMINAR}?speaker=${metropolis}&day=2015-09-30`);
    // The reset link drops the filter and stays on the day.
    expect($('.filters__actions a').attr('href')).toBe(`${SEMINAR}?day=2015-09-29`);
  });

  test('on a day where the filter matches nothing, the page says so and links to the days where it does', async () => {
    const metropolis = option('speaker', 'Metropolis');
    const $ = await get(`${SEMINAR}?speaker=${metropolis}&day=2015-09-30`);
    expect(rows($)).toEqual([]);
    expect($('.empty').text()).toBe('Aucune session ne correspond à ces filtres le mercredi 30 septembre 2015.');
    expect($('.empty__elsewhere').text()).toBe('Autres jours avec des sessions pour ces filtres');
    expect($('.empty__days li').toArray().map((e) => $(e).text())).toEqual(['mar. 29 sept. · 1 session']);
    expect($('.empty__days a').attr('href')).toBe(`${SEMINAR}?speaker=${metropolis}&day=2015-09-29`);
  });

  test('without ?day=, a filter opens on a day it matches: the second day\'s part, and that part\'s own page', async () => {
    const dayTwo = option('part', 'Deuxième jour');
    const $ = await get(`${SEMINAR}?part=${dayTwo}`);
    expect(rows($)).toEqual(DAY_TWO);
    expect(picker($).map(([text, , current]) => [text, current])).toEqual([
      ['mar. 29 sept. aucune session', null], ['mer. 30 sept. 3 sessions', 'page'], ['Tous les jours 3 sessions', null],
    ]);
    const partPage = await get(`${SEMINAR}/parts/${dayTwo}`);
    expect(rows(partPage)).toEqual(DAY_TWO);
    // Its day links stay on the part's page.
    expect(picker(partPage).map(([, href]) => href)).toEqual([
      `${SEMINAR}/parts/${dayTwo}?day=2015-09-29`, `${SEMINAR}/parts/${dayTwo}?day=2015-09-30`, `${SEMINAR}/parts/${dayTwo}?day=all`,
    ]);
    const asked = await get(`${SEMINAR}/parts/${dayTwo}?day=2015-09-29`);
    expect(rows(asked)).toEqual([]);
    expect(asked('.empty').text()).toBe('Aucune session ne correspond à ces filtres le mardi 29 septembre 2015.');
    expect((await t.app.inject(`${SEMINAR}/parts/${dayTwo}?day=${'9'.repeat(17)}`)).statusCode).toBe(400);
  });

  test('the filter form is a GET form that keeps the day shown in a hidden field', async () => {
    const html = (await t.app.inject(`${SEMINAR}?day=2015-09-30`)).body;
    const $ = cheerio.load(html);
    expect($('form.filters').attr('method')).toBe('get');
    expect($('form.filters input[type="hidden"]').toArray().map((e) => [$(e).attr('name'), $(e).attr('value')])).toEqual([['day', '2015-09-30']]);
    // What a browser sends when the organisation is chosen and the form submitted.
    const form = formOf(html, 'form.filters');
    expect(form.action).toBe(SEMINAR);
    const query = new URLSearchParams({ ...(form.fields as Record<string, string>), speaker: option('speaker', 'Secrétariat mondial de CGLU') });
    const filtered = await get(`${form.action}?${query}`);
    expect(rows(filtered)).toEqual(DAY_TWO);
    expect(picker(filtered).map(([, , current]) => current)).toEqual([null, 'page', null]);
    expect(filtered('form.filters input[name="day"]').attr('value')).toBe('2015-09-30');
    expect(filtered('#filter-speaker option[selected]').text()).toBe('Secrétariat mondial de CGLU');
  });

  test('the links and the form work without JavaScript: every day link is a plain link that opens its day', async () => {
    const $ = await get(SEMINAR);
    const links = $('nav.day-picker a').toArray();
    expect(links.length).toBe(3);
    for (const a of links) {
      const href = $(a).attr('href')!;
      expect(href).toMatch(/^\/events\/uclg-learning-agenda-2015\?day=(2015-09-29|2015-09-30|all)$/);
      expect(Object.keys(a.attribs).filter((name) => name.startsWith('on'))).toEqual([]);
      const target = await get(href);
      expect(target(`nav.day-picker a[aria-current="page"]`).attr('href')).toBe(href);
    }
    expect($('form.filters button[type="submit"]').length).toBe(1);
    expect($('main script').length).toBe(0);
  });

  test('an unknown or malformed part, room or speaker is ignored with a notice: 200 and the whole day', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [name, value] of [['part', unknown], ['room', unknown], ['speaker', unknown], ['part', 'abc'], ['room', '9'.repeat(40)], ['speaker', '<b>x</b>']] as const) {
      const url = `${SEMINAR}?${name}=${encodeURIComponent(value)}`;
      const $ = await get(url);
      expect(notices($), url).toEqual([FILTER_IGNORED[name]]);
      expect(rows($), url).toEqual(DAY_ONE);
      // The ignored value is not carried on: the day links and the form are those of the unfiltered page.
      expect(picker($).map(([, href]) => href), url).toEqual([`${SEMINAR}?day=2015-09-29`, `${SEMINAR}?day=2015-09-30`, `${SEMINAR}?day=all`]);
      expect($('.filters__actions a').length, url).toBe(0);
    }
    const both = await get(`/events/${FORUM_2019}?part=${unknown}&speaker=nobody&lang=en`);
    expect(notices(both)).toEqual([
      'The “Part” filter no longer matches anything in the programme: it has been ignored.',
      'The “Speaker or organisation” filter no longer matches anything in the programme: it has been ignored.',
    ]);
    expect(both('.slot').length).toBe(10);
    const es = await get(`${SEMINAR}?room=gone&lang=es`);
    expect(notices(es)).toEqual(['El filtro «Sala» ya no corresponde a nada en el programa: se ha ignorado.']);
    // A known filter beside an unknown one still applies.
    const metropolis = option('speaker', 'Metropolis');
    const mixed = await get(`${SEMINAR}?speaker=${metropolis}&room=${unknown}`);
    expect(notices(mixed)).toEqual([FILTER_IGNORED.room]);
    expect(rows(mixed)).toEqual([DAY_ONE[0]]);
  });

  test('an unknown or malformed ?day= falls back to the default day with a notice; an over-long one is a 400', async () => {
    for (const day of ['2015-10-01', '2015-02-30', 'tomorrow', '30/09/2015', 'unscheduled']) {
      const url = `${SEMINAR}?day=${encodeURIComponent(day)}`;
      const $ = await get(url);
      expect(notices($), url).toEqual([DAY_IGNORED]);
      expect(dayTitles($), url).toEqual([DAY_ONE_TITLE]);
      expect(picker($).map(([, , current]) => current), url).toEqual(['page', null, null]);
    }
    expect(notices(await get(`${SEMINAR}?day=nope&lang=en`))).toEqual(['The day asked for is not in the programme: it has been ignored.']);
    expect(notices(await get(`${SEMINAR}?day=`))).toEqual([]);
    for (const url of [`${SEMINAR}?day=${'2015-09-30'.repeat(2)}`, `${SEMINAR}?speaker=${'a'.repeat(65)}`]) {
      expect((await t.app.inject(url)).statusCode, url).toBe(400);
    }
  });

  test('the one-day forum shows no picker and no hidden day, and a ?day= there changes nothing but a notice', async () => {
    const $ = await get(`/events/${FORUM_2019}`);
    expect($('nav.day-picker').length).toBe(0);
    expect($('form.filters input[name="day"]').length).toBe(0);
    expect(dayTitles($)).toEqual(['mardi 12 novembre 2019']);
    expect($('.slot').length).toBe(10);
    expect(notices($)).toEqual([]);
    for (const day of ['2019-11-12', 'all']) {
      const same = await get(`/events/${FORUM_2019}?day=${day}`);
      expect(rows(same)).toEqual(rows($));
      expect(notices(same)).toEqual([]);
    }
    const other = await get(`/events/${FORUM_2019}?day=2019-11-13`);
    expect(notices(other)).toEqual([DAY_IGNORED]);
    expect(rows(other)).toEqual(rows($));
  });
});

describe('sessions without a time on a programme shown a day at a time', () => {
  let t: TestApp;
  const TIMELESS = DAY_TWO[2]![2];
  beforeAll(async () => {
    t = await buildTestApp({ now: () => new Date('2015-01-01T10:00:00Z') });
    const session = t.app.db.select().from(sessions).all().find((s) => s.title.fr === TIMELESS)!;
    t.app.db.update(sessions).set({ slotId: null }).where(eq(sessions.id, session.id)).run();
    release(t.app, SEMINAR_2015);
  });
  afterAll(async () => { await t.close(); });

  test('they have a link of their own in the picker, after the days, and are in the view of every day at once', async () => {
    const $ = cheerio.load((await t.app.inject(SEMINAR)).body);
    expect(picker($)).toEqual([
      ['mar. 29 sept.', `${SEMINAR}?day=2015-09-29`, 'page'],
      ['mer. 30 sept.', `${SEMINAR}?day=2015-09-30`, null],
      ['Sessions sans horaire', `${SEMINAR}?day=unscheduled`, null],
      ['Tous les jours', `${SEMINAR}?day=all`, null],
    ]);
    expect($('.session__title').toArray().map((e) => $(e).text())).not.toContain(TIMELESS);

    const timeless = cheerio.load((await t.app.inject(`${SEMINAR}?day=unscheduled`)).body);
    expect(timeless('.day__title').toArray().map((e) => timeless(e).text())).toEqual(['Sessions sans horaire']);
    expect(timeless('.session__title').toArray().map((e) => timeless(e).text())).toEqual([TIMELESS]);
    expect(picker(timeless).map(([, , current]) => current)).toEqual([null, null, 'page', null]);

    const all = cheerio.load((await t.app.inject(`${SEMINAR}?day=all`)).body);
    expect(all('.session__title').toArray().map((e) => all(e).text())).toEqual([...DAY_ONE, ...DAY_TWO.slice(0, 2)].map((r) => r[2]).concat(TIMELESS));
  });
});
