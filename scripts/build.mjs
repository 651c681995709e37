// npm run build: compiles server/ to dist/server/ with tsc (tsconfig.build.json), so that
// `npm start` runs JavaScript instead of compiling TypeScript at every start.
//   node scripts/build.mjs             builds
//   node scripts/build.mjs --if-stale  builds only when the build is missing or older than its sources
//   node scripts/build.mjs --prepare   (npm's prepare, at `npm ci`) builds, or says why not when the
//                                      development dependencies, TypeScript among them, were left out
// Plain JavaScript on purpose: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
export const MAIN = path.join(DIST, 'server', 'main.js');
// Its modification time is the moment the build started: a source saved during a build is newer.
const STAMP = path.join(DIST, '.build-stamp');
const LOCK = path.join(ROOT, '.build-lock');
// What the build depends on besides server/: package.json is compiled in too (its version is
// the exports' generator).
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestChange(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  let newest = stat.mtimeMs;
  // A folder's own time changes when a file in it is added, removed or renamed.
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestChange(path.join(entry, name)));
  }
  return newest;
}

/** True when there is no build, or a file under server/ (or a setting of the build) is newer than it. */
export function isStale() {
  let built;
  try {
    built = fs.statSync(STAMP).mtimeMs;
  } catch {
    return true;
  }
  if (!fs.existsSync(MAIN)) return true;
  return [path.join(ROOT, 'server'), ...INPUTS.map((file) => path.join(ROOT, file))].some((entry) => newestChange(entry) > built);
}

export function typescriptCompiler() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Several starts at once (tests in parallel, a process manager starting twice) build one at a
 * time: the others wait, then find the build fresh. A lock left by a process that died is taken over.
 */
function withLock(run) {
  for (;;) {
    try {
      fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(LOCK, 'utf8').trim() || 'NaN');
      if (Number.isInteger(holder) && !processAlive(holder)) fs.rmSync(LOCK, { force: true });
      else sleep(100);
    }
  }
  try {
    return run();
  } finally {
    fs.rmSync(LOCK, { force: true });
  }
}

/**
 * Compiles into a fresh folder, then puts it in place of dist/: a server already running from
 * dist/ never sees half a build, and files of deleted sources do not linger.
 */
function compile() {
  const tsc = typescriptCompiler();
  if (tsc === null) throw new Error('TypeScript is not installed: run `npm ci` (with the development dependencies) to build dist/');
  const started = new Date();
  const next = path.join(ROOT, `.dist-${process.pid}`);
  fs.rmSync(next, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', next], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    fs.rmSync(next, { recursive: true, force: true });
    throw new Error(`the build failed (tsc exited with ${result.status ?? result.signal})`);
  }
  fs.writeFileSync(path.join(next, '.build-stamp'), `${started.toISOString()}\n`);
  fs.utimesSync(path.join(next, '.build-stamp'), started, started);
  const old = path.join(ROOT, `.dist-old-${process.pid}`);
  if (fs.existsSync(DIST)) fs.renameSync(DIST, old);
  fs.renameSync(next, DIST);
  fs.rmSync(old, { recursive: true, force: true });
}

/** Builds; with `ifStale`, only when isStale(). Returns whether it built. */
export function build({ ifStale = false } = {}) {
  if (ifStale && !isStale()) return false;
  return withLock(() => {
    // Another process may have built while this one waited for the lock.
    if (ifStale && !isStale()) return false;
    compile();
    return true;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--prepare') && typescriptCompiler() === null) {
      console.error('forum-programme: TypeScript is not installed (development dependencies left out?), so dist/ was not built, and `npm start` will refuse to run without it');
    } else {
      build({ ifStale: process.argv.includes('--if-stale') });
    }
  } catch (error) {
    console.error(`forum-programme: ${error.message}`);
    process.exit(1);
  }
}
