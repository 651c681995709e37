// Load over loopback with autocannon, and the small statistics the bench needs.
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const CONNECTIONS = 50;
/** Long enough for the JIT to compile what a page runs, and for caches to fill. */
export const WARM_SECONDS = 1;

const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;

/** Whether BENCH_ONLY (a regular expression) selects this measurement; every one without it. */
export function selected(id: string): boolean {
  return only === null || only.test(id);
}

export const subset = only !== null;

export interface Load {
  /** Mean of the per-second request counts. */
  rps: number;
  p50: number;
  p99: number;
  /** Answers measured, and those that were not the expected status. */
  total: number;
  unexpected: number;
  errors: number;
}

export async function load(url: string, headers: Record<string, string>, expectedStatus: number, seconds = SECONDS): Promise<Load> {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds });
  const expected = result.statusCodeStats?.[String(expectedStatus) as `${number}`]?.count ?? 0;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    unexpected: result.requests.total - expected,
    errors: result.errors,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the server has finished the requests autocannon abandoned when its time was up
 * (the server still renders them): until two requests in a row answer quickly. Without this,
 * a slow page's backlog of up to 50 requests would be counted against the next measurement.
 */
export async function settle(url: string, timeoutMs = 15_000): Promise<void> {
  const probe = new URL('/healthz', url).href;
  const deadline = performance.now() + timeoutMs;
  let quick = 0;
  while (quick < 2 && performance.now() < deadline) {
    const start = performance.now();
    try {
      await fetch(probe, { signal: AbortSignal.timeout(timeoutMs) }).then((response) => response.arrayBuffer());
    } catch {
      // Counted as slow.
    }
    quick = performance.now() - start < 20 ? quick + 1 : 0;
    if (quick < 2) await sleep(20);
  }
}

/** Warms `url` for WARM_SECONDS, then measures it for SECONDS; the server is settled before and after. */
export async function warmAndLoad(url: string, headers: Record<string, string>, expectedStatus: number, warmSeconds = WARM_SECONDS): Promise<Load> {
  await autocannon({ url, headers, connections: CONNECTIONS, duration: warmSeconds });
  await settle(url);
  const measured = await load(url, headers, expectedStatus);
  await settle(url);
  return measured;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median time of `runs` calls after one that is not counted (it compiles the code). */
export function timeMedian(runs: number, fn: () => unknown): { ms: number; runs: number[] } {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return { ms: median(times), runs: times };
}
