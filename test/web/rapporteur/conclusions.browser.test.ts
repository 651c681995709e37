// The rapporteurs' conclusions form in a real browser (Debian's Chromium driven by
// playwright-core): submitted on a 360 px phone with JavaScript disabled; with JavaScript, a
// save that cannot reach the server keeps the text in the browser and offers it back on the
// next visit, until a save succeeds; and "add a key point" adds a labelled row in place.
// test/web/rapporteur/pages.test.ts goes through the same form with app.inject.
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { FORUM_2019 } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { PHONE, scrollWidth, skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';
import { apiAs, sessionsByTitle, type Api } from '../../helpers/api.ts';
import { assign, current, outputIds } from '../../helpers/conclusions.ts';
import { formPath } from '../../helpers/conclusions-pages.ts';

// The tsconfig has no DOM library (this is a server project); the callbacks below run in
// the page, and these are the few browser shapes they touch.
interface PageElement { id: string; labels: ArrayLike<{ textContent: string | null }> | null }
declare const document: { activeElement: PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };
declare const localStorage: { getItem(key: string): string | null };

/** French, the language of the 2019 forum, on a phone. */
const RAPPORTEUR: BrowserContextOptions = { viewport: PHONE, locale: 'fr-FR' };
const NO_SCRIPT: BrowserContextOptions = { ...RAPPORTEUR, javaScriptEnabled: false };

const REVIEW = 'Bilan du travail effectué';
const SENDAI = "Apprendre d'un exemple : localiser le cadre de Sendai";
const MODULES = 'Evolution des modules et méthodologies';

describe.skipIf(skipWithoutChromium())("the rapporteurs' conclusions form in Chromium", () => {
  let organiser: TestUser;
  let rapporteur: TestUser;
  let asRapporteur: Api;
  let sessions: Record<string, string>;
  let outputs: string[];

  const started = useChromiumApp(RAPPORTEUR, async ({ t: { app } }) => {
    organiser = await addUser(app, 'organiser', FORUM_2019, 'Aminata Diallo');
    rapporteur = await addUser(app, 'rapporteur', undefined, 'Jean Rapporteur');
    const asOrganiser = apiAs(app, organiser.bearer);
    asRapporteur = apiAs(app, rapporteur.bearer);
    sessions = await sessionsByTitle(asOrganiser, FORUM_2019);
    outputs = await outputIds(asOrganiser, FORUM_2019);
    for (const title of [REVIEW, SENDAI, MODULES]) await assign(asOrganiser, FORUM_2019, sessions[title]!, rapporteur);
  });

  /** Signs in by typing in the form /rapporteur leads to; answers on the rapporteur's sessions. */
  async function signedInPage(options: BrowserContextOptions = {}): Promise<Page> {
    const { origin } = started();
    const page = await started().openPage(options);
    await page.goto(origin + '/rapporteur');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Adresse électronique').pressSequentially(rapporteur.email);
    await page.getByLabel('Mot de passe').pressSequentially(rapporteur.password);
    await Promise.all([
      page.waitForURL(`${origin}/rapporteur`),
      page.getByRole('button', { name: 'Se connecter' }).click(),
    ]);
    expect(await page.locator('main h1').innerText()).toBe('Mes sessions');
    return page;
  }

  const formUrl = (title: string) => `${started().origin}${formPath(FORUM_2019, sessions[title]!)}`;
  const draftKey = (title: string) => `conclusions:${FORUM_2019}:${sessions[title]}`;
  const stored = (page: Page, key: string) => page.evaluate((k) => localStorage.getItem(k), key);

  test('without JavaScript on a 360 px phone, a rapporteur opens their session, writes, ties an output and submits', async () => {
    const page = await signedInPage(NO_SCRIPT);
    expect(await scrollWidth(page), 'scrollWidth of /rapporteur').toBeLessThanOrEqual(PHONE.width);
    await Promise.all([
      page.waitForURL(formUrl(REVIEW)),
      page.getByRole('link', { name: REVIEW }).click(),
    ]);
    expect(await page.locator('main h1').innerText()).toBe(`Conclusions : ${REVIEW}`);
    expect(await scrollWidth(page), 'scrollWidth of the empty form').toBeLessThanOrEqual(PHONE.width);
    // Without the script, the "more rows" button is there and no "add" button.
    expect(await page.getByRole('button', { name: 'Plus de lignes (sans enregistrer)' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Ajouter un point clé' }).count()).toBe(0);

    await page.getByLabel('Résumé', { exact: true }).pressSequentially('Les villes apprennent les unes des autres.');
    const first = page.getByRole('group', { name: 'Recommandation 1' });
    await first.getByLabel('Texte').pressSequentially('Financer des visites entre pairs');
    await first.getByRole('checkbox', { name: /^Résultat 1 / }).check();
    await Promise.all([
      page.waitForURL(`${formUrl(REVIEW)}?saved=submitted`),
      page.getByRole('button', { name: 'Enregistrer et soumettre' }).click(),
    ]);
    expect(await page.locator('main .notice').innerText()).toBe('Enregistré et soumis aux organisateurs.');
    expect(await page.locator('main .facts .conclusions-state').innerText()).toBe('soumises');
    expect(await page.getByLabel('Résumé', { exact: true }).inputValue()).toBe('Les villes apprennent les unes des autres.');
    expect(await first.getByRole('checkbox', { name: /^Résultat 1 / }).isChecked()).toBe(true);
    expect(await scrollWidth(page), 'scrollWidth of the submitted form').toBeLessThanOrEqual(PHONE.width);

    const saved = await current(asRapporteur, FORUM_2019, sessions[REVIEW]!);
    expect([saved.state, saved.revision, saved.content?.summary, saved.content?.recommendations]).toEqual([
      'submitted', 1, 'Les villes apprennent les unes des autres.', [{ text: 'Financer des visites entre pairs', outputs: [outputs[0]] }],
    ]);
  });

  test('with JavaScript, a save that cannot reach the server keeps the text in the browser, which offers it back until a save succeeds', async () => {
    const page = await signedInPage();
    const context = page.context();
    await page.goto(formUrl(SENDAI));
    const summary = page.getByLabel('Résumé', { exact: true });
    const text = 'Écrit dans la salle, sans réseau fiable.';
    await summary.pressSequentially(text);
    expect(JSON.parse((await stored(page, draftKey(SENDAI)))!).values.summary).toBe(text);

    // Offline: the save is stopped there, and the page says the text is kept.
    const posts: string[] = [];
    page.on('request', (request) => { if (request.method() === 'POST') posts.push(request.url()); });
    const offline = page.locator('[data-offline-message]');
    expect(await offline.isVisible()).toBe(false);
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await offline.waitFor({ state: 'visible' });
    expect(await offline.innerText()).toBe('Pas de connexion : votre texte reste gardé dans ce navigateur. Enregistrez à nouveau une fois la connexion revenue.');
    expect(await offline.getAttribute('role')).toBe('alert');
    expect(page.url()).toBe(formUrl(SENDAI));
    expect(posts).toEqual([]);
    await context.setOffline(false);
    await offline.waitFor({ state: 'hidden' });

    // The browser thinks it is online but the request never reaches the server.
    await page.route('**/rapporteur/**', (route) => (route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue()));
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click().catch(() => undefined);
    await expect.poll(() => posts.length).toBe(1);
    await page.unroute('**/rapporteur/**');
    expect((await current(asRapporteur, FORUM_2019, sessions[SENDAI]!)).revision).toBe(0);

    // The next visit offers the kept text back; the form itself shows what the server has.
    await page.goto(formUrl(SENDAI));
    const panel = page.getByRole('region', { name: 'Brouillon gardé dans ce navigateur' });
    await panel.waitFor({ state: 'visible' });
    expect(await panel.locator('[data-restore-text]').innerText()).toMatch(/^Ce navigateur a gardé un texte que le serveur n'a pas reçu \(saisi le .+\)\.$/);
    expect(await summary.inputValue()).toBe('');
    await panel.getByRole('button', { name: 'Reprendre ce texte' }).click();
    expect(await panel.isVisible()).toBe(false);
    expect(await summary.inputValue()).toBe(text);

    await Promise.all([
      page.waitForURL(`${formUrl(SENDAI)}?saved=saved`),
      page.getByRole('button', { name: 'Enregistrer le brouillon' }).click(),
    ]);
    expect(await page.locator('main .notice').innerText()).toBe('Enregistré.');
    expect(await stored(page, draftKey(SENDAI))).toBeNull();
    expect((await current(asRapporteur, FORUM_2019, sessions[SENDAI]!)).content?.summary).toBe(text);
    // Nothing is offered back any more.
    await page.goto(formUrl(SENDAI));
    expect(await panel.isVisible()).toBe(false);
  });

  test('with JavaScript, "add a key point" adds a labelled row in place, and the point added there is saved', async () => {
    const page = await signedInPage();
    await page.goto(formUrl(MODULES));
    // The script's buttons replace the no-script one.
    expect(await page.getByRole('button', { name: 'Plus de lignes (sans enregistrer)' }).isVisible()).toBe(false);
    const rows = page.locator('[data-list="keyPoints"] [data-row]');
    expect(await rows.count()).toBe(2);
    await page.getByLabel('Point clé 1', { exact: true }).pressSequentially('Premier point');
    await page.getByLabel('Point clé 2', { exact: true }).pressSequentially('Deuxième point');

    await page.getByRole('button', { name: 'Ajouter un point clé' }).click();
    expect(await rows.count()).toBe(3);
    const added = rows.nth(2).locator('textarea');
    expect(await added.getAttribute('id')).toBe('field-keyPoints-2');
    expect(await added.getAttribute('name')).toBe('keyPoints.2');
    expect(await added.inputValue()).toBe('');
    expect(await added.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await added.evaluate((element) => Array.from((element as unknown as PageElement).labels ?? [], (label) => label.textContent))).toEqual(['Point clé 3']);
    const ids = await page.evaluate(() => Array.from(document.querySelectorAll('[id]'), (element) => element.id));
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);

    await page.keyboard.type('Point ajouté sur place');
    await Promise.all([
      page.waitForURL(`${formUrl(MODULES)}?saved=saved`),
      page.getByRole('button', { name: 'Enregistrer le brouillon' }).click(),
    ]);
    expect((await current(asRapporteur, FORUM_2019, sessions[MODULES]!)).content?.keyPoints).toEqual([
      'Premier point', 'Deuxième point', 'Point ajouté sur place',
    ]);
    expect(await page.getByLabel('Point clé 3', { exact: true }).inputValue()).toBe('Point ajouté sur place');
  });
});
