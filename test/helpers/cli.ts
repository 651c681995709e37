// Runs `npm run cli -- …` as a real child process (stdin a pipe, not a terminal) on a test's database file.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config.ts';
import { TSX } from './server.ts';

export interface CliRun { status: number | null; stdout: string; stderr: string }

/** The command line on DATABASE_PATH=dir/forum.db; FORUM_PASSWORD only when a password is given. */
export function runCli(dir: string, args: string[], password?: string, extraEnv: Record<string, string> = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: path.join(dir, 'forum.db'), LOG_LEVEL: 'silent', ...extraEnv };
  delete env.FORUM_PASSWORD;
  if (password !== undefined) env.FORUM_PASSWORD = password;
  return new Promise((resolve) => {
    execFile(TSX, ['server/cli.ts', ...args], { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}
