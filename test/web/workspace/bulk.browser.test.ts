// The sessions list's bulk form in Chromium: with its script, "Tout cocher" ticks every box and
// the shift applies to all; without it, there is no such button, and boxes ticked by their
// (visually hidden) labels are enough, with the keyboard alone.
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { FORUM_2019 } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';
import { domainOf } from '../../helpers/domain.ts';

const ORGANISER: BrowserContextOptions = { locale: 'fr-FR' };
const LIST = `/admin/events/${FORUM_2019}/sessions`;

describe.skipIf(skipWithoutChromium())('bulk actions in Chromium', () => {
  let organiser: TestUser;
  const started = useChromiumApp(ORGANISER, async ({ t }) => {
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
  });
  const sessions = () => {
    const { t } = started();
    return domainOf(t.app).items(findEventBySlug(t.app.db, FORUM_2019)!, 'session') as unknown as { title: { fr: string }; start: string; status: string }[];
  };

  async function signedIn(options: BrowserContextOptions = {}): Promise<Page> {
    const { origin } = started();
    const page = await started().openPage(options);
    await page.goto(`${origin}/login?next=${encodeURIComponent(LIST)}`);
    await page.getByLabel('Adresse électronique').fill(organiser.email);
    await page.getByLabel('Mot de passe').fill(organiser.password);
    await Promise.all([page.waitForURL(`${origin}${LIST}`), page.getByRole('button', { name: 'Se connecter' }).click()]);
    return page;
  }

  test('with the script, "Tout cocher" ticks every session and a 15-minute shift moves them all', async () => {
    const page = await signedIn();
    const before = sessions().map((s) => s.start).sort();
    await page.getByRole('button', { name: 'Tout cocher' }).click();
    expect(await page.locator('input[name="sessions"]:checked').count()).toBe(before.length);
    await page.getByLabel('Décaler', { exact: true }).check();
    await page.getByLabel('Décalage en minutes').fill('15');
    await Promise.all([page.waitForURL(/saved=bulkMoved/), page.getByRole('button', { name: 'Appliquer aux sessions cochées' }).click()]);
    expect(await page.locator('main .notice').innerText()).toBe(`${before.length} sessions décalées de 15 minutes.`);
    const shifted = (iso: string) => new Date(new Date(iso).getTime() + 15 * 60_000).getTime();
    expect(sessions().map((s) => new Date(s.start).getTime()).sort()).toEqual(before.map(shifted).sort());
    await page.getByRole('button', { name: 'Tout décocher' }).click();
    expect(await page.locator('input[name="sessions"]:checked').count()).toBe(0);
  });

  test('without JavaScript, two sessions ticked from the keyboard by their labels are cancelled after the confirmation page', async () => {
    const page = await signedIn({ javaScriptEnabled: false });
    expect(await page.getByRole('button', { name: 'Tout cocher' }).count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Déjeuner' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('checkbox', { name: 'Arrivée des participants' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('radio', { name: 'Marquer comme annulées' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Appliquer aux sessions cochées' }).focus();
    await Promise.all([page.waitForURL(/\/sessions\/bulk$/), page.keyboard.press('Enter')]);
    expect(await page.locator('main h1').innerText()).toBe('Annuler ces sessions\u00a0?');
    await Promise.all([page.waitForURL(/saved=bulkCancel/), page.getByRole('button', { name: 'Oui, annuler ces sessions' }).click()]);
    expect(await page.locator('main .notice').innerText()).toBe('2 sessions marquées annulées.');
    expect(sessions().filter((s) => s.status === 'cancelled').map((s) => s.title.fr).sort()).toEqual(['Arrivée des participants', 'Déjeuner']);
  });
});
