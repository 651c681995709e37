// The browser tests' set-up (the *.browser.test.ts files): Debian's Chromium (never a downloaded browser)
// driven by playwright-core, against the real app listening on a free port of 127.0.0.1.
//
// Without /usr/bin/chromium the suites are skipped with a warning, except on CI (CI=true),
// where they run so that startChromiumApp fails them loudly.
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { buildTestApp, type TestApp } from './app.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A small phone, the narrowest screen the pages are made for. */
export const PHONE = { width: 360, height: 740 };

const chromiumMissing = !fs.existsSync(CHROMIUM_PATH);
const onCI = process.env.CI === 'true';

/**
 * Whether a browser suite is to be skipped, for describe.skipIf: only when Chromium is
 * missing and this is not CI; it then says so on the console.
 */
export function skipWithoutChromium(): boolean {
  if (!chromiumMissing || onCI) return false;
  console.warn(`Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium).`);
  return true;
}

// The tsconfig has no DOM library (this is a server project); this callback runs in the page.
declare const document: { documentElement: { scrollWidth: number } };

export interface ChromiumApp {
  t: TestApp;
  browser: Browser;
  /** http://127.0.0.1:PORT, where the app listens. */
  origin: string;
  /** A page in a fresh context (no cookies, no cache), kept until closePages(). */
  openPage: (options?: BrowserContextOptions) => Promise<Page>;
  /** Opens a path of the app and expects a 200. */
  visit: (page: Page, pathname: string) => Promise<void>;
  /** Closes the contexts opened since the last call (for afterEach). */
  closePages: () => Promise<void>;
  /** Closes the browser and the app (for afterAll). */
  close: () => Promise<void>;
}

/**
 * Builds the test app on a fresh database, listens on a free port and launches Chromium.
 * `contextDefaults` are the options of every context openPage makes (before its own).
 */
export async function startChromiumApp(contextDefaults: BrowserContextOptions = {}): Promise<ChromiumApp> {
  if (chromiumMissing) {
    throw new Error(`CI=true but Chromium is missing at ${CHROMIUM_PATH}: install it with apt-get install -y chromium`);
  }
  const t = await buildTestApp();
  let browser: Browser;
  let origin: string;
  try {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
    origin = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (error) {
    await t.close();
    throw error;
  }

  let contexts: BrowserContext[] = [];
  return {
    t,
    browser,
    origin,
    async openPage(options = {}) {
      const context = await browser.newContext({ ...contextDefaults, ...options });
      contexts.push(context);
      return context.newPage();
    },
    async visit(page, pathname) {
      const response = await page.goto(origin + pathname);
      expect(response?.status(), pathname).toBe(200);
    },
    async closePages() {
      const open = contexts;
      contexts = [];
      await Promise.all(open.map((context) => context.close()));
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/**
 * One Chromium and app for the describe block this is called in: started (then `setUp`) before
 * its first test, its pages closed after each test, everything closed after the last. Answers
 * a getter that fails the test when the start did.
 */
export function useChromiumApp(contextDefaults: BrowserContextOptions = {}, setUp?: (started: ChromiumApp) => Promise<void>): () => ChromiumApp {
  let started: ChromiumApp | undefined;
  beforeAll(async () => {
    started = await startChromiumApp(contextDefaults);
    await setUp?.(started);
  });
  afterEach(async () => {
    await started?.closePages();
  });
  afterAll(async () => {
    await started?.close();
  });
  return () => {
    if (!started) throw new Error('the browser did not start');
    return started;
  };
}

/** How wide the page is, scrolled content included: more than the viewport means it scrolls sideways. */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
