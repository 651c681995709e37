// Who may open the organisers' workspace, and what every one of its pages holds for everyone:
// a label for every field, the workspace navigation, no caching.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { domainOf } from '../../helpers/domain.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { rooms } from '../../../server/db/schema.ts';
import { $, Browser, texts } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';

const BASE = `/admin/events/${FORUM_2019}`;

describe('access to /admin', () => {
  let t: TestApp;
  let organiser: TestUser;
  let seminarOrganiser: TestUser;
  let rapporteur: TestUser;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    seminarOrganiser = await addUser(t.app, 'organiser', SEMINAR_2015, 'Jordi Puig');
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Rapporteur Un');
  });
  afterAll(async () => { await t.close(); });

  test('an anonymous visitor is sent to sign in, and back to the page afterwards', async () => {
    const browser = new Browser(t.app);
    for (const url of ['/admin', `${BASE}/sessions/new`, '/admin/users', `${BASE}/audit?entity=room`]) {
      const response = await browser.get(url);
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    const signedIn = await browser.submit(`/login?next=${encodeURIComponent('/admin')}`, { email: organiser.email, password: organiser.password }, { keep: 'hidden' });
    expect(signedIn.headers.location).toBe('/admin');
    expect((await browser.get('/admin')).statusCode).toBe(200);
  });

  test('an anonymous form post is refused and writes nothing', async () => {
    const before = t.app.db.select().from(rooms).all().length;
    const response = await new Browser(t.app).post(`${BASE}/rooms`, { 'name.fr': 'Salle' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(texts(response.body, 'main .error-page p').slice(0, 1)).toEqual(['Connectez-vous avec un compte d\'organisateur.']);
    expect(t.app.db.select().from(rooms).all().length).toBe(before);
  });

  test('a rapporteur gets the 403 page on every admin page', async () => {
    const browser = await signIn(t.app, rapporteur);
    for (const url of ['/admin', BASE, `${BASE}/sessions`, `${BASE}/rooms/new`, '/admin/users', `${BASE}/audit`]) {
      const response = await browser.get(url);
      expect(response.statusCode, url).toBe(403);
      expect(texts(response.body, 'main h1'), url).toEqual(['Accès refusé']);
      // The page says why, in the reader's language.
      expect(texts(response.body, 'main .error-page p').slice(0, 1), url).toEqual([
        url.startsWith(BASE) ? 'Seuls les organisateurs de cet événement ont accès à ces pages.' : 'Cet espace est réservé aux organisateurs.',
      ]);
    }
  });

  test("an organiser of one event sees only that event, and gets 403 on another event's pages and forms", async () => {
    const browser = await signIn(t.app, seminarOrganiser);
    const home = await browser.get('/admin');
    expect(home.statusCode).toBe(200);
    expect(texts(home.body, '.admin-events a')).toEqual(['Création conjointe d\'un nouvel agenda d\'apprentissage pour CGLU']);
    // Creating events and accounts is for organisers of every event.
    expect($(home.body)('form[action="/admin/events"]').length).toBe(0);
    expect(texts(home.body, '.admin-top a')).toEqual(['Mes événements']);
    const users = await browser.get('/admin/users');
    expect(users.statusCode).toBe(403);
    expect(texts(users.body, 'main .error-page p').slice(0, 1)).toEqual(['Seuls les organisateurs de tous les événements créent des événements et des comptes.']);

    expect((await browser.get(`/admin/events/${SEMINAR_2015}`)).statusCode).toBe(200);
    for (const url of [BASE, `${BASE}/sessions`, `${BASE}/rooms/new`, `${BASE}/settings`, `${BASE}/audit`]) {
      expect((await browser.get(url)).statusCode, url).toBe(403);
    }
    // A form of its own event, sent to the other event: refused before anything is read.
    const own = await browser.get(`/admin/events/${SEMINAR_2015}/rooms/new`);
    const csrf = $(own.body)('main form.admin-form input[name="_csrf"]').attr('value')!;
    const before = t.app.db.select().from(rooms).all().length;
    const refused = await browser.post(`${BASE}/rooms`, { _csrf: csrf, 'name.fr': 'Salle pirate' });
    expect(refused.statusCode).toBe(403);
    expect(t.app.db.select().from(rooms).all().length).toBe(before);
  });

  test('every input, select and textarea of every admin page of the 2019 forum has a label, and ids are unique', async () => {
    const event = findEventBySlug(t.app.db, FORUM_2019)!;
    const ctx = { db: t.app.db, event, actor: { id: null, name: 'test' }, now: new Date() };
    // The forum lists no individual people: one is added so that the person pages exist.
    domainOf(t.app).createItem(ctx, 'person', { name: 'Thandi Nkosi', bio: { fr: 'Maire adjointe' } });
    const first = (kind: Parameters<ReturnType<typeof domainOf>['items']>[1]) => (domainOf(t.app).items(event, kind)[0] as { id: string }).id;
    const pages = ['/admin', '/admin/users', BASE, `${BASE}/sessions`, `${BASE}/sessions/new`, `${BASE}/sessions/${first('session')}`,
      `${BASE}/settings`, `${BASE}/audit`];
    for (const [path, kind] of [['parts', 'part'], ['slots', 'slot'], ['rooms', 'room'], ['people', 'person'], ['organisations', 'organisation'], ['outputs', 'output']] as const) {
      pages.push(`${BASE}/${path}`, `${BASE}/${path}/new`, `${BASE}/${path}/${first(kind)}`);
    }
    const browser = await signIn(t.app, organiser);
    let controls = 0;
    for (const url of pages) {
      const response = await browser.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('private, no-store');
      const page = $(response.body);
      expect(page('link[href="/assets/admin.css"]').length, url).toBe(1);
      expect(page('script[src="/assets/admin.js"]').length, url).toBe(1);
      const ids = page('[id]').toArray().map((el) => page(el).attr('id'));
      expect(ids.filter((id, i) => ids.indexOf(id) !== i), url).toEqual([]);
      page('main input:not([type="hidden"]), main select, main textarea').each((_, el) => {
        controls += 1;
        const control = page(el);
        const id = control.attr('id');
        const label = id ? page(`label[for="${id}"]`) : control.closest('label');
        const name = `${url} ${control.attr('name')}`;
        expect(label.length, name).toBe(1);
        expect(label.text().trim(), name).not.toBe('');
      });
      // Buttons are buttons, and every form that changes something carries a CSRF token.
      page('main form[method="post"]').each((_, form) => {
        expect(page(form).find('input[name="_csrf"]').length, `${url} ${page(form).attr('action')}`).toBe(1);
      });
      expect(page('main input[type="submit"]').length, url).toBe(0);
    }
    expect(controls).toBeGreaterThan(150);
  });

  test('the event navigation marks the current page and offers releases and a preview', async () => {
    const browser = await signIn(t.app, organiser);
    const response = await browser.get(`${BASE}/rooms`);
    const page = $(response.body);
    expect(texts(response.body, '.admin-nav__list a')).toEqual([
      'Programme', 'Sessions', 'Parties', 'Créneaux', 'Salles', 'Personnes', 'Contacts', 'Organisations', 'Résultats attendus', 'Importer',
      'Réglages de l\'événement', 'Conclusions', 'Suivi', 'Avis', 'Journal des modifications', 'Publications', 'Boîte d\'envoi', 'Webhooks',
    ]);
    expect(page('.admin-nav__list a[aria-current="page"]').map((_, a) => page(a).attr('href')).get()).toEqual([`${BASE}/rooms`]);
    expect(page('.admin-nav__list a').last().attr('href')).toBe(`${BASE}/webhooks`);
    const preview = page('.admin-nav form');
    expect(preview.attr('method')).toBe('post');
    expect(preview.attr('action')).toBe(`${BASE}/preview`);
    expect(texts(response.body, '.admin-nav form button')).toEqual(['Aperçu']);
    // Both are served by the releases domain: the links of the navigation lead to working pages.
    const previewed = await browser.send(response.body, {}, { form: '.admin-nav form' });
    expect(previewed.statusCode).toBe(303);
    expect(previewed.headers.location).toBe(`/events/${FORUM_2019}`);
    expect((await browser.get(`${BASE}/releases`)).statusCode).toBe(200);
    expect(texts(response.body, 'main h1')).toEqual(['Salles']);
    expect(texts(response.body, 'title')).toEqual(['Salles · Le forum d\'apprentissage de CGLU · Programme du forum']);
    // The workspace speaks the reader's language.
    const english = await browser.get(`${BASE}/rooms?lang=en`);
    expect(texts(english.body, '.admin-nav__list a').slice(0, 3)).toEqual(['Programme', 'Sessions', 'Parts']);
  });
});
