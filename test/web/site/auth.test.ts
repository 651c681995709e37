// Signing in and out, and changing one's password, through the HTML forms as a browser does.
import * as cheerio from 'cheerio';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localPath } from '../../../server/web/shared/sign-in.ts';
import { loginSessions, users } from '../../../server/db/schema.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, apiSignIn, signIn, type TestUser } from '../../helpers/auth.ts';
import { Browser, formOf, texts } from '../../helpers/browser.ts';

function sessionCount(t: TestApp, userId: number): number {
  return t.app.db.select().from(loginSessions).where(eq(loginSessions.userId, userId)).all().length;
}

describe('sign-in pages', () => {
  let t: TestApp;
  let organiser: TestUser;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
  });
  afterAll(async () => { await t.close(); });

  test('the login form has labelled email and password fields, a CSRF token and the next address', async () => {
    const response = await new Browser(t.app).get('/login?next=%2Fevents%2Fx');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-store');
    const form = formOf(response.body);
    expect(form.action).toBe('/login');
    expect(Object.keys(form.hidden)).toEqual(['_csrf', 'next']);
    expect(form.hidden.next).toBe('/events/x');
    expect(form.hidden._csrf).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(texts(response.body, 'main label')).toEqual(['Adresse électronique', 'Mot de passe']);
  });

  test('a right password sets an HttpOnly, SameSite=Lax session cookie and goes to next; the layout then names the user', async () => {
    const browser = new Browser(t.app);
    const response = await browser.submit('/login?next=%2Fevents%2Fuclg-learning-forum-2019%3Flang%3Den', {
      email: organiser.email.toUpperCase(), password: organiser.password,
    }, { keep: 'hidden' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/events/uclg-learning-forum-2019?lang=en');
    const cookie = response.cookies.find((c) => c.name === 'forum_session')!;
    expect(cookie).toMatchObject({ path: '/', httpOnly: true, sameSite: 'Lax' });
    expect(cookie.secure).toBeUndefined();
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const page = await browser.get(`/events/${FORUM_2019}?lang=en`);
    expect(texts(page.body, '.account-bar__name')).toEqual(['Signed in as Aminata Diallo']);
    expect(texts(page.body, '.account-bar a')).toEqual(["Organisers' workspace", 'Change password']);
    expect(cheerio.load(page.body)('.account-bar a').first().attr('href')).toBe('/admin');
    const signOut = formOf(page.body, '.account-bar form');
    expect(signOut.action).toBe('/logout');
    expect(Object.keys(signOut.hidden)).toEqual(['_csrf']);
  });

  test('a wrong password, or an unknown address, gives the form again with 401, one generic message and the address typed', async () => {
    for (const email of [organiser.email, 'nobody@example.org']) {
      const browser = new Browser(t.app, '10.0.0.1');
      const response = await browser.submit('/login?next=%2Fx', { email, password: 'not the password' }, { keep: 'hidden' });
      expect(response.statusCode).toBe(401);
      expect(texts(response.body, '.form-error')).toEqual(['Adresse ou mot de passe incorrect.']);
      const form = formOf(response.body);
      expect(form.hidden.next).toBe('/x');
      expect(response.body).toContain(`name="email" value="${email}"`);
      expect(response.cookies.map((c) => c.name)).not.toContain('forum_session');
      expect(browser.cookies.has('forum_session')).toBe(false);
    }
  });

  test('after signing in, only a path of this site is followed; anything else goes home', async () => {
    expect(localPath('/events/a?b=1#c')).toBe('/events/a?b=1#c');
    expect(localPath(undefined)).toBe('/');
    for (const next of ['//evil.example', '/\\evil.example', 'https://evil.example/', '/\t/evil.example', 'javascript:alert(1)', '', 'events']) {
      expect(localPath(next), JSON.stringify(next)).toBe('/');
    }
    const browser = new Browser(t.app);
    const response = await browser.submit('/login?next=%2F%2Fevil.example', { email: organiser.email, password: organiser.password }, { keep: 'hidden' });
    expect(response.statusCode).toBe(303);
    // Not the other site: the organiser's own home, the workspace.
    expect(response.headers.location).toBe('/admin');
  });

  test('anonymous visitors of public pages get no cookie and no account bar', async () => {
    for (const url of ['/', `/events/${FORUM_2019}`, `/events/${FORUM_2019}/speakers`]) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['set-cookie'], url).toBeUndefined();
      expect(texts(response.body, '.account-bar'), url).toEqual([]);
    }
  });

  test('signing out through the header form deletes the session and clears the cookie; the old cookie signs in no more', async () => {
    const user = await addUser(t.app, 'rapporteur');
    const browser = await signIn(t.app, user, { next: '/' });
    const oldCookie = browser.cookies.get('forum_session')!;
    expect(sessionCount(t, user.id)).toBe(1);
    const page = await browser.get('/');
    const signOut = formOf(page.body, '.account-bar form');
    const response = await browser.post(signOut.action, signOut.hidden);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    const cleared = response.cookies.find((c) => c.name === 'forum_session')!;
    expect(cleared.value).toBe('');
    expect(browser.cookies.has('forum_session')).toBe(false);
    expect(sessionCount(t, user.id)).toBe(0);

    const withOldCookie = new Browser(t.app);
    withOldCookie.cookies.set('forum_session', oldCookie);
    const refused = await withOldCookie.get('/account/password');
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe('/login?next=%2Faccount%2Fpassword');
  });

  test('forms posted without a CSRF token, or with a wrong one, are refused with 403 and change nothing', async () => {
    const user = await addUser(t.app, 'organiser', FORUM_2019);
    const browser = await signIn(t.app, user, { next: '/' });
    const page = await browser.get('/account/password');
    const { hidden } = formOf(page.body);
    // A token made for another browser's secret is as wrong as a made-up one.
    const other = new Browser(t.app);
    const otherToken = formOf((await other.get('/login')).body).hidden._csrf!;
    const hashBefore = t.app.db.select().from(users).where(eq(users.id, user.id)).get()!.passwordHash;

    for (const token of [undefined, 'made-up', otherToken, `${hidden._csrf}x`]) {
      const csrf: Record<string, string> = token === undefined ? {} : { _csrf: token };
      const login = await new Browser(t.app).post('/login', { ...csrf, email: user.email, password: user.password, next: '/' });
      expect(login.statusCode).toBe(403);
      expect(login.cookies.map((c) => c.name)).not.toContain('forum_session');

      const change = await browser.post('/account/password', { ...csrf, currentPassword: user.password, newPassword: 'a brand new passphrase', confirmation: 'a brand new passphrase' });
      expect(change.statusCode).toBe(403);
      expect(texts(change.body, 'h1')).toEqual(['Accès refusé']);

      const logout = await browser.post('/logout', csrf);
      expect(logout.statusCode).toBe(403);
    }
    expect(sessionCount(t, user.id)).toBe(1);
    expect(t.app.db.select().from(users).where(eq(users.id, user.id)).get()!.passwordHash).toBe(hashBefore);
    expect((await browser.get('/account/password')).statusCode).toBe(200);
  });

  test('the password page needs a sign-in: a visit goes to the login form and back, a post gets 401', async () => {
    const browser = new Browser(t.app);
    const visit = await browser.get('/account/password');
    expect(visit.statusCode).toBe(303);
    expect(visit.headers.location).toBe('/login?next=%2Faccount%2Fpassword');
    const login = await browser.submit(visit.headers.location as string, { email: organiser.email, password: organiser.password }, { keep: 'hidden' });
    expect(login.headers.location).toBe('/account/password');
    expect((await browser.get('/account/password')).statusCode).toBe(200);

    const anonymous = new Browser(t.app);
    const { hidden } = formOf((await anonymous.get('/login')).body);
    const post = await anonymous.post('/account/password', { _csrf: hidden._csrf!, currentPassword: 'x', newPassword: 'y', confirmation: 'y' });
    expect(post.statusCode).toBe(401);
  });

  test('changing the password signs out the other browsers, keeps this one, and only the new password signs in', async () => {
    const user = await addUser(t.app, 'rapporteur');
    const here = await signIn(t.app, user, { next: '/' });
    const elsewhere = await signIn(t.app, user, { next: '/' });
    expect(sessionCount(t, user.id)).toBe(2);

    const response = await here.submit('/account/password', {
      currentPassword: user.password, newPassword: 'twelve chars or more', confirmation: 'twelve chars or more',
    }, { keep: 'hidden' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account/password?saved=1');
    const saved = await here.get('/account/password?saved=1');
    expect(saved.statusCode).toBe(200);
    expect(texts(saved.body, '.notice')).toEqual(['Mot de passe changé. Vos connexions sur les autres appareils ont été fermées.']);
    expect(sessionCount(t, user.id)).toBe(1);

    expect((await elsewhere.get('/account/password')).statusCode).toBe(303);
    const old = await new Browser(t.app, '10.0.0.2').submit('/login', { email: user.email, password: user.password }, { keep: 'hidden' });
    expect(old.statusCode).toBe(401);
    const fresh = await new Browser(t.app, '10.0.0.2').submit('/login', { email: user.email, password: 'twelve chars or more' }, { keep: 'hidden' });
    expect(fresh.statusCode).toBe(303);
  });

  test('the password form says what is wrong (422) and changes nothing', async () => {
    const user = await addUser(t.app, 'rapporteur');
    const browser = await signIn(t.app, user, { next: '/' });
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ currentPassword: 'wrong password here', newPassword: 'twelve chars or more', confirmation: 'twelve chars or more' },
        { '#current-password-error': 'Ce n\'est pas votre mot de passe actuel.' }],
      [{ currentPassword: user.password, newPassword: 'short', confirmation: 'short' },
        { '#new-password-error': 'Le mot de passe doit compter de 10 à 200 caractères.' }],
      [{ currentPassword: user.password, newPassword: 'twelve chars or more', confirmation: 'twelve chars or MORE' },
        { '#confirmation-error': 'Les deux mots de passe saisis sont différents.' }],
    ];
    for (const [fields, expected] of cases) {
      const response = await browser.submit('/account/password', fields, { keep: 'hidden' });
      expect(response.statusCode).toBe(422);
      expect(Object.fromEntries(Object.keys(expected).map((id) => [id, texts(response.body, id)[0]]))).toEqual(expected);
      expect(texts(response.body, '.field__error')).toEqual(Object.values(expected));
    }
    const check = await new Browser(t.app, '10.0.0.3').submit('/login', { email: user.email, password: user.password }, { keep: 'hidden' });
    expect(check.statusCode).toBe(303);
  });
});

describe('session cookie flags', () => {
  test('Secure only when PUBLIC_URL is https; HttpOnly and SameSite=Lax always', async () => {
    for (const [publicUrl, secure] of [['https://forum.example.org', true], ['http://forum.example.org', undefined]] as const) {
      const t = await buildTestApp({ env: { PUBLIC_URL: publicUrl } });
      try {
        const user = await addUser(t.app, 'organiser');
        const response = await new Browser(t.app).submit('/login', { email: user.email, password: user.password }, { keep: 'hidden' });
        const cookie = response.cookies.find((c) => c.name === 'forum_session')!;
        expect({ httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, secure: cookie.secure }, publicUrl).toEqual({ httpOnly: true, sameSite: 'Lax', secure });
        const api = await apiSignIn(t.app, user);
        const apiCookie = api.cookies.find((c) => c.name === 'forum_session')!;
        expect({ httpOnly: apiCookie.httpOnly, sameSite: apiCookie.sameSite, secure: apiCookie.secure }, publicUrl).toEqual({ httpOnly: true, sameSite: 'Lax', secure });
      } finally {
        await t.close();
      }
    }
  });
});
