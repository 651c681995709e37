// Fuzzing the importers: the files the app itself exports (programme JSON, frab schedule XML and
// JSON, the bundled format) with one thing changed, through the API import route and through
// the domain function the command line calls, on the same real database. A file is either
// imported or refused with a named import error (a 4xx through the API); never anything else,
// never slowly, and a refused file leaves every table as it was.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { importProgrammeFile } from '../../server/domains/interop/service.ts';
import { ImportError } from '../../server/domains/programme/sync.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../helpers/app.ts';
import { addUser, type TestUser } from '../helpers/auth.ts';
import { FUZZ_SEED, fuzzOptions, hostileString, hostileValue, mutated } from '../helpers/fuzz.ts';
import { changedTables, databaseChecks, FuzzChecker, releaseAndReadEverything, RESPONSE_BOUND_MS, tableDump } from '../helpers/fuzz-check.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const MAX_BYTES = 5 * 1024 * 1024;

/** Changes to an XML text: a text or attribute made hostile (escaped or raw), an element cut, a DOCTYPE, deep nesting, a truncation. */
function mutatedXml(xml: string): fc.Arbitrary<string> {
  const texts = [...xml.matchAll(/>([^<]+)</g)].map((m) => m.index! + 1);
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return fc.oneof(
    fc.tuple(fc.nat(), hostileString(), fc.boolean()).map(([i, value, raw]) => {
      const at = texts[i % texts.length]!;
      const end = xml.indexOf('<', at);
      return xml.slice(0, at) + (raw ? value : escape(value)) + xml.slice(end);
    }),
    fc.tuple(fc.nat(), fc.constantFrom('0000-01-01', '9999-12-31T23:59:00+02:00', '2019-02-30', '25:00', '24:00', '99:99', '2015-03-29T02:30:00', '2015-10-25T02:30:00', '-1', '', 'Europe/Nowhere')).map(([i, value]) => {
      const at = texts[i % texts.length]!;
      return xml.slice(0, at) + value + xml.slice(xml.indexOf('<', at));
    }),
    fc.nat().map((i) => xml.slice(0, i % xml.length)),
    fc.constantFrom(
      xml.replace('<schedule', '<!DOCTYPE schedule [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><schedule'),
      xml.replace('<schedule', '<!DOCTYPE schedule SYSTEM "file:///etc/passwd"><schedule'),
      xml.replace('<title>', '<title>&undefined;'),
      xml.replace('<schedule', `${'<x>'.repeat(5_000)}<schedule`),
      xml.replace('?>', ' encoding="ISO-8859-1"?>'),
      `\ufeff${xml}`,
      xml.replace(/<\/event>/, '</event><event guid="x" id="1"/>'),
    ),
  );
}

describe(`fuzzing the importers (FUZZ_SEED=${FUZZ_SEED})`, () => {
  let t: TestApp;
  let checker: FuzzChecker;
  let organiser: TestUser;
  const exports: Record<string, { programme: unknown; xml: string; frabJson: string }> = {};
  let bundled: unknown;
  const outcomes: Record<string, number> = {};

  beforeAll(async () => {
    t = await buildTestApp({ now: () => NOW });
    organiser = await addUser(t.app, 'organiser', undefined, 'Import Organiser');
    await t.app.inject({ url: '/api/v1/auth/me', headers: organiser.bearer });
    for (const slug of [FORUM_2019, SEMINAR_2015]) {
      const get = async (url: string) => { const r = await t.app.inject(url); expect(r.statusCode, url).toBe(200); return r.body; };
      exports[slug] = { programme: JSON.parse(await get(`/events/${slug}/programme.json`)), xml: await get(`/events/${slug}/schedule.xml`), frabJson: await get(`/events/${slug}/schedule.json`) };
    }
    bundled = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'data', `${SEMINAR_2015}.json`), 'utf8'));
    checker = new FuzzChecker(t.app);
  });

  afterAll(async () => {
    console.log(`fuzz-imports: ${checker.stats.requests} API imports by status ${JSON.stringify(checker.stats.byStatus)}; domain imports ${JSON.stringify(outcomes)}; slowest API ${checker.stats.slowestMs} ms`);
    await t.close();
  });

  test('the API import: a changed programme file is imported or refused with a problem, never a 5xx, and a refusal writes nothing', { timeout: 120_000 }, async () => {
    const documents = fc.constantFrom(FORUM_2019, SEMINAR_2015).chain((slug) => fc.oneof(
      { weight: 6, arbitrary: mutated(fc.constant(exports[slug]!.programme)) },
      { weight: 1, arbitrary: fc.constant(exports[slug]!.programme) },
      { weight: 1, arbitrary: hostileValue() },
    ));
    await fc.assert(fc.asyncProperty(documents, async (document) => {
      await checker.send({
        label: 'POST /api/v1/imports',
        request: { method: 'POST', url: '/api/v1/imports', headers: { ...organiser.bearer, 'content-type': 'application/json', 'accept-language': 'en' }, payload: JSON.stringify(document) ?? 'null' },
      });
    }), fuzzOptions(100, 2_000));
  });

  test('the command line\'s import: frab XML, frab JSON, programme JSON and bundled files, changed, are imported or refused with an ImportError that writes nothing', { timeout: 120_000 }, async () => {
    const files = fc.constantFrom(FORUM_2019, SEMINAR_2015).chain((slug) => fc.oneof(
      { weight: 4, arbitrary: mutatedXml(exports[slug]!.xml).map((text) => ({ text, frab: true })) },
      { weight: 2, arbitrary: mutated(fc.constant(exports[slug]!.programme)).map((v) => ({ text: JSON.stringify(v) ?? '', frab: false })) },
      { weight: 1, arbitrary: mutated(fc.constant(JSON.parse(exports[slug]!.frabJson))).map((v) => ({ text: JSON.stringify(v) ?? '', frab: false })) },
      { weight: 1, arbitrary: mutated(fc.constant(bundled)).map((v) => ({ text: JSON.stringify(v) ?? '', frab: false })) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((bytes) => ({ text: Buffer.from(bytes).toString('latin1'), frab: false })) },
    )).chain((file: { text: string; frab: boolean }) => fc.record({
      file: fc.constant(file),
      timezone: file.frab ? fc.option(fc.constantFrom('Europe/Madrid', 'Africa/Johannesburg', 'Mars/Olympus', ''), { nil: undefined }) : fc.constant(undefined),
      slug: file.frab ? fc.option(fc.constantFrom('fuzzed-frab', 'Not A Slug', 'x'.repeat(100)), { nil: undefined }) : fc.constant(undefined),
    }));
    await fc.assert(fc.asyncProperty(files, async ({ file, timezone, slug }) => {
      const before = tableDump(t.app.db.$client);
      const started = performance.now();
      let outcome = 'imported';
      try {
        importProgrammeFile(t.app.db, Buffer.from(file.text, 'utf8'), { maxBytes: MAX_BYTES, timezone, slug }, { id: null, name: 'fuzz' }, NOW);
      } catch (error) {
        if (!(error instanceof ImportError)) throw new Error(`not an ImportError: ${(error as Error).stack} for ${JSON.stringify(file.text.slice(0, 300))}`);
        outcome = 'refused';
        expect(changedTables(before, tableDump(t.app.db.$client)), (error as Error).message).toEqual([]);
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      expect(performance.now() - started, file.text.slice(0, 200)).toBeLessThan(RESPONSE_BOUND_MS);
    }), fuzzOptions(250, 3_000));
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  test('afterwards the database is sound and every public page of every event answers 200', { timeout: 60_000 }, async () => {
    expect(databaseChecks(t.app)).toEqual({ integrity: ['ok'], foreignKeys: [] });
    const { failures } = await releaseAndReadEverything(t.app);
    expect(failures).toEqual([]);
  });
});
