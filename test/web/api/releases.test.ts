// Releases through the API: POST /api/v1/events/:slug/releases for an event's organisers,
// GET /api/v1/events/:slug/releases for everyone, and what an event never released shows (nothing).
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { readProgramme, scheduledSessions } from '../../helpers/ical.ts';
import {
  apiAs, eventPath, expectInvalid, expectProblem, listOf, ok, sessionTitled, UUID, type Api, type SessionOut, type Written,
} from '../../helpers/api.ts';

const RELEASES = `${eventPath(FORUM_2019)}/releases`;
const SESSIONS = `${eventPath(FORUM_2019)}/sessions`;
const PLENARY = { fr: 'Salle plénière', en: 'Plenary room', es: 'Sala plenaria' };

interface Placement { start: string | null; end: string | null; room: { id: string; name: Record<string, string> } | null }
interface ChangeOut {
  type: string;
  session: Placement & { id: string; title: Record<string, string> };
  before?: Placement;
  fields?: string[];
}
interface ReleaseOut {
  id: string;
  sequence: number;
  name: string;
  note: Record<string, string> | null;
  releasedAt: string;
  counts: Record<string, number>;
  changes: ChangeOut[];
}

async function releases(t: TestApp, slug = FORUM_2019): Promise<ReleaseOut[]> {
  return ok<{ releases: ReleaseOut[] }>(await t.app.inject(`/api/v1/events/${slug}/releases`)).releases;
}

async function releaseNames(t: TestApp, slug = FORUM_2019): Promise<string[]> {
  return (await releases(t, slug)).map((r) => r.name);
}

describe('POST /api/v1/events/:slug/releases', () => {
  let t: TestApp;
  let clock = new Date('2026-03-02T08:00:00.000Z');
  let olga: TestUser;
  let api: Api;
  let session: SessionOut;
  let created: Awaited<ReturnType<Api['post']>>;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    api = apiAs(t.app, olga.bearer);
    session = ok<Written<SessionOut>>(await api.post(SESSIONS, {
      title: { fr: 'Atelier des villes', en: 'Cities workshop' }, kind: 'workshop', start: '2019-11-12T10:00', end: '2019-11-12T10:30',
      room: (await listOf(api, FORUM_2019, 'rooms'))[0]!.id,
    }), 201).data;
  });
  afterAll(async () => { await t.close(); });

  test('an anonymous request is refused 401, a rapporteur and an organiser of another event 403, and nothing is released', async () => {
    const body = { name: '2' };
    expectProblem(await apiAs(t.app).post(RELEASES, body), t.config.publicUrl, 401, 'unauthorized', {
      detail: 'Sign in, or send an API token as "Authorization: Bearer …"',
    });
    const rapporteur = await addUser(t.app, 'rapporteur');
    const seminarOrganiser = await addUser(t.app, 'organiser', SEMINAR_2015);
    for (const user of [rapporteur, seminarOrganiser]) {
      expectProblem(await apiAs(t.app, user.bearer).post(RELEASES, body), t.config.publicUrl, 403, 'forbidden', {
        detail: 'Only the organisers of this event may do this',
      });
    }
    // The organiser of the 2015 seminar may release the seminar, not the forum: nothing was released anywhere.
    expect(await releaseNames(t)).toEqual(['1']);
    expect(await releaseNames(t, SEMINAR_2015)).toEqual(['1']);
  });

  test('an empty, blank, over-long or multi-line name, an unknown field or a bad note are refused 422 at the field, and nothing is released', async () => {
    // [body, the fields at fault]
    const cases: [unknown, string[]][] = [
      [{}, ['#/name']],
      [{ name: '' }, ['#/name']],
      [{ name: '   ' }, ['#/name']],
      [{ name: 'x'.repeat(61) }, ['#/name']],
      [{ name: 'deux\nlignes' }, ['#/name']],
      [{ name: 2 }, ['#/name']],
      [{ name: '2', colour: 'red' }, ['#/colour']],
      [{ name: '2', note: { fr: 'x'.repeat(2001) } }, ['#/note/fr', '#/note']],
      [{ name: '2', note: { fr: '' } }, ['#/note/fr', '#/note']],
      [{ name: '2', note: { de: 'Hallo' } }, ['#/note/de', '#/note']],
      [{ name: '2', note: {} }, ['#/note']],
    ];
    const answers: [unknown, number, string | undefined, string[]][] = [];
    for (const [body] of cases) {
      const response = await api.post(RELEASES, body);
      const problem = response.json() as { type?: string; errors?: { pointer: string }[] };
      answers.push([body, response.statusCode, problem.type, [...new Set((problem.errors ?? []).map((e) => e.pointer))]]);
    }
    expect(answers).toEqual(cases.map(([body, pointers]) => [body, 422, `${t.config.publicUrl}/api/docs#problem-validation`, pointers]));
    // The answers name what is wrong, in words for the plain cases.
    expectInvalid(await api.post(RELEASES, {}), t.config.publicUrl, [{ pointer: '#/name', detail: 'is required' }], 'The request body is not valid: name is required');
    expectInvalid(await api.post(RELEASES, { name: 'x'.repeat(61) }), t.config.publicUrl,
      [{ pointer: '#/name', detail: 'must NOT have more than 60 characters' }], 'The request body is not valid: name must NOT have more than 60 characters');
    expectInvalid(await api.post(RELEASES, { name: '2', colour: 'red' }), t.config.publicUrl,
      [{ pointer: '#/colour', detail: 'is not a field of this resource' }], 'The request body is not valid: colour is not a field of this resource');
    // A note, when there is one, has the event's default language (fr), where every fallback ends.
    const english = await api.post(RELEASES, { name: '2', note: { en: 'One more workshop', es: '  ' } });
    expect(english.statusCode).toBe(422);
    expect((english.json() as { errors: unknown[] }).errors).toEqual([{ pointer: '#/note/fr', detail: "is required: fr is the event's default language" }]);
    expect(await releaseNames(t)).toEqual(['1']);
  });

  test('a release is answered 201 with its id, sequence, name, note, local time, counts and changes, its address and the conflicts released', async () => {
    clock = new Date('2026-03-02T08:30:00.000Z');
    created = await api.post(RELEASES, { name: '2', note: { fr: 'Un atelier de plus', en: 'One more workshop' } });
    const bilan = await sessionTitled(api, FORUM_2019, 'Bilan du travail effectué');
    const room = { id: session.room!, name: PLENARY };
    expect(created.json()).toEqual({
      data: {
        id: expect.stringMatching(UUID),
        sequence: 2,
        name: '2',
        note: { fr: 'Un atelier de plus', en: 'One more workshop' },
        releasedAt: '2026-03-02T10:30:00+02:00',
        counts: { new: 1, moved: 0, changed: 0, cancelled: 0 }, edits: [],
        changes: [{
          type: 'new',
          session: { id: session.id, title: session.title, start: '2019-11-12T10:00:00+02:00', end: '2019-11-12T10:30:00+02:00', room },
        }],
      },
      warnings: [{
        type: 'room-double-booked',
        message: 'Salle plénière holds two sessions at once: "Bilan du travail effectué" and "Atelier des villes"',
        sessions: [{ id: bilan.id, title: bilan.title }, { id: session.id, title: session.title }],
        room,
      }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe(RELEASES);
    expect((await releases(t))[0]).toEqual(created.json().data);
  });

  test('a name already used is refused 409 duplicate (spaces around it do not make it new), changes pending or not', async () => {
    for (const name of ['2', '  2 ', '1']) {
      expectProblem(await api.post(RELEASES, { name }), t.config.publicUrl, 409, 'duplicate', {
        detail: `This event already has a release named "${name.trim()}": choose another name`,
      });
    }
    const edited = ok<Written<SessionOut>>(await api.patch(`${SESSIONS}/${session.id}`, { kind: 'panel' }, session.version)).data;
    expectProblem(await api.post(RELEASES, { name: '2' }), t.config.publicUrl, 409, 'duplicate', {
      detail: 'This event already has a release named "2": choose another name',
    });
    session = ok<Written<SessionOut>>(await api.patch(`${SESSIONS}/${session.id}`, { kind: 'workshop' }, edited.version)).data;
    expect(await releaseNames(t)).toEqual(['2', '1']);
  });

  test('a release that would change nothing is refused 409 nothing-to-release, also after edits that were reverted', async () => {
    const nothing = { detail: 'Nothing changed since release "2": there is nothing new to release' };
    expectProblem(await api.post(RELEASES, { name: '3' }), t.config.publicUrl, 409, 'nothing-to-release', nothing);
    // Retitled, moved, then put back as it was: three edits, nothing for participants.
    let s = ok<Written<SessionOut>>(await api.patch(`${SESSIONS}/${session.id}`, { title: { fr: 'Atelier' } }, session.version)).data;
    s = ok<Written<SessionOut>>(await api.patch(`${SESSIONS}/${session.id}`, { start: '2019-11-12T18:00', end: '2019-11-12T18:30' }, s.version)).data;
    expect(s.version).toBe(session.version + 2);
    s = ok<Written<SessionOut>>(await api.patch(`${SESSIONS}/${session.id}`, {
      title: session.title, start: '2019-11-12T10:00', end: '2019-11-12T10:30',
    }, s.version)).data;
    expect({ ...s, version: session.version, slot: session.slot }).toEqual(session);
    session = s;
    expectProblem(await api.post(RELEASES, { name: '3' }), t.config.publicUrl, 409, 'nothing-to-release', nothing);
    expect(await releaseNames(t)).toEqual(['2', '1']);
  });

  test('the audit log has the release, with who made it, when, its name, note and counts', async () => {
    const audit = ok<{ entries: unknown[]; next: number | null }>(await api.get(`${eventPath(FORUM_2019)}/audit?entity=release`));
    expect(audit).toEqual({
      entries: [{
        id: expect.any(Number),
        at: '2026-03-02T08:30:00.000Z',
        actor: { id: olga.publicId, name: 'Olga Organiser' },
        action: 'create',
        entity: 'release',
        entityId: created.json().data.id,
        before: null,
        after: { name: '2', sequence: 2, note: { fr: 'Un atelier de plus', en: 'One more workshop' }, changes: { new: 1, moved: 0, changed: 0, cancelled: 0 } },
      }],
      next: null,
    });
  });

  test('the next release after real changes gets sequence 3, and the note may be left out', async () => {
    clock = new Date('2026-03-03T07:00:00.000Z');
    const moved = ok<Written<SessionOut>>(await api.patch(`${SESSIONS}/${session.id}`, { start: '2019-11-12T18:00', end: '2019-11-12T18:30' }, session.version)).data;
    const response = await api.post(RELEASES, { name: 'Final' });
    const { data } = ok<Written<ReleaseOut>>(response, 201);
    const room = { id: session.room!, name: PLENARY };
    expect(data).toEqual({
      id: expect.stringMatching(UUID), sequence: 3, name: 'Final', note: null, releasedAt: '2026-03-03T09:00:00+02:00',
      counts: { new: 0, moved: 1, changed: 0, cancelled: 0 }, edits: [],
      changes: [{
        type: 'moved',
        session: { id: moved.id, title: moved.title, start: '2019-11-12T18:00:00+02:00', end: '2019-11-12T18:30:00+02:00', room },
        before: { start: '2019-11-12T10:00:00+02:00', end: '2019-11-12T10:30:00+02:00', room },
        fields: [],
      }],
    });
    expect(await releaseNames(t)).toEqual(['Final', '2', '1']);
    expect((await releases(t)).map((r) => r.sequence)).toEqual([3, 2, 1]);
  });
});

describe('GET /api/v1/events/:slug/releases', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  test('is public JSON: the bundled release "1", with every session of the programme new, in time order', async () => {
    const response = await t.app.inject(`/api/v1/events/${FORUM_2019}/releases`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const sessions = scheduledSessions(await readProgramme(t.app, FORUM_2019)).sort((a, b) => a.start!.localeCompare(b.start!));
    expect(sessions).toHaveLength(10);
    expect(response.json()).toEqual({
      releases: [{
        id: expect.stringMatching(UUID),
        sequence: 1,
        name: '1',
        note: null,
        releasedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+02:00$/),
        counts: { new: 10, moved: 0, changed: 0, cancelled: 0 }, edits: [],
        changes: sessions.map((s) => ({ type: 'new', session: { id: s.id, title: s.title, start: s.start, end: s.end, room: s.room } })),
      }],
    });
    // The seminar's times carry Madrid's offset of September 2015 (summer time).
    const seminar = await releases(t, SEMINAR_2015);
    expect(seminar.map((r) => [r.name, r.sequence])).toEqual([['1', 1]]);
    expect(seminar[0]!.changes.every((c) => c.type === 'new' && c.session.start!.endsWith('+02:00'))).toBe(true);
  });

  test('an unknown event is 404', async () => {
    expect((await t.app.inject('/api/v1/events/no-such-event/releases')).statusCode).toBe(404);
  });
});

describe('an event created through the API', () => {
  const SLUG = 'forum-urbain-2026';
  const TITLE = 'Forum urbain secret 2026';
  let t: TestApp;
  let api: Api;

  /** Every public address of the event, and whether each is found. */
  async function publicStatus(): Promise<Record<string, number>> {
    const urls = [
      `/events/${SLUG}`, `/events/${SLUG}/changes`, `/events/${SLUG}/calendar.ics`, `/events/${SLUG}/speakers`,
      `/api/v1/events/${SLUG}/programme`, `/api/v1/events/${SLUG}/releases`,
    ];
    const status: Record<string, number> = {};
    for (const url of urls) status[url] = (await t.app.inject(url)).statusCode;
    return status;
  }

  async function listed(): Promise<{ home: string[]; api: string[] }> {
    const home = cheerio.load((await t.app.inject('/')).body);
    return {
      home: home('.event-item h3 a').map((_, a) => home(a).attr('href')).get(),
      api: (await t.app.inject('/api/v1/events')).json().events.map((e: { slug: string }) => e.slug),
    };
  }

  beforeAll(async () => {
    t = await buildTestApp({ now: () => new Date('2026-03-02T08:00:00.000Z') });
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    ok(await api.post('/api/v1/events', {
      slug: SLUG, title: { fr: TITLE }, timezone: 'Europe/Paris', defaultLanguage: 'fr', startDate: '2026-06-10', endDate: '2026-06-11',
    }), 201);
  });
  afterAll(async () => { await t.close(); });

  test('is not public until released: 404 on its pages, feed, programme and releases, absent from / and /api/v1/events', async () => {
    // Its organisers read and edit it all the same.
    expect((await api.get(eventPath(SLUG))).statusCode).toBe(200);
    ok(await api.post(`${eventPath(SLUG)}/sessions`, { title: { fr: 'Séance secrète' }, start: '2026-06-10T09:00', end: '2026-06-10T10:00' }), 201);

    const status = await publicStatus();
    expect(status).toEqual(Object.fromEntries(Object.keys(status).map((url) => [url, 404])));
    expect(await listed()).toEqual({
      home: [`/events/${FORUM_2019}`, `/events/${SEMINAR_2015}`],
      api: [SEMINAR_2015, FORUM_2019],
    });
    expect((await t.app.inject('/')).body).not.toContain(TITLE);
    expect((await t.app.inject(`/events/${SLUG}`)).body).not.toContain('Séance secrète');
  });

  test('after its first release it is public, listed, and its release has the session new', async () => {
    const { data } = ok<Written<ReleaseOut>>(await api.post(`${eventPath(SLUG)}/releases`, { name: '1' }), 201);
    expect([data.sequence, data.name, data.releasedAt.slice(-6), data.changes.map((c) => [c.type, c.session.title, c.session.start, c.session.end])]).toEqual([
      1, '1', '+01:00', [['new', { fr: 'Séance secrète' }, '2026-06-10T09:00:00+02:00', '2026-06-10T10:00:00+02:00']],
    ]);
    const status = await publicStatus();
    expect(status).toEqual(Object.fromEntries(Object.keys(status).map((url) => [url, 200])));
    expect(await listed()).toEqual({
      // Upcoming first, then past ones, latest first.
      home: [`/events/${SLUG}`, `/events/${FORUM_2019}`, `/events/${SEMINAR_2015}`],
      api: [SEMINAR_2015, FORUM_2019, SLUG],
    });
    expect(cheerio.load((await t.app.inject(`/events/${SLUG}`)).body)('.session__title').map((_, el) => cheerio.load(el).text().trim()).get())
      .toEqual(['Séance secrète']);
  });
});
