// The venue screen in Debian's Chromium (driven by playwright-core) on a 1920 × 1080 screen:
// axe-core finds no WCAG 2.1 A/AA violation during, before and after the event, with or without
// its script; session titles are large enough to read from 5 m; and the script swaps in what is
// on now when the app's clock moves, without reloading the page, through a network failure too.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { axeViolations, withoutAppScripts } from '../../helpers/axe.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, skipWithoutChromium } from '../../helpers/chromium.ts';

// The tsconfig has no DOM library (this is a server project); the callbacks below run in the page.
interface PageElement { textContent: string | null }
declare const document: { querySelector(selector: string): PageElement | null };
declare const window: { __marker?: string };
declare function getComputedStyle(element: unknown): { fontSize: string };

const SCREEN = { width: 1920, height: 1080 };
const NOW = `/events/${FORUM_2019}/now`;
/** 11:10 in Durban: the Sendai session is on. */
const DURING = new Date('2019-11-12T09:10:00Z');
const SENDAI = "Apprendre d'un exemple : localiser le cadre de Sendai";
const MODULES = 'Evolution des modules et méthodologies';

// On CI the suite runs even without Chromium, so that beforeAll fails it loudly.
describe.skipIf(skipWithoutChromium())('the venue screen in Chromium', () => {
  let clock = DURING;
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let contexts: BrowserContext[] = [];

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
    origin = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });
  afterEach(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    contexts = [];
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A fresh context on a 1080p screen, in French; the offline app's worker kept out of the way. */
  async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: SCREEN, locale: 'fr-FR', serviceWorkers: 'block', ...options });
    contexts.push(context);
    return context;
  }

  async function open(context: BrowserContext, pathname: string): Promise<Page> {
    const page = await context.newPage();
    const response = await page.goto(origin + pathname);
    expect(response?.status(), pathname).toBe(200);
    return page;
  }

  const fontSize = (page: Page, selector: string) =>
    page.locator(selector).first().evaluate((element) => Number.parseFloat(getComputedStyle(element).fontSize));

  test('during, before and after the event: no axe violation at 1920 × 1080, and titles of at least 40 px', async () => {
    const context = await newContext();
    clock = DURING;
    const page = await open(context, NOW);
    expect(await page.locator('.now-room__current .now-room__title').textContent()).toBe(SENDAI);
    expect(await page.locator('.now-screen__time').textContent()).toBe('11:10');
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    expect(await page.locator('header.site-header, footer.site-footer').count()).toBe(0);
    expect(await fontSize(page, '.now-room__current .now-room__title')).toBeGreaterThanOrEqual(48);
    expect(await fontSize(page, '.now-room__next .now-room__title')).toBeGreaterThanOrEqual(40);
    expect(await fontSize(page, '.now-screen__time')).toBeGreaterThanOrEqual(80);
    expect(await fontSize(page, '.now-room__speakers')).toBeGreaterThanOrEqual(28);
    for (const small of ['.now-room__label', '.now-room__time', '.now-screen__zone']) expect(await fontSize(page, small), small).toBeGreaterThanOrEqual(24);
    expect(await axeViolations(page)).toEqual([]);

    clock = new Date('2019-11-10T15:00:00Z');
    await open(context, NOW).then(async (before) => {
      expect(await before.locator('.now-screen__message').textContent()).toBe("L'événement commence le mardi 12 novembre 2019 à 08:30.");
      expect(await before.locator('.now-room').count()).toBe(0);
      expect(await fontSize(before, '.now-screen__message')).toBeGreaterThanOrEqual(48);
      expect(await axeViolations(before)).toEqual([]);
    });

    clock = new Date('2019-11-12T17:00:00Z');
    await open(context, NOW).then(async (after) => {
      expect(await after.locator('.now-screen__message').textContent()).toBe("L'événement est terminé. Merci de votre participation\u00a0!");
      expect(await after.locator('.now-room').count()).toBe(0);
      expect(await axeViolations(after)).toEqual([]);
    });
  });

  test('the script swaps in the session now on without reloading the page, says when it went offline, and recovers', async () => {
    const context = await newContext();
    clock = DURING;
    const page = await open(context, `${NOW}?refresh=5`);
    let navigations = 0;
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations += 1; });
    await page.evaluate(() => { window.__marker = 'kept'; });
    const currentTitle = () => document.querySelector('.now-room__current .now-room__title')?.textContent ?? null;

    // 11:45: the next session has started.
    clock = new Date('2019-11-12T09:45:00Z');
    await page.waitForFunction((wanted) => (document.querySelector('.now-room__current .now-room__title')?.textContent ?? null) === wanted, MODULES, { timeout: 12_000 });
    expect(await page.evaluate(currentTitle)).toBe(MODULES);
    expect(await page.locator('.now-room__next .now-room__title').textContent()).toBe('Déjeuner');
    // The clock follows the server's, not the screen's own (which is years later).
    expect(await page.locator('.now-screen__time').textContent()).toBe('11:45');
    expect(await page.locator('#kiosk-updated').textContent()).toBe('Mis à jour à 11:45');
    expect(await page.evaluate(() => window.__marker)).toBe('kept');
    expect(navigations).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // The network fails: what is shown stays, and a note says since when the screen is offline.
    const toScreen = (url: URL) => url.pathname === NOW;
    await page.route(toScreen, (route) => route.abort('internetdisconnected'));
    await page.waitForFunction(() => (document.querySelector('#kiosk-offline')?.textContent ?? '') !== '', undefined, { timeout: 12_000 });
    expect(await page.locator('#kiosk-offline').textContent()).toBe("Hors ligne depuis 11:45\u00a0; l'écran se mettra à jour dès le retour du réseau.");
    expect(await page.evaluate(currentTitle)).toBe(MODULES);
    expect(await axeViolations(page)).toEqual([]);

    // Back online at 13:10 (lunch): the note goes, the lunch is on.
    clock = new Date('2019-11-12T11:10:00Z');
    await page.unroute(toScreen);
    await page.waitForFunction((wanted) => (document.querySelector('.now-room__current .now-room__title')?.textContent ?? null) === wanted, 'Déjeuner', { timeout: 12_000 });
    expect(await page.locator('#kiosk-offline').textContent()).toBe('');
    expect(await page.locator('.now-screen__time').textContent()).toBe('13:10');
    expect(await page.evaluate(() => window.__marker)).toBe('kept');
    expect(navigations).toBe(0);
  });

  test('without JavaScript: the screen as served, a link that reloads it, no meta refresh, and no axe violation', async () => {
    clock = DURING;
    const noScript = await open(await newContext({ javaScriptEnabled: false }), NOW);
    expect(await noScript.locator('.now-room__current .now-room__title').textContent()).toBe(SENDAI);
    expect(await noScript.locator('.now-screen__time').textContent()).toBe('11:10');
    expect(await noScript.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    const reload = noScript.locator('a.now-screen__reload');
    expect(await reload.textContent()).toBe('Actualiser');
    expect(await reload.getAttribute('href')).toBe(NOW);
    expect(await reload.isVisible()).toBe(true);
    expect(await fontSize(noScript, '.now-room__current .now-room__title')).toBeGreaterThanOrEqual(48);

    // axe needs the page's own timers: the same page without the app's scripts is checked instead.
    const context = await newContext();
    await withoutAppScripts(context);
    const page = await open(context, NOW);
    expect(await page.locator('a.now-screen__reload').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });
});
