// Webhooks in the API, for an event's organisers: endpoints (which addresses may be called, and
// which news each gets), If-Match on their changes, and the log of what was delivered to each,
// signed as Standard Webhooks says (checked with the standardwebhooks package).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, expectInvalid, expectProblem, ok, sessionTitled, UUID, type Api, type Headers, type Method, type SessionOut, type Written } from '../../helpers/api.ts';
import { startReceiver, verifyHook, type WebhookReceiver } from '../../helpers/webhook-receiver.ts';

const EVENT = eventPath(FORUM_2019);
const WEBHOOKS = `${EVENT}/webhooks`;
/** A public address, given as an IP so that no test asks DNS; nothing is ever delivered to it (no release is made while it is registered). */
const PUBLIC_URL = 'https://93.184.215.14/hooks/forum';
const SECRET = /^whsec_[A-Za-z0-9+/]{32}$/;
const REFUSED = 'private, loopback and link-local addresses are refused (WEBHOOK_ALLOW_PRIVATE)';

interface EndpointOut {
  id: string;
  url: string;
  kinds: string[];
  enabled: boolean;
  disabledAt: string | null;
  failures: number;
  createdAt: string;
  version: number;
  secret?: string;
}

const urlError = (reason: string) => [{ pointer: '#/url', detail: `cannot receive webhooks: ${reason}` }];

describe('webhook endpoints, for an event\'s organisers', () => {
  let t: TestApp;
  let clock = new Date('2026-03-02T08:00:00.000Z');
  let api: Api;
  let endpoint: EndpointOut;
  let secret: string;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    api = apiAs(t.app, (await addUser(t.app, 'organiser', FORUM_2019)).bearer);
  });
  afterAll(async () => { await t.close(); });

  test('an address of this server\'s own networks is refused 422 at url, with the reason, and so is one that is not http(s)', async () => {
    const { publicUrl } = t.config;
    const kinds = ['release.published'];
    const cases: [string, string][] = [
      ['http://127.0.0.1:8080/hooks', `127.0.0.1: 127.0.0.1 is a loopback address; ${REFUSED}`],
      ['http://[::1]/hooks', `[::1]: ::1 is a loopback address; ${REFUSED}`],
      ['http://10.1.2.3/hooks', `10.1.2.3: 10.1.2.3 is a private address; ${REFUSED}`],
      ['http://169.254.169.254/latest/meta-data', `169.254.169.254: 169.254.169.254 is a link-local address; ${REFUSED}`],
      ['http://[::ffff:127.0.0.1]/hooks', `[::ffff:7f00:1]: ::ffff:7f00:1 is a loopback address; ${REFUSED}`],
      ['http://0.0.0.0/hooks', `0.0.0.0: 0.0.0.0 is an unspecified address; ${REFUSED}`],
      ['ftp://93.184.215.14/hooks', 'only http(s) addresses without credentials or fragment'],
      ['https://user:secret@93.184.215.14/hooks', 'only http(s) addresses without credentials or fragment'],
      ['https://93.184.215.14/hooks#part', 'only http(s) addresses without credentials or fragment'],
      ['not an address', 'not an absolute address'],
    ];
    const answers = [];
    for (const [url] of cases) {
      const response = await api.post(WEBHOOKS, { url, kinds });
      answers.push([url, response.statusCode, (response.json() as { errors?: unknown }).errors]);
    }
    expect(answers).toEqual(cases.map(([url, reason]) => [url, 422, urlError(reason)]));
    expectInvalid(await api.post(WEBHOOKS, { url: 'http://127.0.0.1:8080/hooks', kinds }), publicUrl, urlError(`127.0.0.1: 127.0.0.1 is a loopback address; ${REFUSED}`));
    expect(ok(await api.get(WEBHOOKS))).toEqual({ data: [] });
  });

  test('an unknown kind, no kind, a kind twice, an over-long address or an unknown field are refused 422 at the field', async () => {
    const { publicUrl } = t.config;
    const kinds = 'release.published, conclusions.published, session.cancelled';
    expectInvalid(await api.post(WEBHOOKS, { url: PUBLIC_URL, kinds: ['release.published', 'session.moved'] }), publicUrl,
      [{ pointer: '#/kinds/1', detail: `must be one of ${kinds}` }], `The request body is not valid: kinds/1 must be one of ${kinds}`);
    expectInvalid(await api.post(WEBHOOKS, { url: PUBLIC_URL, kinds: [] }), publicUrl,
      [{ pointer: '#/kinds', detail: 'must NOT have fewer than 1 items' }], 'The request body is not valid: kinds must NOT have fewer than 1 items');
    const twice = await api.post(WEBHOOKS, { url: PUBLIC_URL, kinds: ['release.published', 'release.published'] });
    expect([twice.statusCode, (twice.json() as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)]).toEqual([422, ['#/kinds']]);
    expectInvalid(await api.post(WEBHOOKS, { url: PUBLIC_URL }), publicUrl,
      [{ pointer: '#/kinds', detail: 'is required' }], 'The request body is not valid: kinds is required');
    expectInvalid(await api.post(WEBHOOKS, { url: `https://93.184.215.14/${'x'.repeat(2000)}`, kinds: ['release.published'] }), publicUrl,
      [{ pointer: '#/url', detail: 'must NOT have more than 2000 characters' }], 'The request body is not valid: url must NOT have more than 2000 characters');
    expectInvalid(await api.post(WEBHOOKS, { url: PUBLIC_URL, kinds: ['release.published'], secret: 'whsec_mine' }), publicUrl,
      [{ pointer: '#/secret', detail: 'is not a field of this resource' }], 'The request body is not valid: secret is not a field of this resource');
    expect(ok(await api.get(WEBHOOKS))).toEqual({ data: [] });
  });

  test('POST adds an endpoint: 201 with its address, its kinds in a fixed order, and its secret, shown to its organisers', async () => {
    const response = await api.post(WEBHOOKS, { url: PUBLIC_URL, kinds: ['session.cancelled', 'release.published'] });
    const { data } = ok<{ data: EndpointOut }>(response, 201);
    expect(data).toEqual({
      id: expect.stringMatching(UUID), url: PUBLIC_URL, kinds: ['release.published', 'session.cancelled'], enabled: true, disabledAt: null,
      failures: 0, createdAt: '2026-03-02T08:00:00.000Z', version: 1, secret: expect.stringMatching(SECRET),
    });
    expect(response.headers.location).toBe(`${WEBHOOKS}/${data.id}`);
    expect(response.headers.etag).toBe('"1"');
    ({ secret, ...endpoint } = data as EndpointOut & { secret: string });

    // The list leaves the secret out; the endpoint's own address gives it.
    expect(ok(await api.get(WEBHOOKS))).toEqual({ data: [endpoint] });
    const one = await api.get(`${WEBHOOKS}/${endpoint.id}`);
    expect(ok(one)).toEqual({ data: { ...endpoint, secret } });
    expect(one.headers.etag).toBe('"1"');
    expect(ok(await api.get(`${WEBHOOKS}/${endpoint.id}/deliveries`))).toEqual({ data: [] });
  });

  test('a change without If-Match is refused 428, from another version 409 with the endpoint as it is', async () => {
    const { publicUrl } = t.config;
    const url = `${WEBHOOKS}/${endpoint.id}`;
    for (const ifMatch of [null, '*']) {
      expectProblem(await api.patch(url, { enabled: false }, ifMatch), publicUrl, 428, 'version-required', {
        detail: 'Send If-Match with the ETag of the version you started from (read it first with GET)',
      });
    }
    const stale = await api.patch(url, { enabled: false }, 2);
    expectProblem(stale, publicUrl, 409, 'stale-version', {
      detail: 'This webhook was changed by someone else since you read it (it is now at version 1). Nothing was saved: start again from the current state.',
      current: endpoint,
    });
    expect(stale.headers.etag).toBe('"1"');
    expect(ok(await api.get(url))).toEqual({ data: { ...endpoint, secret } });
  });

  test('PATCH disables, enables, changes kinds and address; refuses an address it may not call and unknown fields', async () => {
    const { publicUrl } = t.config;
    const url = `${WEBHOOKS}/${endpoint.id}`;
    clock = new Date('2026-03-02T09:00:00.000Z');
    let response = await api.patch(url, { enabled: false }, 1);
    endpoint = { ...endpoint, enabled: false, disabledAt: '2026-03-02T09:00:00.000Z', version: 2 };
    expect(ok(response)).toEqual({ data: endpoint });
    expect(response.headers.etag).toBe('"2"');

    expectInvalid(await api.patch(url, { url: 'http://192.168.1.10/hooks' }, 2), publicUrl, urlError(`192.168.1.10: 192.168.1.10 is a private address; ${REFUSED}`));
    expectInvalid(await api.patch(url, { kinds: ['everything'] }, 2), publicUrl,
      [{ pointer: '#/kinds/0', detail: 'must be one of release.published, conclusions.published, session.cancelled' }],
      'The request body is not valid: kinds/0 must be one of release.published, conclusions.published, session.cancelled');
    expectInvalid(await api.patch(url, { secret: 'whsec_mine' }, 2), publicUrl,
      [{ pointer: '#/secret', detail: 'is not a field of this resource' }], 'The request body is not valid: secret is not a field of this resource');
    expectInvalid(await api.patch(url, { enabled: 'yes' }, 2), publicUrl,
      [{ pointer: '#/enabled', detail: 'must be boolean' }], 'The request body is not valid: enabled must be boolean');

    response = await api.patch(url, { url: 'https://93.184.215.14/hooks/v2', kinds: ['conclusions.published'], enabled: true }, 2);
    endpoint = { ...endpoint, url: 'https://93.184.215.14/hooks/v2', kinds: ['conclusions.published'], enabled: true, disabledAt: null, version: 3 };
    expect(ok(response)).toEqual({ data: endpoint });
    expect(ok(await api.get(url))).toEqual({ data: { ...endpoint, secret } });
  });

  test('an endpoint of another event is not found; DELETE removes one, after which it is 404', async () => {
    const { publicUrl } = t.config;
    const seminar = apiAs(t.app, (await addUser(t.app, 'organiser', SEMINAR_2015)).bearer);
    const there = `${eventPath(SEMINAR_2015)}/webhooks/${endpoint.id}`;
    expectProblem(await seminar.get(there), publicUrl, 404, 'not-found');
    expectProblem(await seminar.patch(there, { enabled: false }, 3), publicUrl, 404, 'not-found');
    expectProblem(await seminar.delete(there), publicUrl, 404, 'not-found');
    expectProblem(await seminar.get(`${there}/deliveries`), publicUrl, 404, 'not-found');
    expect(ok(await seminar.get(`${eventPath(SEMINAR_2015)}/webhooks`))).toEqual({ data: [] });

    const url = `${WEBHOOKS}/${endpoint.id}`;
    const removed = await api.delete(url);
    expect([removed.statusCode, removed.body]).toEqual([204, '']);
    expectProblem(await api.get(url), publicUrl, 404, 'not-found');
    expectProblem(await api.delete(url), publicUrl, 404, 'not-found');
    expectProblem(await api.get(`${url}/deliveries`), publicUrl, 404, 'not-found');
    expect(ok(await api.get(WEBHOOKS))).toEqual({ data: [] });
    expectProblem(await api.get(`${WEBHOOKS}/not-an-id`), publicUrl, 404, 'not-found');
  });
});

describe('who may use the webhook routes', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => new Date('2026-03-02T08:00:00.000Z') });
    api = apiAs(t.app, (await addUser(t.app, 'organiser', FORUM_2019)).bearer);
  });
  afterAll(async () => { await t.close(); });

  const routes = (id: string): { method: Method; url: string; body?: unknown; headers?: Headers; status: number }[] => [
    { method: 'GET', url: WEBHOOKS, status: 200 },
    { method: 'POST', url: WEBHOOKS, body: { url: `${PUBLIC_URL}/2`, kinds: ['release.published'] }, status: 201 },
    { method: 'GET', url: `${WEBHOOKS}/${id}`, status: 200 },
    { method: 'PATCH', url: `${WEBHOOKS}/${id}`, body: { enabled: false }, headers: { 'if-match': '"1"' }, status: 200 },
    { method: 'GET', url: `${WEBHOOKS}/${id}/deliveries`, status: 200 },
    { method: 'DELETE', url: `${WEBHOOKS}/${id}`, status: 204 },
  ];

  test('anonymous callers are refused 401, rapporteurs and another event\'s organisers 403, before the body is read; the event\'s organisers are let through', async () => {
    const { data: endpoint } = ok<{ data: EndpointOut }>(await api.post(WEBHOOKS, { url: PUBLIC_URL, kinds: ['release.published'] }), 201);
    const callers: [string, Api, number][] = [
      ['anonymous', apiAs(t.app), 401],
      ['rapporteur', apiAs(t.app, (await addUser(t.app, 'rapporteur')).bearer), 403],
      ['organiser of another event', apiAs(t.app, (await addUser(t.app, 'organiser', SEMINAR_2015)).bearer), 403],
    ];
    for (const [who, caller, status] of callers) {
      for (const route of routes(endpoint.id)) {
        const response = await caller.send(route.method, route.url, route.body === undefined ? undefined : { unknown: 'field' }, route.headers);
        expect(response.statusCode, `${who}: ${route.method} ${route.url}`).toBe(status);
        if (status === 401) expectProblem(response, t.config.publicUrl, 401, 'unauthorized', { detail: 'Sign in, or send an API token as "Authorization: Bearer …"' });
        else expectProblem(response, t.config.publicUrl, 403, 'forbidden', { detail: 'Only the organisers of this event may do this' });
      }
    }
    expect(ok(await api.get(WEBHOOKS))).toEqual({ data: [{ ...endpoint, secret: undefined }] });

    const answers = [];
    for (const route of routes(endpoint.id)) answers.push([route.method, route.url, (await api.send(route.method, route.url, route.body, route.headers)).statusCode]);
    expect(answers).toEqual(routes(endpoint.id).map((r) => [r.method, r.url, r.status]));
    expect(ok<{ data: EndpointOut[] }>(await api.get(WEBHOOKS)).data.map((e) => e.url)).toEqual([`${PUBLIC_URL}/2`]);
  });
});

describe('webhooks with WEBHOOK_ALLOW_PRIVATE: a receiver on loopback, and the log of its deliveries', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let api: Api;
  // A fixed time close to the real one: receivers (standardwebhooks) refuse a timestamp more than five minutes off.
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const at = clock.toISOString();

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await buildTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' }, now: () => clock });
    api = apiAs(t.app, (await addUser(t.app, 'organiser', FORUM_2019)).bearer);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  test('a loopback address is accepted; a release is posted to it, signed, and its delivery listed with the log of its try', async () => {
    const created = ok<{ data: EndpointOut & { secret: string } }>(await api.post(WEBHOOKS, { url: receiver.url('/hooks/forum'), kinds: ['release.published'] }), 201).data;
    expect(created.url).toBe(`http://127.0.0.1:${receiver.port}/hooks/forum`);

    const session = await sessionTitled(api, FORUM_2019, 'Bilan du travail effectué');
    ok<Written<SessionOut>>(await api.patch(`${EVENT}/sessions/${session.id}`, { start: '2019-11-12T16:00', end: '2019-11-12T17:00' }, session.version));
    const release = ok<{ data: { id: string } }>(await api.post(`${EVENT}/releases`, { name: '2' }), 201).data;
    const [hook] = await receiver.waitFor(1);
    await t.app.deliveries.idle();

    const payload = verifyHook(created.secret, hook!);
    expect([hook!.path, payload.type, (payload.data.release as { id: string }).id]).toEqual(['/hooks/forum', 'release.published', release.id]);
    expect(ok(await api.get(`${WEBHOOKS}/${created.id}/deliveries`))).toEqual({
      data: [{
        id: hook!.headers['webhook-id'],
        kind: 'release.published',
        state: 'sent',
        attempts: 1,
        log: [{ at, ok: true, detail: '200 OK: ok' }],
        createdAt: at,
        deliveredAt: at,
      }],
    });
    expect(hook!.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
  });
});
