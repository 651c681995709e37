// The day picker of a programme over several days in a real browser (Debian's Chromium driven
// by playwright-core): on a 360 px phone, with the keyboard, without JavaScript, and on paper.
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { SEMINAR_2015 } from '../../helpers/app.ts';
import { PHONE, scrollWidth, skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';

// The tsconfig has no DOM library (this is a server project); the callbacks below run in the page.
interface PageElement { getAttribute(name: string): string | null }
declare const document: { activeElement: PageElement | null };
declare function getComputedStyle(element: PageElement): { display: string; outlineStyle: string };

const READER: BrowserContextOptions = { viewport: PHONE, locale: 'de-DE' };
const SEMINAR = `/events/${SEMINAR_2015}`;
const DAY_ONE_SLOTS = ['09:30–13:00', '14:30–17:30'];
const DAY_TWO_SLOTS = ['09:30–11:15', '11:15–13:00', '14:30–17:30'];

// On CI the suite runs even without Chromium, so that beforeAll fails it loudly.
describe.skipIf(skipWithoutChromium())('the day picker in Chromium', () => {
  const started = useChromiumApp(READER);
  const openPage = (options: BrowserContextOptions = {}): Promise<Page> => started().openPage(options);
  const visit = (page: Page, pathname: string): Promise<void> => started().visit(page, pathname);

  test('on a 360 px phone the picker wraps without sideways scrolling, in every language and with counts, and its links are big enough to tap', async () => {
    const page = await openPage();
    const metropolis = 'f43595a7-4c43-5a94-9027-ccb3b93a5249';
    for (const pathname of [SEMINAR, `${SEMINAR}?lang=en`, `${SEMINAR}?lang=es`, `${SEMINAR}?speaker=${metropolis}&day=2015-09-30`, `${SEMINAR}?day=all`]) {
      await visit(page, pathname);
      expect(await scrollWidth(page), `scrollWidth of ${pathname}`).toBeLessThanOrEqual(PHONE.width);
      for (const link of await page.locator('nav.day-picker a').all()) {
        const box = (await link.boundingBox())!;
        expect(box.x, pathname).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, pathname).toBeLessThanOrEqual(PHONE.width);
        expect(box.height, pathname).toBeGreaterThanOrEqual(44);
      }
    }
  });

  test('the picker is a labelled navigation of links; Tab reaches them, Enter opens a day, and focus shows', async () => {
    const page = await openPage();
    await visit(page, SEMINAR);
    const nav = page.getByRole('navigation', { name: 'Jours du programme' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['mar. 29 sept.', 'mer. 30 sept.', 'Tous les jours']);
    expect(await nav.getByRole('link', { name: 'mar. 29 sept.' }).getAttribute('aria-current')).toBe('page');

    await page.locator('main#main').focus();
    let presses = 0;
    const focusedHref = () => page.evaluate(() => document.activeElement?.getAttribute('href') ?? '');
    while ((await focusedHref()) !== `${SEMINAR}?day=2015-09-30` && presses < 60) {
      await page.keyboard.press('Tab');
      presses += 1;
    }
    expect(await focusedHref()).toBe(`${SEMINAR}?day=2015-09-30`);
    expect(await page.locator(':focus').evaluate((element) => getComputedStyle(element).outlineStyle)).toBe('solid');
    await Promise.all([page.waitForURL(/\?day=2015-09-30$/), page.keyboard.press('Enter')]);
    expect(await page.locator('.slot__time').allInnerTexts()).toEqual(DAY_TWO_SLOTS);
    expect(await page.getByRole('navigation', { name: 'Jours du programme' }).getByRole('link', { name: 'mer. 30 sept.' }).getAttribute('aria-current')).toBe('page');
  });

  test('without JavaScript, a day link then the filter form: the filter applies to the day chosen', async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await visit(page, SEMINAR);
    expect(await page.locator('.slot__time').allInnerTexts()).toEqual(DAY_ONE_SLOTS);
    await Promise.all([page.waitForURL(/\?day=2015-09-30$/), page.getByRole('link', { name: 'mer. 30 sept.' }).click()]);
    expect(await page.locator('.slot__time').allInnerTexts()).toEqual(DAY_TWO_SLOTS);

    await page.locator('.filters__heading').click();
    await page.locator('#filter-speaker').selectOption({ label: 'Metropolis' });
    await Promise.all([page.waitForURL(/[?&]speaker=[^&]+/), page.getByRole('button', { name: 'Filtrer', exact: true }).click()]);
    const url = new URL(page.url());
    expect(url.searchParams.get('day')).toBe('2015-09-30');
    // Metropolis speaks on the first day only: this day is empty, and says where to look.
    expect(await page.locator('.slot').count()).toBe(0);
    expect(await page.locator('.empty').innerText()).toBe('Aucune session ne correspond à ces filtres le mercredi 30 septembre 2015.');
    await Promise.all([page.waitForURL(/day=2015-09-29/), page.locator('.empty__days a').click()]);
    expect(await page.locator('.slot__time').allInnerTexts()).toEqual([DAY_ONE_SLOTS[0]]);
    expect(await page.locator('#filter-speaker option:checked').innerText()).toBe('Metropolis');
  });

  test('printing shows the day on screen, with its heading, and leaves out the picker and the notices', async () => {
    const page = await openPage();
    await visit(page, `${SEMINAR}?day=2015-09-30&room=gone`);
    const display = (selector: string) => page.locator(selector).first().evaluate((element) => getComputedStyle(element).display);
    expect(await display('nav.day-picker')).not.toBe('none');
    expect(await display('.programme-notice')).not.toBe('none');
    await page.emulateMedia({ media: 'print' });
    expect(await display('nav.day-picker')).toBe('none');
    expect(await display('.programme-notice')).toBe('none');
    expect(await page.locator('.day__title').allInnerTexts()).toEqual(['Mercredi 30 septembre 2015']);
    expect(await page.locator('.slot__time').allInnerTexts()).toEqual(DAY_TWO_SLOTS);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
  });
});
