// Slow clients against the real server (`npm start`, a child process, a real port), with
// short timeouts set by the environment: a body trickled byte by byte, a body one byte short,
// headers trickled (slowloris) are each cut off within their timeout; on SIGTERM, neither
// such a client nor idle kept-alive connections hold the process past SHUTDOWN_TIMEOUT, and a
// request in flight still gets its answer.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FORUM_2019, makeTempDir } from '../helpers/app.ts';
import { startServer, stopServer, type RunningServer } from '../helpers/server.ts';

/** A raw connection: what it received, and when (ms after it opened) the server closed it. */
interface Raw {
  socket: net.Socket;
  received: () => string;
  /** Resolves with the milliseconds from the connection to its close. */
  closed: Promise<number>;
  /** Writes unless the connection is gone (a trickle keeps writing until it is cut). */
  send: (text: string) => void;
}

function connect(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const opened = Date.now();
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => { text += chunk; });
    // A write racing the server's close fails with EPIPE or ECONNRESET: that is the cut itself.
    socket.on('error', () => {});
    const closed = new Promise<number>((r) => socket.on('close', () => r(Date.now() - opened)));
    socket.once('connect', () => resolve({
      socket,
      received: () => text,
      closed,
      send: (chunk) => { if (!socket.destroyed && socket.writable) socket.write(chunk); },
    }));
    socket.once('error', reject);
  });
}

/** The milliseconds to the connection's close, or Infinity if it is still open after `ms` (then closed here). */
async function closedWithin(raw: Raw, ms: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<number>((r) => { timer = setTimeout(() => r(Infinity), ms); });
  const after = await Promise.race([raw.closed, late]);
  clearTimeout(timer);
  raw.socket.destroy();
  return after;
}

/** Calls `step` every `ms` until the connection closes; bounded by the connection's own life. */
function trickle(raw: Raw, ms: number, step: (i: number) => string): void {
  let i = 0;
  const timer = setInterval(() => raw.send(step(i++)), ms);
  void raw.closed.then(() => clearInterval(timer));
}

/** A new agenda (a quick write, no sign-in), whose body comes in the pieces a test sends. */
const AGENDA_HEAD = (length: number) => `POST /my HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
/** Its body, padded with the white space JSON allows to `length` bytes. */
const agendaBody = (length: number) => JSON.stringify({ event: FORUM_2019 }).padEnd(length, ' ');
const CREATED = /^HTTP\/1\.1 201 Created\r\n[^]*\r\n\r\n\{"agenda":"\/my\/[A-Za-z0-9_-]+","calendar":"[^"]+","sessions":\[\],/;

/** Resolves once the connection has received a whole head (or after `ms`, to fail on what came). */
async function answerOf(raw: Raw, ms = 10_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (!raw.received().includes('\r\n\r\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  // The body follows its head within the same write or the next.
  await new Promise((r) => setTimeout(r, 50));
  return raw.received();
}

const TIMEOUT_ANSWER = /^HTTP\/1\.1 408 Request Timeout\r\nContent-Type: application\/problem\+json\r\nContent-Length: 61\r\nConnection: close\r\n\r\n\{"type":"about:blank","title":"Request Timeout","status":408\}$/;

function exitOf(server: RunningServer): Promise<{ code: number | null; at: number }> {
  return new Promise((resolve) => server.child.once('exit', (code) => resolve({ code, at: Date.now() })));
}

/**
 * Starts a new agenda with half its body, waits `beforeMs`, sends SIGTERM, then the rest of the
 * body: the request in flight must still get its 201. Resolves once it has.
 */
async function sigtermDuringRequest(server: RunningServer, beforeMs: number) {
  const inFlight = await connect(server.port);
  const body = agendaBody(2_000);
  inFlight.send(AGENDA_HEAD(body.length) + body.slice(0, 1_000));
  await new Promise((r) => setTimeout(r, beforeMs));
  const exited = exitOf(server);
  const signalled = Date.now();
  server.child.kill('SIGTERM');
  // The rest of the in-flight body comes after the signal: its request still runs to its answer.
  await new Promise((r) => setTimeout(r, 300));
  inFlight.send(body.slice(1_000));
  expect(await answerOf(inFlight)).toMatch(CREATED);
  return { inFlight, exited, signalled };
}

interface LogLine { level: number; msg: string; [field: string]: unknown }

function logLines(server: RunningServer): LogLine[] {
  return server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
}

describe('slow clients are cut off within their timeouts', () => {
  const dir = makeTempDir();
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: path.join(dir, 'forum.db'), LOG_LEVEL: 'info', REQUEST_TIMEOUT: '2000', HEADERS_TIMEOUT: '1000' });
  }, 30_000);
  afterAll(async () => {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a body trickled a byte every 200 ms (Content-Length: 100000) gets 408 and its connection closed at REQUEST_TIMEOUT', async () => {
    const raw = await connect(server.port);
    raw.send(AGENDA_HEAD(100_000));
    trickle(raw, 200, () => ' ');
    const after = await closedWithin(raw, 5_000);
    expect(after).toBeGreaterThanOrEqual(1_900);
    expect(after).toBeLessThan(2_000 + 1_000);
    expect(raw.received()).toMatch(TIMEOUT_ANSWER);
  });

  test('a body one byte short of its Content-Length, then silence, gets 408 and its connection closed at REQUEST_TIMEOUT', async () => {
    const raw = await connect(server.port);
    raw.send(AGENDA_HEAD(100) + agendaBody(99));
    const after = await closedWithin(raw, 5_000);
    expect(after).toBeGreaterThanOrEqual(1_900);
    expect(after).toBeLessThan(2_000 + 1_000);
    expect(raw.received()).toMatch(TIMEOUT_ANSWER);
  });

  test('headers trickled a line every 200 ms (slowloris) get 408 and their connection closed at HEADERS_TIMEOUT', async () => {
    const raw = await connect(server.port);
    raw.send('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    trickle(raw, 200, (i) => `X-Slow-${i}: still coming\r\n`);
    const after = await closedWithin(raw, 5_000);
    expect(after).toBeGreaterThanOrEqual(900);
    expect(after).toBeLessThan(1_000 + 1_000);
    expect(raw.received()).toMatch(TIMEOUT_ANSWER);
  });

  test('a body that arrives slowly but whole within REQUEST_TIMEOUT is answered, not cut', async () => {
    const raw = await connect(server.port);
    const body = agendaBody(10_000);
    raw.send(AGENDA_HEAD(body.length));
    // Ten pieces 120 ms apart: 1.2 s, within the 2 s bound.
    for (let i = 0; i < 10; i++) {
      raw.send(body.slice(i * 1_000, (i + 1) * 1_000));
      await new Promise((r) => setTimeout(r, 120));
    }
    expect(await answerOf(raw)).toMatch(CREATED);
    raw.socket.destroy();
  });

  test('each cut-off is logged, with the client and without its bytes, once', () => {
    const cuts = logLines(server).filter((l) => l.msg === 'a client was too slow to send its request: its connection is closed');
    expect(cuts.map((l) => [l.level, l.code, l.remoteAddress, typeof l.remotePort])).toEqual(Array(3).fill([30, 'ERR_HTTP_REQUEST_TIMEOUT', '127.0.0.1', 'number']));
  });
});

describe('SIGTERM ends the process within SHUTDOWN_TIMEOUT', () => {
  const dir = makeTempDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs `body` with a server of these settings, and kills the server whatever happens. */
  async function withServer(env: Record<string, string>, body: (server: RunningServer) => Promise<void>): Promise<void> {
    const server = await startServer({ DATABASE_PATH: path.join(dir, `${Object.values(env).join('-')}.db`), LOG_LEVEL: 'info', ...env });
    try {
      await body(server);
    } finally {
      server.child.kill('SIGKILL');
    }
  }

  test('with a body trickling in, a request in flight gets its answer and the trickle is cut at SHUTDOWN_TIMEOUT', () => withServer(
    { REQUEST_TIMEOUT: '20000', HEADERS_TIMEOUT: '10000', SHUTDOWN_TIMEOUT: '1500' },
    async (server) => {
      const slow = await connect(server.port);
      slow.send(AGENDA_HEAD(100_000));
      trickle(slow, 200, () => ' ');
      const { inFlight, exited, signalled } = await sigtermDuringRequest(server, 300);
      expect(inFlight.received()).toContain('\r\nconnection: close\r\n');
      const { code, at } = await exited;
      expect(code).toBe(0);
      expect(at - signalled).toBeGreaterThanOrEqual(1_400);
      expect(at - signalled).toBeLessThan(1_500 + 2_000);
      // Cut by the shutdown, well before its own 20 s timeout, with no answer: none had begun.
      expect(await slow.closed).toBeLessThan(20_000);
      expect(slow.received()).toBe('');
      const messages = logLines(server).map((l) => l.msg).filter((m) => m !== 'request completed');
      expect(messages.slice(-4)).toEqual(['closing', 'requests still open after SHUTDOWN_TIMEOUT: their connections are cut', 'database closed', 'closed']);
    },
  ), 40_000);

  test('fifty idle kept-alive connections and a request in flight: the process ends as soon as that request is answered', () => withServer(
    { KEEP_ALIVE_TIMEOUT: '60000', SHUTDOWN_TIMEOUT: '8000' },
    async (server) => {
      const idle = await Promise.all(Array.from({ length: 50 }, () => connect(server.port)));
      for (const raw of idle) raw.send('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      for (const raw of idle) expect(await answerOf(raw)).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\nConnection: keep-alive\r\n/i);
      const { exited, signalled } = await sigtermDuringRequest(server, 200);
      const answered = Date.now();
      const { code, at } = await exited;
      expect(code).toBe(0);
      // Far within the 8 s bound: nothing waits for the idle ones, nor for the answered one's next request.
      expect(at - answered).toBeLessThan(1_500);
      expect(at - signalled).toBeLessThan(4_000);
      await Promise.all(idle.map((raw) => raw.closed));
      expect(logLines(server).map((l) => l.msg).filter((m) => m !== 'request completed').slice(-3)).toEqual(['closing', 'database closed', 'closed']);
    },
  ), 40_000);
});
