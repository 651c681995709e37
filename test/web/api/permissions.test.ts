// Who may call the write API. Every operation is taken from the OpenAPI document, so a route
// added later is checked too: anonymous callers get 401 on every write, rapporteurs 403 on
// every organiser route, and an organiser of one event 403 on another's.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, expectInvalid, expectProblem, listOf, ok, type Api, type Method, type SessionOut } from '../../helpers/api.ts';

interface Operation {
  method: Method;
  path: string;
  secured: boolean;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const SIGN_IN = 'POST /api/v1/auth/login';

/** Collections whose items are addressed as /api/v1/events/{slug}/<collection>/{id}. */
const COLLECTIONS = ['parts', 'rooms', 'slots', 'outputs', 'organisations', 'people', 'sessions'];

describe('permissions of the write API', () => {
  let t: TestApp;
  let organiser: TestUser;
  let rapporteur: TestUser;
  let seminarOrganiser: TestUser;
  let operations: Operation[];
  /** Real ids of each event, by collection; plus a token id for /api/v1/tokens/{id}. */
  const ids: Record<string, Record<string, string>> = {};
  let tokenId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Olga Organiser');
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Rémi Rapporteur');
    seminarOrganiser = await addUser(t.app, 'organiser', SEMINAR_2015, 'Sara Seminar');
    const doc = (await t.app.inject('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase() as Method, path, secured: (op.security?.length ?? 0) > 0,
    })));

    const api = apiAs(t.app, organiser.bearer);
    // The bundled programme lists no people: add one, so that /people/{id} has a real id.
    ok(await api.post(`${eventPath(FORUM_2019)}/people`, { name: 'Ada Lovelace' }), 201);
    ids[FORUM_2019] = {};
    for (const collection of COLLECTIONS) {
      const items = await listOf(api, FORUM_2019, collection);
      expect(items.length, collection).toBeGreaterThan(0);
      ids[FORUM_2019]![collection] = items[0]!.id;
    }
    ids[SEMINAR_2015] = { sessions: (await listOf(api, SEMINAR_2015, 'sessions'))[0]!.id };
    const tokens = ok<{ id: string; user: string }[]>(await api.get('/api/v1/tokens'));
    tokenId = tokens.find((token) => token.user === organiser.email)!.id;
  });
  afterAll(async () => { await t.close(); });

  /** The address of an operation with real values for its parameters. */
  function urlOf(op: Operation, slug = FORUM_2019): string {
    const collection = /^\/api\/v1\/events\/\{slug\}\/(\w+)\/\{id\}/.exec(op.path)?.[1];
    return op.path
      .replace('{slug}', slug)
      .replace('{id}', op.path.startsWith('/api/v1/tokens/') ? tokenId : ids[slug]![collection ?? ''] ?? 'missing-id')
      .replace('{userId}', rapporteur.publicId);
  }

  /** Sends the operation with a JSON body {} (writes) and answers one line that names what came back. */
  async function outcome(api: Api, op: Operation, slug = FORUM_2019): Promise<string> {
    const response = await api.send(op.method, urlOf(op, slug), op.method === 'GET' ? undefined : {});
    const type = String(response.headers['content-type'] ?? '');
    const body = type.startsWith('application/problem+json') ? response.json() as { type: string } : null;
    const problem = body?.type.split('#')[1] ?? type;
    return `${op.method} ${op.path} → ${response.statusCode} ${problem}${response.headers['www-authenticate'] ? ` ${response.headers['www-authenticate']}` : ''}`;
  }

  const key = (op: Operation) => `${op.method} ${op.path}`;
  const writes = () => operations.filter((op) => WRITE_METHODS.has(op.method) && key(op) !== SIGN_IN);
  const organiserRoutes = () => operations.filter((op) => op.path.startsWith('/api/v1/events/{slug}') && op.secured);

  test('the document lists the write operations that these checks go through', () => {
    expect(writes().map(key)).toEqual(expect.arrayContaining([
      'POST /api/v1/events',
      'PATCH /api/v1/events/{slug}',
      'POST /api/v1/events/{slug}/rooms',
      'PATCH /api/v1/events/{slug}/rooms/{id}',
      'DELETE /api/v1/events/{slug}/rooms/{id}',
      'POST /api/v1/events/{slug}/sessions',
      'PATCH /api/v1/events/{slug}/sessions/{id}',
      'DELETE /api/v1/events/{slug}/sessions/{id}',
      'POST /api/v1/events/{slug}/sessions/{id}/rapporteurs',
      'DELETE /api/v1/events/{slug}/sessions/{id}/rapporteurs/{userId}',
    ]));
    expect(organiserRoutes().map(key)).toEqual(expect.arrayContaining([
      'GET /api/v1/events/{slug}', 'GET /api/v1/events/{slug}/conflicts', 'GET /api/v1/events/{slug}/audit',
    ]));
    // The public programme is read by anyone.
    expect(organiserRoutes().map(key)).not.toContain('GET /api/v1/events/{slug}/programme');
  });

  test('every write operation but sign-in answers an anonymous JSON body with 401 problem+json and WWW-Authenticate', async () => {
    const anonymous = apiAs(t.app);
    const results = [];
    for (const op of writes()) results.push(await outcome(anonymous, op));
    expect(results).toEqual(writes().map((op) => `${key(op)} → 401 problem-unauthorized Bearer realm="forum-programme"`));
  });

  test('the 401 says how to authenticate, and a wrong token is told it is not valid', async () => {
    expectProblem(await apiAs(t.app).post(`${eventPath(FORUM_2019)}/rooms`, { name: { fr: 'Salle 2' } }), t.config.publicUrl, 401, 'unauthorized', {
      detail: 'Sign in, or send an API token as "Authorization: Bearer …"',
    });
    const wrong = await apiAs(t.app, { authorization: 'Bearer fpt_not-a-token' }).post(`${eventPath(FORUM_2019)}/rooms`, { name: { fr: 'Salle 2' } });
    expectProblem(wrong, t.config.publicUrl, 401, 'unauthorized', { detail: 'The API token is not valid, or has been revoked' });
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="forum-programme"');
    expect((await listOf(apiAs(t.app, organiser.bearer), FORUM_2019, 'rooms')).map((r) => r.name)).toEqual([
      { fr: 'Salle plénière', en: 'Plenary room', es: 'Sala plenaria' },
    ]);
  });

  test('a rapporteur gets 403 on every operation under /api/v1/events/{slug}, reads included, and on creating an event', async () => {
    const api = apiAs(t.app, rapporteur.bearer);
    const checked = [...organiserRoutes(), { method: 'POST', path: '/api/v1/events', secured: true } as const];
    const results = [];
    for (const op of checked) results.push(await outcome(api, op));
    expect(results).toEqual(checked.map((op) => `${key(op)} → 403 problem-forbidden`));
  });

  test('a rapporteur\'s valid write is refused 403 and changes nothing', async () => {
    const api = apiAs(t.app, rapporteur.bearer);
    const response = await api.post(`${eventPath(FORUM_2019)}/rooms`, { name: { fr: 'Salle du rapporteur' } });
    expectProblem(response, t.config.publicUrl, 403, 'forbidden', { detail: 'Only the organisers of this event may do this' });
    expect((await listOf(apiAs(t.app, organiser.bearer), FORUM_2019, 'rooms')).map((r) => r.id)).toEqual([ids[FORUM_2019]!.rooms]);
  });

  test('an organiser of the 2015 seminar only gets 403 on every operation of the 2019 forum', async () => {
    const api = apiAs(t.app, seminarOrganiser.bearer);
    const results = [];
    for (const op of organiserRoutes()) results.push(await outcome(api, op, FORUM_2019));
    expect(results).toEqual(organiserRoutes().map((op) => `${key(op)} → 403 problem-forbidden`));
    expect(await outcome(api, { method: 'POST', path: '/api/v1/events', secured: true })).toBe('POST /api/v1/events → 403 problem-forbidden');
  });

  test('an organiser of the 2015 seminar only may change a session of the 2015 seminar (200)', async () => {
    const api = apiAs(t.app, seminarOrganiser.bearer);
    const url = `${eventPath(SEMINAR_2015)}/sessions/${ids[SEMINAR_2015]!.sessions}`;
    const before = ok<SessionOut>(await api.get(url));
    const response = await api.patch(url, { title: { ...before.title, fr: 'Activités des participants' } }, before.version);
    const { data } = ok<{ data: SessionOut }>(response);
    expect(data).toEqual({ ...before, title: { ...before.title, fr: 'Activités des participants' }, version: before.version + 1 });
    expect(response.headers.etag).toBe(`"${before.version + 1}"`);
  });

  test('a form-encoded body to a write route is refused 415, and nothing is created', async () => {
    const api = apiAs(t.app, organiser.bearer);
    const response = await api.send('POST', `${eventPath(FORUM_2019)}/rooms`, 'name%5Bfr%5D=Salle+2', { 'content-type': 'application/x-www-form-urlencoded' });
    expectProblem(response, t.config.publicUrl, 415, 'unsupported-media-type', {
      detail: 'Send the request body as JSON (Content-Type: application/json)',
    });
    expect((await listOf(api, FORUM_2019, 'rooms')).map((r) => r.id)).toEqual([ids[FORUM_2019]!.rooms]);
  });

  test('an unknown body field is refused 422 naming it, at the top and inside a list', async () => {
    const api = apiAs(t.app, organiser.bearer);
    expectInvalid(await api.post(`${eventPath(FORUM_2019)}/rooms`, { name: { fr: 'Salle 2' }, colour: 'red' }), t.config.publicUrl,
      [{ pointer: '#/colour', detail: 'is not a field of this resource' }],
      'The request body is not valid: colour is not a field of this resource');

    const session = ok<SessionOut>(await api.get(`${eventPath(FORUM_2019)}/sessions/${ids[FORUM_2019]!.sessions}`));
    const nested = await api.patch(`${eventPath(FORUM_2019)}/sessions/${session.id}`,
      { contributors: [{ role: 'speaker', organisation: ids[FORUM_2019]!.organisations, fee: 100 }] }, session.version);
    expectInvalid(nested, t.config.publicUrl, [{ pointer: '#/contributors/0/fee', detail: 'is not a field of this resource' }],
      'The request body is not valid: contributors/0/fee is not a field of this resource');

    // An event's address never changes: slug is not a field of its PATCH.
    const event = ok<{ version: number }>(await api.get(eventPath(FORUM_2019)));
    expectInvalid(await api.patch(eventPath(FORUM_2019), { slug: 'forum-2019' }, event.version), t.config.publicUrl,
      [{ pointer: '#/slug', detail: 'is not a field of this resource' }],
      'The request body is not valid: slug is not a field of this resource');
    expect(ok<SessionOut>(await api.get(`${eventPath(FORUM_2019)}/sessions/${session.id}`))).toEqual(session);
  });
});
