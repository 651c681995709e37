// The scheduling grid's forms with its script (views/assets/grid.js, grid-add.js) in Chromium: the move
// form with the keyboard (no page load), to another day, refused by the event (the reason beside the
// field), and without JavaScript (one page load); "add a session here" in a dialog; WCAG 2.1 AA of the
// scripted grid and the dialog. Each move raises the session's calendar SEQUENCE on the next release.
import { describe, expect, test } from 'vitest';
import { axeViolations } from '../../helpers/axe.ts';
import { skipWithoutChromium } from '../../helpers/chromium.ts';
import { release } from '../../helpers/releases.ts';
import { translate } from '../../../server/i18n/index.ts';
import { DAY, NBSP, useGridBrowser } from './grid-browser-kit.ts';

// The tsconfig has no DOM library (this is a server project): the few shapes the page callbacks touch.
declare const window: unknown;
declare const document: { activeElement: { id: string; tagName: string; textContent: string | null } | null };

describe.skipIf(skipWithoutChromium())("the grid's forms and dialog with its script, in Chromium", () => {
  const { started, users, build, session, sequence, signedIn, openGrid, status, blockIs } = useGridBrowser();

  test('with the keyboard: Tab to "Déplacer", Enter, type the start, Enter: moved without a page load, and its SEQUENCE rises', async () => {
    const b = await build();
    const page = await signedIn(users.aminata);
    const { loads } = await openGrid(page, b);
    const url = page.url();
    await page.locator(`#session-${b.water} h3 a`).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SUMMARY');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`move-${b.water}-start`);
    await page.keyboard.type('0800');
    await page.keyboard.press('Enter');
    await blockIs(page, b.water, { start: '08:00', end: '09:00', room: b.agora });
    expect(await status(page)).toBe(`Session déplacée${NBSP}: Agora, 08:00–09:00.`);
    expect(await session(b, b.water)).toMatchObject({ room: b.agora, start: `${DAY}T08:00:00+01:00`, end: `${DAY}T09:00:00+01:00` });
    expect(loads()).toBe(0);
    expect(page.url()).toBe(url);

    const before = await sequence(b, b.water);
    release(started().t.app, b.slug);
    expect(await sequence(b, b.water)).toBe(before + 1);
  });

  test('a move form sent to the other day shows that day\'s grid with the session, and the window\'s address follows, without a page load', async () => {
    const b = await build();
    const page = await signedIn(users.aminata);
    const { loads } = await openGrid(page, b);
    const block = page.locator(`#session-${b.water}`);
    await block.locator('summary').click();
    await block.getByLabel('Jour').selectOption('2026-03-11');
    await block.getByLabel('Début').fill('09:30');
    await block.locator('button[type="submit"]').click();
    await expect.poll(() => page.url(), { timeout: 5000 }).toBe(`${started().origin}/admin/events/${b.slug}/grid?day=2026-03-11`);
    await blockIs(page, b.water, { start: '09:30', end: '10:30', room: b.agora });
    expect(await page.locator('table[data-grid]').getAttribute('data-day')).toBe('2026-03-11');
    expect(await status(page)).toBe(`Session déplacée${NBSP}: mercredi 11 mars 2026, Agora, 09:30–10:30.`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`session-${b.water}`);
    expect(await session(b, b.water)).toMatchObject({ start: '2026-03-11T09:30:00+01:00', end: '2026-03-11T10:30:00+01:00' });
    expect(loads()).toBe(0);
  });

  test('a move the event refuses (past its last evening) is said with the server\'s reason beside the field, and nothing moves', async () => {
    const b = await build();
    const page = await signedIn(users.aminata);
    const { loads } = await openGrid(page, b);
    const { version } = await session(b, b.water);
    const block = page.locator(`#session-${b.water}`);
    await block.locator('summary').click();
    await block.getByLabel('Jour').selectOption('2026-03-11');
    await block.getByLabel('Début').fill('23:00');
    await block.getByLabel('Durée').fill('1440');
    await block.locator('button[type="submit"]').click();
    // The server says why, in French, in an alert and beside the field of the form, open again with what was typed.
    const reason = translate('fr', 'admin.error.outsideEventDays', { startDate: '2026-03-10', endDate: '2026-03-11', lateEnd: '2026-03-12 06:00' });
    expect(reason).toMatch(/^Cette heure est en dehors des jours de l'événement \(du 2026-03-10 au 2026-03-11\).; une soirée peut finir jusqu'au 2026-03-12 06:00\.$/);
    await expect.poll(() => page.getByRole('alert').innerText().catch(() => ''), { timeout: 5000 }).toContain(reason);
    expect(await page.getByRole('alert').innerText()).toContain('Atelier eau');
    expect(await block.locator('details[open] .field__error').allInnerTexts()).toEqual([reason]);
    expect(await block.getByLabel('Durée').inputValue()).toBe('1440');
    await blockIs(page, b.water, { start: '11:00', end: '12:00', room: b.agora });
    expect(await session(b, b.water)).toMatchObject({ start: `${DAY}T11:00:00+01:00`, version });
    expect(loads()).toBe(0);
  });

  test('"add a session here" opens the new-session form in a dialog: a refused save shows it again, a saved one closes it and the grid shows the session there', async () => {
    const b = await build();
    const page = await signedIn(users.aminata);
    const { loads } = await openGrid(page, b);
    await page.waitForFunction(() => (window as unknown as { forumGrid?: { addsInDialog?: boolean } }).forumGrid?.addsInDialog === true);
    const here = page.locator(`td[data-room="${b.belvedere}"][data-time="09:00"] a.grid__add`);

    // Escape closes the dialog, and the focus goes back to the cell's link.
    await here.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Ajouter une session ici');

    await here.click();
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-labelledby')).toBe('grid-add-title');
    expect(await dialog.locator('#grid-add-title').innerText()).toBe('Nouvelle session');
    // Without a title the server refuses it (the browser's own check set aside): the form comes back in the dialog with its error.
    await dialog.locator('form').evaluate((form: { noValidate: boolean }) => { form.noValidate = true; });
    await dialog.getByRole('button', { name: 'Créer la session' }).click();
    await expect.poll(() => dialog.locator('#f-title .field__error').innerText().catch(() => ''), { timeout: 5000 }).toBe('À remplir.');
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.locator('.admin-error-summary').evaluate((summary: unknown) => summary === (document.activeElement as unknown))).toBe(true);

    await dialog.getByRole('group', { name: /^Titre/ }).getByLabel('Français').fill('Atelier mobilité');
    await dialog.getByRole('button', { name: 'Créer la session' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const added = page.locator(`td[data-room="${b.belvedere}"][data-time="09:00"] .grid__block`);
    await added.waitFor();
    expect(await added.locator('h3').innerText()).toBe('Atelier mobilité');
    expect({ start: await added.getAttribute('data-start'), room: await added.getAttribute('data-room') }).toEqual({ start: '09:00', room: b.belvedere });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(await added.getAttribute('id'));
    expect(await status(page)).toBe('Session ajoutée à la grille.');
    expect(loads()).toBe(0);
  });

  test('with the script, the grid (its toolbar and handles) and the new-session dialog meet WCAG 2.1 A/AA', async () => {
    const b = await build();
    const page = await signedIn(users.aminata);
    await openGrid(page, b);
    expect(await axeViolations(page)).toEqual([]);
    await page.waitForFunction(() => (window as unknown as { forumGrid?: { addsInDialog?: boolean } }).forumGrid?.addsInDialog === true);
    await page.locator(`td[data-room="${b.belvedere}"][data-time="09:00"] a.grid__add`).click();
    await page.getByRole('dialog').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  test('without JavaScript the move form moves the session in one page load, and its SEQUENCE rises', async () => {
    const b = await build();
    const page = await signedIn(users.aminata, { javaScriptEnabled: false });
    await started().visit(page, `/admin/events/${b.slug}/grid?day=${DAY}`);
    expect(await page.locator('#grid-snap').count()).toBe(0);
    const block = page.locator(`#session-${b.climate}`);
    await block.locator('summary').click();
    await block.getByLabel('Début').fill('14:00');
    await block.locator('select[name="room"]').selectOption(b.agora);
    let loads = 0;
    page.on('load', () => { loads += 1; });
    await Promise.all([page.waitForURL(/saved=moved/), block.locator('button[type="submit"]').click()]);
    expect(loads).toBe(1);
    expect(await session(b, b.climate)).toMatchObject({ room: b.agora, start: `${DAY}T14:00:00+01:00`, end: `${DAY}T15:00:00+01:00` });

    const before = await sequence(b, b.climate);
    release(started().t.app, b.slug);
    expect(await sequence(b, b.climate)).toBe(before + 1);
  });
});
