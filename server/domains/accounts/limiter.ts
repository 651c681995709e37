// Wrong passwords per client address and per e-mail address, in a sliding window.
//
// Not @fastify/rate-limit: it counts every request, and a sign-in limit must count only the
// failures (an organiser who signs in ten times a minute from the venue is not guessing).
// In memory, per app instance: a restart forgets the counts, which costs a guesser nothing
// they could not get by waiting a minute.
import { TooManyRequestsError } from '../../errors.ts';

export interface FailureLimiterOptions {
  /** Failures allowed per key within the window; the next attempt is refused. */
  maxFailures: number;
  windowMs: number;
  /** Beyond this many keys the oldest are dropped, so that a flood of addresses cannot fill the memory. */
  maxKeys?: number;
}

/** An attempt under way: counted as a failure unless it turns out to succeed. */
export interface Attempt {
  succeeded(): void;
}

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxKeys: number;

  constructor(private readonly options: FailureLimiterOptions) {
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  private live(key: string, now: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const kept = times.filter((t) => t > now - this.options.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else if (kept.length !== times.length) this.failures.set(key, kept);
    return kept;
  }

  /**
   * Refuses with 429 when any key already has its fill of failures in the window; otherwise
   * counts the attempt as a failure at once, before the (slow) password check, so that
   * parallel guesses cannot all slip in ahead of their own failures. Call `succeeded()` on
   * the returned attempt when the password was right: successes are not counted.
   */
  begin(keys: string[], at: Date): Attempt {
    const now = at.getTime();
    let retryAt = 0;
    for (const key of keys) {
      const times = this.live(key, now);
      if (times.length >= this.options.maxFailures) retryAt = Math.max(retryAt, times[times.length - this.options.maxFailures]! + this.options.windowMs);
    }
    if (retryAt > 0) {
      throw new TooManyRequestsError('Too many wrong passwords: wait before trying again', (retryAt - now) / 1000);
    }
    for (const key of keys) {
      const times = this.failures.get(key) ?? [];
      times.push(now);
      // Re-inserted so that the Map's order stays oldest-used first, for the eviction below.
      this.failures.delete(key);
      this.failures.set(key, times);
    }
    this.evict(now);
    return {
      succeeded: () => {
        for (const key of keys) {
          const times = this.failures.get(key);
          const index = times?.lastIndexOf(now) ?? -1;
          if (times && index >= 0) {
            times.splice(index, 1);
            if (times.length === 0) this.failures.delete(key);
          }
        }
      },
    };
  }

  private evict(now: number): void {
    if (this.failures.size <= this.maxKeys) return;
    for (const key of [...this.failures.keys()]) this.live(key, now);
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.maxKeys) break;
      this.failures.delete(key);
    }
  }

  /** How many keys are held (for tests). */
  get size(): number {
    return this.failures.size;
  }
}

/** The keys a sign-in attempt counts against: the client address and the account's address. */
export function signInKeys(ip: string, email: string): string[] {
  return [`ip:${ip}`, `email:${email.trim().toLowerCase()}`];
}
