import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SESSION_COOKIE } from '../../../server/web/shared/auth.ts';
import { startLoginSession } from '../../../server/domains/accounts/service.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';

const DAY = 24 * 3600 * 1000;

describe('sign-in sessions expire', () => {
  let t: TestApp;
  let clock = new Date('2026-11-01T08:00:00Z');
  beforeAll(async () => { t = await buildTestApp({ now: () => clock }); });
  afterAll(async () => { await t.close(); });

  const me = (token: string) => t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: `${SESSION_COOKIE}=${token}` } });

  test('a session unused for more than seven days is refused; each visit keeps it for seven more', async () => {
    const user = await addUser(t.app, 'organiser');
    const start = new Date('2026-11-01T08:00:00Z');
    const idle = startLoginSession(t.app.db, user.id, start).token;
    const visited = startLoginSession(t.app.db, user.id, start).token;

    clock = new Date(start.getTime() + 6 * DAY);
    expect((await me(idle)).statusCode).toBe(200);
    expect((await me(visited)).statusCode).toBe(200);

    clock = new Date(start.getTime() + 12 * DAY);
    // The idle one was last seen 6 days in, so it lives to day 13; a visit on day 12 extends it to day 19.
    expect((await me(visited)).statusCode).toBe(200);
    clock = new Date(start.getTime() + 14 * DAY);
    const refused = await me(idle);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toBe('Your sign-in has expired: sign in again');
    expect((await me(visited)).statusCode).toBe(200);
  });

  test('no session outlives thirty days, however often it is used', async () => {
    const user = await addUser(t.app, 'organiser');
    const start = new Date('2026-11-01T08:00:00Z');
    const token = startLoginSession(t.app.db, user.id, start).token;
    for (let day = 5; day <= 29; day += 4) {
      clock = new Date(start.getTime() + day * DAY);
      expect((await me(token)).statusCode, `day ${day}`).toBe(200);
    }
    clock = new Date(start.getTime() + 30 * DAY + 60_000);
    expect((await me(token)).statusCode).toBe(401);
  });
});
