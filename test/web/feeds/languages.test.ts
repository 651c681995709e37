// A session's languages in what leaves the site: the iCalendar DESCRIPTION in the feed's
// language, frab's `language` (the floor) and description (with the interpretation), and the
// calendar entry's SEQUENCE and the release's changes when a room's interpretation changes.
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, eventPath, listOf, ok, type Api } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { parseWithIcalJs, resetIcalTimezones, uidOf } from '../../helpers/ical.ts';
import { release } from '../../helpers/releases.ts';

const BASE = eventPath(FORUM_2019);
type Item = { id: string; version: number; title: { fr: string } };

describe('session languages in calendars and frab exports', () => {
  let t: TestApp;
  let api: Api;
  let opening: Item;
  let modules: Item;
  let lunch: Item;

  beforeAll(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    const sessions = await listOf<Item>(api, FORUM_2019, 'sessions');
    const titled = (prefix: string) => sessions.find((s) => s.title.fr.startsWith(prefix))!;
    [opening, modules, lunch] = [titled('Ouverture et bienvenue'), titled('Evolution des modules'), titled('Déjeuner')];
    const [room] = await listOf<Item>(api, FORUM_2019, 'rooms');
    ok(await api.patch(`${BASE}/rooms/${room!.id}`, { interpretation: [{ language: 'en', channel: '2' }, { language: 'es' }] }, room!.version));
    ok(await api.patch(`${BASE}/sessions/${modules.id}`, { language: 'en', interpretation: [{ language: 'fr', channel: '1' }] }, modules.version));
    ok(await api.patch(`${BASE}/sessions/${lunch.id}`, { interpretation: [] }, lunch.version));
    release(t.app, FORUM_2019);
  });
  afterAll(async () => { await t?.close(); resetIcalTimezones(); });

  test('the iCalendar DESCRIPTION names the floor and interpretation languages, in the feed\'s language', async () => {
    const description = async (lang: string, session: Item) => {
      const feed = await t.app.inject({ url: `/events/${FORUM_2019}/calendar.ics?lang=${lang}` });
      expect(feed.statusCode).toBe(200);
      const event = parseWithIcalJs(feed.body).events.find((e) => e.uid === uidOf(session.id, t.config.publicUrl))!;
      return event.description.split('\n\n');
    };
    expect(await description('fr', opening)).toContain('Langue : français ; interprétation en anglais (canal 2) et en espagnol.');
    expect(await description('en', opening)).toContain('Language: French; interpreted into English (channel 2) and Spanish.');
    expect(await description('es', opening)).toContain('Idioma: francés; interpretación al inglés (canal 2) y al español.');
    expect(await description('fr', modules)).toContain('Langue : anglais ; interprétation en français (canal 1).');
    // Held in the event's language without interpretation: nothing to say.
    expect((await description('fr', lunch)).some((block) => block.startsWith('Langue'))).toBe(false);
  });

  test('frab XML and JSON: the floor language in `language`, the interpretation in the description', async () => {
    const xml = cheerio.load((await t.app.inject({ url: `/events/${FORUM_2019}/schedule.xml?lang=en` })).body, { xml: true });
    const event = xml(`event[guid="${opening.id}"]`);
    expect(event.find('> language').text()).toBe('fr');
    expect(event.find('> description').text())
      .toBe('Presentation of the UCLG Learning Forum\nBrief timeline of the work carried out\n\nLanguage: French; interpreted into English (channel 2) and Spanish.');
    const english = xml(`event[guid="${modules.id}"]`);
    expect(english.find('> language').text()).toBe('en');
    expect(english.find('> description').text()).toMatch(/\n\nLanguage: English; interpreted into French \(channel 1\)\.$/);
    const json = (await t.app.inject({ url: `/events/${FORUM_2019}/schedule.json?lang=fr` })).json() as {
      schedule: { conference: { days: { rooms: Record<string, { guid: string; language: string; description: string }[]> }[] } };
    };
    const events = json.schedule.conference.days.flatMap((d) => Object.values(d.rooms).flat());
    const found = events.find((e) => e.guid === opening.id)!;
    expect(found.language).toBe('fr');
    expect(found.description.split('\n\n').at(-1)).toBe('Langue : français ; interprétation en anglais (canal 2) et en espagnol.');
    expect(events.find((e) => e.guid === lunch.id)!.description).toBe('');
  });

  test('a room\'s interpretation changed raises the SEQUENCE of the sessions that inherit it, and the release names the change', async () => {
    const sequences = async () => {
      const feed = await t.app.inject({ url: `/events/${FORUM_2019}/calendar.ics` });
      return new Map(parseWithIcalJs(feed.body).events.map((e) => [e.uid, e.sequence]));
    };
    const before = await sequences();
    const [room] = await listOf<Item>(api, FORUM_2019, 'rooms');
    ok(await api.patch(`${BASE}/rooms/${room!.id}`, { interpretation: [{ language: 'en', channel: '3' }] }, room!.version));
    release(t.app, FORUM_2019);
    const after = await sequences();
    const uid = (s: Item) => uidOf(s.id, t.config.publicUrl);
    expect(after.get(uid(opening))).toBe(before.get(uid(opening))! + 1);
    // Sessions with their own list, or with none, are not touched.
    expect(after.get(uid(modules))).toBe(before.get(uid(modules)));
    expect(after.get(uid(lunch))).toBe(before.get(uid(lunch)));
    const changes = t.app.db.$client.prepare('select changes from releases order by id desc limit 1').get() as { changes: string };
    const listed = (JSON.parse(changes.changes) as { type: string; session: { id: string }; fields?: string[] }[]).filter((c) => c.type === 'changed');
    expect(listed.find((c) => c.session.id === opening.id)?.fields).toEqual(['interpretation']);
    expect(listed.some((c) => c.session.id === modules.id || c.session.id === lunch.id)).toBe(false);
  });
});
