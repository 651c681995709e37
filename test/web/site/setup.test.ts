// The first account: while none exists, the server logs a one-time link to a form that
// creates the first organiser (of every event) and signs them in.
import fs from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { users } from '../../../server/db/schema.ts';
import { buildTestApp, makeTempDir, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { Browser, formOf, texts } from '../../helpers/browser.ts';

interface LogLine { level: number; msg: string }

async function appWithLog(): Promise<{ t: TestApp; log: LogLine[] }> {
  const log: LogLine[] = [];
  const t = await buildTestApp({ env: { LOG_LEVEL: 'info' }, logStream: { write: (line) => { log.push(JSON.parse(line) as LogLine); } } });
  return { t, log };
}

function setupPath(log: LogLine[]): string {
  const lines = log.filter((l) => l.msg.includes('/setup/'));
  expect(lines.length).toBe(1);
  expect(lines[0]!.level).toBe(40);
  const match = /^No account exists yet\. Create the first organiser at http:\/\/127\.0\.0\.1:3000(\/setup\/[A-Za-z0-9_-]{43}) \(this link works once\)\.$/.exec(lines[0]!.msg);
  expect(match, lines[0]!.msg).not.toBeNull();
  return match![1]!;
}

describe('setup link', () => {
  let t: TestApp;
  afterEach(async () => { await t.close(); });

  test('creates the first organiser of every event through the form, signs them in, and is 404 afterwards', async () => {
    let log: LogLine[];
    ({ t, log } = await appWithLog());
    const path = setupPath(log);
    const browser = new Browser(t.app);
    const page = await browser.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(texts(page.body, 'main label')).toEqual(['Nom', 'Adresse électronique', 'Mot de passe', 'Mot de passe, une seconde fois']);
    expect(formOf(page.body).action).toBe(path);

    const response = await browser.submit(path, {
      name: 'Emilia Saiz', email: 'Emilia@Example.org', password: 'a long enough secret', confirmation: 'a long enough secret',
    }, { keep: 'hidden' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    expect(t.app.db.select({ email: users.email, name: users.name, role: users.role, eventId: users.eventId }).from(users).all())
      .toEqual([{ email: 'emilia@example.org', name: 'Emilia Saiz', role: 'organiser', eventId: null }]);
    const home = await browser.get('/');
    expect(texts(home.body, '.account-bar__name')).toEqual(['Connecté : Emilia Saiz']);
    const me = await browser.get('/api/v1/auth/me');
    expect(me.json()).toEqual({ user: { id: expect.any(String), email: 'emilia@example.org', name: 'Emilia Saiz', role: 'organiser', event: null } });

    expect((await browser.get(path)).statusCode).toBe(404);
    expect((await new Browser(t.app).get(path)).statusCode).toBe(404);
    const again = await browser.post(path, { _csrf: formOf(home.body, '.account-bar form').hidden._csrf!, name: 'X', email: 'x@example.org', password: 'a long enough secret', confirmation: 'a long enough secret' });
    expect(again.statusCode).toBe(404);
    expect(t.app.db.select().from(users).all().length).toBe(1);
  });

  test('a wrong token is 404; the right one too once an account exists, made any other way', async () => {
    let log: LogLine[];
    ({ t, log } = await appWithLog());
    const path = setupPath(log);
    expect((await t.app.inject(`/setup/${'A'.repeat(43)}`)).statusCode).toBe(404);
    expect((await t.app.inject('/setup/short')).statusCode).toBe(404);
    expect((await t.app.inject(path)).statusCode).toBe(200);
    await addUser(t.app, 'organiser');
    expect((await t.app.inject(path)).statusCode).toBe(404);
  });

  test('no link is logged when an account exists', async () => {
    const dir = makeTempDir();
    try {
      const first = await buildTestApp({ dir });
      await addUser(first.app, 'organiser');
      await first.close();
      const log: LogLine[] = [];
      t = await buildTestApp({ dir, env: { LOG_LEVEL: 'info' }, logStream: { write: (line) => { log.push(JSON.parse(line) as LogLine); } } });
      // A request, so that the log is seen to work.
      await t.app.inject('/healthz');
      expect(log.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a form with differing passwords, a short password or a bad address is shown again (422); nothing is created and the link still works', async () => {
    let log: LogLine[];
    ({ t, log } = await appWithLog());
    const path = setupPath(log);
    const browser = new Browser(t.app);
    const cases: [Record<string, string>, string[]][] = [
      [{ name: 'A', email: 'a@example.org', password: 'a long enough secret', confirmation: 'a long enough secreT' }, ['Les deux mots de passe saisis sont différents.']],
      [{ name: 'A', email: 'a@example.org', password: 'short', confirmation: 'short' }, ['Le mot de passe doit compter de 10 à 200 caractères.']],
      [{ name: ' ', email: 'not an address', password: 'a long enough secret', confirmation: 'a long enough secret' },
        ['Saisissez un nom de 200 caractères au plus.', 'Saisissez une adresse électronique valide.']],
    ];
    for (const [fields, errors] of cases) {
      const response = await browser.submit(path, fields, { keep: 'hidden' });
      expect(response.statusCode).toBe(422);
      expect(texts(response.body, '.field__error')).toEqual(errors);
      expect(response.body).toContain(`name="email" value="${fields.email}"`);
    }
    expect(t.app.db.select().from(users).all()).toEqual([]);
    expect((await browser.get(path)).statusCode).toBe(200);
  });

  test('a setup form without a valid CSRF token is refused (403) and creates nothing', async () => {
    let log: LogLine[];
    ({ t, log } = await appWithLog());
    const path = setupPath(log);
    const fields = { name: 'Mallory', email: 'mallory@example.org', password: 'a long enough secret', confirmation: 'a long enough secret' };
    expect((await new Browser(t.app).post(path, fields)).statusCode).toBe(403);
    expect((await new Browser(t.app).post(path, { ...fields, _csrf: 'forged' })).statusCode).toBe(403);
    expect(t.app.db.select().from(users).all()).toEqual([]);
  });
});
