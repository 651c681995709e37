// The real reference files through the real command line: what an organiser types.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeTempDir } from '../../helpers/app.ts';
import { runCli } from '../../helpers/cli.ts';
import { describeInterop, dumpDatabase, interopFile } from '../../helpers/interop.ts';

describeInterop('npm run cli -- import on the reference files', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a pretalx export is created, told with its counts and notes, and not yet public', async () => {
    const run = await runCli(dir, ['import', interopFile('democon-pretalx.schedule.xml')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Created event democon from .*democon-pretalx\.schedule\.xml \(frab-xml\): 35 sessions, 2 rooms, 31 people/);
    expect(run.stderr).toContain('note: ');
    expect(run.stderr).toContain('release it with npm run cli -- release democon --name 1');
  });

  test('importing it again updates in place: the database is the same, row for row', async () => {
    const before = dumpDatabase(path.join(dir, 'forum.db'));
    const run = await runCli(dir, ['import', interopFile('democon-pretalx.schedule.xml')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Updated event democon /);
    expect(dumpDatabase(path.join(dir, 'forum.db'))).toBe(before);
  });

  test('FOSDEM names no time zone: refused until --timezone is given, then imported under --slug', async () => {
    const file = interopFile('fosdem-2021.schedule.xml');
    const before = dumpDatabase(path.join(dir, 'forum.db'));
    const refused = await runCli(dir, ['import', file]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--timezone');
    expect(refused.stderr).toContain('Nothing was imported');
    expect(dumpDatabase(path.join(dir, 'forum.db'))).toBe(before);

    const run = await runCli(dir, ['import', file, '--timezone', 'Europe/Brussels', '--slug', 'fosdem21']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Created event fosdem21 .*: 773 sessions, 106 rooms, 684 people/);
  });

  test('an option that does not apply, or a bad value, is one clear line', async () => {
    const json = await runCli(dir, ['import', path.join(dir, 'nowhere.json')]);
    expect(json.status).toBe(1);
    expect(json.stderr).toMatch(/^forum-programme: cannot read .*nowhere\.json/);
    const language = await runCli(dir, ['import', interopFile('democon-pretalx.schedule.xml'), '--language', 'de']);
    expect(language.stderr).toContain('--language must be fr, en or es, not "de"');
  });
});
