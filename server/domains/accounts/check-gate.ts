// Password checks cost about a quarter of a second of a processor each (scrypt, 32 MiB): without
// a bound, a flood of cheap sign-in requests would buy that much work each, and starve every
// other request of processors and of the thread pool that reads files. So checks run a few at a
// time, the rest wait in a short queue, and one client address may hold only a few places in it:
// beyond, the attempt is refused at once (429, Retry-After: 1) without any hashing. A refusal
// here says "busy", never "locked": it counts no failure and ends with the flood.
import { availableParallelism } from 'node:os';
import { TooManyRequestsError } from '../../errors.ts';

export interface CheckGateOptions {
  /** Checks running at once; half the processors, so pages keep the other half. */
  concurrent: number;
  /** Checks waiting, all addresses together. */
  queued: number;
  /** Checks running or waiting for one client address (a venue's many people share one). */
  perAddress: number;
}

export const CHECK_GATE: CheckGateOptions = {
  concurrent: Math.max(1, Math.floor(availableParallelism() / 2)),
  queued: 64,
  perAddress: 8,
};

export class CheckGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly byAddress = new Map<string, number>();

  constructor(private readonly options: CheckGateOptions = CHECK_GATE) {}

  /** Runs the check when a place is free; refuses at once when the queue, or this address's share, is full. */
  async run<T>(address: string, check: () => Promise<T>): Promise<T> {
    const mine = this.byAddress.get(address) ?? 0;
    const mustWait = this.running >= this.options.concurrent;
    if (mine >= this.options.perAddress || (mustWait && this.waiting.length >= this.options.queued)) {
      throw new TooManyRequestsError('Too many sign-ins at once: try again in a moment', 1);
    }
    this.byAddress.set(address, mine + 1);
    try {
      if (mustWait) await new Promise<void>((resolve) => this.waiting.push(resolve));
      else this.running += 1;
      return await check();
    } finally {
      // The place passes to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
      const left = (this.byAddress.get(address) ?? 1) - 1;
      if (left === 0) this.byAddress.delete(address);
      else this.byAddress.set(address, left);
    }
  }

  /** Checks running and waiting (for tests). */
  get load(): { running: number; waiting: number; addresses: number } {
    return { running: this.running, waiting: this.waiting.length, addresses: this.byAddress.size };
  }
}
