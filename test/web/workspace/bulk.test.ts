// The sessions list's boxes and its action form: what each action writes, the confirmation it
// counts in French, the refusals (nothing ticked, a value wrong, a session changed meanwhile, a
// move outside the event's days) that change nothing, and the cancellation that asks first.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { $, texts, type Browser } from '../../helpers/browser.ts';
import { domainOf } from '../../helpers/domain.ts';
import { parseWithIcalJs, resetIcalTimezones, uidOf } from '../../helpers/ical.ts';
import { release } from '../../helpers/releases.ts';

const BASE = `/admin/events/${FORUM_2019}`;
const LIST = `${BASE}/sessions`;
const FORM = 'main form.bulk-form';

type SessionItem = { id: string; version: number; title: { fr: string }; start: string | null; end: string | null; room: string | null; part: string | null; status: string };

describe('bulk actions on the sessions list', () => {
  let t: TestApp;
  let organiser: TestUser;
  let event: EventRow;
  let browser: Browser;
  const sessions = () => domainOf(t.app).items(event, 'session') as SessionItem[];
  const titled = (fr: string) => sessions().find((s) => s.title.fr === fr)!;
  const tick = (...list: SessionItem[]) => list.map((s) => `${s.id}:${s.version}`);
  const sessionAudit = () => (domainOf(t.app).audit(event, { entity: 'session', limit: 1000 }).entries as { action: string; entityId: string }[])
    .map((e) => `${e.action} ${e.entityId}`);
  const send = async (fields: Record<string, string | string[]>) => browser.send(await browser.open(LIST), fields, { form: FORM });
  const notice = async (response: LightMyRequestResponse) => {
    expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
    return texts(await browser.open(response.headers.location as string), 'main .notice');
  };

  beforeEach(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    event = findEventBySlug(t.app.db, FORUM_2019)!;
    browser = await signIn(t.app, organiser);
    resetIcalTimezones();
  });
  afterEach(async () => { await t.close(); });

  test('each session has a box labelled by its title, carrying its id and version, inside the one action form', async () => {
    const page = $(await browser.open(LIST));
    const boxes = page(`${FORM} input[type="checkbox"][name="sessions"]`);
    expect(boxes.map((_, el) => page(el).attr('value')).get()).toEqual(tick(...sessions().filter((s) => s.start !== null)
      .sort((a, b) => a.start!.localeCompare(b.start!))));
    expect(boxes.map((_, el) => page(`label[for="${page(el).attr('id')}"]`).text()).get()).toEqual(
      page('main table tbody th a').map((_, a) => page(a).text()).get());
    expect(texts(page.html(), `${FORM} fieldset.bulk-actions > legend`)).toEqual(['Pour les sessions cochées']);
    expect(texts(page.html(), `${FORM} .bulk-action > label`)).toEqual(['Décaler', 'Mettre dans une salle', 'Mettre dans une partie', 'Marquer comme annulées', 'Rétablir']);
    expect(texts(page.html(), `${FORM} label[for="bulk-offset"]`)).toEqual(['Décalage en minutes']);
    expect(texts(page.html(), '#bulk-part option').at(-1)).toBe('Aucune partie');
  });

  test('three sessions moved by 30 minutes: their new times, one audit entry each, the confirmation, and a higher SEQUENCE once released', async () => {
    const [a, b, c] = ['Ouverture et bienvenue', 'Bilan du travail effectué', 'La voie à suivre ?'].map(titled);
    // The bundled programme is released as loaded: its feed is what subscribers have.
    const feed = async () => new Map(parseWithIcalJs((await t.app.inject({ url: `/events/${FORUM_2019}/calendar.ics` })).body).events.map((e) => [e.uid, e.sequence]));
    const before = await feed();
    const others = sessions().filter((s) => ![a, b, c].some((m) => m!.id === s.id));
    const audit = sessionAudit();

    const response = await send({ sessions: tick(a!, b!, c!), action: 'move', offset: '30' });
    expect(response.headers.location).toBe(`${LIST}?saved=bulkMoved&count=3&minutes=30`);
    expect(await notice(response)).toEqual(['3 sessions décalées de 30 minutes.']);
    expect([a, b, c].map((s) => [titled(s!.title.fr).start, titled(s!.title.fr).end])).toEqual([
      ['2019-11-12T09:30:00+02:00', '2019-11-12T09:50:00+02:00'],
      ['2019-11-12T10:30:00+02:00', '2019-11-12T11:30:00+02:00'],
      ['2019-11-12T17:30:00+02:00', '2019-11-12T18:30:00+02:00'],
    ]);
    expect(sessions().filter((s) => ![a, b, c].some((m) => m!.id === s.id))).toEqual(others);
    expect(sessionAudit().slice(0, 3).sort()).toEqual([a, b, c].map((s) => `update ${s!.id}`).sort());
    expect(sessionAudit().slice(3)).toEqual(audit);

    release(t.app, FORUM_2019);
    const after = await feed();
    for (const s of sessions()) {
      const uid = uidOf(s.id, t.config.publicUrl);
      if ([a, b, c].some((m) => m!.id === s.id)) expect(after.get(uid), s.title.fr).toBeGreaterThan(before.get(uid)!);
      else expect(after.get(uid), s.title.fr).toBe(before.get(uid));
    }
  });

  test('one session, earlier by 90 minutes, with an unscheduled one ticked: the confirmation says each in the singular', async () => {
    const draft = domainOf(t.app).createSession({ db: t.app.db, event, actor: null, now: new Date() }, { title: { fr: 'À placer' } }).data as unknown as SessionItem;
    const lunch = titled('Déjeuner');
    const response = await send({ sessions: tick(lunch, draft), action: 'move', offset: '-90' });
    expect(response.headers.location).toBe(`${LIST}?saved=bulkMoved&count=1&minutes=-90&skipped=1`);
    expect(await notice(response)).toEqual(['1 session avancée de 90 minutes. 1 session sans horaire n\'a pas été déplacée.']);
    expect([titled('Déjeuner').start, titled('À placer').start]).toEqual(['2019-11-12T11:30:00+02:00', null]);
  });

  test('nothing ticked, no action or a wrong offset: the list again (422) with the message beside the boxes or the field, nothing written', async () => {
    const before = sessions();
    const none = await send({ action: 'move', offset: '30' });
    expect(none.statusCode).toBe(422);
    expect(texts(none.body, '#sessions-error')).toEqual(['Cochez au moins une session.']);
    expect($(none.body)('#pick-' + before[0]!.id).attr('aria-describedby')).toBe('sessions-error');
    expect($(none.body)('#bulk-action-move').attr('checked')).toBe('checked');
    const noAction = await send({ sessions: tick(before[0]!) });
    expect([noAction.statusCode, texts(noAction.body, '#action-error')]).toEqual([422, ['Choisissez une action.']]);
    for (const offset of ['', 'abc', '0', '10081']) {
      const wrong = await send({ sessions: tick(before[0]!), action: 'move', offset });
      expect(wrong.statusCode).toBe(422);
      expect(texts(wrong.body, '#bulk-offset-error')).toEqual(['Donnez un nombre entier de minutes, différent de 0, entre -10080 et 10080 (une semaine).']);
      expect($(wrong.body)(`#pick-${before[0]!.id}`).attr('checked')).toBe('checked');
      expect($(wrong.body)('#bulk-offset').attr('value')).toBe(offset);
    }
    // More than a thousand boxes: said beside them, nothing read further.
    const many = Array.from({ length: 1001 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}:1`);
    const tooMany = await send({ sessions: many, action: 'restore' });
    expect([tooMany.statusCode, texts(tooMany.body, '#sessions-error')]).toEqual([422, ['Cochez au plus 1000 sessions à la fois.']]);
    const tampered = await send({ sessions: [...tick(before[0]!), 'not-a-session'], action: 'cancel' });
    expect(tampered.statusCode).toBe(400);
    expect(sessions()).toEqual(before);
  });

  test('a session changed since the list was opened: 409, the alert names it, nothing is written, the boxes stay ticked at the current versions', async () => {
    const page = await browser.open(LIST);
    const [a, b] = [titled('Ouverture et bienvenue'), titled('Déjeuner')];
    // Someone else changes one of them meanwhile, through the API.
    const other = await t.app.inject({
      method: 'PATCH', url: `/api/v1/events/${FORUM_2019}/sessions/${b!.id}`, headers: { ...organiser.bearer, 'if-match': `"${b!.version}"` },
      payload: { subtitle: { fr: 'Buffet' } },
    });
    expect(other.statusCode).toBe(200);
    // And a session ticked too was deleted meanwhile.
    const draft = domainOf(t.app).createSession({ db: t.app.db, event, actor: null, now: new Date() }, { title: { fr: 'Brouillon' } }).data as unknown as SessionItem;
    const gone = await t.app.inject({ method: 'DELETE', url: `/api/v1/events/${FORUM_2019}/sessions/${draft.id}`, headers: { ...organiser.bearer, 'if-match': `"${draft.version}"` } });
    expect(gone.statusCode).toBe(204);
    const before = sessions();
    const room = (domainOf(t.app).items(event, 'room')[0] as { id: string }).id;
    const response = await browser.send(page, { sessions: [...tick(a!, b!), `${draft.id}:${draft.version}`], action: 'room', room }, { form: FORM });
    expect(response.statusCode).toBe(409);
    expect(texts(response.body, 'main .admin-alert p')).toEqual([
      'Ces sessions ont été modifiées par quelqu\'un d\'autre depuis que vous avez ouvert la liste ; rien n\'a été enregistré. La liste montre leur état actuel et elles restent cochées :',
      '1 session cochée a été supprimée entre-temps.',
    ]);
    expect(texts(response.body, 'main .admin-alert li')).toEqual(['Déjeuner']);
    expect(sessions()).toEqual(before);
    const ticked = $(response.body)(`${FORM} input[name="sessions"][checked]`).map((_, el) => $(response.body)(el).attr('value')).get();
    expect(ticked).toEqual(tick(titled('Ouverture et bienvenue'), titled('Déjeuner')));
  });

  test('a move that would leave the event\'s days is refused (422), naming the sessions, and none moves', async () => {
    const before = sessions();
    const [first, last] = [titled('Arrivée des participants'), titled('La voie à suivre ?')];
    const response = await send({ sessions: tick(first!, last!), action: 'move', offset: String(7 * 60) });
    expect(response.statusCode).toBe(422);
    expect(texts(response.body, 'main .admin-alert p')).toEqual([
      'Ces sessions sortiraient des jours de l\'événement, du mardi 12 novembre 2019 au mardi 12 novembre 2019 ; rien n\'a été modifié :',
    ]);
    expect(texts(response.body, 'main .admin-alert li')).toEqual(['La voie à suivre ?']);
    expect(sessions()).toEqual(before);
  });

  test('cancelling asks first, listing the sessions; only the confirmed post writes; restoring confirms them again', async () => {
    const [a, b] = [titled('Ouverture et bienvenue'), titled('Déjeuner')];
    const first = await send({ sessions: tick(a!, b!), action: 'cancel' });
    expect(first.statusCode).toBe(200);
    expect(texts(first.body, 'main h1')).toEqual(['Annuler ces sessions ?']);
    expect(texts(first.body, 'main > p').slice(0, 1)).toEqual(['Ces sessions seront marquées annulées ; les participants le verront à la prochaine publication.']);
    expect(texts(first.body, 'main .bulk-confirm__list li')).toEqual([
      'Ouverture et bienvenue : mardi 12 novembre 2019, 09:00–09:20', 'Déjeuner : mardi 12 novembre 2019, 13:00–15:00',
    ]);
    expect([titled('Ouverture et bienvenue').status, titled('Déjeuner').status]).toEqual(['confirmed', 'confirmed']);

    const confirmed = await browser.send(first.body, {}, { form: 'main form.bulk-confirm' });
    expect(confirmed.headers.location).toBe(`${LIST}?saved=bulkCancel&count=2`);
    expect(await notice(confirmed)).toEqual(['2 sessions marquées annulées.']);
    expect([titled('Ouverture et bienvenue').status, titled('Déjeuner').status]).toEqual(['cancelled', 'cancelled']);

    const restored = await send({ sessions: tick(titled('Déjeuner')), action: 'restore' });
    expect(await notice(restored)).toEqual(['1 session rétablie.']);
    expect([titled('Ouverture et bienvenue').status, titled('Déjeuner').status]).toEqual(['cancelled', 'confirmed']);
  });

  test('room and part: set, or taken out of the part, with their confirmations', async () => {
    const d = domainOf(t.app);
    const ctx = { db: t.app.db, event, actor: null, now: new Date() };
    const room = d.createItem(ctx, 'room', { name: { fr: 'Salle Mandela' } }).data.id as string;
    const part = (d.items(event, 'part') as { id: string }[])[2]!.id;
    const [a, b] = [titled('Ouverture et bienvenue'), titled('Déjeuner')];
    expect(await notice(await send({ sessions: tick(a!, b!), action: 'room', room }))).toEqual(['2 sessions mises dans la salle choisie.']);
    expect(await notice(await send({ sessions: tick(titled('Déjeuner')), action: 'part', part }))).toEqual(['1 session mise dans la partie choisie.']);
    expect([titled('Ouverture et bienvenue').room, titled('Déjeuner').room, titled('Déjeuner').part]).toEqual([room, room, part]);
    const out = await send({ sessions: tick(titled('Ouverture et bienvenue'), titled('Déjeuner')), action: 'part', part: '' });
    expect(out.headers.location).toBe(`${LIST}?saved=bulkNoPart&count=2`);
    expect(await notice(out)).toEqual(['2 sessions retirées de leur partie.']);
    expect([titled('Ouverture et bienvenue').part, titled('Déjeuner').part]).toEqual([null, null]);
    const unknown = await send({ sessions: tick(titled('Déjeuner')), action: 'room', room: '00000000-0000-4000-8000-000000000000' });
    expect([unknown.statusCode, texts(unknown.body, '#bulk-room-error')]).toEqual([422, ['Choisissez une salle de l\'événement.']]);
  });
});
