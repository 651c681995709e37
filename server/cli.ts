// npm run cli -- <command>. Reads the same configuration as the server.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { applyMigrations } from './db/migrate.ts';
import { BundledProgrammeError, loadAllBundledProgrammes } from './programme/bundled.ts';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  seed      load the bundled programmes of data/ into the database
            (creates the events, or brings them back to the data files; public ids never change)
  help      show this text`;

function run(argv: string[]): number {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {} });
  const [command] = positionals;
  if (!command || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const config = loadConfig(process.env);
  switch (command) {
    case 'seed': {
      const db = openDatabase(config.databasePath);
      try {
        applyMigrations(db);
        const slugs = loadAllBundledProgrammes(db);
        console.log(`Loaded ${slugs.length} programme(s) into ${config.databasePath}: ${slugs.join(', ')}`);
      } finally {
        db.$client.close();
      }
      return 0;
    }
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError || error instanceof BundledProgrammeError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`forum-programme: ${(error as Error).message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
