import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../../server/db/client.ts';
import { applyMigrations } from '../../../server/db/migrate.ts';
import { events, sessions } from '../../../server/db/schema.ts';
import {
  BUNDLED_DIR, BundledProgrammeError, loadAllBundledProgrammes, loadBundledProgramme, readBundledProgrammes, validateBundledProgramme,
} from '../../../server/domains/interop/bundled.ts';
import { buildTestApp, FORUM_2019, makeTempDir } from '../../helpers/app.ts';

type Ids = Record<string, string>;

async function publicIdsOf(dir: string): Promise<Ids> {
  const t = await buildTestApp({ dir });
  try {
    const programme = (await t.app.inject(`/api/v1/events/${FORUM_2019}/programme`)).json();
    const ids: Ids = { event: programme.event.id };
    for (const part of programme.parts) {
      ids[`part:${part.label.fr}`] = part.id;
      for (const slot of part.slots) for (const s of slot.sessions) ids[`session:${s.title.fr}`] = s.id;
    }
    for (const output of programme.outputs) ids[`output:${output.position}`] = output.id;
    return ids;
  } finally {
    await t.close();
  }
}

describe('bundled programmes', () => {
  const dirs: string[] = [];
  afterAll(() => { for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true }); });

  /** Runs a check on a fresh, migrated database holding the bundled programmes. */
  function withSeededDatabase(check: (db: Db) => void): void {
    const dir = makeTempDir();
    dirs.push(dir);
    const db = openDatabase(path.join(dir, 'forum.db'));
    try {
      applyMigrations(db);
      loadAllBundledProgrammes(db);
      check(db);
    } finally {
      db.$client.close();
    }
  }

  test('public ids survive a restart, and are the same after the database file is deleted and the programme loaded again', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const first = await publicIdsOf(dir);
    expect(Object.keys(first)).toHaveLength(1 + 3 + 9 + 4);
    expect(await publicIdsOf(dir)).toEqual(first);
    for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name));
    expect(await publicIdsOf(dir)).toEqual(first);
  });

  test('seeding again updates in place: no duplicates, same ids, and no revision or update time moves when nothing changed', () => {
    withSeededDatabase((db) => {
      const sessionsBefore = db.select().from(sessions).all();
      const eventsBefore = db.select().from(events).all();
      expect(loadAllBundledProgrammes(db, BUNDLED_DIR, new Date('2030-01-01T00:00:00Z'))).toEqual(['uclg-learning-agenda-2015', FORUM_2019]);
      expect(db.select().from(sessions).all()).toEqual(sessionsBefore);
      expect(db.select().from(events).all()).toEqual(eventsBefore);
    });
  });

  test('a broken programme file is refused with a message naming the file and the fault', () => {
    const [valid] = readBundledProgrammes(BUNDLED_DIR);
    const broken = structuredClone(valid!);
    broken.sessions[0]!.room = 'no-such-room';
    expect(() => validateBundledProgramme(broken, 'x.json')).toThrow(new BundledProgrammeError(`x.json: session "${broken.sessions[0]!.key}" names room "no-such-room", which is not defined`));
    const backwards = structuredClone(valid!);
    backwards.sessions[0]!.end = backwards.sessions[0]!.start;
    expect(() => validateBundledProgramme(backwards, 'x.json')).toThrow(/ends before it starts/);
    expect(() => validateBundledProgramme({ ...valid, extra: 1 }, 'x.json')).toThrow(BundledProgrammeError);
    const badZone = structuredClone(valid!);
    badZone.event.timezone = 'Mars/Olympus';
    expect(() => validateBundledProgramme(badZone, 'x.json')).toThrow('x.json: unknown timezone "Mars/Olympus"');
  });

  test('a failed load changes nothing: it runs in one transaction', () => {
    withSeededDatabase((db) => {
      const forum = readBundledProgrammes(BUNDLED_DIR).find((p) => p.event.slug === FORUM_2019)!;
      const before = { events: db.select().from(events).all(), sessions: db.select().from(sessions).all() };
      // Skips validation on purpose: the last session breaks a database constraint after
      // the event, rooms, parts and earlier sessions have been written.
      const broken = structuredClone(forum);
      broken.event.title = { fr: 'Titre qui ne doit pas rester' };
      broken.sessions.at(-1)!.kind = 'cocktail' as never;
      expect(() => loadBundledProgramme(db, broken)).toThrow(/CHECK constraint failed/);
      expect({ events: db.select().from(events).all(), sessions: db.select().from(sessions).all() }).toEqual(before);
    });
  });
});
