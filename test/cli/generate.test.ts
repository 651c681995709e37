// npm run cli -- generate, run as a real child process on the test's database file: the congress
// is created and released once, the public pages show it, and refusals write nothing.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readProgramme } from '../../server/domains/releases/reader.ts';
import { buildTestApp, makeTempDir, type TestApp } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';
import { dumpDatabase } from '../helpers/interop.ts';

const SMALL = ['generate', '--slug', 'small-congress', '--sessions', '120', '--days', '2', '--rooms', '4'];

function eventCount(dir: string): number {
  const db = new Database(path.join(dir, 'forum.db'), { readonly: true });
  try {
    return (db.prepare('select count(*) as n from events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('command line: generate', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('help lists it', async () => {
    const help = await runCli(dir, ['help']);
    expect(help.stdout).toMatch(/^ {2}generate --slug SLUG \[--sessions 2000\] \[--days 5\] \[--rooms 12\] \[--seed 1\] \[--start 2027-10-04\]$/m);
  });

  test('bad options are refused in one line each, and nothing is written', async () => {
    // Every message is checked in test/domains/interop/generator.test.ts; here, that they reach the operator.
    const refusals: [string[], string][] = [
      [['generate'], 'generate needs --slug, the address of the new event (e.g. --slug big-congress)'],
      [[...SMALL, '--seed=-3'], '--seed must be a whole number from 0 to 4294967295, not "-3"'],
      [[...SMALL, '--start', '2027-13-01'], '--start must be a date as YYYY-MM-DD, not "2027-13-01"'],
      [['generate', '--slug', 'c', '--sessions', '10000', '--days', '1', '--rooms', '1'],
        '10000 sessions do not fit in 1 day(s) with 1 room(s): at most 58 (10-minute slots); give more --days or --rooms'],
    ];
    for (const [args, message] of refusals) {
      expect(await runCli(dir, args)).toEqual({ status: 1, stdout: '', stderr: `forum-programme: ${message}. Nothing was written.\n` });
    }
    expect(eventCount(dir)).toBe(0);
  });

  test('creates the congress, releases it as "1" and names the deliberate conflicts', async () => {
    const run = await runCli(dir, SMALL);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('Generated event small-congress and released it as version 1: 120 sessions (2 cancelled, which the release leaves out), '
      + '4 rooms, 4 parts, 42 time slots of 30 minutes, 72 people, 18 organisations, 6 expected outputs, 5 conflicts\n');
    const warnings = run.stderr.trimEnd().split('\n');
    expect(warnings.map((w) => w.match(/^warning \(deliberate\): .* (is in two sessions at once|holds two sessions at once): /)?.[1])).toEqual([
      'is in two sessions at once', 'is in two sessions at once', 'is in two sessions at once', 'holds two sessions at once', 'holds two sessions at once',
    ]);
    expect(eventCount(dir)).toBe(1);
  });

  test('an address already taken is refused, and the database stays as it was', async () => {
    const before = dumpDatabase(path.join(dir, 'forum.db'));
    expect(await runCli(dir, [...SMALL, '--seed', '2'])).toEqual({
      status: 1, stdout: '',
      stderr: 'forum-programme: an event already has the address "small-congress": generate only creates new events; choose another --slug. Nothing was written.\n',
    });
    expect(dumpDatabase(path.join(dir, 'forum.db'))).toBe(before);
  });

  describe('the public pages show it', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp({ dir });
    });
    afterAll(async () => {
      await t.close();
    });

    test('its release, its programme page and a session in Spanish that falls back to French', async () => {
      const releases = (await t.app.inject('/api/v1/events/small-congress/releases')).json().releases as { name: string }[];
      expect(releases.map((r) => r.name)).toEqual(['1']);
      const programme = readProgramme(t.app.db, { slug: 'small-congress' }, 'released');
      const page = await t.app.inject('/events/small-congress?lang=fr');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Congrès mondial des gouvernements locaux et régionaux');
      const french = programme.sessions.find((s) => s.row.title.es === undefined)!;
      const session = await t.app.inject(`/events/small-congress/sessions/${french.publicId}?lang=es`);
      expect(session.statusCode).toBe(200);
      const escaped = french.row.title.fr!.replace(/&/g, '&amp;').replace(/'/g, '&#x27;');
      expect(session.body.includes(french.row.title.fr!) || session.body.includes(escaped)).toBe(true);
    });
  });
});
