// Where the bench and the project are.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, '..');

/** A command line as the results show it: relative to the project, whichever machine ran it. */
export function portable(command: string): string {
  return command.replaceAll(process.execPath, 'node').replaceAll(`${ROOT}${path.sep}`, '').replaceAll(ROOT, '.');
}
