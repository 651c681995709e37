// The follow-up forms, without JavaScript: the organisers' list (/admin/events/:slug/follow-up)
// and a session's page for its rapporteurs. A saved form leads back to its item with a
// confirmation; a refused one is shown again with what was typed and why (422), or beside the
// item as it now stands when someone saved first (409); a rapporteur not assigned gets 403.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, eventPath, ok, sessionsByTitle, type Api } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { $, formOf, texts, type Browser } from '../../helpers/browser.ts';
import { assign, content, outputIds, publish } from '../../helpers/conclusions.ts';

const REVIEW = 'Bilan du travail effectué';
const OPENING = 'Ouverture et bienvenue';
const PAGE = `/admin/events/${FORUM_2019}/follow-up`;

describe('the follow-up forms of organisers and rapporteurs', () => {
  let t: TestApp;
  let olga: TestUser;
  let rita: TestUser;
  let other: TestUser;
  let asOlga: Api;
  let browser: Browser;
  let review: string;
  let opening: string;
  let ada: string;

  beforeAll(async () => {
    t = await buildTestApp();
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    rita = await addUser(t.app, 'rapporteur', undefined, 'Rita Rapporteur');
    other = await addUser(t.app, 'rapporteur', undefined, 'Omar Other');
    asOlga = apiAs(t.app, olga.bearer);
    const ids = await sessionsByTitle(asOlga, FORUM_2019);
    review = ids[REVIEW]!;
    opening = ids[OPENING]!;
    await assign(asOlga, FORUM_2019, review, rita);
    ada = ok<{ data: { id: string } }>(await asOlga.post(`${eventPath(FORUM_2019)}/people`, { name: 'Ada Lovelace' }), 201).data.id;
    const [o1] = await outputIds(asOlga, FORUM_2019);
    await publish(asOlga, FORUM_2019, review, content({ recommendations: [{ text: 'Mesurer', outputs: [o1!] }] }));
    await publish(asOlga, FORUM_2019, opening, content({ followUps: [{ action: 'Envoyer le questionnaire', owner: '', due: '2020-01-15' }] }));
    browser = await signIn(t.app, olga);
  });
  afterAll(async () => { await t.close(); });

  const formSelector = (id: string) => `li[id="${id}"] form.follow-up-form`;

  test('the list has a form per published item, every field labelled, and the workspace navigation names it', async () => {
    const html = await browser.open(PAGE);
    const doc = $(html);
    expect(doc('li.follow-up-item--form').toArray().map((li) => doc(li).attr('id'))).toEqual([`${opening}-a1`, `${review}-r1`]);
    const form = doc(formSelector(`${review}-r1`));
    for (const field of form.find('select, textarea, input:not([type="hidden"])').toArray()) {
      expect(doc(`label[for="${field.attribs.id}"]`).length, field.attribs.name).toBe(1);
    }
    expect(formOf(html, formSelector(`${review}-r1`)).hidden).toMatchObject({ session: review, item: 'r1', version: '0' });
    expect(doc('nav a[aria-current="page"]').toArray().map((a) => doc(a).text())).toContain('Suivi');
    // An action's due date is the one its rapporteur wrote.
    expect(doc(`${formSelector(`${opening}-a1`)} input[name="due"]`).attr('value')).toBe('2020-01-15');
  });

  test('a saved form leads back to its item, confirmed; the public page shows it at once', async () => {
    const html = await browser.open(PAGE);
    const response = await browser.send(html, {
      status: 'in-progress', owner: `person:${ada}`, due: '2027-01-31', note: 'Les villes répondent.', 'links.0.url': 'https://example.org/reponses', 'links.0.title': 'Réponses',
    }, { form: formSelector(`${review}-r1`) });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${PAGE}?saved=followUpSaved#${review}-r1`);
    const after = await browser.open(String(response.headers.location).split('#')[0]!);
    expect(texts(after, '.notice')).toEqual(['Suivi enregistré.']);
    expect(texts(after, `li[id="${review}-r1"] .follow-up-item__heading .follow-up-status`)).toEqual(['en cours']);
    expect(formOf(after, formSelector(`${review}-r1`)).hidden.version).toBe('1');
    const page = await t.app.inject(`/events/${FORUM_2019}/follow-up`);
    expect(texts(page.body, `li[id="${review}-r1"] .follow-up-note-text`)).toEqual(['Les villes répondent.']);
    expect(texts(page.body, `li[id="${review}-r1"] .follow-up-facts dd`)[1]).toBe('Ada Lovelace');
  });

  test('a refused form is shown again with what was typed and the reason beside the field (422); a stale one says so (409)', async () => {
    const html = await browser.open(PAGE);
    const refused = await browser.send(html, { note: 'Une note gardée', 'links.0.url': 'pas une adresse', 'links.0.title': 'Lien' }, { form: formSelector(`${review}-r1`) });
    expect(refused.statusCode).toBe(422);
    const doc = $(refused.body);
    expect(doc(`${formSelector(`${review}-r1`)} textarea[name="note"]`).text()).toBe('Une note gardée');
    expect(doc(`[id="${review}-r1-links-0-url"]`).attr('aria-invalid')).toBe('true');
    expect(texts(refused.body, `[id="${review}-r1-links-0-url-error"]`)).toHaveLength(1);

    // Saved from version 0 while it is at version 1.
    const stale = await browser.send(html.replace(/name="version" value="1"/g, 'name="version" value="0"'), { status: 'done' }, { form: formSelector(`${review}-r1`) });
    expect(stale.statusCode).toBe(409);
    expect(texts(stale.body, `li[id="${review}-r1"] .admin-alert`)).toEqual(["Quelqu'un a mis à jour cet élément entre-temps. Rien n'a été enregistré : voici son état actuel ; refaites votre modification."]);
    expect(ok<{ items: { id: string; status: string }[] }>(await t.app.inject(`${eventPath(FORUM_2019)}/follow-up`)).items.find((i) => i.id === `${review}-r1`)!.status).toBe('in-progress');
  });

  test('the assigned rapporteur updates their session\'s follow-up from their page; another rapporteur is refused 403', async () => {
    const mine = await signIn(t.app, rita);
    const url = `/rapporteur/events/${FORUM_2019}/sessions/${review}/follow-up`;
    const html = await mine.open(url);
    expect($(html)('li.follow-up-item--form').toArray().map((li) => $(html)(li).attr('id'))).toEqual([`${review}-r1`]);
    const saved = await mine.send(html, { status: 'done', note: 'Terminé' }, { form: formSelector(`${review}-r1`) });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${url}?saved=followUpSaved#${review}-r1`);
    // The conclusions form links to it.
    expect($(await mine.open(`/rapporteur/events/${FORUM_2019}/sessions/${review}`))(`a[href="${url}"]`).length).toBe(1);
    // Another session's item through this page: not this page's.
    const foreign = await mine.send(html, { session: opening, item: 'a1', version: '0', status: 'adopted' }, { form: formSelector(`${review}-r1`) });
    expect(foreign.statusCode).toBe(404);

    const stranger = await signIn(t.app, other);
    expect((await stranger.get(url)).statusCode).toBe(403);
    expect((await stranger.post(url, { _csrf: 'x', session: review, item: 'r1', version: '2', status: 'dropped', owner: '', due: '', note: '' })).statusCode).toBe(403);
    const audit = ok<{ entries: { actor: { name: string }; after: { status: string } }[] }>(await asOlga.get(`${eventPath(FORUM_2019)}/audit?entity=follow-up`));
    expect(audit.entries.map((e) => [e.actor.name, e.after.status])).toEqual([['Rita Rapporteur', 'done'], ['Olga Organiser', 'in-progress']]);
  });
});
