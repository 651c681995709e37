// npm run cli -- user … | token …, run as a real child process on the test's database file.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiTokens, users } from '../../server/db/schema.ts';
import { apiAs } from '../helpers/api.ts';
import { buildTestApp, FORUM_2019, makeTempDir, type TestApp } from '../helpers/app.ts';
import { apiSignIn } from '../helpers/auth.ts';
import { runCli, type CliRun } from '../helpers/cli.ts';

describe('command line: accounts and tokens', { timeout: 60_000 }, () => {
  let dir: string;
  let t: TestApp;

  const cli = (args: string[], password?: string) => runCli(dir, args, password);

  const userRows = () => t.app.db.select({ email: users.email, name: users.name, role: users.role, eventId: users.eventId }).from(users).all();

  beforeAll(async () => {
    dir = makeTempDir();
    // The app seeds the bundled events into the file the command line then works on.
    t = await buildTestApp({ dir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('user add creates organisers (of every event, or of one) and rapporteurs; user list shows them', async () => {
    expect(await cli(['user', 'add', '--email', 'Chief@Example.org', '--name', 'Chief Organiser', '--role', 'organiser'], 'chief password 1'))
      .toEqual({ status: 0, stdout: 'Created organiser chief@example.org for (every event)\n', stderr: '' });
    expect(await cli(['user', 'add', '--email', 'local@example.org', '--name', 'Local Organiser', '--role', 'organiser', '--event', FORUM_2019], 'local password 1'))
      .toEqual({ status: 0, stdout: `Created organiser local@example.org for ${FORUM_2019}\n`, stderr: '' });
    expect(await cli(['user', 'add', '--email', 'writer@example.org', '--name', 'Rapporteur', '--role', 'rapporteur'], 'writer password 1'))
      .toEqual({ status: 0, stdout: 'Created rapporteur writer@example.org\n', stderr: '' });

    const list = await cli(['user', 'list']);
    expect(list.status).toBe(0);
    expect(list.stdout.split('\n').map((line) => line.split(/ {2,}/))).toEqual([
      ['EMAIL', 'ROLE', 'EVENT', 'NAME'],
      ['chief@example.org', 'organiser', '(every event)', 'Chief Organiser'],
      ['local@example.org', 'organiser', FORUM_2019, 'Local Organiser'],
      ['writer@example.org', 'rapporteur', '-', 'Rapporteur'],
      [''],
    ]);
  });

  test('the password set by user add signs in', async () => {
    const response = await apiSignIn(t.app, { email: 'local@example.org', password: 'local password 1' });
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toMatchObject({ email: 'local@example.org', role: 'organiser', event: FORUM_2019 });
  });

  test('user add refuses mistakes in one line with exit code 1, and writes nothing', async () => {
    const before = userRows();
    const add = (extra: string[], password?: string) =>
      cli(['user', 'add', '--email', 'new@example.org', '--name', 'New', ...extra], password);
    const cases: [Promise<CliRun>, string][] = [
      [add(['--role', 'organiser', '--event', 'no-such-event'], 'a good password'), 'forum-programme: no event "no-such-event" (npm run cli -- seed loads the bundled ones)\n'],
      [cli(['user', 'add', '--email', 'CHIEF@example.org', '--name', 'Again', '--role', 'organiser'], 'a good password'), 'forum-programme: an account already uses chief@example.org\n'],
      [add(['--role', 'organiser'], 'short'), 'forum-programme: password: must be at least 10 characters long\n'],
      [add(['--role', 'organiser']), 'forum-programme: no password: set FORUM_PASSWORD, or run this in a terminal to type it\n'],
      [add(['--role', 'boss'], 'a good password'), 'forum-programme: --role must be organiser or rapporteur, not "boss"\n'],
      [add(['--role', 'rapporteur', '--event', FORUM_2019], 'a good password'), 'forum-programme: event: applies to organisers only: a rapporteur reports on the sessions assigned to them\n'],
      [cli(['user', 'add', '--email', 'new@example.org', '--role', 'organiser'], 'a good password'), 'forum-programme: user add needs --email, --name and --role\n'],
      [cli(['user', 'add', '--email', 'not-an-address', '--name', 'X', '--role', 'organiser'], 'a good password'), 'forum-programme: email: is not an e-mail address\n'],
      [cli(['user', 'list', '--email', 'x@example.org']), 'forum-programme: user list has no option --email\n'],
    ];
    for (const [run, stderr] of cases) expect(await run).toEqual({ status: 1, stdout: '', stderr });
    // Node words its own message: only its start and its being one line are ours to check.
    const unknownOption = await cli(['user', 'add', '--mail', 'x@example.org']);
    expect(unknownOption.status).toBe(1);
    expect(unknownOption.stderr).toMatch(/^forum-programme: Unknown option '--mail'\.[^\n]*\n$/);
    expect(userRows()).toEqual(before);
  });

  test('token create prints only the token, which then works; token list never shows it; token revoke stops it at once', async () => {
    const created = await cli(['token', 'create', '--email', 'writer@example.org', '--name', 'Import script']);
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/^fpt_[A-Za-z0-9_-]{43}\n$/);
    const token = created.stdout.trim();
    const row = t.app.db.select().from(apiTokens).all().at(-1)!;
    expect(created.stderr).toBe(`Token ${row.publicId} ("Import script") acts for writer@example.org. It is shown this once: keep it now.\n`);
    const me = await apiAs(t.app, { authorization: `Bearer ${token}` }, { language: null }).get('/api/v1/auth/me');
    expect(me.json().user.email).toBe('writer@example.org');

    const list = await cli(['token', 'list', '--email', 'WRITER@example.org']);
    expect(list.status).toBe(0);
    const lines = list.stdout.trimEnd().split('\n').map((line) => line.split(/ {2,}/));
    expect(lines.map((cells) => [cells[0], cells[1], cells[4], cells[5]])).toEqual([
      ['ID', 'USER', 'REVOKED', 'NAME'],
      [row.publicId, 'writer@example.org', '-', 'Import script'],
    ]);
    expect(lines[1]![2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(list.stdout).not.toContain(token.slice(4));
    expect(list.stdout).not.toContain(row.tokenHash);

    expect(await cli(['token', 'revoke', row.publicId])).toEqual({ status: 0, stdout: `Revoked token ${row.publicId} ("Import script")\n`, stderr: '' });
    expect((await apiAs(t.app, { authorization: `Bearer ${token}` }, { language: null }).get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await cli(['token', 'list'])).stdout.split('\n')[1]!.split(/ {2,}/)[4]).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  test('token commands refuse unknown accounts and tokens in one line with exit code 1', async () => {
    const count = t.app.db.select().from(apiTokens).all().length;
    expect(await cli(['token', 'create', '--email', 'nobody@example.org'])).toEqual({ status: 1, stdout: '', stderr: 'forum-programme: no account uses nobody@example.org\n' });
    expect(await cli(['token', 'revoke', '00000000-0000-4000-8000-000000000000']))
      .toEqual({ status: 1, stdout: '', stderr: 'forum-programme: No token "00000000-0000-4000-8000-000000000000"\n' });
    expect(await cli(['token', 'revoke'])).toEqual({ status: 1, stdout: '', stderr: 'forum-programme: token revoke needs 1 argument(s)\n' });
    expect(t.app.db.select().from(apiTokens).all().length).toBe(count);
  });
});
