// Waiting in tests for what happens on its own (a sender's try, a server's arrival), bounded:
// each wait fails after its timeout with what it was waiting for and what there was.

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns something other than undefined or false; fails with `what` after `timeoutMs`. */
export async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 15_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(everyMs);
  }
}

/**
 * A list that a server fills, and its waiters: `arrived()` is called after each push, and
 * `waitFor(count)` resolves once the list holds `count` items, or fails saying what it holds.
 */
export function arrivals<T>(items: T[], describe: (count: number, timeoutMs: number) => string) {
  const waiters = new Set<() => void>();
  return {
    arrived: () => { for (const waiter of [...waiters]) waiter(); },
    waitFor(count: number, timeoutMs = 15_000): Promise<T[]> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (items.length < count) return;
          cleanup();
          resolve(items);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(describe(count, timeoutMs)));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
