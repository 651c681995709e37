// Write load on a real server, for the backup and crash-round suites: writers that create rooms
// and organisations through the API one after another, each recording what the server
// acknowledged (a 201 with the new id) and when; and the checks that those writes are there.
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { buildTestApp, FORUM_2019 } from './app.ts';
import { addUser } from './auth.ts';
import { mulberry32 } from '../../server/domains/interop/generator-random.ts';
import { ensureBuilt, spawnServer, type RunningServer } from './server.ts';

export const KINDS = ['rooms', 'organisations'] as const;
export type Kind = (typeof KINDS)[number];

export interface Acknowledged {
  kind: Kind;
  id: string;
  name: string;
  /** performance.now() when the answer came. */
  at: number;
  /** Date.now() then: comparable with the moments in the server's file names and logs. */
  wallAt: number;
}

export interface WriteLoad {
  acknowledged: Acknowledged[];
  /** Names sent whose answer never came (the server died first): they may or may not be stored. */
  unanswered: string[];
  /** Answers other than 201 (each a failure of the test unless the server was being killed). */
  refused: { name: string; status: number; body: string }[];
  /** Resolves once every writer has stopped. */
  done: Promise<void>;
  stop: () => void;
}

/** A fresh database in dir/forum.db with the bundled events and an organiser of every event; the organiser's headers. */
export async function seededDatabase(dir: string): Promise<{ authorization: string }> {
  const t = await buildTestApp({ dir });
  const organiser = await addUser(t.app, 'organiser');
  await t.close();
  return organiser.bearer;
}

/**
 * `writers` loops, each sending one write at a time until stop() or until the server stops
 * answering. Writer w creates KINDS[w % 2], named `${label} w${w} #${n}`.
 */
export function startWriters(base: string, bearer: { authorization: string }, writers: number, label: string): WriteLoad {
  let stopped = false;
  const load: WriteLoad = { acknowledged: [], unanswered: [], refused: [], done: Promise.resolve(), stop: () => { stopped = true; } };
  const writer = async (w: number) => {
    const kind = KINDS[w % KINDS.length]!;
    for (let n = 1; !stopped; n++) {
      const name = `${label} w${w} #${n}`;
      let response: Response;
      try {
        response = await fetch(`${base}/api/v1/events/${FORUM_2019}/${kind}`, {
          method: 'POST',
          headers: { ...bearer, 'content-type': 'application/json' },
          body: JSON.stringify({ name: { fr: name } }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch {
        load.unanswered.push(name);
        return;
      }
      let text: string;
      try {
        text = await response.text();
      } catch {
        load.unanswered.push(name);
        return;
      }
      if (response.status !== 201) {
        load.refused.push({ name, status: response.status, body: text.slice(0, 300) });
        return;
      }
      load.acknowledged.push({ kind, id: (JSON.parse(text) as { data: { id: string } }).data.id, name, at: performance.now(), wallAt: Date.now() });
    }
  };
  load.done = Promise.all(Array.from({ length: writers }, (_, w) => writer(w))).then(() => undefined);
  return load;
}

/** Every item of each kind the server now has, by id: its French name. */
export async function storedNames(base: string, bearer: { authorization: string }): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const kind of KINDS) {
    const response = await fetch(`${base}/api/v1/events/${FORUM_2019}/${kind}`, { headers: bearer });
    expect(response.status).toBe(200);
    for (const item of ((await response.json()) as { items: { id: string; name: { fr: string } }[] }).items) names.set(item.id, item.name.fr);
  }
  return names;
}

/** The acknowledged writes absent from (or different in) what the server serves. */
export function missing(acknowledged: Acknowledged[], stored: Map<string, string>): Acknowledged[] {
  return acknowledged.filter((write) => stored.get(write.id) !== write.name);
}

/** SQLite's own checks of a database file, through a read-only connection of the test's. */
export function sqliteChecks(file: string): { integrity: string[]; foreignKeys: unknown[] } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check),
      foreignKeys: db.pragma('foreign_key_check') as unknown[],
    };
  } finally {
    db.close();
  }
}

/**
 * The compiled server (node dist/server/main.js, what `npm start` runs once built) on a free port:
 * no build check at each start, which the crash rounds would pay twenty times (while sources
 * change, each check would rebuild). Built once per test file.
 */
let built = false;
export async function startCompiledServer(env: Record<string, string>, timeoutMs = 20_000): Promise<RunningServer> {
  if (!built) ensureBuilt();
  built = true;
  return spawnServer(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'server', 'main.js')], { LOG_LEVEL: 'warn', ...env }, timeoutMs, 25);
}

/** SIGKILL, and the moment the process is gone. */
export function kill(server: RunningServer): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

/** A small seeded generator (the generator's mulberry32): the same seed gives the same moments. */
export const seededRandom = mulberry32;
