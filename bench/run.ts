// npm run bench: the real server, started as production starts it, measured over loopback
// against the floor (the same bytes sent from memory by a bare node:http server), plus the
// cold, in-process, memory and start-up figures. Prints a Markdown table and writes
// bench/results.json. Missing a target never fails the run; only being unable to run does.
//
//   BENCH_SECONDS=5   seconds of load per row (after a warm-up)
//   BENCH_ONLY=regex  only the measurements whose name matches (results go to bench/results/)
//   WORKERS=n         passed to the server of the main run
import { performance } from 'node:perf_hooks';
import { coldTimes, Writer, type ColdRun } from './cold.ts';
import { keepAliveTimeoutOf, startFloor } from './floor.ts';
import { copyDatabase, inProcessTimes, type InProcessResult } from './inprocess.ts';
import { CONNECTIONS, median, SECONDS, selected, subset, WARM_SECONDS, warmAndLoad, type Load } from './measure.ts';
import { BENCH_DIR } from './paths.ts';
import { hasProc } from './processes.ts';
import { evaluate, machine, markdown, writeResults, type LoadRowResult, type Results, type WorkersResult } from './report.ts';
import { plan, type Row } from './scenario.ts';
import { startCommand, startServer, type Server } from './server.ts';
import { CONGRESS, FORUM, prepareDatabase, type Setup } from './setup.ts';

const FLOOR_WARM_SECONDS = 0.5;
const STARTUPS = 5;
const WORKER_COUNTS = ['1', '2'];

const notices: string[] = [];
function notice(text: string): void {
  notices.push(text);
  console.log(`notice: ${text}`);
}

/** A section that fails is reported and left out; the rest of the run goes on. */
async function attempt<T>(section: string, run: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    notice(`${section} could not be measured: ${(error as Error).message.split('\n')[0]}`);
    return fallback;
  }
}

const fixed = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const describe = (l: Load) => `${Math.round(l.rps)} req/s, p50 ${fixed(l.p50)} ms, p99 ${fixed(l.p99)} ms`;

function problems(who: string, l: Load, expected: number): string[] {
  return [
    ...(l.unexpected > 0 ? [`${who}: ${l.unexpected} of ${l.total} answers not ${expected}`] : []),
    ...(l.errors > 0 ? [`${who}: ${l.errors} connection errors`] : []),
    ...(l.total === 0 ? [`${who}: no answer`] : []),
  ];
}

async function measureRow(row: Row, server: Server, floorBase: string): Promise<LoadRowResult> {
  const base = { id: row.id, kind: row.kind, path: row.path, bytes: row.bytes };
  try {
    const ours = await warmAndLoad(`${server.base}${row.path}`, row.headers, row.expectedStatus);
    const floor = await warmAndLoad(`${floorBase}${row.path}`, row.headers, row.expectedStatus, FLOOR_WARM_SECONDS);
    const wrong = [...problems('ours', ours, row.expectedStatus), ...problems('floor', floor, row.expectedStatus)];
    const ratio = ours.rps / floor.rps;
    console.log(`  ${row.id}: ours ${describe(ours)} | floor ${describe(floor)} | ${ratio.toFixed(2)}×${wrong.length ? ` | ${wrong.join('; ')}` : ''}`);
    return { ...base, ours, floor, ratio, ...(wrong.length ? { error: wrong.join('; ') } : {}) };
  } catch (error) {
    console.log(`  ${row.id}: ${(error as Error).message}`);
    return { ...base, ours: null, floor: null, ratio: null, error: (error as Error).message };
  }
}

async function mainRun(setup: Setup, command: ReturnType<typeof startCommand>, workers: string | undefined) {
  const server = await startServer({ databasePath: setup.databasePath, dir: setup.dir, command, workers });
  try {
    if (server.log.summary().lines === 0) notice('the server wrote nothing to stdout at start: is the default logging on?');
    const planned = await plan(server.base, setup.congress);
    planned.notices.forEach(notice);

    const load: LoadRowResult[] = [];
    if (planned.rows.length > 0) {
      console.log(`load: ${planned.rows.length} rows, ${CONNECTIONS} connections, ${WARM_SECONDS} s warm-up + ${SECONDS} s each, ours then the floor`);
      const floor = await startFloor({ routes: planned.routes, keepAliveTimeoutMs: keepAliveTimeoutOf(planned.sample!) });
      try {
        for (const row of planned.rows) {
          load.push(await measureRow(row, server, floor.base));
          server.log.empty();
        }
      } finally {
        await floor.stop();
      }
    }
    let memory: Results['memory'] = null;
    if (load.length > 0 && hasProc) {
      const processes = server.memory();
      memory = { processes, peakMb: processes.reduce((sum, p) => sum + p.peakMb, 0) };
    } else if (!hasProc) notice('no /proc on this system: peak RSS is not measured');
    const log = server.log.summary();

    let cold: ColdRun | null = null;
    const inProcess: InProcessResult[] = [];
    if (planned.congress) {
      const writer = new Writer(server.base, setup.token, CONGRESS, planned.congress.sessionId);
      const targets = [
        { id: 'cold day page', path: planned.congress.dayPage },
        { id: 'cold feed', path: `/events/${CONGRESS}/calendar.ics` },
        { id: 'cold schedule.xml', path: `/events/${CONGRESS}/schedule.xml` },
      ].filter((t) => selected(t.id));
      if (targets.length > 0) {
        console.log('cold: an edit and a release of the congress, then the first request');
        cold = await attempt('the cold timings', () => coldTimes(server.base, writer, targets), null);
        for (const r of cold?.results ?? []) console.log(`  ${r.id}: ${fixed(r.ms)} ms (rounds ${r.rounds.map(fixed).join(', ')})`);
      }
      if (selected('conflicts') || selected('changelog') || selected('admin grid day')) {
        console.log('in-process: on a copy of the database');
        inProcess.push(...await attempt('the in-process timings', async () => {
          // Something for the changelog to find: an edit not released yet.
          await writer.edit();
          return inProcessTimes(await copyDatabase(setup.databasePath, setup.dir), CONGRESS, selected);
        }, []));
        for (const r of inProcess) console.log(`  ${r.id}: ${fixed(r.ms)} ms`);
      }
    }
    return { load, memory, log, cold, inProcess, congress: planned.congress };
  } finally {
    await server.stop();
  }
}

async function startups(setup: Setup, command: ReturnType<typeof startCommand>, workers: string | undefined): Promise<Results['startup']> {
  if (!selected('startup')) return null;
  const runs: number[] = [];
  for (let i = 0; i < STARTUPS; i += 1) {
    const server = await startServer({ databasePath: setup.databasePath, dir: setup.dir, command, workers });
    runs.push(server.readyMs);
    await server.stop();
  }
  console.log(`start-up to a ready /healthz: ${runs.map(fixed).join(', ')} ms`);
  return { ms: median(runs), runs };
}

async function workerRuns(setup: Setup, command: ReturnType<typeof startCommand>): Promise<WorkersResult[]> {
  const rows = [
    { id: 'forum programme page', path: `/events/${FORUM}?lang=fr` },
    { id: 'forum feed', path: `/events/${FORUM}/calendar.ics` },
  ];
  if (!selected('workers')) return [];
  const results: WorkersResult[] = [];
  for (const workers of WORKER_COUNTS) {
    const server = await startServer({ databasePath: setup.databasePath, dir: setup.dir, command, workers });
    try {
      const processes = hasProc ? server.processCount() : 1;
      const measured: WorkersResult['rows'] = [];
      for (const row of rows) {
        const l = await warmAndLoad(`${server.base}${row.path}`, {}, 200);
        const wrong = problems('ours', l, 200);
        measured.push({ id: row.id, load: l, ...(wrong.length ? { error: wrong.join('; ') } : {}) });
        console.log(`  WORKERS=${workers} ${row.id}: ${describe(l)}`);
        server.log.empty();
      }
      const memory = hasProc ? server.memory() : [];
      results.push({ workers, processes, rows: measured, peakRssMb: hasProc ? memory.reduce((sum, p) => sum + p.peakMb, 0) : null });
      if (workers !== '1' && processes === 1) notice(`WORKERS=${workers}: the server ran as one process, so WORKERS seems to have no effect yet`);
    } finally {
      await server.stop();
    }
  }
  return results;
}

async function main(): Promise<void> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const command = startCommand();
  const workers = process.env.WORKERS === undefined || process.env.WORKERS === '' ? undefined : process.env.WORKERS;
  const host = machine();
  console.log(`bench: ${host.cpu}, ${host.cores} cores, node ${host.node}; server: ${command.label}${workers ? `, WORKERS=${workers}` : ''}`);

  const setup = prepareDatabase();
  setup.notices.forEach(notice);

  const measured = await mainRun(setup, command, workers);
  const startup = await attempt('the start-up', () => startups(setup, command, workers), null);
  const workerResults = await attempt('the WORKERS runs', () => workerRuns(setup, command), []);

  const partial: Omit<Results, 'targets'> = {
    machine: host,
    startedAt,
    durationSeconds: (performance.now() - started) / 1000,
    settings: { seconds: SECONDS, connections: CONNECTIONS, warmSeconds: WARM_SECONDS, workers: workers ?? null, command: command.label, only: subset ? process.env.BENCH_ONLY! : null },
    notices,
    load: measured.load,
    memory: measured.memory,
    log: measured.log,
    congress: measured.congress ? { firstDay: measured.congress.firstDay, dayPage: measured.congress.dayPage, dayPageBytes: measured.congress.dayPageBytes } : null,
    cold: measured.cold,
    inProcess: measured.inProcess,
    startup,
    workers: workerResults,
  };
  const results: Results = { ...partial, targets: evaluate(partial) };
  console.log(`\n${markdown(results)}\n`);
  console.log(`wrote ${writeResults(BENCH_DIR, results).slice(BENCH_DIR.length - 'bench'.length)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench could not run: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  },
);
