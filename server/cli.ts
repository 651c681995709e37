// npm run cli -- <command>. Reads the same configuration as the server.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { createApiToken, createUser, revokeToken, tokensOf } from './domains/accounts/service.ts';
import { findUserByEmail, listUsers } from './domains/accounts/repository.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type Db } from './db/client.ts';
import { applyMigrations } from './db/migrate.ts';
import { backupDatabase, BackupError, restoreDatabase } from './db/backup.ts';
import { LANGUAGES, USER_ROLES, type Language, type UserRole } from './db/schema.ts';
import { exportProgrammeJson, importProgrammeFile } from './domains/interop/service.ts';
import { GenerateError, parseGenerateOptions } from './domains/interop/generator.ts';
import { generateCongressInto } from './domains/interop/generator-service.ts';
import { readProgramme } from './domains/releases/reader.ts';
import { ImportError } from './domains/programme/sync.ts';
import { findLatestReleaseOfEvent } from './domains/releases/repository.ts';
import { HttpError } from './errors.ts';
import { BundledProgrammeError, loadAllBundledProgrammes } from './domains/interop/bundled.ts';
import { findEventById, findEventBySlug } from './domains/programme/repository.ts';
import { RELEASE_NAME_MAX } from './domains/releases/schemas.ts';
import { releaseProgramme } from './domains/releases/service.ts';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  seed      load the bundled programmes of data/ into the database
            (creates the events, or brings them back to the data files; public ids never change)
  import FILE [--timezone ZONE] [--slug SLUG] [--language fr|en|es]
            import a programme: a forum-programme JSON export, a data/ file, or a frab schedule.xml
            (pretalx, frab, wafer, pentabarf). Creates the event, or updates it in place when the
            same file (or a later export of it) is imported again. For frab XML: --timezone when
            the file names none, --slug instead of the conference acronym, --language of its texts.
            The working copy changes; release it to publish it
  export SLUG [--format json] [--released] [--output FILE]
            write the programme in our JSON format (to stdout, or FILE): the working copy, or
            with --released the latest release
  generate --slug SLUG [--sessions 2000] [--days 5] [--rooms 12] [--seed 1] [--start 2027-10-04]
            [--timezone Africa/Johannesburg]
            create a made-up congress of that size for benchmarks and load tests, and release it as "1":
            parts, parallel time slots, people, organisations, expected outputs, texts in fr/en/es (some
            missing), a few deliberate conflicts, and 2% of sessions cancelled (so never released). The
            same options give the same programme. Refused when the address is taken.
            Limits: --sessions 1-10000, --days 1-14, --rooms 1-200
  release SLUG --name NAME
            release the working copy of an event: public pages, the API and the feeds then show it.
            Refused when the name is taken or nothing changed since the latest release
  user add --email E --name N --role organiser|rapporteur [--event SLUG]
            create an account; an organiser without --event organises every event.
            The password comes from FORUM_PASSWORD, else it is asked (twice) on the terminal
  user list
            every account
  token create --email E [--name N]
            create an API token acting for that account; prints only the token, once
  token list [--email E]
            API tokens, never their secret
  token revoke ID
            revoke an API token: it stops working at once
  backup FILE
            write a consistent copy of the whole database (accounts, programmes, releases, conclusions,
            agendas, audit) to FILE, also while the server runs; the copy is checked before it gets its
            name. Never overwrites a file
  restore FILE
            replace the database by the backup FILE, once it is checked (SQLite, intact, migrations this
            version knows; an older one is brought up to date at the next start). Stop the server first:
            refused while a process has the database open. The replaced database is renamed, not deleted
  help      show this text`;

/** A mistake of the operator's, told in one line. */
class CliError extends Error {
  override name = 'CliError';
}

type Values = {
  email?: string; name?: string; role?: string; event?: string;
  timezone?: string; slug?: string; language?: string; format?: string; released?: boolean; output?: string;
  sessions?: string; days?: string; rooms?: string; seed?: string; start?: string;
};

interface Command {
  options: (keyof Values)[];
  /** How many words follow the command (token revoke ID). */
  arguments: number;
  /** Commands on the database file itself, which must not open (and so create or migrate) it first. */
  onFile?(args: string[], config: Config): Promise<void> | void;
  run?(db: Db, values: Values, args: string[], context: { env: Record<string, string | undefined>; config: Config }): Promise<void> | void;
}

/** Reads a line from the terminal without showing it. */
function askHidden(question: string): Promise<string> {
  const input = process.stdin;
  // Echo off before the question shows, so that nothing typed after it is echoed.
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') {
          finish();
          resolve(typed);
          return;
        }
        if (c === '\u0003' || c === '\u0004') {
          finish();
          reject(new CliError('cancelled'));
          return;
        }
        if (c === '\u007f' || c === '\b') typed = [...typed].slice(0, -1).join('');
        else if (c >= ' ') typed += c;
      }
    };
    input.on('data', onData);
  });
}

async function newPassword(env: Record<string, string | undefined>): Promise<string> {
  if (env.FORUM_PASSWORD !== undefined) return env.FORUM_PASSWORD;
  if (!process.stdin.isTTY) throw new CliError('no password: set FORUM_PASSWORD, or run this in a terminal to type it');
  const first = await askHidden('Password: ');
  const second = await askHidden('Password, once more: ');
  if (first !== second) throw new CliError('the two passwords differ; nothing was created');
  return first;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

const instant = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

function eventLabel(db: Db, eventId: number | null): string {
  return eventId === null ? '(every event)' : findEventById(db, eventId)?.slug ?? `#${eventId}`;
}

function accountOf(db: Db, email: string) {
  const user = findUserByEmail(db, email.trim());
  if (!user) throw new CliError(`no account uses ${email.trim().toLowerCase()}`);
  return user;
}

const COMMANDS: Record<string, Command> = {
  'seed': {
    options: [],
    arguments: 0,
    run(db, _values, _args, { config }) {
      const slugs = loadAllBundledProgrammes(db);
      console.log(`Loaded ${slugs.length} programme(s) into ${config.databasePath}: ${slugs.join(', ')}`);
    },
  },

  'import': {
    options: ['timezone', 'slug', 'language'],
    arguments: 1,
    run(db, { timezone, slug, language }, [file], { config }) {
      if (language !== undefined && !(LANGUAGES as readonly string[]).includes(language)) {
        throw new CliError(`--language must be fr, en or es, not "${language}"`);
      }
      let bytes: Buffer;
      try {
        // Refused before it is read: a huge file must not fill the memory first.
        const size = fs.statSync(file!).size;
        if (size > config.importMaxBytes) throw new ImportError(`the file is ${size} bytes long, over the limit of ${config.importMaxBytes} bytes (IMPORT_MAX_BYTES)`, 413);
        bytes = fs.readFileSync(file!);
      } catch (error) {
        if (error instanceof ImportError) throw new CliError(`${file}: ${error.message}. Nothing was imported.`);
        throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
      }
      let report;
      try {
        report = importProgrammeFile(db, bytes, { timezone, slug, language: language as Language | undefined, maxBytes: config.importMaxBytes }, null);
      } catch (error) {
        if (error instanceof ImportError) throw new CliError(`${file}: ${error.message}. Nothing was imported.`);
        throw error;
      }
      const { counts } = report;
      console.log(`${report.created ? 'Created' : 'Updated'} event ${report.slug} from ${file} (${report.format}): `
        + `${counts.sessions} sessions, ${counts.rooms} rooms, ${counts.people} people, ${counts.organisations} organisations, `
        + `${counts.parts} parts, ${counts.outputs} expected outputs`);
      for (const note of report.notes) process.stderr.write(`note: ${note}\n`);
      const release = findLatestReleaseOfEvent(db, report.eventId);
      process.stderr.write(release
        ? `The working copy changed; participants see release ${release.name} until you release it: npm run cli -- release ${report.slug} --name NAME\n`
        : `Not public yet: release it with npm run cli -- release ${report.slug} --name 1\n`);
    },
  },

  'export': {
    options: ['format', 'released', 'output'],
    arguments: 1,
    run(db, { format, released, output }, [slug]) {
      if (format !== undefined && format !== 'json') throw new CliError(`--format must be json, not "${format}"`);
      // The working copy organisers edit, or with --released what participants see.
      const text = exportProgrammeJson(readProgramme(db, { slug: slug! }, released ? 'released' : 'working'));
      if (output === undefined) process.stdout.write(text);
      else {
        fs.writeFileSync(output, text);
        process.stderr.write(`Wrote ${slug} to ${output}\n`);
      }
    },
  },

  'generate': {
    options: ['slug', 'sessions', 'days', 'rooms', 'seed', 'start', 'timezone'],
    arguments: 0,
    run(db, values) {
      let report;
      try {
        report = generateCongressInto(db, parseGenerateOptions(values), { id: null, name: 'command line' }, new Date());
      } catch (error) {
        if (error instanceof GenerateError) throw new CliError(`${error.message}. Nothing was written.`);
        throw error;
      }
      const f = report.facts;
      for (const conflict of report.conflicts) process.stderr.write(`warning (deliberate): ${conflict.message}\n`);
      console.log(`Generated event ${report.slug} and released it as version ${report.release.name}: ${f.sessions} sessions (${f.cancelled} cancelled, which the release leaves out), `
        + `${f.rooms} rooms, ${f.parts} parts, ${f.slots} time slots of ${f.slotMinutes} minutes, ${f.people} people, ${f.organisations} organisations, `
        + `${f.outputs} expected outputs, ${report.conflicts.length} conflicts`);
    },
  },

  'release': {
    options: ['name'],
    arguments: 1,
    run(db, { name }, [slug], { config }) {
      if (name === undefined) throw new CliError('release needs --name, the version name participants will see');
      if (name.trim() === '' || name.trim().length > RELEASE_NAME_MAX || /[\x00-\x1f\x7f]/.test(name)) {
        throw new CliError(`--name must be one line of 1 to ${RELEASE_NAME_MAX} characters`);
      }
      const event = findEventBySlug(db, slug!);
      if (!event) throw new CliError(`no event "${slug}"`);
      const { data, warnings } = releaseProgramme(db, event, { id: null, name: 'command line' }, { name }, new Date(), { notify: { publicUrl: config.publicUrl } });
      const counts = Object.entries(data.counts).map(([type, n]) => `${n} ${type}`).join(', ');
      console.log(`Released version ${data.name} of ${event.slug} (release ${data.sequence}): ${counts}`);
      for (const conflict of warnings) process.stderr.write(`warning: ${conflict.message}\n`);
    },
  },

  'user add': {
    options: ['email', 'name', 'role', 'event'],
    arguments: 0,
    async run(db, { email, name, role, event }, _args, { env }) {
      if (email === undefined || name === undefined || role === undefined) throw new CliError('user add needs --email, --name and --role');
      if (!(USER_ROLES as readonly string[]).includes(role)) throw new CliError(`--role must be organiser or rapporteur, not "${role}"`);
      let eventId: number | null = null;
      if (event !== undefined) {
        const row = findEventBySlug(db, event);
        if (!row) throw new CliError(`no event "${event}" (npm run cli -- seed loads the bundled ones)`);
        eventId = row.id;
      }
      // Checked before asking for a password; createUser checks again.
      if (findUserByEmail(db, email.trim())) throw new CliError(`an account already uses ${email.trim().toLowerCase()}`);
      const password = await newPassword(env);
      const user = await createUser(db, { email, name, password, role: role as UserRole, eventId }, new Date());
      console.log(`Created ${user.role} ${user.email}${user.role === 'organiser' ? ` for ${eventLabel(db, user.eventId)}` : ''}`);
    },
  },

  'user list': {
    options: [],
    arguments: 0,
    run(db) {
      const rows = listUsers(db).map((u) => [u.email, u.role, u.role === 'organiser' ? eventLabel(db, u.eventId) : '-', u.name]);
      console.log(table([['EMAIL', 'ROLE', 'EVENT', 'NAME'], ...rows]));
    },
  },

  'token create': {
    options: ['email', 'name'],
    arguments: 0,
    run(db, { email, name }) {
      if (email === undefined) throw new CliError('token create needs --email');
      const tokenName = (name ?? 'command line').trim();
      if (tokenName === '' || tokenName.length > 100) throw new CliError('--name must be 1 to 100 characters long');
      const user = accountOf(db, email);
      const { row, token } = createApiToken(db, user.id, tokenName, new Date());
      // Only the token on stdout, so that `$(npm run -s cli -- token create …)` captures it.
      console.log(token);
      process.stderr.write(`Token ${row.publicId} ("${row.name}") acts for ${user.email}. It is shown this once: keep it now.\n`);
    },
  },

  'token list': {
    options: ['email'],
    arguments: 0,
    run(db, { email }) {
      const rows = tokensOf(db, email === undefined ? null : accountOf(db, email).id)
        .map((t) => [t.publicId, t.userEmail, instant(t.createdAt), instant(t.lastUsedAt), instant(t.revokedAt), t.name]);
      console.log(table([['ID', 'USER', 'CREATED', 'LAST USED', 'REVOKED', 'NAME'], ...rows]));
    },
  },

  'token revoke': {
    options: [],
    arguments: 1,
    run(db, _values, [id]) {
      const token = revokeToken(db, null, id!, new Date());
      console.log(`Revoked token ${token.publicId} ("${token.name}")`);
    },
  },
};

const FILE_COMMANDS: Record<string, Command> = {
  'backup': {
    options: [],
    arguments: 1,
    async onFile([file], config) {
      const report = await backupDatabase(config.databasePath, file!);
      console.log(`Backed up ${config.databasePath} to ${report.file} as of ${report.snapshotAt.toISOString()}: ${report.bytes} bytes, checked, ${report.migrations} migrations, in ${report.ms} ms`);
    },
  },
  'restore': {
    options: [],
    arguments: 1,
    onFile([file], config) {
      const report = restoreDatabase(file!, config.databasePath, new Date());
      const older = report.migrations < report.knownMigrations ? `; ${report.knownMigrations - report.migrations} migration(s) will be applied at the next start` : '';
      console.log(`Restored ${file} into ${config.databasePath} (${report.bytes} bytes, checked${older})`);
      if (report.previous) process.stderr.write(`The database it replaced is now ${report.previous}\n`);
    },
  },
};
Object.assign(COMMANDS, FILE_COMMANDS);

const SINGLE_WORD_COMMANDS = ['seed', 'release', 'import', 'export', 'generate', 'backup', 'restore'];

async function run(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, event: { type: 'string' },
      timezone: { type: 'string' }, slug: { type: 'string' }, language: { type: 'string' },
      format: { type: 'string' }, released: { type: 'boolean' }, output: { type: 'string' },
      sessions: { type: 'string' }, days: { type: 'string' }, rooms: { type: 'string' }, seed: { type: 'string' }, start: { type: 'string' },
    },
  });
  const [word] = positionals;
  if (!word || word === 'help') {
    console.log(USAGE);
    return word ? 0 : 2;
  }
  const name = SINGLE_WORD_COMMANDS.includes(word) ? word : positionals.slice(0, 2).join(' ');
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command "${positionals.join(' ')}".\n\n${USAGE}`);
    return 2;
  }
  const args = positionals.slice(name.split(' ').length);
  if (args.length !== command.arguments) {
    throw new CliError(command.arguments === 0 ? `${name} takes no argument "${args[0]}"` : `${name} needs ${command.arguments} argument(s)`);
  }
  const unexpected = Object.keys(values).find((option) => !command.options.includes(option as keyof Values));
  if (unexpected) throw new CliError(`${name} has no option --${unexpected}`);

  const config = loadConfig(env);
  if (command.onFile) {
    await command.onFile(args, config);
    return 0;
  }
  const db = openDatabase(config.databasePath);
  try {
    applyMigrations(db);
    await command.run!(db, values, args, { env, config });
  } finally {
    db.$client.close();
  }
  return 0;
}

run(process.argv.slice(2), process.env).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof BundledProgrammeError || error instanceof CliError || error instanceof BackupError
      || (error instanceof HttpError && error.statusCode < 500)
      || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (!known) throw error;
    console.error(`forum-programme: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
