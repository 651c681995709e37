// Building a programme fast through the organisers' pages: a new event with its rooms, its
// address made from its title and its zone chosen from a list; sessions placed by a day, a
// start and a duration, with the room, people and organisation they name created in place; the
// first steps of an empty event ticking themselves off.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { firstSteps } from '../../../server/web/workspace/first-steps.ts';
import { readProgramme } from '../../../server/domains/releases/reader.ts';
import { Presenter } from '../../../server/web/shared/presenter.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { $, ADMIN_FORM, texts, type Browser } from '../../helpers/browser.ts';
import { domainOf } from '../../helpers/domain.ts';
import { release } from '../../helpers/releases.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const JOBURG = '/admin/events/forum-d-apprentissage-johannesburg-2026';
const MADRID = '/admin/events/seminaire-madrid';

describe('building a programme fast', () => {
  let t: TestApp;
  let organiser: TestUser;
  let browser: Browser;
  let joburg: EventRow;
  let madrid: EventRow;
  const items = (event: EventRow, kind: 'room' | 'person' | 'organisation' | 'session' | 'slot') => domainOf(t.app).items(event, kind) as ({ id: string } & Record<string, unknown>)[];
  const counts = (event: EventRow) => (['room', 'person', 'organisation', 'session', 'slot'] as const).map((k) => items(event, k).length);

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    browser = await signIn(t.app, organiser);
  });
  afterAll(async () => { await t.close(); });

  test('a new event: its address made from its title, its zone chosen from a list with offsets, its rooms created with it', async () => {
    const home = await browser.open('/admin');
    const html = $(home);
    expect(html('#f-timezone option[value="Africa/Johannesburg"]').text()).toBe('Africa/Johannesburg (UTC+02:00)');
    expect(html('#f-timezone option').length).toBeGreaterThan(300);
    // No event yet besides the bundled ones: the zone of the one created last is offered.
    expect(html('#f-timezone option[selected]').attr('value')).toBe(findEventBySlug(t.app.db, 'uclg-learning-forum-2019')!.timezone);
    expect(html('link[href="/assets/building.css"]').length + html('script[src="/assets/building.js"]').length).toBe(2);

    const created = await browser.send(home, {
      'title.fr': 'Forum d’apprentissage : Johannesburg 2026', slug: '', startDate: '2026-03-04', endDate: '2026-03-05', timezone: 'Africa/Johannesburg',
      defaultLanguage: 'fr', languages: ['fr', 'en'], rooms: 'Salle Mandela\r\n\r\n  Salle Tambo  \r\n',
    }, { form: ADMIN_FORM });
    expect(created.statusCode, created.body.slice(0, 2000)).toBe(303);
    expect(created.headers.location).toBe(`${JOBURG}?saved=eventCreated`);
    joburg = findEventBySlug(t.app.db, 'forum-d-apprentissage-johannesburg-2026')!;
    expect([joburg.timezone, joburg.startDate, joburg.endDate]).toEqual(['Africa/Johannesburg', '2026-03-04', '2026-03-05']);
    expect(items(joburg, 'room').map((r) => [r.name, r.position])).toEqual([[{ fr: 'Salle Mandela' }, 1], [{ fr: 'Salle Tambo' }, 2]]);

    // A one-day event: the last day is the first. The new zone is now the default.
    const again = await browser.open('/admin');
    expect($(again)('#f-timezone option[selected]').attr('value')).toBe('Africa/Johannesburg');
    const oneDay = await browser.send(again, {
      'title.fr': 'Séminaire Madrid', startDate: '2026-06-10', endDate: '', timezone: 'Europe/Madrid', defaultLanguage: 'fr', languages: ['fr'],
    }, { form: ADMIN_FORM });
    expect(oneDay.headers.location).toBe(`${MADRID}?saved=eventCreated`);
    madrid = findEventBySlug(t.app.db, 'seminaire-madrid')!;
    expect([madrid.startDate, madrid.endDate, items(madrid, 'room')]).toEqual(['2026-06-10', '2026-06-10', []]);

    // An address taken is said clearly; a room name too long names its line; nothing is created.
    const taken = await browser.send(again, {
      'title.fr': 'Séminaire Madrid', startDate: '2026-06-10', timezone: 'Europe/Madrid', defaultLanguage: 'fr', languages: ['fr'],
    }, { form: ADMIN_FORM });
    expect(taken.statusCode).toBe(409);
    // (texts() reads the no-break spaces of French typography as spaces.)
    expect(texts(taken.body, '#f-slug-error')).toEqual(['Un événement a déjà l\'adresse « seminaire-madrid » : choisissez-en une autre.']);
    const long = await browser.send(again, {
      'title.fr': 'Autre', startDate: '2026-06-10', timezone: 'Europe/Madrid', defaultLanguage: 'fr', languages: ['fr'], rooms: `Salle A\n${'x'.repeat(201)}`,
    }, { form: ADMIN_FORM });
    expect(long.statusCode).toBe(422);
    expect(texts(long.body, '#f-rooms-error')).toEqual(['Ligne 2 : Saisissez un nom de 200 caractères au plus.']);
    expect(findEventBySlug(t.app.db, 'autre')).toBeNull();
  });

  test('the session form: the day defaults to the first (or ?day=), a one-day event says it, ?start and ?room fill the form, an unknown room is ignored', async () => {
    const first = $(await browser.open(`${JOBURG}/sessions/new`));
    expect(first('#f-day option').map((_, o) => first(o).attr('value')).get()).toEqual(['2026-03-04', '2026-03-05']);
    expect(first('#f-day option[selected]').attr('value')).toBe('2026-03-04');
    expect(first('#f-duration').attr('value')).toBe('60');
    expect(first('#f-startTime').attr('type')).toBe('time');
    expect(first('details.building-more').attr('open')).toBeUndefined();
    const tambo = items(joburg, 'room')[1]!.id;
    const second = $(await browser.open(`${JOBURG}/sessions/new?day=2026-03-05&start=14:30&room=${tambo}&return=grid`));
    expect([second('#f-day option[selected]').attr('value'), second('#f-startTime').attr('value'), second('#f-room option[selected]').attr('value')])
      .toEqual(['2026-03-05', '14:30', tambo]);
    expect(second('input[name="return"]').attr('value')).toBe('grid');
    const unknown = await browser.get(`${JOBURG}/sessions/new?room=00000000-0000-4000-8000-000000000000&day=2027-01-01`);
    expect(unknown.statusCode).toBe(200);
    expect($(unknown.body)('#f-day option[selected]').attr('value')).toBe('2026-03-04');
    expect((await browser.get(`${JOBURG}/sessions/new?start=${'9'.repeat(40)}`)).statusCode).toBe(400);
    const oneDay = $(await browser.open(`${MADRID}/sessions/new`));
    expect(oneDay('#f-day').length).toBe(0);
    expect(oneDay('input[type="hidden"][name="day"]').attr('value')).toBe('2026-06-10');
    expect(texts(oneDay.html(), '.building-fixed p')).toEqual(['Jour de la session mercredi 10 juin 2026']);
  });

  test('a session with a new room, two new people and a new organisation, in one post; back to the grid', async () => {
    const response = await browser.submit(`${JOBURG}/sessions/new?day=2026-03-05&return=grid`, {
      'title.fr': 'Atelier des villes', startTime: '10:00', duration: '90',
      newRoom: 'Salle Sisulu', newPeople: 'Jean Dupont, Lina Haddad\r\nNadia Benali', newOrganisation: 'CGLU Afrique',
    }, { form: ADMIN_FORM });
    expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
    const id = new RegExp(`^${JOBURG}/grid\\?day=2026-03-05&saved=created#session-(${UUID})$`).exec(response.headers.location as string)?.[1];
    expect(id).toBeDefined();
    const room = items(joburg, 'room').find((r) => (r.name as { fr: string }).fr === 'Salle Sisulu')!;
    expect(room).toEqual({ id: room.id, name: { fr: 'Salle Sisulu' }, position: 3, interpretation: null, version: 1 });
    const people = items(joburg, 'person');
    expect(people.map((p) => p.name)).toEqual(['Jean Dupont', 'Lina Haddad', 'Nadia Benali']);
    const [organisation] = items(joburg, 'organisation');
    expect(organisation!.name).toEqual({ fr: 'CGLU Afrique' });
    expect(domainOf(t.app).item(joburg, 'session', id!)).toMatchObject({
      title: { fr: 'Atelier des villes' }, room: room.id, start: '2026-03-05T10:00:00+02:00', end: '2026-03-05T11:30:00+02:00', kind: 'session', status: 'confirmed',
      contributors: [
        ...people.map((p) => ({ role: 'speaker', person: p.id, organisation: null })),
        { role: 'presenter', person: null, organisation: organisation!.id },
      ],
    });
    // A person named again is linked, not made twice.
    const again = await browser.submit(`${JOBURG}/sessions/new`, { 'title.fr': 'Suite', newPeople: 'Lina Haddad' }, { form: ADMIN_FORM });
    expect(again.statusCode).toBe(303);
    expect(items(joburg, 'person')).toHaveLength(3);
    const suite = items(joburg, 'session').find((s) => (s.title as { fr: string }).fr === 'Suite')!;
    expect([suite.contributors, suite.slot]).toEqual([[{ role: 'speaker', person: people[1]!.id, organisation: null }], null]);
    expect(again.headers.location).toBe(`${JOBURG}/sessions/${suite.id}?saved=created`);
    expect(texts(await browser.open(again.headers.location as string), 'main .notice')).toEqual(['Session créée.']);

    // The edit form starts from the session's day and length; the less-used fields open once one has a value.
    const edit = $(await browser.open(`${JOBURG}/sessions/${id!}`));
    expect([edit('#f-day option[selected]').attr('value'), edit('#f-duration').attr('value'), edit('#f-startTime').attr('value')]).toEqual(['2026-03-05', '90', '']);
    expect([edit('details.building-more').attr('open'), edit('#f-newRoom').length]).toEqual([undefined, 0]);
    const moved = await browser.send(edit.html(), { 'subtitle.fr': 'Deuxième journée', startTime: '14:00', duration: '30' }, { form: ADMIN_FORM });
    expect(moved.headers.location).toBe(`${JOBURG}/sessions/${id!}?saved=updated`);
    expect(domainOf(t.app).item(joburg, 'session', id!)).toMatchObject({ start: '2026-03-05T14:00:00+02:00', end: '2026-03-05T14:30:00+02:00', room: room.id });
    expect($(await browser.open(`${JOBURG}/sessions/${id!}`))('details.building-more').attr('open')).toBe('open');
  });

  test('a refused session creates nothing, and each error is beside its field', async () => {
    const before = counts(joburg);
    const response = await browser.submit(`${JOBURG}/sessions/new`, {
      'title.fr': '', startTime: '09:00', duration: '30', newRoom: 'x'.repeat(201), newPeople: 'Ana Lima', newOrganisation: 'ONU-Habitat',
    }, { form: ADMIN_FORM });
    expect(response.statusCode).toBe(422);
    expect(texts(response.body, '#f-newRoom-error')).toEqual(['Saisissez un nom de 200 caractères au plus.']);
    expect(texts(response.body, '.admin-error-summary li')).toHaveLength(2);
    // The session's own refusal (a start outside the event's days) writes none of what it names.
    const outside = await browser.submit(`${JOBURG}/sessions/new`, {
      'title.fr': 'Tard', startTime: '23:30', duration: '1000', newRoom: 'Salle B', newPeople: 'Ana Lima', newOrganisation: 'ONU-Habitat', day: '2026-03-05',
    }, { form: ADMIN_FORM });
    expect(outside.statusCode).toBe(422);
    expect(texts(outside.body, '#f-duration-error')).toHaveLength(1);
    expect($(outside.body)('#f-newRoom').attr('value')).toBe('Salle B');
    const bad = await browser.submit(`${JOBURG}/sessions/new`, { 'title.fr': 'Heure', startTime: '9h', duration: '0' }, { form: ADMIN_FORM });
    expect(bad.statusCode).toBe(422);
    expect([texts(bad.body, '#f-startTime-error'), texts(bad.body, '#f-duration-error')]).toEqual([
      ['Saisissez une heure au format HH:MM, par exemple 09:30.'], ['Saisissez une durée en minutes, de 1 à 1440.'],
    ]);
    expect(counts(joburg)).toEqual(before);
  });

  test('a start and a duration make the slot in the event\'s zone; save and add another opens the next form where this one ended, same room', async () => {
    const sisulu = items(joburg, 'room').find((r) => (r.name as { fr: string }).fr === 'Salle Sisulu')!.id;
    const one = await browser.submit(`${JOBURG}/sessions/new?day=2026-03-04&return=grid`, {
      'title.fr': 'Ouverture', startTime: '09:00', duration: '45', room: sisulu, next: 'another',
    }, { form: ADMIN_FORM });
    expect(one.headers.location).toBe(`${JOBURG}/sessions/new?day=2026-03-04&start=09:45&room=${sisulu}&return=grid&saved=created`);
    const next = await browser.open(one.headers.location as string);
    expect(texts(next, 'main .notice')).toEqual(['Session créée.']);
    const two = await browser.send(next, { 'title.fr': 'Plénière', next: 'another' }, { form: ADMIN_FORM });
    expect(two.headers.location).toBe(`${JOBURG}/sessions/new?day=2026-03-04&start=10:45&room=${sisulu}&return=grid&saved=created`);
    const slots = items(joburg, 'slot').map((s) => [s.start, s.end]);
    expect(slots).toContainEqual(['2026-03-04T09:00:00+02:00', '2026-03-04T09:45:00+02:00']);
    expect(slots).toContainEqual(['2026-03-04T09:45:00+02:00', '2026-03-04T10:45:00+02:00']);

    // An end on the clock instead of a duration.
    const closing = await browser.submit(`${JOBURG}/sessions/new?day=2026-03-05`, { 'title.fr': 'Clôture', startTime: '16:00', endTime: '17:15' }, { form: ADMIN_FORM });
    expect(closing.statusCode).toBe(303);
    expect(items(joburg, 'slot').map((s) => [s.start, s.end])).toContainEqual(['2026-03-05T16:00:00+02:00', '2026-03-05T17:15:00+02:00']);
    // Madrid in summer is two hours ahead of UTC too, by its own rule.
    const madridOne = await browser.submit(`${MADRID}/sessions/new`, { 'title.fr': 'Mesa redonda', startTime: '16:00', duration: '75' }, { form: ADMIN_FORM });
    expect(madridOne.statusCode).toBe(303);
    expect(items(madrid, 'slot').map((s) => [s.start, s.end])).toEqual([['2026-06-10T16:00:00+02:00', '2026-06-10T17:15:00+02:00']]);
    expect(t.app.db.$client.prepare('select starts_at, ends_at from time_slots where event_id = ?').all(madrid.id))
      .toEqual([{ starts_at: Date.UTC(2026, 5, 10, 14, 0), ends_at: Date.UTC(2026, 5, 10, 15, 15) }]);
  });

  test('the first steps of an event tick themselves off, and are gone once all are done', async () => {
    const steps = () => {
      const event = findEventBySlug(t.app.db, madrid.slug)!;
      const scope = { user: {} as never, event, locale: 'fr' as const, presenter: new Presenter(event, 'fr'), base: MADRID };
      return firstSteps(scope, readProgramme(t.app.db, { id: event.id }, 'working'), t.app.db);
    };
    expect(steps()!.steps).toEqual([
      { label: 'Ajouter des salles', href: `${MADRID}/rooms/new`, done: false },
      { label: 'Ajouter des parties', href: `${MADRID}/parts/new`, done: false },
      { label: 'Indiquer les résultats attendus', href: `${MADRID}/outputs/new`, done: false },
      { label: 'Sessions (1)', href: `${MADRID}/sessions`, done: true },
      { label: 'Publier une première version', href: `${MADRID}/releases`, done: false },
    ]);
    const ctx = { db: t.app.db, event: madrid, actor: null, now: new Date() };
    domainOf(t.app).createItem(ctx, 'room', { name: { fr: 'Sala 1' } });
    domainOf(t.app).createItem(ctx, 'room', { name: { fr: 'Sala 2' } });
    domainOf(t.app).createItem(ctx, 'part', { label: { fr: 'I' }, title: { fr: 'Ouverture' } });
    domainOf(t.app).createItem(ctx, 'output', { statement: { fr: 'Une déclaration' } });
    expect(steps()!.steps.map((s) => `${s.done ? '✓' : '○'} ${s.label}`)).toEqual([
      '✓ Salles (2)', '✓ Parties (1)', '✓ Résultats attendus (1)', '✓ Sessions (1)', '○ Publier une première version',
    ]);
    await release(t.app, madrid.slug);
    expect(steps()).toBeNull();
  });
});
