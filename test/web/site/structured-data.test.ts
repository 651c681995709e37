// schema.org Event data on every event page and session page of both bundled events, in the
// three languages: it parses, has what Google's Event structured data requires and recommends,
// gives times with the offset the tz database gives, and no stored text can break out of it.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { release } from '../../helpers/releases.ts';

type Json = Record<string, any>;
const LANGS = ['fr', 'en', 'es'] as const;
const OFFSET_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

function jsonLdOf(html: string): Json {
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
  expect(blocks).toHaveLength(1);
  return JSON.parse(blocks[0]![1]!) as Json;
}

/** The properties Google's Event structured data requires (name, startDate, location) and recommends. */
function eventProblems(data: Json, where: string): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => { if (!ok) problems.push(`${where}: ${what}`); };
  need(data['@context'] === 'https://schema.org', '@context');
  need(data['@type'] === 'Event', '@type Event');
  need(typeof data.name === 'string' && data.name.length > 0, 'name');
  need(OFFSET_ISO.test(data.startDate), `startDate with offset (${data.startDate})`);
  need(OFFSET_ISO.test(data.endDate), `endDate with offset (${data.endDate})`);
  need(Date.parse(data.startDate) <= Date.parse(data.endDate), 'start before end');
  need(data.location?.['@type'] === 'Place' && typeof data.location.name === 'string', 'location Place with name');
  need(data.location?.address?.['@type'] === 'PostalAddress' && typeof data.location.address.addressLocality === 'string', 'location address');
  need(/^https:\/\/schema\.org\/Event(Scheduled|Cancelled|Rescheduled|Postponed)$/.test(data.eventStatus), 'eventStatus');
  need(data.eventAttendanceMode === 'https://schema.org/OfflineEventAttendanceMode', 'eventAttendanceMode');
  need(/^https?:\/\//.test(data.url), 'absolute url');
  need(['fr', 'en', 'es'].includes(data.inLanguage), 'inLanguage');
  return problems;
}

/** The offset the tz database gives for an instant in a zone, as +HH:MM. */
const offsetIn = (iso: string, zone: string) => DateTime.fromISO(iso, { setZone: false }).setZone(zone).toFormat('ZZ');

describe('schema.org Event data', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  function sessionsOf(slug: string) {
    const event = findEventBySlug(t.app.db, slug)!;
    return t.app.db.$client.prepare('SELECT public_id AS id, kind FROM sessions WHERE event_id = ?').all(event.id) as { id: string; kind: string }[];
  }

  test('every event page and session page of both events, in fr, en and es, carries valid Event data', async () => {
    const problems: string[] = [];
    let pages = 0;
    for (const [slug, zone] of [[FORUM_2019, 'Africa/Johannesburg'], [SEMINAR_2015, 'Europe/Madrid']] as const) {
      for (const lang of LANGS) {
        const page = await t.app.inject({ url: `/events/${slug}?lang=${lang}` });
        expect(page.statusCode).toBe(200);
        const event = jsonLdOf(page.body);
        problems.push(...eventProblems(event, `${slug} ${lang}`));
        expect(event.inLanguage).toBe(lang);
        expect(event.url).toBe(`${t.config.publicUrl}/events/${slug}${lang === 'fr' ? '' : `?lang=${lang}`}`);
        expect(event.subEvent.length).toBeGreaterThan(0);
        for (const sub of event.subEvent) {
          expect(sub.startDate.slice(-6), sub.name).toBe(offsetIn(sub.startDate, zone));
          expect(sub.url).toMatch(new RegExp(`^${t.config.publicUrl}/events/${slug}/sessions/`));
        }
        pages += 1;
        for (const session of sessionsOf(slug)) {
          const response = await t.app.inject({ url: `/events/${slug}/sessions/${session.id}?lang=${lang}` });
          expect(response.statusCode).toBe(200);
          const data = jsonLdOf(response.body);
          problems.push(...eventProblems(data, `${slug} ${session.id} ${lang}`));
          expect(data.superEvent).toEqual({ '@type': 'Event', name: event.name, url: event.url });
          expect(data.startDate.slice(-6)).toBe(offsetIn(data.startDate, zone));
          pages += 1;
        }
      }
    }
    expect(problems).toEqual([]);
    expect(pages).toBeGreaterThan(40);
  });

  test('a day page names that day\'s sessions as sub-events; the event keeps its whole span', async () => {
    const api = (await t.app.inject(`/api/v1/events/${SEMINAR_2015}/programme`)).json() as { parts: { slots: { start: string; sessions: { id: string }[] }[] }[] };
    const byDay = new Map<string, string[]>();
    for (const slot of api.parts.flatMap((p) => p.slots)) {
      const day = slot.start.slice(0, 10);
      byDay.set(day, [...(byDay.get(day) ?? []), ...slot.sessions.map((s) => s.id)]);
    }
    expect([...byDay.keys()].sort()).toEqual(['2015-09-29', '2015-09-30']);
    for (const [day, ids] of byDay) {
      const event = jsonLdOf((await t.app.inject(`/events/${SEMINAR_2015}?day=${day}`)).body);
      expect(event.subEvent.map((s: Json) => String(s.url).split('/').pop()).sort(), day).toEqual([...ids].sort());
      expect([event.startDate.slice(0, 10), event.endDate.slice(0, 10)]).toEqual(['2015-09-29', '2015-09-30']);
    }
    const all = jsonLdOf((await t.app.inject(`/events/${SEMINAR_2015}?day=all`)).body);
    expect(all.subEvent.length).toBe([...byDay.values()].flat().length);
  });

  test('the 2019 forum is in Durban at +02:00; Madrid is +02:00 in September 2015', async () => {
    const forum = jsonLdOf((await t.app.inject({ url: `/events/${FORUM_2019}` })).body);
    expect(forum.startDate).toMatch(/^2019-11-12T\d\d:\d\d:00\+02:00$/);
    expect(forum.location).toMatchObject({ '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: 'Durban', addressCountry: 'ZA' } });
    const seminar = jsonLdOf((await t.app.inject({ url: `/events/${SEMINAR_2015}` })).body);
    expect(seminar.startDate).toMatch(/^2015-09-29T\d\d:\d\d:00\+02:00$/);
  });

  test('performers are the session\'s speakers, with their organisations', async () => {
    const row = t.app.db.$client.prepare(`
      SELECT e.slug, s.public_id AS id, coalesce(p.name, json_extract(o.name, '$.fr')) AS name FROM sessions s
      JOIN events e ON e.id = s.event_id JOIN session_contributors c ON c.session_id = s.id
      LEFT JOIN people p ON p.id = c.person_id LEFT JOIN organisations o ON o.id = c.organisation_id
      ORDER BY c.person_id IS NULL LIMIT 1`).get() as { slug: string; id: string; name: string };
    const data = jsonLdOf((await t.app.inject({ url: `/events/${row.slug}/sessions/${row.id}` })).body);
    expect(data.performer.map((p: Json) => p.name)).toContain(row.name);
    for (const p of data.performer) expect(['Person', 'Organization']).toContain(p['@type']);
  });

  test('a cancelled session is EventCancelled, and a title with </script> cannot break out', async () => {
    const event = findEventBySlug(t.app.db, FORUM_2019)!;
    const { id } = t.app.db.$client.prepare("SELECT public_id AS id FROM sessions WHERE event_id = ? AND kind = 'session' AND slot_id IS NOT NULL LIMIT 1").get(event.id) as { id: string };
    t.app.db.$client.prepare("UPDATE sessions SET status = 'cancelled', title = ? WHERE public_id = ?")
      .run(JSON.stringify({ fr: 'Fin </script><script>alert(1)</script> <!-- x' }), id);
    release(t.app, FORUM_2019);
    const html = (await t.app.inject({ url: `/events/${FORUM_2019}/sessions/${id}` })).body;
    expect(html).not.toContain('<script>alert(1)');
    const data = jsonLdOf(html);
    expect(data.name).toBe('Fin </script><script>alert(1)</script> <!-- x');
    expect(data.eventStatus).toBe('https://schema.org/EventCancelled');
    const programme = jsonLdOf((await t.app.inject({ url: `/events/${FORUM_2019}` })).body);
    expect(programme.subEvent.find((s: Json) => s.url.endsWith(id)).eventStatus).toBe('https://schema.org/EventCancelled');
  });
});
