// The only file that reads process.env and listens. With WORKERS=1 (the default) this process
// builds the app and listens. With more, it is a node:cluster primary: it brings the database up
// to date once, then keeps WORKERS processes that each build the app and share the port.
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/client.ts';
import { applyMigrations } from './db/migrate.ts';
import { scheduleBackups } from './db/backup-schedule.ts';
import { loadAllBundledProgrammes } from './domains/interop/bundled.ts';
import { countEvents } from './domains/programme/repository.ts';
import { requeueInterrupted } from './domains/messaging/repository.ts';

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`forum-programme: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

/** How long the close may take once the connections left at SHUTDOWN_TIMEOUT are cut (the onClose hooks: the database). */
const CLOSE_GRACE_MS = 2_000;

/** Builds the app and listens until SIGTERM or SIGINT; a cluster worker does not seed. */
async function serve(config: Config): Promise<void> {
  // Loaded here, not above: a cluster primary never builds the app, so it need not load it.
  const { buildApp } = await import('./app.ts');
  const app = await buildApp(config, { seedIfEmpty: cluster.isPrimary, recoverDeliveries: cluster.isPrimary });
  let closing = false;
  const close = (signal: string) => {
    if (closing) return;
    closing = true;
    const { shutdown } = config.timeouts;
    app.log.info({ signal, shutdownTimeout: shutdown }, 'closing');
    // No new connection is accepted and idle ones close at once; requests in flight get
    // SHUTDOWN_TIMEOUT to finish. Past it, their connections are cut, so a slow client cannot
    // hold the process: the close then ends as usual (exit 0), the cut noted in the log.
    const cut = setTimeout(() => {
      app.log.warn({ shutdownTimeout: shutdown }, 'requests still open after SHUTDOWN_TIMEOUT: their connections are cut');
      app.server.closeAllConnections();
      // Should an onClose hook hang even then, the process still ends, and says it failed.
      setTimeout(() => {
        app.log.error('the app did not close after its connections were cut; exiting');
        process.exit(1);
      }, CLOSE_GRACE_MS).unref();
    }, shutdown);
    cut.unref();
    // The database is closed last, by the app's onClose hook.
    app.close().then(() => {
      clearTimeout(cut);
      app.log.info('closed');
      process.exit(0);
    }, (error: unknown) => {
      app.log.error({ err: error }, 'error while closing');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => close('SIGINT'));
  process.on('SIGTERM', () => close('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  // A worker's log lines carry its pid, so the log shows which processes serve.
  if (cluster.isWorker) app.log.info({ worker: cluster.worker?.id }, 'worker is serving');
  else app.log.info(`forum-programme is serving ${config.publicUrl}`);
}

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

/** The primary has no app, so no Fastify logger: it writes lines of the same shape (pino's JSON). */
function primaryLogger(config: Config) {
  const threshold = config.logLevel === 'silent' ? Infinity : LEVELS[config.logLevel];
  const hostname = os.hostname();
  return (level: keyof typeof LEVELS, msg: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS[level] < threshold) return;
    process.stdout.write(`${JSON.stringify({ level: LEVELS[level], time: Date.now(), pid: process.pid, hostname, ...fields, msg })}\n`);
  };
}

/** Migrations and the bundled seed, once, before any worker opens the database: workers never race on them. */
function prepareDatabase(config: Config): void {
  const db = openDatabase(config.databasePath);
  try {
    applyMigrations(db);
    if (countEvents(db) === 0) loadAllBundledProgrammes(db);
    // What the last processes were sending when they stopped goes back to the queue, before any worker sends.
    requeueInterrupted(db, new Date());
  } finally {
    db.$client.close();
  }
}

// A worker that dies is replaced after RESTART_DELAY_MS; when replacements keep dying within
// STABLE_AFTER_MS of their start, each waits twice as long as the last, up to MAX_RESTART_DELAY_MS,
// so a crash loop does not spin.
const RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;
const STABLE_AFTER_MS = 10_000;
/**
 * The primary waits for its workers as long as each may take to close (SHUTDOWN_TIMEOUT, then
 * CLOSE_GRACE_MS), and a second more for the signal to reach them; past that it kills them.
 */
const stopTimeout = (config: Config) => config.timeouts.shutdown + CLOSE_GRACE_MS + 1_000;

function runPrimary(config: Config): void {
  const log = primaryLogger(config);
  prepareDatabase(config);
  // Workers run this same file (compiled or through tsx, whose loader is in execArgv).
  cluster.setupPrimary({ exec: fileURLToPath(import.meta.url) });

  const startedAt = new Map<Worker, number>();
  const pendingRestarts = new Set<NodeJS.Timeout>();
  let quickDeaths = 0;
  let everListened = false;
  let listening = 0;
  let stopping = false;
  let exitCode = 0;

  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
  };

  const stop = (signal: string, code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const timer of pendingRestarts) clearTimeout(timer);
    pendingRestarts.clear();
    log('info', 'closing', { signal, workers: startedAt.size });
    if (startedAt.size === 0) process.exit(exitCode);
    // Each worker finishes its requests in flight, then exits (its own SIGTERM handler).
    for (const worker of startedAt.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      log('error', 'workers did not close in time; killing them', { workers: startedAt.size });
      for (const worker of startedAt.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, stopTimeout(config)).unref();
  };

  cluster.on('listening', () => {
    everListened = true;
    listening += 1;
    if (listening === config.workers) {
      log('info', `forum-programme is serving ${config.publicUrl} with ${config.workers} workers`);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? Date.now());
    startedAt.delete(worker);
    if (stopping) {
      // A worker still building its app when told to stop has no handler yet: the signal ends it.
      if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGINT') exitCode = 1;
      if (startedAt.size === 0) process.exit(exitCode);
      return;
    }
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!everListened) {
      // Nothing ever served: a setting or the environment is wrong, and another try would fail alike.
      log('fatal', `a worker exited with ${how} before any worker could serve; stopping`, { worker: worker.process.pid });
      stop('worker failed to start', 1);
      return;
    }
    if (lived >= STABLE_AFTER_MS) quickDeaths = 0;
    const delay = Math.min(RESTART_DELAY_MS * 2 ** quickDeaths, MAX_RESTART_DELAY_MS);
    if (lived < STABLE_AFTER_MS) quickDeaths += 1;
    log('error', `worker ${worker.process.pid} exited with ${how}; starting another in ${delay} ms`, { worker: worker.process.pid });
    const timer = setTimeout(() => {
      pendingRestarts.delete(timer);
      if (!stopping) fork();
    }, delay);
    pendingRestarts.add(timer);
  });

  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  for (let i = 0; i < config.workers; i++) fork();
}

async function main(): Promise<void> {
  const config = readConfig();
  if (config.workers > 1 && cluster.isPrimary) runPrimary(config);
  else await serve(config);
  // One process takes the scheduled backups: the single server, or the primary (never a worker),
  // once the database is migrated; the schedule ends when a stop begins.
  if (config.backup && cluster.isPrimary) {
    const backups = scheduleBackups(config.databasePath, config.backup, primaryLogger(config));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, backups.stop);
  }
}

main().catch((error: unknown) => {
  console.error(`forum-programme could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
