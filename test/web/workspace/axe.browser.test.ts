// axe-core on the workspace's pages in Chromium: no WCAG 2.1 A or AA violation on the grid
// (with and without its script), the card editor, the session form (new, edit, refused), the
// new-event form, a collection form, the release page, the import pages, the bulk list of
// sessions, the copy page and the audit page. A failure lists each violation as
// "rule (impact) at selector: what to fix".
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { FORUM_2019, SEMINAR_2015 } from '../../helpers/app.ts';
import { apiAs, eventPath, listOf, ok } from '../../helpers/api.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { axeViolations, withoutAppScripts } from '../../helpers/axe.ts';
import { skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';

/** French, the language of the 2019 forum, on a laptop screen. */
const ORGANISER: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: 'fr-FR' };
const FORUM = `/admin/events/${FORUM_2019}`;

describe.skipIf(skipWithoutChromium())('the workspace pages against WCAG 2.1 A/AA (axe-core)', () => {
  let organiser: TestUser;
  let firstSession: string;
  let signedIn: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;
  // The forum gets a second room, so that its grid has two columns; the 2015 seminar keeps none
  // and stays on the card editor at its editor's address.
  const started = useChromiumApp(ORGANISER, async ({ t }) => {
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    const api = apiAs(t.app, organiser.bearer);
    ok(await api.post(`${eventPath(FORUM_2019)}/rooms`, { name: { fr: 'Salle Atlas', en: 'Atlas room' } }), 201);
    firstSession = (await listOf(api, FORUM_2019, 'sessions'))[0]!.id;
  });

  /** A page signed in as the organiser (the cookies of one sign-in through the real form); scripts off when asked. */
  async function signedInPage(options: { scripts?: boolean } = {}): Promise<Page> {
    const { origin } = started();
    if (!signedIn) {
      const first = await started().openPage();
      await first.goto(`${origin}/login`);
      await first.getByLabel('Adresse électronique').fill(organiser.email);
      await first.getByLabel('Mot de passe').fill(organiser.password);
      await Promise.all([first.waitForURL(`${origin}/admin`), first.getByRole('button', { name: 'Se connecter' }).click()]);
      signedIn = await first.context().storageState();
    }
    const page = await started().openPage({ storageState: signedIn });
    if (options.scripts === false) await withoutAppScripts(page.context());
    return page;
  }

  /** Opens each path (200 expected) and collects its violations, by path, so that one run names every page at fault. */
  async function violationsOf(page: Page, paths: string[]): Promise<Record<string, string[]>> {
    const found: Record<string, string[]> = {};
    for (const pathname of paths) {
      await started().visit(page, pathname);
      found[pathname] = await axeViolations(page);
    }
    return found;
  }

  const none = (paths: string[]) => Object.fromEntries(paths.map((p) => [p, []]));

  test('the new-event form, the card editor, the session form, a room form, releases, the bulk list, the audit, the copy page of a day, the list view of a grid event', async () => {
    const page = await signedInPage();
    const paths = [
      '/admin',
      `/admin/events/${SEMINAR_2015}`,
      `${FORUM}/sessions/new`,
      `${FORUM}/sessions/${firstSession}`,
      `${FORUM}/rooms/new`,
      `${FORUM}/releases`,
      `${FORUM}/sessions`,
      `${FORUM}/audit`,
      `${FORUM}/copy?day=2019-11-12`,
      `${FORUM}/list`,
    ];
    expect(await violationsOf(page, paths)).toEqual(none(paths));
  });

  test('a violation is reported as a line saying the rule, its impact, the element and what to fix', async () => {
    // Without this, an axe that found nothing because it never ran would pass every case above.
    const page = await signedInPage();
    await started().visit(page, `${FORUM}/rooms/new`);
    await page.locator('main form.admin-form').evaluate((form: { insertAdjacentHTML(where: string, html: string): void }) => {
      form.insertAdjacentHTML('beforeend', '<input type="text" id="unlabelled-probe" name="probe">');
    });
    const lines = await axeViolations(page);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^label \(critical\) at #unlabelled-probe: Form elements must have labels — Fix any of the following: .+ \[https:\/\/dequeuniversity\.com\/rules\/axe\/4\.\d+\/label\?application=axeAPI\]$/);
  });

  test('the session form refused (422), with its error summary and the errors beside the fields', async () => {
    const page = await signedInPage();
    await started().visit(page, `${FORUM}/sessions/new`);
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.locator('main form.admin-form button[type="submit"]').last().click(),
    ]);
    expect(answer.status()).toBe(422);
    await page.waitForLoadState('load');
    expect(await page.locator('.admin-error-summary li').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  test('the grid of a two-room event, with its script (and its add dialog open) and without it', async () => {
    const grid = `${FORUM}/grid?day=2019-11-12`;
    const scripted = await signedInPage();
    await started().visit(scripted, grid);
    await scripted.locator('[data-grid-page].grid--scripted').waitFor();
    const withScript = await axeViolations(scripted);
    // The dialog holding the new-session form, opened from an empty cell's "+".
    await scripted.locator('a.grid__add').first().click();
    await scripted.locator('dialog[open] form').waitFor();
    const withDialog = await axeViolations(scripted);

    const plain = await signedInPage({ scripts: false });
    await started().visit(plain, grid);
    expect(await plain.locator('[data-grid-page].grid--scripted').count(), 'the script did not run').toBe(0);
    expect({ withScript, withDialog, withoutScript: await axeViolations(plain) }).toEqual({ withScript: [], withDialog: [], withoutScript: [] });
  });

  test("the import page of an event, the import of a new event, and an import's preview", async () => {
    const page = await signedInPage();
    const pages = await violationsOf(page, [`${FORUM}/import`, '/admin/import']);
    await started().visit(page, `${FORUM}/import`);
    // A CSV that creates a session and a room: the preview lists what will be created.
    const csv = 'titre;jour;début;fin;salle\nAtelier des maires;2019-11-12;18:00;19:00;Salle Zambèze\n';
    await page.getByLabel('Fichier').setInputFiles({ name: 'sessions.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await Promise.all([page.waitForURL(new RegExp(`${FORUM}/import/[A-Za-z0-9_-]{43}$`)), page.getByRole('button', { name: 'Lire le fichier' }).click()]);
    expect(await page.locator('main').innerText()).toContain('Atelier des maires');
    expect({ ...pages, preview: await axeViolations(page) }).toEqual({ ...none([`${FORUM}/import`, '/admin/import']), preview: [] });
  });
});
