// Fuzzing with fast-check: hostile values, arbitraries derived from the routes' own JSON
// schemas (a valid-shaped body with one thing changed is what finds bugs; a fully random one
// only tests the validator), and the one checker every fuzzed request goes through.
// The seed is fixed (FUZZ_SEED overrides it) so that a failure replays; fast-check prints the
// seed and the path of the counterexample when a property fails.
import fc from 'fast-check';
import type { FastifyInstance, RouteOptions } from 'fastify';

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_191_112);
/** FUZZ_SCALE multiplies every run count: 10 for a long hunt, 0.2 for a quick look. */
export const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);

export function fuzzOptions(numRuns: number, salt = 0): fc.Parameters<unknown> {
  // One seed per property (the salt), all derived from the one recorded seed.
  return { seed: FUZZ_SEED + salt, numRuns: Math.max(1, Math.round(numRuns * FUZZ_SCALE)), endOnFailure: false };
}

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

export interface WriteRoute {
  method: string;
  url: string;
  schema: { body?: JsonSchema; params?: JsonSchema; headers?: JsonSchema } | undefined;
}

/** Collects every write route the app registers (pass as AppOptions.onRoute), so that a new route is fuzzed without a word here. */
export function routeCollector(): { onRoute: (route: RouteOptions) => void; writes: () => WriteRoute[] } {
  const routes: WriteRoute[] = [];
  return {
    onRoute: (route) => {
      for (const method of [route.method].flat()) {
        if (WRITE_METHODS.includes(method) && route.url !== '*') routes.push({ method, url: route.url, schema: route.schema as WriteRoute['schema'] });
      }
    },
    writes: () => routes,
  };
}

// ---- Hostile values -------------------------------------------------------------------------

/** Strings that broke something somewhere once: surrogates, controls, bidi marks, markup, sizes. */
export const HOSTILE_STRINGS: readonly string[] = [
  '', ' ', '\t', '\r\n', '\ud800', 'a\udfffb', '\udc00\ud800', '\u0000', 'a\u0000b', '\u0007', '\u001b[31mred', '\u007f', '\u0085',
  '\u202e\u2066evil', '\u200f', '\ufeff', '\ufffe', '\uffff', '\u{10ffff}', '👩🏽‍🚀', 'e\u0301'.repeat(500),
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{{title}}', '{{{body}}}', "'; drop table sessions; --",
  '../../../etc/passwd', '%00', '%ED%A0%80', 'javascript:alert(1)', 'http://', 'https://x/\u0000', 'mailto:a@b',
  'BEGIN:VEVENT\r\nEND:VCALENDAR', '<![CDATA[', ']]>', '&amp;&#0;&#xD800;', '=cmd|"/c calc"!A1', '__proto__', 'constructor',
  'x'.repeat(201), 'x'.repeat(10_001), 'a'.repeat(50_000) + '!', ' '.repeat(20_000) + 'x', '\n'.repeat(5_000), 'é'.repeat(4_001),
];

/** Dates far away, impossible, and at the edges of the events' zones (Europe/Madrid: 2015-03-29T02:30 does not exist, 2015-10-25T02:30 happens twice). */
export const HOSTILE_DATES: readonly string[] = [
  '0000-01-01', '0000-01-01T00:00', '9999-12-31', '9999-12-31T23:59', '1015-09-29T10:00', '275760-09-13', '-000001-01-01',
  '2019-02-30', '2019-02-29T10:00', '2019-13-01', '2019-00-10', '2019-11-12T25:00', '2019-11-12T24:00', '2019-11-12T23:60',
  '2019-11-12T10:00:60', '2019-11-12T10:00+25:00', '2019-11-12T10:00-00:00', '2019-11-12T10:00Z',
  '2015-03-29T02:30', '2015-03-29T02:30:00', '2015-10-25T02:30', '2015-10-25T02:30+01:00', '2015-10-25T02:30+02:00',
  '2015-09-29T09:00', '2015-09-28T23:59', '2019-11-12T00:00', '2019-11-11T23:59', '1970-01-01T00:00Z', '2038-01-19T03:14:08Z',
  '2019-11-12', '2019-11-12T10', 'T10:00', '10:00', '2019-W46-2', '20191112T1000', '2019-11-12 10:00',
];

/** A code unit at a time, surrogate halves and controls included (fast-check's own units leave half surrogates out). */
const hostileUnit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\u007f', '\u200f', '\u202e', '\ufeff', '<', '&', '"', "'", '\\', '%', '{', '\n'),
);

export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: hostileUnit, maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_DATES) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', ' ', '\u0000', 'é', '\ud800'), fc.integer({ min: 100, max: 200_000 })).map(([c, n]) => c.repeat(n)) },
  );
}

/** An object with an own key named __proto__, constructor or prototype (JSON.stringify writes it as such). */
function prototypeKeyed(value: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'), value).map(([key, inner]) => {
    const object: Record<string, unknown> = {};
    Object.defineProperty(object, key, { value: inner, enumerable: true, writable: true, configurable: true });
    return object;
  });
}

const { deep } = fc.letrec<{ deep: unknown }>((tie) => ({
  deep: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant(null), fc.array(tie('deep'), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), tie('deep'), { maxKeys: 2 })),
}));

/** A value of a type a field may not expect. */
export function wrongValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, -0, 1.5, 1e308, -1e308, 2 ** 53 + 1, 4_294_967_296, [], [[]], {}, [null], ['a', 1], '1', 'true', 'null'),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.anything({ maxDepth: 3, maxKeys: 4, withNullPrototype: true }),
    prototypeKeyed(fc.constantFrom({ admin: true }, { role: 'organiser' }, null, 'x')),
    fc.integer({ min: 50, max: 2_000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
    deep,
  );
}

export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: hostileString() }, { weight: 2, arbitrary: wrongValue() });
}

// ---- Arbitraries from JSON schemas ----------------------------------------------------------

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  additionalProperties?: boolean | JsonSchema;
  [key: string]: unknown;
}

/** Real things to fill bodies and addresses with, read from the app as it is now (they change as the fuzz writes). */
export interface Pools {
  /** Ids by kind: sessions, parts, rooms, slots, outputs, organisations, people, users, tokens… */
  ids: Record<string, string[]>;
  /** Local times and dates inside the events' days. */
  times: string[];
  days: string[];
  /** Arbitraries for fields by name, over what the schema alone would give (a revision that exists, a real password). */
  fields?: Record<string, fc.Arbitrary<unknown>>;
}

const ZONES = ['Europe/Madrid', 'Africa/Johannesburg', 'UTC', 'America/Sao_Paulo', 'Pacific/Kiritimati', 'Pacific/Chatham', 'Asia/Kathmandu', 'Etc/GMT+12', 'Mars/Olympus', 'europe/madrid', 'local'];

const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
/** Which pool a field of this name takes its ids from. */
const KIND_OF_FIELD: Record<string, string> = {
  part: 'parts', slot: 'slots', room: 'rooms', organisation: 'organisations', person: 'people', outputs: 'outputs', user: 'users', sessions: 'sessions', id: 'sessions',
};

/** An element of a pool as it is when the value is drawn; a made-up one when the pool is empty. */
export function fromPool<T>(pool: () => readonly T[], fallback: T): fc.Arbitrary<T> {
  return fc.nat().map((i) => { const items = pool(); return items.length === 0 ? fallback : items[i % items.length]!; });
}

export function anyId(pools: Pools, kind: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fromPool(() => pools.ids[kind] ?? [], '00000000-0000-4000-8000-000000000000') },
    { weight: 1, arbitrary: fromPool(() => Object.values(pools.ids).flat(), '00000000-0000-4000-8000-000000000001') },
    { weight: 1, arbitrary: fc.uuid() },
  );
}

function stringFromSchema(schema: JsonSchema, pools: Pools, name: string): fc.Arbitrary<string> {
  const max = schema.maxLength ?? 200;
  const min = schema.minLength ?? 0;
  if (name === 'timezone') return fc.constantFrom(...ZONES);
  if (schema.pattern === UUID_PATTERN) return anyId(pools, KIND_OF_FIELD[name] ?? name);
  if (schema.pattern?.includes('T\\d{2}')) return fc.oneof({ weight: 6, arbitrary: fromPool(() => pools.times, '2019-11-12T10:00') }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_DATES) });
  if (schema.format === 'date' || schema.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return fc.oneof({ weight: 6, arbitrary: fromPool(() => pools.days, '2019-11-12') }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_DATES) });
  if (schema.format === 'email' || name === 'email') return fc.emailAddress().filter((e) => e.length <= max);
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    return fc.stringMatching(pattern, { size: 'xsmall' }).filter((s) => s.length >= min && s.length <= max);
  }
  const words = fc.array(fc.constantFrom('Atelier', 'villes', 'durables', 'Apprendre', 'ensemble', 'água', 'ciudad', 'Ubuntu', 'de', 'la'), { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));
  return fc.oneof({ weight: 4, arbitrary: words }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) })
    .map((s) => (s.length < min ? s.padEnd(min, 'x') : s).slice(0, max));
}

/** A value that fits the schema (most of the time: patterns and cross-field rules are the app's to check). */
export function fromSchema(schema: JsonSchema, pools: Pools, name = ''): fc.Arbitrary<unknown> {
  const hint = Object.hasOwn(pools.fields ?? {}, name) ? pools.fields![name] : undefined;
  if (hint) return hint;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromSchema(s, pools, name)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'null': return fc.constant(null);
    case 'boolean': return fc.boolean();
    case 'integer': return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1_000, 1_000) });
    case 'number': return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1_000, noNaN: true });
    case 'string': return stringFromSchema(schema, pools, name);
    case 'array': {
      const items = fromSchema(schema.items ?? {}, pools, name);
      const size = { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) };
      return schema.uniqueItems ? fc.uniqueArray(items, { ...size, selector: (v) => JSON.stringify(v) }) : fc.array(items, size);
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) record[key] = fromSchema(value, pools, key);
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
    }
    default: return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Every place a value can be changed at: the paths of its nodes, the root first. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => paths.push(...pathsOf(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) paths.push(...pathsOf(v, [...prefix, k]));
  return paths;
}

function setAt(root: unknown, path: (string | number)[], change: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  if (path.length === 0) return root;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  change(node, path[path.length - 1]!);
  return copy;
}

export type Mutation = 'replace' | 'remove' | 'add';

/** The value with one change at one of its nodes: replaced by a hostile value, removed, or given an extra (often prototype-named) key. */
export function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(base, fc.nat(), fc.constantFrom<Mutation>('replace', 'replace', 'replace', 'remove', 'add'), hostileValue(),
    fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra'), fc.string({ maxLength: 8 }))).map(([value, at, mutation, hostile, key]) => {
    const paths = pathsOf(value);
    const path = paths[at % paths.length]!;
    if (mutation === 'replace') return path.length === 0 ? hostile : setAt(value, path, (parent, last) => { parent[last] = hostile; });
    if (mutation === 'remove') return path.length === 0 ? undefined : setAt(value, path, (parent, last) => { if (Array.isArray(parent)) parent.splice(Number(last), 1); else delete parent[last]; });
    const target = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
    const copy = { ...target } as Record<string, unknown>;
    Object.defineProperty(copy, key, { value: hostile, enumerable: true, writable: true, configurable: true });
    return copy;
  });
}

/** A segment of an address that is not what the route expects. */
export const HOSTILE_SEGMENTS: readonly string[] = [
  'not-an-id', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '%00', '%ED%A0%80', '%F0%9F', '%C0%AE%C0%AE',
  '..', '%2e%2e', '%2F', '__proto__', 'constructor', '-1', '0', '1e9', '99999999999999999999', 'a'.repeat(199), 'é', '%E2%80%AE',
];
