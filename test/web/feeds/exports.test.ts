// The public exports other tools read: frab schedule XML (checked with xmllint against the voc's
// XSD), frab schedule JSON (checked with ajv against the voc's JSON Schema) and the sessions
// CSV for spreadsheets; their HTTP behaviour (ETag, 304, CORS, 404, preview); and their
// content: ids, local times, escaping, cancelled sessions and sessions without a room.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import * as cheerio from 'cheerio';
import type { Response } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, eventPath, ok, sessionTitled, type Api, type SessionOut, type Written } from '../../helpers/api.ts';
import { formOf } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, makeTempDir, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { describeInterop, interopFile } from '../../helpers/interop.ts';
import { release } from '../../helpers/releases.ts';
import { PROJECT_ROOT } from '../../../server/config.ts';
import { neutraliseFormula } from '../../../server/domains/interop/csv.ts';
import { acronymOf, asciiSlug, timeslotMinutes } from '../../../server/domains/interop/frab-export.ts';
import { escapeXml } from '../../../server/domains/interop/frab-export-xml.ts';

const BUNDLED = [FORUM_2019, SEMINAR_2015] as const;
const FILES = ['schedule.xml', 'schedule.json', 'sessions.csv'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BOM = '\uFEFF';

const scratch = makeTempDir();
let written = 0;

// xmllint comes from Debian's libxml2-utils, which .ci/run installs. Elsewhere, without it, the
// XSD checks are skipped with a warning (the ajv checks still run); under CI=true it must be there.
const hasXmllint = spawnSync('xmllint', ['--version']).error === undefined;
if (!hasXmllint) {
  if (process.env.CI === 'true') throw new Error('xmllint is missing (apt-get install libxml2-utils): under CI=true this fails the run.');
  console.warn('xmllint is missing (apt-get install libxml2-utils): schedule.xml is not checked against the XSD.');
}

/** Runs xmllint with the voc's XSD on the text; its exit status and what it said. */
function xmllint(xml: string): { status: number | null; stderr: string } {
  written += 1;
  const file = path.join(scratch, `schedule-${written}.xml`);
  fs.writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--noout', '--schema', interopFile('schedule.xml.xsd'), file], { encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, stderr: run.stderr };
}

function expectValidXml(xml: string, what: string): void {
  if (!hasXmllint) return;
  const { status, stderr } = xmllint(xml);
  expect(status, `${what}: xmllint says\n${stderr}`).toBe(0);
}

let validateJson: ValidateFunction;
function expectValidJson(body: unknown, what: string): void {
  const valid = validateJson(body);
  expect(valid, `${what}: ${JSON.stringify(validateJson.errors, null, 2)}`).toBe(true);
}

/** RFC 4180, strictly: quotes only around whole cells, CRLF between records, no bare line break outside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let cellStart = true;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') { cell += '"'; i += 1; } else quoted = false;
      continue;
    }
    if (c === '"') {
      if (!cellStart) throw new Error(`a quote inside an unquoted cell at ${i}`);
      quoted = true;
      cellStart = false;
    } else if (c === ',') {
      row.push(cell); cell = ''; cellStart = true;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; cellStart = true; i += 1;
    } else if (c === '\r' || c === '\n') {
      throw new Error(`a bare line break outside quotes at ${i}`);
    } else {
      cell += c; cellStart = false;
    }
  }
  if (quoted) throw new Error('an unterminated quoted cell');
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

const xml = (body: string) => cheerio.load(body, { xml: true });

interface JsonEvent { guid: string; id: number; date: string; start: string; end: string; duration: string; room: string; title: string; slug: string; track: string; type: string; language: string; subtitle: string; abstract: string; description: string; persons: { guid: string; name: string }[]; links: { url: string; title?: string }[] }
interface JsonSchedule {
  generator: { name: string; version: string };
  schedule: {
    version: string;
    conference: {
      acronym: string; start: string; end: string; daysCount: number; time_zone_name: string;
      rooms: { name: string; guid: string }[];
      tracks: { name: string; slug?: string }[];
      days: { index: number; date: string; day_start: string; day_end: string; rooms: Record<string, JsonEvent[]> }[];
    };
  };
}
const jsonEvents = (body: JsonSchedule) => body.schedule.conference.days.flatMap((d) => Object.values(d.rooms).flat());

/** Every session of the released programme, as the read API lists them, in programme order per slot. */
async function apiSessions(t: TestApp, slug: string) {
  const programme = (await t.app.inject(`/api/v1/events/${slug}/programme`)).json() as {
    parts: { slots: { sessions: { id: string; title: Record<string, string>; start: string }[] }[] }[];
    outsideParts: { sessions: { id: string; title: Record<string, string>; start: string }[] }[];
    unscheduled: { id: string }[];
  };
  const scheduled = [...programme.parts.flatMap((p) => p.slots), ...programme.outsideParts].flatMap((s) => s.sessions);
  return { scheduled, unscheduled: programme.unscheduled };
}

/** The earliest session of a bundled file, by its local start. */
function firstBundledSession(slug: string): { start: string; title: Record<string, string> } {
  const data = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'data', `${slug}.json`), 'utf8')) as { sessions: { start?: string; title: Record<string, string> }[] };
  return data.sessions.filter((s) => s.start).sort((a, b) => a.start!.localeCompare(b.start!))[0] as { start: string; title: Record<string, string> };
}

beforeAll(() => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  addFormats.default(ajv);
  // The voc schema uses a format of its own for colours; we export none.
  ajv.addFormat('color', true);
  validateJson = ajv.compile(JSON.parse(fs.readFileSync(interopFile('schedule.schema.json'), 'utf8')) as object);
});
afterAll(() => { fs.rmSync(scratch, { recursive: true, force: true }); });

describe('the pure pieces of the exports', () => {
  test('a cell that a spreadsheet would run as a formula gets a leading apostrophe; others are left alone', () => {
    expect(['=1+1', '+33 1 23', '-2', '@SUM(A1)', '\tx', '\rx', '\uFF1Dcmd', 'Atelier = 1', '', "'déjà"].map(neutraliseFormula)).toEqual([
      "'=1+1", "'+33 1 23", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "'\uFF1Dcmd", 'Atelier = 1', '', "'déjà",
    ]);
  });

  test('XML text: markup escaped, characters XML cannot hold dropped, a CR kept as a reference', () => {
    expect(escapeXml('a < b && c > "d" \'e\'')).toBe('a &lt; b &amp;&amp; c &gt; "d" \'e\'');
    expect(escapeXml('bell\u0007 nul\u0000 lone\uD800 ok\u{1F600}\r\n')).toBe('bell nul lone\uFFFD ok\u{1F600}&#13;\n');
  });

  test('acronym, slug words and time grid', () => {
    expect([acronymOf('uclg-learning-forum-2019'), acronymOf('ab')]).toEqual(['uclg_learning_forum_2019', 'ab__']);
    expect(asciiSlug('Atelier : villes & régions — « suite »')).toBe('atelier-villes-regions-suite');
    expect([timeslotMinutes([]), timeslotMinutes([30, 45, 90]), timeslotMinutes([35, 20]), timeslotMinutes([7, 11]), timeslotMinutes([120, 240])]).toEqual([15, 15, 5, 5, 60]);
  });
});

describeInterop('the exports of the bundled programmes', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  test.skipIf(!hasXmllint)('xmllint itself refuses a schedule.xml the XSD does not allow (no <version>): the checks below are not vacuous', async () => {
    const body = (await t.app.inject(`/events/${FORUM_2019}/schedule.xml`)).body;
    const broken = xmllint(body.replace(/<version>[^<]*<\/version>/, ''));
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toContain('fails to validate');
  });

  for (const slug of BUNDLED) {
    for (const lang of [undefined, 'en', 'es'] as const) {
      const query = lang ? `?lang=${lang}` : '';
      test(`${slug}${query}: schedule.xml passes xmllint with the voc XSD, schedule.json passes ajv with the voc JSON Schema`, async () => {
        const x = await t.app.inject(`/events/${slug}/schedule.xml${query}`);
        expect(x.statusCode).toBe(200);
        expect(x.headers['content-type']).toBe('application/xml; charset=utf-8');
        expectValidXml(x.body, `${slug} schedule.xml${query}`);
        const j = await t.app.inject(`/events/${slug}/schedule.json${query}`);
        expect(j.statusCode).toBe(200);
        expect(j.headers['content-type']).toBe('application/json; charset=utf-8');
        expectValidJson(j.json(), `${slug} schedule.json${query}`);
      });
    }
  }

  test('2019 forum: the conference, its one day in Johannesburg time, and its first session at 08:30 local (06:30 UTC)', async () => {
    const first = firstBundledSession(FORUM_2019);
    expect(first.start).toBe('2019-11-12T08:30');
    const $ = xml((await t.app.inject(`/events/${FORUM_2019}/schedule.xml`)).body);
    expect($('schedule > generator').attr()).toEqual({ name: 'forum-programme', system: new URL(t.config.publicUrl).host, version: '0.1.0' });
    expect($('schedule > url').text()).toBe(`${t.config.publicUrl}/events/${FORUM_2019}/schedule.xml`);
    expect($('schedule > version').text()).toBe('1');
    expect(['acronym', 'start', 'end', 'days', 'time_zone_name', 'url'].map((n) => $(`conference > ${n}`).text())).toEqual([
      'uclg_learning_forum_2019', '2019-11-12', '2019-11-12', '1', 'Africa/Johannesburg', `${t.config.publicUrl}/events/${FORUM_2019}`,
    ]);
    expect($('conference > track').map((_, e) => $(e).attr('name')).get()).toEqual([
      'Première partie — Introduction – mise en contexte',
      'Deuxième partie — Localiser les agendas globaux',
      "Troisième partie — Renforcer le programme d'apprentissage entre pairs & coopération décentralisée",
    ]);
    expect($('schedule > day').toArray().map((d) => $(d).attr())).toEqual([
      { index: '1', date: '2019-11-12', start: '2019-11-12T08:30:00+02:00', end: expect.stringMatching(/^2019-11-12T\d\d:\d\d:00\+02:00$/) },
    ]);
    const event = $('day > room > event').first();
    expect(['date', 'start', 'duration', 'room', 'title', 'track', 'type', 'language'].map((n) => event.children(n).text())).toEqual([
      '2019-11-12T08:30:00+02:00', '08:30', '00:30', 'Salle plénière', first.title.fr, '', 'registration', 'fr',
    ]);

    const json = (await t.app.inject(`/events/${FORUM_2019}/schedule.json?lang=en`)).json() as JsonSchedule;
    const firstJson = jsonEvents(json)[0]!;
    expect([firstJson.date, firstJson.start, firstJson.end, firstJson.room, firstJson.title]).toEqual([
      '2019-11-12T08:30:00+02:00', '08:30', '2019-11-12T09:00:00+02:00', 'Plenary room', first.title.en,
    ]);
    expect(json.schedule.conference.days.map((d) => [d.index, d.date, d.day_start])).toEqual([[1, '2019-11-12', '2019-11-12T08:30:00+02:00']]);
  });

  for (const slug of BUNDLED) {
    test(`${slug}: each event's guid is its session's public id, with the session's title and start; XML and JSON hold the same events`, async () => {
      const { scheduled } = await apiSessions(t, slug);
      const $ = xml((await t.app.inject(`/events/${slug}/schedule.xml`)).body);
      const fromXml = $('day > room > event').map((_, e) => ({
        guid: $(e).attr('guid'), title: $(e).children('title').text(), date: $(e).children('date').text(),
      })).get();
      const expected = scheduled.map((s) => ({ guid: s.id, title: s.title.fr, date: s.start }));
      const byGuid = (a: { guid?: string }, b: { guid?: string }) => a.guid!.localeCompare(b.guid!);
      expect([...fromXml].sort(byGuid)).toEqual([...expected].sort(byGuid));
      const json = (await t.app.inject(`/events/${slug}/schedule.json`)).json() as JsonSchedule;
      expect(jsonEvents(json).map((e) => ({ guid: e.guid, title: e.title, date: e.date }))).toEqual(fromXml);
      // Ids are positive and unique, slugs follow the voc pattern.
      const ids = jsonEvents(json).map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const e of jsonEvents(json)) expect(e.slug).toMatch(new RegExp(`^${json.schedule.conference.acronym}-${e.id}-[a-z0-9-]+[a-z0-9]$`));
    });
  }

  test('2015 seminar: no rooms, so every session is in the "Sans salle" room, whose guid is a stable UUID', async () => {
    const json = (await t.app.inject(`/events/${SEMINAR_2015}/schedule.json`)).json() as JsonSchedule;
    expect(json.schedule.conference.rooms).toEqual([{ name: 'Sans salle', guid: expect.stringMatching(UUID) }]);
    expect(json.schedule.conference.days.map((d) => [d.date, Object.keys(d.rooms)])).toEqual([
      ['2015-09-29', ['Sans salle']], ['2015-09-30', ['Sans salle']],
    ]);
    expect(json.schedule.conference.time_zone_name).toBe('Europe/Madrid');
    const english = (await t.app.inject(`/events/${SEMINAR_2015}/schedule.json?lang=en`)).json() as JsonSchedule;
    expect(english.schedule.conference.rooms).toEqual([{ name: 'No room', guid: json.schedule.conference.rooms[0]!.guid }]);
    expect(jsonEvents(english).every((e) => e.room === 'No room')).toBe(true);
  });

  test('sessions.csv: BOM, CRLF, a translated header row, one row per session in programme order, local times', async () => {
    const response = await t.app.inject(`/events/${FORUM_2019}/sessions.csv?lang=en`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${FORUM_2019}-sessions.csv"`);
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = response.body;
    expect(text.startsWith(BOM)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([
      'Date', 'Start', 'End', 'Duration (minutes)', 'Part', 'Room', 'Type', 'Status', 'Title', 'Subtitle',
      'Contributors', 'Expected outputs', 'Language', 'Abstract', 'Agenda', 'Address', 'Identifier',
      'Feedback (answers)', 'Mean rating', 'Useful for work (share)',
    ]);
    const { scheduled, unscheduled } = await apiSessions(t, FORUM_2019);
    expect(rows).toHaveLength(1 + scheduled.length + unscheduled.length);
    expect(rows.slice(1).every((r) => r.length === 20)).toBe(true);
    expect(rows[1]!.slice(0, 9)).toEqual(['2019-11-12', '08:30', '09:00', '30', '', 'Plenary room', 'Arrival', 'Confirmed', 'Arrival of participants']);
    expect(rows[1]![15]).toBe(`${t.config.publicUrl}/events/${FORUM_2019}/sessions/${rows[1]![16]}?lang=en`);
    // Programme order: by start time.
    const starts = rows.slice(1).map((r) => `${r[0]}T${r[1]}`);
    expect(starts).toEqual([...starts].sort());
    // French by default, with French headers.
    const french = parseCsv((await t.app.inject(`/events/${FORUM_2019}/sessions.csv`)).body.slice(1));
    expect(french[0]!.slice(0, 4)).toEqual(['Date', 'Début', 'Fin', 'Durée (minutes)']);
    expect(french[1]!.slice(0, 9)).toEqual(['2019-11-12', '08:30', '09:00', '30', '', 'Salle plénière', 'Accueil', 'Confirmée', 'Arrivée des participants']);
  });

  test('sessions.csv: a multi-line agenda is one quoted cell that reads back whole', async () => {
    const body = (await t.app.inject(`/events/${FORUM_2019}/sessions.csv`)).body;
    const rows = parseCsv(body.slice(1));
    const opening = rows.find((r) => r[8] === 'Ouverture et bienvenue')!;
    expect(opening[14]).toBe("Présentation du forum d'apprentissage de CGLU\nBrève chronologie des travaux développés");
    expect(opening[10]).toBe('CGLU');
    expect(body).toContain('"Présentation du forum d\'apprentissage de CGLU\nBrève chronologie des travaux développés"');
  });

  test('ETag and Last-Modified from the release: If-None-Match and If-Modified-Since get a 304 without a body; HEAD works', async () => {
    for (const file of FILES) {
      const url = `/events/${FORUM_2019}/${file}`;
      const first = await t.app.inject(url);
      expect(first.statusCode).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
      expect(first.headers['cache-control']).toBe('public, max-age=60');
      expect(first.headers['last-modified']).toEqual(expect.any(String));
      const again = await t.app.inject({ url, headers: { 'if-none-match': etag } });
      expect([again.statusCode, again.body, again.headers.etag]).toEqual([304, '', etag]);
      const since = await t.app.inject({ url, headers: { 'if-modified-since': first.headers['last-modified'] as string } });
      expect(since.statusCode).toBe(304);
      expect((await t.app.inject({ url, headers: { 'if-none-match': '"something else"' } })).statusCode).toBe(200);
      const head = await t.app.inject({ method: 'HEAD', url });
      expect([head.statusCode, head.body, head.headers.etag]).toEqual([200, '', etag]);
      // Another language is another body, with another ETag.
      const english = await t.app.inject(`${url}?lang=en`);
      expect(english.headers.etag).not.toBe(etag);
      expect(english.headers['content-language']).toBe('en');
      expect(first.headers['content-language']).toBe('fr');
    }
  });

  test('any site may read them: Access-Control-Allow-Origin * on answers, and a preflight for a conditional GET is allowed', async () => {
    for (const file of FILES) {
      const url = `/events/${FORUM_2019}/${file}`;
      const response = await t.app.inject({ url, headers: { origin: 'https://apps.example' } });
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-expose-headers']).toBe('ETag, Last-Modified, Content-Disposition');
      expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
      const preflight = await t.app.inject({
        method: 'OPTIONS', url,
        headers: { origin: 'https://apps.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
      expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD');
      expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('if-none-match');
    }
  });

  test('an unknown event is 404 (so is an address no event can have), and a language other than fr, en, es is refused (400)', async () => {
    for (const file of FILES) {
      expect((await t.app.inject(`/events/no-such-event/${file}`)).statusCode).toBe(404);
      expect((await t.app.inject(`/events/Not_A_Slug/${file}`)).statusCode).toBe(404);
      expect((await t.app.inject(`/events/${FORUM_2019}/${file}?lang=de`)).statusCode).toBe(400);
    }
  });

  test('the programme page links the three exports in the reader\'s language', async () => {
    const $ = cheerio.load((await t.app.inject(`/events/${FORUM_2019}?lang=en`)).body);
    expect($('.exports a').map((_, a) => [[$(a).attr('href'), $(a).text()]]).get()).toEqual([
      [`/events/${FORUM_2019}/schedule.xml?lang=en`, 'schedule.xml (frab, for conference apps)'],
      [`/events/${FORUM_2019}/schedule.json?lang=en`, 'schedule.json (frab)'],
      [`/events/${FORUM_2019}/sessions.csv?lang=en`, 'CSV (spreadsheet)'],
    ]);
  });
});

describeInterop('the exports after organisers change the programme and release it', () => {
  const TRICKY = 'Villes <petites> & "moyennes", suite';
  const FORMULA = '=HYPERLINK("http://evil.example","clic")';
  let t: TestApp;
  let api: Api;
  let tricky: SessionOut;
  let formula: SessionOut;
  let cancelled: SessionOut;
  let etagsBefore: string[];

  beforeAll(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    etagsBefore = await Promise.all(FILES.map(async (f) => (await t.app.inject(`/events/${FORUM_2019}/${f}`)).headers.etag as string));
    const sessions = `${eventPath(FORUM_2019)}/sessions`;
    // No room: it goes in the room of sessions without one.
    tricky = ok<Written<SessionOut>>(await api.post(sessions, {
      title: { fr: TRICKY, en: 'Cities <small> & "medium", continued' },
      description: { fr: 'Première ligne, avec une virgule\nDeuxième ligne "entre guillemets"' },
      subtitle: { fr: 'Sous-titre <b>' },
      abstract: { fr: 'Un résumé & une suite.' },
      language: 'en',
      links: [{ url: 'https://example.org/slides?a=1&b=2', title: 'Diapositives' }],
      kind: 'workshop',
      start: '2019-11-12T18:30', end: '2019-11-12T19:15',
    }), 201).data;
    formula = ok<Written<SessionOut>>(await api.post(sessions, {
      title: { fr: FORMULA }, start: '2019-11-12T19:15', end: '2019-11-12T19:30',
    }), 201).data;
    const opening = await sessionTitled(api, FORUM_2019, 'Ouverture et bienvenue');
    const version = ok<{ version: number }>(await api.get(`${sessions}/${opening.id}`)).version;
    cancelled = ok<Written<SessionOut>>(await api.patch(`${sessions}/${opening.id}`, { status: 'cancelled' }, version)).data;
    release(t.app, FORUM_2019, '2 – soirée');
  });
  afterAll(async () => { await t.close(); });

  for (const lang of ['fr', 'en'] as const) {
    test(`?lang=${lang}: schedule.xml passes xmllint and schedule.json passes ajv, with a cancelled session and one without a room`, async () => {
      expectValidXml((await t.app.inject(`/events/${FORUM_2019}/schedule.xml?lang=${lang}`)).body, `changed schedule.xml ${lang}`);
      expectValidJson((await t.app.inject(`/events/${FORUM_2019}/schedule.json?lang=${lang}`)).json(), `changed schedule.json ${lang}`);
    });
  }

  test('the release changed every ETag; <version> is the release\'s name', async () => {
    const after = await Promise.all(FILES.map(async (f) => (await t.app.inject({ url: `/events/${FORUM_2019}/${f}`, headers: { 'if-none-match': etagsBefore[FILES.indexOf(f)]! } }))));
    expect(after.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(xml(after[0]!.body)('schedule > version').text()).toBe('2 – soirée');
    expect((after[1]!.json() as JsonSchedule).schedule.version).toBe('2 – soirée');
  });

  test('< & and quotes in a title are escaped in the XML and read back exactly; the other fields of the session are there', async () => {
    const body = (await t.app.inject(`/events/${FORUM_2019}/schedule.xml`)).body;
    expect(body).toContain('<title>Villes &lt;petites&gt; &amp; "moyennes", suite</title>');
    const $ = xml(body);
    const event = $(`event[guid="${tricky.id}"]`);
    expect(event.length).toBe(1);
    expect(['title', 'subtitle', 'abstract', 'description', 'type', 'language', 'room', 'track', 'start', 'duration'].map((n) => event.children(n).text())).toEqual([
      TRICKY, 'Sous-titre <b>', 'Un résumé & une suite.', 'Première ligne, avec une virgule\nDeuxième ligne "entre guillemets"',
      'workshop', 'en', 'Sans salle', '', '18:30', '00:45',
    ]);
    expect(event.find('links > link').map((_, l) => [[$(l).attr('href'), $(l).text()]]).get()).toEqual([['https://example.org/slides?a=1&b=2', 'Diapositives']]);
    expect(event.parent().attr()).toEqual({ name: 'Sans salle', guid: expect.stringMatching(UUID) });
    expect(event.children('slug').text()).toMatch(new RegExp(`^uclg_learning_forum_2019-\\d+-villes-petites-moyennes-suite$`));

    const json = (await t.app.inject(`/events/${FORUM_2019}/schedule.json`)).json() as JsonSchedule;
    const fromJson = jsonEvents(json).find((e) => e.guid === tricky.id)!;
    expect([fromJson.title, fromJson.room, fromJson.links]).toEqual([TRICKY, 'Sans salle', [{ url: 'https://example.org/slides?a=1&b=2', title: 'Diapositives' }]]);
    expect(json.schedule.conference.rooms.map((r) => r.name)).toEqual(['Salle plénière', 'Sans salle']);
  });

  test('a cancelled session stays, its title marked in the reader\'s language', async () => {
    const fr = xml((await t.app.inject(`/events/${FORUM_2019}/schedule.xml`)).body);
    expect(fr(`event[guid="${cancelled.id}"] > title`).text()).toBe('Annulée : Ouverture et bienvenue');
    const en = (await t.app.inject(`/events/${FORUM_2019}/schedule.json?lang=en`)).json() as JsonSchedule;
    expect(jsonEvents(en).find((e) => e.guid === cancelled.id)!.title).toBe('Cancelled: Opening and welcome');
  });

  test('sessions.csv: commas, quotes and line breaks read back exactly; a formula is neutralised; the cancelled session says so', async () => {
    const rows = parseCsv((await t.app.inject(`/events/${FORUM_2019}/sessions.csv`)).body.slice(1));
    const byId = new Map(rows.slice(1).map((r) => [r[16], r]));
    expect(byId.get(tricky.id)!.slice(0, 15)).toEqual([
      '2019-11-12', '18:30', '19:15', '45', '', '', 'Atelier', 'Confirmée', TRICKY, 'Sous-titre <b>', '', '', 'en', 'Un résumé & une suite.',
      'Première ligne, avec une virgule\nDeuxième ligne "entre guillemets"',
    ]);
    expect(byId.get(formula.id)![8]).toBe(`'${FORMULA}`);
    expect(byId.get(cancelled.id)!.slice(7, 9)).toEqual(['Annulée', 'Ouverture et bienvenue']);
  });
});

describeInterop('an event of several days across a clock change, never released, then released', () => {
  const SLUG = 'atelier-printemps-2026';
  let t: TestApp;
  let boss: TestUser;
  let draftId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    boss = await addUser(t.app, 'organiser', undefined, 'Organiser of every event');
    const api = apiAs(t.app, boss.bearer);
    ok(await api.post('/api/v1/events', {
      slug: SLUG, title: { fr: 'Atelier de printemps' }, timezone: 'Europe/Paris', defaultLanguage: 'fr', startDate: '2026-03-28', endDate: '2026-03-30',
    }), 201);
    ok(await api.post(`${eventPath(SLUG)}/sessions`, { title: { fr: 'Séance du samedi' }, start: '2026-03-28T09:00', end: '2026-03-28T10:30' }), 201);
    draftId = ok<Written<SessionOut>>(await api.post(`${eventPath(SLUG)}/sessions`, {
      title: { fr: 'Séance du lundi' }, start: '2026-03-30T14:00', end: '2026-03-30T15:00',
    }), 201).data.id;
  });
  afterAll(async () => { await t.close(); });

  test('never released: 404 for every export', async () => {
    for (const file of FILES) expect((await t.app.inject(`/events/${SLUG}/${file}`)).statusCode).toBe(404);
  });

  test('the organiser previewing the working copy gets it, never cached, as version "working copy"', async () => {
    const browser = await signIn(t.app, boss);
    const form = formOf((await browser.get(`/admin/events/${SLUG}/releases`)).body, 'main .preview-form');
    expect((await browser.post(form.action, form.hidden)).statusCode).toBe(303);
    const response: Response = await browser.get(`/events/${SLUG}/schedule.xml`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.headers.etag).toBeUndefined();
    expect(xml(response.body)('schedule > version').text()).toBe('working copy');
    expect(xml(response.body)(`event[guid="${draftId}"]`).length).toBe(1);
    expectValidXml(response.body, 'preview schedule.xml');
    const csv = await browser.get(`/events/${SLUG}/sessions.csv`);
    expect([csv.statusCode, csv.headers['cache-control']]).toEqual([200, 'private, no-store']);
  });

  test('released: three days, the empty Sunday from midnight to midnight across the change from +01:00 to +02:00', async () => {
    release(t.app, SLUG, '1');
    const body = (await t.app.inject(`/events/${SLUG}/schedule.xml`)).body;
    expectValidXml(body, 'spring schedule.xml');
    const $ = xml(body);
    expect($('schedule > day').toArray().map((d) => $(d).attr())).toEqual([
      { index: '1', date: '2026-03-28', start: '2026-03-28T09:00:00+01:00', end: '2026-03-28T10:30:00+01:00' },
      { index: '2', date: '2026-03-29', start: '2026-03-29T00:00:00+01:00', end: '2026-03-30T00:00:00+02:00' },
      { index: '3', date: '2026-03-30', start: '2026-03-30T14:00:00+02:00', end: '2026-03-30T15:00:00+02:00' },
    ]);
    expect($('conference > days').text()).toBe('3');
    expect($('conference > timeslot_duration').text()).toBe('00:30');
    const json = (await t.app.inject(`/events/${SLUG}/schedule.json`)).json() as JsonSchedule;
    expectValidJson(json, 'spring schedule.json');
    expect(json.schedule.conference.daysCount).toBe(3);
    expect(json.schedule.conference.days.map((d) => Object.values(d.rooms).flat().length)).toEqual([1, 0, 1]);
    const rows = parseCsv((await t.app.inject(`/events/${SLUG}/sessions.csv`)).body.slice(1));
    expect(rows.slice(1).map((r) => r.slice(0, 4))).toEqual([['2026-03-28', '09:00', '10:30', '90'], ['2026-03-30', '14:00', '15:00', '60']]);
  });
});
