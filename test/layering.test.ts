// The layering of server/ (docs: ARCHITECTURE.md): no cycle between folders; domains import
// neither Fastify nor web/ nor plugins/; a front-end never imports another; web/shared, which
// every front-end uses, imports none of them; SQL is written only in db/ and in a domain's
// query modules (repository.ts, items.ts). Checked from the imports the TypeScript parser
// reads, type-only and dynamic ones included. Hand-built trees first prove that each rule fails
// when it should, then the real tree is checked.
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../server/config.ts';
import { layeringProblems, nodeOf, parseImports, readSources, type SourceFile } from './helpers/layering.ts';

/** A tree from `file: specifiers` pairs; each import on the line of its position (1, 2…). */
function tree(files: Record<string, string[]>): SourceFile[] {
  return Object.entries(files).map(([file, specifiers]) => ({
    file,
    imports: specifiers.map((specifier, i) => ({ specifier, line: i + 1 })),
  }));
}

// A small tree laid out as the project wants it: base modules, db, i18n, two domains (one
// using the other), the shared kit, two front-ends, a plugin, and the app that registers them.
const CLEAN = {
  'server/errors.ts': ['./i18n/index.ts'],
  'server/i18n/index.ts': ['node:fs'],
  'server/db/schema.ts': ['drizzle-orm/sqlite-core'],
  'server/db/client.ts': ['better-sqlite3', './schema.ts'],
  'server/domains/programme/repository.ts': ['drizzle-orm', '../../db/client.ts', '../../db/schema.ts'],
  'server/domains/programme/items.ts': ['drizzle-orm', '../../db/schema.ts'],
  'server/domains/programme/service.ts': ['./repository.ts', '../../errors.ts'],
  'server/domains/releases/service.ts': ['../programme/service.ts', '../../db/client.ts'],
  'server/web/shared/page.ts': ['fastify', '../../i18n/index.ts'],
  'server/web/site/programme.ts': ['fastify', '../shared/page.ts', '../../domains/programme/service.ts'],
  'server/web/api/releases.ts': ['@fastify/type-provider-typebox', '../shared/page.ts', '../../domains/releases/service.ts'],
  'server/plugins/db.ts': ['fastify-plugin', '../db/client.ts'],
  'server/app.ts': ['fastify', './plugins/db.ts', './web/site/programme.ts', './web/api/releases.ts'],
} satisfies Record<string, string[]>;

describe('the layering checker', () => {
  test('reads every kind of import, type-only and dynamic ones included, each with its line', () => {
    const text = [
      "import fs from 'node:fs';",
      "import type { Db } from '../db/client.ts';",
      "import { type Config, loadConfig } from './config.ts';",
      "export { notFound } from './errors.ts';",
      "export * from './time.ts';",
      "export type { Row } from './db/schema.ts';",
      "import './side-effect.ts';",
      "import legacy = require('./legacy.ts');",
      'type Later = typeof import("./later.ts");',
      'async function load() {',
      "  return import('./plugins/views.ts');",
      '}',
      'const computed = (name: string) => import(`./${name}.ts`);',
      "const notAnImport = require('./not-read-as-an-import.ts');",
    ].join('\n');
    expect(parseImports('server/example.ts', text)).toEqual([
      { specifier: 'node:fs', line: 1 },
      { specifier: '../db/client.ts', line: 2 },
      { specifier: './config.ts', line: 3 },
      { specifier: './errors.ts', line: 4 },
      { specifier: './time.ts', line: 5 },
      { specifier: './db/schema.ts', line: 6 },
      { specifier: './side-effect.ts', line: 7 },
      { specifier: './legacy.ts', line: 8 },
      { specifier: './later.ts', line: 9 },
      { specifier: './plugins/views.ts', line: 11 },
      { specifier: '`./${name}.ts`', line: 13 },
    ]);
  });

  test('folders are two deep under domains/ and web/, one deep elsewhere; a file of server/ is its own node', () => {
    expect([
      'server/domains/programme/repository.ts', 'server/domains/programme/resources/sessions.ts', 'server/web/shared/forms.ts',
      'server/web/workspace/resources/rooms.ts', 'server/db/schema.ts', 'server/i18n/messages/fr.json', 'server/plugins/views.ts',
      'server/app.ts', 'test/helpers/app.ts',
    ].map(nodeOf)).toEqual([
      'domains/programme', 'domains/programme', 'web/shared', 'web/workspace', 'db', 'i18n', 'plugins', 'app.ts', null,
    ]);
  });

  test('a tree laid out as intended has no problem', () => {
    expect(layeringProblems(tree(CLEAN))).toEqual([]);
  });

  test('rule 1: a cycle between folders is reported once, with one import per edge', () => {
    expect(layeringProblems(tree({
      ...CLEAN,
      // releases already imports programme: programme importing releases closes the loop.
      'server/domains/programme/service.ts': ['./repository.ts', '../../errors.ts', '../releases/service.ts'],
    }))).toEqual([
      'cycle domains/programme → domains/releases → domains/programme: '
        + 'server/domains/programme/service.ts:3 → ../releases/service.ts; server/domains/releases/service.ts:1 → ../programme/service.ts',
    ]);
  });

  test('rule 1: a cycle through a file of server/ is reported, and each cycle of a tangle is listed', () => {
    const files = tree({
      ...CLEAN,
      // errors.ts → i18n → errors.ts, and errors.ts → i18n → db → errors.ts.
      'server/i18n/index.ts': ['node:fs', '../errors.ts', '../db/client.ts'],
      'server/db/client.ts': ['better-sqlite3', './schema.ts', '../errors.ts'],
    });
    expect(layeringProblems(files)).toEqual([
      'cycle db → errors.ts → i18n → db: server/db/client.ts:3 → ../errors.ts; server/errors.ts:1 → ./i18n/index.ts; server/i18n/index.ts:3 → ../db/client.ts',
      'cycle errors.ts → i18n → errors.ts: server/errors.ts:1 → ./i18n/index.ts; server/i18n/index.ts:2 → ../errors.ts',
    ]);
  });

  test('rule 2: a domain importing fastify, an @fastify package, web/ or plugins/ is reported, type-only imports too', () => {
    const text = [
      "import type { FastifyRequest } from 'fastify';",
      "import { Type } from '@fastify/type-provider-typebox';",
      "import type { Page } from '../../web/shared/page.ts';",
      "const plugin = () => import('../../plugins/db.ts');",
      "import { listSessions } from './repository.ts';",
    ].join('\n');
    const files = tree(CLEAN).map((f) => f.file === 'server/domains/programme/service.ts'
      ? { file: f.file, imports: parseImports(f.file, text) }
      : f);
    expect(layeringProblems(files)).toEqual([
      "server/domains/programme/service.ts:1 imports 'fastify': a domain must not import Fastify",
      "server/domains/programme/service.ts:2 imports '@fastify/type-provider-typebox': a domain must not import Fastify",
      "server/domains/programme/service.ts:3 imports '../../web/shared/page.ts' (web/shared): a domain must not import web/ or plugins/",
      "server/domains/programme/service.ts:4 imports '../../plugins/db.ts' (plugins): a domain must not import web/ or plugins/",
    ]);
  });

  test('rule 3: a front-end importing another front-end is reported; importing web/shared is not', () => {
    expect(layeringProblems(tree({
      ...CLEAN,
      'server/web/api/releases.ts': ['@fastify/type-provider-typebox', '../shared/page.ts', '../../domains/releases/service.ts', '../site/programme.ts'],
    }))).toEqual([
      "server/web/api/releases.ts:4 imports '../site/programme.ts' (web/site): front-end web/api must not import another front-end",
    ]);
  });

  test('rule 4: web/shared importing a front-end is reported (and the cycle it makes)', () => {
    expect(layeringProblems(tree({
      ...CLEAN,
      'server/web/shared/page.ts': ['fastify', '../../i18n/index.ts', '../site/programme.ts'],
    }))).toEqual([
      "server/web/shared/page.ts:3 imports '../site/programme.ts' (web/site): web/shared must not import a front-end",
      'cycle web/shared → web/site → web/shared: server/web/shared/page.ts:3 → ../site/programme.ts; server/web/site/programme.ts:2 → ../shared/page.ts',
    ]);
  });
  test('rule 5: Drizzle imported by a domain\'s rules, a front-end or a plugin is reported; by db/ and query modules it is not', () => {
    expect(layeringProblems(tree({
      ...CLEAN,
      'server/domains/programme/service.ts': ['./repository.ts', '../../errors.ts', 'drizzle-orm'],
      'server/web/site/programme.ts': ['fastify', '../shared/page.ts', '../../domains/programme/service.ts', 'drizzle-orm/sqlite-core'],
      'server/plugins/db.ts': ['fastify-plugin', '../db/client.ts', 'drizzle-orm/better-sqlite3'],
      'server/domains/programme/resources/repository.ts': ['drizzle-orm'],
      'server/domains/releases/items.ts': ['drizzle-orm'],
      'server/domains/releases/service.ts': ['../programme/service.ts', '../../db/client.ts', 'drizzle-orm-extras'],
    }))).toEqual([
      "server/domains/programme/resources/repository.ts:1 imports 'drizzle-orm': only db/ and a domain's repository.ts or items.ts may import Drizzle",
      "server/domains/programme/service.ts:3 imports 'drizzle-orm': only db/ and a domain's repository.ts or items.ts may import Drizzle",
      "server/plugins/db.ts:3 imports 'drizzle-orm/better-sqlite3': only db/ and a domain's repository.ts or items.ts may import Drizzle",
      "server/web/site/programme.ts:4 imports 'drizzle-orm/sqlite-core': only db/ and a domain's repository.ts or items.ts may import Drizzle",
    ]);
  });
});

describe('the layering of server/', () => {
  test('has no folder cycle, no domain importing Fastify, web/ or plugins/, no front-end importing another, SQL only in query modules', () => {
    const sources = readSources(PROJECT_ROOT);
    // Guards against checking an empty or misread tree: server/ has dozens of files, most with imports.
    expect(sources.length).toBeGreaterThan(50);
    expect(sources.find((s) => s.file === 'server/app.ts')?.imports.length).toBeGreaterThan(10);
    const problems = layeringProblems(sources);
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  });
});
