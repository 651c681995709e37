// npm run cli -- release SLUG --name NAME, run as a real child process on the test's database file.
import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sessions } from '../../server/db/schema.ts';
import { buildTestApp, FORUM_2019, makeTempDir, type TestApp } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';

describe('command line: release', { timeout: 60_000 }, () => {
  let dir: string;
  let t: TestApp;

  const cli = (args: string[]) => runCli(dir, args);

  beforeAll(async () => {
    dir = makeTempDir();
    t = await buildTestApp({ dir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('refuses a release that changes nothing, an unknown event and a missing name, changing nothing', async () => {
    expect(await cli(['release', FORUM_2019, '--name', '2'])).toEqual({
      status: 1, stdout: '', stderr: 'forum-programme: Nothing changed since release "1": there is nothing new to release\n',
    });
    expect(await cli(['release', 'no-such-event', '--name', '2'])).toEqual({ status: 1, stdout: '', stderr: 'forum-programme: no event "no-such-event"\n' });
    expect(await cli(['release', FORUM_2019])).toEqual({
      status: 1, stdout: '', stderr: 'forum-programme: release needs --name, the version name participants will see\n',
    });
    expect((await t.app.inject(`/api/v1/events/${FORUM_2019}/releases`)).json().releases.map((r: { name: string }) => r.name)).toEqual(['1']);
  });

  test('releases the working copy under the name given, then refuses the same name', async () => {
    const opening = t.app.db.select().from(sessions).all().find((s) => s.title.fr === 'Ouverture et bienvenue')!;
    t.app.db.update(sessions).set({ status: 'cancelled' }).where(eq(sessions.id, opening.id)).run();
    expect(await cli(['release', FORUM_2019, '--name', '1.1'])).toEqual({
      status: 0, stdout: `Released version 1.1 of ${FORUM_2019} (release 2): 0 new, 0 moved, 0 changed, 1 cancelled\n`, stderr: '',
    });
    const history = (await t.app.inject(`/api/v1/events/${FORUM_2019}/releases`)).json().releases as { name: string; changes: { type: string; session: { id: string } }[] }[];
    expect(history.map((r) => r.name)).toEqual(['1.1', '1']);
    expect(history[0]!.changes.map((c) => [c.type, c.session.id])).toEqual([['cancelled', opening.publicId]]);
    expect(await cli(['release', FORUM_2019, '--name', '1.1'])).toEqual({
      status: 1, stdout: '', stderr: 'forum-programme: This event already has a release named "1.1": choose another name\n',
    });
  });
});
