// The log of a whole journey, at LOG_LEVEL=trace: every secret the journey used (passwords,
// API token, cookies' values, CSRF tokens, agenda token, setup token) is looked for in it, and
// none is there but the one setup line logged on purpose at start. Every line of a request
// carries its id, which the answer names in X-Request-Id.
import { afterEach, describe, expect, test } from 'vitest';
import { apiAs, ok } from './helpers/api.ts';
import { FORUM_2019, buildTestApp, type TestApp } from './helpers/app.ts';
import { apiSignIn, sessionCookie } from './helpers/auth.ts';
import { Browser, formOf } from './helpers/browser.ts';

interface LogLine { level: number; msg: string; reqId?: string; req?: { url: string }; res?: unknown; [field: string]: unknown }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function appWithLog(env: Record<string, string> = {}): Promise<{ t: TestApp; raw: string[] }> {
  const raw: string[] = [];
  const t = await buildTestApp({ env: { LOG_LEVEL: 'trace', ...env }, logStream: { write: (line) => { raw.push(line); } } });
  return { t, raw };
}

describe('the log', () => {
  let t: TestApp;
  afterEach(async () => { await t.close(); });

  test('a full journey leaves no secret in the log but the setup link, and each request line has its id', async () => {
    let raw: string[];
    ({ t, raw } = await appWithLog());
    const secrets = new Set<string>();
    const setupLines = raw.filter((l) => l.includes('/setup/'));
    expect(setupLines.length).toBe(1);
    const setupPath = /(\/setup\/[A-Za-z0-9_-]{43}) /.exec(setupLines[0]!)![1]!;
    secrets.add(setupPath.slice('/setup/'.length));
    const browser = new Browser(t.app);
    const keepCookies = () => { for (const value of browser.cookies.values()) secrets.add(value); };

    // The first organiser, through the setup link, then signed out and in again with a password.
    const password = 'first organiser secret 1';
    const setupPage = await browser.get(setupPath);
    secrets.add(formOf(setupPage.body).hidden._csrf!);
    expect((await browser.send(setupPage.body, { name: 'Emilia Saiz', email: 'emilia@example.org', password, confirmation: password }, { keep: 'hidden' })).statusCode).toBe(303);
    secrets.add(password);
    keepCookies();
    const home = await browser.open('/');
    secrets.add(formOf(home, '.account-bar form').hidden._csrf!);
    expect((await browser.send(home, {}, { form: '.account-bar form', keep: 'hidden' })).statusCode).toBe(303);
    const wrong = await browser.submit('/login', { email: 'emilia@example.org', password: 'a wrong password guess' }, { keep: 'hidden' });
    secrets.add('a wrong password guess');
    expect(wrong.statusCode).not.toBe(303);
    const loginPage = await browser.open('/login');
    secrets.add(formOf(loginPage).hidden._csrf!);
    expect((await browser.send(loginPage, { email: 'emilia@example.org', password }, { keep: 'hidden' })).statusCode).toBe(303);
    keepCookies();

    // A rapporteur account, made in the workspace with a password of its own.
    const usersPage = await browser.open('/admin/users');
    secrets.add(formOf(usersPage, 'main form.admin-form').hidden._csrf!);
    const rapporteurPassword = 'rapporteur secret 22';
    secrets.add(rapporteurPassword);
    const created = await browser.send(usersPage, { name: 'Rapporteur', email: 'rapporteur@example.org', role: 'rapporteur', password: rapporteurPassword }, { form: 'main form.admin-form' });
    expect(created.statusCode, created.body.slice(0, 300)).toBe(303);

    // A script: signs in, makes an API token, uses it, changes the password, signs out; and fails.
    const signedIn = await apiSignIn(t.app, { email: 'rapporteur@example.org', password: rapporteurPassword });
    expect(signedIn.statusCode).toBe(200);
    const cookie = sessionCookie(signedIn);
    secrets.add(cookie.cookie.split('=')[1]!);
    const { token } = ok<{ token: string }>(await apiAs(t.app, cookie).post('/api/v1/tokens', { name: 'script' }), 201);
    secrets.add(token);
    const bearer = { authorization: `Bearer ${token}` };
    expect(ok<{ user: { email: string } }>(await apiAs(t.app, bearer).get('/api/v1/auth/me')).user.email).toBe('rapporteur@example.org');
    const newPassword = 'rapporteur secret 333';
    secrets.add(newPassword);
    expect((await apiAs(t.app, cookie).post('/api/v1/auth/password', { currentPassword: rapporteurPassword, newPassword })).statusCode).toBe(204);
    expect((await apiAs(t.app, cookie).post('/api/v1/auth/password', { currentPassword: 'not it at all 4444', newPassword: 'whatever it is 55555' })).statusCode).toBe(422);
    secrets.add('not it at all 4444').add('whatever it is 55555');
    expect((await apiAs(t.app, cookie).post('/api/v1/tokens', { name: '' })).statusCode).toBe(422);
    expect((await apiAs(t.app, cookie).post('/api/v1/auth/logout', {})).statusCode).toBe(204);
    expect((await apiSignIn(t.app, { email: 'rapporteur@example.org', password: 'yet another guess 6' })).statusCode).toBe(401);
    secrets.add('yet another guess 6');

    // An agenda: made, opened, changed, subscribed to; and addresses that do not exist.
    const agenda = ok<{ agenda: string; calendar: string }>(await t.app.inject({ method: 'POST', url: '/my', headers: { accept: 'application/json' }, payload: { event: FORUM_2019 } }), 201);
    const agendaToken = /^\/my\/([A-Za-z0-9_-]+)/.exec(agenda.agenda)![1]!;
    secrets.add(agendaToken);
    expect((await t.app.inject(agenda.agenda)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: agenda.agenda, headers: { accept: 'application/json' }, payload: { session: [] } })).statusCode).toBe(200);
    expect((await t.app.inject(agenda.calendar)).statusCode).toBe(200);
    expect((await t.app.inject(`${agenda.calendar}?lang=en&token=${agendaToken}`)).statusCode).toBe(200);
    const made = `${'Q'.repeat(43)}`;
    secrets.add(made);
    expect((await t.app.inject(`/my/${made}/calendar.ics`)).statusCode).toBe(404);
    expect((await t.app.inject(`/setup/${made}`)).statusCode).toBe(404);
    // A message's stop link: its token stops someone's messages.
    expect((await t.app.inject(`/stop/${made}`)).statusCode).toBe(404);
    expect((await t.app.inject('/events/no-such-event')).statusCode).toBe(404);

    const log = raw.join('');
    for (const secret of secrets) {
      const lines = raw.filter((l) => l.includes(secret));
      expect(lines, `the log shows ${secret}`).toEqual(secret === setupPath.slice(7) ? setupLines : []);
    }
    expect(log).toContain('"url":"/my/[redacted]/calendar.ics"');
    expect(log).toContain('"url":"/setup/[redacted]"');
    expect(log).toContain('"url":"/stop/[redacted]"');
    expect(log).toContain('"url":"/my/[redacted]/calendar.ics?lang=en&token=[redacted]"');

    const lines = raw.map((l) => JSON.parse(l) as LogLine);
    const ofRequests = lines.filter((l) => l.req !== undefined || l.res !== undefined);
    expect(ofRequests.length).toBeGreaterThan(40);
    for (const line of ofRequests) expect(line.reqId, JSON.stringify(line)).toMatch(UUID);
    // One incoming line and one completed line per request id.
    const ids = ofRequests.filter((l) => l.msg === 'incoming request').map((l) => l.reqId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ofRequests.filter((l) => l.msg === 'request completed').map((l) => l.reqId)).toEqual(ids);
  });

  test('a logged object with headers or a body shows neither Authorization, Cookie nor a password', async () => {
    let raw: string[];
    ({ t, raw } = await appWithLog());
    raw.length = 0;
    t.app.log.info({ headers: { authorization: 'Bearer s3cret-token', cookie: 'forum_session=s3cret-cookie', accept: 'text/html' }, body: { email: 'a@example.org', password: 's3cret-password' } }, 'careless');
    expect(JSON.parse(raw[0]!)).toMatchObject({ headers: { authorization: '[redacted]', cookie: '[redacted]', accept: 'text/html' }, body: { email: 'a@example.org', password: '[redacted]' } });
  });

  test('each answer names its request id, the one of its log lines; a proxy\'s id is taken only when configured and well formed', async () => {
    let raw: string[];
    ({ t, raw } = await appWithLog({ LOG_LEVEL: 'info' }));
    const plain = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'from-the-client' } });
    const id = plain.headers['x-request-id'] as string;
    expect(id).toMatch(UUID);
    expect(raw.map((l) => JSON.parse(l) as LogLine).filter((l) => l.reqId === id).map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    await t.close();

    ({ t, raw } = await appWithLog({ LOG_LEVEL: 'info', REQUEST_ID_HEADER: 'X-Request-Id' }));
    expect((await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'proxy-1234.abcd' } })).headers['x-request-id']).toBe('proxy-1234.abcd');
    for (const bad of ['two words', 'line\u2028break', '"quoted"', 'x'.repeat(129)]) {
      expect((await t.app.inject({ url: '/healthz', headers: { 'x-request-id': bad } })).headers['x-request-id']).toMatch(UUID);
    }
  });
});
