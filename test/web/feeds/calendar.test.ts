// Calendar feeds (RFC 5545) of the whole event, a part, a room, a contributor and one session:
// read back with two independent parsers (ical.js and node-ical) and as raw text, and checked
// against the programme read API.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { loadAllBundledProgrammes, loadBundledProgramme, readBundledProgrammes } from '../../../server/domains/interop/bundled.ts';
import { buildTestApp, FORUM_2019, makeTempDir, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import {
  contentLines, ICAL, parseWithIcalJs, parseWithNodeIcal, physicalLines, propertyName, rawComponents, rawProperties, readProgramme,
  resetIcalTimezones, scheduledSessions, sessionTitled, uidOf, type ApiProgramme, type ApiSession,
} from '../../helpers/ical.ts';
import { release } from '../../helpers/releases.ts';

const FORUM_TITLE = "Le forum d'apprentissage de CGLU";
const ROLE_FR: Record<string, string> = { speaker: 'intervention', moderator: 'modération', presenter: 'présentation', rapporteur: 'rapport' };

const feedPath = (slug: string, scope = '') => `/events/${slug}${scope}/calendar.ics`;
const instant = (iso: string | null) => new Date(iso!).toISOString();

async function get(t: TestApp, url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({ url, headers });
}

async function feed(t: TestApp, url: string): Promise<LightMyRequestResponse> {
  const response = await get(t, url);
  expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBe(200);
  expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
  return response;
}

/** UID → SEQUENCE of every VEVENT of a feed. */
function sequences(text: string): Map<string, number> {
  return new Map(parseWithIcalJs(text).events.map((e) => [e.uid, e.sequence]));
}

/** The agenda text as the feed must start a session's DESCRIPTION with: lines trimmed, empty ones dropped. */
function agendaText(description: string): string {
  return description.split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n');
}

function sqlite(t: TestApp) {
  return t.app.db.$client;
}

beforeEach(() => { resetIcalTimezones(); });

describe('the feed of the 2019 forum', () => {
  let t: TestApp;
  let programme: ApiProgramme;
  let sessions: (ApiSession & { partId: string | null })[];
  let response: LightMyRequestResponse;
  let text: string;

  beforeAll(async () => {
    t = await buildTestApp();
    programme = await readProgramme(t.app, FORUM_2019);
    sessions = scheduledSessions(programme);
    response = await get(t, feedPath(FORUM_2019));
    text = response.body;
  });
  afterAll(async () => { await t.close(); });

  test('is served as UTF-8 text/calendar that any site may read', () => {
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers.etag).toMatch(/^"[^"]+"$/);
    expect(new Date(response.headers['last-modified'] as string).getTime()).not.toBeNaN();
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
  });

  test('the bundled programme has the ten sessions these tests rely on', () => {
    expect(sessions).toHaveLength(10);
    expect(sessionTitled(programme, 'Ouverture et bienvenue').start).toBe('2019-11-12T09:00:00+02:00');
  });

  test('ical.js: every session of the programme once, UID = public id @ host, at the API\'s start and end instants', () => {
    const { events } = parseWithIcalJs(text);
    const uids = events.map((e) => e.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect([...uids].sort()).toEqual(sessions.map((s) => uidOf(s.id, t.config.publicUrl)).sort());
    expect(uids.every((uid) => uid.endsWith('@127.0.0.1'))).toBe(true);
    for (const s of sessions) {
      const event = events.find((e) => e.uid === uidOf(s.id, t.config.publicUrl))!;
      expect(event.startZone, s.title.fr).toBe('Africa/Johannesburg');
      expect(event.start.toISOString(), s.title.fr).toBe(instant(s.start));
      expect(event.end.toISOString(), s.title.fr).toBe(instant(s.end));
      expect(event.startLocal).toBe(s.start!.slice(0, 19));
      expect(event.endLocal).toBe(s.end!.slice(0, 19));
    }
    const opening = events.find((e) => e.uid === uidOf(sessionTitled(programme, 'Ouverture et bienvenue').id, t.config.publicUrl))!;
    expect(opening.start.toISOString()).toBe('2019-11-12T07:00:00.000Z');
    expect(opening.end.toISOString()).toBe('2019-11-12T07:20:00.000Z');
    expect(opening.startLocal).toBe('2019-11-12T09:00:00');
  });

  test('node-ical: the same sessions, each UID once, at the same instants', () => {
    const { events } = parseWithNodeIcal(text);
    // node-ical keys events by UID: a repeated UID would make fewer events than VEVENTs.
    expect(events).toHaveLength(rawComponents(text, 'VEVENT').length);
    expect(events.map((e) => e.uid).sort()).toEqual(sessions.map((s) => uidOf(s.id, t.config.publicUrl)).sort());
    for (const s of sessions) {
      const event = events.find((e) => e.uid === uidOf(s.id, t.config.publicUrl))!;
      expect(event.tz, s.title.fr).toBe('Africa/Johannesburg');
      expect(event.start.toISOString(), s.title.fr).toBe(instant(s.start));
      expect(event.end.toISOString(), s.title.fr).toBe(instant(s.end));
    }
    const opening = events.find((e) => e.summary === 'Ouverture et bienvenue')!;
    expect(opening.start.toISOString()).toBe('2019-11-12T07:00:00.000Z');
  });

  test('every DTSTART and DTEND is local time in Africa/Johannesburg, never floating nor UTC', () => {
    const vevents = rawComponents(text, 'VEVENT');
    expect(vevents).toHaveLength(10);
    for (const lines of vevents) {
      const starts = rawProperties(lines, 'DTSTART');
      const ends = rawProperties(lines, 'DTEND');
      expect(starts).toHaveLength(1);
      expect(ends).toHaveLength(1);
      expect(starts[0]).toMatch(/^DTSTART;TZID=Africa\/Johannesburg:20191112T\d{6}$/);
      expect(ends[0]).toMatch(/^DTEND;TZID=Africa\/Johannesburg:20191112T\d{6}$/);
    }
    expect(text).toContain('DTSTART;TZID=Africa/Johannesburg:20191112T090000\r\n');
  });

  test('one VTIMEZONE for Africa/Johannesburg, before the first VEVENT, and X-WR-TIMEZONE', () => {
    const lines = contentLines(text);
    const vtimezones = rawComponents(text, 'VTIMEZONE');
    expect(vtimezones).toHaveLength(1);
    expect(vtimezones[0]).toContain('TZID:Africa/Johannesburg');
    expect(vtimezones[0]).toContain('TZOFFSETTO:+0200');
    expect(lines.indexOf('BEGIN:VTIMEZONE')).toBeGreaterThan(0);
    expect(lines.indexOf('BEGIN:VTIMEZONE')).toBeLessThan(lines.indexOf('BEGIN:VEVENT'));
    expect(lines.filter((l) => l === 'X-WR-TIMEZONE:Africa/Johannesburg')).toHaveLength(1);
    // Calendar properties come before the first component.
    expect(lines.indexOf('X-WR-TIMEZONE:Africa/Johannesburg')).toBeLessThan(lines.indexOf('BEGIN:VTIMEZONE'));

    const { timezones } = parseWithIcalJs(text);
    expect(timezones.map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['Africa/Johannesburg']);
    expect(ICAL.TimezoneService.has('Africa/Johannesburg')).toBe(true);
  });

  test('calendar properties: PRODID, NAME, X-WR-CALNAME, REFRESH-INTERVAL as a duration, X-PUBLISHED-TTL', () => {
    const calendarLines = contentLines(text).slice(0, contentLines(text).indexOf('BEGIN:VTIMEZONE'));
    const one = (name: string) => {
      const found = rawProperties(calendarLines, name);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };
    expect(one('PRODID')).toBe('PRODID:-//forum-programme//Programme feed//FR');
    expect(one('NAME')).toBe(`NAME:${FORUM_TITLE}`);
    expect(one('X-WR-CALNAME')).toBe(`X-WR-CALNAME:${FORUM_TITLE}`);
    const refresh = one('REFRESH-INTERVAL');
    expect(refresh).toMatch(/^REFRESH-INTERVAL;VALUE=DURATION:P(T?\d+[WDHMS])+$/);
    expect(one('X-PUBLISHED-TTL')).toBe(`X-PUBLISHED-TTL:${refresh.split(':')[1]}`);

    const { calendar } = parseWithIcalJs(text);
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//forum-programme//Programme feed//FR');
    expect(calendar.getFirstPropertyValue('name')).toBe(FORUM_TITLE);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe(FORUM_TITLE);
    const interval = calendar.getFirstPropertyValue('refresh-interval');
    expect(interval).toBeInstanceOf(ICAL.Duration);
    expect((interval as InstanceType<typeof ICAL.Duration>).toSeconds()).toBeGreaterThan(0);

    const { calendar: vcalendar } = parseWithNodeIcal(text);
    expect(vcalendar?.prodid).toBe('-//forum-programme//Programme feed//FR');
    expect(vcalendar?.['WR-CALNAME']).toBe(FORUM_TITLE);
    expect(vcalendar?.['WR-TIMEZONE']).toBe('Africa/Johannesburg');
  });

  test('every VEVENT has DTSTAMP in UTC, LAST-MODIFIED, SEQUENCE, SUMMARY, DESCRIPTION, LOCATION, URL, CATEGORIES and STATUS:CONFIRMED', () => {
    for (const lines of rawComponents(text, 'VEVENT')) {
      const names = lines.map(propertyName);
      for (const name of ['UID', 'DTSTAMP', 'LAST-MODIFIED', 'SEQUENCE', 'SUMMARY', 'DESCRIPTION', 'LOCATION', 'URL', 'CATEGORIES', 'STATUS', 'TRANSP']) {
        expect(names.filter((n) => n === name), `${name} in ${lines[0]}`).toHaveLength(1);
      }
      expect(rawProperties(lines, 'DTSTAMP')[0]).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
      expect(rawProperties(lines, 'LAST-MODIFIED')[0]).toMatch(/^LAST-MODIFIED:\d{8}T\d{6}Z$/);
      expect(rawProperties(lines, 'SEQUENCE')[0]).toMatch(/^SEQUENCE:\d+$/);
      expect(rawProperties(lines, 'STATUS')[0]).toBe('STATUS:CONFIRMED');
    }
    const { events } = parseWithIcalJs(text);
    for (const event of events) {
      expect(event.dtstamp.zone?.tzid).toBe('UTC');
      expect(event.lastModified.zone?.tzid).toBe('UTC');
      expect(event.sequence).toBe(0);
      expect(event.status).toBe('CONFIRMED');
    }
    const node = parseWithNodeIcal(text).events;
    expect(node.every((e) => e.status === 'CONFIRMED' && e.sequence === 0 && !Number.isNaN(e.dtstamp.getTime()))).toBe(true);
  });

  test('SUMMARY, LOCATION, CATEGORIES and URL of each session', () => {
    const { events } = parseWithIcalJs(text);
    const node = parseWithNodeIcal(text).events;
    for (const s of sessions) {
      const uid = uidOf(s.id, t.config.publicUrl);
      const event = events.find((e) => e.uid === uid)!;
      const url = `${t.config.publicUrl}/events/${FORUM_2019}/sessions/${s.id}`;
      expect(event.summary).toBe(s.title.fr);
      expect(event.url).toBe(url);
      expect(event.location).toBe('Salle plénière, Inkosi Albert Luthuli International Convention Centre (Durban ICC), Durban');
      const part = programme.parts.find((p) => p.id === s.partId);
      expect(event.categories[0]).toBe(part ? part.label.fr : 'Accueil');
      const nodeEvent = node.find((e) => e.uid === uid)!;
      expect(nodeEvent.summary).toBe(s.title.fr);
      expect(nodeEvent.url).toBe(url);
      expect(nodeEvent.location).toBe(event.location);
      expect(nodeEvent.categories).toEqual(event.categories);
    }
    const sendai = events.find((e) => e.summary === "Apprendre d'un exemple : localiser le cadre de Sendai")!;
    expect(sendai.categories).toEqual(['Deuxième partie', 'Session']);
  });

  test('breaks are TRANSPARENT (free time), every other session OPAQUE', () => {
    const { events } = parseWithIcalJs(text);
    const node = parseWithNodeIcal(text).events;
    const breaks = sessions.filter((s) => s.kind === 'break');
    expect(breaks.map((s) => s.title.fr)).toEqual(['Déjeuner']);
    for (const s of sessions) {
      const uid = uidOf(s.id, t.config.publicUrl);
      const expected = s.kind === 'break' ? 'TRANSPARENT' : 'OPAQUE';
      expect(events.find((e) => e.uid === uid)!.transp, s.title.fr).toBe(expected);
      expect(node.find((e) => e.uid === uid)!.transparency, s.title.fr).toBe(expected);
    }
  });

  test('DESCRIPTION: the agenda lines, the contributors with their roles, the outputs served, the session\'s address', () => {
    const { events } = parseWithIcalJs(text);
    const node = parseWithNodeIcal(text).events;
    let withContributors = 0;
    let withOutputs = 0;
    for (const s of sessions) {
      const uid = uidOf(s.id, t.config.publicUrl);
      const url = `${t.config.publicUrl}/events/${FORUM_2019}/sessions/${s.id}`;
      const expectedLines: string[] = [];
      if (s.contributors.length > 0) {
        withContributors++;
        expectedLines.push('Intervenants :', ...s.contributors.map((c) => `- ${c.organisation!.name.fr} · ${ROLE_FR[c.role]}`));
      }
      if (s.outputs.length > 0) {
        withOutputs++;
        expectedLines.push('Résultats attendus auxquels la session contribue :', ...s.outputs.map((id) => {
          const output = programme.outputs.find((o) => o.id === id)!;
          return `- Résultat ${output.position + 1} : ${output.statement.fr}`;
        }));
      }
      for (const description of [events.find((e) => e.uid === uid)!.description, node.find((e) => e.uid === uid)!.description]) {
        const agenda = s.description?.fr ? agendaText(s.description.fr) : '';
        if (agenda) expect(description.startsWith(`${agenda}\n\n`), `${s.title.fr}: ${description}`).toBe(true);
        const lines = description.split('\n');
        for (const line of expectedLines) expect(lines, s.title.fr).toContain(line);
        expect(description.endsWith(`\n${url}`) || description === url, s.title.fr).toBe(true);
      }
    }
    expect(withContributors).toBeGreaterThanOrEqual(3);
    expect(withOutputs).toBeGreaterThanOrEqual(5);

    const sendai = events.find((e) => e.summary === "Apprendre d'un exemple : localiser le cadre de Sendai")!;
    expect(sendai.description).toContain('Intervenants :\n- CGLU ASPAC · présentation\n- UNGL · présentation\n');
    expect(sendai.description).toContain('- Résultat 3 : Proposer des recommandations concrètes');
  });

  test('every line ends with CRLF, the last one included (RFC 5545, 3.1 and 3.4)', () => {
    const { lines, rest } = physicalLines(response.rawPayload);
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.every((line) => !line.includes('\n') && !line.includes('\r'))).toBe(true);
    expect(rest.toString('utf8'), 'text after the last CRLF').toBe('');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
});

describe('the feed of the 2015 seminar', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  test('carries Europe/Madrid with its summer rule: 09:30 on 29 September 2015 is 07:30Z (+02:00) through ical.js', async () => {
    const text = (await feed(t, feedPath(SEMINAR_2015))).body;
    const vtimezones = rawComponents(text, 'VTIMEZONE');
    expect(vtimezones).toHaveLength(1);
    expect(vtimezones[0]).toContain('TZID:Europe/Madrid');
    const daylight = rawComponents(vtimezones[0]!.join('\r\n'), 'DAYLIGHT');
    expect(daylight).toHaveLength(1);
    expect(daylight[0]).toContain('TZOFFSETTO:+0200');
    expect(contentLines(text)).toContain('X-WR-TIMEZONE:Europe/Madrid');

    const { timezones, events } = parseWithIcalJs(text);
    // parseWithIcalJs registered the feed's VTIMEZONE: times built from it convert through its rules.
    expect(timezones).toHaveLength(1);
    ICAL.TimezoneService.reset();
    expect(ICAL.TimezoneService.has('Europe/Madrid')).toBe(false);
    ICAL.TimezoneService.register(timezones[0]!);
    const madrid = ICAL.TimezoneService.get('Europe/Madrid');
    const summer = ICAL.Time.fromData({ year: 2015, month: 9, day: 29, hour: 9, minute: 30, second: 0, isDate: false }, madrid);
    expect(summer.toJSDate().toISOString()).toBe('2015-09-29T07:30:00.000Z');
    expect(madrid.utcOffset(summer)).toBe(2 * 3600);
    const winter = ICAL.Time.fromData({ year: 2015, month: 12, day: 1, hour: 9, minute: 30, second: 0, isDate: false }, madrid);
    expect(winter.toJSDate().toISOString()).toBe('2015-12-01T08:30:00.000Z');

    const programme = await readProgramme(t.app, SEMINAR_2015);
    const first = scheduledSessions(programme).find((s) => s.start === '2015-09-29T09:30:00+02:00')!;
    expect(first).toBeDefined();
    const event = events.find((e) => e.uid === uidOf(first.id, t.config.publicUrl))!;
    expect(event.startTzid).toBe('Europe/Madrid');
    expect(event.startLocal).toBe('2015-09-29T09:30:00');
    expect(event.start.toISOString()).toBe('2015-09-29T07:30:00.000Z');
    expect(rawProperties(rawComponents(text, 'VEVENT').find((l) => l.includes(`UID:${event.uid}`))!, 'DTSTART'))
      .toEqual(['DTSTART;TZID=Europe/Madrid:20150929T093000']);
    // Every session of the seminar, on both days, at the API's instants.
    for (const s of scheduledSessions(programme)) {
      const e = events.find((x) => x.uid === uidOf(s.id, t.config.publicUrl))!;
      expect(e.start.toISOString()).toBe(instant(s.start));
      expect(e.end.toISOString()).toBe(instant(s.end));
    }
    const node = parseWithNodeIcal(text).events.find((e) => e.uid === event.uid)!;
    expect(node.start.toISOString()).toBe('2015-09-29T07:30:00.000Z');
  });
});

describe('UIDs never change', () => {
  const dirs: string[] = [];
  afterAll(() => { for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true }); });

  async function uidsAndTitles(t: TestApp, slug: string): Promise<string[]> {
    const { events } = parseWithIcalJs((await feed(t, feedPath(slug))).body);
    return events.map((e) => `${e.uid} ${e.summary}`).sort();
  }

  test('across a restart on the same database, and after deleting the database and loading the programmes again', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const first = await buildTestApp({ dir });
    const before = { forum: await uidsAndTitles(first, FORUM_2019), seminar: await uidsAndTitles(first, SEMINAR_2015) };
    await first.close();
    expect(before.forum).toHaveLength(10);
    expect(before.seminar).toHaveLength(5);

    const restarted = await buildTestApp({ dir });
    expect(await uidsAndTitles(restarted, FORUM_2019)).toEqual(before.forum);
    expect(await uidsAndTitles(restarted, SEMINAR_2015)).toEqual(before.seminar);
    await restarted.close();

    const files = fs.readdirSync(dir).filter((f) => f.startsWith('forum.db'));
    expect(files).toContain('forum.db');
    for (const file of files) fs.rmSync(path.join(dir, file));
    const fresh = await buildTestApp({ dir });
    expect(await uidsAndTitles(fresh, FORUM_2019)).toEqual(before.forum);
    expect(await uidsAndTitles(fresh, SEMINAR_2015)).toEqual(before.seminar);
    await fresh.close();
  });

  test('their host is the host of PUBLIC_URL', async () => {
    const t = await buildTestApp({ env: { PUBLIC_URL: 'https://programme.example.org/forum' } });
    try {
      const programme = await readProgramme(t.app, FORUM_2019);
      const { events } = parseWithIcalJs((await feed(t, feedPath(FORUM_2019))).body);
      expect(events.map((e) => e.uid).sort()).toEqual(scheduledSessions(programme).map((s) => `${s.id}@programme.example.org`).sort());
      expect(events[0]!.url.startsWith('https://programme.example.org/forum/events/')).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('revisions: SEQUENCE, ETag and conditional requests', () => {
  let t: TestApp;
  let programme: ApiProgramme;
  beforeEach(async () => {
    t = await buildTestApp();
    programme = await readProgramme(t.app, FORUM_2019);
  });
  afterEach(async () => { await t.close(); });

  /** Checks that an unchanged feed is revalidated with both validators it gave. */
  async function expectNotModified(url: string, before: LightMyRequestResponse) {
    const byEtag = await get(t, url, { 'if-none-match': before.headers.etag as string });
    expect(byEtag.statusCode).toBe(304);
    expect(byEtag.body).toBe('');
    expect(byEtag.headers.etag).toBe(before.headers.etag);
    const byDate = await get(t, url, { 'if-modified-since': before.headers['last-modified'] as string });
    expect(byDate.statusCode).toBe(304);
    expect(byDate.body).toBe('');
  }

  /** After a change: a new ETag, and the old one no longer matches. */
  async function expectChanged(url: string, before: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    const after = await feed(t, url);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const withOldEtag = await get(t, url, { 'if-none-match': before.headers.etag as string });
    expect(withOldEtag.statusCode).toBe(200);
    expect(withOldEtag.headers.etag).toBe(after.headers.etag);
    expect(withOldEtag.body).toBe(after.body);
    return after;
  }

  function expectOnlyRaised(before: Map<string, number>, after: Map<string, number>, uid: string) {
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(after.get(uid)!).toBeGreaterThan(before.get(uid)!);
    for (const [other, sequence] of before) if (other !== uid) expect(after.get(other), other).toBe(sequence);
  }

  test('moving a session\'s time slot with SQL raises its SEQUENCE alone, moves it in the feed and changes the ETag', async () => {
    const url = feedPath(FORUM_2019);
    const review = sessionTitled(programme, 'Bilan du travail effectué');
    const uid = uidOf(review.id, t.config.publicUrl);
    const before = await feed(t, url);
    await expectNotModified(url, before);

    const moved = sqlite(t).prepare(`UPDATE time_slots SET starts_at = starts_at + 15 * 60000
      WHERE id = (SELECT slot_id FROM sessions WHERE public_id = ?)`).run(review.id);
    expect(moved.changes).toBe(1);
    // The working copy changed; subscribers see it only once it is released.
    await expectNotModified(url, before);
    release(t.app, FORUM_2019);

    const after = await expectChanged(url, before);
    expectOnlyRaised(sequences(before.body), sequences(after.body), uid);
    const event = parseWithIcalJs(after.body).events.find((e) => e.uid === uid)!;
    expect(event.start.toISOString()).toBe('2019-11-12T08:15:00.000Z');
    expect(event.end.toISOString()).toBe('2019-11-12T09:00:00.000Z');
    expect(event.startLocal).toBe('2019-11-12T10:15:00');
    expect(parseWithNodeIcal(after.body).events.find((e) => e.uid === uid)!.start.toISOString()).toBe('2019-11-12T08:15:00.000Z');
    expect(sessionTitled(await readProgramme(t.app, FORUM_2019), 'Bilan du travail effectué').start).toBe('2019-11-12T10:15:00+02:00');
    // The new feed is revalidated in turn.
    expect((await get(t, url, { 'if-none-match': after.headers.etag as string })).statusCode).toBe(304);
  });

  test('moving a session in the bundled file and loading it again raises its SEQUENCE alone and changes the ETag', async () => {
    const url = feedPath(FORUM_2019);
    const wayForward = sessionTitled(programme, 'La voie à suivre ?');
    const uid = uidOf(wayForward.id, t.config.publicUrl);
    const before = await feed(t, url);
    await expectNotModified(url, before);

    const bundled = readBundledProgrammes().find((p) => p.event.slug === FORUM_2019)!;
    const changed = structuredClone(bundled);
    const session = changed.sessions.find((s) => s.key === 'voie-a-suivre')!;
    expect([session.start, session.end]).toEqual(['2019-11-12T17:00', '2019-11-12T18:00']);
    session.start = '2019-11-12T17:30';
    session.end = '2019-11-12T18:30';
    loadBundledProgramme(t.app.db, changed);
    release(t.app, FORUM_2019);

    const after = await expectChanged(url, before);
    expectOnlyRaised(sequences(before.body), sequences(after.body), uid);
    const event = parseWithIcalJs(after.body).events.find((e) => e.uid === uid)!;
    expect(event.start.toISOString()).toBe('2019-11-12T15:30:00.000Z');
    expect(event.end.toISOString()).toBe('2019-11-12T16:30:00.000Z');
    expect(parseWithNodeIcal(after.body).events.find((e) => e.uid === uid)!.end.toISOString()).toBe('2019-11-12T16:30:00.000Z');
    // The other event was not touched.
    expect(bundled.sessions.find((s) => s.key === 'voie-a-suivre')!.start).toBe('2019-11-12T17:00');
  });

  test('HEAD answers with the headers of GET and no body', async () => {
    for (const url of [feedPath(FORUM_2019), `${feedPath(FORUM_2019)}?lang=en`, feedPath(FORUM_2019, `/sessions/${sessionTitled(programme, 'Déjeuner').id}`)]) {
      const full = await feed(t, url);
      const head = await t.app.inject({ method: 'HEAD', url });
      expect(head.statusCode).toBe(200);
      expect(head.body).toBe('');
      // The date and the request id belong to each exchange.
      const { date: _getDate, 'x-request-id': getId, ...getHeaders } = full.headers;
      const { date: _headDate, 'x-request-id': headId, ...headHeaders } = head.headers;
      expect(headId).not.toBe(getId);
      expect(headHeaders).toEqual(getHeaders);
      expect(Number(head.headers['content-length'])).toBe(full.rawPayload.length);
    }
  });

  test('loading the unchanged bundled programmes again changes neither the ETag, Last-Modified nor any SEQUENCE', async () => {
    const urls = [feedPath(FORUM_2019), feedPath(SEMINAR_2015), `${feedPath(FORUM_2019, `/parts/${programme.parts[1]!.id}`)}?lang=es`];
    const before = await Promise.all(urls.map((url) => feed(t, url)));
    expect(loadAllBundledProgrammes(t.app.db)).toEqual([SEMINAR_2015, FORUM_2019]);
    for (const [i, url] of urls.entries()) {
      const after = await feed(t, url);
      expect(after.headers.etag, url).toBe(before[i]!.headers.etag);
      expect(after.headers['last-modified'], url).toBe(before[i]!.headers['last-modified']);
      expect(sequences(after.body)).toEqual(sequences(before[i]!.body));
      expect(after.body).toBe(before[i]!.body);
      await expectNotModified(url, before[i]!);
    }
  });

  test('a cancelled session stays in the feed, with STATUS:CANCELLED and a higher SEQUENCE', async () => {
    const url = feedPath(FORUM_2019);
    const sendai = sessionTitled(programme, "Apprendre d'un exemple : localiser le cadre de Sendai");
    const uid = uidOf(sendai.id, t.config.publicUrl);
    const before = await feed(t, url);
    expect(sqlite(t).prepare("UPDATE sessions SET status = 'cancelled' WHERE public_id = ?").run(sendai.id).changes).toBe(1);
    release(t.app, FORUM_2019);

    const after = await expectChanged(url, before);
    expectOnlyRaised(sequences(before.body), sequences(after.body), uid);
    const event = parseWithIcalJs(after.body).events.find((e) => e.uid === uid)!;
    expect(event.status).toBe('CANCELLED');
    expect(event.summary).toContain(sendai.title.fr);
    expect(event.start.toISOString()).toBe(instant(sendai.start));
    expect(parseWithNodeIcal(after.body).events.find((e) => e.uid === uid)!.status).toBe('CANCELLED');
    const vevent = rawComponents(after.body, 'VEVENT').find((lines) => lines.includes(`UID:${uid}`))!;
    expect(rawProperties(vevent, 'STATUS')).toEqual(['STATUS:CANCELLED']);
    // The single-session download says so too.
    const single = parseWithIcalJs((await feed(t, feedPath(FORUM_2019, `/sessions/${sendai.id}`))).body).events;
    expect(single.map((e) => [e.uid, e.status])).toEqual([[uid, 'CANCELLED']]);
  });
});

describe('escaping and folding', () => {
  let t: TestApp;
  let programme: ApiProgramme;
  beforeEach(async () => {
    t = await buildTestApp();
    programme = await readProgramme(t.app, FORUM_2019);
  });
  afterEach(async () => { await t.close(); });

  test('a long French agenda with accents, commas, semicolons, backslashes, € and a 4-byte character survives ical.js; folding keeps lines within 75 octets and characters whole', async () => {
    const opening = sessionTitled(programme, 'Ouverture et bienvenue');
    const uid = uidOf(opening.id, t.config.publicUrl);
    const long = `Ligne longue : ${'Les élus (maires, présidents; conseillers) débattent à Durban — budget 5 € — 𝄞 clef de sol; '.repeat(4)}fin`;
    expect(long.length).toBeGreaterThan(200);
    const agenda = [
      "  Élus, maires; « citoyens » — d'un côté\\ de l'autre  ",
      '',
      'Chemin C:\\nouveau\\dossier, et des échappements déjà écrits : \\, \\; \\n',
      long,
      '\t ',
      '𝄞𝄞𝄞 — ça coûte 1 200 € ; voilà.\r',
      "Dernière ligne, avec une virgule, un point-virgule; et l'apostrophe",
    ].join('\n');
    const expected = agendaText(agenda);
    expect(expected.split('\n')).toHaveLength(5);
    sqlite(t).prepare('UPDATE sessions SET description = ? WHERE public_id = ?').run(JSON.stringify({ fr: agenda }), opening.id);
    release(t.app, FORUM_2019);

    const response = await feed(t, feedPath(FORUM_2019));
    const event = parseWithIcalJs(response.body).events.find((e) => e.uid === uid)!;
    expect(event.description.startsWith(`${expected}\n\nIntervenants :\n- CGLU · présentation\n\n`)).toBe(true);
    expect(event.description.slice(0, expected.length)).toBe(expected);
    expect(event.description.endsWith(`/events/${FORUM_2019}/sessions/${opening.id}`)).toBe(true);
    const node = parseWithNodeIcal(response.body).events.find((e) => e.uid === uid)!;
    // node-ical reads an escaped backslash followed by "n" as a line break (its own bug), so it
    // is only asked for the lines without a backslash.
    expect(node.description).toContain(expected.split('\n')[3]);
    expect(node.description).toContain(expected.split('\n')[4]);

    // The raw value: every special character escaped once.
    const raw = rawProperties(rawComponents(response.body, 'VEVENT').find((l) => l.includes(`UID:${uid}`))!, 'DESCRIPTION')[0]!;
    expect(raw.startsWith("DESCRIPTION:Élus\\, maires\\; « citoyens » — d'un côté\\\\ de l'autre\\nChemin C:\\\\nouveau\\\\dossier\\, ")).toBe(true);

    const { lines } = physicalLines(response.rawPayload);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (const line of lines) {
      expect(line.length, line.toString('utf8')).toBeLessThanOrEqual(75);
      expect(() => decoder.decode(line), line.toString('hex')).not.toThrow();
      expect(line.includes('\r') || line.includes('\n')).toBe(false);
    }
    // A surrogate pair cut in two would have been written as U+FFFD.
    expect(response.body).not.toContain('\uFFFD');
    // The description was long enough to be folded many times.
    const start = lines.findIndex((l) => l.toString('utf8').startsWith('DESCRIPTION:Élus'));
    let continuation = 0;
    while (lines[start + 1 + continuation]?.[0] === 0x20) continuation++;
    expect(continuation).toBeGreaterThan(8);
    expect(Buffer.byteLength(response.body)).toBe(response.rawPayload.length);
  });

  test('a calendar name with a comma, a semicolon and a backslash round-trips through ical.js as NAME and X-WR-CALNAME', async () => {
    const title = 'Forum, Durban; 2019 — C:\\nouveau « édition »';
    const event = sqlite(t).prepare('SELECT title FROM events WHERE slug = ?').get(FORUM_2019) as { title: string };
    sqlite(t).prepare('UPDATE events SET title = ? WHERE slug = ?').run(JSON.stringify({ ...JSON.parse(event.title), fr: title }), FORUM_2019);
    release(t.app, FORUM_2019);

    const text = (await feed(t, feedPath(FORUM_2019))).body;
    const lines = contentLines(text);
    expect(lines).toContain('NAME:Forum\\, Durban\\; 2019 — C:\\\\nouveau « édition »');
    expect(lines).toContain('X-WR-CALNAME:Forum\\, Durban\\; 2019 — C:\\\\nouveau « édition »');
    const { calendar } = parseWithIcalJs(text);
    expect(calendar.getFirstPropertyValue('name')).toBe(title);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe(title);
    // A feed narrowed to a part names the part after the title.
    const part = programme.parts[0]!;
    const partFeed = parseWithIcalJs((await feed(t, feedPath(FORUM_2019, `/parts/${part.id}`))).body).calendar;
    expect(partFeed.getFirstPropertyValue('name')).toBe(`${title} – ${part.label.fr}`);
    expect(partFeed.getFirstPropertyValue('x-wr-calname')).toBe(`${title} – ${part.label.fr}`);
  });
});

describe('feeds narrowed to a part, a room, a contributor or one session', () => {
  let t: TestApp;
  let programme: ApiProgramme;
  let sessions: (ApiSession & { partId: string | null })[];
  const person = { id: randomUUID(), name: 'Ana Pérez' };
  const roomB = { id: randomUUID(), name: 'Salle B' };
  let lrga: string;

  const uidsOf = async (url: string) => parseWithIcalJs((await feed(t, url)).body).events.map((e) => e.uid).sort();
  const expectedUids = (list: ApiSession[]) => list.map((s) => uidOf(s.id, t.config.publicUrl)).sort();

  beforeAll(async () => {
    t = await buildTestApp();
    const before = await readProgramme(t.app, FORUM_2019);
    const panel = sessionTitled(before, "Composants clés pour nourrir le programme d'apprentissage");
    lrga = panel.contributors.find((c) => c.organisation?.name.fr === 'LRGA')!.organisation!.id;
    const db = sqlite(t);
    const eventId = (db.prepare('SELECT id FROM events WHERE slug = ?').get(FORUM_2019) as { id: number }).id;
    // The bundled data has rooms and organisations but no person: add one (of LRGA, moderating the
    // last session) and a second room holding lunch, so that each narrowed feed leaves something out.
    db.prepare('INSERT INTO people (public_id, event_id, name, organisation_id) VALUES (?, ?, ?, (SELECT id FROM organisations WHERE public_id = ?))')
      .run(person.id, eventId, person.name, lrga);
    db.prepare(`INSERT INTO session_contributors (session_id, role, person_id, organisation_id, position)
      VALUES ((SELECT id FROM sessions WHERE public_id = ?), 'moderator', (SELECT id FROM people WHERE public_id = ?), NULL, 0)`)
      .run(sessionTitled(before, 'La voie à suivre ?').id, person.id);
    db.prepare('INSERT INTO rooms (public_id, event_id, position, name) VALUES (?, ?, 1, ?)')
      .run(roomB.id, eventId, JSON.stringify({ fr: roomB.name, en: 'Room B' }));
    db.prepare('UPDATE sessions SET room_id = (SELECT id FROM rooms WHERE public_id = ?) WHERE public_id = ?')
      .run(roomB.id, sessionTitled(before, 'Déjeuner').id);
    release(t.app, FORUM_2019);
    programme = await readProgramme(t.app, FORUM_2019);
    sessions = scheduledSessions(programme);
  });
  afterAll(async () => { await t.close(); });

  test('each part\'s feed holds exactly the part\'s sessions', async () => {
    expect(programme.parts).toHaveLength(3);
    const seen = new Set<string>();
    for (const part of programme.parts) {
      const expected = expectedUids(sessions.filter((s) => s.partId === part.id));
      expect(expected.length).toBeGreaterThan(0);
      expect(await uidsOf(feedPath(FORUM_2019, `/parts/${part.id}`)), part.label.fr).toEqual(expected);
      for (const uid of expected) seen.add(uid);
    }
    // The arrival of participants belongs to no part, so no part's feed has it.
    expect(seen.size).toBe(sessions.length - 1);
  });

  test('each room\'s feed holds exactly the room\'s sessions', async () => {
    expect(programme.rooms.map((r) => r.name.fr)).toEqual(['Salle plénière', 'Salle B']);
    for (const room of programme.rooms) {
      const expected = expectedUids(sessions.filter((s) => s.room?.id === room.id));
      expect(await uidsOf(feedPath(FORUM_2019, `/rooms/${room.id}`)), room.name.fr).toEqual(expected);
    }
    expect(await uidsOf(feedPath(FORUM_2019, `/rooms/${roomB.id}`))).toEqual(expectedUids([sessionTitled(programme, 'Déjeuner')]));
    expect((await uidsOf(feedPath(FORUM_2019, `/rooms/${programme.rooms[0]!.id}`))).length).toBe(9);
  });

  test('a person\'s feed holds the sessions they take part in; an organisation\'s, its own and its people\'s', async () => {
    const wayForward = sessionTitled(programme, 'La voie à suivre ?');
    expect(wayForward.contributors).toEqual([{ role: 'moderator', person: person, organisation: null }]);
    const personFeed = parseWithIcalJs((await feed(t, feedPath(FORUM_2019, `/speakers/${person.id}`))).body);
    expect(personFeed.events.map((e) => e.uid).sort())
      .toEqual(expectedUids(sessions.filter((s) => s.contributors.some((c) => c.person?.id === person.id))));
    expect(personFeed.events.map((e) => e.summary)).toEqual(['La voie à suivre ?']);
    expect(personFeed.calendar.getFirstPropertyValue('name')).toBe(`${FORUM_TITLE} – ${person.name}`);
    expect(personFeed.events[0]!.description.split('\n')).toContain(`- ${person.name} · modération`);

    const organisationSessions = sessions.filter((s) => s.contributors.some((c) => c.organisation?.id === lrga || c.person?.id === person.id));
    expect(organisationSessions.map((s) => s.title.fr)).toEqual(["Composants clés pour nourrir le programme d'apprentissage", 'La voie à suivre ?']);
    const organisationFeed = parseWithIcalJs((await feed(t, feedPath(FORUM_2019, `/speakers/${lrga}`))).body);
    expect(organisationFeed.events.map((e) => e.uid).sort()).toEqual(expectedUids(organisationSessions));
    expect(organisationFeed.calendar.getFirstPropertyValue('x-wr-calname')).toBe(`${FORUM_TITLE} – LRGA`);

    const cglu = sessions.flatMap((s) => s.contributors).find((c) => c.organisation?.name.fr === 'CGLU')!.organisation!.id;
    expect(await uidsOf(feedPath(FORUM_2019, `/speakers/${cglu}`)))
      .toEqual(expectedUids(sessions.filter((s) => s.contributors.some((c) => c.organisation?.id === cglu))));
    expect((await uidsOf(feedPath(FORUM_2019, `/speakers/${cglu}`))).length).toBe(2);
  });

  test('one session\'s feed is a download of that session alone, with a safe .ics file name', async () => {
    for (const s of sessions) {
      const response = await feed(t, feedPath(FORUM_2019, `/sessions/${s.id}`));
      const disposition = response.headers['content-disposition'] as string;
      expect(disposition.startsWith('attachment;')).toBe(true);
      const filename = /filename="([^"]*)"/.exec(disposition)?.[1];
      expect(filename, disposition).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*\.ics$/);
      const { events } = parseWithIcalJs(response.body);
      expect(events.map((e) => e.uid)).toEqual([uidOf(s.id, t.config.publicUrl)]);
      expect(events[0]!.start.toISOString()).toBe(instant(s.start));
      expect(rawComponents(response.body, 'VTIMEZONE')).toHaveLength(1);
    }
    const dialogue = sessionTitled(programme, 'Dialogue entre mécanismes : comment assurer la transférabilité ?');
    const response = await feed(t, feedPath(FORUM_2019, `/sessions/${dialogue.id}`));
    expect(response.headers['content-disposition']).toBe('attachment; filename="dialogue-entre-mecanismes-comment-assurer-la-transferabilite.ics"');
    // Whole feeds are subscribed to, not downloaded.
    expect((await feed(t, feedPath(FORUM_2019))).headers['content-disposition']).toBeUndefined();
  });

  test('unknown events, parts, rooms, speakers and sessions are 404; another event\'s session too', async () => {
    const unknown = randomUUID();
    for (const url of [
      feedPath('no-such-event'),
      feedPath(FORUM_2019, `/parts/${unknown}`),
      feedPath(FORUM_2019, `/rooms/${unknown}`),
      feedPath(FORUM_2019, `/speakers/${unknown}`),
      feedPath(FORUM_2019, `/sessions/${unknown}`),
    ]) {
      const response = await get(t, url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).not.toMatch(/^text\/calendar/);
    }
    const seminarSession = scheduledSessions(await readProgramme(t.app, SEMINAR_2015))[0]!;
    expect((await get(t, feedPath(FORUM_2019, `/sessions/${seminarSession.id}`))).statusCode).toBe(404);
    expect((await get(t, feedPath(SEMINAR_2015, `/sessions/${seminarSession.id}`))).statusCode).toBe(200);
  });

  test('an unknown id is 404 even when the request carries conditional headers (RFC 9110, 13.2.1)', async () => {
    const whole = await feed(t, feedPath(FORUM_2019));
    const url = feedPath(FORUM_2019, `/parts/${randomUUID()}`);
    const conditional = await get(t, url, { 'if-modified-since': whole.headers['last-modified'] as string });
    expect(conditional.statusCode).toBe(404);
    expect((await get(t, url, { 'if-none-match': '*' })).statusCode).toBe(404);
  });

  test('?lang=en gives the English feed, ?lang=es the Spanish one, any other language is refused', async () => {
    const opening = sessionTitled(programme, 'Ouverture et bienvenue');
    const uid = uidOf(opening.id, t.config.publicUrl);
    const en = await feed(t, `${feedPath(FORUM_2019)}?lang=en`);
    expect(en.headers['content-language']).toBe('en');
    const english = parseWithIcalJs(en.body);
    expect(english.events.find((e) => e.uid === uid)!.summary).toBe('Opening and welcome');
    expect(english.events.find((e) => e.uid === uid)!.summary).toBe(opening.title.en);
    expect(english.calendar.getFirstPropertyValue('name')).toBe('The UCLG Learning Forum');
    expect(english.events.find((e) => e.uid === uid)!.url).toBe(`${t.config.publicUrl}/events/${FORUM_2019}/sessions/${opening.id}?lang=en`);
    expect(parseWithNodeIcal(en.body).events.find((e) => e.uid === uid)!.summary).toBe('Opening and welcome');
    // The UIDs do not depend on the language.
    expect(english.events.map((e) => e.uid).sort()).toEqual(expectedUids(sessions));

    const fr = await feed(t, feedPath(FORUM_2019));
    expect(fr.headers['content-language']).toBe('fr');
    expect(en.headers.etag).not.toBe(fr.headers.etag);
    const es = await feed(t, `${feedPath(FORUM_2019, `/sessions/${opening.id}`)}?lang=es`);
    expect(es.headers['content-language']).toBe('es');
    expect(parseWithIcalJs(es.body).events[0]!.summary).toBe(opening.title.es);

    for (const url of [`${feedPath(FORUM_2019)}?lang=de`, `${feedPath(FORUM_2019, `/sessions/${opening.id}`)}?lang=de`]) {
      expect((await get(t, url)).statusCode, url).toBe(400);
    }
  });
});

describe('REFRESH-INTERVAL follows the clock', () => {
  const dir = makeTempDir();
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  /** The feed as an app on the same database file, whose clock says `now`, serves it. */
  async function feedAt(now: string): Promise<{ etag: string; interval: string; seconds: number; ttl: string }> {
    const t = await buildTestApp({ dir, now: () => new Date(now) });
    try {
      const response = await feed(t, feedPath(FORUM_2019));
      const lines = contentLines(response.body);
      const interval = rawProperties(lines, 'REFRESH-INTERVAL');
      expect(interval).toHaveLength(1);
      expect(interval[0]).toMatch(/^REFRESH-INTERVAL;VALUE=DURATION:/);
      const duration = parseWithIcalJs(response.body).calendar.getFirstPropertyValue('refresh-interval') as InstanceType<typeof ICAL.Duration>;
      return {
        etag: response.headers.etag as string,
        interval: interval[0]!.split(':')[1]!,
        seconds: duration.toSeconds(),
        ttl: rawProperties(lines, 'X-PUBLISHED-TTL')[0]!.split(':')[1]!,
      };
    } finally {
      await t.close();
    }
  }

  test('every 15 minutes during the event, hourly in the month before, daily when far off, weekly once past; the ETag follows', async () => {
    const during = await feedAt('2019-11-12T10:00:00Z');
    const monthBefore = await feedAt('2019-10-28T10:00:00Z');
    const farOff = await feedAt('2019-05-12T10:00:00Z');
    const past = await feedAt('2023-03-01T10:00:00Z');
    expect([during, monthBefore, farOff, past].map((f) => [f.interval, f.ttl, f.seconds])).toEqual([
      ['PT15M', 'PT15M', 15 * 60],
      ['PT1H', 'PT1H', 3600],
      ['P1D', 'P1D', 86400],
      ['P7D', 'P7D', 7 * 86400],
    ]);
    expect(new Set([during.etag, monthBefore.etag, farOff.etag, past.etag]).size).toBe(4);
    // Same database, same clock: same ETag.
    expect((await feedAt('2019-11-12T10:00:00Z')).etag).toBe(during.etag);
  });

  test('Last-Modified moves when the interval steps, so If-Modified-Since alone does not keep a stale interval', async () => {
    const own = makeTempDir();
    try {
      // An event in the future of the data's own update time, so that the steps come after it.
      const setup = await buildTestApp({ dir: own });
      sqlite(setup).prepare("update events set start_date = '2030-06-01', end_date = '2030-06-01' where slug = ?").run(FORUM_2019);
      release(setup.app, FORUM_2019);
      await setup.close();
      const at = async (now: string, headers: Record<string, string> = {}) => {
        const t = await buildTestApp({ dir: own, now: () => new Date(now) });
        try {
          return await get(t, feedPath(FORUM_2019), headers);
        } finally {
          await t.close();
        }
      };
      const farOff = await at('2030-01-01T10:00:00Z');
      expect(farOff.body).toContain('REFRESH-INTERVAL;VALUE=DURATION:P1D');
      const lastModified = farOff.headers['last-modified'] as string;
      expect((await at('2030-01-02T10:00:00Z', { 'if-modified-since': lastModified })).statusCode).toBe(304);
      const monthBefore = await at('2030-05-20T10:00:00Z', { 'if-modified-since': lastModified });
      expect(monthBefore.statusCode).toBe(200);
      expect(monthBefore.body).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
      expect(new Date(monthBefore.headers['last-modified'] as string).getTime()).toBeGreaterThan(new Date(lastModified).getTime());
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  test('the day after the event still refreshes every 15 minutes; two days after, weekly', async () => {
    expect((await feedAt('2019-11-13T10:00:00Z')).interval).toBe('PT15M');
    expect((await feedAt('2019-11-14T10:00:00Z')).interval).toBe('P7D');
    expect((await feedAt('2019-11-10T10:00:00Z')).interval).toBe('PT15M');
  });
});
