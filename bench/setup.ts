// A fresh database in a temporary folder, loaded through the command line as an operator would:
// the bundled programmes, a generated congress when the CLI can make one, and an organiser's
// API token for the writes that make pages cold.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './paths.ts';
import { removeOnExit } from './processes.ts';

export const FORUM = 'uclg-learning-forum-2019';
export const CONGRESS = 'big-congress';
const CONGRESS_ARGS = ['generate', '--slug', CONGRESS, '--sessions', '2000', '--days', '5', '--rooms', '12'];

export interface Setup {
  dir: string;
  databasePath: string;
  /** Whether the congress was generated; without it, its rows are skipped. */
  congress: boolean;
  /** An organiser's API token, for the writes of the cold timings. */
  token: string;
  notices: string[];
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function cli(databasePath: string, args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string; ms: number } {
  const start = Date.now();
  const result = spawnSync(npm, ['run', '-s', 'cli', '--', ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env, DATABASE_PATH: databasePath }, maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - start };
}

function mustCli(databasePath: string, args: string[], env: Record<string, string> = {}) {
  const result = cli(databasePath, args, env);
  if (result.status !== 0) throw new Error(`npm run cli -- ${args.join(' ')} failed (${result.status}):\n${result.stderr || result.stdout}`);
  return result;
}

export function prepareDatabase(): Setup {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-programme-bench-'));
  removeOnExit(dir);
  const databasePath = path.join(dir, 'forum.db');
  const notices: string[] = [];

  const seeded = mustCli(databasePath, ['seed']);
  console.log(`seed: ${seeded.stdout.trim().replace(databasePath, 'the bench database')} (${seeded.ms} ms)`);

  let congress = false;
  const help = cli(databasePath, ['help']).stdout;
  if (!/^\s+generate\b/m.test(help)) {
    notices.push(`the CLI has no "generate" command yet: the congress rows (${CONGRESS}) are skipped`);
  } else {
    const generated = cli(databasePath, CONGRESS_ARGS);
    if (generated.status === 0) {
      congress = true;
      console.log(`generate: ${generated.stdout.trim().split('\n').at(-1)} (${generated.ms} ms)`);
    } else {
      notices.push(`npm run cli -- ${CONGRESS_ARGS.join(' ')} failed, the congress rows are skipped: ${(generated.stderr || generated.stdout).trim().split('\n')[0]}`);
    }
  }

  const email = 'bench@example.org';
  mustCli(databasePath, ['user', 'add', '--email', email, '--name', 'Bench', '--role', 'organiser'], { FORUM_PASSWORD: 'bench password, not a secret' });
  const token = mustCli(databasePath, ['token', 'create', '--email', email, '--name', 'bench']).stdout.trim();
  return { dir, databasePath, congress, token, notices };
}
