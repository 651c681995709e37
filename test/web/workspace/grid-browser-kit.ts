// What the grid's browser tests share (grid.browser.test.ts for the pointer, grid-forms.browser.test.ts
// for the forms and the dialog): one Chromium and app, two organisers signed in once each with the real
// form, a small event built through the API and released, and ways to point at the grid's rows and rooms.
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, ok } from '../../helpers/api.ts';
import { useChromiumApp } from '../../helpers/chromium.ts';
import { release } from '../../helpers/releases.ts';

export const FRENCH: BrowserContextOptions = { locale: 'fr-FR', viewport: { width: 1280, height: 1800 } };
export const DAY = '2026-03-10';
export const NBSP = '\u00a0';

export interface Built {
  slug: string;
  agora: string;
  belvedere: string;
  /** Ouverture (Agora 09:00–10:00, Ada), Climat (Belvédère 10:00–11:00, Ada), Eau (Agora 11:00–12:00), and one without a time. */
  opening: string;
  climate: string;
  water: string;
  unscheduled: string;
}

export interface SessionOut { room: string | null; start: string | null; end: string | null; version: number }

/** For a describe block: its browser and app, the organisers Aminata and Bruno, and the helpers below. */
export function useGridBrowser() {
  const users = {} as { aminata: TestUser; bruno: TestUser };
  let events = 0;
  /** What the script threw, in every page of a test: nothing, ever. */
  let pageErrors: string[] = [];
  afterEach(() => {
    const thrown = pageErrors;
    pageErrors = [];
    expect(thrown).toEqual([]);
  });
  const started = useChromiumApp(FRENCH, async ({ t }) => {
    [users.aminata, users.bruno] = await Promise.all([
      addUser(t.app, 'organiser', undefined, 'Aminata Diallo'),
      addUser(t.app, 'organiser', undefined, 'Bruno Costa'),
    ]);
  });

  /** An event of two days with two rooms and four sessions on the first, built through the API, then released once. */
  async function build(): Promise<Built> {
    const { t } = started();
    const api = apiAs(t.app, users.aminata.bearer);
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

  const session = async (b: Built, id: string) => ok<SessionOut>(await apiAs(started().t.app, users.aminata.bearer).get(`${eventPath(b.slug)}/sessions/${id}`));

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

  return { started, users, build, session, sequence, signedIn, openGrid, showTable, box, row, column, status, blockIs, dragBlock };
}
