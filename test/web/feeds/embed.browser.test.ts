// The embed on another site, in Debian's Chromium driven by playwright-core: a plain page served
// from another origin loads /embed.js from the app and holds <forum-programme>; the element shows
// every session title of the released forum, each a link to its page on the app, in the host
// page's font; it follows a change of its lang attribute, and says so when the event is unknown.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { ok } from '../../helpers/api.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, skipWithoutChromium } from '../../helpers/chromium.ts';
import { freePort } from '../../helpers/server.ts';

// The tsconfig has no DOM library (this is a server project); these callbacks run in the page.
declare function getComputedStyle(element: unknown): { fontFamily: string };
declare const document: { body: unknown };
declare const location: { origin: string };

interface ApiSession { id: string; title: Record<string, string> }
interface ApiProgrammeBody {
  parts: { slots: { sessions: ApiSession[] }[] }[];
  outsideParts: { sessions: ApiSession[] }[];
  unscheduled: ApiSession[];
}

/** The host page of another site: its own font, the script from the app, the element. */
function hostPage(appOrigin: string, event: string, lang: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Another site</title>
<style>body{font-family: Georgia, serif}</style>
<script src="${appOrigin}/embed.js"></script>
</head>
<body>
<h1>Our partners' forum</h1>
<forum-programme event="${event}" lang="${lang}"></forum-programme>
</body>
</html>`;
}

describe.skipIf(skipWithoutChromium())('the embed on a page of another origin, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let host: http.Server;
  let appOrigin: string;
  let hostOrigin: string;
  let contexts: BrowserContext[] = [];
  let sessions: ApiSession[];

  beforeAll(async () => {
    // The app's public address is where it listens, so that the element's links can be followed.
    const port = await freePort();
    appOrigin = `http://127.0.0.1:${port}`;
    t = await buildTestApp({ env: { PUBLIC_URL: appOrigin } });
    await t.app.listen({ port, host: '127.0.0.1' });
    host = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://host');
      const event = url.pathname === '/unknown' ? 'no-such-forum' : FORUM_2019;
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(hostPage(appOrigin, event, url.searchParams.get('lang') ?? 'fr'));
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const body = ok<ApiProgrammeBody>(await t.app.inject(`/api/v1/events/${FORUM_2019}/programme`));
    sessions = [...body.parts.flatMap((p) => p.slots), ...body.outsideParts].flatMap((s) => s.sessions).concat(body.unscheduled);
  });
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (host ? host.close(resolve) : resolve(undefined)));
    await t?.close();
  });

  async function openHost(pathname: string, locale = 'en-GB'): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ locale });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    const response = await page.goto(hostOrigin + pathname);
    expect(response?.status()).toBe(200);
    return { page, errors };
  }

  test('shows every session title of the forum, each linking to its page on the app, in the host page\'s font', async () => {
    expect(sessions.length).toBeGreaterThan(5);
    const { page, errors } = await openHost('/');
    expect(await page.evaluate(() => location.origin)).not.toBe(appOrigin);
    const links = page.locator('forum-programme a.title');
    await expect.poll(() => links.count(), { timeout: 10_000 }).toBe(sessions.length);

    const shown = await links.evaluateAll((all) => all.map((a) => [(a as unknown as { textContent: string }).textContent, (a as unknown as { href: string }).href]));
    expect(shown.map(([title]) => title).sort()).toEqual(sessions.map((s) => s.title.fr).sort());
    const byTitle = new Map(sessions.map((s) => [s.title.fr, s.id]));
    for (const [title, href] of shown) expect(href, title).toBe(`${appOrigin}/events/${FORUM_2019}/sessions/${byTitle.get(title!)}`);

    // The host's font, inherited into the shadow root.
    const hostFont = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(hostFont).toContain('Georgia');
    expect(await links.first().evaluate((a) => getComputedStyle(a).fontFamily)).toBe(hostFont);
    expect(await page.locator('forum-programme .day').first().evaluate((h) => getComputedStyle(h).fontFamily)).toBe(hostFont);

    // Headings for the event and its day, times as <time datetime>, French as asked.
    expect((await page.locator('forum-programme h2').textContent())?.trim()).toBe("Le forum d'apprentissage de CGLU");
    expect(await page.locator('forum-programme h3 time').getAttribute('datetime')).toBe('2019-11-12');
    expect(await page.locator('forum-programme .programme').getAttribute('lang')).toBe('fr');
    expect(await page.locator('forum-programme li.session').first().locator('time').first().getAttribute('datetime')).toMatch(/^2019-11-12T\d\d:\d\d:00\+02:00$/);
    expect(errors).toEqual([]);
  });

  test('a title followed opens the session\'s page on the app', async () => {
    // A French reader: the plain address of a page is its French one only for browsers that ask for French.
    const { page } = await openHost('/', 'fr-FR');
    const first = page.locator('forum-programme a.title').first();
    await first.waitFor();
    const title = (await first.textContent())!;
    const href = (await first.getAttribute('href'))!;
    await first.click();
    await page.waitForURL(href);
    expect((await page.locator('main h1').first().textContent())?.trim()).toBe(title);
  });

  test('follows a change of its lang attribute', async () => {
    const { page } = await openHost('/');
    const links = page.locator('forum-programme a.title');
    await expect.poll(() => links.count(), { timeout: 10_000 }).toBe(sessions.length);
    await page.locator('forum-programme').evaluate((element) => (element as unknown as { setAttribute(n: string, v: string): void }).setAttribute('lang', 'en'));
    await page.locator('forum-programme .programme[lang="en"]').waitFor();
    await expect.poll(() => links.count()).toBe(sessions.length);
    expect((await links.allTextContents()).sort()).toEqual(sessions.map((s) => s.title.en).sort());
    expect((await links.first().getAttribute('href'))).toMatch(/\?lang=en$/);
  });

  test('a title in a fallback language is marked with its lang, and markup in data stays text', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    const MARKUP = '<img src="x" onerror="window.hacked = true">Hacked';
    // The JSON as a release with a French-only title, and a title full of markup, would give it.
    await page.route('**/embed.json?lang=en', async (route) => {
      const response = await route.fetch();
      const body = await response.json() as { days: { sessions: { title: { text: string; lang?: string } }[] }[] };
      body.days[0]!.sessions[0]!.title = { text: 'Seulement en français', lang: 'fr' };
      body.days[0]!.sessions[1]!.title = { text: MARKUP };
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${hostOrigin}/?lang=en`);
    const titles = page.locator('forum-programme a.title');
    await expect.poll(() => titles.count(), { timeout: 10_000 }).toBe(sessions.length);
    expect(await titles.nth(0).locator('span').getAttribute('lang')).toBe('fr');
    expect(await titles.nth(1).locator('span').getAttribute('lang')).toBeNull();
    expect(await titles.nth(1).textContent()).toBe(MARKUP);
    expect(await page.locator('forum-programme img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { hacked?: boolean }).hacked ?? false)).toBe(false);
  });

  test('an unknown event: the element says so', async () => {
    const { page } = await openHost('/unknown?lang=en');
    const alert = page.locator('forum-programme [role="alert"]');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toBe('This programme is not published or does not exist.');
    expect(await page.locator('forum-programme a.title').count()).toBe(0);
  });
});
