import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, PROJECT_ROOT } from '../server/config.ts';

describe('configuration', () => {
  test('defaults: 127.0.0.1:3000, data/forum.db, public URL from host and port, info logs, one process', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databasePath: path.join(PROJECT_ROOT, 'data', 'forum.db'),
      publicUrl: 'http://127.0.0.1:3000',
      logLevel: 'info',
      importMaxBytes: 10 * 1024 * 1024,
      workers: 1,
      cacheMaxAge: 60,
    });
  });

  test('values from the environment, PUBLIC_URL without its trailing slash', () => {
    expect(loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATABASE_PATH: '/var/lib/forum/forum.db', PUBLIC_URL: 'https://forum.example.org/', LOG_LEVEL: 'WARN', IMPORT_MAX_BYTES: '2048', WORKERS: '4' })).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databasePath: '/var/lib/forum/forum.db',
      publicUrl: 'https://forum.example.org',
      logLevel: 'warn',
      importMaxBytes: 2048,
      workers: 4,
      cacheMaxAge: 60,
    });
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number from 0 to 65535, not "eighty"'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 0 to 65535, not "70000"'],
    [{ HOST: 'bad host' }, 'HOST must be a host name or an IP address, not "bad host"'],
    [{ PUBLIC_URL: 'forum.example.org' }, 'PUBLIC_URL must be an absolute http(s) URL, not "forum.example.org"'],
    [{ PUBLIC_URL: 'ftp://forum.example.org' }, 'PUBLIC_URL must be an absolute http(s) URL without query or credentials, not "ftp://forum.example.org"'],
    [{ IMPORT_MAX_BYTES: '10MB' }, 'IMPORT_MAX_BYTES must be a whole number of bytes, at least 1024, not "10MB"'],
    [{ WORKERS: '0' }, 'WORKERS must be a whole number from 1 to 64, not "0"'],
    [{ WORKERS: '65' }, 'WORKERS must be a whole number from 1 to 64, not "65"'],
    [{ WORKERS: '2.5' }, 'WORKERS must be a whole number from 1 to 64, not "2.5"'],
    [{ WORKERS: 'all' }, 'WORKERS must be a whole number from 1 to 64, not "all"'],
    [{ WORKERS: '2', DATABASE_PATH: ':memory:' }, 'WORKERS above 1 needs a database file: each process would have its own DATABASE_PATH=:memory:'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "loud"'],
  ])('a bad value is refused with one clear line: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  test('WORKERS takes every whole number from 1 to 64, leading zeros included', () => {
    expect(loadConfig({ WORKERS: '1' }).workers).toBe(1);
    expect(loadConfig({ WORKERS: '64' }).workers).toBe(64);
    expect(loadConfig({ WORKERS: '08' }).workers).toBe(8);
  });
});
