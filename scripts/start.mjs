// npm start: builds dist/ when it is missing or older than server/ (see build.mjs), then runs
// the compiled server in this process. Plain JavaScript, so a start compiles nothing when the
// build is fresh.
import module from 'node:module';
import { pathToFileURL } from 'node:url';
import { build, MAIN } from './build.mjs';

// Node 22.1 and later keep the compiled code of every module between starts; older Node has no such cache.
module.enableCompileCache?.();

try {
  build({ ifStale: true });
} catch (error) {
  console.error(`forum-programme: ${error.message}`);
  process.exit(1);
}
await import(pathToFileURL(MAIN).href);
