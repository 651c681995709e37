// The copy page: a day, a time slot or a part copied onto another day of a congress in Madrid
// across the autumn clock change, what the copies hold, where the post leads and what it says,
// and the refusals (the same day, a day outside the event, a slot that is gone) as 422 pages.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEvent } from '../../../server/domains/programme/events.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import type { WriteContext } from '../../../server/domains/programme/write.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn } from '../../helpers/auth.ts';
import { $, texts, type Browser } from '../../helpers/browser.ts';
import { domainOf } from '../../helpers/domain.ts';

type SessionItem = { id: string; title: { fr: string }; start: string | null; end: string | null; room: string | null; part: string | null; status: string };
const FORM = 'main form.copy-form';

describe('copying to another day', () => {
  let t: TestApp;
  let browser: Browser;
  let counter = 0;

  beforeAll(async () => {
    t = await buildTestApp();
    const organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    browser = await signIn(t.app, organiser);
  });
  afterAll(async () => { await t.close(); });

  /** Friday 23 to Monday 26 October 2026 in Madrid (the clocks go back on Sunday 25): a morning part and three sessions on Saturday. */
  function congress() {
    counter += 1;
    const slug = `congres-${counter}`;
    const now = new Date('2026-09-01T10:00:00Z');
    createEvent(t.app.db, { id: null, name: 'tests' }, {
      slug, title: { fr: 'Congrès' }, timezone: 'Europe/Madrid', defaultLanguage: 'fr', languages: ['fr'], startDate: '2026-10-23', endDate: '2026-10-26',
    }, now);
    const event: EventRow = findEventBySlug(t.app.db, slug)!;
    const ctx: WriteContext = { db: t.app.db, event, actor: null, now };
    const d = domainOf(t.app);
    const room = d.createItem(ctx, 'room', { name: { fr: 'Salle A' } }).data.id as string;
    const morning = d.createItem(ctx, 'part', { label: { fr: 'Matin' }, title: { fr: 'Les villes' }, start: '2026-10-24T09:00', end: '2026-10-24T13:00' }).data.id as string;
    const session = (title: string, body: Record<string, unknown>) => d.createSession(ctx, { title: { fr: title }, room, ...body }).data.id as string;
    session('Ouverture', { start: '2026-10-24T09:00', end: '2026-10-24T10:00', part: morning });
    session('Atelier', { start: '2026-10-24T10:30', end: '2026-10-24T12:00', part: morning });
    session('Annulée', { start: '2026-10-24T10:30', end: '2026-10-24T12:00', part: morning, status: 'cancelled' });
    const sessions = () => d.items(event, 'session') as unknown as SessionItem[];
    const slotOf = (title: string) => (d.items(event, 'session') as unknown as (SessionItem & { slot: string })[]).find((s) => s.title.fr === title)!.slot;
    return { base: `/admin/events/${slug}`, event, d, room, morning, sessions, slotOf };
  }

  test('the page offers the day, its slots and its part, and the other days of the event', async () => {
    const c = congress();
    const page = await browser.open(`${c.base}/copy?day=2026-10-24`);
    expect(texts(page, 'main h1')).toEqual(['Copier vers un autre jour']);
    expect(texts(page, `${FORM} .copy-form__sources label`)).toEqual([
      'Toute la journée du samedi 24 octobre 2026', 'Le créneau samedi 24 octobre 2026, 09:00–10:00', 'Le créneau samedi 24 octobre 2026, 10:30–12:00',
      'La partie Matin : Les villes',
    ]);
    expect($(page)(`${FORM} input[name="source"][checked]`).attr('value')).toBe('day:2026-10-24');
    expect(texts(page, '#copy-to-day option')).toEqual(['vendredi 23 octobre 2026', 'dimanche 25 octobre 2026', 'lundi 26 octobre 2026']);
    expect($(page)('#copy-to-day option[selected]').attr('value')).toBe('2026-10-25');
    // A slot in the address is chosen already, on its own day.
    const slotPage = await browser.open(`${c.base}/copy?slot=${c.slotOf('Atelier')}`);
    expect($(slotPage)(`${FORM} input[name="source"][checked]`).attr('value')).toBe(`slot:${c.slotOf('Atelier')}`);
    expect($(slotPage)('#copy-day option[selected]').attr('value')).toBe('2026-10-24');
    // A slot the event does not have is ignored: the page shows the day asked for, or the first.
    const unknown = await browser.open(`${c.base}/copy?slot=00000000-0000-4000-8000-000000000000`);
    expect($(unknown)(`${FORM} input[name="source"][checked]`).attr('value')).toBe('day:2026-10-23');
    // An event of one day has no other day to copy to: the page says where to add days.
    const oneDay = await browser.open('/admin/events/uclg-learning-forum-2019/copy');
    expect($(oneDay)(FORM).length).toBe(0);
    expect(texts(oneDay, 'main p.empty')).toEqual(['L\'événement n\'a qu\'un jour : ajoutez-lui des jours dans ses réglages pour copier vers un autre jour. Réglages de l\'événement']);
  });

  test('the whole day copied to Monday keeps its wall-clock times after the clock change, and leads to that day of the grid', async () => {
    const c = congress();
    const before = c.sessions();
    const response = await browser.send(await browser.open(`${c.base}/copy?day=2026-10-24`), { toDay: '2026-10-26' }, { form: FORM });
    expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
    expect(response.headers.location).toBe(`${c.base}/grid?day=2026-10-26&saved=copiedSkipped`);
    const copies = c.sessions().filter((s) => !before.some((b) => b.id === s.id));
    const newPart = (c.d.items(c.event, 'part') as { id: string }[]).find((p) => p.id !== c.morning)!.id;
    expect(copies.map((s) => [s.title.fr, s.start, s.end, s.room, s.part, s.status])).toEqual([
      ['Ouverture', '2026-10-26T09:00:00+01:00', '2026-10-26T10:00:00+01:00', c.room, newPart, 'confirmed'],
      ['Atelier', '2026-10-26T10:30:00+01:00', '2026-10-26T12:00:00+01:00', c.room, newPart, 'confirmed'],
    ]);
    const grid = await browser.get(response.headers.location as string);
    expect(grid.statusCode).toBe(200);
    expect(texts(grid.body, 'main .notice')).toEqual(['Sessions copiées sur ce jour ; les sessions annulées n\'ont pas été copiées.']);
  });

  test('a slot or a part copied: the slot\'s sessions keep their part, the part\'s go in a new part on the target day', async () => {
    const c = congress();
    const slot = await browser.send(await browser.open(`${c.base}/copy?slot=${c.slotOf('Ouverture')}`), { toDay: '2026-10-23' }, { form: FORM });
    expect(slot.headers.location).toBe(`${c.base}/grid?day=2026-10-23&saved=copied`);
    expect(c.sessions().filter((s) => s.start?.startsWith('2026-10-23')).map((s) => [s.title.fr, s.start, s.part])).toEqual([
      ['Ouverture', '2026-10-23T09:00:00+02:00', c.morning],
    ]);
    // The part's copy holds its sessions of Saturday, its day, not the copy just made on Friday.
    const part = await browser.send(await browser.open(`${c.base}/copy?part=${c.morning}`), { toDay: '2026-10-25' }, { form: FORM });
    expect(part.headers.location).toBe(`${c.base}/grid?day=2026-10-25&saved=copiedSkipped`);
    const made = (c.d.items(c.event, 'part') as unknown as { id: string; label: { fr: string }; start: string | null }[]).filter((p) => p.id !== c.morning);
    expect(made.map((p) => [p.label.fr, p.start])).toEqual([['Matin', '2026-10-25T09:00:00+01:00']]);
    expect(c.sessions().filter((s) => s.part === made[0]!.id).map((s) => [s.title.fr, s.start])).toEqual([
      ['Ouverture', '2026-10-25T09:00:00+01:00'], ['Atelier', '2026-10-25T10:30:00+01:00'],
    ]);
  });

  test('the same day, a day outside the event, a slot that is gone or no choice: the form again (422) with the reason, nothing copied', async () => {
    const c = congress();
    const before = c.sessions();
    const page = await browser.open(`${c.base}/copy?day=2026-10-24`);
    const same = await browser.send(page, { toDay: '2026-10-24' }, { form: FORM });
    expect([same.statusCode, texts(same.body, '#copy-to-day-error')]).toEqual([422, ['Choisissez un autre jour que celui d\'origine.']]);
    const outside = await browser.send(page, { toDay: '2026-10-27' }, { form: FORM });
    expect([outside.statusCode, texts(outside.body, '#copy-to-day-error')]).toEqual([422, ['Choisissez un jour de l\'événement.']]);
    const gone = await browser.send(page, { source: 'slot:00000000-0000-4000-8000-000000000000', toDay: '2026-10-25' }, { form: FORM });
    expect([gone.statusCode, texts(gone.body, '#source-error')]).toEqual([422, ['Ce créneau ou cette partie n\'existe plus dans l\'événement.']]);
    const empty = await browser.send(page, { source: 'day:2026-10-23', toDay: '2026-10-25' }, { form: FORM });
    expect([empty.statusCode, texts(empty.body, '#source-error')]).toEqual([422, ['Il n\'y a aucune session à copier ici.']]);
    const none = await browser.send(page, { source: 'everything', toDay: '2026-10-25' }, { form: FORM });
    expect([none.statusCode, texts(none.body, '#source-error')]).toEqual([422, ['Choisissez ce que vous voulez copier.']]);
    // What was chosen is kept.
    expect($(same.body)(`${FORM} input[name="source"][checked]`).attr('value')).toBe('day:2026-10-24');
    expect(c.sessions()).toEqual(before);
  });
});
