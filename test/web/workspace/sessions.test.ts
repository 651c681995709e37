// Sessions through the organisers' pages: the form, the programme editor (the working copy
// shown as the public page shows it, with its conflicts in place) and its compact forms:
// duplicate, move, cancel and restore.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { domainOf } from '../../helpers/domain.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { $, ADMIN_FORM, texts } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { apiAs, listOf, type SessionOut } from '../../helpers/api.ts';

const BASE = `/admin/events/${FORUM_2019}`;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

type Item = { id: string } & Record<string, unknown>;

describe('sessions in the organisers\' pages', () => {
  let t: TestApp;
  let organiser: TestUser;
  let event: EventRow;
  const ids = (kind: 'session' | 'room' | 'organisation' | 'output' | 'slot') => domainOf(t.app).items(event, kind) as Item[];
  const sessionTitled = (fr: string) => {
    const found = (ids('session') as unknown as SessionOut[]).filter((s) => s.title.fr === fr);
    expect(found.map((s) => s.title.fr)).toEqual([fr]);
    return found[0]!;
  };

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    event = findEventBySlug(t.app.db, FORUM_2019)!;
  });
  afterAll(async () => { await t.close(); });

  test('a session created with the form is in the programme editor and in the API\'s list of sessions', async () => {
    const browser = await signIn(t.app, organiser);
    const uclg = ids('organisation').find((o) => (o.name as { fr: string }).fr === 'CGLU')!.id;
    const output = ids('output')[1]!.id;
    const response = await browser.submit(`${BASE}/sessions/new`, {
      'title.fr': 'Atelier des villes', 'title.en': 'Cities workshop', 'description.fr': 'Tour de table\r\nSynthèse',
      kind: 'workshop', start: '2019-11-12T18:00', end: '2019-11-12T18:45',
      'contributors.0.role': 'moderator', 'contributors.0.organisation': uclg, outputs: [output],
    }, { form: ADMIN_FORM });
    expect(response.statusCode, response.body.slice(0, 3000)).toBe(303);
    const location = response.headers.location as string;
    expect(location).toMatch(new RegExp(`^${BASE}/sessions/(${UUID})\\?saved=created$`));
    const id = location.split('/').at(-1)!.split('?')[0]!;

    const page = await browser.get(location);
    expect(page.statusCode).toBe(200);
    expect(texts(page.body, 'main .notice')).toEqual(['Session créée.']);
    const form = $(page.body);
    expect(form('#f-title-fr').attr('value')).toBe('Atelier des villes');
    expect(form('#f-description-fr').text()).toBe('Tour de table\nSynthèse');
    expect(form('#f-slot option[selected]').text()).toBe('mardi 12 novembre 2019, 18:00–18:45');
    expect(form('#f-contributors-0-organisation option[selected]').text()).toBe('CGLU');
    expect(form('#f-contributors-0-role option[selected]').text()).toBe('Modération');
    // The existing row and three empty ones, for browsers without JavaScript.
    expect(form('.admin-contributor').length).toBe(4);
    expect(form('input[name="outputs"][checked]').map((_, el) => form(el).attr('value')).get()).toEqual([output]);

    const editor = await browser.get(BASE);
    const card = $(editor.body)(`#session-${id}`);
    expect(card.find('.session__title').text()).toBe('Atelier des villes');
    expect(card.closest('.slot').find('.slot__time').text()).toBe('18:00–18:45');
    expect(card.find('.session__title a').attr('href')).toBe(`${BASE}/sessions/${id}`);

    const api = apiAs(t.app, organiser.bearer);
    const listed = (await listOf<SessionOut>(api, FORUM_2019, 'sessions')).find((s) => s.id === id);
    expect(listed).toEqual({
      id, kind: 'workshop', status: 'confirmed', title: { fr: 'Atelier des villes', en: 'Cities workshop' },
      description: { fr: 'Tour de table\nSynthèse' }, subtitle: null, abstract: null, language: null, interpretation: null, links: null, part: null, slot: expect.stringMatching(new RegExp(UUID)), room: null,
      contributors: [{ role: 'moderator', person: null, organisation: uclg }], outputs: [output],
      start: '2019-11-12T18:00:00+02:00', end: '2019-11-12T18:45:00+02:00', version: expect.any(Number),
    });
  });

  test('each time slot of the editor offers to add a session there, with the slot already chosen', async () => {
    const browser = await signIn(t.app, organiser);
    const slot = ids('slot')[3]!;
    const editor = await browser.get(BASE);
    const link = $(editor.body)(`.slot__sessions a[href="${BASE}/sessions/new?slot=${slot.id}"]`);
    expect(link.text()).toBe('Ajouter une session de 10:00 à 11:00');
    const form = await browser.get(link.attr('href')!);
    expect($(form.body)('#f-slot option[selected]').attr('value')).toBe(slot.id);
    const created = await browser.send(form.body, { 'title.fr': 'Session parallèle' }, { form: ADMIN_FORM });
    expect(created.statusCode).toBe(303);
    expect(sessionTitled('Session parallèle').slot).toBe(slot.id);
  });

  test('conflicts are marked in place on the affected session cards and listed at the top with links to them', async () => {
    const browser = await signIn(t.app, organiser);
    const lunch = sessionTitled('Déjeuner');
    const plenary = ids('room')[0]!.id;
    const created = await browser.submit(`${BASE}/sessions/new`, {
      'title.fr': 'Réunion du bureau', start: '2019-11-12T13:30', end: '2019-11-12T14:00', room: plenary,
    }, { form: ADMIN_FORM });
    expect(created.statusCode).toBe(303);
    const meeting = sessionTitled('Réunion du bureau');

    const editor = await browser.get(BASE);
    const page = $(editor.body);
    const message = 'Salle plénière accueille deux sessions en même temps : « Déjeuner » et « Réunion du bureau ».';
    expect(texts(editor.body, '#conflicts-heading')).toEqual(['Conflits à régler : 1']);
    expect(texts(editor.body, '.admin-conflicts li')).toEqual([`${message} Voir : DéjeunerRéunion du bureau`]);
    expect(page('.admin-conflicts li a').map((_, a) => page(a).attr('href')).get()).toEqual([`#session-${lunch.id}`, `#session-${meeting.id}`]);
    for (const id of [lunch.id, meeting.id]) {
      expect(texts(editor.body, `#session-${id} .admin-conflict[role="note"]`)).toEqual([`Conflit ${message}`]);
      expect(page(`#session-${id}`).hasClass('admin-card--conflict')).toBe(true);
    }
    // Sessions without a clash carry no mark.
    expect(page('.admin-conflict').length).toBe(2);
    // The session's own page names its conflicts too.
    const own = await browser.get(`${BASE}/sessions/${meeting.id}`);
    expect(texts(own.body, '.admin-conflicts .admin-conflict')).toEqual([`Conflit ${message}`]);
  });

  test('duplicating a session makes a copy in the same slot under a new id, and opens it', async () => {
    const browser = await signIn(t.app, organiser);
    const original = sessionTitled('Apprendre d\'un exemple : localiser le cadre de Sendai');
    const editor = await browser.get(BASE);
    const response = await browser.send(editor.body, {}, { form: `#session-${original.id} form[action$="/duplicate"]` });
    expect(response.statusCode).toBe(303);
    const location = response.headers.location as string;
    expect(location).toMatch(new RegExp(`^${BASE}/sessions/(${UUID})\\?saved=duplicated$`));
    const copyId = location.split('/').at(-1)!.split('?')[0]!;
    expect(copyId).not.toBe(original.id);
    const opened = await browser.get(location);
    expect(texts(opened.body, 'main .notice')).toEqual(['Copie créée : modifiez ci-dessous ce qui doit différer (l\'horaire ou la salle, par exemple).']);

    const copy = domainOf(t.app).item(event, 'session', copyId) as unknown as SessionOut;
    const { id: _a, version: _b, ...same } = original;
    const { id: _c, version: _d, ...copied } = copy;
    expect(copied).toEqual(same);
    expect(original.contributors.length).toBe(5);
    expect(domainOf(t.app).item(event, 'session', original.id)).toEqual(original);
  });

  test('the compact form moves a session to another slot and room; a stale one changes nothing', async () => {
    const browser = await signIn(t.app, organiser);
    const session = sessionTitled('La voie à suivre ?');
    const firstSlot = ids('slot')[0]!;
    const editor = await browser.get(BASE);
    const moved = await browser.send(editor.body, { slot: firstSlot.id, room: '' }, { form: `#session-${session.id} form.admin-move__form` });
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe(`${BASE}/list?saved=moved#session-${session.id}`);
    const after = domainOf(t.app).item(event, 'session', session.id) as unknown as SessionOut;
    expect([after.slot, after.start, after.end, after.room]).toEqual([firstSlot.id, '2019-11-12T08:30:00+02:00', '2019-11-12T09:00:00+02:00', null]);
    const page = await browser.get(moved.headers.location as string);
    expect(texts(page.body, 'main .notice')).toEqual(['Session déplacée.']);
    expect($(page.body)(`#session-${session.id}`).closest('.slot').find('.slot__time').text()).toBe('08:30–09:00');

    // The form of the page read before the move names the old version: refused, nothing written.
    const stale = await browser.send(editor.body, { slot: ids('slot')[3]!.id }, { form: `#session-${session.id} form.admin-move__form` });
    expect(stale.statusCode).toBe(409);
    expect(texts(stale.body, '.admin-alert[role="alert"]')).toEqual([
      'Aminata Diallo a modifié cette session depuis que vous avez ouvert la page : rien n\'a été changé. Le programme ci-dessous la montre telle qu\'elle est maintenant ; recommencez si besoin.',
    ]);
    expect(domainOf(t.app).item(event, 'session', session.id)).toEqual(after);
    // The page shown with the refusal has the current version: moving from it works.
    const again = await browser.send(stale.body, { slot: ids('slot')[3]!.id }, { form: `#session-${session.id} form.admin-move__form` });
    expect(again.statusCode).toBe(303);
    expect((domainOf(t.app).item(event, 'session', session.id) as unknown as SessionOut).start).toBe('2019-11-12T10:00:00+02:00');
  });

  test('a session is cancelled and restored from the programme editor', async () => {
    const browser = await signIn(t.app, organiser);
    const session = sessionTitled('Bilan du travail effectué');
    const editor = await browser.get(BASE);
    expect(texts(editor.body, `#session-${session.id} form[action$="/status"] button`)).toEqual(['Marquer comme annulée']);
    const asked = await browser.send(editor.body, {}, { form: `#session-${session.id} form[action$="/status"]` });
    const cancelled = await browser.send(asked.body, {}, { form: 'main form.admin-confirm' });
    expect(cancelled.statusCode).toBe(303);
    expect(cancelled.headers.location).toBe(`${BASE}/list?saved=cancelled#session-${session.id}`);
    expect((domainOf(t.app).item(event, 'session', session.id) as unknown as SessionOut).status).toBe('cancelled');

    const page = await browser.get(cancelled.headers.location as string);
    expect(texts(page.body, 'main .notice')).toEqual(['Session annulée.']);
    expect(texts(page.body, `#session-${session.id} .badge--cancelled`)).toEqual(['Annulée']);
    expect(texts(page.body, `#session-${session.id} form[action$="/status"] button`)).toEqual(['Rétablir la session']);
    const restored = await browser.send(page.body, {}, { form: `#session-${session.id} form[action$="/status"]` });
    expect(restored.headers.location).toBe(`${BASE}/list?saved=confirmed#session-${session.id}`);
    const after = domainOf(t.app).item(event, 'session', session.id) as unknown as SessionOut;
    expect(after.status).toBe('confirmed');
    const { version: _v, ...rest } = after;
    const { version: _w, ...before } = session;
    expect(rest).toEqual(before);
  });
});

describe('reading the organisers\' pages', () => {
  test('the programme editor, the list of sessions and a session\'s page read a fixed number of queries, whatever the number of sessions', async () => {
    let counting = false;
    let count = 0;
    const t = await buildTestApp({ onStatement: () => { if (counting) count += 1; } });
    try {
      const organiser = await addUser(t.app, 'organiser');
      const browser = await signIn(t.app, organiser);
      const event = findEventBySlug(t.app.db, FORUM_2019)!;
      const session = (domainOf(t.app).items(event, 'session') as Item[])[4]!.id;
      const pages = [BASE, `${BASE}/sessions`, `${BASE}/sessions/${session}`, `${BASE}/people`];
      const measure = async () => {
        const counts: number[] = [];
        for (const url of pages) {
          count = 0;
          counting = true;
          const response = await browser.get(url);
          counting = false;
          expect(response.statusCode, url).toBe(200);
          counts.push(count);
        }
        return counts;
      };
      // The working copy is read once per change, then kept assembled: the first page after a
      // change reads every row again, the others what is kept.
      const changed = () => t.app.db.$client.prepare('update events set revision = revision + 1 where slug = ?').run(FORUM_2019);
      await measure();
      const small = await measure();
      changed();
      const smallAfterChange = await measure();
      const organisations = domainOf(t.app).items(event, 'organisation') as Item[];
      const ctx = { db: t.app.db, event, actor: { id: null, name: 'test' }, now: new Date() };
      for (let i = 0; i < 20; i += 1) {
        domainOf(t.app).createSession(ctx, {
          title: { fr: `Session ${i}` }, start: '2019-11-12T18:00', end: '2019-11-12T19:00',
          contributors: organisations.map((o) => ({ role: 'speaker' as const, organisation: o.id })),
        });
      }
      expect(await measure()).toEqual(smallAfterChange);
      expect(await measure()).toEqual(small);
      for (const n of [...small, ...smallAfterChange]) expect(n).toBeLessThan(30);
      expect(smallAfterChange[0]).toBeGreaterThan(small[0]!);
    } finally {
      await t.close();
    }
  });
});
