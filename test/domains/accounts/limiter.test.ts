// The sign-in limiter's rules, on a clock of our own: failures slow their own (address, account)
// pair with a doubling wait; an account's or an address's many failures hold back only the
// pairs that failed; a right password from an address that has not failed always gets in.
import { describe, expect, test } from 'vitest';
import { backoffMs, SIGN_IN_LIMITS, SignInLimiter, type SignInLimits } from '../../../server/domains/accounts/limiter.ts';
import { CheckGate } from '../../../server/domains/accounts/check-gate.ts';
import { TooManyRequestsError } from '../../../server/errors.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms);

/** The Retry-After (seconds) of a refused attempt, or 'admitted' (the attempt then fails at once). */
function tryWrong(limiter: SignInLimiter, address: string, email: string, ms: number): number | 'admitted' {
  try {
    limiter.begin(address, email, at(ms)).failed(at(ms));
    return 'admitted';
  } catch (error) {
    if (!(error instanceof TooManyRequestsError)) throw error;
    return Number(error.headers['Retry-After']);
  }
}

function admits(limiter: SignInLimiter, address: string, email: string, ms: number): boolean {
  try {
    limiter.begin(address, email, at(ms)).succeeded();
    return true;
  } catch (error) {
    if (error instanceof TooManyRequestsError) return false;
    throw error;
  }
}

describe('backoff', () => {
  test('none within the free tries, then 1 s doubling up to the cap of 15 minutes', () => {
    expect([1, 4, 5, 6, 7, 8, 14, 15, 16, 500].map((n) => backoffMs(SIGN_IN_LIMITS.pair, n)))
      .toEqual([0, 0, 1000, 2000, 4000, 8000, 512_000, 900_000, 900_000, 900_000]);
  });
});

describe('SignInLimiter', () => {
  test('a pair has five free failures, then waits 1 s, 2 s, 4 s…; before the wait ends it is refused with the time left', () => {
    const limiter = new SignInLimiter();
    expect([0, 1, 2, 3, 4].map((i) => tryWrong(limiter, '10.0.0.1', 'owner@example.org', i))).toEqual(Array(5).fill('admitted'));
    // The fifth failure, at 4 ms, holds the pair until 1004 ms.
    expect(tryWrong(limiter, '10.0.0.1', 'owner@example.org', 500)).toBe(1);
    expect(tryWrong(limiter, '10.0.0.1', 'OWNER@example.org ', 1004)).toBe('admitted');
    expect(tryWrong(limiter, '10.0.0.1', 'owner@example.org', 1005)).toBe(2);
    expect(tryWrong(limiter, '10.0.0.1', 'owner@example.org', 3004)).toBe('admitted');
    expect(tryWrong(limiter, '10.0.0.1', 'owner@example.org', 3005)).toBe(4);
  });

  test('the owner, right, from an address that has not failed, gets in however many guesses hold the account back', () => {
    const limiter = new SignInLimiter();
    // A guesser spread over 200 addresses, five wrong passwords each: 1000 failures for the account.
    for (let a = 0; a < 200; a += 1) for (let i = 0; i < 5; i += 1) tryWrong(limiter, `10.1.${a >> 8}.${a & 255}`, 'owner@example.org', a * 10 + i);
    // The account's own backoff now holds back every address that failed for it, even on a first try of theirs…
    expect(tryWrong(limiter, '10.1.0.1', 'owner@example.org', 2500)).toBe(900);
    // …but not the owner, from an address that never failed for it.
    expect(admits(limiter, '192.0.2.7', 'owner@example.org', 2500)).toBe(true);
    expect(admits(limiter, '192.0.2.7', 'owner@example.org', 2600)).toBe(true);
  });

  test('each new address gets its first try, then waits with the account: a spray from many addresses is one guess per address', () => {
    const limiter = new SignInLimiter();
    const tries = Array.from({ length: 30 }, (_, a) => [tryWrong(limiter, `10.2.0.${a}`, 'target@example.org', a), tryWrong(limiter, `10.2.0.${a}`, 'target@example.org', a)]);
    // Twenty account failures are free; from the 20th on, each address that failed waits the account's doubling wait.
    expect(tries.slice(0, 10).every(([first, second]) => first === 'admitted' && second === 'admitted')).toBe(true);
    expect(tries.slice(10, 30).map(([first]) => first)).toEqual(Array(20).fill('admitted'));
    expect(tries.slice(10, 30).map(([, second]) => typeof second)).toEqual(Array(20).fill('number'));
  });

  test('the venue\'s one address: a neighbour guessing at many accounts never refuses an account with no failure from there', () => {
    const limiter = new SignInLimiter();
    const venue = '198.51.100.1';
    for (let i = 0; i < 300; i += 1) tryWrong(limiter, venue, `victim${i % 60}@example.org`, i);
    // The address passed its 100 free failures: accounts it failed for wait…
    expect(tryWrong(limiter, venue, 'victim1@example.org', 400)).toBeGreaterThan(0);
    // …a colleague at the venue, who has not failed, signs in.
    expect(admits(limiter, venue, 'colleague@example.org', 400)).toBe(true);
  });

  test('a right password forgives the pair\'s own failures, not the account\'s', () => {
    const limiter = new SignInLimiter();
    for (let i = 0; i < 4; i += 1) tryWrong(limiter, '10.3.0.1', 'typo@example.org', i);
    expect(admits(limiter, '10.3.0.1', 'typo@example.org', 10)).toBe(true);
    expect([20, 21, 22, 23, 24].map((ms) => tryWrong(limiter, '10.3.0.1', 'typo@example.org', ms))).toEqual(Array(5).fill('admitted'));
    expect(tryWrong(limiter, '10.3.0.1', 'typo@example.org', 25)).toBe(1);
  });

  test('parallel guesses count before they are checked: past the free tries, a pair has one attempt at a time', () => {
    const limiter = new SignInLimiter();
    const outcomes = Array.from({ length: 10 }, () => {
      try {
        return limiter.begin('10.4.0.1', 'owner@example.org', at(0));
      } catch (error) {
        return error instanceof TooManyRequestsError ? null : Promise.reject(error);
      }
    });
    expect(outcomes.map((o) => o !== null)).toEqual([true, true, true, true, true, false, false, false, false, false]);
    // An abandoned attempt (the check never ran) counts as neither a failure nor a success.
    for (const attempt of outcomes.slice(0, 5)) (attempt as { abandoned(): void }).abandoned();
    expect([1, 2, 3, 4, 5].map((ms) => tryWrong(limiter, '10.4.0.1', 'owner@example.org', ms))).toEqual(Array(5).fill('admitted'));
  });

  test('records are forgotten a day after their last failure, and each table holds at most maxKeys', () => {
    const limits: SignInLimits = { ...SIGN_IN_LIMITS, maxKeys: 50 };
    const limiter = new SignInLimiter(limits);
    for (let i = 0; i < 5; i += 1) tryWrong(limiter, '10.5.0.1', 'owner@example.org', i);
    expect(tryWrong(limiter, '10.5.0.1', 'owner@example.org', 10)).toBe(1);
    for (let i = 0; i < 1000; i += 1) tryWrong(limiter, `10.6.${i >> 8}.${i & 255}`, `nobody${i}@example.org`, 100 + i);
    expect(limiter.sizes).toEqual({ pairs: 50, accounts: 50, addresses: 50 });

    const forgetting = new SignInLimiter();
    for (let i = 0; i < 5; i += 1) tryWrong(forgetting, '10.7.0.1', 'owner@example.org', i);
    const day = SIGN_IN_LIMITS.forgetAfterMs;
    expect([day + 5, day + 6, day + 7, day + 8, day + 9].map((ms) => tryWrong(forgetting, '10.7.0.1', 'owner@example.org', ms))).toEqual(Array(5).fill('admitted'));
  });
});

describe('CheckGate', () => {
  test('runs a few checks at once, queues a bounded number, and refuses an address beyond its share without running it', async () => {
    const gate = new CheckGate({ concurrent: 1, queued: 3, perAddress: 2 });
    const release: (() => void)[] = [];
    const started: string[] = [];
    const check = (name: string) => () => new Promise<string>((resolve) => { started.push(name); release.push(() => resolve(name)); });
    const refused = (promise: Promise<unknown>) => promise.then(() => 'ran', (error) => (error instanceof TooManyRequestsError ? Number(error.headers['Retry-After']) : error));

    const a1 = gate.run('a', check('a1'));
    const a2 = gate.run('a', check('a2'));
    const a3 = refused(gate.run('a', check('a3')));
    const b1 = gate.run('b', check('b1'));
    const c1 = gate.run('c', check('c1'));
    const d1 = refused(gate.run('d', check('d1')));
    expect(await a3).toBe(1);
    expect(await d1).toBe(1);
    expect(gate.load).toEqual({ running: 1, waiting: 3, addresses: 3 });
    for (let i = 0; i < 4; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      release.shift()!();
    }
    expect(await Promise.all([a1, a2, b1, c1])).toEqual(['a1', 'a2', 'b1', 'c1']);
    expect(started).toEqual(['a1', 'a2', 'b1', 'c1']);
    expect(gate.load).toEqual({ running: 0, waiting: 0, addresses: 0 });
  });
});
