// Versions and revisions are kept by SQLite triggers (migrations 0002, 0004, 0007), so that no
// write path can forget them. This test reads the triggers of a freshly migrated database and
// fails when a content column has none: the columns come from PRAGMA table_info, so a column
// added later without its trigger fails here. Then it changes each content column for real and
// counts exactly what rose.
//
// - Every content column of a table with a `version` is listed in an AFTER UPDATE OF trigger on
//   that table that raises the row's version, and whose WHEN compares the column's old and new
//   values (rewriting a row with what it holds must raise nothing).
// - Every content column of a programme table (one with an event_id) is likewise in a trigger
//   that raises the event's revision: directly, or by raising a row's revision that another
//   trigger carries to the event (sessions_revision_event).
// - Inserting and deleting a programme row, a session's contributor or a served output raises
//   the event's revision.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../server/db/client.ts';
import { applyMigrations } from '../../server/db/migrate.ts';
import { makeTempDir } from '../helpers/app.ts';

// ---------------------------------------------------------------------------------------------
// The checker: pure functions of the tables' columns and the triggers' SQL.

interface Schema {
  /** Columns of each table, in table order. */
  tables: Record<string, string[]>;
  triggers: { name: string; table: string; sql: string }[];
}

/**
 * Columns that are not content, in every table:
 * - id: the row's identity; no writer updates it.
 * - public_id: the identity shown outside (URLs, API, UIDs); set once at insert.
 * - version, revision: what the triggers raise; a writer may set version itself (the triggers
 *   leave it alone then), and sessions.revision is carried to the event on purpose.
 * - created_at, updated_at: bookkeeping set by writers and by the revision triggers themselves
 *   (updated_at becomes LAST-MODIFIED); raising a version for them would loop or mean nothing.
 */
const BOOKKEEPING = ['id', 'public_id', 'version', 'revision', 'created_at', 'updated_at'];
/**
 * In a programme table, event_id is the owner: a row never moves to another event, and the
 * triggers raise that very event's revision. In users it is content (the one event an organiser
 * organises) and users_version covers it, so it is not excluded there. Nor is
 * users.password_hash: users_version lists it, so a password change raises the account's
 * version like any other change of it (an edit of the account begun before it gets a conflict).
 */
const OWNER = 'event_id';
/** Tables with an event_id and a version that are not the programme. */
const NOT_PROGRAMME = ['users'];
/**
 * Tables of an event that are not its programme either, but that belong to it for good: their
 * event_id is their owner as in the programme's tables, and their changes raise their own
 * version only (the outbox, the webhook endpoints, the follow-up of recommendations, participants'
 * feedback).
 */
const BESIDE_PROGRAMME = ['follow_up_items', 'messages', 'session_feedback', 'webhook_endpoints'];
/** A session's contributors and served outputs: part of the programme, without an event_id of their own. */
const SESSION_LINKS = ['session_contributors', 'session_outputs'];

interface Trigger {
  name: string;
  table: string;
  timing: string;
  action: 'INSERT' | 'DELETE' | 'UPDATE';
  /** The columns of AFTER UPDATE OF …, or null for a trigger on any update. */
  columns: string[] | null;
  when: string;
  /** Each `col = col + n` of the body's UPDATE statements, as table.col. */
  raises: string[];
}

const unquote = (name: string) => name.trim().replace(/^[`"[]|[`"\]]$/g, '');

/** Splits at the commas outside parentheses. */
function topLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of list) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  return [...parts, current];
}

function parseTrigger(name: string, table: string, sql: string): Trigger {
  const header = /^CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+(BEFORE|AFTER|INSTEAD\s+OF)?\s*(INSERT|DELETE|UPDATE)(?:\s+OF\s+(.+?))?\s+ON\s+\S+(?:\s+FOR\s+EACH\s+ROW)?(?:\s+WHEN\s+(.+?))?\s+BEGIN\s+(.*)\s+END;?\s*$/is
    .exec(sql.trim());
  if (!header) throw new Error(`trigger ${name}: cannot read ${sql}`);
  const [, timing = 'BEFORE', action, columns, when = '', body = ''] = header;
  const raises: string[] = [];
  for (const statement of body.split(';')) {
    const update = /^\s*UPDATE\s+(\S+)\s+SET\s+(.+?)\s+WHERE\s/is.exec(statement);
    if (!update) continue;
    for (const assignment of topLevel(update[2]!)) {
      const increment = /^\s*([`"]?\w+[`"]?)\s*=\s*([`"]?\w+[`"]?)\s*\+\s*\d+\s*$/.exec(assignment);
      if (increment && unquote(increment[1]!) === unquote(increment[2]!)) raises.push(`${unquote(update[1]!)}.${unquote(increment[1]!)}`);
    }
  }
  return {
    name, table, timing: timing.toUpperCase().replace(/\s+/g, ' '), action: action!.toUpperCase() as Trigger['action'],
    columns: columns ? topLevel(columns).map(unquote) : null, when, raises,
  };
}

/** Whether the WHEN clause lets the trigger run only when this column really changed. */
function comparesColumn(trigger: Trigger, column: string): boolean {
  const c = `[\`"]?${column}[\`"]?`;
  return new RegExp(`\\b(OLD\\.${c}\\s+IS\\s+NOT\\s+NEW\\.${c}|NEW\\.${c}\\s+IS\\s+NOT\\s+OLD\\.${c})`, 'i').test(trigger.when);
}

/** Whether a trigger raises events.revision: directly, or through an update another trigger carries on. */
function raisesEventRevision(trigger: Trigger, all: readonly Trigger[], seen = new Set<string>()): boolean {
  if (seen.has(trigger.name)) return false;
  seen.add(trigger.name);
  return trigger.raises.some((target) => {
    if (target === 'events.revision') return true;
    const [table, column] = target.split('.') as [string, string];
    return all.some((next) => next.timing === 'AFTER' && next.action === 'UPDATE' && next.table === table
      && (next.columns === null || next.columns.includes(column)) && raisesEventRevision(next, all, seen));
  });
}

interface Coverage {
  versioned: string[];
  programme: string[];
  problems: string[];
}

function contentColumns(schema: Schema, table: string): string[] {
  const excluded = new Set([...BOOKKEEPING, ...(NOT_PROGRAMME.includes(table) ? [] : [OWNER])]);
  return schema.tables[table]!.filter((c) => !excluded.has(c));
}

/** What the triggers miss, one sentence each, with the tables checked. */
function checkTriggers(schema: Schema): Coverage {
  const triggers = schema.triggers.map((t) => parseTrigger(t.name, t.table, t.sql));
  const tables = Object.keys(schema.tables).sort();
  const versioned = tables.filter((t) => schema.tables[t]!.includes('version'));
  const programme = versioned.filter((t) => schema.tables[t]!.includes(OWNER) && !NOT_PROGRAMME.includes(t) && !BESIDE_PROGRAMME.includes(t));
  const problems: string[] = [];

  /** Checks that some AFTER UPDATE OF trigger on `table` lists `column`, compares it, and does `what`. */
  const covered = (table: string, column: string, label: string, does: (t: Trigger) => boolean) => {
    const listing = triggers.filter((t) => t.timing === 'AFTER' && t.action === 'UPDATE' && t.table === table
      && t.columns?.includes(column) && does(t));
    if (listing.length === 0) problems.push(`${table}.${column}: no AFTER UPDATE OF trigger raises ${label}`);
    else if (!listing.some((t) => comparesColumn(t, column))) {
      problems.push(`${table}.${column}: ${listing.map((t) => t.name).join(', ')} raises ${label} even when the value is unchanged (its WHEN lacks OLD.${column} IS NOT NEW.${column})`);
    }
  };
  for (const table of versioned) {
    for (const column of contentColumns(schema, table)) covered(table, column, `${table}.version`, (t) => t.raises.includes(`${table}.version`));
  }
  for (const table of programme) {
    for (const column of contentColumns(schema, table)) covered(table, column, "the event's revision", (t) => raisesEventRevision(t, triggers));
  }
  for (const table of [...programme, ...SESSION_LINKS]) {
    for (const action of ['INSERT', 'DELETE'] as const) {
      if (!triggers.some((t) => t.timing === 'AFTER' && t.action === action && t.table === table && raisesEventRevision(t, triggers))) {
        problems.push(`${table}: no AFTER ${action} trigger raises the event's revision`);
      }
    }
  }
  return { versioned, programme, problems };
}

function readSchema(sqlite: Database.Database): Schema {
  const names = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name")
    .pluck().all() as string[];
  const tables = Object.fromEntries(names.map((name) =>
    [name, (sqlite.prepare(`pragma table_info("${name}")`).all() as { name: string }[]).map((c) => c.name)]));
  const triggers = sqlite.prepare("select name, tbl_name as \"table\", sql from sqlite_master where type = 'trigger' order by name")
    .all() as Schema['triggers'];
  return { tables, triggers };
}

// ---------------------------------------------------------------------------------------------

const VERSIONED = ['events', 'expected_outputs', 'follow_up_items', 'messages', 'organisations', 'parts', 'people', 'rooms', 'session_feedback', 'sessions', 'time_slots', 'users', 'webhook_endpoints'];
const PROGRAMME = ['expected_outputs', 'organisations', 'parts', 'people', 'rooms', 'sessions', 'time_slots'];

let dir: string;
let db: Db;
let sqlite: Database.Database;
beforeAll(() => {
  dir = makeTempDir();
  db = openDatabase(path.join(dir, 'forum.db'));
  applyMigrations(db);
  sqlite = db.$client;
});
afterAll(() => {
  sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('every content column has its triggers', () => {
  test('in the migrated database, no content column, insert or delete lacks its trigger', () => {
    expect(checkTriggers(readSchema(sqlite))).toEqual({ versioned: VERSIONED, programme: PROGRAMME, problems: [] });
  });

  /** The problems found on a copy of the migrated database after `change`. */
  let copies = 0;
  function problemsAfter(change: string): string[] {
    copies += 1;
    const file = path.join(dir, `scratch-${copies}.db`);
    sqlite.prepare('vacuum into ?').run(file);
    const scratch = new Database(file);
    try {
      scratch.exec(change);
      return checkTriggers(readSchema(scratch)).problems;
    } finally {
      scratch.close();
    }
  }

  test('a column added without triggers is reported, for the version and for the revision', () => {
    expect(problemsAfter('ALTER TABLE sessions ADD capacity integer')).toEqual([
      'sessions.capacity: no AFTER UPDATE OF trigger raises sessions.version',
      "sessions.capacity: no AFTER UPDATE OF trigger raises the event's revision",
    ]);
  });

  test('a dropped delete trigger is reported', () => {
    expect(problemsAfter('DROP TRIGGER rooms_delete_event')).toEqual([
      "rooms: no AFTER DELETE trigger raises the event's revision",
    ]);
  });

  test("without the trigger that carries a session's revision to the event, all that went through it is reported", () => {
    expect(problemsAfter('DROP TRIGGER sessions_revision_event')).toEqual([
      ...['part_id', 'slot_id', 'room_id', 'kind', 'status', 'title', 'description', 'abstract', 'links', 'interpretation']
        .map((c) => `sessions.${c}: no AFTER UPDATE OF trigger raises the event's revision`),
      "session_contributors: no AFTER INSERT trigger raises the event's revision",
      "session_contributors: no AFTER DELETE trigger raises the event's revision",
      "session_outputs: no AFTER INSERT trigger raises the event's revision",
      "session_outputs: no AFTER DELETE trigger raises the event's revision",
    ]);
  });

  test('a trigger that raises the version without comparing old and new values is reported', () => {
    expect(problemsAfter(`DROP TRIGGER rooms_version;
      CREATE TRIGGER rooms_version AFTER UPDATE OF position, name ON rooms
      BEGIN UPDATE rooms SET version = version + 1 WHERE id = NEW.id; END;`)).toEqual([
      'rooms.position: rooms_version raises rooms.version even when the value is unchanged (its WHEN lacks OLD.position IS NOT NEW.position)',
      'rooms.name: rooms_version raises rooms.version even when the value is unchanged (its WHEN lacks OLD.name IS NOT NEW.name)',
      'rooms.interpretation: no AFTER UPDATE OF trigger raises rooms.version',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Behaviour: each change, tried alone (inside a savepoint rolled back after it), raises exactly
// this much. The programme is tiny so that the numbers are exact: one event ("forum") with one
// session held in its part, slot and room, with one person of one organisation as speaker and
// one expected output served; spare parts, rooms, slots, organisation and output to move it to;
// and another event, with a session of its own, which nothing here may touch.

const T0 = Date.UTC(2026, 10, 2, 8);
const HOUR = 3600_000;

interface Ids {
  forum: number; other: number;
  part1: number; part2: number; room1: number; room2: number; slot1: number; slot2: number;
  org1: number; org2: number; output1: number; output2: number; person: number;
  session: number; otherSession: number; contributor: number; user: number; release: number; message: number; endpoint: number;
  conclusion: number; otherConclusion: number; followUp: number; feedback: number;
}

function seed(s: Database.Database): Ids {
  const insert = (table: string, row: Record<string, unknown>) =>
    Number(s.prepare(`insert into ${table} (${Object.keys(row).join(', ')}) values (${Object.keys(row).map(() => '?').join(', ')})`)
      .run(...Object.values(row)).lastInsertRowid);
  const event = (slug: string) => insert('events', {
    public_id: slug, slug, timezone: 'Africa/Johannesburg', default_language: 'fr', languages: '["fr","en"]',
    title: '{"fr":"Forum"}', start_date: '2026-11-02', end_date: '2026-11-04', updated_at: 0,
  });
  const forum = event('forum');
  const other = event('other');
  const part = (n: number) => insert('parts', { public_id: `part${n}`, event_id: forum, position: n, label: `P${n}`, title: `{"fr":"Partie ${n}"}` });
  const room = (n: number) => insert('rooms', { public_id: `room${n}`, event_id: forum, position: n, name: `{"fr":"Salle ${n}"}` });
  const slot = (n: number) => insert('time_slots', { public_id: `slot${n}`, event_id: forum, starts_at: T0 + (n - 1) * 2 * HOUR, ends_at: T0 + (n - 1) * 2 * HOUR + HOUR });
  const org = (n: number) => insert('organisations', { public_id: `org${n}`, event_id: forum, name: `{"fr":"Organisation ${n}"}` });
  const output = (n: number) => insert('expected_outputs', { public_id: `output${n}`, event_id: forum, position: n, statement: `{"fr":"Résultat ${n}"}` });
  const [part1, part2, room1, room2, slot1, slot2, org1, org2, output1, output2] =
    [part(1), part(2), room(1), room(2), slot(1), slot(2), org(1), org(2), output(1), output(2)] as const;
  const person = insert('people', { public_id: 'person', event_id: forum, name: 'Ada', organisation_id: org1 });
  const session = (eventId: number, publicId: string, where: Record<string, unknown>) => insert('sessions', {
    public_id: publicId, event_id: eventId, kind: 'session', status: 'confirmed', title: '{"fr":"Ouverture"}', updated_at: 0, ...where,
  });
  const held = session(forum, 'session', { part_id: part1, slot_id: slot1, room_id: room1 });
  const otherSession = session(other, 'other-session', {});
  const contributor = insert('session_contributors', { session_id: held, role: 'speaker', person_id: person, position: 1 });
  insert('session_outputs', { session_id: held, output_id: output1 });
  const user = insert('users', {
    public_id: 'user', email: 'olga@example.org', name: 'Olga', password_hash: 'scrypt$1', role: 'organiser', event_id: forum, created_at: 0, updated_at: 0,
  });
  const release = insert('releases', {
    public_id: 'release', event_id: forum, sequence: 1, name: '1', released_at: 0, actor: 'Olga', snapshot: '{}', changes: '[]',
  });
  const message = insert('messages', {
    public_id: 'message', event_id: forum, kind: 'release', state: 'draft', person_id: person, to_name: 'Ada', to_address: 'ada@example.org',
    language: 'fr', subject: 'Vos sessions', body: 'Bonjour', attachments: '[]', stop_token: 'stop', created_at: 0, updated_at: 0,
  });
  const endpoint = insert('webhook_endpoints', {
    public_id: 'endpoint', event_id: forum, url: 'https://example.org/hook', secret: 'whsec_a', kinds: '["release.published"]', created_at: 0, updated_at: 0,
  });
  const conclusion = (eventId: number, sessionId: number, publicId: string) => insert('conclusions', {
    public_id: publicId, event_id: eventId, session_id: sessionId, state: 'published', revision: 1, published_revision: 1, updated_at: 0,
  });
  const [heldConclusion, otherConclusion] = [conclusion(forum, held, 'conclusion'), conclusion(other, otherSession, 'other-conclusion')];
  const followUp = insert('follow_up_items', {
    event_id: forum, conclusion_id: heldConclusion, kind: 'recommendation', position: 0, text: 'Former les élus', updated_at: 0,
  });
  const feedback = insert('session_feedback', {
    event_id: forum, session_id: held, browser_hash: 'hash-1', rating: 4, comment: 'Très utile', comment_state: 'pending', created_at: 0, updated_at: 0,
  });
  return {
    conclusion: heldConclusion, otherConclusion, followUp, feedback,
    forum, other, part1, part2, room1, room2, slot1, slot2, org1, org2, output1, output2, person, session: held, otherSession, contributor, user, release, message, endpoint,
  };
}

let seeded: Ids | undefined;
/** The one seed of this file's database, shared by the blocks below (each rolls its changes back). */
const seedOnce = (s: Database.Database) => (seeded ??= seed(s));

/** What a change may raise: the changed row's version, the two events' revisions, the two sessions' revisions. */
interface Counters { version: number; forum: number; other: number; session: number; otherSession: number }

interface Change {
  value: (ids: Ids) => unknown;
  /** How much the forum's revision rises. */
  event: number;
  /** Whether the session's revision (its calendar SEQUENCE) rises, by one. */
  calendar: boolean;
}
const change = (value: unknown, event: number, calendar = false): Change => ({ value: () => value, event, calendar });
const moveTo = (id: keyof Ids, event: number, calendar = false): Change => ({ value: (ids) => ids[id], event, calendar });

// A calendar field of a session's part, room, slot, speaker… raises the forum twice: once
// directly, once through the session's revision (sessions_revision_event).
const CHANGES: Record<string, { row: (ids: Ids) => number; columns: Record<string, Change> }> = {
  events: {
    row: (ids) => ids.forum,
    columns: {
      slug: change('forum-2026', 2, true), timezone: change('Europe/Paris', 2, true), default_language: change('en', 2, true),
      languages: change('["fr"]', 1), title: change('{"fr":"Forum 2026"}', 1), subtitle: change('{"fr":"Apprendre"}', 1),
      description: change('{"fr":"Trois jours"}', 1), venue: change('ICC', 2, true), city: change('Durban', 2, true),
      country: change('ZA', 2, true), start_date: change('2026-11-01', 1), end_date: change('2026-11-05', 1),
    },
  },
  parts: {
    row: (ids) => ids.part1,
    columns: {
      position: change(3, 1), label: change('P9', 2, true), title: change('{"fr":"Partie une"}', 2, true),
      starts_at: change(T0, 1), ends_at: change(T0 + HOUR, 1),
    },
  },
  rooms: {
    row: (ids) => ids.room1,
    columns: {
      position: change(3, 1), name: change('{"fr":"Salle Luthuli"}', 2, true),
      // The session names no interpretation of its own: it inherits the room's, on its calendar entry.
      interpretation: change('[{"language":"es","channel":"2"}]', 2, true),
    },
  },
  time_slots: { row: (ids) => ids.slot1, columns: { starts_at: change(T0 - HOUR, 2, true), ends_at: change(T0 + 90 * 60_000, 2, true) } },
  sessions: {
    row: (ids) => ids.session,
    columns: {
      part_id: moveTo('part2', 1, true), slot_id: moveTo('slot2', 1, true), room_id: moveTo('room2', 1, true),
      kind: change('plenary', 1, true), status: change('cancelled', 1, true), title: change('{"fr":"Ouverture officielle"}', 1, true),
      description: change('{"fr":"Mots de bienvenue"}', 1, true),
      // On calendars since migration 0009, in the DESCRIPTION: the SEQUENCE rises.
      abstract: change('{"fr":"Résumé"}', 1, true), links: change('[{"url":"https://example.org"}]', 1, true),
      // Not on calendars (migration 0007): the SEQUENCE stays.
      subtitle: change('{"fr":"Bienvenue"}', 1), language: change('fr', 1),
      // In the DESCRIPTION since migration 0011.
      interpretation: change('[{"language":"en","channel":null}]', 1, true),
    },
  },
  organisations: {
    row: (ids) => ids.org1,
    columns: { name: change('{"fr":"Organisation une"}', 2, true), full_name: change('{"fr":"Organisation numéro un"}', 1), description: change('{"fr":"Réseau"}', 1) },
  },
  people: {
    row: (ids) => ids.person,
    columns: { name: change('Ada L.', 2, true), organisation_id: moveTo('org2', 2, true), bio: change('{"fr":"Urbaniste"}', 1) },
  },
  // As the triggers are: feeds number the outputs served by position + 1 in a VEVENT's
  // DESCRIPTION, yet expected_outputs_calendar_fields lists only statement, so a renumbering
  // leaves the SEQUENCE as it was. Should that trigger list position, this becomes (3, 2, true).
  expected_outputs: { row: (ids) => ids.output1, columns: { position: change(3, 1), statement: change('{"fr":"Une déclaration"}', 2, true) } },
  // Accounts are not the programme: no revision moves.
  users: {
    row: (ids) => ids.user,
    columns: {
      email: change('olga@example.net', 0), name: change('Olga O.', 0), password_hash: change('scrypt$2', 0),
      role: change('rapporteur', 0), event_id: moveTo('other', 0), language: change('en', 0),
    },
  },
  // The outbox and the webhooks are not the programme either: each change raises their version only.
  messages: {
    row: (ids) => ids.message,
    columns: {
      kind: change('assigned', 0), state: change('queued', 0), release_id: moveTo('release', 0), person_id: change(null, 0), user_id: moveTo('user', 0),
      to_name: change('Ada L.', 0), to_address: change('ada@example.net', 0), language: change('en', 0), subject: change('Your sessions', 0),
      body: change('Dear Ada', 0), attachments: change('[{"filename":"a.ics","contentType":"text/calendar","content":"x"}]', 0),
      stop_token: change('stop-2', 0), attempts: change(1, 0), next_attempt_at: change(T0, 0), lease_until: change(T0, 0),
      log: change('[{"at":"2026-11-02T08:00:00Z","ok":false,"detail":"451"}]', 0), done_at: change(T0, 0),
    },
  },
  webhook_endpoints: {
    row: (ids) => ids.endpoint,
    columns: {
      url: change('https://example.org/other', 0), secret: change('whsec_b', 0), kinds: change('["session.cancelled"]', 0),
      disabled_at: change(T0, 0), failures: change(1, 0),
    },
  },
  // What comes after the forum is not the programme: its changes raise its own version only.
  follow_up_items: {
    row: (ids) => ids.followUp,
    columns: {
      conclusion_id: moveTo('otherConclusion', 0), kind: change('action', 0), position: change(1, 0), text: change('Former les élues et élus', 0),
      status: change('adopted', 0), owner_person_id: moveTo('person', 0), owner_organisation_id: moveTo('org1', 0),
      due: change('2020-06-30', 0), status_changed_at: change(T0, 0),
    },
  },
  session_feedback: {
    row: (ids) => ids.feedback,
    columns: {
      session_id: moveTo('otherSession', 0), browser_hash: change('hash-2', 0), rating: change(5, 0), useful: change(1, 0),
      // Still pending after the change: the trigger that puts a changed comment back to pending has nothing to do.
      comment: change('Utile', 0), comment_state: change('approved', 0),
    },
  },
};

describe('triggers, changed for real', () => {
  let ids: Ids;
  beforeAll(() => { ids = seedOnce(sqlite); });
  beforeEach(() => { sqlite.exec('savepoint try'); });
  afterEach(() => { sqlite.exec('rollback to try; release try'); });

  const one = (sql: string, ...params: unknown[]) => sqlite.prepare(sql).pluck().get(...params) as number;
  function counters(table: string, row: number): Counters {
    return {
      version: one(`select version from ${table} where id = ?`, row),
      forum: one('select revision from events where id = ?', ids.forum),
      other: one('select revision from events where id = ?', ids.other),
      session: one('select revision from sessions where id = ?', ids.session),
      otherSession: one('select revision from sessions where id = ?', ids.otherSession),
    };
  }
  /** How much each counter rose while `run` ran. */
  function rise(table: string, row: number, run: () => void): Counters {
    const before = counters(table, row);
    run();
    const after = counters(table, row);
    return {
      version: after.version - before.version, forum: after.forum - before.forum, other: after.other - before.other,
      session: after.session - before.session, otherSession: after.otherSession - before.otherSession,
    };
  }
  const nothing: Counters = { version: 0, forum: 0, other: 0, session: 0, otherSession: 0 };

  test('every content column of every versioned table has a change tried below', () => {
    const schema = readSchema(sqlite);
    expect(Object.fromEntries(Object.entries(CHANGES).map(([table, { columns }]) => [table, Object.keys(columns).sort()])))
      .toEqual(Object.fromEntries(VERSIONED.map((table) => [table, contentColumns(schema, table).sort()])));
  });

  for (const [table, { row, columns }] of Object.entries(CHANGES)) {
    describe(table, () => {
      for (const [column, { value, event, calendar }] of Object.entries(columns)) {
        test(`changing ${column} raises the version by 1, the forum's revision by ${event}${calendar ? ", the session's SEQUENCE by 1" : ''}; rewriting it raises nothing`, () => {
          const id = row(ids);
          const set = () => sqlite.prepare(`update ${table} set ${column} = ? where id = ?`).run(value(ids), id);
          expect(rise(table, id, set)).toEqual({ ...nothing, version: 1, forum: event, session: calendar ? 1 : 0 });
          expect(rise(table, id, set)).toEqual(nothing);
          expect(rise(table, id, () => sqlite.prepare(`update ${table} set ${column} = ${column} where id = ?`).run(id))).toEqual(nothing);
        });
      }
    });
  }

  test('a writer that sets the version itself is left alone: the version is the one it wrote', () => {
    expect(rise('rooms', ids.room1, () => sqlite.prepare('update rooms set name = ?, version = version + 5 where id = ?').run('{"fr":"Salle A"}', ids.room1)))
      .toEqual({ ...nothing, version: 5, forum: 2, session: 1 });
  });

  test('inserting or deleting a programme row raises the forum once, and nothing else', () => {
    const schema = readSchema(sqlite);
    for (const table of PROGRAMME) {
      // A copy of the row the changes above use, under a new public id, with fresh counters.
      const columns = schema.tables[table]!.filter((c) => !['id', 'public_id', 'version', 'revision'].includes(c)).join(', ');
      const copy = () => Number(sqlite.prepare(`insert into ${table} (public_id, ${columns}) select 'copy', ${columns} from ${table} where id = ?`)
        .run(CHANGES[table]!.row(ids)).lastInsertRowid);
      let copied = 0;
      expect(rise('events', ids.forum, () => { copied = copy(); }), `insert into ${table}`).toEqual({ ...nothing, forum: 1 });
      expect(rise('events', ids.forum, () => sqlite.prepare(`delete from ${table} where id = ?`).run(copied)), `delete from ${table}`)
        .toEqual({ ...nothing, forum: 1 });
    }
  });

  test("a contributor or an output added or removed raises the session's version and SEQUENCE by 1, the forum's revision by 1", () => {
    const changes: [string, () => unknown][] = [
      ['add a contributor', () => sqlite.prepare("insert into session_contributors (session_id, role, organisation_id, position) values (?, 'moderator', ?, 2)").run(ids.session, ids.org2)],
      ['remove a contributor', () => sqlite.prepare('delete from session_contributors where id = ?').run(ids.contributor)],
      ['serve an output', () => sqlite.prepare('insert into session_outputs (session_id, output_id) values (?, ?)').run(ids.session, ids.output2)],
      ['no longer serve one', () => sqlite.prepare('delete from session_outputs where session_id = ? and output_id = ?').run(ids.session, ids.output1)],
    ];
    expect(changes.map(([what, run]) => [what, rise('sessions', ids.session, run)])).toEqual(changes.map(([what]) =>
      [what, { ...nothing, version: 1, forum: 1, session: 1 }]));
  });

  test("deleting the session's room raises the forum for the room and, through the session left without a room, once more", () => {
    expect(rise('sessions', ids.session, () => sqlite.prepare('delete from rooms where id = ?').run(ids.room1)))
      .toEqual({ ...nothing, version: 1, forum: 2, session: 1 });
    expect(one('select room_id from sessions where id = ?', ids.session)).toBe(null);
  });
});

// ---------------------------------------------------------------------------------------------
// What comes after the forum: invariants no writer can forget.

describe('after the forum, kept by the triggers of migration 0011', () => {
  let ids: Ids;
  beforeAll(() => { ids = seedOnce(sqlite); });
  beforeEach(() => { sqlite.exec('savepoint after'); });
  afterEach(() => { sqlite.exec('rollback to after; release after'); });
  const run = (sql: string, ...params: unknown[]) => sqlite.prepare(sql).run(...params);
  const row = (sql: string, ...params: unknown[]) => sqlite.prepare(sql).get(...params);

  test('a progress note, once written, is never rewritten', () => {
    run("insert into follow_up_notes (public_id, item_id, at, status_from, status_to, note, author) values ('note', ?, 0, 'proposed', 'adopted', 'Voté', 'Olga')", ids.followUp);
    expect(() => run("update follow_up_notes set note = 'Rejeté' where public_id = 'note'")).toThrow('follow-up notes are never rewritten');
    expect(() => run("update follow_up_notes set at = 1 where public_id = 'note'")).toThrow('follow-up notes are never rewritten');
    expect(row("select note, at from follow_up_notes where public_id = 'note'")).toEqual({ note: 'Voté', at: 0 });
  });

  test('a note changes a status with both ends or with neither', () => {
    expect(() => run("insert into follow_up_notes (public_id, item_id, at, status_to, note, author) values ('half', ?, 0, 'done', 'Fait', 'Olga')", ids.followUp))
      .toThrow(/CHECK constraint failed: follow_up_notes_status/);
  });

  test('an owner is a person or an organisation, never both', () => {
    expect(() => run('update follow_up_items set owner_person_id = ?, owner_organisation_id = ? where id = ?', ids.person, ids.org1, ids.followUp))
      .toThrow(/CHECK constraint failed: follow_up_items_one_owner/);
  });

  test('a comment inserted as approved waits for moderation all the same; one without a comment has no state', () => {
    run("insert into session_feedback (event_id, session_id, browser_hash, rating, comment, comment_state, created_at, updated_at) values (?, ?, 'hash-9', 5, 'Bravo', 'approved', 0, 0)", ids.forum, ids.session);
    run("insert into session_feedback (event_id, session_id, browser_hash, rating, comment_state, created_at, updated_at) values (?, ?, 'hash-8', 2, 'approved', 0, 0)", ids.forum, ids.session);
    expect(sqlite.prepare("select browser_hash, comment_state from session_feedback where browser_hash in ('hash-8', 'hash-9') order by browser_hash").all())
      .toEqual([{ browser_hash: 'hash-8', comment_state: null }, { browser_hash: 'hash-9', comment_state: 'pending' }]);
  });

  test('an approved comment that is changed goes back to pending; taken away, it has no state', () => {
    run("update session_feedback set comment_state = 'approved' where id = ?", ids.feedback);
    run("update session_feedback set comment = 'Très utile, merci' where id = ?", ids.feedback);
    expect(row('select comment, comment_state from session_feedback where id = ?', ids.feedback)).toEqual({ comment: 'Très utile, merci', comment_state: 'pending' });
    run("update session_feedback set comment_state = 'approved', rating = 3 where id = ?", ids.feedback);
    expect(row('select comment_state from session_feedback where id = ?', ids.feedback)).toEqual({ comment_state: 'approved' });
    run('update session_feedback set comment = null where id = ?', ids.feedback);
    expect(row('select comment, comment_state from session_feedback where id = ?', ids.feedback)).toEqual({ comment: null, comment_state: null });
    expect(() => run("update session_feedback set comment_state = 'approved' where id = ?", ids.feedback)).toThrow('there is no comment to moderate');
  });

  test("a room's interpretation raises the SEQUENCE of the sessions that inherit it, not of those that say their own", () => {
    const revision = (id: number) => sqlite.prepare('select revision from sessions where id = ?').pluck().get(id) as number;
    const before = revision(ids.session);
    run(`update rooms set interpretation = '[{"language":"es","channel":"2"}]' where id = ?`, ids.room1);
    expect(revision(ids.session)).toBe(before + 1);
    run(`update sessions set interpretation = '[]' where id = ?`, ids.session);
    expect(revision(ids.session)).toBe(before + 2);
    run(`update rooms set interpretation = '[{"language":"en","channel":"1"}]' where id = ?`, ids.room1);
    expect(revision(ids.session)).toBe(before + 2);
  });
});
