// A conference's next edition reuses the room and person guids of the previous one. Imported
// into a server that holds the previous edition, it becomes a second, complete event whose
// reused ids are scoped to it, and the first event is left byte for byte as it was; importing
// either file again changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { v5 as uuidv5 } from 'uuid';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../../server/config.ts';
import { importProgrammeFile } from '../../../server/domains/interop/service.ts';
import { scopedPublicId } from '../../../server/domains/programme/sync.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { readProgramme } from '../../../server/domains/releases/reader.ts';
import { exportProgrammeJson } from '../../../server/domains/interop/programme-json.ts';
import { apiAs, ok } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { dumpDatabase } from '../../helpers/interop.ts';
import { release } from '../../helpers/releases.ts';

const NEXT = 'uclg-learning-forum-2020';
const EXPORTS = ['schedule.xml', 'programme.json', 'calendar.ics'] as const;
const UUID = /guid="([0-9a-f-]{36})"/g;

let t: TestApp;
let original: string;
let next: string;
let database: string;
beforeAll(async () => {
  t = await buildTestApp();
  database = path.join(t.dir, 'forum.db');
  original = (await t.app.inject(`/events/${FORUM_2019}/schedule.xml`)).body;
  next = nextEdition(original);
});
afterAll(() => t.close());

/**
 * The 2019 forum's next edition, as its organisers would publish it: another title, acronym and
 * year, the same rooms and people (same guids), every session under a new guid (as the CCC hub
 * gives them), one session retitled and the last one dropped.
 */
function nextEdition(xml: string): string {
  const sessionGuids = [...xml.matchAll(/<event guid="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
  let text = xml
    .replace('<acronym>uclg_learning_forum_2019</acronym>', '<acronym>uclg_learning_forum_2020</acronym>')
    .replace("<title>Le forum d'apprentissage de CGLU</title>", "<title>Le forum d'apprentissage de CGLU 2020</title>")
    .replaceAll('2019-11-12', '2020-11-10')
    .replace('<title>Ouverture et bienvenue</title>', '<title>Ouverture et bienvenue à la deuxième édition</title>');
  for (const guid of sessionGuids) text = text.replace(`<event guid="${guid}"`, `<event guid="${uuidv5(guid, '6ba7b811-9dad-11d1-80b4-00c04fd430c8')}"`);
  const last = text.lastIndexOf('<event guid=');
  return text.slice(0, last) + text.slice(text.indexOf('</event>', last) + '</event>'.length);
}

/** What a schedule.xml says, without ids and addresses: every session's day, time, room, title, track and persons. */
function contentOf(xml: string): string[] {
  const $ = cheerio.load(xml, { xml: true });
  return $('schedule > day > room > event').map((_, e) => [
    $(e).find('date').text(), $(e).find('duration').text(), $(e).find('room').text(), $(e).find('title').text(), $(e).find('track').text(),
    $(e).find('persons > person').map((_, p) => $(p).text()).get().join(' + '),
  ].join(' | ')).get();
}

async function exportsOf(slug: string): Promise<string[]> {
  const bodies = await Promise.all(EXPORTS.map(async (file) => (await t.app.inject(`/events/${slug}/${file}`)).body));
  return [...bodies, exportProgrammeJson(readProgramme(t.app.db, { slug }, 'working'))];
}

const importXml = (xml: string, slug = NEXT) => importProgrammeFile(t.app.db, Buffer.from(xml), { slug, maxBytes: 10_000_000 }, null, t.app.now());

describe("a conference's next edition that reuses the previous one's guids", () => {
  test('is imported as a second, complete event; the first one stays byte-identical in its exports and its working copy', async () => {
    const before = await exportsOf(FORUM_2019);
    const reused = new Set([...original.matchAll(UUID)].map((m) => m[1]!).filter((guid) => next.includes(`guid="${guid}"`)));
    // The room and the seven persons keep their guids; the first event holds them as a room and
    // organisations (the bundled programme credits organisations), so only the room is another event's.
    expect(reused.size).toBe(1 + 7);

    const report = importXml(next);
    expect(report.created).toBe(true);
    expect(report.counts).toEqual({ sessions: 9, rooms: 1, people: 7, organisations: 0, parts: 3, outputs: 0, slots: 9 });
    expect(report.notes.at(-1)).toBe(`1 id already used by the event "Le forum d'apprentissage de CGLU" (${FORUM_2019}) was scoped to this event; that event is left as it is.`);

    expect(await exportsOf(FORUM_2019)).toEqual(before);
    expect(() => release(t.app, FORUM_2019)).toThrow('Nothing changed since release');

    release(t.app, NEXT);
    const exported = (await t.app.inject(`/events/${NEXT}/schedule.xml`)).body;
    expect(contentOf(exported)).toEqual(contentOf(next));
    // The second event's rooms carry ids of their own, derived from the event and the original guid.
    const event = findEventBySlug(t.app.db, NEXT)!;
    const plenary = original.match(/<room name="Salle plénière" guid="([0-9a-f-]{36})"/)![1]!;
    expect(exported).toContain(`<room name="Salle plénière" guid="${scopedPublicId(event.publicId, 'room', plenary)}">`);
  });

  test('importing the next edition again changes nothing, and says so', () => {
    const dump = dumpDatabase(database);
    const report = importXml(next);
    expect(report.created).toBe(false);
    expect(report.notes.filter((n) => n.includes('scoped'))).toHaveLength(1);
    expect(dumpDatabase(database)).toBe(dump);
    expect(() => release(t.app, NEXT)).toThrow('Nothing changed since release');
  });

  test("a third edition, made from the second's file, is scoped against both: its people and sessions against the second, its room against the first", async () => {
    const before = await Promise.all([FORUM_2019, NEXT].map(exportsOf));
    const third = next.replace('<acronym>uclg_learning_forum_2020</acronym>', '<acronym>uclg_learning_forum_2021</acronym>').replaceAll('2020-11-10', '2021-11-09');
    const report = importXml(third, 'uclg-learning-forum-2021');
    expect(report.created).toBe(true);
    expect(report.counts).toMatchObject({ sessions: 9, rooms: 1, people: 7 });
    expect(report.notes.slice(-2).sort()).toEqual([
      `1 id already used by the event "Le forum d'apprentissage de CGLU" (${FORUM_2019}) was scoped to this event; that event is left as it is.`,
      `16 ids already used by the event "Le forum d'apprentissage de CGLU 2020" (${NEXT}) were scoped to this event; that event is left as it is.`,
    ]);
    expect(await Promise.all([FORUM_2019, NEXT].map(exportsOf))).toEqual(before);
    release(t.app, 'uclg-learning-forum-2021');
    expect(contentOf((await t.app.inject('/events/uclg-learning-forum-2021/schedule.xml')).body)).toEqual(contentOf(third));
  });

  test("importing the first edition's own file again changes nothing either", () => {
    const dump = dumpDatabase(database);
    const bundled = fs.readFileSync(path.join(PROJECT_ROOT, 'data', `${FORUM_2019}.json`));
    const report = importProgrammeFile(t.app.db, bundled, { maxBytes: 10_000_000 }, null, t.app.now());
    expect(report).toMatchObject({ created: false, slug: FORUM_2019, notes: [] });
    expect(dumpDatabase(database)).toBe(dump);
  });

  test('through the API, a copy of the first event under another id and address is another, complete event', async () => {
    const organiser = await addUser(t.app, 'organiser');
    const before = await exportsOf(FORUM_2019);
    const document = JSON.parse(before[1]!) as { event: { id: string; slug: string; title: Record<string, string> }; sessions: unknown[] };
    const copy = { ...document, event: { ...document.event, id: '0d3f2f57-8a40-4b8e-9a35-2f1f5a3c9e11', slug: 'forum-copie', title: { fr: 'Copie du forum' } } };
    const api = apiAs(t.app, organiser.bearer);
    const first = ok<{ created: boolean; counts: { sessions: number } }>(await api.post('/api/v1/imports', copy), 201);
    expect(first.created).toBe(true);
    expect(first.counts.sessions).toBe(document.sessions.length);
    expect(await exportsOf(FORUM_2019)).toEqual(before);
    // The API records each import in the audit log, whose counter moves; nothing else does.
    const rows = () => dumpDatabase(database, { except: ['api_tokens', 'audit_log'] }).replace(/\{"name":"audit_log","seq":\d+\}/, '');
    const dump = rows();
    expect(ok<{ created: boolean }>(await api.post('/api/v1/imports', copy), 200).created).toBe(false);
    expect(rows()).toBe(dump);
  });
});
