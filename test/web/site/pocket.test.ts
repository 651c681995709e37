// The programme in the hand (issue 19, items 1 and 2) through inject: a session's own agenda
// toggle goes back only to a page of its event, an anonymous page carries nothing personal and
// stays public, a filter of one value is not offered, and a session page links its neighbours.
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { Browser, formOf } from '../../helpers/browser.ts';

const EVENT = `/events/${FORUM_2019}`;

describe('the programme in the hand', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  /** The toggle form of the session titled so on a page. */
  function toggleOf(html: string, title: string): ReturnType<typeof formOf> {
    const $ = cheerio.load(html);
    const card = $('.session').filter((_, e) => $(e).find('.session__title').text().trim() === title).first();
    expect(card.length, title).toBe(1);
    return formOf(`<main>${$.html(card.find('form.agenda-toggle'))}</main>`);
  }

  test('a toggle returns to the page it was on, filters kept, and confirms the session beside it', async () => {
    const browser = new Browser(t.app);
    const part = cheerio.load(await browser.open(EVENT))('#filter-part option').eq(1).attr('value')!;
    const page = await browser.open(`${EVENT}?part=${part}&lang=fr`);
    const toggle = toggleOf(page, 'Ouverture et bienvenue');
    expect(toggle.action).toBe('/my');
    expect(toggle.hidden.return).toBe(`${EVENT}?part=${part}&lang=fr`);
    const sessionId = toggle.hidden.listed!;

    const added = await browser.post(toggle.action, { ...toggle.fields, session: sessionId });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`${EVENT}?part=${part}&lang=fr&saved=${sessionId}#session-${sessionId}`);

    const back = await browser.get(added.headers.location as string);
    // Personal: public-cache.ts keeps it for this reader only.
    expect(back.headers['cache-control']).toMatch(/^private/);
    const $ = cheerio.load(back.body);
    expect($(`#session-${sessionId} .agenda-toggle__status`).text()).toBe('Ajoutée à mon agenda.');
    expect($('.agenda-toggle__status').filter((_, e) => $(e).text() !== '').length).toBe(1);
    expect($('.agenda-bar__link').text()).toBe('Mon agenda\u00a0: 1 session →');
    expect($('.agenda-bar__link').attr('href')).toMatch(/^\/my\/[A-Za-z0-9_-]{43}$/);
    // The page's own return address leaves out the confirmation.
    const again = toggleOf(back.body, 'Ouverture et bienvenue');
    expect(again.hidden.return).toBe(`${EVENT}?part=${part}&lang=fr`);
    expect(again.action).toBe($('.agenda-bar__link').attr('href'));

    const removed = await browser.post(again.action, again.fields);
    expect(removed.statusCode).toBe(303);
    const after = cheerio.load((await browser.get(removed.headers.location as string)).body);
    expect(after(`#session-${sessionId} .agenda-toggle__status`).text()).toBe('Retirée de mon agenda.');
    expect(after('.agenda-bar__link').text()).toBe('Mon agenda\u00a0: aucune session →');
  });

  test('the return address is refused unless it is a page of the same event', async () => {
    const page = await new Browser(t.app).open(EVENT);
    const toggle = toggleOf(page, 'Ouverture et bienvenue');
    const refused = [
      '//evil.example/x', '/events/uclg-learning-forum-2019//evil.example', 'https://evil.example/', '/events/uclg-learning-forum-2019x',
      `/events/${SEMINAR_2015}`, '/admin', '/events/uclg-learning-forum-2019/../../admin', '/events/uclg-learning-forum-2019/%2e%2e/admin',
      '/events/uclg-learning-forum-2019\\evil', '/events/uclg-learning-forum-2019#x', `/${'a'.repeat(600)}`,
    ];
    for (const back of refused) {
      const browser = new Browser(t.app);
      const response = await browser.post('/my', { ...toggle.fields, return: back });
      expect(response.statusCode, back).toBe(400);
      expect(response.headers.location, back).toBeUndefined();
      expect(browser.cookies.size, back).toBe(0);
    }
    // Two sessions cannot be confirmed in one place.
    const two = await new Browser(t.app).post('/my', { ...toggle.fields, listed: [toggle.hidden.listed!, toggleOf(page, 'Bilan du travail effectué').hidden.listed!] });
    expect(two.statusCode).toBe(400);
    // A session page is a page of the event.
    const sessionPage = `${EVENT}/sessions/${toggle.hidden.listed}`;
    const fromSession = await new Browser(t.app).post('/my', { ...toggle.fields, return: sessionPage });
    expect(fromSession.statusCode).toBe(303);
    expect(fromSession.headers.location).toBe(`${sessionPage}?saved=${toggle.hidden.listed}#session-${toggle.hidden.listed}`);
  });

  test('the script gets JSON with the confirmation and the bar\'s words', async () => {
    const toggle = toggleOf(await new Browser(t.app).open(EVENT), 'Ouverture et bienvenue');
    const response = await t.app.inject({
      method: 'POST', url: '/my', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ event: FORUM_2019, listed: toggle.hidden.listed!, session: toggle.hidden.listed! }).toString(),
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ message: 'Ajoutée à mon agenda.', bar: 'Mon agenda\u00a0: 1 session →', sessions: [toggle.hidden.listed] });
  });

  test('an anonymous page carries no agenda bar nor confirmation, and stays public', async () => {
    const sessionId = toggleOf(await new Browser(t.app).open(EVENT), 'Ouverture et bienvenue').hidden.listed!;
    for (const url of [EVENT, `${EVENT}?saved=${sessionId}`, `${EVENT}/sessions/${sessionId}`, `${EVENT}/sessions/${sessionId}?saved=${sessionId}`]) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toMatch(/^public/);
      expect(response.headers['set-cookie'], url).toBeUndefined();
      const $ = cheerio.load(response.body);
      expect($('.agenda-bar').length, url).toBe(0);
      expect($('.agenda-toggle__status').text(), url).toBe('');
      expect($('a[href^="/my/"]').length, url).toBe(0);
    }
  });

  test('a filter with a single value is not offered, unless the address selects it', async () => {
    const $ = cheerio.load((await t.app.inject(EVENT)).body);
    expect($('#filter-room').length).toBe(0);
    expect($('#filter-part option').length).toBeGreaterThan(2);
    expect($('details.filters-disclosure').attr('open')).toBeUndefined();
    const part = $('#filter-part option').eq(1).attr('value')!;
    const filtered = cheerio.load((await t.app.inject(`${EVENT}?part=${part}`)).body);
    expect(filtered('details.filters-disclosure').attr('open')).toBeDefined();
  });

  test('a session page links the sessions before and after it in the programme\'s time order, none at the ends', async () => {
    const programme = cheerio.load((await t.app.inject(EVENT)).body);
    const order = programme('.session__title a').toArray().map((e) => ({ url: programme(e).attr('href')!, title: programme(e).text() }));
    expect(order.length).toBeGreaterThan(3);
    for (const [i, session] of order.entries()) {
      const $ = cheerio.load((await t.app.inject(session.url)).body);
      const previous = $('.neighbours__previous');
      const next = $('.neighbours__next');
      expect(previous.attr('href') ?? null, session.title).toBe(order[i - 1]?.url ?? null);
      expect(next.attr('href') ?? null, session.title).toBe(order[i + 1]?.url ?? null);
      if (order[i + 1]) expect(next.text()).toBe(`Suivante\u00a0: → ${order[i + 1]!.title}`);
      if (order[i - 1]) expect(previous.text()).toBe(`← Précédente\u00a0: ${order[i - 1]!.title}`);
      // The session page has its toggle too.
      expect($('form.agenda-toggle input[name="return"]').val()).toBe(session.url);
    }
  });
});
