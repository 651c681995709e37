// Nobody can lock an account out by guessing at it: wrong passwords slow their own client
// address for that account (429 with Retry-After, unchecked), while the owner, from an address
// that has not failed, always gets in; through the pages and the API alike.
import { randomBytes, scryptSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { v4 as uuidv4 } from 'uuid';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { UserRole } from '../../../server/db/schema.ts';
import { createApiToken } from '../../../server/domains/accounts/service.ts';
import { insertUser } from '../../../server/domains/accounts/repository.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { apiAs } from '../../helpers/api.ts';
import { apiSignIn, type TestUser } from '../../helpers/auth.ts';
import { Browser, texts } from '../../helpers/browser.ts';

let counter = 0;
/**
 * An account whose real scrypt hash has a low cost (N=2^10): a hash carries its parameters, so
 * the app checks it as it checks any other, in a millisecond rather than a quarter of a second,
 * and these tests of many wrong passwords stay fast. (Unknown addresses would be checked
 * against the app's full-cost decoy hash: the tests use real accounts only.)
 */
function quickUser(app: FastifyInstance, role: UserRole = 'rapporteur'): TestUser {
  counter += 1;
  const email = `quick${counter}@example.org`;
  const password = `correct horse ${counter} battery`;
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 32, { N: 1024, r: 8, p: 1 });
  const passwordHash = ['scrypt', 1024, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
  const now = new Date();
  const user = insertUser(app.db, { publicId: uuidv4(), email, name: `Quick ${counter}`, passwordHash, role, eventId: null, createdAt: now, updatedAt: now });
  const { token } = createApiToken(app.db, user.id, 'tests', now);
  return { id: user.id, publicId: user.publicId, email, password, bearer: { authorization: `Bearer ${token}` } };
}

const T0 = new Date('2026-03-02T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('sign-in limits', () => {
  let t: TestApp;
  let clock: Date;
  let rapporteur: TestUser;

  // One app for the file (building one costs seconds): each test has its own accounts and addresses.
  beforeAll(async () => { t = await buildTestApp({ now: () => clock }); });
  afterAll(async () => { await t.close(); });
  beforeEach(() => {
    clock = T0;
    rapporteur = quickUser(t.app);
  });

  const apiLogin = (password: string, address: string, email = rapporteur.email) => apiSignIn(t.app, { email, password }, address);
  const pageLogin = (address: string, email: string, password: string) =>
    new Browser(t.app, address).submit('/login', { email, password }, { keep: 'hidden' });

  test('five wrong passwords for a rapporteur\'s e-mail, then the right one from elsewhere: signed in (200 and a cookie)', async () => {
    for (let i = 0; i < 5; i += 1) expect((await apiLogin('wrong password', '203.0.113.5')).statusCode).toBe(401);
    const owner = await apiLogin(rapporteur.password, '192.0.2.10');
    expect(owner.statusCode).toBe(200);
    expect(owner.json().user.email).toBe(rapporteur.email);
    expect(owner.cookies.map((c) => c.name)).toContain('forum_session');
  });

  test('the guesser\'s own address waits 1 s after its fifth failure, then twice as long after each one: problem+json with Retry-After', async () => {
    for (let i = 0; i < 5; i += 1) expect((await apiLogin('wrong password', '203.0.113.6')).statusCode).toBe(401);
    const refused = await apiLogin(rapporteur.password, '203.0.113.6');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toEqual({
      type: 'http://127.0.0.1:3000/api/docs#problem-too-many-requests',
      title: 'Trop de demandes',
      status: 429,
      detail: 'Too many wrong passwords: wait before trying again',
    });
    clock = at(1);
    expect((await apiLogin('wrong password', '203.0.113.6')).statusCode).toBe(401);
    expect((await apiLogin(rapporteur.password, '203.0.113.6')).headers['retry-after']).toBe('2');
    clock = at(3);
    // The wait is over: the right password from that address works again.
    expect((await apiLogin(rapporteur.password, '203.0.113.6')).statusCode).toBe(200);
  });

  test('guesses from twenty addresses (the free failures of the account) hold back those addresses, not the owner at a new one; the sign-in page says 429', async () => {
    for (let a = 0; a < 20; a += 1) expect((await apiLogin('wrong password', `203.0.113.${a}`)).statusCode).toBe(401);
    // Each guessing address has failed once only, but the account is under attack: they wait with it.
    const guesser = await pageLogin('203.0.113.1', rapporteur.email, 'wrong password');
    expect(guesser.statusCode).toBe(429);
    expect(texts(guesser.body, 'h1')).toEqual(['Trop de demandes']);
    expect(guesser.cookies.map((c) => c.name)).not.toContain('forum_session');
    const owner = await pageLogin('192.0.2.20', rapporteur.email.toUpperCase(), rapporteur.password);
    expect(owner.statusCode).toBe(303);
    expect(owner.headers.location).toBe('/rapporteur');
  }, 60_000);

  test('five wrong passwords from the venue\'s one address, for five accounts, lock no one there out', async () => {
    const venue = '198.51.100.1';
    const colleagues = [quickUser(t.app, 'organiser'), quickUser(t.app)];
    const others = Array.from({ length: 5 }, () => quickUser(t.app));
    for (const other of others) expect((await pageLogin(venue, other.email, 'wrong password')).statusCode).toBe(401);
    for (const colleague of colleagues) expect((await pageLogin(venue, colleague.email, colleague.password)).statusCode).toBe(303);
    expect((await pageLogin(venue, rapporteur.email, rapporteur.password)).statusCode).toBe(303);
  });

  test('successful sign-ins are not counted, and forgive the typos made from that address', async () => {
    for (let i = 0; i < 3; i += 1) expect((await pageLogin('10.0.3.1', rapporteur.email, rapporteur.password)).statusCode).toBe(303);
    for (let i = 0; i < 4; i += 1) expect((await pageLogin('10.0.3.1', rapporteur.email, 'wrong password')).statusCode).toBe(401);
    expect((await pageLogin('10.0.3.1', rapporteur.email, rapporteur.password)).statusCode).toBe(303);
    for (let i = 0; i < 5; i += 1) expect((await pageLogin('10.0.3.1', rapporteur.email, 'wrong password')).statusCode).toBe(401);
    expect((await pageLogin('10.0.3.1', rapporteur.email, rapporteur.password)).statusCode).toBe(429);
  });

  test('wrong current passwords in a password change count for the address and account that sent them', async () => {
    const change = (currentPassword: string) => apiAs(t.app, rapporteur.bearer, { language: null, remoteAddress: '10.0.5.1' })
      .post('/api/v1/auth/password', { currentPassword, newPassword: 'another long password', revokeTokens: false });
    for (let i = 0; i < 5; i += 1) expect((await change('wrong password')).statusCode).toBe(422);
    expect((await change(rapporteur.password)).statusCode).toBe(429);
    expect((await pageLogin('10.0.5.1', rapporteur.email, rapporteur.password)).statusCode).toBe(429);
    expect((await pageLogin('10.0.5.2', rapporteur.email, rapporteur.password)).statusCode).toBe(303);
  });

  test('parallel guesses are counted before they are checked: of ten at once from one address, five are checked', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => apiLogin('wrong password', '10.0.6.1')));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
  });

  test('a flood from one address is refused at once beyond its share of the password checks, without hashing', async () => {
    // Twenty accounts, so that the limiter admits each attempt: only the check gate holds them back.
    const targets = Array.from({ length: 20 }, () => quickUser(t.app));
    const started = Date.now();
    const answers = await Promise.all(targets.map((target) => apiLogin('wrong password', '10.0.7.1', target.email)));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 401).length).toBe(8);
    expect(statuses.filter((s) => s === 429).length).toBe(12);
    expect(answers.find((a) => a.statusCode === 429)!.json().detail).toBe('Too many sign-ins at once: try again in a moment');
    // Meanwhile another address is served (it waits only for the checks in front of it).
    expect((await apiLogin(rapporteur.password, '192.0.2.30')).statusCode).toBe(200);
    expect(t.app.signInGate.load).toEqual({ running: 0, waiting: 0, addresses: 0 });
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);
});

describe('sign-in limits behind a reverse proxy', () => {
  const login = (app: FastifyInstance, user: TestUser, password: string, peer: string, forwardedFor: string) => app.inject({
    method: 'POST', url: '/api/v1/auth/login', remoteAddress: peer,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    payload: JSON.stringify({ email: user.email, password }),
  });

  test('with TRUST_PROXY naming the proxy, clients are told apart by the address it forwards: a guesser behind it does not hold back the owner behind it', async () => {
    const t = await buildTestApp({ env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      const owner = quickUser(t.app);
      const statuses = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await login(t.app, owner, 'wrong password', '127.0.0.1', '203.0.113.5')).statusCode);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      expect((await login(t.app, owner, owner.password, '127.0.0.1', '198.51.100.20')).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  test('without TRUST_PROXY, a client that writes X-Forwarded-For itself does not escape its own count', async () => {
    const t = await buildTestApp();
    try {
      const owner = quickUser(t.app);
      const statuses = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await login(t.app, owner, 'wrong password', '203.0.113.5', `198.51.100.${i}`)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    } finally {
      await t.close();
    }
  });
});
