// The scheduling grid without JavaScript in Chromium, at 360 px (a phone) and 1280 px (a laptop),
// for a two-room event and a generated congress day of 36 rooms and 400 sessions: the page
// never scrolls sideways, the grid's own region does, the time column stays at the region's
// left edge when it is scrolled, and a block's move form is reached by Tab and sent by Enter.
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { generateCongressInto } from '../../../server/domains/interop/generator-service.ts';
import { FORUM_2019 } from '../../helpers/app.ts';
import { apiAs, eventPath, ok, sessionTitled } from '../../helpers/api.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { PHONE, scrollWidth, skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';

// The tsconfig has no DOM library (this is a server project); the callbacks below run in the page.
interface PageElement {
  id: string;
  tagName: string;
  textContent: string | null;
  scrollLeft: number;
  scrollWidth: number;
  clientWidth: number;
  clientLeft: number;
  closest(selector: string): PageElement | null;
  matches(selector: string): boolean;
}
declare const document: { activeElement: PageElement | null };

const LAPTOP = { width: 1280, height: 800 };
const WIDTHS = [PHONE, LAPTOP];
const NO_SCRIPT: BrowserContextOptions = { locale: 'fr-FR', javaScriptEnabled: false };
const CONGRESS = 'congres-des-villes-2027';
const CONGRESS_DAY = '2027-10-04';
const CONGRESS_ROOMS = 36;
const FORUM_DAY = '2019-11-12';
/** Pixels a table's border spacing may put between the region's inside edge and its time column. */
const STICKY_SLACK = 3;
const MOVED = 'Dialogue entre mécanismes : comment assurer la transférabilité ?';

describe.skipIf(skipWithoutChromium())('the grid without JavaScript at 360 and 1280 px', () => {
  let organiser: TestUser;
  let moved: { id: string; version: number };
  let signedIn: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;
  // The forum gets a second room holding its last workshop, so that it has two columns; the
  // congress is one day of 400 sessions in 36 rooms, written and released as the command line does.
  const started = useChromiumApp(NO_SCRIPT, async ({ t }) => {
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    const api = apiAs(t.app, organiser.bearer);
    const atlas = ok<{ data: { id: string } }>(await api.post(`${eventPath(FORUM_2019)}/rooms`, { name: { fr: 'Salle Atlas' } }), 201).data.id;
    const workshop = await sessionTitled(api, FORUM_2019, MOVED);
    const patched = ok<{ data: { id: string; version: number } }>(await api.patch(`${eventPath(FORUM_2019)}/sessions/${workshop.id}`, { room: atlas }, workshop.version));
    moved = { id: patched.data.id, version: patched.data.version };
    generateCongressInto(t.app.db, {
      slug: CONGRESS, sessions: 400, days: 1, rooms: CONGRESS_ROOMS, seed: 7, start: CONGRESS_DAY, timezone: 'Africa/Johannesburg',
    }, { id: null, name: 'tests' }, t.app.now());
  });

  /** A page without JavaScript of this width, signed in (the cookies of one sign-in through the real form). */
  async function signedInPage(viewport: { width: number; height: number }): Promise<Page> {
    const { origin } = started();
    if (!signedIn) {
      const page = await started().openPage();
      await page.goto(`${origin}/login`);
      await page.getByLabel('Adresse électronique').fill(organiser.email);
      await page.getByLabel('Mot de passe').fill(organiser.password);
      await Promise.all([page.waitForURL(`${origin}/admin`), page.getByRole('button', { name: 'Se connecter' }).click()]);
      signedIn = await page.context().storageState();
    }
    return started().openPage({ viewport, storageState: signedIn });
  }

  /** Where the region and its first time cell are, and how far the region scrolls. */
  async function regionGeometry(page: Page) {
    const region = page.locator('.grid__scroll');
    const box = await region.boundingBox();
    const firstTime = await page.locator('.grid__table tbody th.grid__time').first().boundingBox();
    const sizes = await region.evaluate((element: PageElement) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth, clientLeft: element.clientLeft }));
    // The region's inside begins after its left border: where a sticky column sticks.
    return { box: box!, inside: box!.x + sizes.clientLeft, firstTime: firstTime!, ...sizes };
  }

  for (const viewport of WIDTHS) {
    test(`${viewport.width} px: the two-room grid fits the page, its region holds both rooms and the time column`, async () => {
      const page = await signedInPage(viewport);
      await started().visit(page, `/admin/events/${FORUM_2019}/grid?day=${FORUM_DAY}`);
      expect(await page.locator('.grid__table thead th[data-room]').allInnerTexts()).toEqual(['Salle plénière', 'Salle Atlas']);
      expect(await scrollWidth(page), 'the page does not scroll sideways').toBeLessThanOrEqual(viewport.width);
      const { box, inside, firstTime, scrollWidth: inner, clientWidth } = await regionGeometry(page);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      expect(Math.abs(firstTime.x - inside), 'the time column begins the region').toBeLessThanOrEqual(STICKY_SLACK);
      // Whatever does not fit scrolls inside the region, never the page.
      expect(inner).toBeGreaterThanOrEqual(clientWidth);
    });
  }

  test(`a congress day of ${CONGRESS_ROOMS} rooms and 400 sessions scrolls sideways inside its region at 1280 then 360 px, the time column staying at its left`, async () => {
    // One load, then the narrower window: the page is 2.5 MB of table, and a width change lays it out again as a load would.
    const page = await signedInPage(LAPTOP);
    const loading = Date.now();
    await started().visit(page, `/admin/events/${CONGRESS}/grid?day=${CONGRESS_DAY}`);
    console.log(`The congress day's grid (${CONGRESS_ROOMS} rooms, 400 sessions) loaded in Chromium without JavaScript in ${Date.now() - loading} ms`);
    expect(await page.locator('.grid__table thead th[data-room]:not([data-room=""])').count()).toBe(CONGRESS_ROOMS);
    expect(await page.locator('.grid__table .grid__block').count()).toBe(400);
    for (const viewport of [LAPTOP, PHONE]) {
      await page.setViewportSize(viewport);
      const at = `at ${viewport.width} px`;
      await page.locator('.grid__scroll').evaluate((element: PageElement) => { element.scrollLeft = 0; });
      expect(await scrollWidth(page), `the page does not scroll sideways ${at}`).toBeLessThanOrEqual(viewport.width);
      const before = await regionGeometry(page);
      expect(before.box.x + before.box.width, `the region ends inside the window ${at}`).toBeLessThanOrEqual(viewport.width);
      expect(before.scrollWidth, `the region is wider inside than it shows ${at}`).toBeGreaterThan(before.clientWidth + 1000);
      const scrolled = await page.locator('.grid__scroll').evaluate((element: PageElement) => {
        element.scrollLeft = 2000;
        return element.scrollLeft;
      });
      expect(scrolled, `the region scrolls ${at}`).toBe(2000);
      const after = await regionGeometry(page);
      expect(Math.abs(after.firstTime.x - after.inside), `the time column is sticky ${at}`).toBeLessThanOrEqual(STICKY_SLACK);
      expect(await scrollWidth(page), `the region, not the page, moved ${at}`).toBeLessThanOrEqual(viewport.width);
    }
  }, 60_000);

  test('on a phone, Tab reaches a block\'s move form, Enter opens it, and Enter on its button moves the session (one page load)', async () => {
    const { origin } = started();
    const page = await signedInPage(PHONE);
    await started().visit(page, `/admin/events/${FORUM_2019}/grid?day=${FORUM_DAY}`);
    const summary = `#session-${moved.id} .grid__move summary`;
    const tabs = await tabUntil(page, summary, 400);
    expect(tabs, `Tab presses to reach ${summary}`).toBeGreaterThan(0);

    await page.keyboard.press('Enter');
    expect(await page.locator(`#session-${moved.id} .grid__move`).getAttribute('open')).toBe('');
    const form = `#session-${moved.id} .grid__move form`;
    expect(await tabUntil(page, `${form} input[name="start"]`, 5)).toBeGreaterThan(0);
    await page.keyboard.type('1715');
    expect(await page.locator(`${form} input[name="start"]`).inputValue()).toBe('17:15');
    expect(await tabUntil(page, `${form} button`, 6)).toBeGreaterThan(0);

    let loads = 0;
    page.on('load', () => { loads += 1; });
    await Promise.all([
      page.waitForURL(`${origin}/admin/events/${FORUM_2019}/grid?day=${FORUM_DAY}&saved=moved#session-${moved.id}`),
      page.keyboard.press('Enter'),
    ]);
    await page.waitForLoadState('load');
    expect(loads).toBe(1);
    expect(await page.locator('[data-grid-status]').innerText()).toBe('Session déplacée.');
    const block = page.locator(`#session-${moved.id}`);
    expect(await block.getAttribute('data-start')).toBe('17:15');
    expect(await block.getAttribute('data-end')).toBe('18:15');
    const api = apiAs(started().t.app, organiser.bearer);
    const now = await sessionTitled(api, FORUM_2019, MOVED);
    expect({ start: now.start, end: now.end, version: now.version }).toEqual({ start: '2019-11-12T17:15:00+02:00', end: '2019-11-12T18:15:00+02:00', version: moved.version + 1 });
  });
});

/** Presses Tab until the focus is on `selector` (then answers how many presses), or -1 after `limit`. */
async function tabUntil(page: Page, selector: string, limit: number): Promise<number> {
  for (let presses = 1; presses <= limit; presses += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return presses;
  }
  return -1;
}
