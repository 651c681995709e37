// axe-core on the workspace's pages in Chromium: no WCAG 2.1 A or AA violation on the grid
// (with and without its script), the card editor, the session form (new, edit, refused), the
// new-event form, a collection form, the release page, the import pages, the bulk list of
// sessions, the copy page and the audit page. A failure lists each violation as
// "rule (impact) at selector: what to fix".
import type { BrowserContextOptions, Page } from 'playwright-core';
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
  // The forum gets a second room, so that its grid has two columns; the 2015 seminar keeps none
  // and stays on the card editor at its editor's address.
  const started = useChromiumApp(ORGANISER, async ({ t }) => {
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    const api = apiAs(t.app, organiser.bearer);
    ok(await api.post(`${eventPath(FORUM_2019)}/rooms`, { name: { fr: 'Salle Atlas', en: 'Atlas room' } }), 201);
    firstSession = (await listOf(api, FORUM_2019, 'sessions'))[0]!.id;
  });

  /** A page signed in as the organiser, through the real sign-in form; scripts off when asked. */
  async function signedInPage(options: { scripts?: boolean } = {}): Promise<Page> {
    const { origin } = started();
    const page = await started().openPage();
    if (options.scripts === false) await withoutAppScripts(page.context());
    await page.goto(`${origin}/login`);
    await page.getByLabel('Adresse électronique').fill(organiser.email);
    await page.getByLabel('Mot de passe').fill(organiser.password);
    await Promise.all([page.waitForURL(`${origin}/admin`), page.getByRole('button', { name: 'Se connecter' }).click()]);
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

  test('the existing workspace pages: the new-event form, the card editor, the session form, a room form, releases, the bulk list, the audit', async () => {
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

  test.todo('the grid of a two-room event, with its script and without it (waits for the grid page, /admin/events/:slug/grid)');
  test.todo('the import page, the import of a new event and the preview of an import (wait for the import pages)');
  test.todo("the copy page of a day (waits for /admin/events/:slug/copy)");
});
