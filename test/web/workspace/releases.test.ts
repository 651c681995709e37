// Issue 5's acceptance, through the HTML forms only: an organiser builds in the working copy,
// participants (pages, feed, changelog) see nothing of it until a release made with the
// release form, then see exactly what changed.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { $, ADMIN_FORM, texts, type Browser } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { parseWithIcalJs, uidOf } from '../../helpers/ical.ts';

const BASE = `/admin/events/${FORUM_2019}`;
const PUBLIC = `/events/${FORUM_2019}`;
const FEED = `${PUBLIC}/calendar.ics`;

describe('releasing through the organisers\' pages', () => {
  let t: TestApp;
  let organiser: TestUser;
  let browser: Browser;
  let sessionId: string;
  let uid: string;

  /** The VEVENT of the session in the public feed, as ical.js reads it, or undefined. */
  const feedEvent = async () => parseWithIcalJs((await t.app.inject(FEED)).body).events.find((e) => e.uid === uid);
  const sequenceOf = async () => Number(/^SEQUENCE:(\d+)\r$/m.exec((await t.app.inject(FEED)).body.split('BEGIN:VEVENT').find((b) => b.includes(`UID:${uid}`))!)![1]);

  /** Releases with the form of the release page; answers the page after the redirect. */
  async function releaseWithForm(name: string, note: Record<string, string> = {}) {
    const response = await browser.submit(`${BASE}/releases`, { name, ...note }, { form: 'main .release-form form' });
    expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
    expect(response.headers.location).toBe(`${BASE}/releases?saved=1`);
    const page = await browser.get(response.headers.location as string);
    expect(texts(page.body, 'main .notice').join(' ')).toContain('Version publiée');
    return page;
  }

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    browser = await signIn(t.app, organiser);
  });
  afterAll(async () => { await t.close(); });

  test('a session created with the form is absent from the public page, its own page and the feed until released', async () => {
    const created = await browser.submit(`${BASE}/sessions/new`, {
      'title.fr': 'Atelier des villes intermédiaires', 'title.en': 'Intermediary cities workshop', kind: 'workshop',
      start: '2019-11-12T18:00', end: '2019-11-12T18:45',
    }, { form: ADMIN_FORM });
    expect(created.statusCode, created.body.slice(0, 2000)).toBe(303);
    sessionId = /\/sessions\/([0-9a-f-]{36})\?/.exec(created.headers.location as string)![1]!;
    uid = uidOf(sessionId, t.config.publicUrl);

    expect($((await t.app.inject(PUBLIC)).body)(`#session-${sessionId}`).length).toBe(0);
    expect((await t.app.inject(`${PUBLIC}/sessions/${sessionId}`)).statusCode).toBe(404);
    expect(await feedEvent()).toBeUndefined();
    expect((await t.app.inject(`${PUBLIC}/changes`)).body).not.toContain('Atelier des villes intermédiaires');
    // The organiser's page says what the next release will bring.
    const pending = await browser.get(`${BASE}/releases`);
    expect(texts(pending.body, '.release-pending .change--new a')).toEqual(['Atelier des villes intermédiaires']);
  });

  test('after a release with the form, it is on the public page and in the feed, and listed as new in /changes', async () => {
    await releaseWithForm('2', { 'note.fr': 'Un atelier de plus', 'note.en': 'One more workshop' });

    const card = $((await t.app.inject(PUBLIC)).body)(`#session-${sessionId}`);
    expect(card.find('.session__title').text().trim()).toBe('Atelier des villes intermédiaires');
    expect(card.closest('.slot').find('.slot__time').text()).toBe('18:00–18:45');
    const event = (await feedEvent())!;
    expect([event.start.toISOString(), event.end.toISOString(), event.status]).toEqual(['2019-11-12T16:00:00.000Z', '2019-11-12T16:45:00.000Z', 'CONFIRMED']);
    expect(await sequenceOf()).toBe(0);

    const changes = $((await t.app.inject(`${PUBLIC}/changes`)).body);
    const latest = changes('.release').first();
    expect(latest.find('h2').text()).toBe('Version 2');
    expect(latest.find('.release__note').text()).toBe('Un atelier de plus');
    expect(latest.find('.changes__group h3').map((_, el) => changes(el).text()).get()).toEqual(['Nouvelles sessions']);
    expect(latest.find('.change--new a').map((_, el) => changes(el).text()).get()).toEqual(['Atelier des villes intermédiaires']);
    expect(latest.find('.change--new a').attr('href')).toBe(`${PUBLIC}/sessions/${sessionId}`);
    expect(latest.find('.change--new .change__when').text()).toBe('mardi 12 novembre 2019, 18:00–18:45');
    // In English, the note and the headings are English.
    const english = $((await t.app.inject(`${PUBLIC}/changes?lang=en`)).body);
    expect(english('html').attr('lang')).toBe('en');
    expect(english('.release').first().find('.release__note').text()).toBe('One more workshop');
    expect(english('.release').first().find('.change--new a').text()).toBe('Intermediary cities workshop');
  });

  test('moving it with the compact form and releasing again lists it as moved, old and new times, and raises its SEQUENCE by one', async () => {
    const editor = await browser.get(BASE);
    const slots = $(editor.body)(`#move-slot-${sessionId} option`).map((_, el) => ({ value: $(editor.body)(el).attr('value')!, label: $(editor.body)(el).text() })).get();
    const target = slots.find((s) => s.label.includes('17:00–18:00'))!;
    expect(target).toBeDefined();
    const room = $(editor.body)(`#move-room-${sessionId} option`).filter((_, el) => $(editor.body)(el).text() === 'Salle plénière').attr('value')!;
    const moved = await browser.send(editor.body, { slot: target.value, room }, { form: `#session-${sessionId} form.admin-move__form` });
    expect(moved.statusCode, moved.body.slice(0, 2000)).toBe(303);
    // Two more edits before the release: participants see one change, one SEQUENCE step.
    const retitled = await browser.submit(`${BASE}/sessions/${sessionId}`, { 'title.fr': 'Atelier des villes' }, { form: ADMIN_FORM });
    expect(retitled.statusCode).toBe(303);
    const back = await browser.submit(`${BASE}/sessions/${sessionId}`, { 'title.fr': 'Atelier des villes intermédiaires' }, { form: ADMIN_FORM });
    expect(back.statusCode).toBe(303);
    expect((await feedEvent())!.start.toISOString()).toBe('2019-11-12T16:00:00.000Z');

    await releaseWithForm('3');
    const event = (await feedEvent())!;
    expect([event.start.toISOString(), event.end.toISOString()]).toEqual(['2019-11-12T15:00:00.000Z', '2019-11-12T16:00:00.000Z']);
    expect(await sequenceOf()).toBe(1);

    const changes = $((await t.app.inject(`${PUBLIC}/changes`)).body);
    const latest = changes('.release').first();
    expect(latest.find('h2').text()).toBe('Version 3');
    expect(latest.find('.change').map((_, el) => changes(el).attr('class')).get()).toEqual(['change change--moved']);
    expect(latest.find('.change--moved a').text()).toBe('Atelier des villes intermédiaires');
    expect(latest.find('.change__before').text().replace(/\s+/g, ' ').trim()).toBe('Avant : mardi 12 novembre 2019, 18:00–18:45');
    expect(latest.find('.change__after').text().replace(/\s+/g, ' ').trim()).toBe('Maintenant : mardi 12 novembre 2019, 17:00–18:00 · Salle plénière');
    expect(latest.find('.change__fields').length).toBe(0);
  });

  test('cancelling the released session with the form and releasing keeps it public, marked cancelled, and STATUS:CANCELLED in the feed', async () => {
    const editor = await browser.get(BASE);
    const asked = await browser.send(editor.body, {}, { form: `#session-${sessionId} form[action$="/status"]` });
    const cancelled = await browser.send(asked.body, {}, { form: 'main form.admin-confirm' });
    expect(cancelled.statusCode, cancelled.body.slice(0, 2000)).toBe(303);
    await releaseWithForm('4');

    const card = $((await t.app.inject(PUBLIC)).body)(`#session-${sessionId}`);
    expect(card.hasClass('session--cancelled')).toBe(true);
    expect(card.find('.badge--cancelled').text().trim()).toBe('Annulée');
    const own = await t.app.inject(`${PUBLIC}/sessions/${sessionId}`);
    expect(own.statusCode).toBe(200);
    expect(texts(own.body, '.badge--cancelled')).toEqual(['Cette session est annulée.']);
    expect((await feedEvent())!.status).toBe('CANCELLED');
    expect(await sequenceOf()).toBe(2);
    const changes = $((await t.app.inject(`${PUBLIC}/changes`)).body);
    expect(changes('.release').first().find('.change--cancelled a').text()).toBe('Atelier des villes intermédiaires');
  });

  test('the session page offers to delete a draft, but not a released session, which is only cancelled', async () => {
    const released = await browser.get(`${BASE}/sessions/${sessionId}`);
    expect($(released.body)('form.admin-delete').length).toBe(0);
    expect(texts(released.body, '.admin-danger p')[0]).toContain('Annulez-la plutôt');

    const draft = await browser.submit(`${BASE}/sessions/new`, { 'title.fr': 'Brouillon', start: '2019-11-12T19:00', end: '2019-11-12T19:30' }, { form: ADMIN_FORM });
    const draftUrl = (draft.headers.location as string).split('?')[0]!;
    const page = await browser.get(draftUrl);
    const deleted = await browser.send(page.body, {}, { form: 'form.admin-delete' });
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe(`${BASE}/sessions?saved=deleted`);
    expect((await browser.get(draftUrl)).statusCode).toBe(404);
    // Sent for the released session all the same (an old page), it is refused and nothing changes.
    const forged = await browser.send(page.body.replaceAll(draftUrl, `${BASE}/sessions/${sessionId}`), {}, { form: 'form.admin-delete' });
    expect(forged.statusCode).toBe(409);
    expect((await browser.get(`${BASE}/sessions/${sessionId}`)).statusCode).toBe(200);
  });

  test('releasing when nothing changed is refused on the page, and the name already used too, keeping the note typed', async () => {
    const nothing = await browser.submit(`${BASE}/releases`, { name: '5' }, { form: 'main .release-form form' });
    expect(nothing.statusCode).toBe(409);
    expect(texts(nothing.body, 'main .form-error')).toEqual(["Rien n'a changé depuis la dernière version : il n'y a rien à publier."]);

    const editor = await browser.get(BASE);
    await browser.send(editor.body, {}, { form: `#session-${sessionId} form[action$="/status"]` });
    const reused = await browser.submit(`${BASE}/releases`, { name: '4', 'note.fr': 'Session rétablie' }, { form: 'main .release-form form' });
    expect(reused.statusCode).toBe(409);
    const page = $(reused.body);
    expect(page('#field-name-error').text()).toBe('Une version s\'appelle déjà « 4 » : choisissez un autre nom.');
    expect(page('#field-name').attr('aria-invalid')).toBe('true');
    expect(page('textarea[name="note.fr"]').text()).toBe('Session rétablie');
    expect((await t.app.inject(`/api/v1/events/${FORUM_2019}/releases`)).json().releases.map((r: { name: string }) => r.name)).toEqual(['4', '3', '2', '1']);
  });
});
