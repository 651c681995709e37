// Bulk actions on selected sessions and copies onto another day, through the domain: exact
// rows after each, one transaction (a stale or refused session leaves everything as it was),
// one audit entry per item written, and copies across the autumn clock change in Madrid.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BulkRefusal, cancelSessions, copyDay, copyPart, copySlot, moveSessions, restoreSessions, setPart, setRoom, StaleSelectionError,
  type Selected,
} from '../../../server/domains/programme/bulk.ts';
import { createEvent } from '../../../server/domains/programme/events.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import type { WriteContext } from '../../../server/domains/programme/write.ts';
import { NotFoundError } from '../../../server/errors.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { domainOf } from '../../helpers/domain.ts';

type Item = { id: string; version: number } & Record<string, unknown>;
type SessionItem = Item & { title: { fr: string }; start: string | null; end: string | null; room: string | null; part: string | null; status: string };

const ZONE = 'Europe/Madrid';

describe('bulk actions and copies', () => {
  let t: TestApp;
  let actor: { id: number; name: string };
  let counter = 0;

  beforeAll(async () => {
    t = await buildTestApp();
    const user = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    actor = { id: user.id, name: 'Aminata Diallo' };
  });
  afterAll(async () => { await t.close(); });

  /**
   * A congress in Madrid from Friday 23 to Monday 26 October 2026 (the clocks go back on Sunday
   * 25 at 03:00): two rooms, a morning part on Saturday, and sessions on Saturday and Monday.
   */
  function congress() {
    counter += 1;
    const slug = `congres-${counter}`;
    const now = new Date('2026-09-01T10:00:00Z');
    createEvent(t.app.db, actor, {
      slug, title: { fr: 'Congrès' }, timezone: ZONE, defaultLanguage: 'fr', languages: ['fr', 'en'], startDate: '2026-10-23', endDate: '2026-10-26',
    }, now);
    const event = findEventBySlug(t.app.db, slug)!;
    const ctx: WriteContext = { db: t.app.db, event, actor, now };
    const d = domainOf(t.app);
    const create = (kind: 'room' | 'part' | 'person' | 'output', body: Record<string, unknown>) => d.createItem(ctx, kind, body).data.id as string;
    const roomA = create('room', { name: { fr: 'Salle A' } });
    const roomB = create('room', { name: { fr: 'Salle B' } });
    const morning = create('part', { label: { fr: 'Matin' }, title: { fr: 'Les villes' }, start: '2026-10-24T09:00', end: '2026-10-24T13:00' });
    const other = create('part', { label: { fr: 'Fil' }, title: { fr: 'Sans heures' } });
    const lina = create('person', { name: 'Lina Haddad' });
    const output = create('output', { statement: { fr: 'Une déclaration' } });
    const session = (title: string, body: Record<string, unknown>) => d.createSession(ctx, { title: { fr: title }, ...body }).data.id as string;
    const ids = {
      opening: session('Ouverture', {
        start: '2026-10-24T09:00', end: '2026-10-24T10:00', room: roomA, part: morning, kind: 'plenary', subtitle: { fr: 'Bienvenue' },
        contributors: [{ role: 'speaker', person: lina }], outputs: [output],
      }),
      workshop: session('Atelier', { start: '2026-10-24T10:30', end: '2026-10-24T12:00', room: roomB, part: morning }),
      dropped: session('Annulée', { start: '2026-10-24T10:30', end: '2026-10-24T12:00', room: roomA, part: morning, status: 'cancelled' }),
      dinner: session('Dîner', { start: '2026-10-24T21:00', end: '2026-10-24T23:00', part: other }),
      closing: session('Clôture', { start: '2026-10-26T16:00', end: '2026-10-26T17:00', room: roomA }),
      draft: session('Sans horaire', {}),
    };
    const sessions = () => d.items(event, 'session') as SessionItem[];
    const get = (id: string) => d.item(event, 'session', id) as SessionItem;
    const pick = (...list: string[]): Selected[] => list.map((id) => ({ id, version: get(id).version }));
    const audit = () => (d.audit(event, { limit: 1000 }).entries as { action: string; entity: string; entityId: string }[])
      .map((e) => `${e.action} ${e.entity} ${e.entityId}`);
    return { event, ctx, d, ids, roomA, roomB, morning, other, lina, output, sessions, get, pick, audit };
  }

  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error;
    }
    throw new Error('not refused');
  };

  test('a move shifts every selected scheduled session into the slot of its new times, skips unscheduled ones, and audits each', () => {
    const c = congress();
    const auditBefore = c.audit();
    const written = moveSessions(c.ctx, c.pick(c.ids.opening, c.ids.workshop, c.ids.draft), 30).data;
    expect(written).toEqual({ count: 2, changed: 2, skipped: 1 });
    expect([c.get(c.ids.opening), c.get(c.ids.workshop)].map((s) => [s.start, s.end])).toEqual([
      ['2026-10-24T09:30:00+02:00', '2026-10-24T10:30:00+02:00'],
      ['2026-10-24T11:00:00+02:00', '2026-10-24T12:30:00+02:00'],
    ]);
    // The cancelled session of 10:30 kept the slot both had shared; nothing else moved.
    expect(c.get(c.ids.dropped).start).toBe('2026-10-24T10:30:00+02:00');
    expect(c.get(c.ids.draft).start).toBeNull();
    const added = c.audit().slice(0, c.audit().length - auditBefore.length);
    expect(added.filter((a) => a.includes(' session ')).sort()).toEqual([`update session ${c.ids.opening}`, `update session ${c.ids.workshop}`].sort());
    // The two slots of the new times were made, and audited as made.
    expect(added.filter((a) => a.startsWith('create slot'))).toHaveLength(2);
    expect(added).toHaveLength(4);

    // Back by 30 minutes: into the slots that already exist, none made.
    const slots = c.d.items(c.event, 'slot').length;
    expect(moveSessions(c.ctx, c.pick(c.ids.opening, c.ids.workshop), -30).data).toEqual({ count: 2, changed: 2, skipped: 0 });
    expect(c.get(c.ids.workshop).slot).toBe(c.get(c.ids.dropped).slot);
    expect(c.d.items(c.event, 'slot')).toHaveLength(slots);
  });

  test('a move that would take a session outside the event\'s days refuses the whole selection, naming it', () => {
    const c = congress();
    const before = c.sessions();
    const error = refusal(() => moveSessions(c.ctx, c.pick(c.ids.opening, c.ids.closing), 8 * 60));
    expect(error).toBeInstanceOf(BulkRefusal);
    expect((error as BulkRefusal).reason).toBe('outside-event-days');
    expect((error as BulkRefusal).sessions).toEqual([c.ids.closing]);
    expect((error as BulkRefusal).statusCode).toBe(422);
    expect(c.sessions()).toEqual(before);
    for (const offset of [0, 7 * 24 * 60 + 1, -7 * 24 * 60 - 1, 1.5]) {
      expect((refusal(() => moveSessions(c.ctx, c.pick(c.ids.opening), offset)) as BulkRefusal).reason).toBe('invalid-offset');
    }
    expect((refusal(() => moveSessions(c.ctx, [], 30)) as BulkRefusal).reason).toBe('nothing-selected');
  });

  test('a session changed or deleted since it was ticked refuses the whole action, naming it, and nothing is written', () => {
    const c = congress();
    const selection = c.pick(c.ids.opening, c.ids.workshop, c.ids.dinner);
    setRoom(c.ctx, c.pick(c.ids.workshop), c.roomA);
    const before = c.sessions();
    const auditBefore = c.audit();
    const error = refusal(() => setRoom(c.ctx, [...selection, { id: '00000000-0000-4000-8000-000000000000', version: 1 }], c.roomB));
    expect(error).toBeInstanceOf(StaleSelectionError);
    expect((error as StaleSelectionError).changed).toEqual([c.ids.workshop]);
    expect((error as StaleSelectionError).missing).toEqual(['00000000-0000-4000-8000-000000000000']);
    expect((error as StaleSelectionError).statusCode).toBe(409);
    expect(c.sessions()).toEqual(before);
    expect(c.audit()).toEqual(auditBefore);
  });

  test('room, part, cancel and restore set exactly that, writing only the sessions not already so', () => {
    const c = congress();
    const three = () => c.pick(c.ids.opening, c.ids.workshop, c.ids.dinner);
    expect(setRoom(c.ctx, three(), c.roomB).data).toEqual({ count: 3, changed: 2, skipped: 0 });
    expect([c.ids.opening, c.ids.workshop, c.ids.dinner].map((id) => c.get(id).room)).toEqual([c.roomB, c.roomB, c.roomB]);
    expect(setPart(c.ctx, three(), c.other).data).toEqual({ count: 3, changed: 2, skipped: 0 });
    expect(setPart(c.ctx, three(), null).data).toEqual({ count: 3, changed: 3, skipped: 0 });
    expect([c.ids.opening, c.ids.workshop, c.ids.dinner].map((id) => c.get(id).part)).toEqual([null, null, null]);
    expect(setRoom(c.ctx, three(), null).data.changed).toBe(3);
    expect(cancelSessions(c.ctx, c.pick(c.ids.opening, c.ids.dropped)).data).toEqual({ count: 2, changed: 1, skipped: 0 });
    expect([c.get(c.ids.opening).status, c.get(c.ids.dropped).status]).toEqual(['cancelled', 'cancelled']);
    expect(restoreSessions(c.ctx, c.pick(c.ids.opening, c.ids.dropped)).data).toEqual({ count: 2, changed: 2, skipped: 0 });
    expect([c.get(c.ids.opening).status, c.get(c.ids.dropped).status]).toEqual(['confirmed', 'confirmed']);
    const updates = c.audit().filter((a) => a.startsWith('update session'));
    // 2 + 2 + 3 + 3 + 1 + 2 sessions written, one entry each.
    expect(updates).toHaveLength(13);
    expect((refusal(() => setRoom(c.ctx, three(), '00000000-0000-4000-8000-000000000000')) as BulkRefusal).reason).toBe('unknown-room');
    expect((refusal(() => setPart(c.ctx, three(), '00000000-0000-4000-8000-000000000000')) as BulkRefusal).reason).toBe('unknown-part');
  });

  test('a day copied across the clock change keeps the wall-clock times, copies the day\'s part, and leaves cancelled sessions out', () => {
    const c = congress();
    const original = c.sessions();
    const written = copyDay(c.ctx, '2026-10-24', '2026-10-26').data;
    expect(written).toEqual({ created: 3, skipped: 1, toDay: '2026-10-26', part: null });
    const copies = c.sessions().filter((s) => !original.some((o) => o.id === s.id));
    const parts = c.d.items(c.event, 'part') as (Item & { label: { fr: string }; start: string | null; end: string | null })[];
    const copiedPart = parts.find((p) => p.id !== c.morning && p.id !== c.other)!;
    expect(copiedPart).toMatchObject({ label: { fr: 'Matin' }, title: { fr: 'Les villes' }, start: '2026-10-26T09:00:00+01:00', end: '2026-10-26T13:00:00+01:00' });
    const opening = c.get(c.ids.opening);
    const { id: _id, version: _version, slot: _slot, start: _start, end: _end, ...content } = opening;
    expect(copies.map((s) => [s.title.fr, s.start, s.end, s.part, s.room, s.status])).toEqual([
      ['Ouverture', '2026-10-26T09:00:00+01:00', '2026-10-26T10:00:00+01:00', copiedPart.id, c.roomA, 'confirmed'],
      ['Atelier', '2026-10-26T10:30:00+01:00', '2026-10-26T12:00:00+01:00', copiedPart.id, c.roomB, 'confirmed'],
      ['Dîner', '2026-10-26T21:00:00+01:00', '2026-10-26T23:00:00+01:00', c.other, null, 'confirmed'],
    ]);
    // Every content field, the contributors and the outputs come with the copy.
    expect(copies[0]).toMatchObject({ ...content, part: copiedPart.id, contributors: [{ role: 'speaker', person: c.lina, organisation: null }], outputs: [c.output] });
    // The originals are as they were.
    expect(c.sessions().filter((s) => original.some((o) => o.id === s.id))).toEqual(original);
    const created = c.audit().filter((a) => a.startsWith('create'));
    expect(created.filter((a) => a.startsWith('create session'))).toHaveLength(6 + 3);
    expect(created.filter((a) => a.startsWith('create part'))).toEqual([`create part ${copiedPart.id}`, expect.any(String), expect.any(String)]);
  });

  test('a slot\'s copies go in the part whose hours hold them, else keep theirs; the same day, a day outside the event and an unknown slot are refused', () => {
    const c = congress();
    expect((refusal(() => copyDay(c.ctx, '2026-10-25', '2026-10-24')) as BulkRefusal).reason).toBe('nothing-to-copy');
    const slot = c.get(c.ids.workshop).slot as string;
    const written = copySlot(c.ctx, slot, '2026-10-23').data;
    expect(written).toEqual({ created: 1, skipped: 1, toDay: '2026-10-23', part: null });
    const copy = c.sessions().find((s) => s.title.fr === 'Atelier' && s.id !== c.ids.workshop)!;
    expect([copy.start, copy.end, copy.part, copy.room]).toEqual(['2026-10-23T10:30:00+02:00', '2026-10-23T12:00:00+02:00', c.morning, c.roomB]);
    // Sunday has a morning part of its own: the copy goes in it.
    const sunday = c.d.createItem(c.ctx, 'part', { label: { fr: 'Dimanche' }, title: { fr: 'Matin' }, start: '2026-10-25T09:00', end: '2026-10-25T13:00' }).data.id;
    copySlot(c.ctx, slot, '2026-10-25');
    expect(c.sessions().filter((s) => s.start?.startsWith('2026-10-25')).map((s) => [s.title.fr, s.start, s.part])).toEqual([
      ['Atelier', '2026-10-25T10:30:00+01:00', sunday],
    ]);
    const before = c.sessions();
    expect((refusal(() => copySlot(c.ctx, slot, '2026-10-24')) as BulkRefusal).reason).toBe('same-day');
    expect((refusal(() => copySlot(c.ctx, slot, '2026-10-27')) as BulkRefusal).reason).toBe('not-event-day');
    expect((refusal(() => copySlot(c.ctx, slot, '2026-02-30')) as BulkRefusal).reason).toBe('not-event-day');
    expect((refusal(() => copyDay(c.ctx, '2026-10-22', '2026-10-24')) as BulkRefusal).reason).toBe('not-event-day');
    expect(refusal(() => copySlot(c.ctx, '00000000-0000-4000-8000-000000000000', '2026-10-23'))).toBeInstanceOf(NotFoundError);
    expect(c.sessions()).toEqual(before);
  });

  test('a part is copied as a new part, its hours and sessions on the target day; a copy past the late-night limit is refused whole', () => {
    const c = congress();
    const written = copyPart(c.ctx, c.morning, '2026-10-25').data;
    expect(written).toMatchObject({ created: 2, skipped: 1, toDay: '2026-10-25', part: expect.any(String) });
    expect(c.d.item(c.event, 'part', written.part!)).toMatchObject({
      label: { fr: 'Matin' }, title: { fr: 'Les villes' }, start: '2026-10-25T09:00:00+01:00', end: '2026-10-25T13:00:00+01:00',
    });
    const inNewPart = c.sessions().filter((s) => s.part === written.part).map((s) => [s.title.fr, s.start, s.room]);
    expect(inNewPart).toEqual([['Ouverture', '2026-10-25T09:00:00+01:00', c.roomA], ['Atelier', '2026-10-25T10:30:00+01:00', c.roomB]]);

    // The part without hours is on the day of its first session, a night from Friday 22:00 to
    // Saturday 07:00: three days later that night would end after 06:00 the morning after the
    // last day. Nothing is made, not even the part.
    const night = c.d.createSession(c.ctx, { title: { fr: 'Nuit blanche' }, start: '2026-10-23T22:00', end: '2026-10-24T07:00', part: c.other }).data.id as string;
    const parts = c.d.items(c.event, 'part').length;
    const before = c.sessions();
    const error = refusal(() => copyPart(c.ctx, c.other, '2026-10-26')) as BulkRefusal;
    expect([error.reason, error.sessions]).toEqual(['outside-event-days', [night]]);
    expect(c.sessions()).toEqual(before);
    expect(c.d.items(c.event, 'part')).toHaveLength(parts);
  });

  test('a copy onto a time the clock repeats is refused, never guessed', () => {
    const c = congress();
    c.d.createSession(c.ctx, { title: { fr: 'Veille' }, start: '2026-10-24T02:30', end: '2026-10-24T03:30' });
    const error = refusal(() => copyDay(c.ctx, '2026-10-24', '2026-10-25')) as BulkRefusal;
    expect(error.reason).toBe('clock-change');
    expect(error.sessions).toHaveLength(1);
  });
});
