import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';

describe('live programme and venue screen', () => {
  let clock = new Date('2019-11-12T09:10:00Z'); // 11:10 in Durban, during the Sendai session
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp({ now: () => clock }); });
  afterAll(async () => { await t.close(); });

  test('during the event, the current and the next sessions are highlighted on the programme', async () => {
    clock = new Date('2019-11-12T09:10:00Z');
    const $ = cheerio.load((await t.app.inject(`/events/${FORUM_2019}`)).body);
    expect($('.session--current .session__title').text()).toBe("Apprendre d'un exemple : localiser le cadre de Sendai");
    expect($('.session--next .session__title').text()).toBe('Evolution des modules et méthodologies');
    expect($('.live-note').length).toBe(1);
  });

  test('outside the event nothing is highlighted', async () => {
    clock = new Date('2026-11-24T09:10:00Z');
    const $ = cheerio.load((await t.app.inject(`/events/${FORUM_2019}`)).body);
    expect($('.session--current, .session--next, .live-note').length).toBe(0);
  });

  test('the venue screen shows, per room, the current and the next session, without reloading itself', async () => {
    clock = new Date('2019-11-12T13:30:00Z'); // 15:30 local
    const response = await t.app.inject(`/events/${FORUM_2019}/now?lang=en`);
    expect(response.statusCode).toBe(200);
    // ?lang=en sets the language cookie, so this answer is private; without a cookie it is only no-cache.
    expect(response.headers['cache-control']).toBe('private, no-cache');
    expect((await t.app.inject({ url: `/events/${FORUM_2019}/now`, headers: { 'accept-language': 'en' } })).headers['cache-control']).toBe('no-cache');
    const $ = cheerio.load(response.body);
    // A meta refresh moves the page under its reader (axe-core's meta-refresh): the screen's script refreshes it instead.
    expect($('meta[http-equiv="refresh"]').length).toBe(0);
    expect($('#kiosk').attr('data-refresh-seconds')).toBe('60');
    expect($('.now-room').toArray().map((room) => [
      $(room).find('h2').text(),
      $(room).find('.now-room__current .now-room__title').text(),
      $(room).find('.now-room__next .now-room__time').text(),
      $(room).find('.now-room__next .now-room__title').text(),
    ])).toEqual([[
      'Plenary room',
      'Key components to nurture the learning programme',
      '16:00–17:00',
      'Dialogue between mechanisms: how can transferability be ensured?',
    ]]);
    expect($('.now-screen__clock time').text()).toBe('15:30');
  });

  test('before and after the event the venue screen says so', async () => {
    clock = new Date('2019-11-12T05:00:00Z');
    expect(cheerio.load((await t.app.inject(`/events/${FORUM_2019}/now`)).body)('.now-screen__message').text()).toBe("L'événement commence le mardi 12 novembre 2019 à 08:30.");
    clock = new Date('2019-11-12T17:00:00Z');
    expect(cheerio.load((await t.app.inject(`/events/${FORUM_2019}/now`)).body)('.now-screen__message').text()).toBe('L\'événement est terminé. Merci de votre participation\u00a0!');
  });
});
