// The public page of an event never released is a 404 that says so ("Ce programme n'est pas
// encore publié."), without its title or anything else of it; its organisers get the preview
// from there. An address that is no event stays the plain 404.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEvent } from '../../../server/domains/programme/events.ts';
import { $, texts } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';

const SLUG = 'forum-secret-2027';
const TITLE = 'Forum du jardin secret';

describe('the public page of an event never released', () => {
  let t: TestApp;
  let organiser: TestUser;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    createEvent(t.app.db, { id: organiser.id, name: 'Aminata Diallo' }, {
      slug: SLUG, title: { fr: TITLE }, timezone: 'Africa/Johannesburg', defaultLanguage: 'fr', languages: ['fr', 'en'],
      startDate: '2027-03-02', endDate: '2027-03-03',
    }, new Date('2026-12-01T10:00:00Z'));
  });
  afterAll(async () => { await t.close(); });

  test('anonymous: a 404 saying it is not published yet, naming nothing of the event, kept by no cache', async () => {
    const response = await t.app.inject({ url: `/events/${SLUG}`, headers: { 'accept-language': 'fr' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(texts(response.body, 'main h1')).toEqual(['Programme pas encore publié']);
    expect(texts(response.body, 'main .error-page > p:first-of-type')).toEqual([
      "Ce programme n'est pas encore publié. Revenez plus tard, ou repartez de la liste des événements.",
    ]);
    expect(response.body).not.toContain(TITLE);
    expect($(response.body)('main form').length).toBe(0);
    const english = await t.app.inject({ url: `/events/${SLUG}?lang=en` });
    expect(texts(english.body, 'main h1')).toEqual(['Programme not published yet']);

    const unknown = await t.app.inject({ url: '/events/no-such-event', headers: { 'accept-language': 'fr' } });
    expect(unknown.statusCode).toBe(404);
    expect(texts(unknown.body, 'main h1')).toEqual(['Page introuvable']);
  });

  test('its organiser is offered the preview, which shows the working copy', async () => {
    const browser = await signIn(t.app, organiser);
    const page = await browser.get(`/events/${SLUG}`);
    expect(page.statusCode).toBe(404);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(texts(page.body, 'main form button')).toEqual(['Aperçu']);
    const on = await browser.send(page.body, {});
    expect(on.statusCode).toBe(303);
    expect(on.headers.location).toBe(`/events/${SLUG}`);
    const preview = await browser.get(`/events/${SLUG}`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain(TITLE);
  });

  test("the workspace's navigation says the public page is not released yet instead of linking to it, and links it once released", async () => {
    const browser = await signIn(t.app, organiser);
    const tools = async () => {
      const page = $((await browser.get(`/admin/events/${SLUG}/settings`)).body);
      return { links: page('.admin-nav__tools a').map((_, a) => page(a).attr('href')).get(), said: page('.admin-nav__unreleased').text() };
    };
    expect(await tools()).toEqual({ links: [], said: 'Page publique\u00a0: pas encore publiée' });
    const released = await browser.get(`/admin/events/${FORUM_2019}/settings`);
    expect($(released.body)('.admin-nav__tools a').attr('href')).toBe(`/events/${FORUM_2019}`);
  });
});
