// The scheduling grid's script (views/assets/grid.js) under a real pointer in Chromium: a block dragged
// to another room and time with the conflicts said before the drop, resized to the chosen snap, a
// session without a time dropped on a cell, a finger on a block's grip, Escape, a stale drop from a
// second organiser's tab refused and put back, a drop at an hour the clock change skips; no page load,
// and the calendar SEQUENCE rises on the next release. grid-forms.browser.test.ts: the forms and the dialog.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { apiAs, eventPath, ok } from '../../helpers/api.ts';
import { skipWithoutChromium } from '../../helpers/chromium.ts';
import { release } from '../../helpers/releases.ts';
import { translate } from '../../../server/i18n/index.ts';
import { DAY, NBSP, useGridBrowser, type SessionOut } from './grid-browser-kit.ts';

// The tsconfig has no DOM library (this is a server project): the few shapes the page callbacks touch.
declare const document: { activeElement: { id: string } | null };

describe.skipIf(skipWithoutChromium())("the grid's script under the pointer, in Chromium", () => {
  const { started, users, build, session, sequence, signedIn, openGrid, showTable, box, row, column, status, blockIs, dragBlock } = useGridBrowser();

  test('a block dragged to the other room and another time: the conflicts are said before the drop, the API writes it, the grid shows it, no page load', async () => {
    const b = await build();
    const page = await signedIn(users.aminata);
    const { loads } = await openGrid(page, b);
    const url = page.url();
    const { version } = await session(b, b.opening);

    // Over Belvédère at 10:00 first: the room holds "Atelier climat", where Ada also speaks.
    const block = await box(page, `#session-${b.opening}`);
    const from = await row(page, '09:00');
    const y = block.y + 6;
    const fraction = (y - from.y) / from.height;
    const ten = await row(page, '10:00');
    const belvedere = await column(page, b.belvedere);
    await page.mouse.move(block.x + block.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(belvedere.x + belvedere.width / 2, ten.y + fraction * ten.height, { steps: 6 });
    const roomClash = `La salle Belvédère a déjà «${NBSP}Atelier climat${NBSP}» à cette heure.`;
    const personClash = `Une personne de cette session est aussi dans «${NBSP}Atelier climat${NBSP}» à cette heure.`;
    expect(await status(page)).toBe(`Déposer à Belvédère, 10:00–11:00. ${roomClash}`);
    expect(await page.locator('.grid-script__ghost p').innerText()).toBe('Belvédère, 10:00–11:00');
    expect(await page.locator('.grid-script__ghost li').allInnerTexts()).toEqual([`⚠ ${roomClash}`]);
    // Over Agora at 10:00: no room clash, but Ada is in "Atelier climat" then.
    const agora = await column(page, b.agora);
    await page.mouse.move(agora.x + agora.width / 2, ten.y + fraction * ten.height, { steps: 3 });
    expect(await status(page)).toBe(`Déposer à Agora, 10:00–11:00. ${personClash}`);
    // Then Belvédère at 11:00, free: dropped there.
    const eleven = await row(page, '11:00');
    await page.mouse.move(belvedere.x + belvedere.width / 2, eleven.y + fraction * eleven.height, { steps: 3 });
    expect(await status(page)).toBe('Déposer à Belvédère, 11:00–12:00. Aucun conflit.');
    await page.mouse.up();

    await blockIs(page, b.opening, { start: '11:00', end: '12:00', room: b.belvedere });
    expect(await status(page)).toBe(`Session déplacée${NBSP}: Belvédère, 11:00–12:00.`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`session-${b.opening}`);
    expect(await session(b, b.opening)).toMatchObject({ room: b.belvedere, start: `${DAY}T11:00:00+01:00`, end: `${DAY}T12:00:00+01:00`, version: version + 1 });
    expect(loads()).toBe(0);
    expect(page.url()).toBe(url);

    const before = await sequence(b, b.opening);
    release(started().t.app, b.slug);
    expect(await sequence(b, b.opening)).toBe(before + 1);
    expect(await sequence(b, b.water)).toBe(before);
  });

  test('the bottom handle changes the end, to the chosen snap', async () => {
    const b = await build();
    const page = await signedIn(users.aminata);
    const { loads } = await openGrid(page, b);
    expect(await page.getByLabel('Aimanter à').inputValue()).toBe('15');
    await page.getByLabel('Aimanter à').selectOption('10');
    const handle = await box(page, `#session-${b.water} .grid-script__resize`);
    const quarter = await row(page, '11:15');
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    // Half-way through the 11:15 row is 11:22:30: to the nearest 10 minutes, 11:20.
    await page.mouse.move(handle.x + handle.width / 2, quarter.y + quarter.height / 2, { steps: 6 });
    expect(await status(page)).toBe('Déposer à Agora, 11:00–11:20. Aucun conflit.');
    await page.mouse.up();
    await blockIs(page, b.water, { start: '11:00', end: '11:20', room: b.agora });
    expect(await session(b, b.water)).toMatchObject({ room: b.agora, start: `${DAY}T11:00:00+01:00`, end: `${DAY}T11:20:00+01:00` });
    // The chosen snap is kept across the grid read again.
    expect(await page.getByLabel('Aimanter à').inputValue()).toBe('10');
    expect(loads()).toBe(0);
  });

  test('a session without a time dropped on a cell takes its room, its time and an hour', async () => {
    const b = await build();
    const page = await signedIn(users.aminata);
    const { loads } = await openGrid(page, b);
    const card = await box(page, `[data-unscheduled] #session-${b.unscheduled}`);
    const eleven = await row(page, '11:00');
    const belvedere = await column(page, b.belvedere);
    await page.mouse.move(card.x + card.width / 2, card.y + 6);
    await page.mouse.down();
    await page.mouse.move(belvedere.x + belvedere.width / 2, eleven.y + eleven.height / 2, { steps: 8 });
    expect(await status(page)).toBe('Déposer à Belvédère, 11:00–12:00. Aucun conflit.');
    await page.mouse.up();
    await blockIs(page, b.unscheduled, { start: '11:00', end: '12:00', room: b.belvedere });
    expect(await page.locator(`[data-unscheduled] #session-${b.unscheduled}`).count()).toBe(0);
    expect(await session(b, b.unscheduled)).toMatchObject({ room: b.belvedere, start: `${DAY}T11:00:00+01:00`, end: `${DAY}T12:00:00+01:00` });
    expect(loads()).toBe(0);
  });

  /** Waits until the page's scroll position has stopped moving. */
  async function settled(page: Page) {
    const at = () => page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY);
    let last = await at();
    for (let i = 0; i < 50; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await at();
      if (now === last) return;
      last = now;
    }
  }

  test('on a touch screen a finger moves a block by its grip, and elsewhere on the block it does not drag', async () => {
    const b = await build();
    const page = await signedIn(users.aminata, { hasTouch: true });
    const { loads } = await openGrid(page, b);
    const cdp = await page.context().newCDPSession(page);
    const touch = async (from: { x: number; y: number }, to: { x: number; y: number }) => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
      for (let step = 1; step <= 6; step += 1) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from.x + ((to.x - from.x) * step) / 6, y: from.y + ((to.y - from.y) * step) / 6 }] });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    };
    const belvedere = await column(page, b.belvedere);
    const eleven = await row(page, '11:00');
    const title = await box(page, `#session-${b.opening} h3`);
    await touch({ x: title.x + 4, y: title.y + 4 }, { x: belvedere.x + belvedere.width / 2, y: eleven.y + 4 });
    expect(await page.locator('.grid-script__ghost').count()).toBe(0);
    expect(await session(b, b.opening)).toMatchObject({ room: b.agora, start: `${DAY}T09:00:00+01:00` });

    // That finger scrolled the page, which goes on gliding for a moment: measure once it rests.
    await settled(page);
    await showTable(page);
    const grip = await box(page, `#session-${b.opening} .grid-script__grip`);
    const nine = await row(page, '09:00');
    const at = await row(page, '11:00');
    const target = await column(page, b.belvedere);
    const fraction = (grip.y + grip.height / 2 - nine.y) / nine.height;
    await touch({ x: grip.x + grip.width / 2, y: grip.y + grip.height / 2 }, { x: target.x + target.width / 2, y: at.y + fraction * at.height });
    await blockIs(page, b.opening, { start: '11:00', end: '12:00', room: b.belvedere });
    expect(loads()).toBe(0);
  });

  test('Escape cancels a drag: nothing is written', async () => {
    const b = await build();
    const page = await signedIn(users.aminata);
    await openGrid(page, b);
    const { version } = await session(b, b.opening);
    const block = await box(page, `#session-${b.opening}`);
    const eleven = await row(page, '11:00');
    await page.mouse.move(block.x + block.width / 2, block.y + 6);
    await page.mouse.down();
    await page.mouse.move(block.x + block.width / 2, eleven.y + 4, { steps: 4 });
    await page.keyboard.press('Escape');
    await page.mouse.up();
    expect(await status(page)).toBe('Déplacement annulé.');
    expect(await page.locator('.grid-script__ghost').count()).toBe(0);
    expect(await session(b, b.opening)).toMatchObject({ start: `${DAY}T09:00:00+01:00`, version });
  });

  test('a drop from a tab that did not see another organiser\'s move is refused, said, and put back where the other put it', async () => {
    const b = await build();
    const first = await signedIn(users.aminata);
    const second = await signedIn(users.bruno);
    const { loads } = await openGrid(first, b);
    await openGrid(second, b);
    const { version } = await session(b, b.climate);

    await dragBlock(second, b.climate, '10:00', '11:00', b.belvedere);
    await blockIs(second, b.climate, { start: '11:00', end: '12:00', room: b.belvedere });

    // The first tab still shows "Atelier climat" at 10:00 and drags it to Agora.
    await dragBlock(first, b.climate, '10:00', '10:00', b.agora);
    const alert = first.getByRole('alert');
    await expect.poll(() => alert.innerText(), { timeout: 5000 })
      .toBe(`Cette session a été modifiée entre-temps (par Bruno Costa)${NBSP}; elle est remise à sa place.`);
    await blockIs(first, b.climate, { start: '11:00', end: '12:00', room: b.belvedere });
    expect(await session(b, b.climate)).toMatchObject({ room: b.belvedere, start: `${DAY}T11:00:00+01:00`, version: version + 1 });
    expect(loads()).toBe(0);

    // Now up to date, the first tab's next drag is written.
    await dragBlock(first, b.climate, '11:00', '10:00', b.agora);
    await blockIs(first, b.climate, { start: '10:00', end: '11:00', room: b.agora });
    expect(await first.getByRole('alert').count()).toBe(0);
    expect(await session(b, b.climate)).toMatchObject({ room: b.agora, start: `${DAY}T10:00:00+01:00`, version: version + 2 });
    // Two organisers signed in, three drags and a refusal: more than the default 20 s on a busy machine.
  }, 40_000);

  test('a block dropped at an hour the clock change skips is refused with the server\'s reason, and put back', async () => {
    const { t } = started();
    const api = apiAs(t.app, users.aminata.bearer);
    const slug = 'grille-heure-ete';
    ok(await api.post('/api/v1/events', { slug, title: { fr: 'Nuit du changement' }, timezone: 'Europe/Paris', defaultLanguage: 'fr', startDate: '2026-03-28', endDate: '2026-03-29' }), 201);
    const base = eventPath(slug);
    const room = ok<{ data: { id: string } }>(await api.post(`${base}/rooms`, { name: { fr: 'Agora' } }), 201).data.id;
    ok(await api.post(`${base}/rooms`, { name: { fr: 'Belvédère' } }), 201);
    const late = ok<{ data: { id: string } }>(await api.post(`${base}/sessions`, { title: { fr: 'Veillée' }, room, start: '2026-03-29T00:30', end: '2026-03-29T01:30' }), 201).data.id;
    ok(await api.post(`${base}/sessions`, { title: { fr: 'Aube' }, room, start: '2026-03-29T04:00', end: '2026-03-29T05:00' }), 201);
    const page = await signedIn(users.aminata);
    await started().visit(page, `/admin/events/${slug}/grid?day=2026-03-29`);
    await page.locator('#grid-snap').waitFor();
    await showTable(page);
    const rows = await page.locator('table[data-grid] tbody tr[data-time]').evaluateAll((list) => list.map((r) => (r as unknown as { getAttribute(n: string): string }).getAttribute('data-time')));
    expect(rows).toContain('02:00');
    const block = await box(page, `#session-${late}`);
    const from = await row(page, '00:30');
    const to = await row(page, '02:00');
    const fraction = (block.y + 6 - from.y) / from.height;
    await page.mouse.move(block.x + block.width / 2, block.y + 6);
    await page.mouse.down();
    await page.mouse.move(block.x + block.width / 2, to.y + fraction * to.height, { steps: 6 });
    expect(await status(page)).toBe('Déposer à Agora, 02:00–03:00. Aucun conflit.');
    await page.mouse.up();
    const reason = translate('fr', 'admin.error.clockChange');
    await expect.poll(() => page.getByRole('alert').innerText().catch(() => ''), { timeout: 5000 }).toContain(reason);
    await blockIs(page, late, { start: '00:30', end: '01:30', room });
    expect(ok<SessionOut>(await api.get(`${base}/sessions/${late}`))).toMatchObject({ start: '2026-03-29T00:30:00+01:00', version: 1 });

    // A large day's blocks carry no move form (a link to their move page instead): the script sends the move as that form would.
    await page.locator(`#session-${late} details`).evaluate((details: { remove(): void }) => details.remove());
    await page.locator('[data-grid-page] .admin-alert').evaluate((alert: { remove(): void }) => alert.remove());
    const again = await box(page, `#session-${late}`);
    await page.mouse.move(again.x + again.width / 2, again.y + 6);
    await page.mouse.down();
    await page.mouse.move(again.x + again.width / 2, (await row(page, '02:00')).y + fraction * to.height, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => page.getByRole('alert').innerText().catch(() => ''), { timeout: 5000 }).toContain(reason);
    await blockIs(page, late, { start: '00:30', end: '01:30', room });
  });
});
