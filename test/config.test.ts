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
      backup: null,
      timeouts: { request: 30_000, headers: 10_000, keepAlive: 72_000, shutdown: 10_000 },
      requestIdHeader: null,
      trustProxy: false,
      mail: null,
      webhookAllowPrivate: false,
      deliveryRetryDelayMs: 30_000,
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
      backup: null,
      timeouts: { request: 30_000, headers: 10_000, keepAlive: 72_000, shutdown: 10_000 },
      requestIdHeader: null,
      trustProxy: false,
      mail: null,
      webhookAllowPrivate: false,
      deliveryRetryDelayMs: 30_000,
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

  test.each([
    ['loopback', ['loopback']],
    ['10.0.0.5, 10.1.0.0/16,::1', ['10.0.0.5', '10.1.0.0/16', '::1']],
    ['2', 2],
    ['false', false],
  ])('TRUST_PROXY=%j names the proxies whose X-Forwarded-For is believed', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  test.each(['true', '*', '10.0.0.0/33', 'proxy.example.org', '0', '11', ','])('TRUST_PROXY=%j is refused: it must name the proxies', (raw) => {
    expect(() => loadConfig({ TRUST_PROXY: raw })).toThrow(new ConfigError(`TRUST_PROXY must be the proxies' addresses or ranges (e.g. "loopback" or "10.0.0.5,10.1.0.0/16") or a hop count from 1 to 10, not "${raw}"`));
  });

  test('timeouts in milliseconds from the environment; REQUEST_ID_HEADER lower-cased', () => {
    const config = loadConfig({ REQUEST_TIMEOUT: '2000', HEADERS_TIMEOUT: '2000', KEEP_ALIVE_TIMEOUT: '100', SHUTDOWN_TIMEOUT: '600000', REQUEST_ID_HEADER: 'X-Request-Id' });
    expect(config.timeouts).toEqual({ request: 2000, headers: 2000, keepAlive: 100, shutdown: 600_000 });
    expect(config.requestIdHeader).toBe('x-request-id');
    // HEADERS_TIMEOUT unset follows a REQUEST_TIMEOUT shorter than its 10 s default.
    expect(loadConfig({ REQUEST_TIMEOUT: '2000' }).timeouts).toEqual({ request: 2000, headers: 2000, keepAlive: 72_000, shutdown: 10_000 });
  });

  test.each([
    [{ REQUEST_TIMEOUT: '30s' }, 'REQUEST_TIMEOUT must be a whole number of milliseconds from 500 to 600000, not "30s"'],
    [{ REQUEST_TIMEOUT: '499' }, 'REQUEST_TIMEOUT must be a whole number of milliseconds from 500 to 600000, not "499"'],
    [{ REQUEST_TIMEOUT: '600001' }, 'REQUEST_TIMEOUT must be a whole number of milliseconds from 500 to 600000, not "600001"'],
    [{ HEADERS_TIMEOUT: '-1' }, 'HEADERS_TIMEOUT must be a whole number of milliseconds from 500 to 600000, not "-1"'],
    [{ HEADERS_TIMEOUT: '40000' }, 'HEADERS_TIMEOUT (40000) must not be longer than REQUEST_TIMEOUT (30000)'],
    [{ KEEP_ALIVE_TIMEOUT: '0' }, 'KEEP_ALIVE_TIMEOUT must be a whole number of milliseconds from 100 to 600000, not "0"'],
    [{ SHUTDOWN_TIMEOUT: '99' }, 'SHUTDOWN_TIMEOUT must be a whole number of milliseconds from 100 to 600000, not "99"'],
    [{ SHUTDOWN_TIMEOUT: '12345678' }, 'SHUTDOWN_TIMEOUT must be a whole number of milliseconds from 100 to 600000, not "12345678"'],
    [{ REQUEST_ID_HEADER: 'x request id' }, 'REQUEST_ID_HEADER must be a header name (letters, digits and -, at most 64), not "x request id"'],
    [{ REQUEST_ID_HEADER: 'x'.repeat(65) }, `REQUEST_ID_HEADER must be a header name (letters, digits and -, at most 64), not "${'x'.repeat(65)}"`],
  ])('a bad timeout or request id header is refused with one clear line: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  test('scheduled backups: off without BACKUP_DIR; 6h and 28 kept by default; BACKUP_INTERVAL in s, m, h or d', () => {
    expect(loadConfig({ BACKUP_DIR: 'backups' }).backup).toEqual({ dir: path.join(PROJECT_ROOT, 'backups'), intervalMs: 6 * 3_600_000, keep: 28 });
    expect(loadConfig({ BACKUP_DIR: '/srv/backups', BACKUP_INTERVAL: '1s', BACKUP_KEEP: '1' }).backup).toEqual({ dir: '/srv/backups', intervalMs: 1_000, keep: 1 });
    expect(loadConfig({ BACKUP_DIR: '/srv/backups', BACKUP_INTERVAL: '90m', BACKUP_KEEP: '1000' }).backup).toEqual({ dir: '/srv/backups', intervalMs: 90 * 60_000, keep: 1000 });
    expect(loadConfig({ BACKUP_DIR: '/srv/backups', BACKUP_INTERVAL: '30d' }).backup!.intervalMs).toBe(30 * 86_400_000);
    expect(loadConfig({ BACKUP_DIR: '' }).backup).toBe(null);
  });

  test.each([
    [{ BACKUP_INTERVAL: '6h' }, 'BACKUP_INTERVAL and BACKUP_KEEP need BACKUP_DIR, the folder the backups go to'],
    [{ BACKUP_KEEP: '3' }, 'BACKUP_INTERVAL and BACKUP_KEEP need BACKUP_DIR, the folder the backups go to'],
    [{ BACKUP_DIR: 'b', BACKUP_INTERVAL: '6' }, 'BACKUP_INTERVAL must be a duration from 1s to 30d, a whole number and s, m, h or d (6h, 30m), not "6"'],
    [{ BACKUP_DIR: 'b', BACKUP_INTERVAL: '0s' }, 'BACKUP_INTERVAL must be a duration from 1s to 30d, a whole number and s, m, h or d (6h, 30m), not "0s"'],
    [{ BACKUP_DIR: 'b', BACKUP_INTERVAL: '31d' }, 'BACKUP_INTERVAL must be a duration from 1s to 30d, a whole number and s, m, h or d (6h, 30m), not "31d"'],
    [{ BACKUP_DIR: 'b', BACKUP_INTERVAL: '1.5h' }, 'BACKUP_INTERVAL must be a duration from 1s to 30d, a whole number and s, m, h or d (6h, 30m), not "1.5h"'],
    [{ BACKUP_DIR: 'b', BACKUP_INTERVAL: `${'9'.repeat(20)}s` }, `BACKUP_INTERVAL must be a duration from 1s to 30d, a whole number and s, m, h or d (6h, 30m), not "${'9'.repeat(20)}s"`],
    [{ BACKUP_DIR: 'b', BACKUP_KEEP: '0' }, 'BACKUP_KEEP must be a whole number from 1 to 1000, not "0"'],
    [{ BACKUP_DIR: 'b', BACKUP_KEEP: '1001' }, 'BACKUP_KEEP must be a whole number from 1 to 1000, not "1001"'],
    [{ BACKUP_DIR: 'b', BACKUP_KEEP: 'all' }, 'BACKUP_KEEP must be a whole number from 1 to 1000, not "all"'],
    [{ BACKUP_DIR: 'back\nups' }, 'BACKUP_DIR must be a folder path of at most 4096 characters, without control characters'],
    [{ BACKUP_DIR: 'b'.repeat(4097) }, 'BACKUP_DIR must be a folder path of at most 4096 characters, without control characters'],
    [{ BACKUP_DIR: 'b', DATABASE_PATH: ':memory:' }, 'BACKUP_DIR needs a database file: DATABASE_PATH=:memory: cannot be backed up'],
  ])('a bad backup setting is refused with one clear line: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  test('e-mail: off without SMTP_URL and MAIL_FROM; both set, it is on; webhooks to private addresses off unless WEBHOOK_ALLOW_PRIVATE=true; retries after DELIVERY_RETRY_DELAY', () => {
    expect(loadConfig({}).mail).toBe(null);
    expect(loadConfig({ SMTP_URL: 'smtp://user:secret@mail.example.org:587', MAIL_FROM: 'Forum <forum@example.org>' }).mail)
      .toEqual({ smtpUrl: 'smtp://user:secret@mail.example.org:587', from: 'Forum <forum@example.org>' });
    expect(loadConfig({ SMTP_URL: 'smtps://mail.example.org', MAIL_FROM: 'forum@example.org' }).mail).toEqual({ smtpUrl: 'smtps://mail.example.org', from: 'forum@example.org' });
    expect([loadConfig({}).webhookAllowPrivate, loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate, loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'false' }).webhookAllowPrivate])
      .toEqual([false, true, false]);
    expect(['250ms', '30s', '5m', '1h'].map((d) => loadConfig({ DELIVERY_RETRY_DELAY: d }).deliveryRetryDelayMs)).toEqual([250, 30_000, 300_000, 3_600_000]);
  });

  test.each([
    [{ SMTP_URL: 'smtp://mail.example.org' }, 'SMTP_URL and MAIL_FROM go together: set both to send e-mail, or neither'],
    [{ MAIL_FROM: 'forum@example.org' }, 'SMTP_URL and MAIL_FROM go together: set both to send e-mail, or neither'],
    [{ SMTP_URL: 'https://mail.example.org', MAIL_FROM: 'forum@example.org' }, 'SMTP_URL must be an smtp:// or smtps:// address (smtp://user:password@host:587), not one with https:'],
    [{ SMTP_URL: 'mail.example.org', MAIL_FROM: 'forum@example.org' }, 'SMTP_URL must be an smtp:// or smtps:// address (smtp://user:password@host:587), not what was given'],
    [{ SMTP_URL: 'smtp://mail.example.org', MAIL_FROM: 'forum' }, 'MAIL_FROM must be an address, or a name and an address ("Forum <forum@example.org>"), not "forum"'],
    [{ SMTP_URL: 'smtp://mail.example.org', MAIL_FROM: 'Forum <forum@example.org>\nBcc: x@example.org' }, 'MAIL_FROM must be an address, or a name and an address ("Forum <forum@example.org>"), not "Forum <forum@example.org>\nBcc: x@example.org"'],
    [{ WEBHOOK_ALLOW_PRIVATE: 'yes' }, 'WEBHOOK_ALLOW_PRIVATE must be true or false, not "yes"'],
    [{ DELIVERY_RETRY_DELAY: '50ms' }, 'DELIVERY_RETRY_DELAY must be a duration from 100ms to 1h (250ms, 30s, 5m), not "50ms"'],
    [{ DELIVERY_RETRY_DELAY: '2h' }, 'DELIVERY_RETRY_DELAY must be a duration from 100ms to 1h (250ms, 30s, 5m), not "2h"'],
    [{ DELIVERY_RETRY_DELAY: '30' }, 'DELIVERY_RETRY_DELAY must be a duration from 100ms to 1h (250ms, 30s, 5m), not "30"'],
  ])('a bad mail or delivery setting is refused with one clear line: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  test('WORKERS takes every whole number from 1 to 64, leading zeros included', () => {
    expect(loadConfig({ WORKERS: '1' }).workers).toBe(1);
    expect(loadConfig({ WORKERS: '64' }).workers).toBe(64);
    expect(loadConfig({ WORKERS: '08' }).workers).toBe(8);
  });
});
