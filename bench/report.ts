// The targets, and the results as a Markdown table and as bench/results.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ColdRun } from './cold.ts';
import type { InProcessResult } from './inprocess.ts';
import type { Load } from './measure.ts';
import type { ProcessMemory } from './processes.ts';
import type { RowKind } from './scenario.ts';

/** What each target asks; a bench run never fails because one is missed. */
export const TARGETS = {
  /** Programme pages, session page, event feeds, schedule.xml: a fraction of their floor, and p99. */
  cachedRatio: 0.8,
  cachedP99Ms: 10,
  /** A 304 revalidation against the floor's empty 304. */
  revalidationRatio: 0.9,
  coldDayPageMs: 50,
  coldFeedMs: 150,
  conflictsMs: 20,
  changelogMs: 100,
  dayPageBytes: 300_000,
  peakRssMb: 150,
  startupMs: 1000,
} as const;

const CACHED_KINDS: RowKind[] = ['page', 'feed', 'xml'];

export interface LoadRowResult {
  id: string;
  kind: RowKind;
  path: string;
  bytes: number;
  ours: Load | null;
  floor: Load | null;
  ratio: number | null;
  error?: string;
}

export interface WorkersResult {
  workers: string;
  processes: number;
  rows: { id: string; load: Load | null; error?: string }[];
  peakRssMb: number | null;
}

export interface TargetResult {
  name: string;
  measured: number | null;
  comparison: '≥' | '≤';
  limit: number;
  unit: string;
  met: boolean;
}

export interface Results {
  machine: { cpu: string; cores: number; node: string; platform: string; memoryGb: number; loadAverage: number[] };
  startedAt: string;
  durationSeconds: number;
  settings: { seconds: number; connections: number; warmSeconds: number; workers: string | null; command: string; only: string | null };
  notices: string[];
  load: LoadRowResult[];
  memory: { processes: ProcessMemory[]; peakMb: number } | null;
  log: { bytes: number; lines: number } | null;
  congress: { firstDay: string; dayPage: string; dayPageBytes: number } | null;
  cold: ColdRun | null;
  inProcess: InProcessResult[];
  startup: { ms: number; runs: number[] } | null;
  workers: WorkersResult[];
  targets: TargetResult[];
}

export function machine(): Results['machine'] {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, node: process.version,
    platform: `${os.platform()} ${os.release()}`, memoryGb: Math.round(os.totalmem() / 2 ** 30 * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function target(name: string, measured: number | null, comparison: '≥' | '≤', limit: number, unit: string): TargetResult {
  const met = measured !== null && Number.isFinite(measured) && (comparison === '≥' ? measured >= limit : measured <= limit);
  return { name, measured, comparison, limit, unit, met };
}

export function evaluate(results: Omit<Results, 'targets'>): TargetResult[] {
  const targets: TargetResult[] = [];
  for (const row of results.load) {
    // A row whose answers were not all the expected ones measured something else: not met.
    const ok = row.error === undefined;
    if (CACHED_KINDS.includes(row.kind)) {
      targets.push(target(`${row.id}: ours/floor`, ok ? row.ratio : null, '≥', TARGETS.cachedRatio, '×'));
      targets.push(target(`${row.id}: p99`, ok ? row.ours?.p99 ?? null : null, '≤', TARGETS.cachedP99Ms, 'ms'));
    } else if (row.kind === 'revalidation') {
      targets.push(target(`${row.id}: ours/floor (an empty 304)`, ok ? row.ratio : null, '≥', TARGETS.revalidationRatio, '×'));
    }
  }
  if (results.congress) targets.push(target('congress day page size', results.congress.dayPageBytes / 1000, '≤', TARGETS.dayPageBytes / 1000, 'kB'));
  const cold = (id: string) => results.cold?.results.find((r) => r.id === id)?.ms;
  const coldDay = cold('cold day page');
  if (coldDay !== undefined) targets.push(target('congress cold day page', coldDay, '≤', TARGETS.coldDayPageMs, 'ms'));
  const coldFeed = cold('cold feed');
  if (coldFeed !== undefined) targets.push(target('congress cold full feed', coldFeed, '≤', TARGETS.coldFeedMs, 'ms'));
  const inProcess = (id: string) => results.inProcess.find((r) => r.id === id)?.ms;
  const conflicts = inProcess('conflicts');
  if (conflicts !== undefined) targets.push(target('congress conflict detection', conflicts, '≤', TARGETS.conflictsMs, 'ms'));
  const changelog = inProcess('changelog');
  if (changelog !== undefined) targets.push(target('congress changelog of a release', changelog, '≤', TARGETS.changelogMs, 'ms'));
  if (results.memory) targets.push(target('peak RSS under load', results.memory.peakMb, '≤', TARGETS.peakRssMb, 'MB'));
  if (results.startup) targets.push(target('start-up to a ready /healthz', results.startup.ms, '≤', TARGETS.startupMs, 'ms'));
  return targets;
}

// ---- Markdown

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const size = (bytes: number) => (bytes < 1000 ? `${bytes} B` : bytes < 1e6 ? `${(bytes / 1000).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(2)} MB`);
const verdict = (met: boolean) => (met ? 'met' : '**not met**');
const value = (t: TargetResult) => (t.measured === null ? 'n/a' : t.unit === '×' ? `${t.measured.toFixed(2)}×` : `${ms(t.measured)} ${t.unit}`);

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function loadTable(results: Results): string {
  const rows = results.load.map((row) => {
    const mine = results.targets.filter((t) => t.name.startsWith(`${row.id}:`));
    const goal = row.error !== undefined ? `**${row.error}**`
      : mine.length === 0 ? '—'
      : `${mine.map((t) => `${t.name.slice(row.id.length + 2).replace(' (an empty 304)', '')} ${t.comparison} ${t.limit}${t.unit === '×' ? '×' : ` ${t.unit}`}`).join(', ')}: ${verdict(mine.every((t) => t.met))}`;
    const cells = (l: Load | null) => (l ? [int(l.rps), ms(l.p50), ms(l.p99)] : ['—', '—', '—']);
    return [row.id, size(row.bytes), ...cells(row.ours), ...cells(row.floor), row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`, goal];
  });
  return table(['Row', 'Body', 'Ours req/s', 'p50 ms', 'p99 ms', 'Floor req/s', 'p50 ms', 'p99 ms', 'Ours/floor', 'Target'], rows);
}

function otherTargets(results: Results): string {
  const rows = results.targets.filter((t) => !results.load.some((row) => t.name.startsWith(`${row.id}:`)))
    .map((t) => [t.name, value(t), `${t.comparison} ${t.limit} ${t.unit}`, verdict(t.met)]);
  return table(['Measure', 'Value', 'Target', ''], rows);
}

function alsoMeasured(results: Results): string {
  const rows: string[][] = [];
  for (const cold of results.cold?.results ?? []) {
    rows.push([`congress ${cold.id} (first request after a release)`, `${ms(cold.ms)} ms`, `rounds ${cold.rounds.map(ms).join(', ')} ms; ${size(cold.bytes)}`]);
  }
  if (results.cold) rows.push(['congress edit + release through the API', `${ms(results.cold.writeMs)} ms`, 'median of the cold rounds\' writes']);
  for (const r of results.inProcess) rows.push([r.id, `${ms(r.ms)} ms`, `${r.what}${r.count !== undefined ? ` → ${r.count}` : ''}; median of ${r.runs.length}`]);
  if (results.memory) {
    rows.push(['peak RSS per process', results.memory.processes.map((p) => `${p.peakMb.toFixed(0)} MB`).join(' + '), results.memory.processes.map((p) => `pid ${p.pid}`).join(', ')]);
  }
  if (results.startup) rows.push(['start-up runs', `${ms(results.startup.ms)} ms`, `${results.startup.runs.map(ms).join(', ')} ms`]);
  if (results.log) rows.push(['server log during the run', size(results.log.bytes), `${int(results.log.lines)} lines at the default level`]);
  return table(['Measure', 'Value', 'Detail'], rows);
}

function workersTable(results: Results): string {
  const ids = [...new Set(results.workers.flatMap((w) => w.rows.map((r) => r.id)))];
  const rows = results.workers.map((w) => [
    w.workers, String(w.processes),
    ...ids.flatMap((id) => {
      const row = w.rows.find((r) => r.id === id);
      return row?.load ? [int(row.load.rps), ms(row.load.p99)] : [row?.error ?? '—', '—'];
    }),
    w.peakRssMb === null ? '—' : `${w.peakRssMb.toFixed(0)} MB`,
  ]);
  return table(['WORKERS', 'Processes', ...ids.flatMap((id) => [`${id} req/s`, 'p99 ms']), 'Peak RSS (all)'], rows);
}

export function markdown(results: Results): string {
  const m = results.machine;
  const s = results.settings;
  const parts = [
    `## npm run bench — ${results.startedAt}`,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.platform}, node ${m.node}; load average at start ${m.loadAverage.join(' ')}.`,
    `Server: \`${s.command}\`${s.workers !== null ? `, WORKERS=${s.workers}` : ''}, LOG_LEVEL unset, stdout to a file. `
      + `Load: autocannon over loopback, ${s.connections} connections, ${s.warmSeconds} s warm-up then ${s.seconds} s, ours then the floor.`
      + (s.only !== null ? ` Only rows matching /${s.only}/.` : ''),
    ...results.notices.map((n) => `> ${n}`),
  ];
  if (results.load.length > 0) parts.push(loadTable(results));
  if (results.targets.some((t) => !results.load.some((row) => t.name.startsWith(`${row.id}:`)))) parts.push(otherTargets(results));
  parts.push(alsoMeasured(results));
  if (results.workers.length > 0) parts.push(workersTable(results));
  const met = results.targets.filter((t) => t.met).length;
  parts.push(`${met} of ${results.targets.length} targets met; the run took ${Math.round(results.durationSeconds)} s.`);
  return parts.join('\n\n');
}

/** The full run's results go to bench/results.json; a BENCH_ONLY run's to bench/results/ (not committed). */
export function writeResults(benchDir: string, results: Results): string {
  const file = results.settings.only === null ? path.join(benchDir, 'results.json') : path.join(benchDir, 'results', 'subset.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
