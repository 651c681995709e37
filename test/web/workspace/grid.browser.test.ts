// The scheduling grid's script (views/assets/grid.js, grid-add.js) in a real browser: a block dragged
// to another room and time with the conflicts said before the drop, resized to the chosen snap, a
// session without a time dropped on a cell, a finger on a block's grip, Escape, a stale drop from a
// second organiser's tab refused and put back, a move the event refuses, the move form with the
// keyboard (no page load) and without JavaScript, "add a session here" in a dialog, and WCAG 2.1 AA;
// each move raises the session's calendar SEQUENCE on the next release. grid.test.ts checks the page itself.
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { axeViolations } from '../../helpers/axe.ts';
import { apiAs, eventPath, ok } from '../../helpers/api.ts';
import { skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';
import { release } from '../../helpers/releases.ts';
import { translate } from '../../../server/i18n/index.ts';

// The tsconfig has no DOM library (this is a server project): the few shapes the page callbacks touch.
declare const window: unknown;
declare const document: { activeElement: { id: string; tagName: string; textContent: string | null } | null };

const FRENCH: BrowserContextOptions = { locale: 'fr-FR', viewport: { width: 1280, height: 1800 } };
const DAY = '2026-03-10';
const NBSP = '\u00a0';

interface Built {
  slug: string;
  agora: string;
  belvedere: string;
  /** Ouverture (Agora 09:00–10:00, Ada), Climat (Belvédère 10:00–11:00, Ada), Eau (Agora 11:00–12:00), and one without a time. */
  opening: string;
  climate: string;
  water: string;
  unscheduled: string;
}

interface SessionOut { room: string | null; start: string | null; end: string | null; version: number }

describe.skipIf(skipWithoutChromium())("the grid's script in Chromium", () => {
  let aminata: TestUser;
  let bruno: TestUser;
  let events = 0;
  /** What the script threw, in every page of a test: nothing, ever. */
  let pageErrors: string[] = [];
  afterEach(() => {
    const thrown = pageErrors;
    pageErrors = [];
    expect(thrown).toEqual([]);
  });
  const started = useChromiumApp(FRENCH, async ({ t }) => {
    [aminata, bruno] = await Promise.all([
      addUser(t.app, 'organiser', undefined, 'Aminata Diallo'),
      addUser(t.app, 'organiser', undefined, 'Bruno Costa'),
    ]);
  });

  /** An event of two days with two rooms and four sessions on the first, built through the API, then released once. */
  async function build(): Promise<Built> {
    const { t } = started();
    const api = apiAs(t.app, aminata.bearer);
    events += 1;
    const slug = `grille-${events}`;
    ok(await api.post('/api/v1/events', { slug, title: { fr: `Grille ${events}` }, timezone: 'Europe/Paris', defaultLanguage: 'fr', startDate: DAY, endDate: '2026-03-11' }), 201);
    const base = eventPath(slug);
    const id = async (path: string, body: object) => ok<{ data: { id: string } }>(await api.post(`${base}/${path}`, body), 201).data.id;
    const agora = await id('rooms', { name: { fr: 'Agora' } });
    const belvedere = await id('rooms', { name: { fr: 'Belvédère' } });
    const ada = await id('people', { name: 'Ada Lovelace' });
    const speaker = [{ role: 'speaker', person: ada }];
    const at = (from: string, to: string) => ({ start: `${DAY}T${from}`, end: `${DAY}T${to}` });
    const built: Built = {
      slug, agora, belvedere,
      opening: await id('sessions', { title: { fr: 'Ouverture' }, kind: 'plenary', room: agora, ...at('09:00', '10:00'), contributors: speaker }),
      climate: await id('sessions', { title: { fr: 'Atelier climat' }, kind: 'workshop', room: belvedere, ...at('10:00', '11:00'), contributors: speaker }),
      water: await id('sessions', { title: { fr: 'Atelier eau' }, kind: 'workshop', room: agora, ...at('11:00', '12:00') }),
      unscheduled: await id('sessions', { title: { fr: 'Table ronde à placer' }, kind: 'panel' }),
    };
    release(t.app, slug);
    return built;
  }

  const session = async (b: Built, id: string) => ok<SessionOut>(await apiAs(started().t.app, aminata.bearer).get(`${eventPath(b.slug)}/sessions/${id}`));

  /** The SEQUENCE of a session's VEVENT in the public calendar of the event. */
  async function sequence(b: Built, id: string): Promise<number> {
    const feed = (await started().t.app.inject(`/events/${b.slug}/calendar.ics`)).body;
    const vevent = feed.split('BEGIN:VEVENT').find((block) => block.includes(`UID:${id}`));
    expect(vevent, `VEVENT of ${id}`).toBeDefined();
    return Number(/^SEQUENCE:(\d+)\r$/m.exec(vevent!)![1]);
  }

  /** Each organiser signs in once with the real form; later pages start from the cookies it left. */
  const signedInStates = new Map<TestUser, Awaited<ReturnType<BrowserContext['storageState']>>>();
  async function signedIn(user: TestUser, options: BrowserContextOptions = {}): Promise<Page> {
    const { origin, openPage } = started();
    const known = signedInStates.get(user);
    const page = await openPage(known ? { ...options, storageState: known } : options);
    page.on('pageerror', (error) => { pageErrors.push(error.message); });
    if (known) return page;
    await page.goto(origin + '/login');
    await page.getByLabel('Adresse électronique').fill(user.email);
    await page.getByLabel('Mot de passe').fill(user.password);
    await Promise.all([page.waitForURL(`${origin}/admin`), page.getByRole('button', { name: 'Se connecter' }).click()]);
    signedInStates.set(user, await page.context().storageState());
    return page;
  }

  /** Opens the grid of the day and counts the page loads from then on. */
  async function openGrid(page: Page, b: Built): Promise<{ loads: () => number }> {
    await started().visit(page, `/admin/events/${b.slug}/grid?day=${DAY}`);
    await page.locator('#grid-snap').waitFor();
    await showTable(page);
    let loads = 0;
    page.on('load', () => { loads += 1; });
    return { loads: () => loads };
  }

  /** Scrolls the grid's table to the top of the window, so that the pointer reaches all of it (the page above it grows with alerts). */
  const showTable = (page: Page) => page.locator('table[data-grid]').evaluate((table: { scrollIntoView(): void }) => table.scrollIntoView());

  type Box = { x: number; y: number; width: number; height: number };
  async function box(page: Page, selector: string): Promise<Box> {
    const found = await page.locator(selector).first().boundingBox();
    expect(found, selector).not.toBeNull();
    return found!;
  }
  const row = (page: Page, time: string) => box(page, `table[data-grid] tbody tr[data-time="${time}"]`);
  const column = (page: Page, room: string) => box(page, `table[data-grid] thead th[data-room="${room}"]`);
  const status = (page: Page) => page.locator('[data-grid-status]').innerText();

  /** Waits until the grid swapped in after a write shows the block with these data. */
  async function blockIs(page: Page, id: string, expected: { start: string; end: string; room: string }) {
    const block = page.locator(`#session-${id}`);
    await expect.poll(async () => ({
      start: await block.getAttribute('data-start'), end: await block.getAttribute('data-end'), room: await block.getAttribute('data-room'),
    }), { timeout: 5000 }).toEqual(expected);
  }

  /**
   * Drags a block by a point of its first row to the same point of another row and column:
   * the grab offset within the row is kept, so the block starts exactly at that row's time.
   */
  async function dragBlock(page: Page, id: string, fromTime: string, toTime: string, room: string, beforeDrop?: () => Promise<void>) {
    await showTable(page);
    const block = await box(page, `#session-${id}`);
    const from = await row(page, fromTime);
    const y = block.y + 6;
    const fraction = (y - from.y) / from.height;
    const to = await row(page, toTime);
    const target = await column(page, room);
    await page.mouse.move(block.x + block.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(target.x + target.width / 2, to.y + fraction * to.height, { steps: 6 });
    await beforeDrop?.();
    await page.mouse.up();
  }

  test('a block dragged to the other room and another time: the conflicts are said before the drop, the API writes it, the grid shows it, no page load', async () => {
    const b = await build();
    const page = await signedIn(aminata);
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
    const page = await signedIn(aminata);
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
    const page = await signedIn(aminata);
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

  test('on a touch screen a finger moves a block by its grip, and elsewhere on the block it does not drag', async () => {
    const b = await build();
    const page = await signedIn(aminata, { hasTouch: true });
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
    const page = await signedIn(aminata);
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
    const first = await signedIn(aminata);
    const second = await signedIn(bruno);
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

  test('with the keyboard: Tab to "Déplacer", Enter, type the start, Enter: moved without a page load, and its SEQUENCE rises', async () => {
    const b = await build();
    const page = await signedIn(aminata);
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
    const page = await signedIn(aminata);
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
    const page = await signedIn(aminata);
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

  test('a block dropped at an hour the clock change skips is refused with the server\'s reason, and put back', async () => {
    const { t } = started();
    const api = apiAs(t.app, aminata.bearer);
    const slug = 'grille-heure-ete';
    ok(await api.post('/api/v1/events', { slug, title: { fr: 'Nuit du changement' }, timezone: 'Europe/Paris', defaultLanguage: 'fr', startDate: '2026-03-28', endDate: '2026-03-29' }), 201);
    const base = eventPath(slug);
    const room = ok<{ data: { id: string } }>(await api.post(`${base}/rooms`, { name: { fr: 'Agora' } }), 201).data.id;
    ok(await api.post(`${base}/rooms`, { name: { fr: 'Belvédère' } }), 201);
    const late = ok<{ data: { id: string } }>(await api.post(`${base}/sessions`, { title: { fr: 'Veillée' }, room, start: '2026-03-29T00:30', end: '2026-03-29T01:30' }), 201).data.id;
    ok(await api.post(`${base}/sessions`, { title: { fr: 'Aube' }, room, start: '2026-03-29T04:00', end: '2026-03-29T05:00' }), 201);
    const page = await signedIn(aminata);
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

  test('"add a session here" opens the new-session form in a dialog: a refused save shows it again, a saved one closes it and the grid shows the session there', async () => {
    const b = await build();
    const page = await signedIn(aminata);
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
    const page = await signedIn(aminata);
    await openGrid(page, b);
    expect(await axeViolations(page)).toEqual([]);
    await page.waitForFunction(() => (window as unknown as { forumGrid?: { addsInDialog?: boolean } }).forumGrid?.addsInDialog === true);
    await page.locator(`td[data-room="${b.belvedere}"][data-time="09:00"] a.grid__add`).click();
    await page.getByRole('dialog').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  test('without JavaScript the move form moves the session in one page load, and its SEQUENCE rises', async () => {
    const b = await build();
    const page = await signedIn(aminata, { javaScriptEnabled: false });
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
