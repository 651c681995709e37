// Accounts and rapporteur assignments through the organisers' pages, the new-event form, and
// the audit page with its filters and paging.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findUserByEmail } from '../../../server/domains/accounts/repository.ts';
import { checkCredentials } from '../../../server/domains/accounts/service.ts';
import { domainOf } from '../../helpers/domain.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { $, ADMIN_FORM, texts } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';

const BASE = `/admin/events/${FORUM_2019}`;

type Item = { id: string; version: number } & Record<string, unknown>;

describe('accounts, assignments and the audit page', () => {
  let t: TestApp;
  let aminata: TestUser;
  let bongani: TestUser;
  let event: EventRow;
  const sessions = () => domainOf(t.app).items(event, 'session') as Item[];

  beforeAll(async () => {
    t = await buildTestApp();
    aminata = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    bongani = await addUser(t.app, 'organiser', FORUM_2019, 'Bongani Zulu');
    event = findEventBySlug(t.app.db, FORUM_2019)!;
  });
  afterAll(async () => { await t.close(); });

  test('only organisers of every event open the accounts page', async () => {
    const browser = await signIn(t.app, bongani);
    expect((await browser.get('/admin/users')).statusCode).toBe(403);
    const page = await (await signIn(t.app, aminata)).get('/admin/users');
    expect(page.statusCode).toBe(200);
    expect(texts(page.body, '.admin-table tbody th')).toEqual(['Aminata Diallo', 'Bongani Zulu']);
    expect(texts(page.body, '.admin-table tbody td:last-child')).toEqual(['Tous les événements', 'Le forum d\'apprentissage de CGLU']);
  });

  test('an organiser creates a rapporteur account, assigns it to a session from the session page, and withdraws it', async () => {
    const browser = await signIn(t.app, aminata);
    const created = await browser.submit('/admin/users', {
      email: 'Nomvula@Example.org', name: 'Nomvula Dlamini', role: 'rapporteur', event: '', password: 'a long initial passphrase',
    }, { form: ADMIN_FORM });
    expect(created.statusCode, created.body.slice(0, 3000)).toBe(303);
    expect(created.headers.location).toBe('/admin/users?saved=userCreated');
    const listing = await browser.get(created.headers.location as string);
    expect(texts(listing.body, 'main .notice')).toEqual(['Compte créé. Transmettez le mot de passe initial à son titulaire par un canal sûr.']);
    const rows = $(listing.body)('.admin-table tbody tr').toArray().map((tr) => $(listing.body)(tr).children().toArray().map((c) => $(listing.body)(c).text()));
    expect(rows).toContainEqual(['Nomvula Dlamini', 'nomvula@example.org', 'Rapporteur', 'Sessions affectées']);
    const account = findUserByEmail(t.app.db, 'nomvula@example.org')!;
    expect([account.role, account.eventId]).toEqual(['rapporteur', null]);
    expect(await checkCredentials(t.app.db, 'nomvula@example.org', 'a long initial passphrase')).not.toBeNull();

    const session = sessions()[4]!;
    const url = `${BASE}/sessions/${session.id}`;
    const page = await browser.get(url);
    expect(texts(page.body, '#rapporteurs .empty')).toEqual(['Aucun rapporteur n\'est affecté à cette session.']);
    const html = $(page.body);
    expect(html('#assign-user option').map((_, o) => html(o).text()).get()).toEqual(['— Choisir —', 'Nomvula Dlamini (nomvula@example.org)']);
    const assigned = await browser.send(page.body, { user: account.publicId }, { form: 'form.admin-assign' });
    expect(assigned.statusCode).toBe(303);
    expect(assigned.headers.location).toBe(`${url}?saved=assigned#rapporteurs`);
    expect(domainOf(t.app).rapporteurs(event, session.id).map((r) => r.user.name)).toEqual(['Nomvula Dlamini']);

    const after = await browser.get(assigned.headers.location as string);
    expect(texts(after.body, 'main .notice')).toEqual(['Rapporteur affecté.']);
    expect(texts(after.body, '.admin-rapporteurs li .admin-rapporteurs__name')).toEqual(['Nomvula Dlamini (nomvula@example.org)']);
    // Someone already assigned is not offered again; with nobody left, the page says where accounts are made.
    expect(texts(after.body, '#rapporteurs > p')).toEqual(['Aucun autre compte de rapporteur. Les comptes se créent dans « Comptes ».']);
    const withdrawn = await browser.send(after.body, {}, { form: '.admin-rapporteurs form' });
    expect(withdrawn.statusCode).toBe(303);
    expect(withdrawn.headers.location).toBe(`${url}?saved=withdrawn#rapporteurs`);
    expect(domainOf(t.app).rapporteurs(event, session.id)).toEqual([]);

    // Assigning nobody is refused on the page.
    const again = await browser.get(url);
    const none = await browser.send(again.body, { user: '' }, { form: 'form.admin-assign' });
    expect(none.statusCode).toBe(422);
    expect(texts(none.body, '#assign-user-error')).toEqual(['Choisissez un compte de rapporteur.']);
  });

  test('a refused account form keeps what was typed, but never the password', async () => {
    const browser = await signIn(t.app, aminata);
    const refused = await browser.submit('/admin/users', {
      email: 'not an address', name: 'Sipho', role: 'organiser', event: FORUM_2019, password: 'short',
    }, { form: ADMIN_FORM });
    expect(refused.statusCode).toBe(422);
    expect(texts(refused.body, '.admin-error-summary li')).toEqual([
      'Adresse électronique : Saisissez une adresse électronique valide.',
      'Mot de passe initial : Le mot de passe doit compter de 10 à 200 caractères.',
    ]);
    const html = $(refused.body);
    expect(html('#f-email').attr('value')).toBe('not an address');
    expect(html('#f-name').attr('value')).toBe('Sipho');
    expect(html('#f-event option[selected]').attr('value')).toBe(FORUM_2019);
    expect(html('#f-password').attr('value')).toBe('');
    const taken = await browser.submit('/admin/users', {
      email: aminata.email, name: 'Again', role: 'organiser', event: '', password: 'a long enough password',
    }, { form: ADMIN_FORM });
    expect(taken.statusCode).toBe(409);
    expect(texts(taken.body, '#f-email-error')).toEqual(['Un compte utilise déjà cette adresse.']);
    // An organiser of one event, made from the form.
    const one = await browser.submit('/admin/users', {
      email: 'sipho@example.org', name: 'Sipho', role: 'organiser', event: SEMINAR_2015, password: 'a long enough password',
    }, { form: ADMIN_FORM });
    expect(one.statusCode).toBe(303);
    expect(findUserByEmail(t.app.db, 'sipho@example.org')!.eventId).toBe(findEventBySlug(t.app.db, SEMINAR_2015)!.id);
  });

  test('an organiser of every event creates an event from /admin', async () => {
    const browser = await signIn(t.app, aminata);
    const home = await browser.get('/admin');
    const response = await browser.send(home.body, {
      slug: 'learning-forum-2020', 'title.fr': 'Forum d\'apprentissage 2020', 'title.en': 'Learning Forum 2020', startDate: '2020-11-10',
      endDate: '2020-11-11', timezone: 'Africa/Johannesburg', defaultLanguage: 'fr', languages: ['fr', 'en'],
    }, { form: ADMIN_FORM });
    expect(response.statusCode, response.body.slice(0, 3000)).toBe(303);
    expect(response.headers.location).toBe('/admin/events/learning-forum-2020?saved=eventCreated');
    const created = findEventBySlug(t.app.db, 'learning-forum-2020')!;
    expect([created.title, created.languages, created.timezone]).toEqual([{ fr: 'Forum d\'apprentissage 2020', en: 'Learning Forum 2020' }, ['fr', 'en'], 'Africa/Johannesburg']);
    const editor = await browser.get(response.headers.location as string);
    expect(editor.statusCode).toBe(200);
    expect(texts(editor.body, 'main .notice')).toEqual(['Événement créé.']);

    const refused = await browser.send(home.body, {
      slug: 'learning-forum-2020', 'title.fr': 'Doublon', startDate: '2020-11-10', endDate: '2020-11-09', timezone: 'Mars/Olympus',
    }, { form: ADMIN_FORM });
    expect(refused.statusCode).toBe(422);
    expect(texts(refused.body, '.admin-error-summary li')).toEqual([
      // In the order of the form's fields.
      'Dernier jour : Le dernier jour ne peut pas précéder le premier.',
      'Fuseau horaire : Fuseau horaire inconnu : utilisez un nom IANA, comme Africa/Johannesburg.',
    ]);
  });

  test('the audit page lists every change with its fields before and after, filtered by item and by person, in pages', async () => {
    const first = await signIn(t.app, aminata);
    const second = await signIn(t.app, bongani);
    const session = sessions()[2]!;
    await first.submit(`${BASE}/sessions/${session.id}`, { 'title.en': 'Goals and expectations' }, { form: ADMIN_FORM });
    const room = await second.submit(`${BASE}/rooms/new`, { 'name.fr': 'Salle Nelson Mandela' }, { form: ADMIN_FORM });
    expect(room.statusCode).toBe(303);

    const all = await first.get(`${BASE}/audit`);
    expect(all.statusCode).toBe(200);
    const rows = texts(all.body, '.admin-audit tbody tr td:nth-child(2)');
    expect(rows.slice(0, 2)).toEqual(['Bongani Zulu', 'Aminata Diallo']);

    const html = $(all.body);
    const users = html('#audit-user option').map((_, o) => html(o).text()).get();
    expect(users).toEqual(['Tout le monde', 'Aminata Diallo', 'Bongani Zulu']);
    expect(html('#audit-entity option').map((_, o) => html(o).attr('value')).get()).toEqual([
      '', 'event', 'part', 'room', 'slot', 'session', 'organisation', 'person', 'output', 'assignment', 'release', 'conclusions',
    ]);

    const rooms = await first.get(`${BASE}/audit?entity=room`);
    expect(texts(rooms.body, '.admin-audit tbody td:nth-child(4)')).toEqual(['Salle']);
    expect(texts(rooms.body, '.admin-audit tbody td:nth-child(3)')).toEqual(['Création']);
    expect(texts(rooms.body, '.admin-audit__changes li')).toEqual(['Rang : — → 2', 'Nom : — → fr : Salle Nelson Mandela']);
    expect($(rooms.body)('#audit-entity option[selected]').attr('value')).toBe('room');

    const byBongani = await first.get(`${BASE}/audit?user=${bongani.publicId}`);
    expect(new Set(texts(byBongani.body, '.admin-audit tbody td:nth-child(2)'))).toEqual(new Set(['Bongani Zulu']));
    const byAminata = await first.get(`${BASE}/audit?entity=session&user=${aminata.publicId}`);
    const sessionChanges = texts(byAminata.body, '.admin-audit tbody tr');
    expect(sessionChanges.length).toBeGreaterThan(0);
    expect(texts(byAminata.body, '.admin-audit tbody td:nth-child(2)').every((n) => n === 'Aminata Diallo')).toBe(true);
    expect(texts(byAminata.body, '.admin-audit tbody tr:first-child .admin-audit__changes li')).toEqual([
      `Titre : ${Object.entries(session.title as object).map(([k, v]) => `${k} : ${v}`).join(' · ')} → ${
        Object.entries({ ...(session.title as object), en: 'Goals and expectations' }).map(([k, v]) => `${k} : ${v}`).join(' · ')}`,
    ]);

    // Paging: 50 entries a page, older ones through ?before=.
    const ctxEntries = domainOf(t.app).audit(event, { limit: 500 }).entries.length;
    for (let i = 0; i < 55 - ctxEntries; i += 1) await second.submit(`${BASE}/rooms/new`, { 'name.fr': `Salle ${i}` }, { form: ADMIN_FORM });
    const firstPage = await first.get(`${BASE}/audit`);
    expect(texts(firstPage.body, '.admin-audit tbody tr').length).toBe(50);
    const older = $(firstPage.body)('.admin-pager a').first();
    expect(older.text()).toBe('Modifications plus anciennes');
    const next = domainOf(t.app).audit(event, { limit: 50 }).next!;
    expect(older.attr('href')).toBe(`${BASE}/audit?before=${next}`);
    const secondPage = await first.get(older.attr('href')!);
    expect(texts(secondPage.body, '.admin-audit tbody tr').length).toBe(domainOf(t.app).audit(event, { limit: 500 }).entries.length - 50);
    expect(texts(secondPage.body, '.admin-pager a')).toEqual(['Revenir aux plus récentes']);
  });
});
