// The feeds must not depend on the zone of the machine that serves them: the real server is
// started three times, with TZ=UTC, TZ=Pacific/Auckland and TZ=America/New_York, and every
// session's DTSTART/DTEND must come out the same (local value, TZID and instant).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { FORUM_2019, makeTempDir, SEMINAR_2015 } from '../../helpers/app.ts';
import {
  parseWithIcalJs, rawComponents, rawProperties, resetIcalTimezones, scheduledSessions, type ApiProgramme,
} from '../../helpers/ical.ts';
import { startServer, stopServer, type RunningServer } from '../../helpers/server.ts';

const ZONES = ['UTC', 'Pacific/Auckland', 'America/New_York'] as const;
const SLUGS = [FORUM_2019, SEMINAR_2015] as const;
const SPAWN_TIMEOUT = 60_000;

interface Server extends RunningServer {
  zone: string;
}

/** What a server says about one session: from its feed (with ical.js) and from its read API. */
interface SessionTimes {
  dtstart: string;
  dtend: string;
  startLocal: string;
  endLocal: string;
  startTzid: string | null;
  endTzid: string | null;
  start: string;
  end: string;
}

async function start(zone: string, dir: string): Promise<Server> {
  const server = await startServer({ DATABASE_PATH: path.join(dir, `${zone.replace(/\//g, '-')}.db`), LOG_LEVEL: 'warn', TZ: zone }, 45_000);
  return { ...server, zone };
}

describe('feeds do not depend on the server\'s own time zone', () => {
  const dir = makeTempDir();
  const servers: Server[] = [];
  /** zone → slug → UID → times */
  const times = new Map<string, Map<string, Map<string, SessionTimes>>>();
  /** zone → slug → the programme of the read API */
  const programmes = new Map<string, Map<string, ApiProgramme>>();

  beforeEach(() => { resetIcalTimezones(); });

  beforeAll(async () => {
    // Started one after the other: each stays up until afterAll.
    for (const zone of ZONES) servers.push(await start(zone, dir));
    for (const server of servers) {
      const bySlug = new Map<string, Map<string, SessionTimes>>();
      const programmesBySlug = new Map<string, ApiProgramme>();
      for (const slug of SLUGS) {
        const response = await fetch(`${server.base}/events/${slug}/calendar.ics`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
        const text = await response.text();
        resetIcalTimezones();
        const { events } = parseWithIcalJs(text);
        const raw = rawComponents(text, 'VEVENT');
        const byUid = new Map<string, SessionTimes>();
        for (const event of events) {
          const lines = raw.find((l) => l.includes(`UID:${event.uid}`))!;
          byUid.set(event.uid, {
            dtstart: rawProperties(lines, 'DTSTART')[0]!,
            dtend: rawProperties(lines, 'DTEND')[0]!,
            startLocal: event.startLocal,
            endLocal: event.endLocal,
            startTzid: event.startTzid,
            endTzid: event.endTzid,
            start: event.start.toISOString(),
            end: event.end.toISOString(),
          });
        }
        expect(byUid.size).toBe(events.length);
        bySlug.set(slug, byUid);
        const programme = await fetch(`${server.base}/api/v1/events/${slug}/programme`);
        expect(programme.status).toBe(200);
        programmesBySlug.set(slug, await programme.json() as ApiProgramme);
      }
      times.set(server.zone, bySlug);
      programmes.set(server.zone, programmesBySlug);
    }
  }, 3 * SPAWN_TIMEOUT);

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    fs.rmSync(dir, { recursive: true, force: true });
  }, SPAWN_TIMEOUT);

  test('three servers, one per zone, answered both feeds', () => {
    expect(servers.map((s) => s.zone)).toEqual([...ZONES]);
    expect(servers.every((s) => s.child.exitCode === null)).toBe(true);
    for (const zone of ZONES) {
      expect(times.get(zone)!.get(FORUM_2019)!.size, zone).toBe(10);
      expect(times.get(zone)!.get(SEMINAR_2015)!.size, zone).toBe(5);
    }
  }, SPAWN_TIMEOUT);

  test.each(SLUGS)('%s: every UID has the same DTSTART and DTEND, TZID and instants under TZ=UTC, Pacific/Auckland and America/New_York', (slug) => {
    const reference = times.get('UTC')!.get(slug)!;
    expect(reference.size).toBeGreaterThan(0);
    for (const zone of ZONES) {
      const other = times.get(zone)!.get(slug)!;
      expect([...other.keys()].sort(), zone).toEqual([...reference.keys()].sort());
      for (const [uid, expected] of reference) expect(other.get(uid), `${zone} ${uid}`).toEqual(expected);
    }
  }, SPAWN_TIMEOUT);

  test.each(SLUGS)('%s: the feed of each server gives the instants of the read API, in the event\'s zone', (slug) => {
    for (const zone of ZONES) {
      const programme = programmes.get(zone)!.get(slug)!;
      const eventZone = programme.event.timezone;
      const sessions = scheduledSessions(programme);
      const feed = times.get(zone)!.get(slug)!;
      expect([...feed.keys()].sort(), zone).toEqual(sessions.map((s) => `${s.id}@127.0.0.1`).sort());
      for (const s of sessions) {
        const event = feed.get(`${s.id}@127.0.0.1`)!;
        expect(event.start, `${zone} ${s.title.fr}`).toBe(new Date(s.start!).toISOString());
        expect(event.end, `${zone} ${s.title.fr}`).toBe(new Date(s.end!).toISOString());
        expect(event.startLocal, `${zone} ${s.title.fr}`).toBe(s.start!.slice(0, 19));
        expect(event.endLocal, `${zone} ${s.title.fr}`).toBe(s.end!.slice(0, 19));
        expect([event.startTzid, event.endTzid]).toEqual([eventZone, eventZone]);
      }
    }
    // The clock times of the source documents, whatever the server's zone.
    const opening = programmes.get('Pacific/Auckland')!.get(FORUM_2019)!.parts[0]!.slots[0]!;
    expect(opening.start).toBe('2019-11-12T09:00:00+02:00');
    const seminar = programmes.get('America/New_York')!.get(SEMINAR_2015)!.parts[0]!.slots[0]!;
    expect(seminar.start).toBe('2015-09-29T09:30:00+02:00');
  }, SPAWN_TIMEOUT);

  test('the Durban opening is DTSTART;TZID=Africa/Johannesburg:20191112T090000 = 07:00Z everywhere', () => {
    const opening = programmes.get('UTC')!.get(FORUM_2019)!.parts[0]!.slots[0]!.sessions[0]!;
    for (const zone of ZONES) {
      const event = times.get(zone)!.get(FORUM_2019)!.get(`${opening.id}@127.0.0.1`)!;
      expect(event.dtstart, zone).toBe('DTSTART;TZID=Africa/Johannesburg:20191112T090000');
      expect(event.start, zone).toBe('2019-11-12T07:00:00.000Z');
    }
  }, SPAWN_TIMEOUT);
});
