// Cold answers: the first request after a release, which finds no programme, page or feed cached.
// Each round edits a session of the congress through the API and releases it, then times the
// first request of one address over a new connection.
import { expectStatus, request, sendJson } from './http.ts';
import { median } from './measure.ts';

export interface ColdResult {
  id: string;
  path: string;
  /** Median of the rounds' first requests. */
  ms: number;
  rounds: number[];
  bytes: number;
}

export interface ColdRun {
  results: ColdResult[];
  /** Median time of an edit and a release of the congress, through the API. */
  writeMs: number;
}

export const COLD_ROUNDS = 3;

export class Writer {
  private etag: string | null = null;
  private count = 0;
  readonly writeTimes: number[] = [];

  constructor(private readonly base: string, private readonly token: string, private readonly slug: string, private readonly sessionId: string) {}

  private get auth() {
    return { authorization: `Bearer ${this.token}` };
  }

  /** Changes the session's title in the working copy. */
  async edit(): Promise<void> {
    const url = `/api/v1/events/${this.slug}/sessions/${this.sessionId}`;
    this.etag ??= String((await expectStatus(this.base, url, 200, { headers: { ...this.auth, accept: 'application/json' } })).headers.etag);
    this.count += 1;
    const edited = await sendJson(this.base, 'PATCH', url, { title: { fr: `Séance du banc d'essai ${this.count}` } }, { ...this.auth, 'if-match': this.etag }, 200);
    this.etag = String(edited.headers.etag);
  }

  async editAndRelease(): Promise<void> {
    const start = performance.now();
    await this.edit();
    await sendJson(this.base, 'POST', `/api/v1/events/${this.slug}/releases`, { name: `bench ${Date.now()}-${this.count}` }, this.auth, 201);
    this.writeTimes.push(performance.now() - start);
  }
}

export async function coldTimes(base: string, writer: Writer, targets: { id: string; path: string }[]): Promise<ColdRun> {
  const results: ColdResult[] = [];
  for (const target of targets) {
    const rounds: number[] = [];
    let bytes = 0;
    for (let round = 0; round < COLD_ROUNDS; round += 1) {
      await writer.editAndRelease();
      const first = await request(base, target.path);
      if (first.status !== 200) throw new Error(`${target.path} answered ${first.status} after a release`);
      rounds.push(first.ms);
      bytes = first.body.length;
    }
    results.push({ ...target, ms: median(rounds), rounds, bytes });
  }
  return { results, writeMs: writer.writeTimes.length > 0 ? median(writer.writeTimes) : NaN };
}
