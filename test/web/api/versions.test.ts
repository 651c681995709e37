// Optimistic versions: every change names the version it started from (If-Match); a change
// from a version that is no longer current is refused with the current state, so that no
// one overwrites another's work without seeing it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { rawComponents, rawProperties, uidOf } from '../../helpers/ical.ts';
import { apiAs, eventPath, expectProblem, listOf, ok, sessionTitled, type Api, type Written } from '../../helpers/api.ts';

type Entity = Record<string, unknown> & { version: number };

interface Kind {
  name: 'session' | 'room' | 'event';
  /** The address of the entity edited in the 2019 forum. */
  url: (api: Api) => Promise<string>;
  /** Two different changes, and the same values sent again, given the current state. */
  first: Record<string, unknown>;
  second: Record<string, unknown>;
  same: (current: Entity) => Record<string, unknown>;
}

const KINDS: Kind[] = [
  {
    name: 'session',
    url: async (api) => `${eventPath(FORUM_2019)}/sessions/${(await sessionTitled(api, FORUM_2019, 'Objectifs et attentes des participants')).id}`,
    first: { title: { fr: 'Objectifs du forum', en: 'Objectives of the forum' } },
    second: { title: { fr: 'Attentes des participants' } },
    same: (s) => ({ title: s.title, description: s.description, room: s.room, part: s.part, contributors: s.contributors, outputs: s.outputs, start: '2019-11-12T09:20', end: '2019-11-12T09:55' }),
  },
  {
    name: 'room',
    url: async (api) => `${eventPath(FORUM_2019)}/rooms/${(await listOf(api, FORUM_2019, 'rooms'))[0]!.id}`,
    first: { name: { fr: 'Salle Albert Luthuli', en: 'Albert Luthuli room' } },
    second: { name: { fr: 'Grande salle' } },
    same: (r) => ({ name: r.name, position: r.position }),
  },
  {
    name: 'event',
    url: async () => eventPath(FORUM_2019),
    first: { city: 'eThekwini' },
    second: { city: 'Pietermaritzburg' },
    same: (e) => ({ city: e.city, title: e.title, startDate: e.startDate, endDate: e.endDate }),
  },
];

describe('versions and If-Match', () => {
  let t: TestApp;
  let api: Api;
  const urls = new Map<Kind['name'], string>();

  beforeAll(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    // Addresses are found once: the first tests change the titles they are found by.
    for (const kind of KINDS) urls.set(kind.name, await kind.url(api));
  });
  afterAll(async () => { await t.close(); });

  async function read(url: string): Promise<{ entity: Entity; etag: string }> {
    const response = await api.get(url);
    const entity = ok<Entity>(response);
    expect(response.headers.etag).toBe(`"${entity.version}"`);
    return { entity, etag: response.headers.etag as string };
  }

  test.each(KINDS)('$name: two edits from the same version: the first gets 200 and a new ETag, the second 409 with the first\'s result, which stays', async (kind) => {
    const url = urls.get(kind.name)!;
    const { entity: before, etag } = await read(url);

    const first = await api.patch(url, kind.first, etag);
    const { data: afterFirst, warnings } = ok<Written<Entity>>(first);
    expect(afterFirst).toEqual({ ...before, ...kind.first, version: before.version + 1 });
    expect(warnings).toEqual([]);
    expect(first.headers.etag).toBe(`"${before.version + 1}"`);

    const second = await api.patch(url, kind.second, etag);
    expectProblem(second, t.config.publicUrl, 409, 'stale-version', {
      detail: `This ${kind.name} was changed by someone else since you read it (it is now at version ${before.version + 1}). Nothing was saved: start again from the current state.`,
      current: afterFirst,
    });
    expect(second.headers.etag).toBe(`"${before.version + 1}"`);

    expect((await read(url)).entity).toEqual(afterFirst);
  });

  test.each(KINDS)('$name: a change without If-Match, or with If-Match: *, is refused 428 and changes nothing', async (kind) => {
    const url = urls.get(kind.name)!;
    const before = await read(url);
    for (const ifMatch of [null, '*']) {
      expectProblem(await api.patch(url, kind.second, ifMatch), t.config.publicUrl, 428, 'version-required', {
        detail: 'Send If-Match with the ETag of the version you started from (read it first with GET)',
      });
    }
    expect(await read(url)).toEqual(before);
  });

  test.each(KINDS)('$name: a PATCH that sends the current values again keeps the version and the ETag', async (kind) => {
    const url = urls.get(kind.name)!;
    const { entity: before, etag } = await read(url);
    const response = await api.patch(url, kind.same(before), etag);
    expect(ok<Written<Entity>>(response)).toEqual({ data: before, warnings: [] });
    expect(response.headers.etag).toBe(etag);
    expect(await read(url)).toEqual({ entity: before, etag });
  });

  test.each(KINDS)('$name: a PATCH that sends the current values again leaves the calendar feed\'s ETag as it was', async (kind) => {
    const url = urls.get(kind.name)!;
    const { entity: before, etag } = await read(url);
    const feed = await t.app.inject(`/events/${FORUM_2019}/calendar.ics`);
    ok(await api.patch(url, kind.same(before), etag));
    const again = await t.app.inject({ url: `/events/${FORUM_2019}/calendar.ics`, headers: { 'if-none-match': feed.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.headers.etag).toBe(feed.headers.etag);
  });

  test('a session title sent again with its languages in another order is no change: version and SEQUENCE stay', async () => {
    const opening = await sessionTitled(api, FORUM_2019, 'Ouverture et bienvenue');
    const url = `${eventPath(FORUM_2019)}/sessions/${opening.id}`;
    const sequence = async () => {
      const vevent = rawComponents((await t.app.inject(`/events/${FORUM_2019}/calendar.ics`)).body, 'VEVENT')
        .find((lines) => lines.includes(`UID:${uidOf(opening.id, t.config.publicUrl)}`))!;
      return rawProperties(vevent, 'SEQUENCE');
    };
    const sequenceBefore = await sequence();
    const { es, en, fr } = opening.title;
    const response = await api.patch(url, { title: { es, en, fr } }, opening.version);
    expect({ etag: response.headers.etag, version: ok<Written<Entity>>(response).data.version, sequence: await sequence() })
      .toEqual({ etag: `"${opening.version}"`, version: opening.version, sequence: sequenceBefore });
  });

  test('an If-Match that lists the current version among others is accepted', async () => {
    const url = `${eventPath(FORUM_2019)}/rooms/${(await listOf(api, FORUM_2019, 'rooms'))[0]!.id}`;
    const { entity } = await read(url);
    const response = await api.patch(url, { position: 5 }, `"${entity.version + 7}", "${entity.version}"`);
    expect(ok<Written<Entity>>(response).data).toEqual({ ...entity, position: 5, version: entity.version + 1 });
  });

  test('a weak ETag in If-Match does not match the current version (strong comparison, RFC 9110 13.1.1): 409, nothing changed', async () => {
    const url = `${eventPath(FORUM_2019)}/rooms/${(await listOf(api, FORUM_2019, 'rooms'))[0]!.id}`;
    const before = await read(url);
    expectProblem(await api.patch(url, { name: { fr: 'Salle faible' } }, `W/"${before.entity.version}"`), t.config.publicUrl, 409, 'stale-version', {
      detail: `This room was changed by someone else since you read it (it is now at version ${before.entity.version}). Nothing was saved: start again from the current state.`,
      current: before.entity,
    });
    expect(await read(url)).toEqual(before);
  });

  test('deleting a room without If-Match is refused 428, from a stale version 409; the room stays', async () => {
    const created = ok<Written<Entity & { id: string }>>(await api.post(`${eventPath(FORUM_2019)}/rooms`, { name: { fr: 'Salle 2' } }), 201).data;
    const url = `${eventPath(FORUM_2019)}/rooms/${created.id}`;
    const renamed = ok<Written<Entity>>(await api.patch(url, { name: { fr: 'Salle B' } }, created.version)).data;

    expectProblem(await api.delete(url, null), t.config.publicUrl, 428, 'version-required', {
      detail: 'Send If-Match with the ETag of the version you started from (read it first with GET)',
    });
    expectProblem(await api.delete(url, created.version), t.config.publicUrl, 409, 'stale-version', {
      detail: `This room was changed by someone else since you read it (it is now at version ${renamed.version}). Nothing was saved: start again from the current state.`,
      current: renamed,
    });
    expect((await read(url)).entity).toEqual(renamed);

    const deleted = await api.delete(url, renamed.version);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expectProblem(await api.get(url), t.config.publicUrl, 404, 'not-found');
  });
});
