// Wrong passwords slow a guesser down without ever locking the owner out.
//
// The rules (the numbers are SIGN_IN_LIMITS below):
//  1. Failures are counted per (client address, account) pair. A pair has 5 free failures;
//     after the 5th, and after each later one, it must wait, 1 s, then 2 s, 4 s… doubling up
//     to 15 minutes. A right password from the pair forgets its failures.
//  2. Failures are also counted per account, whatever the address: past 20 the account's own
//     backoff (same doubling) applies, but ONLY to addresses that have already tried and failed
//     for this account. An address that has not failed for it is never refused on its first
//     attempt: a right password from a new address always gets in, whoever else is guessing.
//     A guesser spread over many addresses gets one try per address, then waits with them all.
//  3. Failures are counted per address, whatever the account: past 100 (a venue puts hundreds
//     of people behind one address, generous on purpose) the address's backoff applies, again
//     ONLY to the accounts it has already failed for. Someone at the venue whose account has
//     no failure from there is never refused because a neighbour is guessing.
//  4. An attempt counts as pending from the moment it is admitted until its password check
//     ends, so parallel guesses cannot all slip in ahead of their own failures: past the free
//     tries, a pair has one attempt at a time, and a pair with one pending is "one that tried".
//  5. A record is forgotten a day after its last failure; each table keeps at most `maxKeys`
//     records, dropping the least recently failed first, so a flood of addresses or made-up
//     accounts cannot fill the memory (evicting a record costs the flood a failed, slow check).
// Not @fastify/rate-limit: it counts every request, and these count failures only (an
// organiser who signs in ten times a minute is not guessing). In memory, per app instance: a
// restart forgets the counts, which gives a guesser no more than 5 tries per pair.
import { TooManyRequestsError } from '../../errors.ts';

export interface BackoffRule {
  /** Failures allowed before any wait. */
  free: number;
  /** The wait after the `free`-th failure; it doubles with each later one. */
  baseMs: number;
  capMs: number;
}

export interface SignInLimits {
  pair: BackoffRule;
  account: BackoffRule;
  address: BackoffRule;
  /** A record whose last failure is older than this is forgotten. */
  forgetAfterMs: number;
  /** Records kept per table (pairs, accounts, addresses). */
  maxKeys: number;
}

const MINUTE = 60_000;
export const SIGN_IN_LIMITS: SignInLimits = {
  pair: { free: 5, baseMs: 1000, capMs: 15 * MINUTE },
  account: { free: 20, baseMs: 1000, capMs: 15 * MINUTE },
  address: { free: 100, baseMs: 1000, capMs: 15 * MINUTE },
  forgetAfterMs: 24 * 60 * MINUTE,
  maxKeys: 100_000,
};

interface Record {
  failures: number;
  pending: number;
  lastFailureAt: number;
  blockedUntil: number;
}

/** One table of records, least recently failed first (a Map iterates in insertion order). */
class Records {
  private readonly map = new Map<string, Record>();

  constructor(private readonly limits: SignInLimits) {}

  find(key: string, now: number): Record | undefined {
    const record = this.map.get(key);
    if (record && record.pending === 0 && now - record.lastFailureAt > this.limits.forgetAfterMs) {
      this.map.delete(key);
      return undefined;
    }
    return record;
  }

  /** The record, made if absent, moved to the most recent end. */
  touch(key: string, now: number): Record {
    const record = this.find(key, now) ?? { failures: 0, pending: 0, lastFailureAt: now, blockedUntil: 0 };
    this.map.delete(key);
    this.map.set(key, record);
    for (const oldest of this.map.keys()) {
      if (this.map.size <= this.limits.maxKeys) break;
      this.map.delete(oldest);
    }
    return record;
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}

/** The wait after a record's latest failure, by the rule: none within the free tries. */
export function backoffMs(rule: BackoffRule, failures: number): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.baseMs * 2 ** Math.min(failures - rule.free, 40), rule.capMs);
}

/** An attempt admitted: say how its password check ended, exactly once. */
export interface Attempt {
  succeeded(): void;
  /** The password was wrong; `at` is when the check ended. */
  failed(at: Date): void;
  /** Nothing was checked (the check was refused as busy, or broke): neither a failure nor a success. */
  abandoned(): void;
}

export class SignInLimiter {
  private readonly pairs: Records;
  private readonly accounts: Records;
  private readonly addresses: Records;

  constructor(private readonly limits: SignInLimits = SIGN_IN_LIMITS) {
    this.pairs = new Records(limits);
    this.accounts = new Records(limits);
    this.addresses = new Records(limits);
  }

  /**
   * Admits an attempt by this address for this account (any string: an account that does not
   * exist is counted the same, so the answers do not tell which exist), or refuses it with 429
   * and Retry-After, before the password is looked at.
   */
  begin(address: string, email: string, at: Date): Attempt {
    const now = at.getTime();
    const account = email.trim().toLowerCase();
    const pairKey = `${address}\u0000${account}`;
    const pair = this.pairs.find(pairKey, now);
    let retryAt = 0;
    if (pair) {
      const tried = pair.failures + pair.pending;
      if (tried >= this.limits.pair.free) {
        if (now < pair.blockedUntil) retryAt = pair.blockedUntil;
        else if (pair.pending > 0) retryAt = now + 1000;
      }
      // Only an address that has tried for this account waits for the account or the address.
      if (tried > 0) {
        retryAt = Math.max(retryAt, this.blockedUntil(this.accounts, account, now), this.blockedUntil(this.addresses, address, now));
      }
    }
    if (retryAt > now) throw new TooManyRequestsError('Too many wrong passwords: wait before trying again', (retryAt - now) / 1000);

    const admitted = this.pairs.touch(pairKey, now);
    admitted.pending += 1;
    let done = false;
    const end = (outcome: 'succeeded' | 'abandoned' | Date) => {
      if (done) return;
      done = true;
      admitted.pending -= 1;
      if (outcome === 'abandoned') return;
      if (outcome === 'succeeded') {
        // The owner got in from here: this pair's past typos are forgiven, not the others' guesses.
        if (admitted.pending === 0) this.pairs.delete(pairKey);
        return;
      }
      const when = outcome.getTime();
      this.fail(this.pairs.touch(pairKey, when), this.limits.pair, when);
      this.fail(this.accounts.touch(account, when), this.limits.account, when);
      this.fail(this.addresses.touch(address, when), this.limits.address, when);
    };
    return { succeeded: () => end('succeeded'), failed: (failedAt) => end(failedAt), abandoned: () => end('abandoned') };
  }

  private blockedUntil(records: Records, key: string, now: number): number {
    const record = records.find(key, now);
    return record && now < record.blockedUntil ? record.blockedUntil : 0;
  }

  private fail(record: Record, rule: BackoffRule, now: number): void {
    record.failures += 1;
    record.lastFailureAt = now;
    const wait = backoffMs(rule, record.failures);
    if (wait > 0) record.blockedUntil = Math.max(record.blockedUntil, now + wait);
  }

  /** How many records each table holds (for tests of the memory bound). */
  get sizes(): { pairs: number; accounts: number; addresses: number } {
    return { pairs: this.pairs.size, accounts: this.accounts.size, addresses: this.addresses.size };
  }
}
