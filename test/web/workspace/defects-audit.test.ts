// The audit log reads as organisers speak: each entry names its item (linked while it exists),
// fields by their forms' labels, values readable (a slot as its day and times, a room by its
// name), and never the machinery's ids or fields (version, sequence, updatedAt).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { $, ADMIN_FORM, formOf, texts } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { domainOf } from '../../helpers/domain.ts';

const BASE = `/admin/events/${FORUM_2019}`;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('the audit log', () => {
  let t: TestApp;
  let organiser: TestUser;
  let event: EventRow;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    event = findEventBySlug(t.app.db, FORUM_2019)!;
  });
  afterAll(async () => { await t.close(); });

  test('a moved session and a deleted room are named, with their fields\' labels and readable values', async () => {
    const browser = await signIn(t.app, organiser);
    const session = (domainOf(t.app).items(event, 'session') as unknown as { id: string; title: { fr: string } }[]).find((s) => s.title.fr === 'Bilan du travail effectué')!;
    const slot16 = (domainOf(t.app).items(event, 'slot') as unknown as { id: string; start: string }[]).find((s) => s.start === '2019-11-12T16:00:00+02:00')!;
    const editor = await browser.open(BASE);
    const move = formOf(editor, `#session-${session.id} form.admin-move__form`);
    expect((await browser.post(move.action, { ...move.fields, slot: slot16.id, room: '' })).statusCode).toBe(303);
    const room = await browser.submit(`${BASE}/rooms/new`, { 'name.fr': 'Salle Nelson Mandela' }, { form: ADMIN_FORM });
    const roomId = (room.headers.location as string).split('#item-')[1]!;
    expect((await browser.send(await browser.open(`${BASE}/rooms/${roomId}`), {}, { form: 'form.admin-delete' })).statusCode).toBe(303);

    const page = await browser.open(`${BASE}/audit`);
    const rows = $(page)('.admin-audit tbody tr').toArray().slice(0, 3).map((tr) => ({
      cells: $(page)(tr).find('td').toArray().slice(0, 4).map((td) => $(page)(td).text().replace(/\s+/g, ' ').trim()),
      link: $(page)(tr).find('.admin-audit__item a').attr('href') ?? null,
      changes: $(page)(tr).find('.admin-audit__changes li').toArray().map((li) => $(page)(li).text()),
    }));
    expect(rows).toEqual([
      { cells: ['Aminata Diallo', 'Suppression', 'Salle', 'Salle Nelson Mandela'], link: null, changes: ['Rang\u00a0: 2 → —', 'Nom\u00a0: fr\u00a0: Salle Nelson Mandela → —'] },
      { cells: ['Aminata Diallo', 'Création', 'Salle', 'Salle Nelson Mandela'], link: null, changes: ['Rang\u00a0: — → 2', 'Nom\u00a0: — → fr\u00a0: Salle Nelson Mandela'] },
      {
        cells: ['Aminata Diallo', 'Modification', 'Session', 'Bilan du travail effectué'], link: `${BASE}/sessions/${session.id}`,
        changes: [
          'Partie\u00a0: Deuxième partie → Troisième partie',
          'Créneau\u00a0: mardi 12 novembre 2019, 10:00–11:00 → mardi 12 novembre 2019, 16:00–17:00',
          'Salle\u00a0: Salle plénière → —',
          'Début\u00a0: mardi 12 novembre 2019, 10:00 → mardi 12 novembre 2019, 16:00',
          'Fin\u00a0: mardi 12 novembre 2019, 11:00 → mardi 12 novembre 2019, 17:00',
        ],
      },
    ]);
    expect(texts(page, '.admin-audit tbody').join(' ')).not.toMatch(UUID);
    expect(texts(page, '.admin-audit__changes li').filter((c) => /^(version|sequence|updatedAt|revision|slot|room)\b/.test(c))).toEqual([]);
  });
});
