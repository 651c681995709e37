import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEvent } from '../../../server/domains/programme/events.ts';
import { createQuickSession, sessionTimes } from '../../../server/domains/programme/quick.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { UnprocessableError } from '../../../server/errors.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { domainOf } from '../../helpers/domain.ts';

describe('a session created with what its form names', () => {
  let t: TestApp;
  let event: EventRow;
  const actor = { id: 1, name: 'Amina' };
  const now = new Date('2026-01-10T10:00:00Z');
  const ctx = () => ({ db: t.app.db, event, actor, now });
  const counts = () => Object.fromEntries((['room', 'person', 'organisation', 'session', 'slot'] as const).map((k) => [k, domainOf(t.app).items(event, k).length]));

  beforeAll(async () => {
    t = await buildTestApp();
    createEvent(t.app.db, actor, {
      slug: 'quick-forum', title: { fr: 'Forum rapide' }, timezone: 'Africa/Johannesburg', defaultLanguage: 'fr', languages: ['fr', 'en'],
      startDate: '2026-03-04', endDate: '2026-03-04',
    }, now);
    event = findEventBySlug(t.app.db, 'quick-forum')!;
  });
  afterAll(async () => { await t.close(); });

  test('makes the room, the people (linking one who exists) and the organisation, and the session with them, in one write', () => {
    const d = domainOf(t.app);
    const existing = d.createItem(ctx(), 'person', { name: 'Lina Haddad' }).data.id as string;
    const written = createQuickSession(ctx(), {
      session: { title: { fr: 'Ouverture' }, ...sessionTimes('2026-03-04', '09:00', 'Africa/Johannesburg', { minutes: 45 }) },
      newRoom: 'Salle Mandela', newPeople: ['Jean Dupont', 'Lina Haddad', 'Jean Dupont'], newOrganisation: 'CGLU Afrique',
    }).data;
    expect(written.people).toHaveLength(1);
    const [jean] = written.people;
    expect(d.item(event, 'room', written.room!)).toEqual({ id: written.room, name: { fr: 'Salle Mandela' }, position: 1, interpretation: null, version: 1 });
    expect(d.item(event, 'person', jean!)).toMatchObject({ id: jean, name: 'Jean Dupont', organisation: null });
    expect(d.item(event, 'organisation', written.organisation!)).toMatchObject({ name: { fr: 'CGLU Afrique' } });
    expect(d.item(event, 'session', written.session.id as string)).toMatchObject({
      title: { fr: 'Ouverture' }, room: written.room, start: '2026-03-04T09:00:00+02:00', end: '2026-03-04T09:45:00+02:00',
      contributors: [
        { role: 'speaker', person: jean, organisation: null },
        { role: 'speaker', person: existing, organisation: null },
        { role: 'presenter', person: null, organisation: written.organisation },
      ],
    });
    // Each creation is audited as its own.
    const audited = d.audit(event, {}).entries.map((e: { action: string; entity: string }) => `${e.action} ${e.entity}`);
    expect(audited.filter((a: string) => a !== 'create event').sort()).toEqual(['create organisation', 'create person', 'create person', 'create room', 'create session']);
  });

  test('a refused session leaves nothing behind, and a name too long is refused at its field before anything is written', () => {
    const before = counts();
    const refused = (input: Parameters<typeof createQuickSession>[1]) => {
      try {
        createQuickSession(ctx(), input);
      } catch (error) {
        expect(error).toBeInstanceOf(UnprocessableError);
        return (error as UnprocessableError).errors.map((e) => `${e.pointer} ${e.code}`);
      }
      throw new Error('not refused');
    };
    // The session falls on a day the event does not have: its room and people are not kept.
    expect(refused({
      session: { title: { fr: 'Trop tard' }, start: '2026-03-05T09:00', end: '2026-03-05T10:00' }, newRoom: 'Salle B', newPeople: ['Nadia Benali'], newOrganisation: 'ONU-Habitat',
    })).toEqual(['#/start outside-event-days', '#/end outside-event-days']);
    expect(refused({ session: { title: { fr: 'Nom trop long' } }, newRoom: 'x'.repeat(201), newPeople: ['Ana', ''] })).toEqual(['#/newRoom name-length', '#/newPeople name-length']);
    expect(counts()).toEqual(before);
  });

  test('a duration counts real minutes across a clock change; an end is the same day', () => {
    expect(sessionTimes('2026-03-29', '01:30', 'Europe/Madrid', { minutes: 60 })).toEqual({ start: '2026-03-29T01:30', end: '2026-03-29T03:30:00+02:00' });
    expect(sessionTimes('2026-06-01', '23:30', 'Europe/Madrid', { minutes: 60 })).toEqual({ start: '2026-06-01T23:30', end: '2026-06-02T00:30:00+02:00' });
    expect(sessionTimes('2026-03-04', '14:00', 'Africa/Johannesburg', { end: '15:15' })).toEqual({ start: '2026-03-04T14:00', end: '2026-03-04T15:15' });
    // 02:30 does not exist in Madrid that day: kept as typed, for the session's rules to refuse.
    expect(sessionTimes('2026-03-29', '02:30', 'Europe/Madrid', { minutes: 30 })).toEqual({ start: '2026-03-29T02:30', end: '2026-03-29T03:00' });
  });
});
