// Clashes in a programme: reported as warnings of the write that caused them, and listed by
// GET /conflicts. findConflicts is a pure function of a programme, tested on hand-built ones.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findConflicts, newConflicts, type Conflict } from '../../../server/domains/programme/conflicts.ts';
import type { ContributorRole, LocalizedText } from '../../../server/db/schema.ts';
import type {
  EventRow, OrganisationRow, PartRow, PersonRow, RoomRow, SessionRow, SlotRow,
} from '../../../server/domains/programme/repository.ts';
import type { Programme, ProgrammeContributor, ProgrammeSession } from '../../../server/domains/programme/assemble.ts';
import { localToInstant } from '../../../server/time.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, listOf, ok, sessionTitled, type Api, type SessionOut, type Written } from '../../helpers/api.ts';

// ---------------------------------------------------------------------------------------------
// Through the API, on the 2019 forum (one day, 12 November 2019, in Africa/Johannesburg).

describe('conflicts reported by the write API', () => {
  let t: TestApp;
  let api: Api;
  const base = eventPath(FORUM_2019);

  beforeEach(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
  });
  afterEach(async () => { await t.close(); });

  const conflicts = async () => ok<{ conflicts: Conflict[] }>(await api.get(`${base}/conflicts`)).conflicts;

  async function createSession(body: Record<string, unknown>) {
    return ok<Written<SessionOut>>(await api.post(`${base}/sessions`, body), 201);
  }

  test('the bundled programme has no conflicts', async () => {
    expect(await conflicts()).toEqual([]);
  });

  test('an organisation on two overlapping sessions: the second write warns of it once, and GET /conflicts lists it once', async () => {
    const metropolis = ok<Written<{ id: string }>>(await api.post(`${base}/organisations`, { name: { fr: 'Metropolis' } }), 201).data;
    const first = await createSession({
      title: { fr: 'Villes et climat' }, start: '2019-11-12T19:00', end: '2019-11-12T20:00',
      contributors: [{ role: 'speaker', organisation: metropolis.id }],
    });
    expect(first.warnings).toEqual([]);
    // Listed twice in the second session, in two roles: still one clash.
    const second = await createSession({
      title: { fr: 'Villes et migrations' }, start: '2019-11-12T19:30', end: '2019-11-12T20:30',
      contributors: [{ role: 'speaker', organisation: metropolis.id }, { role: 'moderator', organisation: metropolis.id }],
    });
    const expected: Conflict = {
      type: 'contributor-double-booked',
      message: 'Metropolis is in two sessions at once: "Villes et climat" and "Villes et migrations"',
      sessions: [{ id: first.data.id, title: { fr: 'Villes et climat' } }, { id: second.data.id, title: { fr: 'Villes et migrations' } }],
      contributor: { kind: 'organisation', id: metropolis.id, name: 'Metropolis' },
    };
    expect(second.warnings).toEqual([expected]);
    expect(await conflicts()).toEqual([expected]);

    // A later write that leaves the clash as it was does not warn of it again.
    const renamed = await api.patch(`${base}/sessions/${first.data.id}`, { description: { fr: 'Adaptation.' } }, first.data.version);
    expect(ok<Written<SessionOut>>(renamed).warnings).toEqual([]);

    // Cancelled, a session clashes with nothing.
    ok(await api.patch(`${base}/sessions/${second.data.id}`, { status: 'cancelled' }, second.data.version));
    expect(await conflicts()).toEqual([]);
  });

  test('a person on two overlapping sessions is double-booked; on sessions that only touch, not', async () => {
    const ada = ok<Written<{ id: string }>>(await api.post(`${base}/people`, { name: 'Ada Lovelace' }), 201).data;
    await createSession({ title: { fr: 'A' }, start: '2019-11-12T19:00', end: '2019-11-12T20:00', contributors: [{ role: 'speaker', person: ada.id }] });
    const touching = await createSession({ title: { fr: 'B' }, start: '2019-11-12T20:00', end: '2019-11-12T21:00', contributors: [{ role: 'speaker', person: ada.id }] });
    expect(touching.warnings).toEqual([]);
    const overlapping = await createSession({ title: { fr: 'C' }, start: '2019-11-12T20:30', end: '2019-11-12T21:30', contributors: [{ role: 'moderator', person: ada.id }] });
    expect(overlapping.warnings).toEqual([{
      type: 'contributor-double-booked',
      message: 'Ada Lovelace is in two sessions at once: "B" and "C"',
      sessions: [{ id: touching.data.id, title: { fr: 'B' } }, { id: overlapping.data.id, title: { fr: 'C' } }],
      contributor: { kind: 'person', id: ada.id, name: 'Ada Lovelace' },
    }]);
  });

  test('a second session in a room at the same time: room double-booked', async () => {
    const bilan = await sessionTitled(api, FORUM_2019, 'Bilan du travail effectué');
    const room = (await listOf<{ id: string; version: number; name: LocalizedText }>(api, FORUM_2019, 'rooms'))[0]!;
    const created = await createSession({ title: { fr: 'Atelier' }, start: '2019-11-12T10:00', end: '2019-11-12T10:30', room: room.id });
    const expected: Conflict = {
      type: 'room-double-booked',
      message: 'Salle plénière holds two sessions at once: "Bilan du travail effectué" and "Atelier"',
      sessions: [{ id: bilan.id, title: bilan.title }, { id: created.data.id, title: { fr: 'Atelier' } }],
      room: { id: room.id, name: room.name },
    };
    expect(created.warnings).toEqual([expected]);
    expect(await conflicts()).toEqual([expected]);

    // Moved to another room, the clash is gone.
    const other = ok<Written<{ id: string }>>(await api.post(`${base}/rooms`, { name: { fr: 'Salle 2' } }), 201).data;
    expect(ok<Written<SessionOut>>(await api.patch(`${base}/sessions/${created.data.id}`, { room: other.id }, created.data.version)).warnings).toEqual([]);
    expect(await conflicts()).toEqual([]);
  });

  test('a time slot outside the event\'s days is refused rather than warned of; one that ends at midnight, or a late evening past it, is inside', async () => {
    const midnight = ok<Written<{ id: string }>>(await api.post(`${base}/slots`, { start: '2019-11-12T23:00', end: '2019-11-13T00:00' }), 201);
    expect(midnight.warnings).toEqual([]);
    const late = ok<Written<{ id: string }>>(await api.post(`${base}/slots`, { start: '2019-11-12T22:00', end: '2019-11-13T02:00' }), 201);
    expect(late.warnings).toEqual([]);
    const outside = await api.post(`${base}/slots`, { start: '2019-11-13T09:00', end: '2019-11-13T10:00' });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['#/start', '#/end']);
    expect(await conflicts()).toEqual([]);
  });

  test('a part given hours, and a session of it that runs past them: session outside its part', async () => {
    const part = ok<Written<{ id: string }>>(await api.post(`${base}/parts`, {
      label: { fr: 'Soirée', en: 'Evening' }, title: { fr: 'Réception' }, start: '2019-11-12T18:00', end: '2019-11-12T19:45',
    }), 201).data;
    const inside = await createSession({ title: { fr: 'Accueil' }, part: part.id, start: '2019-11-12T18:00', end: '2019-11-12T19:45' });
    expect(inside.warnings).toEqual([]);
    const late = await createSession({ title: { fr: 'Dîner' }, part: part.id, start: '2019-11-12T19:30', end: '2019-11-12T20:30' });
    const expected: Conflict = {
      type: 'session-outside-part',
      message: '"Dîner" is outside the hours of its part, Soirée',
      sessions: [{ id: late.data.id, title: { fr: 'Dîner' } }],
      part: { id: part.id, label: { fr: 'Soirée', en: 'Evening' } },
    };
    expect(late.warnings).toEqual([expected]);
    expect(await conflicts()).toEqual([expected]);
  });
});

// ---------------------------------------------------------------------------------------------
// findConflicts on hand-built programmes.

const ZONE = 'Africa/Johannesburg';
const at = (local: string) => localToInstant(local, ZONE);

let nextId = 1;
const newId = () => nextId++;

function eventRow(overrides: Partial<EventRow> = {}): EventRow {
  return {
    id: 1, publicId: 'event', slug: 'forum', timezone: ZONE, defaultLanguage: 'fr', languages: ['fr', 'en'],
    title: { fr: 'Forum' }, startDate: '2019-11-12', endDate: '2019-11-13', ...overrides,
  } as EventRow;
}

function slotRow(start: string, end: string): SlotRow {
  const id = newId();
  return { id, publicId: `slot-${id}`, eventId: 1, startsAt: at(start), endsAt: at(end), version: 1 } as SlotRow;
}

function roomRow(name: LocalizedText): RoomRow {
  const id = newId();
  return { id, publicId: `room-${id}`, eventId: 1, position: id, name, version: 1 } as RoomRow;
}

function partRow(label: LocalizedText, start: string | null, end: string | null): PartRow {
  const id = newId();
  return {
    id, publicId: `part-${id}`, eventId: 1, position: id, label, title: label,
    startsAt: start === null ? null : at(start), endsAt: end === null ? null : at(end), version: 1,
  } as PartRow;
}

function personRow(name: string): PersonRow {
  const id = newId();
  return { id, publicId: `person-${id}`, eventId: 1, name, organisationId: null, bio: null, version: 1 } as PersonRow;
}

function organisationRow(name: LocalizedText): OrganisationRow {
  const id = newId();
  return { id, publicId: `organisation-${id}`, eventId: 1, name, fullName: null, description: null, version: 1 } as OrganisationRow;
}

interface SessionSpec {
  title: string | LocalizedText;
  slot: SlotRow | null;
  room?: RoomRow;
  part?: PartRow;
  status?: 'confirmed' | 'cancelled';
  contributors?: [ContributorRole, PersonRow | OrganisationRow][];
}

function sessionOf(spec: SessionSpec): ProgrammeSession {
  const id = newId();
  const contributors: ProgrammeContributor[] = (spec.contributors ?? []).map(([role, who]) => ('organisationId' in who
    ? { role, person: who, organisation: null }
    : { role, person: null, organisation: who }));
  return {
    row: {
      id, publicId: `session-${id}`, eventId: 1, kind: 'session', status: spec.status ?? 'confirmed',
      title: typeof spec.title === 'string' ? { fr: spec.title } : spec.title,
    } as SessionRow,
    publicId: `session-${id}`,
    slot: spec.slot,
    part: spec.part ?? null,
    room: spec.room ?? null,
    contributors,
    outputs: [],
    floor: ['fr'],
    interpretation: [],
    interpretationInherited: false,
  };
}

function programmeOf(sessions: ProgrammeSession[], extra: { event?: EventRow; slots?: SlotRow[] } = {}): Programme {
  const unique = <T>(items: (T | null | undefined)[]) => [...new Set(items.filter((i): i is T => i !== null && i !== undefined))];
  return {
    event: extra.event ?? eventRow(),
    parts: unique(sessions.map((s) => s.part)),
    rooms: unique(sessions.map((s) => s.room)),
    slots: unique([...sessions.map((s) => s.slot), ...(extra.slots ?? [])]),
    outputs: [],
    organisations: unique(sessions.flatMap((s) => s.contributors.map((c) => c.organisation))),
    people: unique(sessions.flatMap((s) => s.contributors.map((c) => c.person))),
    sessions,
  };
}

const ref = (s: ProgrammeSession) => ({ id: s.publicId, title: s.row.title });
/** type, subject and sessions of each conflict: what tells one from another. */
const summary = (conflicts: Conflict[]) => conflicts.map((c) => [
  c.type, c.contributor?.id ?? c.room?.id ?? c.slot?.id ?? c.part?.id, ...c.sessions.map((s) => s.id),
].join(' '));

describe('findConflicts', () => {
  test('a person in two overlapping sessions: one conflict naming the person and both sessions, the earlier first', () => {
    const ada = personRow('Ada Lovelace');
    const later = sessionOf({ title: 'B', slot: slotRow('2019-11-12T10:30', '2019-11-12T11:30'), contributors: [['speaker', ada]] });
    const earlier = sessionOf({ title: 'A', slot: slotRow('2019-11-12T10:00', '2019-11-12T11:00'), contributors: [['moderator', ada]] });
    expect(findConflicts(programmeOf([later, earlier]))).toEqual([{
      type: 'contributor-double-booked',
      message: 'Ada Lovelace is in two sessions at once: "A" and "B"',
      sessions: [ref(earlier), ref(later)],
      contributor: { kind: 'person', id: ada.publicId, name: 'Ada Lovelace' },
    }]);
  });

  test('sessions that touch (one ends as the other starts) do not clash', () => {
    const ada = personRow('Ada Lovelace');
    const room = roomRow({ fr: 'Salle 1' });
    const a = sessionOf({ title: 'A', slot: slotRow('2019-11-12T10:00', '2019-11-12T11:00'), room, contributors: [['speaker', ada]] });
    const b = sessionOf({ title: 'B', slot: slotRow('2019-11-12T11:00', '2019-11-12T12:00'), room, contributors: [['speaker', ada]] });
    expect(findConflicts(programmeOf([a, b]))).toEqual([]);
  });

  test('a long session clashes with each of two later ones that do not clash with each other', () => {
    const ada = personRow('Ada Lovelace');
    const long = sessionOf({ title: 'Long', slot: slotRow('2019-11-12T09:00', '2019-11-12T12:00'), contributors: [['speaker', ada]] });
    const first = sessionOf({ title: 'First', slot: slotRow('2019-11-12T09:30', '2019-11-12T10:00'), contributors: [['speaker', ada]] });
    const second = sessionOf({ title: 'Second', slot: slotRow('2019-11-12T10:30', '2019-11-12T11:00'), contributors: [['speaker', ada]] });
    expect(summary(findConflicts(programmeOf([second, first, long])))).toEqual([
      `contributor-double-booked ${ada.publicId} ${long.publicId} ${first.publicId}`,
      `contributor-double-booked ${ada.publicId} ${long.publicId} ${second.publicId}`,
    ]);
  });

  test('three sessions at once in one room: three pairs', () => {
    const room = roomRow({ fr: 'Salle 1', en: 'Room 1' });
    const slot = slotRow('2019-11-12T10:00', '2019-11-12T11:00');
    const [a, b, c] = ['A', 'B', 'C'].map((title) => sessionOf({ title, slot, room }));
    const conflicts = findConflicts(programmeOf([a!, b!, c!]));
    expect(summary(conflicts)).toEqual([
      `room-double-booked ${room.publicId} ${a!.publicId} ${b!.publicId}`,
      `room-double-booked ${room.publicId} ${a!.publicId} ${c!.publicId}`,
      `room-double-booked ${room.publicId} ${b!.publicId} ${c!.publicId}`,
    ]);
    expect(conflicts[0]!.message).toBe('Salle 1 holds two sessions at once: "A" and "B"');
    expect(conflicts[0]!.room).toEqual({ id: room.publicId, name: { fr: 'Salle 1', en: 'Room 1' } });
  });

  test('cancelled and unscheduled sessions clash with nothing; different rooms do not clash', () => {
    const ada = personRow('Ada Lovelace');
    const room = roomRow({ fr: 'Salle 1' });
    const slot = slotRow('2019-11-12T10:00', '2019-11-12T11:00');
    const live = sessionOf({ title: 'Live', slot, room, contributors: [['speaker', ada]] });
    const cancelled = sessionOf({ title: 'Cancelled', slot, room, status: 'cancelled', contributors: [['speaker', ada]] });
    const unscheduled = sessionOf({ title: 'Unscheduled', slot: null, room, contributors: [['speaker', ada]] });
    const elsewhere = sessionOf({ title: 'Elsewhere', slot, room: roomRow({ fr: 'Salle 2' }) });
    expect(findConflicts(programmeOf([live, cancelled, unscheduled, elsewhere]))).toEqual([]);
  });

  test('a person in one session in two roles is not double-booked with themself', () => {
    const ada = personRow('Ada Lovelace');
    const session = sessionOf({ title: 'A', slot: slotRow('2019-11-12T10:00', '2019-11-12T11:00'), contributors: [['speaker', ada], ['moderator', ada]] });
    expect(findConflicts(programmeOf([session]))).toEqual([]);
  });

  test('an organisation is named in the event\'s default language, falling back to another', () => {
    const uclg = organisationRow({ fr: 'CGLU', en: 'UCLG' });
    const slot = slotRow('2019-11-12T10:00', '2019-11-12T11:00');
    const a = sessionOf({ title: { fr: 'A', en: 'A (en)' }, slot, contributors: [['speaker', uclg]] });
    const b = sessionOf({ title: { en: 'B (en)' }, slot, contributors: [['speaker', uclg]] });
    expect(findConflicts(programmeOf([a, b], { event: eventRow({ defaultLanguage: 'en' }) })).map((c) => [c.message, c.contributor])).toEqual([
      ['UCLG is in two sessions at once: "A (en)" and "B (en)"', { kind: 'organisation', id: uclg.publicId, name: 'UCLG' }],
    ]);
    expect(findConflicts(programmeOf([a, b], { event: eventRow({ defaultLanguage: 'es' }) })).map((c) => c.message)).toEqual([
      'CGLU is in two sessions at once: "A" and "B (en)"',
    ]);
  });

  test('time slots stored outside the event\'s days (before writes refused them) are reported, judged in its own zone; a late evening of the last day is inside', () => {
    // 12–13 November 2019 in Johannesburg (UTC+2).
    const inside = [
      slotRow('2019-11-12T00:30', '2019-11-12T01:00'), // 11 November in UTC
      slotRow('2019-11-13T23:00', '2019-11-14T00:00'),
    ];
    const dayBefore = slotRow('2019-11-11T23:30', '2019-11-12T00:30');
    const lateEvening = slotRow('2019-11-13T23:30', '2019-11-14T00:30'); // ends after midnight of the last day: inside
    const dayAfter = slotRow('2019-11-14T00:30', '2019-11-14T01:00');
    const session = sessionOf({ title: 'Tard', slot: dayAfter });
    const conflicts = findConflicts(programmeOf([session], { slots: [...inside, lateEvening, dayBefore] }));
    expect(conflicts).toEqual([
      {
        type: 'slot-outside-event',
        message: 'The time slot 2019-11-14T00:30:00+02:00 – 2019-11-14T01:00:00+02:00 is outside the event\'s dates (2019-11-12 to 2019-11-13)',
        sessions: [ref(session)],
        slot: { id: dayAfter.publicId, start: '2019-11-14T00:30:00+02:00', end: '2019-11-14T01:00:00+02:00' },
      },
      {
        type: 'slot-outside-event',
        message: 'The time slot 2019-11-11T23:30:00+02:00 – 2019-11-12T00:30:00+02:00 is outside the event\'s dates (2019-11-12 to 2019-11-13)',
        sessions: [],
        slot: { id: dayBefore.publicId, start: '2019-11-11T23:30:00+02:00', end: '2019-11-12T00:30:00+02:00' },
      },
    ]);
  });

  test('a session that starts before its part, or ends after it, is outside it; a part without hours holds anything', () => {
    const evening = partRow({ fr: 'Soirée' }, '2019-11-12T18:00', '2019-11-12T20:00');
    const fromSix = partRow({ fr: 'Après six heures' }, '2019-11-12T18:00', null);
    const anytime = partRow({ fr: 'Libre' }, null, null);
    const early = sessionOf({ title: 'Tôt', slot: slotRow('2019-11-12T17:30', '2019-11-12T18:30'), part: evening });
    const late = sessionOf({ title: 'Tard', slot: slotRow('2019-11-12T19:30', '2019-11-12T20:30'), part: evening });
    const within = sessionOf({ title: 'Pile', slot: slotRow('2019-11-12T18:00', '2019-11-12T20:00'), part: evening });
    const afterSix = sessionOf({ title: 'Nuit', slot: slotRow('2019-11-12T22:00', '2019-11-12T23:00'), part: fromSix });
    const beforeSix = sessionOf({ title: 'Midi', slot: slotRow('2019-11-12T12:00', '2019-11-12T13:00'), part: fromSix });
    const free = sessionOf({ title: 'Libre', slot: slotRow('2019-11-12T07:00', '2019-11-12T08:00'), part: anytime });
    const conflicts = findConflicts(programmeOf([early, within, late, afterSix, beforeSix, free]));
    expect(summary(conflicts)).toEqual([
      `session-outside-part ${evening.publicId} ${early.publicId}`,
      `session-outside-part ${evening.publicId} ${late.publicId}`,
      `session-outside-part ${fromSix.publicId} ${beforeSix.publicId}`,
    ]);
    expect(conflicts[0]).toEqual({
      type: 'session-outside-part',
      message: '"Tôt" is outside the hours of its part, Soirée',
      sessions: [ref(early)],
      part: { id: evening.publicId, label: { fr: 'Soirée' } },
    });
  });
});

describe('newConflicts', () => {
  test('keeps the conflicts that were not there before, telling them apart by type, subject and sessions, not by titles', () => {
    const ada = personRow('Ada Lovelace');
    const room = roomRow({ fr: 'Salle 1' });
    const slot = slotRow('2019-11-12T10:00', '2019-11-12T11:00');
    const a = sessionOf({ title: 'A', slot, room, contributors: [['speaker', ada]] });
    const b = sessionOf({ title: 'B', slot, contributors: [['speaker', ada]] });
    const before = findConflicts(programmeOf([a, b]));
    const renamedB = { ...b, row: { ...b.row, title: { fr: 'B renommée' } } };
    const c = sessionOf({ title: 'C', slot, room });
    const after = findConflicts(programmeOf([a, renamedB, c]));
    expect(summary(newConflicts(before, after))).toEqual([`room-double-booked ${room.publicId} ${a.publicId} ${c.publicId}`]);
    expect(newConflicts(after, after)).toEqual([]);
  });
});
