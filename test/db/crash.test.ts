// Crash rounds: the real server as a child process takes concurrent writes through the API and is
// killed with SIGKILL at a random moment; restarted on the same file, it must serve every write it
// had acknowledged, on a database SQLite finds intact. The moments come from a seed, printed in
// the test's name: CRASH_SEED=<seed> replays a failing run (as far as timing allows).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTempDir } from '../helpers/app.ts';
import type { RunningServer } from '../helpers/server.ts';
import { stopServer } from '../helpers/server.ts';
import {
  kill, missing, seededDatabase, seededRandom, sqliteChecks, startCompiledServer, startWriters, storedNames, type Acknowledged,
} from '../helpers/write-load.ts';

/** 20 in the suite; CRASH_ROUNDS=200 for a longer soak. */
const ROUNDS = process.env.CRASH_ROUNDS ? Number(process.env.CRASH_ROUNDS) : 20;
const WRITERS = 6;
/** The kill comes this long after the first write is acknowledged: at once, up to well into the load. */
const KILL_AFTER_MS = { min: 0, max: 500 };
const SEED = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);

describe(`crash rounds: SIGKILL under write load, restart, every acknowledged write present (seed ${SEED})`, { timeout: 300_000 }, () => {
  const dir = makeTempDir();
  const file = path.join(dir, 'forum.db');
  let bearer: { authorization: string };
  let server: RunningServer | undefined;

  beforeAll(async () => {
    bearer = await seededDatabase(dir);
  });
  afterAll(async () => {
    if (server) await kill(server);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test(`${ROUNDS} rounds of ${WRITERS} concurrent writers: nothing acknowledged is lost, SQLite's checks stay clean`, async () => {
    const random = seededRandom(SEED);
    const acknowledged: Acknowledged[] = [];
    const figures = { rounds: 0, acknowledged: 0, unanswered: 0, unansweredButStored: 0, lost: 0, startMs: [] as number[] };
    const started = performance.now();
    let unansweredBefore: string[] = [];
    for (let round = 1; round <= ROUNDS + 1; round++) {
      const startAt = performance.now();
      server = await startCompiledServer({ DATABASE_PATH: file });
      figures.startMs.push(Math.round(performance.now() - startAt));

      // The restart on the file the killed process left: every write it acknowledged, with its data.
      const stored = await storedNames(server.base, bearer);
      const lost = missing(acknowledged, stored);
      figures.lost += lost.length;
      expect(lost, `seed ${SEED}, after round ${round - 1}: acknowledged writes missing`).toEqual([]);
      const storedNamesSet = new Set(stored.values());
      figures.unansweredButStored += unansweredBefore.filter((name) => storedNamesSet.has(name)).length;
      expect(sqliteChecks(file), `seed ${SEED}, after round ${round - 1}`).toEqual({ integrity: ['ok'], foreignKeys: [] });
      if (round > ROUNDS) break;

      const load = startWriters(server.base, bearer, WRITERS, `round ${round}`);
      // The clock starts at the first acknowledgement, so that every round kills a server in the middle of writes.
      while (load.acknowledged.length === 0 && load.refused.length === 0) await new Promise((r) => setTimeout(r, 5));
      const killAfter = KILL_AFTER_MS.min + Math.floor(random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min));
      await new Promise((r) => setTimeout(r, killAfter));
      await kill(server);
      await load.done;
      expect(load.refused, `seed ${SEED}, round ${round}: writes refused`).toEqual([]);
      acknowledged.push(...load.acknowledged);
      unansweredBefore = load.unanswered;
      figures.rounds += 1;
      figures.acknowledged += load.acknowledged.length;
      figures.unanswered += load.unanswered.length;
    }
    await stopServer(server!);
    server = undefined;
    // Each round was killed after its first acknowledgement, some while writes were still in flight.
    expect(figures.acknowledged).toBeGreaterThanOrEqual(ROUNDS);
    expect(figures.unanswered).toBeGreaterThan(0);
    console.log(`crash rounds (seed ${SEED}): ${JSON.stringify({ ...figures, startMs: undefined, medianStartMs: figures.startMs.sort((a, b) => a - b)[Math.floor(figures.startMs.length / 2)], totalMs: Math.round(performance.now() - started) })}`);
  });
});
