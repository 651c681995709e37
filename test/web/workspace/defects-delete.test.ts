// The forms of rooms, parts, slots, people, organisations and outputs offer to delete an item
// only when nothing uses it; otherwise they say what uses it, with links, where the button would
// be. Confirmations agree with the kind ("Salle créée.", "Créneau supprimé.").
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { $, ADMIN_FORM, texts } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { domainOf } from '../../helpers/domain.ts';

const BASE = `/admin/events/${FORUM_2019}`;
type Item = { id: string } & Record<string, unknown>;

describe('deleting an item from its form', () => {
  let t: TestApp;
  let organiser: TestUser;
  let event: EventRow;
  const list = (kind: 'session' | 'room' | 'slot' | 'organisation' | 'person' | 'part' | 'output') => domainOf(t.app).items(event, kind) as unknown as Item[];

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    event = findEventBySlug(t.app.db, FORUM_2019)!;
  });
  afterAll(async () => { await t.close(); });

  test('an item in use shows no delete button but what uses it, with links; one sentence per kind and count', async () => {
    const browser = await signIn(t.app, organiser);
    const sessions = list('session');
    const titleOf = (id: string) => (sessions.find((s) => s.id === id)!.title as { fr: string }).fr;
    const slot = list('slot')[0]!;
    const inSlot = sessions.filter((s) => s.slot === slot.id).map((s) => s.id);
    expect(inSlot).toHaveLength(1);
    const page = await browser.open(`${BASE}/slots/${slot.id}`);
    expect($(page)('form.admin-delete').length).toBe(0);
    expect(texts(page, '.admin-used-by > p')).toEqual(["Seul un élément qu'aucune session n'utilise peut être supprimé.", 'Utilisé par 1 session :']);
    expect($(page)('.admin-used-by > p').last().text()).toBe('Utilisé par 1 session\u00a0:');
    expect($(page)('.admin-used-by li a').toArray().map((a) => [$(page)(a).attr('href'), $(page)(a).text()]))
      .toEqual([[`${BASE}/sessions/${inSlot[0]}`, titleOf(inSlot[0]!)]]);

    const part = list('part').find((p) => (p.label as { fr: string }).fr === 'Deuxième partie')!;
    const inPart = sessions.filter((s) => s.part === part.id);
    expect(texts(await browser.open(`${BASE}/parts/${part.id}`), '.admin-used-by > p:last-of-type')).toEqual([`Utilisée par ${inPart.length} sessions :`]);

    // An organisation no session names but that a person belongs to.
    const organisation = await browser.submit(`${BASE}/organisations/new`, { 'name.fr': 'Metropolis' }, { form: ADMIN_FORM });
    const organisationId = (organisation.headers.location as string).split('#item-')[1]!;
    const person = await browser.submit(`${BASE}/people/new`, { name: 'Ada Lovelace', organisation: organisationId }, { form: ADMIN_FORM });
    const personId = (person.headers.location as string).split('#item-')[1]!;
    const organisationPage = await browser.open(`${BASE}/organisations/${organisationId}`);
    expect($(organisationPage)('form.admin-delete').length).toBe(0);
    expect(texts(organisationPage, '.admin-used-by > p:last-of-type')).toEqual(['1 personne en fait partie :']);
    expect($(organisationPage)('.admin-used-by li a').toArray().map((a) => [$(organisationPage)(a).attr('href'), $(organisationPage)(a).text()]))
      .toEqual([[`${BASE}/people/${personId}`, 'Ada Lovelace']]);
  });

  test('an item nothing uses offers its delete button; created and deleted, the confirmations name the kind', async () => {
    const browser = await signIn(t.app, organiser);
    const created = await browser.submit(`${BASE}/rooms/new`, { 'name.fr': 'Salle trois' }, { form: ADMIN_FORM });
    expect(created.statusCode).toBe(303);
    expect(texts(await browser.open(created.headers.location as string), 'main .notice')).toEqual(['Salle créée.']);
    const id = (created.headers.location as string).split('#item-')[1]!;
    const page = await browser.open(`${BASE}/rooms/${id}`);
    expect($(page)('.admin-used-by').length).toBe(0);
    const deleted = await browser.send(page, {}, { form: 'form.admin-delete' });
    expect(deleted.statusCode).toBe(303);
    expect(texts(await browser.open(deleted.headers.location as string), 'main .notice')).toEqual(['Salle supprimée.']);

    const part = await browser.submit(`${BASE}/parts/new`, { 'label.fr': 'Quatrième partie', 'title.fr': 'Clôture' }, { form: ADMIN_FORM });
    expect(texts(await browser.open(part.headers.location as string), 'main .notice')).toEqual(['Partie créée.']);
    const english = await browser.open(`${(part.headers.location as string).replace('?', '?lang=en&')}`);
    expect(texts(english, 'main .notice')).toEqual(['Part created.']);
  });
});
