// The audit log: every write to an event, newest first, with who did it, when, and the entity
// before and after. Refused writes leave nothing; only the event's organisers may read it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, expectProblem, ok, sessionTitled, type Api, type Written } from '../../helpers/api.ts';

interface AuditEntry {
  id: number;
  at: string;
  actor: { id: string | null; name: string };
  action: 'create' | 'update' | 'delete';
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

interface AuditPage {
  entries: AuditEntry[];
  next: number | null;
}

const AUDIT = `${eventPath(FORUM_2019)}/audit`;
const ROOMS = `${eventPath(FORUM_2019)}/rooms`;

describe('the audit log of an event', () => {
  let t: TestApp;
  let clock = new Date('2026-03-02T08:00:00.000Z');
  let olga: TestUser;
  let oscar: TestUser;
  let api: Api;
  let room: { id: string };
  let session: { id: string };
  /** The three entries of the room, newest first, and the session's. */
  let roomEntries: AuditEntry[];
  let sessionEntry: AuditEntry;

  const tick = (iso: string) => { clock = new Date(iso); };
  const audit = async (query = '', as: Api = api) => ok<AuditPage>(await as.get(`${AUDIT}${query}`));

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    olga = await addUser(t.app, 'organiser', undefined, 'Olga Organiser');
    oscar = await addUser(t.app, 'organiser', FORUM_2019, 'Oscar Organiser');
    api = apiAs(t.app, olga.bearer);

    // 1: Olga creates a room; 2: renames it; 3: Oscar renames a session; 4: Olga deletes the room.
    tick('2026-03-02T08:01:00.000Z');
    room = ok<Written<{ id: string }>>(await api.post(ROOMS, { name: { fr: 'Salle 2', en: 'Room 2' } }), 201).data;
    tick('2026-03-02T08:02:00.000Z');
    ok(await api.patch(`${ROOMS}/${room.id}`, { name: { fr: 'Salle B', en: 'Room B' } }, 1));
    tick('2026-03-02T08:03:00.000Z');
    const opening = await sessionTitled(api, FORUM_2019, 'Ouverture et bienvenue');
    session = opening;
    ok(await apiAs(t.app, oscar.bearer).patch(`${eventPath(FORUM_2019)}/sessions/${opening.id}`, { title: { fr: 'Ouverture' } }, opening.version));
    tick('2026-03-02T08:04:00.000Z');
    expect((await api.delete(`${ROOMS}/${room.id}`, 2)).statusCode).toBe(204);

    const { version: _ignored, ...openingFields } = opening;
    roomEntries = [
      {
        id: 4, at: '2026-03-02T08:04:00.000Z', actor: { id: olga.publicId, name: 'Olga Organiser' }, action: 'delete', entity: 'room', entityId: room.id,
        before: { id: room.id, position: 1, name: { fr: 'Salle B', en: 'Room B' }, interpretation: null, version: 2 }, after: null,
      },
      {
        id: 2, at: '2026-03-02T08:02:00.000Z', actor: { id: olga.publicId, name: 'Olga Organiser' }, action: 'update', entity: 'room', entityId: room.id,
        before: { id: room.id, position: 1, name: { fr: 'Salle 2', en: 'Room 2' }, interpretation: null, version: 1 },
        after: { id: room.id, position: 1, name: { fr: 'Salle B', en: 'Room B' }, interpretation: null, version: 2 },
      },
      {
        id: 1, at: '2026-03-02T08:01:00.000Z', actor: { id: olga.publicId, name: 'Olga Organiser' }, action: 'create', entity: 'room', entityId: room.id,
        before: null, after: { id: room.id, position: 1, name: { fr: 'Salle 2', en: 'Room 2' }, interpretation: null, version: 1 },
      },
    ];
    sessionEntry = {
      id: 3, at: '2026-03-02T08:03:00.000Z', actor: { id: oscar.publicId, name: 'Oscar Organiser' }, action: 'update', entity: 'session', entityId: opening.id,
      before: { ...opening }, after: { ...openingFields, title: { fr: 'Ouverture' }, version: opening.version + 1 },
    };
  });
  afterAll(async () => { await t.close(); });

  test('lists every write newest first, with the actor\'s id and name, the action, the entity and its state before and after', async () => {
    expect(await audit()).toEqual({ entries: [roomEntries[0], sessionEntry, roomEntries[1], roomEntries[2]], next: null });
  });

  test('filters by entity, by entity id and by user', async () => {
    expect(await audit('?entity=room')).toEqual({ entries: roomEntries, next: null });
    expect(await audit(`?entityId=${room.id}`)).toEqual({ entries: roomEntries, next: null });
    expect(await audit(`?entity=session&entityId=${session.id}`)).toEqual({ entries: [sessionEntry], next: null });
    expect(await audit(`?entity=room&entityId=${session.id}`)).toEqual({ entries: [], next: null });
    expect(await audit(`?user=${oscar.publicId}`)).toEqual({ entries: [sessionEntry], next: null });
  });

  test('pages with limit, and before= the id that next gives', async () => {
    const first = await audit('?limit=3');
    expect(first).toEqual({ entries: [roomEntries[0], sessionEntry, roomEntries[1]], next: 2 });
    expect(await audit(`?limit=3&before=${first.next}`)).toEqual({ entries: [roomEntries[2]], next: null });
    expect(await audit('?entity=room&limit=1&before=4')).toEqual({ entries: [roomEntries[1]], next: 2 });
  });

  test('refused writes leave no entry: stale version (409), impossible values (422), no If-Match (428), in use (409)', async () => {
    const before = await audit();
    const opening = await sessionTitled(api, FORUM_2019, 'Ouverture');
    const url = `${eventPath(FORUM_2019)}/sessions/${opening.id}`;
    expect((await api.patch(url, { title: { fr: 'Trop tard' } }, opening.version - 1)).statusCode).toBe(409);
    expect((await api.patch(url, { start: '2019-11-12T10:00', end: '2019-11-12T09:00' }, opening.version)).statusCode).toBe(422);
    expect((await api.patch(url, { title: { en: 'Opening' } }, opening.version)).statusCode).toBe(422);
    expect((await api.patch(url, { title: { fr: 'Sans version' } }, null)).statusCode).toBe(428);
    expect((await api.post(`${eventPath(FORUM_2019)}/slots`, { start: '2019-11-12T10:00', end: '2019-11-12T09:00' })).statusCode).toBe(422);
    expect((await api.post(ROOMS, { name: { fr: 'Salle 3' }, colour: 'red' })).statusCode).toBe(422);
    const plenary = ok<{ items: { id: string; version: number }[] }>(await api.get(ROOMS)).items[0]!;
    expect((await api.delete(`${ROOMS}/${plenary.id}`, plenary.version)).statusCode).toBe(409);
    expect(await audit()).toEqual(before);
  });

  /** id, action and entity of each entry: enough to see one appear. */
  const lines = async () => (await audit()).entries.map((e) => `${e.id} ${e.action} ${e.entity}`);

  test('a PATCH of a room that changes nothing leaves no entry', async () => {
    const before = await lines();
    const plenary = ok<{ items: { id: string; version: number; name: unknown }[] }>(await api.get(ROOMS)).items[0]!;
    ok(await api.patch(`${ROOMS}/${plenary.id}`, { name: plenary.name }, plenary.version));
    expect(await lines()).toEqual(before);
  });

  test('a PATCH of the event that changes nothing leaves no entry', async () => {
    const before = await lines();
    const event = ok<{ version: number; city: string }>(await api.get(eventPath(FORUM_2019)));
    ok(await api.patch(eventPath(FORUM_2019), { city: event.city }, event.version));
    expect(await lines()).toEqual(before);
  });

  test('only the event\'s organisers may read it: 401 anonymous, 403 rapporteur or another event\'s organiser', async () => {
    expectProblem(await apiAs(t.app).get(AUDIT), t.config.publicUrl, 401, 'unauthorized', {
      detail: 'Sign in, or send an API token as "Authorization: Bearer …"',
    });
    const rapporteur = await addUser(t.app, 'rapporteur');
    const seminarOrganiser = await addUser(t.app, 'organiser', SEMINAR_2015);
    for (const user of [rapporteur, seminarOrganiser]) {
      expectProblem(await apiAs(t.app, user.bearer).get(AUDIT), t.config.publicUrl, 403, 'forbidden', {
        detail: 'Only the organisers of this event may do this',
      });
    }
    // The seminar's own log holds none of the forum's writes.
    expect(ok<AuditPage>(await apiAs(t.app, seminarOrganiser.bearer).get(`${eventPath(SEMINAR_2015)}/audit`))).toEqual({ entries: [], next: null });
  });
});
