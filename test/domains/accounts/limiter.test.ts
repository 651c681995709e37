// Wrong passwords are limited per client address and per account: the sixth within a minute
// is refused (429) without the password being checked; successes are not counted.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FailureLimiter } from '../../../server/domains/accounts/limiter.ts';
import { TooManyRequestsError } from '../../../server/errors.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { apiAs } from '../../helpers/api.ts';
import { addUser, apiSignIn, type TestUser } from '../../helpers/auth.ts';
import { Browser, texts } from '../../helpers/browser.ts';

const T0 = new Date('2026-03-02T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('sign-in limit', () => {
  let t: TestApp;
  let clock: Date;
  let user: TestUser;

  beforeEach(async () => {
    clock = T0;
    t = await buildTestApp({ now: () => clock });
    user = await addUser(t.app, 'organiser');
  });
  afterEach(async () => { await t.close(); });

  const signIn = (ip: string, email: string, password: string) =>
    new Browser(t.app, ip).submit('/login', { email, password }, { keep: 'hidden' });

  test('the sixth wrong password for one account within a minute gets the 429 page, even when right; a minute after the first failure it works', async () => {
    for (let i = 0; i < 5; i += 1) {
      clock = at(i);
      expect((await signIn(`10.0.1.${i}`, user.email, 'wrong password')).statusCode).toBe(401);
    }
    clock = at(5);
    const refused = await signIn('10.0.1.9', user.email, user.password);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('55');
    expect(texts(refused.body, 'h1')).toEqual(['Trop de demandes']);
    expect(refused.cookies.map((c) => c.name)).not.toContain('forum_session');

    clock = at(59.5);
    const stillRefused = await signIn('10.0.1.9', user.email.toUpperCase(), user.password);
    expect(stillRefused.statusCode).toBe(429);
    expect(stillRefused.headers['retry-after']).toBe('1');

    clock = at(60);
    expect((await signIn('10.0.1.9', user.email, user.password)).statusCode).toBe(303);
  });

  test('the sixth wrong password from one address gets 429 whatever the account; other addresses are not held back', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await signIn('10.0.2.1', `nobody${i}@example.org`, 'wrong password')).statusCode).toBe(401);
    }
    expect((await signIn('10.0.2.1', user.email, user.password)).statusCode).toBe(429);
    expect((await signIn('10.0.2.2', user.email, user.password)).statusCode).toBe(303);
  });

  test('successful sign-ins are not counted', async () => {
    for (let i = 0; i < 8; i += 1) expect((await signIn('10.0.3.1', user.email, user.password)).statusCode).toBe(303);
    for (let i = 0; i < 4; i += 1) expect((await signIn('10.0.3.1', user.email, 'wrong password')).statusCode).toBe(401);
    expect((await signIn('10.0.3.1', user.email, user.password)).statusCode).toBe(303);
    expect((await signIn('10.0.3.1', user.email, 'wrong password')).statusCode).toBe(401);
    expect((await signIn('10.0.3.1', user.email, user.password)).statusCode).toBe(429);
  });

  test('the API shares the limit and answers problem+json with Retry-After', async () => {
    const login = (password: string) => apiSignIn(t.app, { email: user.email, password }, '10.0.4.1');
    for (let i = 0; i < 3; i += 1) expect((await login('wrong password')).statusCode).toBe(401);
    for (let i = 0; i < 2; i += 1) expect((await signIn('10.0.4.1', user.email, 'wrong password')).statusCode).toBe(401);
    const refused = await login(user.password);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json()).toEqual({
      type: 'http://127.0.0.1:3000/api/docs#problem-too-many-requests',
      title: 'Trop de demandes',
      status: 429,
      detail: 'Too many wrong passwords: wait before trying again',
    });
  });

  test('wrong current passwords in a password change count too', async () => {
    const change = (currentPassword: string) => apiAs(t.app, user.bearer, { language: null })
      .post('/api/v1/auth/password', { currentPassword, newPassword: 'another long password' });
    for (let i = 0; i < 5; i += 1) expect((await change('wrong password')).statusCode).toBe(422);
    expect((await change(user.password)).statusCode).toBe(429);
    expect((await signIn('10.0.5.1', user.email, user.password)).statusCode).toBe(429);
  });

  test('parallel guesses are counted before they are checked: of ten at once, five are checked', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => signIn('10.0.6.1', user.email, 'wrong password')));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
  });
});

describe('FailureLimiter', () => {
  test('keeps at most maxKeys keys, dropping expired ones first, then the oldest', () => {
    const limiter = new FailureLimiter({ maxFailures: 2, windowMs: 1000, maxKeys: 3 });
    limiter.begin(['a'], new Date(0));
    limiter.begin(['b'], new Date(100));
    limiter.begin(['c'], new Date(1050));
    limiter.begin(['d'], new Date(1060));
    // a expired at 1000: dropped; b, c, d remain.
    expect(limiter.size).toBe(3);
    limiter.begin(['e'], new Date(1070));
    expect(limiter.size).toBe(3);
    // b (oldest) went: it may fail twice again.
    limiter.begin(['b'], new Date(1080));
    expect(() => limiter.begin(['b'], new Date(1090))).not.toThrow();
  });

  test('a success is not counted; the refusal says when to come back', () => {
    const limiter = new FailureLimiter({ maxFailures: 2, windowMs: 60_000 });
    limiter.begin(['k'], new Date(0)).succeeded();
    limiter.begin(['k'], new Date(1000));
    limiter.begin(['k'], new Date(2000));
    let refusal: unknown;
    try { limiter.begin(['k'], new Date(30_500)); } catch (error) { refusal = error; }
    expect(refusal).toBeInstanceOf(TooManyRequestsError);
    expect((refusal as TooManyRequestsError).headers).toEqual({ 'Retry-After': '31' });
  });
});
