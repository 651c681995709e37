// The programme in the hand (issue 19, items 1 and 2), in Debian's Chromium: it starts within
// the first screen of a 360 × 740 phone, its menu and filters open on demand with or without
// JavaScript, and a session's agenda toggle confirms itself where the finger is.
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { FORUM_2019 } from '../../helpers/app.ts';
import { axeViolations, withoutAppScripts } from '../../helpers/axe.ts';
import { PHONE, skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';

const READER: BrowserContextOptions = { viewport: PHONE, locale: 'fr-FR' };
const WIDE = { width: 1280, height: 800 };
const EVENT = `/events/${FORUM_2019}`;
const OPENING = 'Ouverture et bienvenue';
const REVIEW = 'Bilan du travail effectué';

/** The vertical distance between two elements' boxes (0 when they overlap). */
async function distance(a: Locator, b: Locator): Promise<number> {
  const [one, two] = [await a.boundingBox(), await b.boundingBox()];
  if (!one || !two) throw new Error('an element has no box');
  const gapY = Math.max(0, two.y - (one.y + one.height), one.y - (two.y + two.height));
  const gapX = Math.max(0, two.x - (one.x + one.width), one.x - (two.x + two.width));
  return Math.hypot(gapX, gapY);
}

describe.skipIf(skipWithoutChromium())('the programme in the hand, in Chromium', () => {
  const started = useChromiumApp(READER);
  const openPage = (options: BrowserContextOptions = {}): Promise<Page> => started().openPage(options);
  const visit = (page: Page, pathname: string): Promise<void> => started().visit(page, pathname);

  test('at 360 px the first session title is within the first screen, and the forum has no room filter', async () => {
    const page = await openPage();
    await visit(page, EVENT);
    const box = await page.locator('.session__title').first().boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThan(PHONE.height);
    expect(await page.locator('#filter-room').count()).toBe(0);
    expect(await page.locator('#filter-part').count()).toBe(1);
    // The skip link is still the first thing a keyboard reaches.
    await page.keyboard.press('Tab');
    expect(await page.locator('.skip-link').evaluate((link) => link === (link as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)).toBe(true);
  });

  for (const javaScript of [false, true]) {
    test(`the menu and the filters open on demand ${javaScript ? 'with' : 'without'} JavaScript, by keyboard too`, async () => {
      const page = await openPage({ javaScriptEnabled: javaScript });
      await visit(page, EVENT);
      const speakers = page.locator('.event-nav').getByRole('link', { name: 'Intervenants' });
      expect(await speakers.isVisible()).toBe(false);
      await page.locator('.site-menu__summary').click();
      expect(await speakers.isVisible()).toBe(true);
      expect(await page.locator('.language-switch a[hreflang="en"]').isVisible()).toBe(true);

      const part = page.locator('#filter-part');
      expect(await part.isVisible()).toBe(false);
      await page.locator('.filters__heading').focus();
      await page.keyboard.press('Enter');
      expect(await part.isVisible()).toBe(true);
      await part.selectOption({ index: 1 });
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.waitForURL(/part=/);
      // Filters applied: the disclosure is open, so the reader sees them.
      expect(await page.locator('#filter-part').isVisible()).toBe(true);
    });
  }

  test('at 1280 px the menu is shown without being opened', async () => {
    const page = await openPage({ viewport: WIDE });
    await visit(page, EVENT);
    expect(await page.locator('.site-menu__summary').isVisible()).toBe(false);
    expect(await page.locator('.event-nav').getByRole('link', { name: 'Intervenants' }).isVisible()).toBe(true);
  });

  test('with JavaScript, a tick confirms itself beside the checkbox and the agenda bar appears and counts', async () => {
    const page = await openPage();
    await visit(page, EVENT);
    expect(await page.locator('.agenda-bar').count()).toBe(0);
    const box = page.getByLabel(`Dans mon agenda : ${REVIEW}`);
    await box.check();
    const status = page.locator(`.agenda-toggle:has(#${await box.getAttribute('id')}) .agenda-toggle__status`);
    await status.filter({ hasText: 'Ajoutée à mon agenda.' }).waitFor();
    expect(await distance(box, status)).toBeLessThan(200);
    const bar = page.locator('.agenda-bar__link');
    expect(await bar.innerText()).toBe('Mon agenda\u00a0: 1 session →');
    expect(await bar.getAttribute('href')).toMatch(/^\/my\/[A-Za-z0-9_-]{43}$/);

    await page.getByLabel(`Dans mon agenda : ${OPENING}`).check();
    await page.locator('.agenda-bar__link', { hasText: 'Mon agenda\u00a0: 2 sessions →' }).waitFor();
    await box.uncheck();
    await status.filter({ hasText: 'Retirée de mon agenda.' }).waitFor();
    expect(await bar.innerText()).toBe('Mon agenda\u00a0: 1 session →');
    // The bar stays in view while the page scrolls, without covering the end of the page.
    await page.mouse.wheel(0, 3000);
    const barBox = await bar.boundingBox();
    expect(barBox!.y + barBox!.height).toBeLessThanOrEqual(PHONE.height);

    await page.reload();
    expect(await page.getByLabel(`Dans mon agenda : ${OPENING}`).isChecked()).toBe(true);
    expect(await page.getByLabel(`Dans mon agenda : ${REVIEW}`).isChecked()).toBe(false);
    expect(await page.locator('.agenda-bar__link').innerText()).toBe('Mon agenda\u00a0: 1 session →');
  });

  test('without JavaScript, a toggle posts and comes back to the same place, confirmed beside that session, filters kept', async () => {
    const page = await openPage({ javaScriptEnabled: false });
    const partId = await (async () => {
      await visit(page, EVENT);
      return page.locator('#filter-part option').nth(1).getAttribute('value');
    })();
    await visit(page, `${EVENT}?part=${partId}`);
    const card = page.locator('.session', { has: page.locator('.session__title', { hasText: OPENING }) });
    const button = card.getByRole('button', { name: `Ajouter à mon agenda : ${OPENING}` });
    await Promise.all([page.waitForURL(/saved=/), button.click()]);
    const url = new URL(page.url());
    expect(url.pathname).toBe(EVENT);
    expect(url.searchParams.get('part')).toBe(partId);
    expect(url.hash).toBe(`#${await card.getAttribute('id')}`);
    const status = card.locator('.agenda-toggle__status');
    expect(await status.innerText()).toBe('Ajoutée à mon agenda.');
    const removeButton = card.getByRole('button', { name: `Retirer de mon agenda : ${OPENING}` });
    expect(await distance(removeButton, status)).toBeLessThan(200);
    expect(await status.isVisible()).toBe(true);
    expect(await page.locator('.agenda-bar__link').innerText()).toBe('Mon agenda\u00a0: 1 session →');

    await Promise.all([page.waitForURL(/saved=/), removeButton.click()]);
    expect(await card.locator('.agenda-toggle__status').innerText()).toBe('Retirée de mon agenda.');
    expect(await page.locator('.agenda-bar__link').innerText()).toBe('Mon agenda\u00a0: aucune session →');
  });

  test('the session page adds to the same agenda, and links to the sessions before and after it', async () => {
    const page = await openPage();
    await visit(page, EVENT);
    await page.getByLabel(`Dans mon agenda : ${OPENING}`).check();
    await page.locator('.agenda-bar__link').waitFor();
    await page.locator('.session__title a', { hasText: REVIEW }).click();
    await page.waitForURL(/\/sessions\//);
    const box = page.getByLabel(`Dans mon agenda : ${REVIEW}`);
    await box.check();
    const status = page.locator('.session-page .agenda-toggle__status');
    await status.filter({ hasText: 'Ajoutée à mon agenda.' }).waitFor();
    expect(await distance(box, status)).toBeLessThan(200);
    expect(await page.locator('.agenda-bar__link').innerText()).toBe('Mon agenda\u00a0: 2 sessions →');

    const previous = page.locator('.neighbours__previous');
    const next = page.locator('.neighbours__next');
    expect(await previous.getAttribute('rel')).toBe('prev');
    expect(await next.getAttribute('rel')).toBe('next');
    await page.locator('.agenda-bar__link').click();
    await page.waitForURL(/\/my\//);
    expect(await page.locator('.agenda-chosen .session__title').allInnerTexts()).toEqual([OPENING, REVIEW]);
  });

  for (const viewport of [PHONE, WIDE]) {
    test(`axe-core finds no violation at ${viewport.width} px, menus open and closed, with an agenda and without JavaScript`, async () => {
      const page = await openPage({ viewport });
      await visit(page, EVENT);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel(`Dans mon agenda : ${OPENING}`).check();
      await page.locator('.agenda-bar__link').waitFor();
      for (const summary of await page.locator('summary').all()) if (await summary.isVisible()) await summary.click();
      expect(await axeViolations(page)).toEqual([]);
      await page.locator('.session__title a', { hasText: REVIEW }).click();
      await page.waitForURL(/\/sessions\//);
      expect(await axeViolations(page)).toEqual([]);

      const bare = await openPage({ viewport });
      await withoutAppScripts(bare.context());
      await visit(bare, EVENT);
      expect(await axeViolations(bare)).toEqual([]);
    });
  }
});
