import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SESSION_COOKIE } from '../../../server/web/shared/auth.ts';
import { startLoginSession } from '../../../server/domains/accounts/service.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { apiAs } from '../../helpers/api.ts';
import { addUser, apiSignIn } from '../../helpers/auth.ts';

const DAY = 24 * 3600 * 1000;

describe('sign-in sessions expire', () => {
  let t: TestApp;
  let clock = new Date('2026-11-01T08:00:00Z');
  beforeAll(async () => { t = await buildTestApp({ now: () => clock }); });
  afterAll(async () => { await t.close(); });

  const me = (token: string) => apiAs(t.app, { cookie: `${SESSION_COOKIE}=${token}` }, { language: null }).get('/api/v1/auth/me');

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

describe('expired sign-in sessions are deleted when someone signs in', () => {
  let t: TestApp;
  let clock = new Date('2026-11-01T08:00:00Z');
  beforeAll(async () => { t = await buildTestApp({ now: () => clock }); });
  afterAll(async () => { await t.close(); });

  const start = new Date('2026-11-01T08:00:00Z').getTime();
  /** Every row of login_sessions, read with SQL from the test's database file (times in ms since the start). */
  function rows(): { id: number; user_id: number; created: number; last_seen: number; expires: number }[] {
    const db = new Database(t.config.databasePath, { readonly: true });
    try {
      return db.prepare(`select id, user_id, created_at - ? as created, last_seen_at - ? as last_seen, expires_at - ? as expires
        from login_sessions order by id`).all(start, start, start) as ReturnType<typeof rows>;
    } finally {
      db.close();
    }
  }

  test('an expired session stays in the table until anyone signs in, then it is gone; a live one stays', async () => {
    const expired = await addUser(t.app, 'organiser');
    const onTheDot = await addUser(t.app, 'organiser');
    const live = await addUser(t.app, 'rapporteur');
    const newcomer = await addUser(t.app, 'organiser');
    // Sessions unused since they began: each ends seven days after it.
    const expiredToken = startLoginSession(t.app.db, expired.id, new Date(start)).token;
    startLoginSession(t.app.db, onTheDot.id, new Date(start + DAY));
    startLoginSession(t.app.db, live.id, new Date(start + DAY + 1));
    const before = [
      { id: 1, user_id: expired.id, created: 0, last_seen: 0, expires: 7 * DAY },
      { id: 2, user_id: onTheDot.id, created: DAY, last_seen: DAY, expires: 8 * DAY },
      { id: 3, user_id: live.id, created: DAY + 1, last_seen: DAY + 1, expires: 8 * DAY + 1 },
    ];
    expect(rows()).toEqual(before);

    // Day 8: the first has been over for a day, the second ends this very instant (the lookup
    // refuses it already: a session lives while expires_at > now), the third a millisecond later.
    clock = new Date(start + 8 * DAY);
    // Being refused deletes nothing: only a sign-in does.
    const refused = await apiAs(t.app, { cookie: `${SESSION_COOKIE}=${expiredToken}` }, { language: null }).get('/api/v1/auth/me');
    expect(refused.statusCode).toBe(401);
    expect(rows()).toEqual(before);

    // Someone else signs in, through the API as a script would.
    const signIn = await apiSignIn(t.app, newcomer);
    expect(signIn.statusCode, signIn.body).toBe(200);
    expect(rows()).toEqual([
      { id: 3, user_id: live.id, created: DAY + 1, last_seen: DAY + 1, expires: 8 * DAY + 1 },
      { id: 4, user_id: newcomer.id, created: 8 * DAY, last_seen: 8 * DAY, expires: 15 * DAY },
    ]);
  });
});
