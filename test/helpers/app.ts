// Builds the real app on a fresh SQLite file in a temporary folder, with the real migrations.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  dir: string;
  close: () => Promise<void>;
}

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'forum-programme-test-'));
}

export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  return loadConfig({ DATABASE_PATH: path.join(dir, 'forum.db'), LOG_LEVEL: 'silent', ...env });
}

export async function buildTestApp(options: AppOptions & { env?: Record<string, string>; dir?: string; ready?: boolean } = {}): Promise<TestApp> {
  const dir = options.dir ?? makeTempDir();
  const config = testConfig(dir, options.env);
  const app = await buildApp(config, options);
  // Ready now, so that start-up work (the setup-link check) is not counted in a test's first request.
  // Tests that add routes of their own pass ready: false and call ready() themselves.
  if (options.ready ?? true) await app.ready();
  return {
    app,
    config,
    dir,
    close: async () => {
      await app.close();
      if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const FORUM_2019 = 'uclg-learning-forum-2019';
export const SEMINAR_2015 = 'uclg-learning-agenda-2015';
