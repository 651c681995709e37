// WORKERS=N: the real server (`npm start`) with one process, then with a node:cluster primary and
// two workers on one port. Whichever process answers, a write and its release show on the very
// next request: a cache that one process keeps and another's write does not reach fails here.
import fs from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FORUM_2019, makeTempDir } from './helpers/app.ts';
import { runCli } from './helpers/cli.ts';
import { startServer, stopServer, type RunningServer } from './helpers/server.ts';

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string; /** This side's port of the connection, which the server logs as remotePort. */ port: number }

/**
 * One request, by default on a connection of its own (no keep-alive): the cluster hands each new
 * connection to the next worker in turn, so consecutive requests reach different processes.
 * With a keep-alive agent, requests share its one connection, so one process answers them all.
 */
function request(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown, agent?: http.Agent): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, {
      method,
      agent: agent ?? false,
      headers: { ...(agent ? {} : { connection: 'close' }), ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text, port: req.socket!.localPort! }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

interface LogLine { pid: number; msg: string; req?: { method: string; url: string; remotePort: number } }

function logLines(server: RunningServer): LogLine[] {
  return server.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine);
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The parent of a process, from /proc (Linux), or null once it has exited. */
function parentOf(pid: number): number | null {
  try {
    // The fields after the command's closing parenthesis: state, then the parent's pid.
    return Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((p) => parentOf(p) === pid);
}

const ROUNDS = 10;

describe.each([1, 2])('WORKERS=%i', (workers) => {
  const dir = makeTempDir();
  let server: RunningServer;
  let bearer: { authorization: string };
  /** The pids of the processes that serve (the workers, or the one process). */
  let serving: number[] = [];

  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: `${dir}/forum.db`, LOG_LEVEL: 'info', WORKERS: String(workers) }, 30_000);
    // /healthz answers as soon as one process listens; the line below comes once all do.
    const ready = workers === 1
      ? `forum-programme is serving ${server.base}`
      : `forum-programme is serving ${server.base} with ${workers} workers`;
    await waitFor('every process to listen', () => (logLines(server).some((l) => l.msg === ready) ? true : undefined), 30_000);
    serving = workers === 1
      ? [server.child.pid!]
      : logLines(server).filter((l) => l.msg === 'worker is serving').map((l) => l.pid);

    const email = 'organiser@example.org';
    const added = await runCli(dir, ['user', 'add', '--email', email, '--name', 'Organiser', '--role', 'organiser'], 'a long enough passphrase');
    expect(added.stderr).toBe('');
    const token = await runCli(dir, ['token', 'create', '--email', email]);
    expect(token.status).toBe(0);
    bearer = { authorization: `Bearer ${token.stdout.trim()}` };
  }, 90_000);

  afterAll(() => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test(`${workers} process(es) serve, ${workers === 1 ? 'the started one itself (no cluster)' : 'each a child of the primary'}`, () => {
    expect(new Set(serving).size).toBe(workers);
    if (workers === 1) {
      expect(logLines(server).some((l) => l.msg === 'worker is serving')).toBe(false);
      if (fs.existsSync('/proc/self/stat')) expect(childrenOf(server.child.pid!)).toEqual([]);
    } else {
      expect(serving).not.toContain(server.child.pid);
      if (fs.existsSync('/proc/self/stat')) {
        for (const pid of serving) expect(parentOf(pid)).toBe(server.child.pid);
        expect(childrenOf(server.child.pid!).sort()).toEqual([...serving].sort());
      }
    }
  });

  test(`a session's new title, once released, is on the very next request of every page, feed and API, whichever process answers (${ROUNDS} rounds)`, async () => {
    const base = `/api/v1/events/${FORUM_2019}`;
    const list = await request(server.base, 'GET', `${base}/sessions`, bearer);
    expect(list.status).toBe(200);
    const session = (JSON.parse(list.body) as { items: { id: string; status: string }[] }).items.find((s) => s.status !== 'cancelled')!;
    const one = await request(server.base, 'GET', `${base}/sessions/${session.id}`, bearer);
    expect(one.status).toBe(200);
    let etag = one.headers.etag!;

    // Each page twice in a row, each time on a new connection: with two workers, one of each pair is
    // served by the process that did not take the write.
    const pages = [
      `/events/${FORUM_2019}`,
      `/events/${FORUM_2019}/sessions/${session.id}`,
      `/events/${FORUM_2019}/calendar.ics`,
      `/api/v1/events/${FORUM_2019}/programme`,
    ];
    const reads = pages.flatMap((page) => [page, page]);
    const servedBy = new Map<string, Set<number>>(pages.map((page) => [page, new Set()]));

    const writers = new Set<number>();
    for (let round = 1; round <= ROUNDS; round++) {
      const title = `Workers ${workers} round ${round} ${Math.random().toString(36).slice(2, 8)}`;
      // The change and its release on one connection, so one process writes and the other only
      // reads: it must learn of the write from the database, not from having made it itself.
      const writeMark = logLines(server).length;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const patched = await request(server.base, 'PATCH', `${base}/sessions/${session.id}`, { ...bearer, 'if-match': etag }, { title: { fr: title, en: title, es: title } }, agent);
      expect(patched.status, patched.body).toBe(200);
      etag = patched.headers.etag!;
      const released = await request(server.base, 'POST', `${base}/releases`, bearer, { name: `w${workers}.${round}` }, agent);
      expect(released.status, released.body).toBe(201);
      agent.destroy();
      expect(released.port).toBe(patched.port);
      const writer = await waitFor('the log lines of the writes', () => logLines(server).slice(writeMark)
        .find((l) => l.msg === 'incoming request' && l.req!.method === 'POST' && l.req!.remotePort === released.port)?.pid);
      writers.add(writer);

      const mark = logLines(server).length;
      const answers: Answer[] = [];
      for (const page of reads) answers.push(await request(server.base, 'GET', page));
      answers.forEach((answer, i) => {
        expect(answer.status, reads[i]).toBe(200);
        expect(answer.body, `round ${round}: ${reads[i]} shows the title just released`).toContain(title);
      });

      // Which process answered each read: the one that logged its "incoming request" from this port.
      // (Processes write their logs independently, so the lines' order says nothing.)
      const answeredBy = await waitFor('the log lines of the reads', () => {
        const lines = logLines(server).slice(mark).filter((l) => l.msg === 'incoming request');
        const pids = answers.map((answer, i) => lines.find((l) => l.req!.remotePort === answer.port && l.req!.url === reads[i])?.pid);
        return pids.every((pid) => pid !== undefined) ? pids as number[] : undefined;
      });
      answeredBy.forEach((pid, i) => servedBy.get(reads[i]!)!.add(pid));
      if (workers > 1) {
        for (let i = 0; i < reads.length; i += 2) expect(answeredBy[i], `round ${round}: both workers answered ${reads[i]}`).not.toBe(answeredBy[i + 1]);
      }
    }
    for (const page of pages) expect([...servedBy.get(page)!].sort(), page).toEqual([...serving].sort());
    // Nine connections a round: the process that writes alternates, so each has read the other's writes.
    expect([...writers].sort()).toEqual([...serving].sort());
  }, 120_000);

  test.runIf(workers > 1)('a worker that dies is logged and replaced, and the others keep serving', async () => {
    const victim = serving[0]!;
    const before = logLines(server).length;
    process.kill(victim, 'SIGKILL');
    await waitFor('the exit to be logged', () => logLines(server).slice(before).find((l) => l.msg.startsWith(`worker ${victim} exited with signal SIGKILL; starting another in `)));
    for (let i = 0; i < 4; i++) expect((await request(server.base, 'GET', '/healthz')).status).toBe(200);
    const replacement = await waitFor('a replacement worker', () => logLines(server).slice(before).find((l) => l.msg === 'worker is serving'), 15_000);
    expect(serving).not.toContain(replacement.pid);
    serving = [...serving.slice(1), replacement.pid];
    if (fs.existsSync('/proc/self/stat')) expect(childrenOf(server.child.pid!).sort()).toEqual([...serving].sort());
    const seen = new Set<number>();
    const mark = logLines(server).length;
    for (let i = 0; i < 4; i++) expect((await request(server.base, 'GET', `/events/${FORUM_2019}`)).status).toBe(200);
    const lines = await waitFor('the log lines', () => {
      const found = logLines(server).slice(mark).filter((l) => l.msg === 'incoming request');
      return found.length >= 4 ? found : undefined;
    });
    for (const line of lines) seen.add(line.pid);
    expect([...seen].sort()).toEqual([...serving].sort());
  }, 30_000);

  test('SIGTERM closes every process and exits 0', async () => {
    const mark = logLines(server).length;
    expect(await stopServer(server)).toBe(0);
    if (fs.existsSync('/proc/self/stat')) for (const pid of serving) expect(parentOf(pid)).toBe(null);
    const closing = logLines(server).slice(mark);
    expect(closing.filter((l) => l.msg === 'closing').map((l) => l.pid).sort()).toEqual([...new Set([server.child.pid!, ...serving])].sort());
    expect(closing.filter((l) => (l as { level?: number }).level! >= 50)).toEqual([]);
  }, 15_000);
});
