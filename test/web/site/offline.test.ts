// The offline app's server side: the manifest of an event, the service worker's script and the
// Workbox files it imports (and nothing else), the list of pages it keeps, the pages' head,
// the marking of signed-in answers the worker must not keep, and sign-out clearing what was kept.
import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn } from '../../helpers/auth.ts';
import { formOf } from '../../helpers/browser.ts';
import { readProgramme } from '../../../server/domains/releases/reader.ts';
import { shortName } from '../../../server/web/site/offline.ts';

describe('the offline app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test('an event has a manifest in the reader\'s language: name, start, scope, standalone, icons, theme', async () => {
    const fr = await t.app.inject(`/events/${FORUM_2019}/manifest.webmanifest`);
    expect(fr.statusCode).toBe(200);
    expect(fr.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
    const manifest = fr.json();
    const title = readProgramme(t.app.db, { slug: FORUM_2019 }, 'released').event.title as Record<string, string>;
    expect(manifest).toEqual({
      id: `/events/${FORUM_2019}`,
      name: `${title.fr} — le programme`,
      short_name: shortName(title.fr!),
      description: `Le programme de ${title.fr}, lisible même sans réseau.`,
      lang: 'fr',
      dir: 'ltr',
      start_url: `/events/${FORUM_2019}?lang=fr`,
      scope: '/',
      display: 'standalone',
      theme_color: '#0b5cad',
      background_color: '#ffffff',
      icons: [
        { src: '/assets/offline-icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        { src: '/offline/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
        { src: '/offline/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      ],
    });
    const en = (await t.app.inject(`/events/${FORUM_2019}/manifest.webmanifest?lang=en`)).json();
    expect(en.name).toBe(`${title.en ?? title.fr} — programme`);
    expect(en.start_url).toBe(`/events/${FORUM_2019}?lang=en`);
    expect(en.lang).toBe('en');
    for (const icon of manifest.icons as { src: string; type: string }[]) {
      const file = await t.app.inject(icon.src);
      expect(file.statusCode, icon.src).toBe(200);
      expect(file.headers['content-type'], icon.src).toContain(icon.type);
    }
    const png = await t.app.inject('/offline/icon-192.png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
  });

  test('a short name fits under a home-screen icon', () => {
    expect(shortName('Forum')).toBe('Forum');
    expect(shortName('UCLG Learning Forum 2019')).toBe('UCLG');
    expect(shortName('Internationalisation')).toBe('Internationa');
  });

  test('the worker is served from the root, asked again at each visit, and imports Workbox from this site only', async () => {
    const response = await t.app.inject('/sw.js');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain("importScripts('/offline/workbox/workbox-sw.js')");
    expect(response.body).toContain("modulePathPrefix: '/offline/workbox/'");
    expect(response.body).not.toMatch(/https?:\/\//);
  });

  test('the Workbox files are an allow-list: each module the worker uses, and nothing else', async () => {
    for (const name of ['workbox-sw.js', 'workbox-core.prod.js', 'workbox-routing.prod.js', 'workbox-strategies.prod.js', 'workbox-cacheable-response.prod.js']) {
      const response = await t.app.inject(`/offline/workbox/${name}`);
      expect(response.statusCode, name).toBe(200);
      expect(response.headers['content-type'], name).toBe('text/javascript; charset=utf-8');
      const pkg = name === 'workbox-sw.js' ? 'workbox-sw' : name.replace('.prod.js', '');
      expect(response.body, name).toBe(fs.readFileSync(path.join('node_modules', pkg, 'build', name), 'utf8'));
    }
    const refused = [
      'workbox-core.dev.js', 'workbox-window.prod.umd.js', 'package.json', '..%2Fpackage.json', '..%2F..%2Fpackage.json',
      '%2E%2E%2Fworkbox-sw%2Fpackage.json', 'workbox-sw.js%00', `${'a'.repeat(61)}.js`,
    ];
    for (const name of refused) {
      const response = await t.app.inject(`/offline/workbox/${name}`);
      expect(response.statusCode >= 400 && response.statusCode < 500, `${name}: ${response.statusCode}`).toBe(true);
      expect(response.body, name).not.toContain('"version"');
    }
    for (const url of ['/offline/workbox/../../package.json', '/offline/workbox/../sw.js/../../package.json']) {
      const response = await t.app.inject(url);
      expect(response.body, url).not.toContain('"version"');
    }
  });

  test('the list of pages kept: the programme, its parts, every session, the speakers, the outputs, with the revision', async () => {
    const programme = readProgramme(t.app.db, { slug: FORUM_2019 }, 'released');
    const response = await t.app.inject(`/events/${FORUM_2019}/offline.json?lang=en`);
    expect(response.statusCode).toBe(200);
    const list = response.json();
    const base = `/events/${FORUM_2019}`;
    expect(list.event).toBe(FORUM_2019);
    expect(list.lang).toBe('en');
    expect(list.revision).toMatch(/^\d+\/\S*$/);
    expect(list.urls[0]).toBe(base);
    expect(list.urls).toEqual(expect.arrayContaining([
      ...programme.sessions.map((s) => `${base}/sessions/${s.publicId}`),
      ...programme.parts.map((p) => `${base}/parts/${p.publicId}`),
      ...programme.people.map((p) => `${base}/speakers/${p.publicId}`),
      `${base}/speakers`,
      `${base}/outputs`,
    ]));
    expect(new Set(list.urls).size).toBe(list.urls.length);
    // Every address kept is a page that opens.
    for (const url of list.urls.slice(0, 12) as string[]) expect((await t.app.inject(url)).statusCode, url).toBe(200);
    expect((await t.app.inject(`/events/${FORUM_2019}/offline.json`)).json().lang).toBe('fr');
  });

  test('the list and the manifest: 404 for an unknown event or an impossible address, 400 for a bad language', async () => {
    for (const file of ['offline.json', 'manifest.webmanifest']) {
      expect((await t.app.inject(`/events/no-such-event/${file}`)).statusCode, file).toBe(404);
      expect((await t.app.inject(`/events/${FORUM_2019}/${file}?lang=de`)).statusCode, file).toBe(400);
      // An address no event can have is not found either.
      expect((await t.app.inject(`/events/BAD%20SLUG/${file}`)).statusCode, file).toBe(404);
    }
  });

  test('an event\'s public pages link the manifest and the script, in the page\'s language; the home page and the workspace do not', async () => {
    const page = cheerio.load((await t.app.inject(`/events/${SEMINAR_2015}?lang=es`)).body);
    expect(page('link[rel="manifest"]').attr('href')).toBe(`/events/${SEMINAR_2015}/manifest.webmanifest?lang=es`);
    expect(page('meta[name="theme-color"]').attr('content')).toBe('#0b5cad');
    const script = page('script[src="/assets/offline.js"]');
    expect(script.attr('data-list')).toBe(`/events/${SEMINAR_2015}/offline.json?lang=es`);
    expect(script.attr('data-kept')).toBe('Sin conexión: versión guardada el {date}.');
    const fr = cheerio.load((await t.app.inject(`/events/${FORUM_2019}/speakers`)).body);
    expect(fr('script[src="/assets/offline.js"]').attr('data-kept')).toBe('Hors ligne\u00a0: version enregistrée le {date}.');
    expect(cheerio.load((await t.app.inject('/')).body)('link[rel="manifest"]')).toHaveLength(0);

    const organiser = await addUser(t.app, 'organiser', FORUM_2019);
    const browser = await signIn(t.app, organiser);
    const admin = await browser.get(`/admin/events/${FORUM_2019}`);
    expect(admin.statusCode).toBe(200);
    expect(cheerio.load(admin.body)('link[rel="manifest"], script[src="/assets/offline.js"]')).toHaveLength(0);
  });

  test('the list and the manifest are the same for every reader: shared caches keep them, never what a signed-in reader gets', async () => {
    for (const url of [`/events/${FORUM_2019}/offline.json?lang=en`, `/events/${FORUM_2019}/manifest.webmanifest`]) {
      const first = await t.app.inject(url);
      expect(first.headers['cache-control'], url).toMatch(/^public, max-age=\d+$/);
      expect(first.headers['set-cookie'], url).toBeUndefined();
      const again = await t.app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } });
      expect(again.statusCode, url).toBe(304);
    }
    const organiser = await addUser(t.app, 'organiser', FORUM_2019);
    const browser = await signIn(t.app, organiser);
    const signedIn = await browser.get(`/events/${FORUM_2019}/offline.json`);
    expect(signedIn.headers['cache-control']).toMatch(/^private/);
    expect(signedIn.headers['offline-keep']).toBe('no');
  });

  test('answers to a signed-in account are marked not to be kept offline; anonymous ones are not', async () => {
    const anonymous = await t.app.inject(`/events/${FORUM_2019}`);
    expect(anonymous.headers['offline-keep']).toBeUndefined();
    const organiser = await addUser(t.app, 'organiser', FORUM_2019);
    const browser = await signIn(t.app, organiser);
    const signedIn = await browser.get(`/events/${FORUM_2019}`);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.headers['offline-keep']).toBe('no');
    expect(signedIn.headers['cache-control']).toMatch(/private/);
  });

  test('a preview page links no manifest nor script, and is marked not to be kept', async () => {
    const organiser = await addUser(t.app, 'organiser', FORUM_2019);
    const browser = await signIn(t.app, organiser);
    const settings = await browser.get(`/admin/events/${FORUM_2019}`);
    const csrf = cheerio.load(settings.body)('input[name="_csrf"]').first().val() as string;
    expect((await browser.post(`/admin/events/${FORUM_2019}/preview`, { _csrf: csrf, preview: 'on' })).statusCode).toBe(303);
    const preview = await browser.get(`/events/${FORUM_2019}`);
    const $ = cheerio.load(preview.body);
    expect($('.preview-banner')).toHaveLength(1);
    expect($('link[rel="manifest"], script[src="/assets/offline.js"]')).toHaveLength(0);
    expect(preview.headers['offline-keep']).toBe('no');
    expect(preview.headers['cache-control']).toBe('private, no-store');
  });

  test('signing out clears what this browser kept: the HTTP cache and the offline copies', async () => {
    const organiser = await addUser(t.app, 'organiser', FORUM_2019);
    const browser = await signIn(t.app, organiser);
    const page = await browser.get(`/events/${FORUM_2019}`);
    const signOut = formOf(page.body, '.account-bar form');
    const response = await browser.post(signOut.action, signOut.hidden);
    expect(response.statusCode).toBe(303);
    expect(response.headers['clear-site-data']).toBe('"cache", "storage"');
  });
});
