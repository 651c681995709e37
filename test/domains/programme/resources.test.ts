// The resource descriptors are the one place that says what an item is: these tests hold them
// against the database itself, so that a column added to a programme table without its field in
// the descriptor (and so in the API, the forms, the imports and exports) fails here, and so does
// a calendar trigger that watches other columns than those the session's descriptor says
// calendars show.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type Database from 'better-sqlite3';
import { openDatabase, type Db } from '../../../server/db/client.ts';
import { applyMigrations } from '../../../server/db/migrate.ts';
import { isSessionReleased } from '../../../server/domains/programme/items.ts';
import { RESOURCES } from '../../../server/domains/programme/resources/index.ts';
import { SESSION_CONTENT, SESSION_FIELDS, SESSION_VISIBLE } from '../../../server/domains/programme/resources/session.ts';
import type { FieldSpec } from '../../../server/domains/programme/resources/fields.ts';
import { parseSnapshot, serializeSnapshot, SNAPSHOT_FORMAT } from '../../../server/domains/releases/snapshot.ts';
import { buildTestApp, FORUM_2019, makeTempDir, type TestApp } from '../../helpers/app.ts';
import { release } from '../../helpers/releases.ts';

const TABLES = { part: 'parts', room: 'rooms', slot: 'time_slots', session: 'sessions', organisation: 'organisations', person: 'people', output: 'expected_outputs' } as const;

/** Columns that are no field of an item: its identity, its event, and what the triggers keep. */
const BOOKKEEPING = ['id', 'public_id', 'event_id', 'version', 'revision', 'updated_at'];

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The column a descriptor's field is stored in; custom fields are held in tables of their own. */
function columnOf(name: string, spec: FieldSpec): string | null {
  if (spec.type === 'custom') return name === 'links' ? 'links' : null;
  if (spec.type === 'time' || spec.type === 'reference') return snake(spec.column);
  return snake(name);
}

describe('the resource descriptors against the database', () => {
  let db: Db;
  let sqlite: Database.Database;
  beforeAll(() => {
    db = openDatabase(`${makeTempDir()}/forum.db`);
    applyMigrations(db);
    sqlite = db.$client;
  });
  afterAll(() => sqlite.close());
  const columns = (table: string) => (sqlite.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

  test('every column of every item table is a field of its descriptor, or bookkeeping', () => {
    const uncovered: Record<string, string[]> = {};
    for (const [kind, table] of Object.entries(TABLES)) {
      const fields = Object.entries(RESOURCES[kind as keyof typeof TABLES].fields).map(([name, spec]) => columnOf(name, spec)).filter(Boolean);
      uncovered[kind] = columns(table).filter((c) => !BOOKKEEPING.includes(c) && !fields.includes(c));
    }
    expect(uncovered).toEqual({ part: [], room: [], slot: [], session: [], organisation: [], person: [], output: [] });
  });

  test('a session\'s content columns are exactly its descriptor\'s content fields, and every one is a field of its API', () => {
    const placement = ['part_id', 'slot_id', 'room_id'];
    expect(columns('sessions').filter((c) => !BOOKKEEPING.includes(c) && !placement.includes(c)).sort())
      .toEqual(SESSION_CONTENT.map(snake).sort());
    for (const field of SESSION_CONTENT) expect(Object.keys(SESSION_FIELDS)).toContain(field);
  });

  test('the calendar trigger watches exactly the session columns the descriptor says calendars show, with the time and the room', () => {
    const trigger = (sqlite.prepare("select sql from sqlite_master where type = 'trigger' and name = 'sessions_calendar_fields'").get() as { sql: string }).sql;
    const watched = /AFTER UPDATE OF ([^\n]+?) ON sessions/.exec(trigger)![1]!.split(',').map((c) => c.trim()).sort();
    // Contributors and outputs are rows of their own tables, whose insert and delete triggers raise the session's revision.
    const shown = Object.entries(SESSION_VISIBLE).filter(([, where]) => where === 'calendar').map(([field]) => field)
      .filter((field) => field !== 'contributors' && field !== 'outputs')
      .map((field) => columnOf(field, SESSION_FIELDS[field as keyof typeof SESSION_FIELDS]));
    expect(watched).toEqual([...shown, 'slot_id', 'room_id'].sort());
    for (const table of ['session_contributors', 'session_outputs']) {
      for (const when of ['insert', 'delete']) {
        const found = sqlite.prepare("select sql from sqlite_master where type = 'trigger' and name = ?").get(`${table}_${when}`) as { sql: string } | undefined;
        expect(found?.sql, `${table}_${when}`).toMatch(/UPDATE sessions SET revision = revision \+ 1/);
      }
    }
  });
});

describe('release snapshots', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  test('are stored with their format, and a snapshot of format 1 is read with the session fields it lacked', () => {
    const { snapshot } = t.app.db.$client.prepare('select snapshot from releases order by id desc limit 1').get() as { snapshot: string };
    const stored = JSON.parse(snapshot) as { format: number; sessions: Record<string, unknown>[] };
    expect(stored.format).toBe(SNAPSHOT_FORMAT);
    const { format: _format, ...rows } = stored;
    for (const session of rows.sessions) for (const field of ['subtitle', 'abstract', 'language', 'links']) delete session[field];
    const upgraded = parseSnapshot(JSON.stringify(rows));
    expect(upgraded.sessions.map((s) => [s.subtitle, s.abstract, s.language, s.links])).toEqual(rows.sessions.map(() => [null, null, null, null]));
    // What a newer server stored is never read as if it were known.
    expect(() => parseSnapshot(JSON.stringify({ ...stored, format: SNAPSHOT_FORMAT + 1 }))).toThrow(/format 4, newer than this server's \(3\)/);
    expect(JSON.parse(serializeSnapshot(upgraded)).format).toBe(SNAPSHOT_FORMAT);
  });

  test('a snapshot of format 2 is read with no interpretation, in its rooms and its sessions', () => {
    const { snapshot } = t.app.db.$client.prepare('select snapshot from releases order by id desc limit 1').get() as { snapshot: string };
    const stored = JSON.parse(snapshot) as { format: number; rooms: Record<string, unknown>[]; sessions: Record<string, unknown>[] };
    for (const row of [...stored.rooms, ...stored.sessions]) delete row.interpretation;
    const upgraded = parseSnapshot(JSON.stringify({ ...stored, format: 2 }));
    expect(upgraded.rooms.map((r) => r.interpretation)).toEqual(stored.rooms.map(() => null));
    expect(upgraded.sessions.map((s) => s.interpretation)).toEqual(stored.sessions.map(() => null));
  });

  test('name the released sessions where the programme domain looks for them: a new one is not released until a release', () => {
    const event = t.app.db.$client.prepare('select id from events where slug = ?').get(FORUM_2019) as { id: number };
    const released = t.app.db.$client.prepare('select id from sessions where event_id = ? order by id limit 1').get(event.id) as { id: number };
    expect(isSessionReleased(t.app.db, event.id, released.id)).toBe(true);
    const fresh = t.app.db.$client.prepare(
      "insert into sessions (public_id, event_id, kind, status, title, updated_at) values ('00000000-0000-4000-8000-00000000abcd', ?, 'session', 'confirmed', '{\"fr\":\"Nouvelle\"}', 0) returning id",
    ).get(event.id) as { id: number };
    expect(isSessionReleased(t.app.db, event.id, fresh.id)).toBe(false);
    release(t.app, FORUM_2019);
    expect(isSessionReleased(t.app.db, event.id, fresh.id)).toBe(true);
  });
});
