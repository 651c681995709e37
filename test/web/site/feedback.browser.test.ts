// The feedback form in a real browser without JavaScript, on a 360 px phone: no WCAG 2.1 A/AA
// violation (axe-core), no sideways scroll, the ratings reached and chosen by their labels, and
// the answer sent as a plain form, shown again as this browser's own.
import type { BrowserContextOptions } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { FORUM_2019 } from '../../helpers/app.ts';
import { axeViolations, withoutAppScripts } from '../../helpers/axe.ts';
import { PHONE, scrollWidth, skipWithoutChromium, useChromiumApp } from '../../helpers/chromium.ts';

const READER: BrowserContextOptions = { viewport: PHONE, locale: 'fr-FR' };
const EVENT = `/events/${FORUM_2019}`;

describe.skipIf(skipWithoutChromium())('the feedback form in Chromium', () => {
  const started = useChromiumApp(READER);

  test('on a phone, without scripts: accessible, no sideways scroll, chosen by its labels and sent as a form', async () => {
    const page = await started().openPage();
    await withoutAppScripts(page.context());
    // Every 2019 session has ended by the real clock: the opening's page links to its form.
    const programme = (await started().t.app.inject(`/api/v1/events/${FORUM_2019}/programme`)).json() as { parts: { slots: { sessions: { id: string; title: { fr: string } }[] }[] }[] };
    const id = programme.parts.flatMap((p) => p.slots.flatMap((s) => s.sessions)).find((s) => s.title.fr === 'Ouverture et bienvenue')!.id;
    const opening = `${EVENT}/sessions/${id}`;
    await started().visit(page, opening);
    await page.getByRole('link', { name: 'Donner mon avis sur cette session' }).click();
    expect(new URL(page.url()).pathname).toBe(`${opening}/feedback`);
    expect(await axeViolations(page)).toEqual([]);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);

    await page.getByRole('group', { name: 'Votre note' }).getByLabel('4 – Satisfaisant').check();
    await page.getByLabel('Oui, utile pour mon travail').check();
    await page.getByLabel('Commentaire (facultatif)').fill('Très claire, merci.');
    await Promise.all([page.waitForURL(/\/feedback\?saved=1$/), page.getByRole('button', { name: 'Envoyer mon avis' }).click()]);
    expect(await page.getByRole('status').innerText()).toBe('Merci : votre avis est enregistré.');
    expect(await page.getByLabel('4 – Satisfaisant').isChecked()).toBe(true);
    expect(await page.getByLabel('Commentaire (facultatif)').inputValue()).toBe('Très claire, merci.');
    expect(await axeViolations(page)).toEqual([]);
  });
});
