// The forms of the organisers' pages: every kind created and edited through its form, texts
// in three languages with their missing-translation marks, refused saves that keep what was
// typed (422), stale saves that show both versions and change nothing (409), deletions, and
// reordering parts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { domainOf } from '../../helpers/domain.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { $, ADMIN_FORM, formOf, texts, type Fields } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';

const BASE = `/admin/events/${FORUM_2019}`;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

type Item = { id: string; version: number } & Record<string, unknown>;
type Kind = 'part' | 'slot' | 'room' | 'person' | 'organisation' | 'output';

describe('forms of the organisers\' pages', () => {
  let t: TestApp;
  let aminata: TestUser;
  let bongani: TestUser;
  let event: EventRow;
  const list = (kind: Kind | 'session') => domainOf(t.app).items(event, kind) as Item[];
  const entity = (kind: Kind | 'session', id: string) => domainOf(t.app).item(event, kind, id) as Item;
  const sessionTitled = (fr: string) => list('session').find((s) => (s.title as { fr: string }).fr === fr)!;

  beforeAll(async () => {
    t = await buildTestApp();
    aminata = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    bongani = await addUser(t.app, 'organiser', FORUM_2019, 'Bongani Zulu');
    event = findEventBySlug(t.app.db, FORUM_2019)!;
  });
  afterAll(async () => { await t.close(); });

  /** Creates an item with its "new" form, then edits it with its edit form; returns its id. */
  async function createAndEdit(path: string, kind: Kind, create: Fields, edit: Fields) {
    const browser = await signIn(t.app, aminata);
    const before = new Set(list(kind).map((i) => i.id));
    const created = await browser.submit(`${BASE}/${path}/new`, create, { form: ADMIN_FORM });
    expect(created.statusCode, created.body.slice(0, 3000)).toBe(303);
    const id = list(kind).map((i) => i.id).find((i) => !before.has(i))!;
    expect(created.headers.location).toBe(`${BASE}/${path}?saved=created#item-${id}`);
    const listing = await browser.get(created.headers.location as string);
    const confirmations: Record<string, string> = {
      parts: 'Partie créée.', slots: 'Créneau créé.', rooms: 'Salle créée.', people: 'Personne créée.', organisations: 'Organisation créée.', outputs: 'Résultat attendu créé.',
    };
    expect(texts(listing.body, 'main .notice')).toEqual([confirmations[path]]);
    expect($(listing.body)(`#item-${id} th a`).attr('href')).toBe(`${BASE}/${path}/${id}`);

    const edited = await browser.submit(`${BASE}/${path}/${id}`, edit, { form: ADMIN_FORM });
    expect(edited.statusCode, edited.body.slice(0, 3000)).toBe(303);
    expect(edited.headers.location).toBe(`${BASE}/${path}/${id}?saved=updated`);
    const page = await browser.get(edited.headers.location as string);
    expect(texts(page.body, 'main .notice')).toEqual(['Enregistré.']);
    return id;
  }

  test('a part is created and edited with its form', async () => {
    const id = await createAndEdit('parts', 'part',
      { 'label.fr': 'Quatrième partie', 'label.en': 'Part four', 'title.fr': 'Clôture', start: '2019-11-12T17:00', end: '2019-11-12T18:30' },
      { 'title.en': 'Closing', 'title.es': 'Clausura', end: '2019-11-12T18:00' });
    expect(entity('part', id)).toEqual({
      id, position: 3, label: { fr: 'Quatrième partie', en: 'Part four' }, title: { fr: 'Clôture', en: 'Closing', es: 'Clausura' },
      start: '2019-11-12T17:00:00+02:00', end: '2019-11-12T18:00:00+02:00', version: 2,
    });
  });

  test('a time slot is created and edited with its form', async () => {
    const id = await createAndEdit('slots', 'slot', { start: '2019-11-12T18:00', end: '2019-11-12T18:30' }, { end: '2019-11-12T18:45' });
    expect(entity('slot', id)).toEqual({ id, start: '2019-11-12T18:00:00+02:00', end: '2019-11-12T18:45:00+02:00', version: 2 });
  });

  test('a room is created and edited with its form', async () => {
    const id = await createAndEdit('rooms', 'room', { 'name.fr': 'Salle 2', 'name.en': 'Room 2' }, { 'name.es': 'Sala 2', position: '8' });
    expect(entity('room', id)).toEqual({ id, position: 7, name: { fr: 'Salle 2', en: 'Room 2', es: 'Sala 2' }, interpretation: null, version: 2 });
  });

  test('an organisation and a person are created and edited with their forms', async () => {
    const organisation = await createAndEdit('organisations', 'organisation',
      { 'name.fr': 'eThekwini', 'fullName.fr': 'Municipalité métropolitaine d\'eThekwini' },
      { 'fullName.en': 'eThekwini Metropolitan Municipality', 'description.en': 'The host city.\r\nDurban.' });
    expect(entity('organisation', organisation)).toEqual({
      id: organisation, name: { fr: 'eThekwini' },
      fullName: { fr: 'Municipalité métropolitaine d\'eThekwini', en: 'eThekwini Metropolitan Municipality' },
      description: { en: 'The host city.\nDurban.' }, version: 2,
    });
    const person = await createAndEdit('people', 'person',
      { name: 'Thandi Nkosi', organisation, 'bio.fr': 'Maire adjointe' },
      { 'bio.en': 'Deputy mayor', organisation: '' });
    expect(entity('person', person)).toEqual({ id: person, name: 'Thandi Nkosi', organisation: null, bio: { fr: 'Maire adjointe', en: 'Deputy mayor' }, version: 2 });
  });

  test('an expected output is created and edited with its form', async () => {
    const id = await createAndEdit('outputs', 'output', { 'statement.fr': 'Un réseau de villes apprenantes' },
      { 'statement.en': 'A network of learning cities' });
    expect(entity('output', id)).toEqual({ id, position: 4, statement: { fr: 'Un réseau de villes apprenantes', en: 'A network of learning cities' }, version: 2 });
  });

  test('a session is edited with its form', async () => {
    const browser = await signIn(t.app, aminata);
    const session = sessionTitled('Objectifs et attentes des participants');
    const part = list('part')[1]!.id;
    const response = await browser.submit(`${BASE}/sessions/${session.id}`, {
      'title.es': 'Objetivos y expectativas', kind: 'panel', part, 'contributors.0.organisation': list('organisation')[2]!.id,
      start: '2019-11-12T09:25', end: '2019-11-12T09:55',
    }, { form: ADMIN_FORM });
    expect(response.statusCode, response.body.slice(0, 3000)).toBe(303);
    expect(response.headers.location).toBe(`${BASE}/sessions/${session.id}?saved=updated`);
    const after = entity('session', session.id);
    expect(after).toMatchObject({
      title: { ...(session.title as object), es: 'Objetivos y expectativas' }, kind: 'panel', part, start: '2019-11-12T09:25:00+02:00',
      contributors: [{ role: 'speaker', person: null, organisation: list('organisation')[2]!.id }], description: session.description,
      outputs: session.outputs, room: session.room, status: 'confirmed',
    });
    // Saving the form again as it stands changes nothing: no new version.
    const again = await browser.submit(`${BASE}/sessions/${session.id}`, {}, { form: ADMIN_FORM });
    expect(again.statusCode).toBe(303);
    expect(entity('session', session.id)).toEqual(after);
  });

  test('the event settings are edited with their form', async () => {
    const browser = await signIn(t.app, bongani);
    const before = domainOf(t.app).event(findEventBySlug(t.app.db, FORUM_2019)!);
    const response = await browser.submit(`${BASE}/settings`, { 'venue.en': 'Durban ICC', city: 'eThekwini' }, { form: ADMIN_FORM });
    expect(response.statusCode, response.body.slice(0, 3000)).toBe(303);
    expect(response.headers.location).toBe(`${BASE}/settings?saved=updated`);
    expect(domainOf(t.app).event(findEventBySlug(t.app.db, FORUM_2019)!)).toEqual({
      ...before, venue: { ...(before.venue as object), en: 'Durban ICC' }, city: 'eThekwini', version: before.version + 1,
    });
  });

  test('an empty translation is marked as missing when another language has the text', async () => {
    const browser = await signIn(t.app, aminata);
    const created = await browser.submit(`${BASE}/organisations/new`, { 'name.fr': 'Métropole de Lyon' }, { form: ADMIN_FORM });
    const id = (created.headers.location as string).split('#item-')[1]!;
    const page = await browser.get(`${BASE}/organisations/${id}`);
    const html = $(page.body);
    const marked = (field: string) => html(`#${field} .admin-missing:not([hidden])`).map((_, el) => html(el).closest('label').attr('for')).get();
    expect(marked('f-name')).toEqual(['f-name-en', 'f-name-es']);
    expect(texts(page.body, 'label[for="f-name-en"]')).toEqual(['English traduction manquante']);
    // The filled language's marker is there for the script to show as one types, hidden.
    expect(texts(page.body, 'label[for="f-name-fr"] > span:not([hidden])')).toEqual(['Français']);
    expect(html('label[for="f-name-fr"] .admin-missing').attr('hidden')).toBe('hidden');
    // A field with no text at all lacks nothing.
    expect(marked('f-fullName')).toEqual([]);
    // Each language's input says which language it holds.
    expect(['fr', 'en', 'es'].map((l) => html(`#f-name-${l}`).attr('lang'))).toEqual(['fr', 'en', 'es']);
    expect(texts(page.body, '#f-name legend')).toEqual(['Nom (court) (obligatoire)']);
  });

  test('a refused form comes back with 422, a summary linking to the fields, each message beside its field, and what was typed', async () => {
    const browser = await signIn(t.app, aminata);
    const session = sessionTitled('Bilan du travail effectué');
    const page = await browser.get(`${BASE}/sessions/${session.id}`);
    const response = await browser.send(page.body, {
      'title.fr': '', 'title.en': 'Review of the work done, kept', startTime: '15:00', endTime: '14:00',
    }, { form: ADMIN_FORM });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = $(response.body);
    expect(texts(response.body, '.admin-error-summary[role="alert"] li')).toEqual([
      'Titre (Français) : À remplir en Français, la langue par défaut de l\'événement.',
      'Ou fin : La fin doit venir après le début.',
    ]);
    expect(html('.admin-error-summary a').map((_, a) => html(a).attr('href')).get()).toEqual(['#f-title-fr', '#f-endTime']);
    expect(html('#f-title-fr').attr('aria-invalid')).toBe('true');
    expect(html('#f-title-fr').attr('aria-describedby')).toBe('f-title-fr-error');
    expect(texts(response.body, '#f-title-fr-error')).toEqual(['À remplir en Français, la langue par défaut de l\'événement.']);
    expect(html('#f-endTime').attr('aria-describedby')).toBe('f-endTime-hint f-endTime-error');
    expect(html('#f-title-en').attr('value')).toBe('Review of the work done, kept');
    expect(html('#f-startTime').attr('value')).toBe('15:00');
    expect(entity('session', session.id)).toEqual(session);

    // A rule of the schema (the same the API checks) is refused the same way.
    const room = await browser.submit(`${BASE}/rooms/new`, { 'name.fr': 'x'.repeat(201) }, { form: ADMIN_FORM });
    expect(room.statusCode).toBe(422);
    expect(texts(room.body, '#f-name-fr-error')).toEqual(['200 caractères au plus.']);
    expect(texts(room.body, '.admin-error-summary li')).toEqual(['Nom (Français) : 200 caractères au plus.']);
    const empty = await browser.submit(`${BASE}/slots/new`, { start: '', end: '2019-11-12T18:00' }, { form: ADMIN_FORM });
    expect(empty.statusCode).toBe(422);
    expect(texts(empty.body, '.admin-error-summary li')).toEqual(['Début : À remplir.']);
    expect($(empty.body)('#f-end').attr('value')).toBe('2019-11-12T18:00');
  });

  test('two organisers edit the same session: the second save shows both versions, changes nothing, and saves when sent again', async () => {
    const first = await signIn(t.app, aminata);
    const second = await signIn(t.app, bongani);
    const session = sessionTitled('Evolution des modules et méthodologies');
    const url = `${BASE}/sessions/${session.id}`;
    const pageOfFirst = await first.get(url);
    const pageOfSecond = await second.get(url);
    expect(formOf(pageOfFirst.body, ADMIN_FORM).fields.version).toBe(String(session.version));
    expect(formOf(pageOfSecond.body, ADMIN_FORM).fields.version).toBe(String(session.version));

    const saved = await first.send(pageOfFirst.body, { 'title.en': 'How modules and methods evolved', room: '' }, { form: ADMIN_FORM });
    expect(saved.statusCode).toBe(303);
    const afterFirst = entity('session', session.id);

    const stale = await second.send(pageOfSecond.body, { 'title.en': 'Evolution of modules and methods', 'title.es': 'Evolución de módulos' }, { form: ADMIN_FORM });
    expect(stale.statusCode).toBe(409);
    expect(entity('session', session.id)).toEqual(afterFirst);
    const html = $(stale.body);
    expect(texts(stale.body, '.admin-stale[role="alert"] p')).toEqual([
      'Aminata Diallo a modifié cet élément depuis que vous l\'avez ouvert. Ce que vous avez saisi est conservé ci-dessous, et la valeur enregistrée maintenant est indiquée à côté de chaque champ qui diffère. Rien n\'a été enregistré : enregistrez de nouveau pour remplacer ses modifications par les vôtres.',
    ]);
    // What the second organiser typed is kept, and beside it what is saved now.
    expect(html('#f-title-en').attr('value')).toBe('Evolution of modules and methods');
    expect(texts(stale.body, '#f-title-en-current')).toEqual(['Enregistré maintenant : How modules and methods evolved']);
    expect(html('#f-title-en').attr('aria-describedby')).toBe('f-title-en-current');
    expect(html('#f-title-es').attr('value')).toBe('Evolución de módulos');
    expect(texts(stale.body, '#f-title-es-current')).toEqual([`Enregistré maintenant : ${(session.title as { es: string }).es}`]);
    expect(texts(stale.body, '#f-room-current')).toEqual(['Enregistré maintenant : — Aucun —']);
    expect(html('#f-room option[selected]').text()).toBe('Salle plénière');
    // Fields that are the same on both sides carry no saved value.
    expect(html('#f-title-fr-current').length).toBe(0);
    expect(html('#f-kind-current').length).toBe(0);
    // The form now starts from the current version: sending it again replaces theirs.
    expect(formOf(stale.body, ADMIN_FORM).fields.version).toBe(String(afterFirst.version));
    const resent = await second.send(stale.body, {}, { form: ADMIN_FORM });
    expect(resent.statusCode).toBe(303);
    expect(entity('session', session.id)).toMatchObject({
      title: { fr: 'Evolution des modules et méthodologies', en: 'Evolution of modules and methods', es: 'Evolución de módulos' },
      room: session.room,
    });
  });

  test('a stale save of another kind (a room) and a stale delete change nothing', async () => {
    const first = await signIn(t.app, aminata);
    const second = await signIn(t.app, bongani);
    const created = await first.submit(`${BASE}/rooms/new`, { 'name.fr': 'Salle 3' }, { form: ADMIN_FORM });
    const id = (created.headers.location as string).split('#item-')[1]!;
    const url = `${BASE}/rooms/${id}`;
    const pageOfSecond = await second.get(url);
    expect((await first.submit(url, { 'name.fr': 'Salle Albert Luthuli' }, { form: ADMIN_FORM })).statusCode).toBe(303);
    const current = entity('room', id);

    const stale = await second.send(pageOfSecond.body, { 'name.fr': 'Salle trois' }, { form: ADMIN_FORM });
    expect(stale.statusCode).toBe(409);
    expect(texts(stale.body, '#f-name-fr-current')).toEqual(['Enregistré maintenant : Salle Albert Luthuli']);
    expect(entity('room', id)).toEqual(current);

    const deleted = await second.send(pageOfSecond.body, {}, { form: 'form.admin-delete' });
    expect(deleted.statusCode).toBe(409);
    expect(texts(deleted.body, '.admin-stale p')).toEqual([
      'Aminata Diallo a modifié cet élément depuis que vous l\'avez ouvert : il n\'a pas été supprimé. Le voici tel qu\'il est maintenant ; supprimez-le de nouveau si c\'est toujours votre intention.',
    ]);
    expect($(deleted.body)('#f-name-fr').attr('value')).toBe('Salle Albert Luthuli');
    expect(entity('room', id)).toEqual(current);
    // From the page shown with the refusal, the deletion goes through.
    const again = await second.send(deleted.body, {}, { form: 'form.admin-delete' });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`${BASE}/rooms?saved=deleted`);
    expect(list('room').map((r) => r.id)).not.toContain(id);
  });

  test('a delete refused because sessions use the item says which, with links to them', async () => {
    const browser = await signIn(t.app, aminata);
    const plenary = list('room').find((r) => (r.name as { fr: string }).fr === 'Salle plénière')!;
    const users = list('session').filter((s) => s.room === plenary.id);
    const page = await browser.get(`${BASE}/rooms/${plenary.id}`);
    // The page offers no delete button, and says what uses the room instead…
    expect($(page.body)('form.admin-delete').length).toBe(0);
    expect(texts(page.body, '.admin-used-by > p:nth-of-type(2)')).toEqual([`Utilisée par ${users.length} sessions :`]);
    // …and a delete posted all the same (from a page opened before) is refused, naming them.
    const { _csrf, version } = formOf(page.body, ADMIN_FORM).hidden;
    const response = await browser.post(`${BASE}/rooms/${plenary.id}/delete`, { _csrf: _csrf!, version: version! });
    expect(response.statusCode).toBe(409);
    expect(texts(response.body, '.admin-alert[role="alert"] > p')).toEqual([
      `Impossible de supprimer : des sessions l'utilisent encore (${users.length}). Modifiez-les d'abord :`,
    ]);
    const html = $(response.body);
    expect(html('.admin-alert a').map((_, a) => html(a).attr('href')).get().sort()).toEqual(users.map((s) => `${BASE}/sessions/${s.id}`).sort());
    expect(entity('room', plenary.id)).toEqual(plenary);
    // The page has the form's address; its language links lead back to the item's page.
    const english = $(response.body)('.language-switch a[hreflang="en"]').attr('href')!;
    expect(english).toBe(`${BASE}/rooms/${plenary.id}/delete?lang=en`);
    const followed = await browser.get(english);
    expect(followed.statusCode).toBe(303);
    expect(followed.headers.location).toBe(`${BASE}/rooms/${plenary.id}?lang=en`);
    expect(texts((await browser.get(followed.headers.location as string)).body, 'main h1')).toEqual(['Edit the room']);
  });

  test('parts are reordered with their move up and move down buttons', async () => {
    const browser = await signIn(t.app, aminata);
    const labels = () => list('part').map((p) => (p.label as { fr: string }).fr);
    const before = labels();
    expect(before.slice(0, 3)).toEqual(['Première partie', 'Deuxième partie', 'Troisième partie']);
    const second = list('part')[1]!;
    const page = await browser.get(`${BASE}/parts`);
    expect(texts(page.body, `#item-${list('part')[0]!.id} .admin-reorder button`)).toEqual(['Descendre : Première partie']);
    const up = await browser.send(page.body, {}, { form: `#item-${second.id} form:has(input[value="up"])` });
    expect(up.statusCode).toBe(303);
    expect(up.headers.location).toBe(`${BASE}/parts?saved=reordered#item-${second.id}`);
    expect(labels()).toEqual([before[1], before[0], ...before.slice(2)]);
    expect(list('part').map((p) => p.position)).toEqual([0, 1, 2, 3].slice(0, before.length));
    const listing = await browser.get(up.headers.location as string);
    expect(texts(listing.body, 'main .notice')).toEqual(['Ordre des parties enregistré.']);
    expect(texts(listing.body, '.admin-table tbody th')).toEqual(labels());

    const down = await browser.send(listing.body, {}, { form: `#item-${second.id} form:has(input[value="down"])` });
    expect(down.statusCode).toBe(303);
    expect(labels()).toEqual(before);
  });

  test('an item no session uses is deleted', async () => {
    const browser = await signIn(t.app, aminata);
    const created = await browser.submit(`${BASE}/slots/new`, { start: '2019-11-12T19:00', end: '2019-11-12T20:00' }, { form: ADMIN_FORM });
    const id = (created.headers.location as string).split('#item-')[1]!;
    expect(id).toMatch(new RegExp(UUID));
    const page = await browser.get(`${BASE}/slots/${id}`);
    const deleted = await browser.send(page.body, {}, { form: 'form.admin-delete' });
    expect(deleted.statusCode).toBe(303);
    const listing = await browser.get(deleted.headers.location as string);
    expect(texts(listing.body, 'main .notice')).toEqual(['Créneau supprimé.']);
    expect(list('slot').map((s) => s.id)).not.toContain(id);
    // A form without its CSRF token is refused.
    const forged = await browser.post(`${BASE}/rooms`, { 'name.fr': 'Salle forgée' });
    expect(forged.statusCode).toBe(403);
  });
});
