// The public pages in a real browser (Debian's Chromium driven by playwright-core):
// phone layout, print, keyboard, the filter form without JavaScript, and the personal agenda
// with and without it.
import fs from 'node:fs';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { FORUM_2019 } from '../../helpers/app.ts';
import { PHONE, scrollWidth, skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';

// The tsconfig has no DOM library (this is a server project); the callbacks below run in
// the page, and these are the few browser shapes they touch.
interface PageElement { id: string; labels: { length: number } | null }
declare const document: { activeElement: PageElement | null };
declare function getComputedStyle(element: PageElement): { display: string };

/** A browser language the site does not offer, so that pages fall back to the event's default, French. */
const READER: BrowserContextOptions = { viewport: PHONE, locale: 'de-DE' };
const EVENT = `/events/${FORUM_2019}`;
const PROGRAMME_SLOTS = [
  '08:30–09:00', '09:00–09:20', '09:20–09:55', '10:00–11:00', '11:00–11:40',
  '11:40–13:00', '13:00–15:00', '15:00–16:00', '16:00–17:00', '17:00–18:00',
];
const FIRST_PART = 'Première partie : Introduction – mise en contexte';
const SCREENSHOT = '/tmp/programme-360.png';

// On CI the suite runs even without Chromium, so that beforeAll fails it loudly.
describe.skipIf(skipWithoutChromium())('public pages in Chromium', () => {
  const started = useChromiumApp(READER);

  /** A page in a fresh context (no cookies, no cache) for this test. */
  const openPage = (options: BrowserContextOptions = {}): Promise<Page> => started().openPage(options);
  const visit = (page: Page, pathname: string): Promise<void> => started().visit(page, pathname);

  test('on a 360 px phone no page scrolls sideways, and the programme shows its 10 slot times', async () => {
    const page = await openPage();
    await visit(page, EVENT);
    const sessionHref = await page.locator(`a[href^="${EVENT}/sessions/"]`).first().getAttribute('href');
    expect(sessionHref).toMatch(/^\/events\/uclg-learning-forum-2019\/sessions\/[^/]+$/);

    const times = page.locator('.slot__time');
    expect(await times.allInnerTexts()).toEqual(PROGRAMME_SLOTS);
    for (const time of await times.all()) {
      expect(await time.isVisible()).toBe(true);
      const box = await time.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    }

    const widths: Record<string, number> = {};
    const partHref = await page.locator('.part__title a').first().getAttribute('href');
    for (const pathname of [EVENT, sessionHref!, partHref!, `${EVENT}/speakers`, `${EVENT}/outputs`, `${EVENT}/now`, '/']) {
      await visit(page, pathname);
      widths[pathname] = await scrollWidth(page);
    }
    for (const [pathname, width] of Object.entries(widths)) {
      expect(width, `scrollWidth of ${pathname}`).toBeLessThanOrEqual(PHONE.width);
    }
  });

  test('printing hides the filter form and the site header, and the programme prints to a PDF', async () => {
    const page = await openPage();
    await visit(page, EVENT);
    const display = (selector: string) => page.locator(selector).evaluate((element) => getComputedStyle(element).display);
    expect(await display('form.filters')).not.toBe('none');
    expect(await display('header.site-header')).not.toBe('none');

    await page.emulateMedia({ media: 'print' });
    expect(await display('form.filters')).toBe('none');
    expect(await display('header.site-header')).toBe('none');

    const pdf = await page.pdf({ format: 'A4' });
    expect(Buffer.isBuffer(pdf)).toBe(true);
    expect(pdf.length).toBeGreaterThan(1000);
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
  });

  test('the first Tab reaches the French skip link, Enter moves focus to main, and every select is labelled', async () => {
    const page = await openPage();
    await visit(page, EVENT);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');

    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect(await focused.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await focused.getAttribute('class')).toBe('skip-link');
    expect(await focused.getAttribute('href')).toBe('#main');
    expect((await focused.innerText()).trim()).toBe('Aller au contenu');
    expect(await focused.isVisible()).toBe(true);

    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    expect(await page.locator('main#main').evaluate((element) => element === document.activeElement)).toBe(true);

    // From main, Tab walks through the page; the part filter must be reachable.
    let presses = 0;
    while ((await focusedId()) !== 'filter-part' && presses < 40) {
      // The filters are folded away: their summary opens them.
      if ((await focusedId()) === 'filters-heading') await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      presses += 1;
    }
    expect(await focusedId()).toBe('filter-part');

    const selects = page.locator('select');
    expect(await selects.count()).toBeGreaterThan(0);
    const labelCounts = await selects.evaluateAll((elements) => elements.map((element) => [element.id, element.labels?.length ?? 0] as const));
    for (const [id, count] of labelCounts) expect(count, `labels of select#${id}`).toBe(1);
    expect(labelCounts.map(([id]) => id)).toContain('filter-part');
  });

  test('without JavaScript, the filter form narrows the programme to the 2 slots of the first part', async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await visit(page, EVENT);
    expect(await page.locator('.slot__time').count()).toBe(PROGRAMME_SLOTS.length);

    await page.locator('.filters__heading').click();
    await page.locator('#filter-part').selectOption({ label: FIRST_PART });
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.request().isNavigationRequest() && candidate.url().startsWith(started().origin + EVENT + '?')),
      page.getByRole('button', { name: 'Filtrer', exact: true }).click(),
    ]);
    await page.waitForURL(/[?&]part=[^&]+/);

    const url = new URL(page.url());
    expect(url.pathname).toBe(EVENT);
    expect(url.searchParams.get('part')).not.toBe('');
    // The untouched selects submit their empty "all" option too (room=&speaker=).
    expect(response.status(), `GET ${url.pathname}${url.search}: ${await page.locator('main').innerText()}`).toBe(200);
    expect(await page.locator('.slot__time').allInnerTexts()).toEqual(['09:00–09:20', '09:20–09:55']);
    expect(await page.locator('.part__title').allInnerTexts()).toEqual([FIRST_PART]);
    // The form remembers the choice.
    expect(await page.locator('#filter-part option:checked').innerText()).toBe(FIRST_PART);
  });

  test('without JavaScript, adding sessions creates a private agenda that can be edited and subscribed to', async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await visit(page, EVENT);
    for (const title of ['Ouverture et bienvenue', 'La voie à suivre ?']) {
      await Promise.all([page.waitForURL(/saved=/), page.getByRole('button', { name: `Ajouter à mon agenda : ${title}` }).click()]);
    }
    await Promise.all([page.waitForURL(/\/my\/[A-Za-z0-9_-]{43}$/), page.locator('.agenda-bar__link').click()]);
    expect(await page.locator('.agenda-chosen .session__title').allInnerTexts()).toEqual(['Ouverture et bienvenue', 'La voie à suivre ?']);
    expect(await scrollWidth(page), 'scrollWidth of the agenda page').toBeLessThanOrEqual(PHONE.width);
    const feedAddress = await page.locator('#feed-address').inputValue();
    const agendaPath = new URL(page.url()).pathname;
    expect(feedAddress).toBe(`${started().t.config.publicUrl}${agendaPath}/calendar.ics`);

    // Untick one on the agenda page itself.
    await page.getByLabel(/Ouverture et bienvenue$/).uncheck();
    await Promise.all([
      page.waitForURL(/\?saved=1$/),
      page.locator('form.agenda-edit').getByRole('button', { name: 'Enregistrer mon agenda' }).click(),
    ]);
    expect(await page.locator('.agenda-chosen .session__title').allInnerTexts()).toEqual(['La voie à suivre ?']);
    const feed = await page.request.get(`${started().origin}${agendaPath}/calendar.ics`);
    expect(feed.status()).toBe(200);
    expect((await feed.text()).match(/^BEGIN:VEVENT\r$/gm)).toHaveLength(1);

    // Back on the programme, this browser's agenda is remembered.
    await visit(page, EVENT);
    expect(await page.getByRole('button', { name: 'Retirer de mon agenda : La voie à suivre ?' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Ajouter à mon agenda : Ouverture et bienvenue' }).count()).toBe(1);
  });

  test('with JavaScript, each tick is saved at once and the feed address gets a copy button', async () => {
    const page = await openPage();
    await visit(page, EVENT);
    const before = page.url();
    await page.getByLabel('Dans mon agenda : Bilan du travail effectué').check();
    await page.locator('.agenda-toggle__status', { hasText: 'Ajoutée à mon agenda.' }).waitFor();
    expect(page.url()).toBe(before);
    expect(await page.locator('.agenda-bar__link').getAttribute('href')).toMatch(/^\/my\/[A-Za-z0-9_-]{43}$/);
    // A second tick changes the same agenda instead of creating another.
    await page.getByLabel('Dans mon agenda : La voie à suivre ?').check();
    await page.locator('.agenda-bar__link', { hasText: '2 sessions' }).waitFor();

    await page.reload();
    expect(await page.getByLabel('Dans mon agenda : Bilan du travail effectué').isChecked()).toBe(true);
    expect(await page.getByLabel('Dans mon agenda : La voie à suivre ?').isChecked()).toBe(true);
    expect(await page.getByRole('button', { name: "Copier l'adresse" }).isVisible()).toBe(true);
  });

  test('printing leaves out the calendar and agenda controls', async () => {
    const page = await openPage();
    await visit(page, EVENT);
    const display = (selector: string) => page.locator(selector).first().evaluate((element) => getComputedStyle(element).display);
    expect(await display('.subscribe')).not.toBe('none');
    await page.emulateMedia({ media: 'print' });
    for (const selector of ['.subscribe', '#agenda-form', '.agenda-toggle']) expect(await display(selector), selector).toBe('none');
  });

  test(`a full-page 360 px screenshot of the programme is saved to ${SCREENSHOT} for people to look at`, async () => {
    const page = await openPage();
    await visit(page, EVENT);
    fs.rmSync(SCREENSHOT, { force: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = fs.readFileSync(SCREENSHOT);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(PHONE.width); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThan(PHONE.height); // the whole page, not just the screen
  });
});
