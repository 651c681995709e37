// The small holes around an account, each closed: a sign-in's next address outside Latin-1, the
// CSRF secret kept across a sign-in, API tokens outliving a password change, a language cookie
// sent over plain HTTP, and a signed-in visitor's page marked for any cache.
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localPath } from '../../../server/web/shared/sign-in.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { apiAs } from '../../helpers/api.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { Browser, formOf, texts } from '../../helpers/browser.ts';

describe('account slips', () => {
  let t: TestApp;
  let organiser: TestUser;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
  });
  afterAll(async () => { await t.close(); });

  test('a next address with characters beyond Latin-1 is followed percent-encoded: 303 with the session cookie, never a 500', async () => {
    const browser = new Browser(t.app);
    const form = formOf((await browser.get('/login?next=%2F%E4%BC%9A%E8%AE%AE')).body);
    expect(form.hidden.next).toBe('/%E4%BC%9A%E8%AE%AE');
    const raw = await browser.post('/login', { ...form.hidden, next: '/会议?q=é#été', email: organiser.email, password: organiser.password });
    expect(raw.statusCode).toBe(303);
    expect(raw.headers.location).toBe('/%E4%BC%9A%E8%AE%AE?q=%C3%A9#%C3%A9t%C3%A9');
    expect(raw.cookies.map((c) => c.name)).toContain('forum_session');
    expect(localPath('/\uD800x')).toBe('/%EF%BF%BDx');
    expect(localPath('/a/../b?c=%20d')).toBe('/b?c=%20d');
    for (const next of ['/\u3000/evil.example', '/a\u00a0b', '/\u2028']) expect(localPath(next), JSON.stringify(next)).toBe('/');
  });

  test('signing in and out each drop the CSRF secret: a token of the page before no longer passes', async () => {
    const user = await addUser(t.app, 'rapporteur');
    const browser = new Browser(t.app);
    const before = formOf((await browser.get('/login')).body).hidden._csrf!;
    const secretBefore = browser.cookies.get('_csrf');
    const login = await browser.post('/login', { _csrf: before, email: user.email, password: user.password, next: '/' });
    expect(login.statusCode).toBe(303);
    expect(login.cookies.find((c) => c.name === '_csrf')).toMatchObject({ value: '', path: '/', httpOnly: true, sameSite: 'Strict' });
    // The token of the sign-in page forges nothing once signed in.
    expect((await browser.post('/logout', { _csrf: before })).statusCode).toBe(403);
    const page = await browser.get('/account/password');
    const secretSignedIn = browser.cookies.get('_csrf');
    expect(secretSignedIn).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(secretSignedIn).not.toBe(secretBefore);
    const signedInToken = formOf(page.body).hidden._csrf!;
    const logout = await browser.post('/logout', { _csrf: signedInToken });
    expect(logout.statusCode).toBe(303);
    expect(logout.cookies.find((c) => c.name === '_csrf')!.value).toBe('');
    expect(browser.cookies.has('_csrf')).toBe(false);
  });

  test('the password page offers to revoke the API tokens, ticked; kept ticked, they stop working, and the page says so', async () => {
    const user = await addUser(t.app, 'rapporteur');
    const browser = await signIn(t.app, user, { next: '/' });
    const page = await browser.get('/account/password');
    const $ = cheerio.load(page.body);
    expect($('#revoke-tokens').attr('checked')).toBe('checked');
    expect($('label[for="revoke-tokens"]').text()).toBe('Révoquer aussi mes jetons d\'API (les scripts qui s\'en servent cesseront de fonctionner)');
    const response = await browser.submit('/account/password', { currentPassword: user.password, newPassword: 'twelve chars or more', confirmation: 'twelve chars or more' }, { keep: 'all' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account/password?saved=tokens');
    expect(texts((await browser.get('/account/password?saved=tokens')).body, '.notice'))
      .toEqual(['Mot de passe changé. Vos connexions sur les autres appareils ont été fermées et vos jetons d\'API révoqués.']);
    const me = await apiAs(t.app, user.bearer).get('/api/v1/auth/me');
    expect(me.statusCode).toBe(401);
    expect(me.json().detail).toBe('The API token is not valid, or has been revoked');
  });

  test('unticked, the tokens keep working after the password change', async () => {
    const user = await addUser(t.app, 'rapporteur');
    const browser = await signIn(t.app, user, { next: '/' });
    const response = await browser.submit('/account/password', { currentPassword: user.password, newPassword: 'twelve chars or more', confirmation: 'twelve chars or more' }, { keep: 'hidden' });
    expect(response.headers.location).toBe('/account/password?saved=1');
    expect((await apiAs(t.app, user.bearer).get('/api/v1/auth/me')).statusCode).toBe(200);
  });

  test('the API\'s password change revokes every token by default, the caller\'s too; revokeTokens: false keeps them', async () => {
    const keeping = await addUser(t.app, 'rapporteur');
    const kept = await apiAs(t.app, keeping.bearer).post('/api/v1/auth/password', { currentPassword: keeping.password, newPassword: 'the new password', revokeTokens: false });
    expect(kept.statusCode).toBe(204);
    expect((await apiAs(t.app, keeping.bearer).get('/api/v1/auth/me')).statusCode).toBe(200);

    const revoking = await addUser(t.app, 'rapporteur');
    const other = (await apiAs(t.app, revoking.bearer).post('/api/v1/tokens', { name: 'second' })).json() as { token: string };
    const revoked = await apiAs(t.app, revoking.bearer).post('/api/v1/auth/password', { currentPassword: revoking.password, newPassword: 'the new password' });
    expect(revoked.statusCode).toBe(204);
    for (const bearer of [revoking.bearer, { authorization: `Bearer ${other.token}` }]) {
      expect((await apiAs(t.app, bearer).get('/api/v1/auth/me')).statusCode).toBe(401);
    }
  });

  test('a page answered to a signed-in visitor is private, no-cache; the same page to anyone else keeps its public caching', async () => {
    const anonymous = new Browser(t.app);
    const event = await anonymous.get(`/events/${FORUM_2019}`);
    const links = cheerio.load(event.body)('a[href^="/events/"]').map((_, a) => cheerio.load(a)('a').attr('href')!).get();
    const first = (kind: string) => links.find((href) => href.startsWith(`/events/${FORUM_2019}/${kind}/`))!.split(/[?#]/)[0]!;
    const pages = [
      '/', `/events/${FORUM_2019}`, `/events/${FORUM_2019}/now`, `/events/${FORUM_2019}/speakers`, `/events/${FORUM_2019}/outputs`,
      `/events/${FORUM_2019}/changes`, `/events/${FORUM_2019}/report`, `/events/${SEMINAR_2015}`, first('sessions'), first('speakers'),
    ];
    const browser = await signIn(t.app, await addUser(t.app, 'rapporteur'), { next: '/' });
    const seen: Record<string, [string | undefined, string | undefined]> = {};
    for (const url of pages) {
      const mine = await browser.get(url);
      const theirs = await new Browser(t.app).get(url);
      expect([mine.statusCode, theirs.statusCode], url).toEqual([200, 200]);
      seen[url] = [mine.headers['cache-control'] as string | undefined, theirs.headers['cache-control'] as string | undefined];
    }
    // The now page is revalidated by every reader (its own choice); signed in, it is private too.
    const publicPolicy = (url: string) => (url.endsWith('/now') ? 'no-cache' : 'public, max-age=0, s-maxage=60');
    expect(seen).toEqual(Object.fromEntries(pages.map((url) => [url, ['private, no-cache', publicPolicy(url)]])));
  });
});

describe('language cookie', () => {
  test('Secure when PUBLIC_URL is https, as the session cookie is; HttpOnly and SameSite=Lax always', async () => {
    for (const [publicUrl, secure] of [['https://forum.example.org', true], ['http://forum.example.org', undefined]] as const) {
      const t = await buildTestApp({ env: { PUBLIC_URL: publicUrl } });
      try {
        const response = await t.app.inject({ url: `/events/${FORUM_2019}?lang=es`, headers: { 'accept-language': 'fr' } });
        expect(response.statusCode).toBe(200);
        const cookie = response.cookies.find((c) => c.name === 'lang')!;
        expect({ value: cookie.value, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, secure: cookie.secure }, publicUrl)
          .toEqual({ value: 'es', httpOnly: true, sameSite: 'Lax', secure });
      } finally {
        await t.close();
      }
    }
  });
});
