// Our JSON format: its JSON Schema, the byte-identical round trip through an empty database,
// and import through the command line and the API.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sessions } from '../../../server/db/schema.ts';
import { exportProgrammeJson } from '../../../server/domains/interop/programme-json.ts';
import { readProgramme } from '../../../server/domains/releases/reader.ts';
import { SCHEMA_FILE, schemaText } from '../../../server/domains/interop/write-schema.ts';
import { apiAs, eventPath, ok, type Api } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, makeTempDir, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { runCli } from '../../helpers/cli.ts';
import { dumpDatabase } from '../../helpers/interop.ts';
import { release } from '../../helpers/releases.ts';

const TABLES = ['events', 'parts', 'rooms', 'time_slots', 'sessions', 'organisations', 'people', 'session_contributors', 'expected_outputs', 'session_outputs'];

function rowCounts(file: string): Record<string, number> {
  const dump = dumpDatabase(file);
  return Object.fromEntries(TABLES.map((table) => {
    const block = dump.split('\n\n').find((b) => b.startsWith(`${table}\n`))!;
    return [table, block.split('\n').length - 1 - (block.endsWith('\n') ? 1 : 0)];
  }));
}

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  return ajv.compile(schema);
}

describe('the JSON Schema of our format', () => {
  test('the committed programme.schema.json is the format\'s definition (npm run interop:schema writes it)', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });

  test('both bundled programmes, exported, pass it; a broken export does not', async () => {
    const t = await buildTestApp();
    try {
      const validate = validator();
      for (const slug of [FORUM_2019, SEMINAR_2015]) {
        const document = JSON.parse(exportProgrammeJson(readProgramme(t.app.db, { slug: slug }, 'working')));
        expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
        const broken = structuredClone(document);
        broken.sessions[0].slot = 'not-an-id';
        expect(validate(broken)).toBe(false);
      }
    } finally {
      await t.close();
    }
  });
});

describe('the round trip: export, import into an empty database, export again', () => {
  let t: TestApp;
  let api: Api;
  let emptyDir: string;

  beforeAll(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    emptyDir = makeTempDir();
    // Everything the format can hold, beyond what the bundled files have.
    const base = eventPath(FORUM_2019);
    const org = ok<{ data: { id: string } }>(await api.post(`${base}/organisations`, { name: { fr: 'Métropolis' }, fullName: { fr: 'Association mondiale des grandes métropoles', en: 'World Association of Major Metropolises' } }), 201).data;
    const person = ok<{ data: { id: string } }>(await api.post(`${base}/people`, { name: 'Zoé Ndlovu', organisation: org.id, bio: { fr: 'Élue « locale », Durban\nDeuxième ligne' } }), 201).data;
    const parts = ok<{ items: { id: string; version: number }[] }>(await api.get(`${base}/parts`)).items;
    ok(await api.patch(`${base}/parts/${parts[0]!.id}`, { start: '2019-11-12T09:00', end: '2019-11-12T11:00' }, parts[0]!.version));
    ok(await api.post(`${base}/slots`, { start: '2019-11-12T18:00', end: '2019-11-12T19:00' }), 201);
    const unscheduled = ok<{ data: { id: string } }>(await api.post(`${base}/sessions`, {
      title: { fr: 'Session sans horaire', en: 'Unscheduled session' }, kind: 'workshop',
      contributors: [{ role: 'speaker', person: person.id, organisation: org.id }, { role: 'moderator', organisation: org.id }],
    }), 201).data;
    const list = ok<{ items: { id: string; version: number; status: string }[] }>(await api.get(`${base}/sessions`)).items;
    const cancelled = list.find((s) => s.id !== unscheduled.id)!;
    ok(await api.patch(`${base}/sessions/${cancelled.id}`, { status: 'cancelled' }, cancelled.version));
    // Interpretation: a room's booths (one with a channel), a session that names its own, one that has none.
    const rooms = ok<{ items: { id: string; version: number }[] }>(await api.get(`${base}/rooms`)).items;
    ok(await api.patch(`${base}/rooms/${rooms[0]!.id}`, { interpretation: [{ language: 'es', channel: 'Canal 2' }, { language: 'en' }] }, rooms[0]!.version));
    const none = list.find((s) => s.id !== unscheduled.id && s.id !== cancelled.id)!;
    ok(await api.patch(`${base}/sessions/${none.id}`, { interpretation: [] }, none.version));
    t.app.db.update(sessions).set({
      interpretation: [{ language: 'pt-BR', channel: '4' }, { language: 'fr', channel: null }],
      subtitle: { fr: 'Un sous-titre', es: 'Un subtítulo' },
      abstract: { fr: 'Premier paragraphe.\n\nSecond paragraphe, avec des "guillemets" et <balises>.' },
      language: 'fr, en',
      links: [{ url: 'https://www.uclg.org/fr?a=1&b=2', title: 'CGLU' }, { url: 'http://example.org/slides.pdf', title: 'Diapositives' }],
    }).where(eq(sessions.publicId, unscheduled.id)).run();
  });

  afterAll(async () => {
    await t?.close();
    fs.rmSync(emptyDir, { recursive: true, force: true });
  });

  test('identical bytes for both events, through the command line', async () => {
    for (const slug of [FORUM_2019, SEMINAR_2015]) {
      const first = path.join(t.dir, `${slug}.json`);
      const exported = await runCli(t.dir, ['export', slug, '--format', 'json', '--output', first]);
      expect(exported.status, exported.stderr).toBe(0);
      const imported = await runCli(emptyDir, ['import', first]);
      expect(imported.status, imported.stderr).toBe(0);
      expect(imported.stdout).toContain(`Created event ${slug}`);
      const again = await runCli(emptyDir, ['export', slug]);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toBe(fs.readFileSync(first, 'utf8'));
    }
    // The export really holds what was added: a round trip of a poorer file would prove less.
    const text = fs.readFileSync(path.join(t.dir, `${FORUM_2019}.json`), 'utf8');
    for (const needle of ['Zoé Ndlovu', 'Métropolis', '"cancelled"', '"slot": null', '"language": "fr, en"', 'https://www.uclg.org/fr?a=1&b=2', '"start": "2019-11-12T09:00:00+02:00"', '<balises>', '"2019-11-12T18:00:00+02:00"',
      '"interpretation": []', '"channel": "Canal 2"', '"language": "pt-BR",\n          "channel": "4"']) {
      expect(text).toContain(needle);
    }
  });

  test('importing the same file again changes nothing: same ids, no new rows, the same export', async () => {
    const file = path.join(t.dir, `${FORUM_2019}.json`);
    const before = dumpDatabase(path.join(emptyDir, 'forum.db'));
    const again = await runCli(emptyDir, ['import', file]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Updated event ${FORUM_2019}`);
    expect(dumpDatabase(path.join(emptyDir, 'forum.db'))).toBe(before);
  });

  test('the public programme.json is the release, in the same format, and round-trips too', async () => {
    release(t.app, FORUM_2019);
    const response = await t.app.inject({ url: `/events/${FORUM_2019}/programme.json` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toBe(exportProgrammeJson(readProgramme(t.app.db, { slug: FORUM_2019 }, 'released')));
    const released = await runCli(t.dir, ['export', FORUM_2019, '--released']);
    expect(released.stdout).toBe(response.body);
    expect(validator()(JSON.parse(response.body))).toBe(true);
  });

  test('a file whose event clashes with another event is refused, and the database is unchanged', async () => {
    const file = path.join(t.dir, 'renamed.json');
    const document = JSON.parse(fs.readFileSync(path.join(t.dir, `${FORUM_2019}.json`), 'utf8'));
    document.event.slug = 'another-address';
    fs.writeFileSync(file, JSON.stringify(document));
    const before = dumpDatabase(path.join(emptyDir, 'forum.db'));
    const run = await runCli(emptyDir, ['import', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`was imported before as the event "${FORUM_2019}"`);
    expect(run.stderr).toContain('Nothing was imported');
    expect(dumpDatabase(path.join(emptyDir, 'forum.db'))).toBe(before);
  });

  test('a session with conclusions is never dropped by an import', async () => {
    const { conclusions } = await import('../../../server/db/schema.ts');
    const target = t.app.db.select({ id: sessions.id, eventId: sessions.eventId }).from(sessions).where(sql`${sessions.kind} = 'plenary'`).get()!;
    t.app.db.insert(conclusions).values({ publicId: '00000000-0000-4000-8000-00000000c0c0', eventId: target.eventId, sessionId: target.id, state: 'draft', revision: 1, updatedAt: new Date() }).run();
    const document = JSON.parse(exportProgrammeJson(readProgramme(t.app.db, { slug: FORUM_2019 }, 'working')));
    const dropped = document.sessions.filter((s: { kind: string }) => s.kind !== 'plenary');
    const organiser = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    const dump = () => dumpDatabase(path.join(t.dir, 'forum.db'), { except: ['api_tokens'] });
    const before = dump();
    const response = await organiser.send('POST', '/api/v1/imports', { ...document, sessions: dropped });
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toContain('has conclusions written by rapporteurs');
    // Refused after rows were already written in the transaction: all of it was rolled back.
    expect(dump()).toBe(before);
  });
});

describe('import through the API', () => {
  let source: TestApp;
  let target: TestApp;
  let document: Record<string, unknown>;

  beforeAll(async () => {
    source = await buildTestApp();
    document = JSON.parse(exportProgrammeJson(readProgramme(source.app.db, { slug: SEMINAR_2015 }, 'working')));
    target = await buildTestApp({ seedIfEmpty: false });
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  test('organisers only: 401 anonymous, 403 for a rapporteur and for an organiser of another event', async () => {
    expect((await apiAs(target.app).post('/api/v1/imports', document)).statusCode).toBe(401);
    const rapporteur = await addUser(target.app, 'rapporteur');
    expect((await apiAs(target.app, rapporteur.bearer).post('/api/v1/imports', document)).statusCode).toBe(403);
  });

  test('an organiser of every event creates the event (201), then updates it (200); both are in the audit log', async () => {
    const organiser = apiAs(target.app, (await addUser(target.app, 'organiser')).bearer);
    const created = ok<{ created: boolean; counts: Record<string, number>; event: { slug: string } }>(await organiser.post('/api/v1/imports', document), 201);
    expect(created).toMatchObject({ created: true, event: { slug: SEMINAR_2015 } });
    expect(created.counts.sessions).toBe((document.sessions as unknown[]).length);
    const updated = ok<{ created: boolean }>(await organiser.post('/api/v1/imports', document), 200);
    expect(updated.created).toBe(false);
    expect(exportProgrammeJson(readProgramme(target.app.db, { slug: SEMINAR_2015 }, 'working'))).toBe(exportProgrammeJson(readProgramme(source.app.db, { slug: SEMINAR_2015 }, 'working')));
    const audit = ok<{ entries: { entity: string; action: string }[] }>(await organiser.get(`${eventPath(SEMINAR_2015)}/audit?entity=import`));
    expect(audit.entries.map((e) => e.action)).toEqual(['update', 'create']);
  });

  test('an organiser of another event may not import into this one', async () => {
    const other = await buildTestApp();
    try {
      const organiser = apiAs(other.app, (await addUser(other.app, 'organiser', FORUM_2019)).bearer);
      const response = await organiser.post('/api/v1/imports', document);
      expect(response.statusCode).toBe(403);
    } finally {
      await other.close();
    }
  });

  test('a body against the schema gets 422 with a pointer; a body that is not UTF-8 is refused; nothing changes', async () => {
    const organiser = await addUser(target.app, 'organiser');
    const api = apiAs(target.app, organiser.bearer);
    // The token records its last use at each request: that is not the programme.
    const dump = () => dumpDatabase(path.join(target.dir, 'forum.db'), { except: ['api_tokens'] });
    const before = dump();
    const bad = structuredClone(document) as { sessions: { kind: string }[] };
    bad.sessions[1]!.kind = 'party';
    const invalid = await api.post('/api/v1/imports', bad);
    expect(invalid.statusCode).toBe(422);
    expect(JSON.stringify(invalid.json().errors)).toContain('#/sessions/1/kind');

    const latin1 = Buffer.from(JSON.stringify(document).replace('Deuxième', 'Deuxi\u00e8me'), 'latin1');
    const notUtf8 = await api.send('POST', '/api/v1/imports', latin1, { 'content-type': 'application/json' });
    expect(notUtf8.statusCode).toBe(422);
    expect(notUtf8.json().detail).toMatch(/not valid UTF-8/);
    expect(dump()).toBe(before);
  });
});
