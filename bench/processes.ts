// Child processes of the bench: started in their own process group so that one signal stops a
// server and any workers it forked; all of them are stopped when the bench exits or is
// interrupted, and the temporary folders are removed.
import fs from 'node:fs';
import { fork, spawn, type ChildProcess, type ForkOptions, type SpawnOptions } from 'node:child_process';
import { portable } from './paths.ts';

const groups = new Set<number>();
const folders = new Set<string>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function cleanUp(): void {
  for (const pid of groups) killGroup(pid, 'SIGKILL');
  groups.clear();
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  folders.clear();
}

process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping the servers\n`);
    cleanUp();
    process.exit(130);
  });
}

/** A folder removed when the bench ends, however it ends. */
export function removeOnExit(folder: string): void {
  folders.add(folder);
}

/** Starts a command in its own process group, stopped with the bench at the latest. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions): ChildProcess {
  return track(spawn(command, args, { ...options, detached: true }), `${command} ${args.join(' ')}`);
}

/** Forks a node module in its own process group, with an IPC channel; stopped with the bench at the latest. */
export function forkGroup(module: string, args: string[], options: ForkOptions): ChildProcess {
  return track(fork(module, args, { ...options, detached: true }), module);
}

function track(child: ChildProcess, what: string): ChildProcess {
  if (child.pid === undefined) throw new Error(`could not start ${what}`);
  const pid = child.pid;
  groups.add(pid);
  child.once('exit', () => groups.delete(pid));
  return child;
}

/** Asks a process group to stop (SIGTERM), then kills it if it has not within `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  const pid = child.pid!;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(pid, 'SIGTERM');
    const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
    if (await Promise.race([exited, timer]) === 'late') {
      killGroup(pid, 'SIGKILL');
      await exited;
    }
  }
  // Workers may outlive their primary for a moment.
  killGroup(pid, 'SIGKILL');
  groups.delete(pid);
}

// ---- /proc: the process tree and its memory (Linux only)

export const hasProc = fs.existsSync('/proc/self/status');

function parentOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** The process and all its descendants, the process first. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

export interface ProcessMemory {
  pid: number;
  command: string;
  /** Peak resident set size (VmHWM), in MiB. */
  peakMb: number;
  /** Current resident set size (VmRSS), in MiB. */
  rssMb: number;
}

export function memoryOf(pid: number): ProcessMemory | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
    const command = portable(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' '));
    return { pid, command, peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

/** The memory of a server and of every process it started (cluster workers). */
export function treeMemory(root: number): ProcessMemory[] {
  if (!hasProc) return [];
  return processTree(root).map(memoryOf).filter((m): m is ProcessMemory => m !== null);
}
