// Imports in a real browser (Debian's Chromium, JavaScript off, on a phone): the file chosen in
// the form's file input, the preview, the import confirmed with the keyboard, in French.
// test/web/workspace/imports.test.ts goes through the same pages with app.inject.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { FORUM_2019 } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { PHONE, scrollWidth, skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';

const BASE = `/admin/events/${FORUM_2019}`;
const CSV = 'titre;jour;début;fin;salle\nAtelier du navigateur;2019-11-12;18:00;19:00;Salle plénière\n';

describe.skipIf(skipWithoutChromium())('imports in Chromium', () => {
  let organiser: TestUser;
  const started = useChromiumApp({ viewport: PHONE, locale: 'fr-FR', javaScriptEnabled: false }, async ({ t }) => {
    organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Aminata Diallo');
  });

  async function signedIn(): Promise<Page> {
    const { origin } = started();
    const page = await started().openPage();
    await page.goto(`${origin}${BASE}/import`);
    await page.getByLabel('Adresse électronique').fill(organiser.email);
    await page.getByLabel('Mot de passe').fill(organiser.password);
    await Promise.all([page.waitForURL(`${origin}${BASE}/import`), page.getByRole('button', { name: 'Se connecter' }).click()]);
    return page;
  }

  test('a CSV chosen in the form is previewed, then imported from the keyboard; no page scrolls sideways', async () => {
    const { origin, t } = started();
    const page = await signedIn();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.getByLabel('Fichier').setInputFiles({ name: 'sessions.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await Promise.all([page.waitForURL(new RegExp(`${BASE}/import/[A-Za-z0-9_-]{43}$`)), page.getByRole('button', { name: 'Lire le fichier' }).click()]);
    expect(await page.locator('main h1').innerText()).toBe('Aperçu de l\'import');
    expect(await page.locator('#import-session + .import-kind__lists .import-list--created li').allInnerTexts()).toEqual(['Atelier du navigateur']);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.getByRole('button', { name: 'Importer', exact: true }).focus();
    await Promise.all([page.waitForURL(`${origin}${BASE}/import?imported=1-0-0`), page.keyboard.press('Enter')]);
    expect(await page.locator('.import-done p').first().innerText()).toBe('Programme importé\u00a0: 1 session créée, 0 modifiée, 0 supprimée.');
    const titles = t.app.db.$client.prepare("SELECT count(*) AS n FROM sessions WHERE json_extract(title, '$.fr') = 'Atelier du navigateur'").get() as { n: number };
    expect(titles.n).toBe(1);
  });
});
