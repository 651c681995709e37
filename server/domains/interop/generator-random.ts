// The seeded randomness of the generated congress (generator.ts): never Math.random, so the
// same seed gives the same congress.
/** mulberry32: a small, fast, seeded PRNG with a 32-bit state; good enough for made-up programmes. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** 0 ≤ n < below. */
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  /** from ≤ n ≤ to. */
  between(from: number, to: number): number {
    return from + this.int(to - from + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  shuffled<T>(list: readonly T[]): T[] {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/**
 * Draws without repeating within a round (a time slot): a partial Fisher–Yates shuffle over a
 * pool kept between rounds, so a draw costs O(1) and nobody is in two parallel sessions by chance.
 */
export class Draw {
  private readonly pool: number[];
  private taken = 0;
  constructor(size: number, private readonly random: Random) {
    this.pool = Array.from({ length: size }, (_, i) => i);
  }
  newRound(): void {
    this.taken = 0;
  }
  /** The next one not yet drawn this round, or null when everyone has been. */
  next(): number | null {
    if (this.taken >= this.pool.length) return null;
    const j = this.taken + this.random.int(this.pool.length - this.taken);
    [this.pool[this.taken], this.pool[j]] = [this.pool[j]!, this.pool[this.taken]!];
    return this.pool[this.taken++]!;
  }
}
