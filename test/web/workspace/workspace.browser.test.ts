// The organisers' workspace (/admin) in a real browser (Debian's Chromium driven by
// playwright-core): a session built and released on a phone with JavaScript disabled, the
// script's conveniences with it, no sideways scrolling at 360 px, and the keyboard.
// test/web/workspace/releases.test.ts goes through the same forms with app.inject.
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { FORUM_2019 } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { PHONE, scrollWidth, skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';

// The tsconfig has no DOM library (this is a server project); the callbacks below run in
// the page, and these are the few browser shapes they touch.
interface PageElement {
  id: string;
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  matches(selector: string): boolean;
}
declare const document: { activeElement: PageElement | null; querySelector(selector: string): PageElement | null };
declare function getComputedStyle(element: PageElement): { outlineStyle: string; outlineWidth: string };

/** French, the language of the 2019 forum, on a phone. */
const ORGANISER: BrowserContextOptions = { viewport: PHONE, locale: 'fr-FR' };
const NO_SCRIPT: BrowserContextOptions = { ...ORGANISER, javaScriptEnabled: false };
const BASE = `/admin/events/${FORUM_2019}`;
const PUBLIC = `/events/${FORUM_2019}`;
const SESSION_PAGE = new RegExp(`${BASE}/sessions/([0-9a-f-]{36})\\?saved=created$`);
const CONTROLS = 'input:not([type="hidden"]), select, textarea';

describe.skipIf(skipWithoutChromium())("the organisers' workspace in Chromium", () => {
  let organiser: TestUser;
  const started = useChromiumApp(ORGANISER, async ({ t }) => {
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
  });

  const visit = (page: Page, pathname: string) => started().visit(page, pathname);

  /** Signs in by typing in the form /admin leads to; answers on the workspace's home. */
  async function signIn(page: Page): Promise<void> {
    const { origin } = started();
    await page.goto(origin + '/admin');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Adresse électronique').pressSequentially(organiser.email);
    await page.getByLabel('Mot de passe').pressSequentially(organiser.password);
    await Promise.all([
      page.waitForURL(`${origin}/admin`),
      page.getByRole('button', { name: 'Se connecter' }).click(),
    ]);
    expect(await page.locator('main h1').innerText()).toBe('Espace des organisateurs');
  }

  async function signedInPage(options: BrowserContextOptions = {}): Promise<Page> {
    const page = await started().openPage(options);
    await signIn(page);
    return page;
  }

  /** The labels of each control of a form, by name: every field must have one. */
  async function labelsOf(page: Page, form: string): Promise<Record<string, string[]>> {
    const pairs = await page.locator(form).locator(CONTROLS).evaluateAll((elements) => elements.map((element) => [
      element.getAttribute('name') ?? element.id,
      Array.from(element.labels ?? [], (label: { textContent: string | null }) => (label.textContent ?? '').replace(/\s+/g, ' ').trim()),
    ] as const));
    return Object.fromEntries(pairs);
  }

  function expectEveryControlLabelled(labels: Record<string, string[]>): void {
    expect(Object.keys(labels).length).toBeGreaterThan(0);
    for (const [name, texts] of Object.entries(labels)) {
      expect(texts.length, `labels of ${name}`).toBeGreaterThan(0);
      expect(texts.every((text) => text !== ''), `labels of ${name}: ${texts.join(' | ')}`).toBe(true);
    }
  }

  /** The address of the first session of the bundled programme in the workspace. */
  async function firstSessionPath(page: Page): Promise<string> {
    await visit(page, `${BASE}/sessions`);
    const href = await page.locator('main table tbody th a').first().getAttribute('href');
    expect(href).toMatch(new RegExp(`^${BASE}/sessions/[0-9a-f-]{36}$`));
    return href!;
  }

  test('without JavaScript on a phone, an organiser signs in, creates a session, releases it, and participants see it', async () => {
    const { origin } = started();
    const page = await signedInPage(NO_SCRIPT);
    const title = 'Atelier des villes intermédiaires';

    await visit(page, `${BASE}/sessions/new`);
    const form = 'main form.admin-form';
    expectEveryControlLabelled(await labelsOf(page, form));
    // Without the script there is no "add a row" button, and three empty contributor rows instead.
    expect(await page.getByRole('button', { name: 'Ajouter une ligne' }).count()).toBe(0);
    expect(await page.locator('.admin-contributor').count()).toBe(3);

    const titleGroup = page.getByRole('group', { name: /^Titre/ });
    await titleGroup.getByLabel('Français').pressSequentially(title);
    await titleGroup.getByLabel('English').pressSequentially('Intermediary cities workshop');
    await page.getByLabel('Format').selectOption({ label: 'Atelier' });
    // A one-day event: the day is said, not asked.
    await page.getByLabel('Début', { exact: true }).fill('18:00');
    await page.getByLabel('Durée (minutes)').fill('45');
    await Promise.all([
      page.waitForURL(SESSION_PAGE),
      page.getByRole('button', { name: 'Créer la session' }).click(),
    ]);
    const sessionId = SESSION_PAGE.exec(page.url())![1]!;
    expect(await page.locator('main .notice').innerText()).toBe('Session créée.');
    expect(await page.locator('main h1').innerText()).toBe('Modifier la session');
    expect(await titleGroup.getByLabel('Français').inputValue()).toBe(title);
    expect(await page.locator('#f-kind option:checked').innerText()).toBe('Atelier');
    expect(await page.locator('#f-slot option:checked').innerText()).toBe('mardi 12 novembre 2019, 18:00–18:45');
    expect(await scrollWidth(page), 'scrollWidth of the new session page').toBeLessThanOrEqual(PHONE.width);

    // Participants do not see the working copy.
    const reader = await started().openPage({ viewport: PHONE, locale: 'fr-FR' });
    await visit(reader, PUBLIC);
    expect(await reader.locator(`#session-${sessionId}`).count()).toBe(0);

    await visit(page, `${BASE}/releases`);
    expect(await page.locator('.release-pending .change--new a').allInnerTexts()).toEqual([title]);
    expectEveryControlLabelled(await labelsOf(page, 'main .release-form form'));
    await page.getByLabel('Nom de la version').pressSequentially('2');
    await Promise.all([
      page.waitForURL(`${origin}${BASE}/releases?saved=1`),
      page.locator('.release-form').getByRole('button', { name: 'Publier' }).click(),
    ]);
    expect(await page.locator('main .notice', { hasText: 'Version publiée' }).innerText()).toContain('Version publiée : les participants la voient maintenant.');
    expect(await page.locator('.release-history__list li').first().innerText()).toContain('2');

    await visit(reader, PUBLIC);
    const card = reader.locator('.session', { has: reader.locator('.session__title', { hasText: title }) });
    expect(await card.count()).toBe(1);
    expect(await card.getAttribute('id')).toBe(`session-${sessionId}`);
    expect(await card.isVisible()).toBe(true);
    expect(await reader.locator('.slot', { has: card }).locator('.slot__time').innerText()).toBe('18:00–18:45');
  });

  test('with JavaScript, the session form focuses its errors, marks missing translations, adds contributor rows, and deleting asks first', async () => {
    const { origin } = started();
    const page = await signedInPage();
    await visit(page, `${BASE}/sessions/new`);

    // A refused save: the error summary takes the focus.
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && response.status() === 422),
      page.getByRole('button', { name: 'Créer la session' }).click(),
    ]);
    await page.waitForFunction(() => document.activeElement?.matches('.admin-error-summary') ?? false);
    expect(await page.locator('.admin-error-summary li').allInnerTexts()).toEqual(['Titre : À remplir.']);

    // The missing-translation markers follow what is typed.
    const titleGroup = page.getByRole('group', { name: /^Titre/ });
    const marker = (language: string) => titleGroup.locator('.admin-localized__input', { has: page.getByLabel(language) }).locator('.admin-missing');
    expect(await marker('English').isVisible()).toBe(false);
    await titleGroup.getByLabel('Français').pressSequentially('Table ronde des maires');
    expect(await marker('English').isVisible()).toBe(true);
    expect(await marker('Español').isVisible()).toBe(true);
    await titleGroup.getByLabel('English').pressSequentially("Mayors' panel");
    expect(await marker('English').isVisible()).toBe(false);
    expect(await marker('Español').isVisible()).toBe(true);

    // "Add a row" adds a fourth contributor row, its fields labelled and numbered, and focuses it.
    const rows = page.locator('.admin-contributor');
    expect(await rows.count()).toBe(3);
    await page.getByRole('button', { name: 'Ajouter une ligne' }).click();
    expect(await rows.count()).toBe(4);
    const added = rows.nth(3);
    expect(await added.locator('legend').innerText()).toBe('Intervenant 4');
    expect(await labelsOf(page, '.admin-contributor >> nth=3')).toEqual({
      'contributors.3.role': ['Rôle'], 'contributors.3.person': ['Personne'], 'contributors.3.organisation': ['Organisation'],
    });
    expect(await added.locator('select').first().evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await added.getByLabel('Rôle').inputValue()).toBe('speaker');
    await added.getByLabel('Rôle').selectOption({ label: 'Modération' });
    await added.getByLabel('Organisation').selectOption({ label: 'CGLU' });
    expectEveryControlLabelled(await labelsOf(page, 'main form.admin-form'));

    await page.getByLabel('Format').selectOption({ label: 'Table ronde' });
    await page.getByLabel('Début', { exact: true }).fill('19:00');
    await page.getByLabel('Durée (minutes)').fill('30');
    await Promise.all([
      page.waitForURL(SESSION_PAGE),
      page.getByRole('button', { name: 'Créer la session' }).click(),
    ]);
    const sessionUrl = page.url().replace(/\?.*$/, '');
    expect(await page.locator('main .notice').innerText()).toBe('Session créée.');
    // The added row was sent: the session has that contributor, now in the first row.
    expect(await page.locator('#f-contributors-0-role option:checked').innerText()).toBe('Modération');
    expect(await page.locator('#f-contributors-0-organisation option:checked').innerText()).toBe('CGLU');
    expect(await rows.count()).toBe(4);

    // Deleting the draft asks first: dismissed, nothing happens; accepted, it is deleted.
    const deleteButton = page.getByRole('button', { name: 'Supprimer ce brouillon' });
    const messages: string[] = [];
    page.once('dialog', (dialog) => { messages.push(dialog.message()); void dialog.dismiss(); });
    await deleteButton.click();
    expect(messages).toEqual(['Supprimer définitivement cet élément ?']);
    expect(page.url()).toBe(`${sessionUrl}?saved=created`);
    expect((await page.request.get(sessionUrl)).status()).toBe(200);

    page.once('dialog', (dialog) => { messages.push(dialog.message()); void dialog.accept(); });
    await Promise.all([
      page.waitForURL(`${origin}${BASE}/sessions?saved=deleted`),
      deleteButton.click(),
    ]);
    expect(messages).toHaveLength(2);
    expect(await page.locator('main .notice').innerText()).toBe('Supprimé.');
    expect(await page.locator(`main a[href="${new URL(sessionUrl).pathname}"]`).count()).toBe(0);
    expect((await page.request.get(sessionUrl)).status()).toBe(404);
  });

  test('on a 360 px phone no page of the workspace scrolls sideways', async () => {
    const page = await signedInPage();
    const pages = [
      '/admin', BASE, `${BASE}/sessions`, await firstSessionPath(page), `${BASE}/sessions/new`,
      ...['parts', 'slots', 'rooms', 'people', 'organisations', 'outputs', 'settings', 'audit', 'releases'].map((path) => `${BASE}/${path}`),
    ];
    const widths: Record<string, number> = {};
    for (const pathname of pages) {
      await visit(page, pathname);
      widths[pathname] = await scrollWidth(page);
    }
    for (const [pathname, width] of Object.entries(widths)) {
      expect(width, `scrollWidth of ${pathname}`).toBeLessThanOrEqual(PHONE.width);
    }
  });

  test('on a session page, Tab from the top reaches the title and the save button, and every stop shows its focus', async () => {
    const page = await signedInPage();
    await visit(page, await firstSessionPath(page));

    const focused = () => page.evaluate(() => {
      const element = document.activeElement;
      if (!element) return null;
      const style = getComputedStyle(element);
      return {
        what: `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} ${(element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40)}`,
        type: element.getAttribute('type'),
        /** False when the focus is on a part the browser draws inside the element (a date picker's button). */
        own: element.matches(':focus'),
        submit: element === document.querySelector('main form.admin-form button[type="submit"]'),
        outlineStyle: style.outlineStyle,
        outlineWidth: style.outlineWidth,
      };
    });

    const stops: NonNullable<Awaited<ReturnType<typeof focused>>>[] = [];
    while (!stops.at(-1)?.submit && stops.length < 150) {
      await page.keyboard.press('Tab');
      const stop = await focused();
      expect(stop, `focus after ${stops.length + 1} Tab presses`).not.toBeNull();
      stops.push(stop!);
    }
    const titleAt = stops.findIndex((stop) => stop.what.startsWith('input#f-title-fr'));
    expect(titleAt, stops.map((stop) => stop.what).join('\n')).toBeGreaterThan(0);
    expect(stops.at(-1)?.submit, 'the save button is reached').toBe(true);
    expect(stops.at(-1)?.what).toMatch(/^button Enregistrer$/);
    expect(stops[0]!.what).toBe('a Aller au contenu');

    for (const [n, stop] of stops.entries()) {
      if (!stop.own) {
        // Chromium's own calendar or clock button inside a datetime-local or time input: its outline is the browser's.
        expect(['datetime-local', 'time'], `Tab ${n + 1}: focus inside ${stop.what}`).toContain(stop.type);
        continue;
      }
      expect(stop.outlineStyle, `outline of ${stop.what} (Tab ${n + 1})`).not.toBe('none');
      expect(Number.parseFloat(stop.outlineWidth), `outline width of ${stop.what} (Tab ${n + 1})`).toBeGreaterThanOrEqual(2);
    }
    expect(stops.filter((stop) => stop.own).length).toBeGreaterThan(40);
  });
});
