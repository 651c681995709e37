// The e-mail field is checked in time linear in its length, and its length first: an address of
// 100 KB ("a@", 100,000 dots, "@"), which once held the server 15 s, is refused at once, by the
// accounts form, the API and the service alike.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUser, EMAIL_PATTERN } from '../../../server/domains/accounts/service.ts';
import { UnprocessableError } from '../../../server/errors.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { apiAs } from '../../helpers/api.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { ADMIN_FORM, texts } from '../../helpers/browser.ts';

const HUGE = `a@${'.'.repeat(100_000)}@`;

describe('the e-mail field against slow input', () => {
  let t: TestApp;
  let organiser: TestUser;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser');
  });
  afterAll(async () => { await t.close(); });

  test('the pattern takes linear time and still says what an address is', () => {
    const pattern = new RegExp(EMAIL_PATTERN, 'u');
    const started = performance.now();
    for (const input of [HUGE, `a@${'b.'.repeat(50_000)}@`, `${'a'.repeat(100_000)}@b`, `a@b${'.c'.repeat(50_000)}.`]) expect(pattern.test(input)).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
    const verdicts = ['a@b.org', 'first.last+tag@mail.example.co.za', 'a@b', 'a@.b.org', 'a@b..org', 'a@b.org.', 'a b@c.org', 'a@b@c.org']
      .map((address) => [address, pattern.test(address)]);
    expect(verdicts).toEqual([
      ['a@b.org', true], ['first.last+tag@mail.example.co.za', true], ['a@b', false], ['a@.b.org', false],
      ['a@b..org', false], ['a@b.org.', false], ['a b@c.org', false], ['a@b@c.org', false],
    ]);
  });

  test('the accounts form refuses the 100 KB address at once (422), for its length alone', async () => {
    const browser = await signIn(t.app, organiser);
    const started = performance.now();
    const refused = await browser.submit('/admin/users', {
      email: HUGE, name: 'Sipho', role: 'rapporteur', password: 'a long enough password',
    }, { form: ADMIN_FORM });
    const elapsed = performance.now() - started;
    expect(refused.statusCode).toBe(422);
    expect(texts(refused.body, '.admin-error-summary li')).toEqual(['Adresse électronique : 254 caractères au plus.']);
    expect(elapsed).toBeLessThan(1000);
  });

  test('the API\'s sign-in and the service refuse it at once too', async () => {
    const started = performance.now();
    const login = await apiAs(t.app).post('/api/v1/auth/login', { email: HUGE, password: 'whatever it is' });
    expect(login.statusCode).toBe(422);
    expect(login.json().errors).toEqual([{ pointer: '#/email', detail: 'must NOT have more than 254 characters' }]);
    await expect(createUser(t.app.db, { email: HUGE, name: 'Sipho', password: 'a long enough password', role: 'rapporteur', eventId: null }, new Date()))
      .rejects.toEqual(new UnprocessableError([{ pointer: '#/email', code: 'email' }]));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
