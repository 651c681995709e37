// The layering of server/, checked from its imports (see test/layering.test.ts).
//
// The checker is pure: it takes a list of files with their imports and returns the problems as
// sentences, so that the test can run it both on the real tree and on small hand-built trees
// that must fail. Only `parseImports` reads TypeScript, and only `readSources` reads the disk.
//
// Nodes of the graph are folders: two deep under domains/ and web/ (domains/programme,
// web/site, web/shared), one deep elsewhere (db, i18n, plugins); a file directly in server/ is
// its own node (app.ts), so that the base modules are checked as well.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface Import {
  /** The module specifier as written: '../db/client.ts', 'fastify', 'node:fs'. */
  specifier: string;
  /** 1-based line of the specifier in its file. */
  line: number;
}

export interface SourceFile {
  /** Path from the project root, with forward slashes: 'server/domains/programme/service.ts'. */
  file: string;
  imports: Import[];
}

const SERVER = 'server';
const TWO_DEEP = new Set(['domains', 'web']);
const SHARED = 'shared';

// ---------------------------------------------------------------------------------------------
// Reading imports.

/**
 * Every module a file names: import and export declarations (type-only ones included),
 * `import x = require()`, dynamic `import()` calls and `import('…')` types. A dynamic import
 * whose specifier is computed cannot be checked: it is returned as its source text, which
 * resolves to nothing and so breaks no rule, but shows in the file's list.
 */
export function parseImports(fileName: string, text: string): Import[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports: Import[] = [];
  const add = (node: ts.Node, specifier: string) =>
    imports.push({ specifier, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
  const literal = (node: ts.Node | undefined): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral =>
    node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node));

  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && literal(node.moduleSpecifier)) {
      add(node.moduleSpecifier, node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)
      && literal(node.moduleReference.expression)) {
      add(node.moduleReference.expression, node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (literal(argument)) add(argument, argument.text);
      else if (argument) add(argument, argument.getText(source));
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && literal(node.argument.literal)) {
      add(node.argument.literal, node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return imports;
}

/** Every .ts file under `dir` (a folder of the project root), with its imports, in path order. */
export function readSources(projectRoot: string, dir = SERVER): SourceFile[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(projectRoot, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (/\.[cm]?ts$/.test(entry.name)) files.push(child);
    }
  };
  walk(dir);
  return files.sort().map((file) => ({ file, imports: parseImports(file, fs.readFileSync(path.join(projectRoot, file), 'utf8')) }));
}

// ---------------------------------------------------------------------------------------------
// Where an import leads.

/** The graph node of a path under server/, or null for a path outside it. */
export function nodeOf(file: string): string | null {
  const parts = file.split('/');
  if (parts[0] !== SERVER || parts.length < 2) return null;
  const inside = parts.slice(1);
  if (inside.length === 1) return inside[0]!;
  if (TWO_DEEP.has(inside[0]!)) return inside.length === 2 ? inside.join('/') : inside.slice(0, 2).join('/');
  return inside[0]!;
}

/**
 * The file a relative specifier names, from the files known (a .js specifier for a .ts file,
 * an extensionless one, a folder's index); the plain joined path when none matches (a JSON
 * file, say). Null for a package or a path outside the project.
 */
export function resolveSpecifier(from: string, specifier: string, known: ReadonlySet<string>): string | null {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  if (joined.startsWith('../')) return null;
  const candidates = [joined, joined.replace(/\.([cm]?)js$/, '.$1ts'), `${joined}.ts`, `${joined}/index.ts`];
  return candidates.find((c) => known.has(c)) ?? joined;
}

/** `fastify` itself, its subpaths, its `fastify-*` companions (fastify-plugin) and any `@fastify/*` package. */
export function isFastifyPackage(specifier: string): boolean {
  return /^fastify($|[/-])/.test(specifier) || specifier.startsWith('@fastify/');
}

/** The front-end a node belongs to ('site' for web/site), or null for web/shared and non-web nodes. */
function frontEndOf(node: string): string | null {
  const [top, second] = node.split('/');
  return top === 'web' && second !== undefined && second !== SHARED && !second.includes('.') ? second : null;
}

// ---------------------------------------------------------------------------------------------
// The rules.

interface Edge {
  file: string;
  line: number;
  specifier: string;
  from: string;
  to: string;
  target: string | null;
}

function edgesOf(sources: readonly SourceFile[]): Edge[] {
  const known = new Set(sources.map((s) => s.file));
  const edges: Edge[] = [];
  for (const { file, imports } of [...sources].sort((a, b) => a.file.localeCompare(b.file))) {
    const from = nodeOf(file);
    if (from === null) continue;
    for (const { specifier, line } of [...imports].sort((a, b) => a.line - b.line)) {
      const target = resolveSpecifier(file, specifier, known);
      edges.push({ file, line, specifier, from, to: (target === null ? null : nodeOf(target)) ?? '', target });
    }
  }
  return edges;
}

const at = (e: Edge) => `${e.file}:${e.line} imports '${e.specifier}'`;

/** A domain's query modules: the only files outside db/ that may speak SQL through Drizzle. */
export const QUERY_MODULE = /^server\/domains\/[^/]+\/(repository|items)\.ts$/;

/** Rules 2 to 5: what a domain, a front-end and the shared kit may import, import by import. */
function directionProblems(edges: readonly Edge[]): string[] {
  const problems: string[] = [];
  for (const e of edges) {
    const inDomain = e.from.startsWith('domains/');
    if (inDomain && e.target === null && isFastifyPackage(e.specifier)) {
      problems.push(`${at(e)}: a domain must not import Fastify`);
    }
    if (inDomain && (e.to.startsWith('web/') || e.to === 'web' || e.to === 'plugins')) {
      problems.push(`${at(e)} (${e.to}): a domain must not import web/ or plugins/`);
    }
    const fromFront = frontEndOf(e.from);
    const toFront = frontEndOf(e.to);
    if (fromFront !== null && toFront !== null && toFront !== fromFront) {
      problems.push(`${at(e)} (${e.to}): front-end web/${fromFront} must not import another front-end`);
    }
    if (e.from === `web/${SHARED}` && toFront !== null) {
      problems.push(`${at(e)} (${e.to}): web/shared must not import a front-end`);
    }
    if (e.target === null && /^drizzle-orm($|\/)/.test(e.specifier) && e.from !== 'db' && !QUERY_MODULE.test(e.file)) {
      problems.push(`${at(e)}: only db/ and a domain's repository.ts or items.ts may import Drizzle`);
    }
  }
  return problems;
}

/** Strongly connected components (Tarjan), each as a set of nodes. */
function components(graph: ReadonlyMap<string, ReadonlyMap<string, Edge>>): Set<string>[] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: Set<string>[] = [];
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component = new Set<string>();
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.add(w);
      } while (w !== v);
      if (component.size > 1) found.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return found;
}

/** At most this many cycles are listed: past it, the list says how many were left out. */
export const MAX_CYCLES = 50;

/**
 * Rule 1: every elementary cycle of the folder graph, each from its alphabetically first
 * node, with one import per edge (the first one in path and line order).
 */
function cycleProblems(edges: readonly Edge[]): string[] {
  const graph = new Map<string, Map<string, Edge>>();
  for (const e of edges) {
    if (e.target === null || e.to === '' || e.to === e.from) continue;
    if (!graph.has(e.from)) graph.set(e.from, new Map());
    const out = graph.get(e.from)!;
    if (!out.has(e.to)) out.set(e.to, e);
  }
  const cycles: Edge[][] = [];
  let leftOut = 0;
  for (const component of components(graph)) {
    const nodes = [...component].sort();
    // Johnson's idea without its blocking lists: from each start, paths through later nodes only,
    // so that each cycle is found once, from its first node. The graphs here are small.
    for (const start of nodes) {
      const path: Edge[] = [];
      const visiting = new Set<string>([start]);
      const extend = (v: string) => {
        for (const [w, edge] of [...(graph.get(v) ?? new Map<string, Edge>())].sort(([a], [b]) => a.localeCompare(b))) {
          if (!component.has(w) || w < start) continue;
          if (w === start) {
            if (cycles.length < MAX_CYCLES) cycles.push([...path, edge]);
            else leftOut += 1;
          } else if (!visiting.has(w)) {
            visiting.add(w);
            path.push(edge);
            extend(w);
            path.pop();
            visiting.delete(w);
          }
        }
      };
      extend(start);
    }
  }
  const problems = cycles.map((cycle) =>
    `cycle ${[...cycle.map((e) => e.from), cycle[0]!.from].join(' → ')}: ${cycle.map((e) => `${e.file}:${e.line} → ${e.specifier}`).join('; ')}`);
  if (leftOut > 0) problems.push(`and ${leftOut} more cycles`);
  return problems;
}

/** Every breach of the layering, one sentence each: first import by import, then the cycles. */
export function layeringProblems(sources: readonly SourceFile[]): string[] {
  const edges = edgesOf(sources);
  return [...directionProblems(edges), ...cycleProblems(edges)];
}
