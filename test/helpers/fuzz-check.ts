// What every fuzzed request must hold to, checked on each one: no 5xx, an answer within a time
// bound, a refusal that changed nothing in the database (every table compared, not only a
// count), and for the API a problem document with a type and a title. Then, after a run, the
// database's own integrity checks and every public page of every event answering 200.
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Response } from 'light-my-request';
import { findEventBySlug } from '../../server/domains/programme/repository.ts';
import { pendingRelease } from '../../server/domains/releases/service.ts';
import { release } from './releases.ts';

/** Generous for a loaded two-core machine: the point is to catch quadratic blow-ups and walks over far dates, not to time. */
export const RESPONSE_BOUND_MS = Number(process.env.FUZZ_BOUND_MS ?? 2_000);
/**
 * A request that checks a password pays for scrypt on purpose (a quarter of a second of a
 * processor, queued a few at a time by the check gate): its bound allows for that cost under
 * load, and is still far below what a hang or a blow-up would take.
 */
export const PASSWORD_BOUND_MS = RESPONSE_BOUND_MS * 3;
const CHECKS_A_PASSWORD = /^\/(?:api\/v1\/auth\/(?:login|password)|login|account\/password|setup\/|admin\/users)/;

export function boundFor(url: string): number {
  return CHECKS_A_PASSWORD.test(url) ? PASSWORD_BOUND_MS : RESPONSE_BOUND_MS;
}

type Client = FastifyInstance['db']['$client'];

/** Every row of every table, by table: equal exactly when the data is. */
export function tableDump(client: Client): Map<string, string> {
  const tables = client.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[];
  return new Map(tables.map(({ name }) => [name, JSON.stringify(client.prepare(`select * from "${name}" order by rowid`).raw().all())]));
}

export function totalChanges(client: Client): number {
  return (client.prepare('select total_changes() as n').get() as { n: number }).n;
}

/** The tables whose rows differ between two dumps. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

export interface Exchange {
  /** What the request was, for the failure message. */
  label: string;
  request: InjectOptions;
}

export interface FuzzStats {
  requests: number;
  byStatus: Record<number, number>;
  slowestMs: number;
  slowest: string;
  /** Statuses by route (the exchange's label up to " as "), to see what each route was made to answer. */
  byRoute: Record<string, Record<number, number>>;
}

function shown(value: unknown, max = 300): string {
  const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? `<${value.byteLength} bytes>` : JSON.stringify(value) ?? String(value);
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…(${text.length})` : text);
}

/**
 * Sends fuzzed requests and checks each. A dump of every table is taken again only when the
 * connection's change count moved (after a write that succeeded), so that checking a refusal
 * costs one count when it wrote nothing, and a full comparison when it wrote anything at all
 * (a rolled-back transaction counts changes too, and must leave the same rows).
 */
export class FuzzChecker {
  readonly stats: FuzzStats = { requests: 0, byStatus: {}, slowestMs: 0, slowest: '', byRoute: {} };
  private snapshot: { changes: number; dump: Map<string, string> } | null = null;

  /**
   * @param mayWrite tables a refusal of this request may legitimately change, with why: none
   *   unless a case is listed by the caller.
   */
  constructor(private readonly app: FastifyInstance, private readonly mayWrite: (exchange: Exchange, response: Response) => string[] = () => []) {}

  private before(): { changes: number; dump: Map<string, string> } {
    const changes = totalChanges(this.app.db.$client);
    if (!this.snapshot || this.snapshot.changes !== changes) this.snapshot = { changes, dump: tableDump(this.app.db.$client) };
    return this.snapshot;
  }

  /** Runs the request through the checks; a broken one throws, naming the request and the answer. */
  async send(exchange: Exchange): Promise<Response> {
    const before = this.before();
    const started = performance.now();
    const response = await this.app.inject(exchange.request);
    const elapsed = performance.now() - started;
    this.count(exchange, response.statusCode, elapsed);
    const what = () => `${exchange.label}: ${String(exchange.request.method)} ${shown(exchange.request.url, 200)} body ${shown(exchange.request.payload)} → ${response.statusCode} ${shown(response.body, 600)}`;
    if (response.statusCode >= 500) throw new Error(`5xx: ${what()}`);
    const bound = boundFor(String(exchange.request.url));
    if (elapsed > bound) throw new Error(`slower than ${bound} ms (${Math.round(elapsed)} ms): ${what()}`);
    if (response.statusCode >= 400) {
      if (totalChanges(this.app.db.$client) !== before.changes) {
        const allowed = this.mayWrite(exchange, response);
        const changed = changedTables(before.dump, tableDump(this.app.db.$client)).filter((t) => !allowed.includes(t));
        if (changed.length > 0) throw new Error(`a refused request changed ${changed.join(', ')}: ${what()}`);
      }
      if (String(exchange.request.url).startsWith('/api/')) checkProblem(response, what);
    }
    return response;
  }

  private count(exchange: Exchange, status: number, elapsed: number): void {
    this.stats.requests += 1;
    this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
    const route = (this.stats.byRoute[exchange.label.split(' as ')[0]!] ??= {});
    route[status] = (route[status] ?? 0) + 1;
    if (elapsed > this.stats.slowestMs) {
      this.stats.slowestMs = Math.round(elapsed);
      this.stats.slowest = `${String(exchange.request.method)} ${String(exchange.request.url).slice(0, 120)}`;
    }
  }
}

/** An API refusal is an RFC 9457 problem document: JSON, with a type, a title and its status. */
function checkProblem(response: Response, what: () => string): void {
  if (!String(response.headers['content-type'] ?? '').startsWith('application/problem+json')) throw new Error(`not problem+json: ${what()}`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    throw new Error(`a problem that is not JSON: ${what()}`);
  }
  if (typeof body.type !== 'string' || typeof body.title !== 'string' || body.status !== response.statusCode) throw new Error(`a problem without type, title or status: ${what()}`);
}

/** PRAGMA integrity_check and foreign_key_check, as the database reports them: ['ok'] and []. */
export function databaseChecks(app: FastifyInstance): { integrity: string[]; foreignKeys: unknown[] } {
  const client = app.db.$client;
  return {
    integrity: (client.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check),
    foreignKeys: client.pragma('foreign_key_check') as unknown[],
  };
}

/** Every public address of an event, from its released programme: pages, each session, part and speaker page, feeds, exports, report. */
async function publicAddresses(app: FastifyInstance, slug: string): Promise<string[]> {
  const page = `/events/${slug}`;
  const exported = await app.inject(`${page}/programme.json`);
  if (exported.statusCode !== 200) return [`${page}/programme.json`];
  const { parts, sessions } = exported.json() as { parts?: { id: string }[]; sessions?: { id: string }[] };
  const speakers = await app.inject(`${page}/speakers`);
  const speakerPages = [...new Set([...speakers.body.matchAll(new RegExp(`href="(${page}/speakers/[0-9a-f-]{36})"`, 'g'))].map((m) => m[1]!))];
  const ids = (list?: { id: string }[]) => (list ?? []).map((x) => x.id);
  return [
    page, `${page}/speakers`, `${page}/outputs`, `${page}/now`, `${page}/changes`, `${page}/report`, `${page}/report.md`, `${page}/report.json`,
    `${page}/calendar.ics`, `${page}/schedule.xml`, `${page}/schedule.json`, `${page}/sessions.csv`,
    ...ids(sessions).flatMap((id) => [`${page}/sessions/${id}`, `${page}/sessions/${id}/calendar.ics`]),
    ...ids(parts).flatMap((id) => [`${page}/parts/${id}`, `${page}/parts/${id}/calendar.ics`]),
    ...speakerPages.flatMap((url) => [url, `${url}/calendar.ics`]),
    `/api/v1/events/${slug}/programme`, `/api/v1/events/${slug}/report`, `/api/v1/events/${slug}/conclusions`,
  ];
}

/**
 * Releases every event (what the fuzz wrote becomes public), then reads every public address
 * of each, in French and in English. Answers the addresses that were not 200, with their
 * status, and how many were read.
 */
export async function releaseAndReadEverything(app: FastifyInstance): Promise<{ failures: string[]; read: number; slowestMs: number }> {
  // From the table: events the fuzz created are not public until released.
  const slugs = (app.db.$client.prepare('select slug from events order by id').all() as { slug: string }[]).map((e) => e.slug);
  const failures: string[] = [];
  let read = 0;
  let slowestMs = 0;
  for (const slug of slugs) {
    const event = findEventBySlug(app.db, slug)!;
    if (pendingRelease(app.db, event, app.now()).hasChanges) release(app, slug);
  }
  for (const slug of slugs) {
    for (const url of ['/', ...await publicAddresses(app, slug)]) {
      for (const address of [url, `${url}${url.includes('?') ? '&' : '?'}lang=en`]) {
        const started = performance.now();
        const response = await app.inject(address);
        slowestMs = Math.max(slowestMs, Math.round(performance.now() - started));
        read += 1;
        if (response.statusCode !== 200) failures.push(`${address} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    }
  }
  return { failures, read, slowestMs };
}
