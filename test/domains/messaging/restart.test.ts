// The outbox survives a kill -9: the real server process (as `npm start` runs it, see
// test/helpers/server.ts) is killed while its sender holds a message it has not yet sent (its SMTP
// server accepts the connection and never greets), then started again on the same database file
// with a real SMTP server: every message arrives exactly once, counted by Message-ID, and messages
// queued while no server ran are sent once too.
import { pause, until } from '../../helpers/wait.ts';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../../server/db/client.ts';
import { messages, type MessageRow } from '../../../server/db/schema.ts';
import { createApiToken, createUser } from '../../../server/domains/accounts/service.ts';
import { assignRapporteur } from '../../../server/domains/conclusions/assignments.ts';
import { setContact, updateMessageSettings, type OutboxContext } from '../../../server/domains/messaging/outbox.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { FORUM_2019, makeTempDir } from '../../helpers/app.ts';
import { PROJECT_ROOT } from '../../../server/config.ts';
import { ensureBuilt, spawnServer, stopServer, type RunningServer } from '../../helpers/server.ts';
import { MAIL_FROM, startSilentServer, startSmtp } from '../../helpers/smtp.ts';

const EVENT = `/api/v1/events/${FORUM_2019}`;


/** The public id of the forum's session with this French title, read from the database. */
function sessionTitled(db: Db, fr: string): string {
  const rows = db.$client.prepare("SELECT s.public_id AS id FROM sessions s JOIN events e ON e.id = s.event_id WHERE e.slug = ? AND json_extract(s.title, '$.fr') = ?").all(FORUM_2019, fr) as { id: string }[];
  expect(rows).toHaveLength(1);
  return rows[0]!.id;
}


// What `npm start` runs (scripts/start.mjs): the build when server/ is newer than it, then
// dist/server/main.js. The build is made once here, before any test's clock starts, and each
// start then runs the compiled server directly: a build made between two starts of one test
// (when server/ changed meanwhile) would take longer than the test may.
beforeAll(() => { ensureBuilt(); }, 180_000);
const MAIN = path.join(PROJECT_ROOT, 'dist', 'server', 'main.js');

const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

function serverEnv(dir: string, smtpUrl: string): Record<string, string> {
  return { DATABASE_PATH: path.join(dir, 'forum.db'), SMTP_URL: smtpUrl, MAIL_FROM, LOG_LEVEL: 'warn', DELIVERY_RETRY_DELAY: '100ms' };
}

async function start(env: Record<string, string>): Promise<RunningServer> {
  const server = await spawnServer(process.execPath, [MAIN], env);
  cleanup.push(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) await stopServer(server);
  });
  return server;
}

async function kill9(server: RunningServer): Promise<void> {
  const exited = new Promise<NodeJS.Signals | null>((resolve) => server.child.once('exit', (_code, signal) => resolve(signal)));
  server.child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

/** The JSON API of a running server, as a script calls it with an organiser's token. */
function client(server: RunningServer, token: string) {
  return async <T = { data: Record<string, unknown> }>(method: string, url: string, body?: unknown, ifMatch?: number): Promise<T> => {
    const response = await fetch(`${server.base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'accept-language': 'en', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
}

interface Setup {
  db: Db;
  ctx: () => OutboxContext;
  organiser: { id: number; token: string };
  all: () => MessageRow[];
}

/** Opens the server's database from this process, as the command line would, with an organiser and their token. */
async function open(dir: string): Promise<Setup> {
  const db = openDatabase(path.join(dir, 'forum.db'));
  cleanup.push(() => { db.$client.close(); });
  const event = findEventBySlug(db, FORUM_2019)!;
  const user = await createUser(db, { email: 'olga@example.org', name: 'Olga Organiser', password: 'correct horse battery staple', role: 'organiser', eventId: event.id }, new Date());
  const { token } = createApiToken(db, user.id, 'restart test', new Date());
  return {
    db,
    ctx: () => ({ db, event: findEventBySlug(db, FORUM_2019)!, actor: { id: user.id, name: user.name }, now: new Date() }),
    organiser: { id: user.id, token },
    all: () => db.select().from(messages).orderBy(messages.id).all(),
  };
}

/**
 * Three people with addresses on one session of the running server's programme, and the event
 * set to send release messages without review; then a release through the API: three messages
 * queued, and the sender woken by the write.
 */
async function releaseThreeMessages(server: RunningServer, s: Setup): Promise<void> {
  const api = client(server, s.organiser.token);
  const people: string[] = [];
  for (const [name, email, language] of [['Amélie Martin', 'amelie@example.org', 'fr'], ['John Smith', 'john@example.org', 'en'], ['Sofía García', 'sofia@example.org', 'es']] as const) {
    const id = (await api<{ data: { id: string } }>('POST', `${EVENT}/people`, { name })).data.id;
    setContact(s.ctx(), id, { email, language });
    people.push(id);
  }
  const { items } = await api<{ items: { id: string; version: number; title: { fr: string } }[] }>('GET', `${EVENT}/sessions`);
  const session = items.find((i) => i.title.fr === 'Bilan du travail effectué')!;
  await api('PATCH', `${EVENT}/sessions/${session.id}`, { contributors: people.map((person) => ({ role: 'speaker', person })) }, session.version);
  updateMessageSettings(s.ctx(), { releaseWithoutReview: true, rapporteurWithoutReview: true });
  await api('POST', `${EVENT}/releases`, { name: 'Durban' });
}

// Two starts of a real server each (a few seconds on a loaded machine): 45 s at most.
describe('kill -9 between queueing and sending', () => {
  test('a message taken by a sender that is killed is sent once after the restart, and so is every other, queued before or while the server was down', async () => {
    const dir = makeTempDir();
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const silent = await startSilentServer();
    cleanup.push(() => silent.close());
    const smtp = await startSmtp();
    cleanup.push(() => smtp.close());

    const first = await start(serverEnv(dir, silent.url));
    const s = await open(dir);
    await releaseThreeMessages(first, s);

    // The sender took one message and is waiting for a greeting that never comes.
    await silent.waitForConnections(1);
    const taken = await until('a message being sent', () => s.all().find((m) => m.state === 'sending'));
    expect(s.all().map((m) => m.state).sort()).toEqual(['queued', 'queued', 'sending']);
    expect(taken.attempts).toBe(1);
    expect(taken.log).toEqual([]);
    await kill9(first);
    // What the killed process left: the message still marked as being sent, under its lease.
    expect(s.all().map((m) => m.state).sort()).toEqual(['queued', 'queued', 'sending']);

    // While no server runs, the command line (or any other process) queues more: two assignments.
    for (const name of ['Rita Relatora', 'Rolf Rapporteur']) {
      const rapporteur = await createUser(s.db, { email: `${name.split(' ')[0]!.toLowerCase()}@example.org`, name, password: 'correct horse battery staple', role: 'rapporteur', eventId: null }, new Date());
      assignRapporteur({ ...s.ctx(), publicUrl: 'http://127.0.0.1:3000' }, sessionTitled(s.db, 'Objectifs et attentes des participants'), rapporteur.publicId);
    }
    expect(s.all().map((m) => m.state).sort()).toEqual(['queued', 'queued', 'queued', 'queued', 'sending']);

    // Started again with a real SMTP server: the interrupted message is queued again at start, and everything goes, once.
    const second = await start(serverEnv(dir, smtp.url));
    await smtp.waitFor(5);
    await until('every message sent', () => s.all().every((m) => m.state === 'sent'));
    await pause(700);
    const rows = s.all();
    expect(smtp.received).toHaveLength(5);
    const ids = smtp.received.map((m) => m.parsed.messageId);
    expect(new Set(ids).size).toBe(5);
    expect(new Set(ids)).toEqual(new Set(rows.map((m) => `<${m.publicId}@127.0.0.1>`)));
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['amelie@example.org', 'john@example.org', 'rita@example.org', 'rolf@example.org', 'sofia@example.org']);
    // The interrupted one was taken twice and sent once; the others were taken once.
    const interrupted = rows.find((m) => m.id === taken.id)!;
    expect([interrupted.attempts, interrupted.log.map((a) => a.ok)]).toEqual([2, [true]]);
    expect(rows.filter((m) => m.id !== taken.id).map((m) => m.attempts)).toEqual([1, 1, 1, 1]);
    // The restart said what it did.
    expect(second.output()).toContain('messages and webhooks interrupted by the last stop are queued again');
    // No connection went to the silent server after the kill.
    expect(silent.connections()).toBe(1);
  }, 45_000);

  test('messages queued while the server was stopped are sent once when it starts', async () => {
    const dir = makeTempDir();
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const smtp = await startSmtp();
    cleanup.push(() => smtp.close());
    // A first start makes the database (migrations, the bundled programmes); then the server stops.
    const first = await start(serverEnv(dir, smtp.url));
    const s = await open(dir);
    expect(await stopServer(first)).toBe(0);

    for (const name of ['Rita Relatora', 'Rolf Rapporteur']) {
      const rapporteur = await createUser(s.db, { email: `${name.split(' ')[0]!.toLowerCase()}@example.org`, name, password: 'correct horse battery staple', role: 'rapporteur', eventId: null }, new Date());
      assignRapporteur({ ...s.ctx(), publicUrl: 'http://127.0.0.1:3000' }, sessionTitled(s.db, 'Bilan du travail effectué'), rapporteur.publicId);
    }
    expect(s.all().map((m) => [m.kind, m.state])).toEqual([['assigned', 'queued'], ['assigned', 'queued']]);
    expect(smtp.connections()).toBe(0);

    const second = await start(serverEnv(dir, smtp.url));
    await smtp.waitFor(2);
    await until('every message sent', () => s.all().every((m) => m.state === 'sent'));
    await pause(500);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['rita@example.org', 'rolf@example.org']);
    expect(new Set(smtp.received.map((m) => m.parsed.messageId))).toEqual(new Set(s.all().map((m) => `<${m.publicId}@127.0.0.1>`)));
    expect(s.all().map((m) => m.attempts)).toEqual([1, 1]);
    // Nothing was interrupted: nothing to queue again.
    expect(second.output()).not.toContain('interrupted by the last stop');
  }, 45_000);
});
