// Texts stored before they were checked (or written straight into the database) may hold lone
// surrogates and control characters: every public page, feed and export still answers 200 with
// well-formed output. The texts are written here with SQL, past every check, then released.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findTextFaults } from '../../../server/unicode.ts';
import { apiAs, eventPath, listOf, ok, type SessionOut, type Written } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { contentLines, parseWithIcalJs, physicalLines, resetIcalTimezones } from '../../helpers/ical.ts';
import { interopAvailable, interopFile } from '../../helpers/interop.ts';
import { release } from '../../helpers/releases.ts';

const EVENT = `/events/${FORUM_2019}`;
/** What a text may not carry in any output: C0 controls but TAB, LF and CR, and DEL. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

// The stored texts, and what every output shows of them.
const TITLE = 'Atelier \ud800 Nul\u0000Bel\u0007';
const SHOWN_TITLE = 'Atelier \ufffd NulBel';
// Long enough to be folded, with pairs (emoji) across the 75-octet fold and a lone surrogate among them.
const DESCRIPTION = `Ligne\u001b une\r\n${'x'.repeat(60)}${'😀'.repeat(8)}\ud83d fin\u007f`;
const SHOWN_DESCRIPTION = `Ligne une\n${'x'.repeat(60)}${'😀'.repeat(8)}\ufffd fin`;
const PERSON = 'Nomvula \udc00Dlamini\u0008';
// A plain text column (not JSON, where the surrogate stays escaped as \udc00) gets the three bytes
// of its generalised UTF-8 form: they are read back as three U+FFFD.
const SHOWN_PERSON = 'Nomvula \ufffd\ufffd\ufffdDlamini';
const ROOM = 'Salle\u0000 \ud83d';
const EVENT_TITLE = 'Forum \udfff\u0001';

interface Stored { session: string; person: string; room: string; part: string }

/** A person speaking in the first scheduled session with a part (the bundled programme names no people), through the API. */
async function addSpeaker(t: TestApp): Promise<void> {
  const api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
  const person = ok<Written<{ id: string }>>(await api.post(`${eventPath(FORUM_2019)}/people`, { name: 'Nomvula Dlamini' }), 201).data;
  const sessions = await listOf<SessionOut>(api, FORUM_2019, 'sessions');
  const session = sessions.find((s) => s.slot !== null && s.part !== null && s.room !== null)!;
  ok(await api.patch(`${eventPath(FORUM_2019)}/sessions/${session.id}`, { contributors: [{ role: 'speaker', person: person.id }] }, session.version));
}

/** Writes the hostile texts with SQL, past every check, into that session, its person, its room and the event. */
function storeHostileTexts(t: TestApp): Stored {
  const sql = t.app.db.$client;
  const row = sql.prepare(`
    select s.id, s.public_id as session, p.id as person_id, p.public_id as person, r.id as room_id, r.public_id as room, pt.public_id as part
    from sessions s join session_contributors c on c.session_id = s.id join people p on p.id = c.person_id
    join rooms r on r.id = s.room_id join parts pt on pt.id = s.part_id join events e on e.id = s.event_id
    where e.slug = ?`).get(FORUM_2019) as Record<string, string | number>;
  const localized = (table: string, column: string, id: number | string, text: string) => {
    const current = JSON.parse((sql.prepare(`select ${column} as v from ${table} where id = ?`).get(id) as { v: string }).v) as Record<string, string>;
    sql.prepare(`update ${table} set ${column} = ? where id = ?`).run(JSON.stringify({ ...current, fr: text }), id);
  };
  localized('sessions', 'title', row.id!, TITLE);
  sql.prepare('update sessions set description = ? where id = ?').run(JSON.stringify({ fr: DESCRIPTION }), row.id);
  sql.prepare('update people set name = ? where id = ?').run(PERSON, row.person_id);
  localized('rooms', 'name', row.room_id!, ROOM);
  const eventId = (sql.prepare('select id from events where slug = ?').get(FORUM_2019) as { id: number }).id;
  localized('events', 'title', eventId, EVENT_TITLE);
  return { session: String(row.session), person: String(row.person), room: String(row.room), part: String(row.part) };
}

/** Text that every format can carry: well-formed, no control character but TAB, LF and CR. */
function expectClean(what: string, text: string) {
  expect(text.isWellFormed(), `${what}: a lone surrogate`).toBe(true);
  expect(CONTROL.exec(text)?.[0].codePointAt(0), `${what}: a control character`).toBeUndefined();
}

describe('texts stored with lone surrogates and control characters', () => {
  let t: TestApp;
  let stored: Stored;
  const get = async (url: string) => {
    const response = await t.app.inject({ url, headers: { 'accept-language': 'fr' } });
    expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200);
    // Bytes that are UTF-8 (a lone surrogate cannot be), read back as text.
    const text = UTF8.decode(response.rawPayload);
    expectClean(url, text);
    return { response, text };
  };

  beforeAll(async () => {
    t = await buildTestApp();
    await addSpeaker(t);
    stored = storeHostileTexts(t);
    release(t.app, FORUM_2019);
  });
  afterAll(async () => { await t.close(); });

  test('every public page answers 200 in clean HTML: the session page (once a 500: URIError in its feed links), the speaker page, the event page…', async () => {
    const pages = ['/', EVENT, `${EVENT}/sessions/${stored.session}`, `${EVENT}/speakers`, `${EVENT}/speakers/${stored.person}`,
      `${EVENT}/parts/${stored.part}`, `${EVENT}/changes`, `${EVENT}/outputs`, `${EVENT}/now`, `${EVENT}/report`];
    for (const page of pages) await get(page);
    const { text } = await get(`${EVENT}/sessions/${stored.session}`);
    expect(text).toContain(`<h1><span>${SHOWN_TITLE}</span></h1>`);
    // The Outlook link names the calendar by the session's title, percent-encoded from U+FFFD.
    expect(text).toContain(`&amp;name=${encodeURIComponent(`Forum \ufffd – ${SHOWN_TITLE}`)}`);
  });

  test('every calendar feed answers 200: UTF-8 lines of 75 octets at most, no control character, text as ical.js reads it', async () => {
    const feeds = [EVENT, `${EVENT}/sessions/${stored.session}`, `${EVENT}/speakers/${stored.person}`, `${EVENT}/rooms/${stored.room}`, `${EVENT}/parts/${stored.part}`];
    for (const feed of feeds) {
      const { response, text } = await get(`${feed}/calendar.ics`);
      const { lines, rest } = physicalLines(response.rawPayload);
      expect(rest.length).toBe(0);
      for (const line of lines) {
        expect(line.length, line.toString()).toBeLessThanOrEqual(75);
        // A fold never splits a character: each physical line is UTF-8 on its own.
        expect(() => UTF8.decode(line), line.toString('hex')).not.toThrow();
      }
      resetIcalTimezones();
      const event = parseWithIcalJs(text).events.find((e) => e.summary === SHOWN_TITLE);
      expect(event?.description.startsWith(`${SHOWN_DESCRIPTION}\n\n`), `${feed}: ${event?.description}`).toBe(true);
      expect(event?.description).toContain(`- ${SHOWN_PERSON}`);
      expect(event?.location.startsWith('Salle \ufffd, ')).toBe(true);
      expect(contentLines(text).filter((l) => l.startsWith('X-WR-CALNAME:'))[0]?.startsWith('X-WR-CALNAME:Forum \ufffd')).toBe(true);
    }
    const single = await get(`${EVENT}/sessions/${stored.session}/calendar.ics`);
    expect(single.response.headers['content-disposition']).toBe('attachment; filename="atelier-nul-bel.ics"');
    expect(single.response.headers.etag).toMatch(/^"[\w-]{32}"$/);
  });

  test('schedule.xml is well-formed XML (xmllint), valid against the voc\'s XSD when it is at hand, with the texts cleaned', async () => {
    const { text } = await get(`${EVENT}/schedule.xml`);
    const file = path.join(t.dir, 'schedule.xml');
    fs.writeFileSync(file, text);
    const run = spawnSync('xmllint', ['--noout', ...(interopAvailable ? ['--schema', interopFile('schedule.xml.xsd')] : []), file], { encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
    expect(text).toContain(`<title>${SHOWN_TITLE}</title>`);
    expect(text).toContain(`>${SHOWN_PERSON}</person>`);
  });

  test('schedule.json, programme.json and the read API hold no lone surrogate (not even escaped) and no control character', async () => {
    for (const url of [`${EVENT}/schedule.json`, `${EVENT}/programme.json`, `/api/v1/events/${FORUM_2019}/programme`, `${EVENT}/report.json`]) {
      const { text } = await get(url);
      expect(text, url).not.toMatch(/\\u(d[89a-f]|00[01]|007f)|\\[bf]/i);
      expect(findTextFaults(JSON.parse(text)), url).toEqual([]);
      expect(text, url).toContain('Forum \ufffd');
    }
    expect((await get(`${EVENT}/schedule.json`)).text).toContain(`"title": "${SHOWN_TITLE}"`);
  });

  test('programme.json stays importable: the export, imported again through the API, is accepted', async () => {
    const { text } = await get(`${EVENT}/programme.json`);
    const api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    const imported = ok<{ created: boolean }>(await api.post('/api/v1/imports', JSON.parse(text)));
    expect(imported.created).toBe(false);
  });

  test('sessions.csv and report.md carry the cleaned texts', async () => {
    const csv = await get(`${EVENT}/sessions.csv`);
    expect(csv.response.headers['content-disposition']).toBe(`attachment; filename="${FORUM_2019}-sessions.csv"`);
    expect(csv.text).toContain(`,${SHOWN_TITLE},`);
    expect(csv.text).toContain(`"${SHOWN_DESCRIPTION}"`);
    const markdown = await get(`${EVENT}/report.md`);
    expect(markdown.text).toContain('Forum \ufffd');
  });
});
