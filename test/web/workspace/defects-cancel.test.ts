// Marking a session cancelled is asked for first, without JavaScript: the card's button names
// what it does, its first post shows a confirmation page and writes nothing, and only the
// confirmation's post writes. Restoring stays one click. The cards' compact forms (view=list)
// return to the list of cards; the same forms posted without it (the grid's) to the editor's address.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { $, formOf, texts } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { domainOf } from '../../helpers/domain.ts';

const BASE = `/admin/events/${FORUM_2019}`;

describe('marking a session cancelled', () => {
  let t: TestApp;
  let organiser: TestUser;
  let event: EventRow;
  const session = (fr: string) => (domainOf(t.app).items(event, 'session') as unknown as { id: string; status: string; version: number; title: { fr: string } }[])
    .find((s) => s.title.fr === fr)!;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    event = findEventBySlug(t.app.db, FORUM_2019)!;
  });
  afterAll(async () => { await t.close(); });

  test('the first post asks for confirmation and writes nothing; the confirmation writes; restoring is one click', async () => {
    const browser = await signIn(t.app, organiser);
    const before = session('Bilan du travail effectué');
    const editor = await browser.open(BASE);
    const cardForm = `#session-${before.id} form[action$="/status"]`;
    expect(texts(editor, `${cardForm} button`)).toEqual(['Marquer comme annulée']);

    const asked = await browser.send(editor, {}, { form: cardForm });
    expect(asked.statusCode).toBe(200);
    expect(session('Bilan du travail effectué')).toEqual(before);
    expect(texts(asked.body, 'main h1')).toEqual(['Marquer la session comme annulée']);
    expect(texts(asked.body, 'main h1 + p')).toEqual(['La session « Bilan du travail effectué » sera marquée annulée ; les participants le verront à la prochaine publication.']);
    expect($(asked.body)('main h1 + p').text()).toContain('«\u00a0Bilan du travail effectué\u00a0» sera marquée annulée\u00a0;');
    expect(texts(asked.body, 'main form.admin-confirm button')).toEqual(["Confirmer l'annulation"]);
    expect($(asked.body)('main form.admin-confirm a').attr('href')).toBe(`${BASE}/list#session-${before.id}`);
    expect(texts(asked.body, 'main form.admin-confirm a')).toEqual(['Revenir']);
    expect(formOf(asked.body, 'main form.admin-confirm').hidden).toMatchObject({ version: String(before.version), status: 'cancelled', confirm: 'yes', view: 'list' });

    const confirmed = await browser.send(asked.body, {}, { form: 'main form.admin-confirm' });
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe(`${BASE}/list?saved=cancelled#session-${before.id}`);
    expect(session('Bilan du travail effectué').status).toBe('cancelled');

    const page = await browser.open(confirmed.headers.location as string);
    expect(texts(page, `${cardForm} button`)).toEqual(['Rétablir la session']);
    const restored = await browser.send(page, {}, { form: cardForm });
    expect(restored.statusCode).toBe(303);
    expect(restored.headers.location).toBe(`${BASE}/list?saved=confirmed#session-${before.id}`);
    expect(session('Bilan du travail effectué').status).toBe('confirmed');
  });

  test('posted without view=list (as from the grid), the confirmation and the compact forms return to the editor\'s address', async () => {
    const browser = await signIn(t.app, organiser);
    const before = session('Bilan du travail effectué');
    const editor = await browser.open(BASE);
    const { view: _status, ...statusFields } = formOf(editor, `#session-${before.id} form[action$="/status"]`).fields;
    const asked = await browser.post(`${BASE}/sessions/${before.id}/status`, statusFields);
    expect(asked.statusCode).toBe(200);
    expect($(asked.body)('main form.admin-confirm a').attr('href')).toBe(`${BASE}#session-${before.id}`);
    expect(formOf(asked.body, 'main form.admin-confirm').hidden.view).toBeUndefined();
    const confirmed = await browser.send(asked.body, {}, { form: 'main form.admin-confirm' });
    expect(confirmed.headers.location).toBe(`${BASE}?saved=cancelled#session-${before.id}`);

    const again = await browser.open(BASE);
    const { view: _move, ...moveFields } = formOf(again, `#session-${before.id} form.admin-move__form`).fields;
    const moved = await browser.post(`${BASE}/sessions/${before.id}/move`, { ...moveFields, room: '' });
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe(`${BASE}?saved=moved#session-${before.id}`);
  });
});
