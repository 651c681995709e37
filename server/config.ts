// The only reader of the environment's settings; everything else receives a Config.
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
/**
 * The project folder, where views/, migrations/ and data/ are: the parent of server/ when the
 * sources run (tsx, tests), two levels up from dist/server/config.js once compiled by `npm run build`.
 */
export const PROJECT_ROOT = path.resolve(path.dirname(HERE), path.extname(HERE) === '.js' ? '../..' : '..');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  /** Absolute path of the SQLite file. */
  databasePath: string;
  /** Base URL used for absolute links and calendar UIDs, without a trailing slash. */
  publicUrl: string;
  logLevel: LogLevel;
  /** The largest programme file an import accepts, in bytes. */
  importMaxBytes: number;
  /** How many processes serve requests; more than 1 runs a node:cluster primary and that many workers. */
  workers: number;
  /** How long, in seconds, a shared cache (nginx, a CDN) or a browser may keep a public response before revalidating it. */
  cacheMaxAge: number;
  /** Scheduled backups (BACKUP_DIR, BACKUP_INTERVAL, BACKUP_KEEP), or null when BACKUP_DIR is unset. */
  backup: { dir: string; intervalMs: number; keep: number } | null;
  /** How long slow clients and a closing server may take, in milliseconds (see readTimeouts). */
  timeouts: Timeouts;
  /**
   * The lower-case header whose value becomes a request's id when it is well formed
   * (REQUEST_ID_HEADER, set only behind a proxy that always writes it), or null: ids are made here.
   */
  requestIdHeader: string | null;
  /**
   * Which peers' X-Forwarded-For is believed (TRUST_PROXY): false, the peer is the client; a hop
   * count; or addresses and ranges of the reverse proxies. Sign-in limits and logs use the client's address.
   */
  trustProxy: false | number | string[];
  /** Where e-mail goes (SMTP_URL) and whom it is from (MAIL_FROM); null: no e-mail leaves the server. */
  mail: { smtpUrl: string; from: string } | null;
  /** Webhooks may call private, loopback and link-local addresses (WEBHOOK_ALLOW_PRIVATE=true). */
  webhookAllowPrivate: boolean;
  /** The wait before a message or webhook is tried a second time (DELIVERY_RETRY_DELAY); each later try waits twice as long. */
  deliveryRetryDelayMs: number;
}

export interface Timeouts {
  /** The whole request, headers and body, must arrive within this (REQUEST_TIMEOUT). */
  request: number;
  /** The headers must arrive within this (HEADERS_TIMEOUT, at most REQUEST_TIMEOUT). */
  headers: number;
  /** A kept-alive connection with no request is closed after this (KEEP_ALIVE_TIMEOUT). */
  keepAlive: number;
  /** On SIGTERM, requests in flight get this long to finish before their connections are cut (SHUTDOWN_TIMEOUT). */
  shutdown: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Environment = Record<string, string | undefined>;

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, not "${raw}"`);
  }
  return Number(raw);
}

function readHost(raw: string | undefined): string {
  if (raw === undefined || raw === '') return '127.0.0.1';
  if (!/^[A-Za-z0-9.:\-[\]]{1,253}$/.test(raw)) {
    throw new ConfigError(`HOST must be a host name or an IP address, not "${raw}"`);
  }
  return raw;
}

function readPublicUrl(raw: string | undefined, host: string, port: number): string {
  if (raw === undefined || raw === '') {
    const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    return `http://${hostPart}:${port}`;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL, not "${raw}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username) {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL without query or credentials, not "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

function readLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw === '') return 'info';
  const level = raw.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${raw}"`);
  }
  return level as LogLevel;
}

const DEFAULT_IMPORT_MAX_BYTES = 10 * 1024 * 1024;

function readImportMaxBytes(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_IMPORT_MAX_BYTES;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1024) {
    throw new ConfigError(`IMPORT_MAX_BYTES must be a whole number of bytes, at least 1024, not "${raw}"`);
  }
  return Number(raw);
}

const DEFAULT_CACHE_MAX_AGE = 60;

function readCacheMaxAge(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_CACHE_MAX_AGE;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 86_400) {
    throw new ConfigError(`CACHE_MAX_AGE must be a whole number of seconds from 0 to 86400, not "${raw}"`);
  }
  return Number(raw);
}

export const MAX_WORKERS = 64;

function readWorkers(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  if (!/^\d{1,2}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_WORKERS) {
    throw new ConfigError(`WORKERS must be a whole number from 1 to ${MAX_WORKERS}, not "${raw}"`);
  }
  return Number(raw);
}

const DURATION_UNITS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DEFAULT_BACKUP_INTERVAL_MS = 6 * 3_600_000;
const DEFAULT_BACKUP_KEEP = 28;
export const MAX_BACKUP_KEEP = 1000;

/** BACKUP_DIR turns scheduled backups on; BACKUP_INTERVAL (30s, 15m, 6h, 1d: 1 s to 30 d) and BACKUP_KEEP (1 to 1000) tune them. */
function readBackup(env: Environment, databasePath: string): Config['backup'] {
  const { BACKUP_DIR: dir = '', BACKUP_INTERVAL: interval = '', BACKUP_KEEP: keep = '' } = env;
  if (dir === '') {
    if (interval !== '' || keep !== '') throw new ConfigError('BACKUP_INTERVAL and BACKUP_KEEP need BACKUP_DIR, the folder the backups go to');
    return null;
  }
  if (dir.length > 4096 || /[\x00-\x1f\x7f]/.test(dir)) throw new ConfigError('BACKUP_DIR must be a folder path of at most 4096 characters, without control characters');
  if (databasePath === ':memory:') throw new ConfigError('BACKUP_DIR needs a database file: DATABASE_PATH=:memory: cannot be backed up');
  let intervalMs = DEFAULT_BACKUP_INTERVAL_MS;
  if (interval !== '') {
    const match = interval.length <= 10 ? /^(\d{1,7})([smhd])$/.exec(interval) : null;
    intervalMs = match ? Number(match[1]) * DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS] : NaN;
    if (!(intervalMs >= 1_000 && intervalMs <= 30 * 86_400_000)) {
      throw new ConfigError(`BACKUP_INTERVAL must be a duration from 1s to 30d, a whole number and s, m, h or d (6h, 30m), not "${interval}"`);
    }
  }
  if (keep !== '' && (!/^\d{1,4}$/.test(keep) || Number(keep) < 1 || Number(keep) > MAX_BACKUP_KEEP)) {
    throw new ConfigError(`BACKUP_KEEP must be a whole number from 1 to ${MAX_BACKUP_KEEP}, not "${keep}"`);
  }
  return { dir: path.resolve(PROJECT_ROOT, dir), intervalMs, keep: keep === '' ? DEFAULT_BACKUP_KEEP : Number(keep) };
}

// Timeouts, in milliseconds. A request must arrive whole within REQUEST_TIMEOUT: at the default
// 30 s, the largest import (IMPORT_MAX_BYTES, 10 MiB by default) needs about 2.8 Mbit/s upstream.
// KEEP_ALIVE_TIMEOUT outlasts the 60 s for which proxies commonly keep an idle upstream
// connection, so the proxy, not this server, closes it, and never reuses one closed under it.
const TIMEOUTS = {
  REQUEST_TIMEOUT: { fallback: 30_000, min: 500, max: 600_000 },
  HEADERS_TIMEOUT: { fallback: 10_000, min: 500, max: 600_000 },
  KEEP_ALIVE_TIMEOUT: { fallback: 72_000, min: 100, max: 600_000 },
  SHUTDOWN_TIMEOUT: { fallback: 10_000, min: 100, max: 600_000 },
} as const;

function readMilliseconds(env: Environment, name: keyof typeof TIMEOUTS): number {
  const raw = env[name];
  const { fallback, min, max } = TIMEOUTS[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number of milliseconds from ${min} to ${max}, not "${raw}"`);
  }
  return Number(raw);
}

function readTimeouts(env: Environment): Timeouts {
  const request = readMilliseconds(env, 'REQUEST_TIMEOUT');
  // Unset, the headers' bound follows a shorter REQUEST_TIMEOUT down rather than refuse it.
  const headers = env.HEADERS_TIMEOUT === undefined || env.HEADERS_TIMEOUT === ''
    ? Math.min(TIMEOUTS.HEADERS_TIMEOUT.fallback, request)
    : readMilliseconds(env, 'HEADERS_TIMEOUT');
  // Node refuses a headers timeout longer than the request's, and it would mean nothing.
  if (headers > request) throw new ConfigError(`HEADERS_TIMEOUT (${headers}) must not be longer than REQUEST_TIMEOUT (${request})`);
  return { request, headers, keepAlive: readMilliseconds(env, 'KEEP_ALIVE_TIMEOUT'), shutdown: readMilliseconds(env, 'SHUTDOWN_TIMEOUT') };
}

function readRequestIdHeader(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (raw.length > 64 || !/^[A-Za-z0-9-]+$/.test(raw)) {
    throw new ConfigError(`REQUEST_ID_HEADER must be a header name (letters, digits and -, at most 64), not "${raw}"`);
  }
  return raw.toLowerCase();
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One proxy address or range: an IP, an IP/prefix, or one of proxy-addr's names. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [ip, prefix, ...rest] = entry.split('/');
  const family = net.isIP(ip ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function readTrustProxy(raw: string | undefined): false | number | string[] {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (/^\d{1,2}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 10) return Number(raw);
  const entries = raw.split(',').map((e) => e.trim()).filter((e) => e !== '');
  // "true" would believe any client that writes the header itself: its sign-in limit and its logged address would be its own choice.
  if (entries.length === 0 || entries.length > 50 || !entries.every(isProxyAddress)) {
    throw new ConfigError(`TRUST_PROXY must be the proxies' addresses or ranges (e.g. "loopback" or "10.0.0.5,10.1.0.0/16") or a hop count from 1 to 10, not "${raw}"`);
  }
  return entries;
}

const MAIL_FROM = /^(?:[^<>\r\n]{0,200}<[^\s@<>]{1,64}@[^\s@<>]{1,253}>|[^\s@<>]{1,64}@[^\s@<>]{1,253})$/;

/** SMTP_URL (smtp:// or smtps://, with credentials if the server wants them) and MAIL_FROM go together. */
function readMail(env: Environment): Config['mail'] {
  const { SMTP_URL: url = '', MAIL_FROM: from = '' } = env;
  if (url === '' && from === '') return null;
  if (url === '' || from === '') throw new ConfigError('SMTP_URL and MAIL_FROM go together: set both to send e-mail, or neither');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// address (smtp://user:password@host:587), not what was given');
  }
  if ((parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || parsed.hostname === '') {
    throw new ConfigError(`SMTP_URL must be an smtp:// or smtps:// address (smtp://user:password@host:587), not one with ${parsed.protocol}`);
  }
  if (from.length > 320 || !MAIL_FROM.test(from.trim())) {
    throw new ConfigError(`MAIL_FROM must be an address, or a name and an address ("Forum <forum@example.org>"), not "${from}"`);
  }
  return { smtpUrl: url, from: from.trim() };
}

function readBoolean(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(`${name} must be true or false, not "${raw}"`);
}

const RETRY_UNITS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** DELIVERY_RETRY_DELAY: 100ms to 1h (250ms, 30s, 5m); 30 s unless set. */
function readRetryDelay(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 30_000;
  const match = raw.length <= 10 ? /^(\d{1,7})(ms|s|m|h)$/.exec(raw) : null;
  const ms = match ? Number(match[1]) * RETRY_UNITS[match[2] as keyof typeof RETRY_UNITS] : NaN;
  if (!(ms >= 100 && ms <= 3_600_000)) throw new ConfigError(`DELIVERY_RETRY_DELAY must be a duration from 100ms to 1h (250ms, 30s, 5m), not "${raw}"`);
  return ms;
}

/** Reads and validates the configuration; throws a ConfigError whose message is one line for the operator. */
export function loadConfig(env: Environment): Config {
  const port = readPort(env.PORT);
  const host = readHost(env.HOST);
  const rawDatabasePath = env.DATABASE_PATH === undefined || env.DATABASE_PATH === '' ? 'data/forum.db' : env.DATABASE_PATH;
  const workers = readWorkers(env.WORKERS);
  if (workers > 1 && rawDatabasePath === ':memory:') {
    throw new ConfigError('WORKERS above 1 needs a database file: each process would have its own DATABASE_PATH=:memory:');
  }
  return {
    port,
    host,
    databasePath: rawDatabasePath === ':memory:' ? rawDatabasePath : path.resolve(PROJECT_ROOT, rawDatabasePath),
    publicUrl: readPublicUrl(env.PUBLIC_URL, host, port),
    logLevel: readLogLevel(env.LOG_LEVEL),
    importMaxBytes: readImportMaxBytes(env.IMPORT_MAX_BYTES),
    workers,
    cacheMaxAge: readCacheMaxAge(env.CACHE_MAX_AGE),
    backup: readBackup(env, rawDatabasePath),
    timeouts: readTimeouts(env),
    requestIdHeader: readRequestIdHeader(env.REQUEST_ID_HEADER),
    trustProxy: readTrustProxy(env.TRUST_PROXY),
    mail: readMail(env),
    webhookAllowPrivate: readBoolean('WEBHOOK_ALLOW_PRIVATE', env.WEBHOOK_ALLOW_PRIVATE),
    deliveryRetryDelayMs: readRetryDelay(env.DELIVERY_RETRY_DELAY),
  };
}
