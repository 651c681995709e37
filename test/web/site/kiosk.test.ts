// The venue screen (/events/:slug/now) as a kiosk: no site chrome, and no meta refresh (a script
// refreshes it); per room the session on now and the next one, with their times, speakers and
// room; a clock in the event's zone; before and after the event one sentence and no room card.
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { apiAs, eventPath, ok, type Written } from '../../helpers/api.ts';
import { addUser } from '../../helpers/auth.ts';
import { release } from '../../helpers/releases.ts';
import type { Language } from '../../../server/db/schema.ts';
import { readProgramme } from '../../../server/domains/releases/reader.ts';

const NOW = `/events/${FORUM_2019}/now`;
/** 11:10 in Durban (UTC+2): the Sendai session is on, in the plenary room. */
const DURING = new Date('2019-11-12T09:10:00Z');

/** Text with its whitespace collapsed. */
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('the venue screen as a kiosk', () => {
  let clock = DURING;
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp({ now: () => clock }); });
  afterAll(async () => { await t.close(); });

  async function screen(url: string) {
    const response = await t.app.inject(url);
    expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200);
    return cheerio.load(response.body);
  }

  /** The released session of the forum on at this instant, and the one after it, from the programme itself. */
  function onAt(at: Date, lang: Language) {
    const sessions = readProgramme(t.app.db, { slug: FORUM_2019 }, 'released').sessions.filter((s) => s.slot && s.row.status !== 'cancelled');
    const current = sessions.find((s) => s.slot!.startsAt <= at && at < s.slot!.endsAt)!;
    const next = sessions.find((s) => s.slot!.startsAt > at)!;
    const orgs = current.contributors.map((c) => c.organisation!.name[lang]!);
    return { current: current.row.title[lang]!, next: next.row.title[lang]!, room: current.room!.name[lang]!, speakers: orgs };
  }

  test('no site header, footer or skip link, the kiosk body, its stylesheet and script, and no meta refresh', async () => {
    clock = DURING;
    const response = await t.app.inject(NOW);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
    // The strict CSP stays as it is: no inline script nor style is needed.
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    const $ = cheerio.load(response.body);
    expect($('meta[http-equiv="refresh"]').length).toBe(0);
    expect($('body').attr('class')).toBe('kiosk');
    expect($('.site-header, .site-footer, .skip-link, .language-switch, .event-nav').length).toBe(0);
    expect($('link[rel="stylesheet"][href="/assets/kiosk.css"]').length).toBe(1);
    expect($('script[src="/assets/kiosk.js"]').length).toBe(1);
    expect($('script:not([src])').toArray().filter((s) => $(s).attr('type') !== 'application/ld+json')).toHaveLength(0);
    expect($('[style]').length).toBe(0);
    // The assets are served.
    for (const asset of ['/assets/kiosk.css', '/assets/kiosk.js']) expect((await t.app.inject(asset)).statusCode, asset).toBe(200);
  });

  test('during the forum: the current session of the room with its times and speakers, the next one, and the clock in the event zone', async () => {
    clock = DURING;
    const expected = onAt(DURING, 'fr');
    expect(expected.current).toBe("Apprendre d'un exemple : localiser le cadre de Sendai");
    const $ = await screen(NOW);
    expect($('html').attr('lang')).toBe('fr');
    const rooms = $('.now-room');
    expect(rooms.length).toBe(1);
    const room = rooms.first();
    expect(room.find('.now-room__name').text()).toBe(expected.room);
    expect(room.find('.now-room__current .now-room__time').text()).toBe('11:00–11:40');
    expect(room.find('.now-room__current .now-room__title').text()).toBe(expected.current);
    expect(room.find('.now-room__current .now-room__speaker').toArray().map((s) => $(s).text())).toEqual(expected.speakers);
    expect(expected.speakers).toEqual(['CGLU ASPAC', 'UNGL', 'San José', 'CGLU', 'ONU-Habitat']);
    expect(squash(room.find('.now-room__current .now-room__speakers').text())).toBe('Intervenants : CGLU ASPAC, UNGL, San José, CGLU, ONU-Habitat');
    expect(room.find('.now-room__next .now-room__time').text()).toBe('11:40–13:00');
    expect(room.find('.now-room__next .now-room__title').text()).toBe(expected.next);
    expect(expected.next).toBe('Evolution des modules et méthodologies');
    // 09:10 UTC is 11:10 in Durban, and the zone is named.
    expect($('.now-screen__time').text()).toBe('11:10');
    expect($('.now-screen__date').text()).toBe('mardi 12 novembre 2019');
    expect($('.now-screen__zone').text()).toBe('Heure locale de Durban (Africa/Johannesburg)');
    expect($('#kiosk').attr('data-zone')).toBe('Africa/Johannesburg');
    expect($('#kiosk').attr('data-now')).toBe('2019-11-12T09:10:00.000Z');
    expect($('#kiosk').attr('data-refresh-seconds')).toBe('60');
    // The way to refresh without the script: a link to the same screen, no meta refresh.
    expect($('a.now-screen__reload').attr('href')).toBe(NOW);
    expect($('a.now-screen__reload').text()).toBe('Actualiser');
    expect($('#kiosk-updated').text()).toBe('Mis à jour à 11:10');
  });

  test('the clock is local to the event: 07:30 UTC is 09:30 in Durban, with the session then on', async () => {
    clock = new Date('2019-11-12T07:30:00Z');
    const $ = await screen(NOW);
    expect($('.now-screen__time').text()).toBe('09:30');
    expect($('.now-room__current .now-room__title').text()).toBe(onAt(clock, 'fr').current);
    expect($('.now-room__current .now-room__time').text()).toBe('09:20–09:55');
  });

  test('in English and Spanish, with <html lang>, the labels, the room and the titles in that language', async () => {
    clock = DURING;
    for (const [lang, labels, zone] of [
      ['en', ['Now', 'Next'], 'Local time in Durban (Africa/Johannesburg)'],
      ['es', ['Ahora', 'Después'], 'Hora local de Durban (Africa/Johannesburg)'],
    ] as const) {
      const expected = onAt(DURING, lang);
      const $ = await screen(`${NOW}?lang=${lang}`);
      expect($('html').attr('lang')).toBe(lang);
      expect($('.now-room__label').toArray().map((h) => $(h).text())).toEqual(labels);
      expect($('.now-room__name').text()).toBe(expected.room);
      expect($('.now-room__current .now-room__title').text()).toBe(expected.current);
      expect($('.now-room__current .now-room__speaker').toArray().map((s) => $(s).text())).toEqual(expected.speakers);
      expect($('.now-room__next .now-room__title').text()).toBe(expected.next);
      expect($('.now-screen__zone').text()).toBe(zone);
      expect($('a.now-screen__reload').attr('href')).toBe(`${NOW}?lang=${lang}`);
    }
  });

  test('before the forum: when it starts (date and local time of its first session), and no room card', async () => {
    clock = new Date('2019-11-10T15:00:00Z');
    for (const [lang, sentence] of [
      ['fr', "L'événement commence le mardi 12 novembre 2019 à 08:30."],
      ['en', 'The event starts on Tuesday, 12 November 2019 at 08:30.'],
      ['es', 'El evento comienza el martes, 12 de noviembre de 2019 a las 08:30.'],
    ] as const) {
      const $ = await screen(`${NOW}?lang=${lang}`);
      expect($('.now-screen__message').text(), lang).toBe(sentence);
      expect($('.now-room, .now-rooms').length, lang).toBe(0);
      expect($('.now-screen__time').text()).toBe('17:00');
    }
  });

  test('after the forum: that it ended, where its report is, and no room card', async () => {
    clock = new Date('2019-11-12T16:00:00Z'); // 18:00, the end of the last session
    for (const [lang, sentence, report] of [
      ['fr', "L'événement est terminé. Merci de votre participation\u00a0!", 'Ses conclusions sont réunies dans le rapport consolidé.'],
      ['en', 'The event is over. Thank you for taking part!', 'Its conclusions are gathered in the consolidated report.'],
      ['es', 'El evento ha terminado. ¡Gracias por su participación!', 'Sus conclusiones se recogen en el informe consolidado.'],
    ] as const) {
      const $ = await screen(`${NOW}?lang=${lang}`);
      expect($('.now-screen__message').text(), lang).toBe(sentence);
      expect($('.now-screen__more a').text(), lang).toBe(report);
      expect($('.now-screen__more a').attr('href')).toBe(`/events/${FORUM_2019}/report`);
      expect($('.now-room, .now-rooms').length, lang).toBe(0);
    }
    expect((await t.app.inject(`/events/${FORUM_2019}/report`)).statusCode).toBe(200);
  });

  test('overnight between two days of the seminar: the room says nothing is on, and its next session gives its day', async () => {
    clock = new Date('2015-09-29T20:00:00Z'); // 22:00 in Barcelona
    const $ = await screen(`/events/${SEMINAR_2015}/now?lang=en`);
    expect($('.now-room').length).toBe(1);
    expect($('.now-room__name').text()).toBe('No room');
    expect($('.now-room__current .now-room__none').text()).toBe('No session right now.');
    expect($('.now-room__next .now-room__time').text()).toBe('Wednesday, 30 September 2015, 09:30–11:15');
    expect($('.now-room__next .now-room__title').text()).toBe("Partners' roles and links to policy-making");
    expect($('.now-screen__time').text()).toBe('22:00');
    expect($('.now-screen__zone').text()).toBe('Local time in Barcelona (Europe/Madrid)');
  });

  test('?refresh= sets how often the script fetches the screen again, within 5 and 600 seconds; the reload link keeps it', async () => {
    clock = DURING;
    const $ = await screen(`${NOW}?refresh=5`);
    expect($('#kiosk').attr('data-refresh-seconds')).toBe('5');
    expect($('a.now-screen__reload').attr('href')).toBe(`${NOW}?refresh=5`);
    expect((await screen(`${NOW}?refresh=600`))('#kiosk').attr('data-refresh-seconds')).toBe('600');
    for (const bad of ['4', '601', 'soon', '7.5']) {
      expect((await t.app.inject(`${NOW}?refresh=${bad}`)).statusCode, bad).toBe(400);
    }
  });
});

describe('the venue screen leaves out the rooms with nothing now and nothing next', () => {
  let clock = DURING;
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    const api = apiAs(t.app, (await addUser(t.app, 'organiser', FORUM_2019)).bearer);
    const rooms = `${eventPath(FORUM_2019)}/rooms`;
    ok<Written<{ id: string }>>(await api.post(rooms, { name: { fr: 'Salle vide', en: 'Empty room' } }), 201);
    const early = ok<Written<{ id: string }>>(await api.post(rooms, { name: { fr: 'Salle du matin', en: 'Morning room' } }), 201).data.id;
    const later = ok<Written<{ id: string }>>(await api.post(rooms, { name: { fr: 'Salle du soir', en: 'Evening room' } }), 201).data.id;
    ok(await api.post(`${eventPath(FORUM_2019)}/sessions`, { title: { fr: 'Café du matin' }, start: '2019-11-12T09:00', end: '2019-11-12T10:00', room: early }), 201);
    ok(await api.post(`${eventPath(FORUM_2019)}/sessions`, { title: { fr: 'Apéritif' }, start: '2019-11-12T17:00', end: '2019-11-12T18:30', room: later }), 201);
    release(t.app, FORUM_2019);
  });
  afterAll(async () => { await t.close(); });

  test('at 11:10 an empty room and a room whose sessions are over have no card; a room with a session to come has one', async () => {
    clock = DURING;
    const $ = cheerio.load((await t.app.inject(NOW)).body);
    expect($('.now-room').toArray().map((room) => [
      $(room).find('.now-room__name').text(),
      squash($(room).find('.now-room__current').text()),
      squash($(room).find('.now-room__next').text()),
    ])).toEqual([
      ['Salle plénière', `Maintenant 11:00–11:40 Apprendre d'un exemple : localiser le cadre de Sendai Intervenants : CGLU ASPAC, UNGL, San José, CGLU, ONU-Habitat`, 'Ensuite 11:40–13:00 Evolution des modules et méthodologies'],
      ['Salle du soir', 'Maintenant Aucune session en ce moment.', 'Ensuite 17:00–18:30 Apéritif'],
    ]);
    // Every card is labelled by its room's heading.
    for (const room of $('.now-room').toArray()) expect($(`#${$(room).attr('aria-labelledby')}`).text()).toBe($(room).find('h2').text());
  });

  test('once the last session of a room is over, it has nothing next: "Plus rien ensuite."', async () => {
    clock = new Date('2019-11-12T15:30:00Z'); // 17:30: the last plenary session is on, and so is the evening one
    const $ = cheerio.load((await t.app.inject(NOW)).body);
    expect($('.now-room .now-room__name').toArray().map((h) => $(h).text())).toEqual(['Salle plénière', 'Salle du soir']);
    expect($('.now-room').first().find('.now-room__current .now-room__title').text()).toBe('La voie à suivre ?');
    expect($('.now-room').first().find('.now-room__next .now-room__none').text()).toBe('Plus rien ensuite.');
    expect($('.now-room').last().find('.now-room__current .now-room__title').text()).toBe('Apéritif');
  });
});
