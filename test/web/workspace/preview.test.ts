// The organisers' side of releases, through the HTML pages as a browser uses them: the preview
// of the working copy (a cookie that counts only for an event's own organisers), and the
// release page with its form.
import * as cheerio from 'cheerio';
import type { Response } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Browser, formOf, texts } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { uidOf } from '../../helpers/ical.ts';
import { apiAs, eventPath, ok, type Api, type SessionOut, type Written } from '../../helpers/api.ts';

const PUBLIC = `/events/${FORUM_2019}`;
const ADMIN = `/admin/events/${FORUM_2019}`;
const RELEASE_PAGE = `${ADMIN}/releases`;
const PREVIEW_COOKIE = 'forum_preview';
const DRAFT = 'Atelier en préparation';

/** What a reader of the public programme page is shown: the draft or not, the banner or not, and how it may be cached. */
function reading(response: Response, draftId: string) {
  const $ = cheerio.load(response.body);
  return {
    status: response.statusCode,
    draft: $(`#session-${draftId}`).length === 1,
    banner: $('.preview-banner').length === 1,
    cacheControl: response.headers['cache-control'],
  };
}

// The released programme, but read with cookies of the reader's own: never shared by a cache.
const PUBLISHED = { status: 200, draft: false, banner: false, cacheControl: 'private, no-cache' };
const PREVIEW = { status: 200, draft: true, banner: true, cacheControl: 'private, no-store' };

describe('the preview of the working copy', () => {
  let t: TestApp;
  let olga: TestUser;
  let draft: SessionOut;
  let browser: Browser;

  beforeAll(async () => {
    t = await buildTestApp();
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    draft = ok<Written<SessionOut>>(await apiAs(t.app, olga.bearer).post(`${eventPath(FORUM_2019)}/sessions`, {
      title: { fr: DRAFT, en: 'Workshop in the making' }, start: '2019-11-12T18:00', end: '2019-11-12T18:30',
    }), 201).data;
    browser = await signIn(t.app, olga);
  });
  afterAll(async () => { await t.close(); });

  test('signed in but without the preview, the organiser reads the released programme like everyone', async () => {
    const response = await browser.get(PUBLIC);
    expect(reading(response, draft.id)).toEqual(PUBLISHED);
  });

  test('the release page\'s preview form (hidden fields: CSRF token and preview=on) turns it on: 303 to the public page, an HttpOnly cookie', async () => {
    const page = await browser.get(RELEASE_PAGE);
    const form = formOf(page.body, 'main .preview-form');
    expect(form.action).toBe(`${ADMIN}/preview`);
    expect(Object.keys(form.hidden)).toEqual(['_csrf', 'preview']);
    expect(form.hidden.preview).toBe('on');
    expect(texts(page.body, 'main .preview-form button')).toEqual(['Prévisualiser les pages publiques']);

    const response = await browser.post(form.action, form.hidden);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(PUBLIC);
    const cookie = response.cookies.find((c) => c.name === PREVIEW_COOKIE)!;
    expect(cookie).toMatchObject({ value: '1', path: '/', httpOnly: true, sameSite: 'Lax' });
    expect(browser.cookies.get(PREVIEW_COOKIE)).toBe('1');
  });

  test('the public page then shows the working copy, under a banner region labelled as the preview, and is never cached', async () => {
    const response = await browser.get(PUBLIC);
    expect(reading(response, draft.id)).toEqual(PREVIEW);
    expect(response.headers['x-robots-tag']).toBe('noindex');
    const $ = cheerio.load(response.body);
    const banner = $('.preview-banner');
    expect([banner.attr('role'), banner.attr('aria-label')]).toEqual(['region', 'Aperçu']);
    expect(texts(response.body, '.preview-banner strong')).toEqual(['Aperçu de la copie de travail.']);
    expect($(`#session-${draft.id} .session__title`).text().trim()).toBe(DRAFT);
    // On the draft's own page too, and in English (then back to French, which the browser remembers).
    const own = await browser.get(`${PUBLIC}/sessions/${draft.id}`);
    expect([own.statusCode, cheerio.load(own.body)('h1').text(), own.headers['cache-control']]).toEqual([200, DRAFT, 'private, no-store']);
    const english = await browser.get(`${PUBLIC}?lang=en`);
    expect(reading(english, draft.id)).toEqual(PREVIEW);
    expect(cheerio.load(english.body)('.preview-banner').attr('aria-label')).toBe('Preview');
    expect(reading(await browser.get(`${PUBLIC}?lang=fr`), draft.id)).toEqual(PREVIEW);
  });

  test('the feed, the read API and the changelog still show the released programme, even to the previewing organiser', async () => {
    const feed = await browser.get(`${PUBLIC}/calendar.ics`);
    expect(feed.statusCode).toBe(200);
    expect(feed.body).not.toContain(uidOf(draft.id, t.config.publicUrl));
    expect(feed.body).not.toContain(DRAFT);
    const programme = await browser.get(`/api/v1/events/${FORUM_2019}/programme`);
    expect(programme.statusCode).toBe(200);
    expect(programme.body).not.toContain(draft.id);
    expect((await browser.get(`${PUBLIC}/changes`)).body).not.toContain(DRAFT);
  });

  test('anyone else sending the cookie reads the released programme without a banner: anonymous, a rapporteur, an organiser of another event', async () => {
    const anonymous = new Browser(t.app);
    anonymous.cookies.set(PREVIEW_COOKIE, '1');
    expect(reading(await anonymous.get(PUBLIC), draft.id)).toEqual(PUBLISHED);
    expect((await anonymous.get(`${PUBLIC}/sessions/${draft.id}`)).statusCode).toBe(404);

    for (const user of [await addUser(t.app, 'organiser', SEMINAR_2015), await addUser(t.app, 'rapporteur')]) {
      const other = await signIn(t.app, user);
      other.cookies.set(PREVIEW_COOKIE, '1');
      const response = await other.get(PUBLIC);
      expect(reading(response, draft.id)).toEqual(PUBLISHED);
      expect((await other.get(`${PUBLIC}/sessions/${draft.id}`)).statusCode).toBe(404);
      // Nor may they turn it on for this event.
      const csrf = formOf((await other.get('/account/password')).body).hidden._csrf!;
      expect((await other.post(`${ADMIN}/preview`, { _csrf: csrf, preview: 'on' })).statusCode).toBe(403);
    }
  });

  test('the preview switch needs the form\'s CSRF token', async () => {
    const forged = new Browser(t.app);
    for (const [name, value] of browser.cookies) if (name !== PREVIEW_COOKIE) forged.cookies.set(name, value);
    const response = await forged.post(`${ADMIN}/preview`, { preview: 'on' });
    expect(response.statusCode).toBe(403);
    expect(response.cookies.map((c) => c.name)).not.toContain(PREVIEW_COOKIE);
  });

  test('the banner\'s form turns it off: 303 to the event\'s workspace, the cookie cleared, the released programme again', async () => {
    const page = await browser.get(PUBLIC);
    const form = formOf(page.body, '.preview-banner form');
    expect(form.action).toBe(`${ADMIN}/preview`);
    expect(form.hidden.preview).toBe('off');
    expect(texts(page.body, '.preview-banner button')).toEqual(["Quitter l'aperçu"]);
    const response = await browser.post(form.action, form.hidden);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(ADMIN);
    expect(browser.cookies.has(PREVIEW_COOKIE)).toBe(false);
    expect(reading(await browser.get(PUBLIC), draft.id)).toEqual(PUBLISHED);
  });

  test('signing out ends the preview: the cookie alone shows nothing', async () => {
    await browser.submit(RELEASE_PAGE, {}, { form: 'main .preview-form', keep: 'hidden' });
    expect(reading(await browser.get(PUBLIC), draft.id)).toEqual(PREVIEW);
    const signOut = formOf((await browser.get(PUBLIC)).body, '.account-bar form');
    expect((await browser.post(signOut.action, signOut.hidden)).statusCode).toBe(303);
    expect(reading(await browser.get(PUBLIC), draft.id)).toEqual(PUBLISHED);
  });
});

describe('the preview of an event never released', () => {
  const SLUG = 'atelier-prive-2026';
  let t: TestApp;
  let boss: TestUser;
  let sessionId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    boss = await addUser(t.app, 'organiser', undefined, 'Organiser of every event');
    const api: Api = apiAs(t.app, boss.bearer);
    ok(await api.post('/api/v1/events', {
      slug: SLUG, title: { fr: 'Atelier privé' }, timezone: 'Europe/Paris', defaultLanguage: 'fr', startDate: '2026-06-10', endDate: '2026-06-10',
    }), 201);
    sessionId = ok<Written<SessionOut>>(await api.post(`${eventPath(SLUG)}/sessions`, {
      title: { fr: 'Séance privée' }, start: '2026-06-10T09:00', end: '2026-06-10T10:00',
    }), 201).data.id;
  });
  afterAll(async () => { await t.close(); });

  test('its organiser previews it from its release page, under the banner', async () => {
    const browser = await signIn(t.app, boss);
    expect((await browser.get(`/events/${SLUG}`)).statusCode).toBe(404);
    const page = await browser.get(`/admin/events/${SLUG}/releases`);
    expect(texts(page.body, '.release-pending > p').slice(0, 1)).toEqual(["Ce programme n'a jamais été publié : toutes ses sessions seront nouvelles."]);
    const on = await browser.submit(`/admin/events/${SLUG}/releases`, {}, { form: 'main .preview-form', keep: 'hidden' });
    expect([on.statusCode, on.headers.location]).toEqual([303, `/events/${SLUG}`]);
    expect(reading(await browser.get(`/events/${SLUG}`), sessionId)).toEqual(PREVIEW);
    expect((await browser.get(`/events/${SLUG}/sessions/${sessionId}`)).statusCode).toBe(200);
    // Previewing shows pages, not feeds nor the API.
    expect((await browser.get(`/events/${SLUG}/calendar.ics`)).statusCode).toBe(404);
    expect((await browser.get(`/api/v1/events/${SLUG}/programme`)).statusCode).toBe(404);
  });

  test('is 404 for anyone else, with the cookie or not', async () => {
    const anonymous = new Browser(t.app);
    anonymous.cookies.set(PREVIEW_COOKIE, '1');
    const page = await anonymous.get(`/events/${SLUG}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('Séance privée');
    for (const user of [await addUser(t.app, 'organiser', FORUM_2019), await addUser(t.app, 'rapporteur')]) {
      const browser = await signIn(t.app, user);
      browser.cookies.set(PREVIEW_COOKIE, '1');
      const response = await browser.get(`/events/${SLUG}`);
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('Séance privée');
      expect(response.body).not.toContain('Atelier privé');
    }
  });
});

describe('the organisers\' release page and its form', () => {
  let t: TestApp;
  let olga: TestUser;
  let browser: Browser;
  let draft: SessionOut;
  const FORM = 'main .release-form form';

  beforeAll(async () => {
    t = await buildTestApp();
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    draft = ok<Written<SessionOut>>(await apiAs(t.app, olga.bearer).post(`${eventPath(FORUM_2019)}/sessions`, {
      title: { fr: DRAFT }, start: '2019-11-12T18:00', end: '2019-11-12T18:30',
    }), 201).data;
    browser = await signIn(t.app, olga);
  });
  afterAll(async () => { await t.close(); });

  test('anonymous, it sends to sign in (303); a rapporteur and an organiser of another event get 403', async () => {
    const anonymous = await t.app.inject(RELEASE_PAGE);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(RELEASE_PAGE)}`);
    for (const user of [await addUser(t.app, 'rapporteur'), await addUser(t.app, 'organiser', SEMINAR_2015)]) {
      const other = await signIn(t.app, user);
      const response = await other.get(RELEASE_PAGE);
      expect(response.statusCode).toBe(403);
      expect(response.body).not.toContain(DRAFT);
    }
  });

  test('lists what the next release would change (the new session), and is not cached', async () => {
    const response = await browser.get(RELEASE_PAGE);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(texts(response.body, 'h1')).toEqual(['Publier le programme']);
    expect(texts(response.body, '.release-pending > p').slice(0, 2)).toEqual(['Depuis la version 1 :', 'Nouvelles : 1']);
    expect(texts(response.body, '.release-pending .changes__group h3')).toEqual(['Nouvelles sessions']);
    expect(texts(response.body, '.release-pending .change--new a')).toEqual([DRAFT]);
    expect(texts(response.body, '.release-pending .change--new .change__when')).toEqual(['mardi 12 novembre 2019, 18:00–18:30']);
    expect(texts(response.body, '.release-history li')).toEqual([expect.stringMatching(/^Version 1 · /)]);
    const $ = cheerio.load(response.body);
    expect([$('#field-name').attr('value'), $('#field-name').attr('placeholder')]).toEqual(['2', undefined]);
    expect($(`${FORM} button[type="submit"]`).attr('disabled')).toBeUndefined();
  });

  test('every input and textarea a person fills in has a label', async () => {
    const $ = cheerio.load((await browser.get(RELEASE_PAGE)).body);
    const fields = $('main input:not([type="hidden"]), main textarea, main select').toArray().map((el) => {
      const id = $(el).attr('id');
      const label = id ? $(`label[for="${id}"]`) : $(el).closest('label');
      return [$(el).attr('name'), label.text().trim()];
    });
    expect(fields).toEqual([['name', 'Nom de la version'], ['note.fr', 'Français'], ['note.en', 'English'], ['note.es', 'Español']]);
  });

  test('an empty name is refused 422 next to the field, keeping the note typed, and nothing is released', async () => {
    const response = await browser.submit(RELEASE_PAGE, { name: '   ', 'note.fr': 'Ma note' }, { form: FORM, keep: 'hidden' });
    expect(response.statusCode).toBe(422);
    const $ = cheerio.load(response.body);
    expect($('#field-name-error').text()).toBe('Donnez un nom à la version.');
    expect($('#field-name').attr('aria-invalid')).toBe('true');
    expect($('#field-name').attr('aria-describedby')).toBe('field-name-hint field-name-error');
    expect(texts(response.body, 'main .form-error li a')).toEqual(['Donnez un nom à la version.']);
    expect($('main .form-error li a').attr('href')).toBe('#field-name');
    expect($('textarea[name="note.fr"]').text()).toBe('Ma note');
    expect((await t.app.inject(`/api/v1/events/${FORUM_2019}/releases`)).json().releases.map((r: { name: string }) => r.name)).toEqual(['1']);
  });

  test('an over-long name or note is refused 422 at its field', async () => {
    const long = await browser.submit(RELEASE_PAGE, { name: 'x'.repeat(61) }, { form: FORM, keep: 'hidden' });
    expect(long.statusCode).toBe(422);
    expect(cheerio.load(long.body)('#field-name-error').text()).toBe('Le nom doit tenir sur une ligne de 60 caractères au plus.');
    const note = await browser.submit(RELEASE_PAGE, { name: '2', 'note.en': 'y'.repeat(2001) }, { form: FORM, keep: 'hidden' });
    expect(note.statusCode).toBe(422);
    const $ = cheerio.load(note.body);
    expect($('[id="field-note.en-error"]').text()).toBe('La note ne peut dépasser 2000 caractères.');
    expect($('[id="field-note.en"]').attr('aria-invalid')).toBe('true');
    expect($('#field-name').attr('value')).toBe('2');
    expect((await t.app.inject(`/api/v1/events/${FORUM_2019}/releases`)).json().releases.map((r: { name: string }) => r.name)).toEqual(['1']);
  });

  test('a note without French, the event\'s default language, is refused 422 at the French note, keeping what was typed', async () => {
    const response = await browser.submit(RELEASE_PAGE, { name: '2', 'note.en': 'One more workshop' }, { form: FORM, keep: 'hidden' });
    expect(response.statusCode).toBe(422);
    const $ = cheerio.load(response.body);
    expect($('[id="field-note.fr-error"]').text()).toBe("Écrivez aussi la note dans la langue par défaut de l'événement (Français).");
    expect($('[id="field-note.fr"]').attr('aria-invalid')).toBe('true');
    expect($('textarea[name="note.en"]').text()).toBe('One more workshop');
    expect((await t.app.inject(`/api/v1/events/${FORUM_2019}/releases`)).json().releases.map((r: { name: string }) => r.name)).toEqual(['1']);
  });

  test('anonymous, an unknown event\'s release page sends to sign in too: the address tells nothing', async () => {
    const unknown = '/admin/events/no-such-event/releases';
    const response = await t.app.inject(unknown);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(unknown)}`);
  });

  test('the form needs its CSRF token', async () => {
    const response = await browser.post(RELEASE_PAGE, { name: '2' });
    expect(response.statusCode).toBe(403);
    expect((await t.app.inject(`/api/v1/events/${FORUM_2019}/releases`)).json().releases.map((r: { name: string }) => r.name)).toEqual(['1']);
  });

  test('sending the form with a name releases: 303 to ?saved=1, which confirms, and the session is public', async () => {
    const response = await browser.submit(RELEASE_PAGE, { name: '2', 'note.fr': 'Un atelier de plus' }, { form: FORM, keep: 'hidden' });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(303);
    expect(response.headers.location).toBe(`${RELEASE_PAGE}?saved=1`);
    const page = await browser.get(response.headers.location as string);
    expect(texts(page.body, 'main .notice[role="status"]')).toEqual([
      'Version publiée : les participants la voient maintenant. Voir la page publique des modifications',
      "Rien n'a changé depuis la dernière version : il n'y a rien à publier.",
    ]);
    expect(cheerio.load(page.body)(`${FORM} button[type="submit"]`).attr('disabled')).toBe('disabled');
    expect(texts(page.body, '.release-history li').map((li) => li.split(' · ')[0])).toEqual(['Version 2', 'Version 1']);
    expect(texts(page.body, '.release-history li')[0]).toMatch(/^Version 2 · .* · Olga Organiser · Nouvelles : 1$/);

    const releases = (await t.app.inject(`/api/v1/events/${FORUM_2019}/releases`)).json().releases;
    expect(releases.map((r: { name: string; note: unknown }) => [r.name, r.note])).toEqual([['2', { fr: 'Un atelier de plus' }], ['1', null]]);
    expect(cheerio.load((await t.app.inject(PUBLIC)).body)(`#session-${draft.id}`).length).toBe(1);
  });

  test('a name already used re-renders the form with 409, the message next to the field, and the note typed kept', async () => {
    ok(await apiAs(t.app, olga.bearer).patch(`${eventPath(FORUM_2019)}/sessions/${draft.id}`, { kind: 'panel' }, draft.version));
    const response = await browser.submit(RELEASE_PAGE, { name: '2', 'note.fr': 'Format changé', 'note.es': 'Formato cambiado' }, { form: FORM, keep: 'hidden' });
    expect(response.statusCode).toBe(409);
    const $ = cheerio.load(response.body);
    const message = 'Une version s\'appelle déjà « 2 » : choisissez un autre nom.';
    expect($('#field-name-error').text()).toBe(message);
    expect(texts(response.body, 'main p.form-error[role="alert"]')).toEqual([message]);
    expect($('#field-name').attr('aria-invalid')).toBe('true');
    expect($('#field-name').attr('value')).toBe('2');
    expect($('textarea[name="note.fr"]').text()).toBe('Format changé');
    expect($('textarea[name="note.es"]').text()).toBe('Formato cambiado');
    expect($('textarea[name="note.en"]').text()).toBe('');
    // The pending change is still listed, and nothing was released.
    expect(texts(response.body, '.release-pending .change--changed a')).toEqual([DRAFT]);
    expect((await t.app.inject(`/api/v1/events/${FORUM_2019}/releases`)).json().releases.map((r: { name: string }) => r.name)).toEqual(['2', '1']);
  });
});
