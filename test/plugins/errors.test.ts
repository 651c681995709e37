import * as cheerio from 'cheerio';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { organisations, sessions } from '../../server/db/schema.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../helpers/app.ts';
import { release } from '../helpers/releases.ts';

describe('bad requests and errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ ready: false });
    // A route that fails like a bug would, to prove what a visitor sees of a 500.
    t.app.get('/test/explode', async () => {
      throw new Error('SECRET-INTERNAL-DETAIL at /srv/forum/server/x.ts:12');
    });
    await t.app.ready();
  });
  afterAll(async () => { await t.close(); });

  const layoutTitle = (html: string) => cheerio.load(html)('h1').text();

  test('an unknown event is a 404 page in the site layout', async () => {
    const response = await t.app.inject('/events/no-such-event');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const $ = cheerio.load(response.body);
    expect($('h1').text()).toBe('Page introuvable');
    expect($('.site-header').length).toBe(1);
    expect($('html').attr('lang')).toBe('fr');
  });

  test('an unknown session, and a session id of the wrong shape, are 404 pages', async () => {
    const unknown = await t.app.inject(`/events/${FORUM_2019}/sessions/00000000-0000-4000-8000-000000000000`);
    expect(unknown.statusCode).toBe(404);
    expect(layoutTitle(unknown.body)).toBe('Page introuvable');
    const wrongShape = await t.app.inject(`/events/${FORUM_2019}/sessions/not-a-uuid`);
    expect(wrongShape.statusCode).toBe(404);
    expect(layoutTitle(wrongShape.body)).toBe('Page introuvable');
    const unknownSpeaker = await t.app.inject(`/events/${FORUM_2019}/speakers/00000000-0000-4000-8000-000000000000?lang=en`);
    expect(unknownSpeaker.statusCode).toBe(404);
    expect(layoutTitle(unknownSpeaker.body)).toBe('Page not found');
    const unknownPath = await t.app.inject('/nowhere/at/all');
    expect(unknownPath.statusCode).toBe(404);
    expect(layoutTitle(unknownPath.body)).toBe('Page introuvable');
  });

  test('an internal error is a 500 page with no message or stack trace', async () => {
    for (const url of ['/test/explode', '/test/explode?lang=en']) {
      const response = await t.app.inject(url);
      expect(response.statusCode).toBe(500);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).not.toContain('SECRET-INTERNAL-DETAIL');
      expect(response.body).not.toContain('x.ts');
      expect(response.body).not.toMatch(/\bat .*\(/);
    }
    expect(layoutTitle((await t.app.inject('/test/explode')).body)).toBe('Erreur du serveur');
  });

  // Unknown or malformed filter values of a sensible length are ignored with a notice (test/web/site/day-picker.test.ts).
  test('an unknown language, over-long filter values and over-long addresses are clear 400 pages', async () => {
    const cases = [
      `/events/${FORUM_2019}?lang=xx`,
      `/events/${FORUM_2019}?room=${'9'.repeat(65)}`,
      `/events/${FORUM_2019}?day=${'9'.repeat(17)}`,
      `/events/${FORUM_2019}?utm=${'x'.repeat(3000)}`,
      `/?lang=de`,
    ];
    for (const url of cases) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(layoutTitle(response.body), url).toBe('Demande invalide');
    }
  });

  test('an address that cannot be decoded is a 400 page; a path out of the assets folder is refused', async () => {
    const undecodable = await t.app.inject('/events/%E0%A4%A');
    expect(undecodable.statusCode).toBe(400);
    expect(undecodable.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(layoutTitle(undecodable.body)).toBe('Demande invalide');
    for (const url of ['/assets/%2e%2e/package.json', '/assets/..%2fpackage.json', '/assets/../../package.json']) {
      const traversal = await t.app.inject(url);
      expect([403, 404], url).toContain(traversal.statusCode);
      expect(traversal.body, url).not.toContain('"name": "forum-programme"');
      expect(traversal.headers['content-type'], url).toBe('text/html; charset=utf-8');
    }
  });

  test('API errors are problem+json, never HTML', async () => {
    const response = await t.app.inject('/api/v1/events/no-such-event/programme');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toMatchObject({ status: 404, title: 'Page introuvable' });
  });

  test('a session titled <script>alert(1)</script> is shown escaped everywhere', async () => {
    const hostile = '<script>alert(1)</script>';
    const target = t.app.db.select().from(sessions).all().find((s) => s.title.fr === 'Bilan du travail effectué')!;
    t.app.db.update(sessions).set({ title: { fr: hostile, en: hostile }, description: { fr: `${hostile}\n<img src=x onerror=alert(2)>` } }).where(eq(sessions.id, target.id)).run();
    const org = t.app.db.select().from(organisations).all().find((o) => o.name.fr === 'LRGA')!;
    t.app.db.update(organisations).set({ name: { fr: hostile } }).where(eq(organisations.id, org.id)).run();
    release(t.app, FORUM_2019);
    const pages = [
      `/events/${FORUM_2019}`,
      `/events/${FORUM_2019}?lang=en`,
      `/events/${FORUM_2019}/sessions/${target.publicId}`,
      `/events/${FORUM_2019}/speakers`,
      `/events/${FORUM_2019}/speakers/${org.publicId}`,
      `/events/${FORUM_2019}/outputs`,
      `/events/${FORUM_2019}/now`,
    ];
    for (const url of pages) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).not.toContain('<script>');
      expect(response.body, url).not.toContain('<img src=x');
    }
    const sessionPage = await t.app.inject(`/events/${FORUM_2019}/sessions/${target.publicId}`);
    expect(sessionPage.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(cheerio.load(sessionPage.body)('h1').text()).toBe(hostile);
    const api = await t.app.inject(`/api/v1/events/${FORUM_2019}/programme`);
    expect(api.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  test('pages forbid inline scripts with a Content-Security-Policy', async () => {
    const response = await t.app.inject(`/events/${FORUM_2019}`);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
  });
});
