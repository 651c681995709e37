// A session moved outside its part: in the card editor each part is listed once a day, the
// session under its own part at its time, and the clash with the part's hours is said on its
// card and in the list of conflicts; moved into another part's hours, it joins that part.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { $, formOf, texts } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, listOf, ok, type Api } from '../../helpers/api.ts';
import { domainOf } from '../../helpers/domain.ts';

const BASE = `/admin/events/${FORUM_2019}`;

describe('a session moved outside its part, in the card editor', () => {
  let t: TestApp;
  let organiser: TestUser;
  let api: Api;
  let event: EventRow;
  let parts: Record<string, string>;
  const bilan = () => (domainOf(t.app).items(event, 'session') as unknown as { id: string; part: string; title: { fr: string } }[])
    .find((s) => s.title.fr === 'Bilan du travail effectué')!;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    api = apiAs(t.app, organiser.bearer);
    event = findEventBySlug(t.app.db, FORUM_2019)!;
    parts = Object.fromEntries((await listOf<{ id: string; version: number; label: { fr: string } }>(api, FORUM_2019, 'parts')).map((p) => [p.label.fr, p.id]));
    for (const [label, start, end] of [['Première partie', '09:00', '10:00'], ['Deuxième partie', '10:00', '15:00'], ['Troisième partie', '15:00', '18:00']] as const) {
      const part = ok<{ version: number }>(await api.get(`${eventPath(FORUM_2019)}/parts/${parts[label]}`));
      ok(await api.patch(`${eventPath(FORUM_2019)}/parts/${parts[label]}`, { start: `2019-11-12T${start}`, end: `2019-11-12T${end}` }, part.version));
    }
    ok(await api.post(`${eventPath(FORUM_2019)}/slots`, { start: '2019-11-12T18:00', end: '2019-11-12T19:00' }), 201);
  });
  afterAll(async () => { await t.close(); });

  async function moveTo(browser: Awaited<ReturnType<typeof signIn>>, slotLabel: string) {
    const editor = await browser.open(BASE);
    const form = `#session-${bilan().id} form.admin-move__form`;
    const slot = $(editor)(`${form} select[name="slot"] option`).toArray().find((o) => $(editor)(o).text() === slotLabel)!;
    const moved = await browser.post(formOf(editor, form).action, { ...formOf(editor, form).fields, slot: $(editor)(slot).attr('value')!, room: '' });
    expect(moved.statusCode).toBe(303);
    return browser.open(BASE);
  }

  test('outside every part: each part once, the session under its own, the conflict on its card and listed', async () => {
    const browser = await signIn(t.app, organiser);
    const page = await moveTo(browser, 'mardi 12 novembre 2019, 18:00–19:00');
    expect(bilan().part).toBe(parts['Deuxième partie']);
    expect(texts(page, '.day .part__title > span:first-child')).toEqual(['Première partie', 'Deuxième partie', 'Troisième partie']);
    const secondPart = $(page)('.day .part').toArray().find((p) => $(page)(p).find('.part__title').text().startsWith('Deuxième partie'))!;
    expect($(page)(secondPart).find(`#session-${bilan().id}`).length).toBe(1);
    const message = 'Bilan du travail effectué » est en dehors des horaires de sa partie, Deuxième partie.';
    expect(texts(page, `#session-${bilan().id} .admin-conflict`).map((m) => m.includes(message))).toEqual([true]);
    expect(texts(page, '.admin-conflicts li').map((m) => m.includes(message))).toEqual([true]);
  });

  test('into another part\'s hours: the session joins that part, with no conflict', async () => {
    const browser = await signIn(t.app, organiser);
    const page = await moveTo(browser, 'mardi 12 novembre 2019, 16:00–17:00');
    expect(bilan().part).toBe(parts['Troisième partie']);
    expect(texts(page, '.day .part__title > span:first-child')).toEqual(['Première partie', 'Deuxième partie', 'Troisième partie']);
    expect(texts(page, `#session-${bilan().id} .admin-conflict`)).toEqual([]);
  });
});
