// Webhooks end to end against a real receiver on loopback (test/helpers/webhook-receiver.ts),
// every signature checked with the standardwebhooks package rather than the server's own code:
// what a release and a publication post, to whom, the retries of a receiver that is down for a
// while, the endpoint that fails every attempt and is disabled (its organisers told by e-mail),
// and the private addresses refused when the endpoint is registered and again when it is called.
import { pause, until } from '../../helpers/wait.ts';
import { afterEach, describe, expect, test } from 'vitest';
import { webhookDeliveries, webhookEndpoints, type WebhookDeliveryRow } from '../../../server/db/schema.ts';
import { UnprocessableError } from '../../../server/errors.ts';
import { MAX_ATTEMPTS } from '../../../server/domains/messaging/sender.ts';
import { createEndpoint, newWebhookSecret, type EndpointContext } from '../../../server/domains/messaging/webhooks.ts';
import { insertEndpoint, listMessagesOfEvent } from '../../../server/domains/messaging/repository.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { eq } from 'drizzle-orm';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, ok, sessionTitled, type Api, type SessionOut, type Written } from '../../helpers/api.ts';
import { content, publish } from '../../helpers/conclusions.ts';
import { mailEnv, startSmtp, type TestSmtp } from '../../helpers/smtp.ts';
import { startReceiver, verifyHook, type WebhookReceiver } from '../../helpers/webhook-receiver.ts';

const EVENT = eventPath(FORUM_2019);
const SESSIONS = `${EVENT}/sessions`;
const HOUR = 3_600_000;



interface World {
  t: TestApp;
  organiser: TestUser;
  api: Api;
  event: () => EventRow;
  endpointCtx: (allowPrivate?: boolean) => EndpointContext;
  deliveries: () => WebhookDeliveryRow[];
  /** Moves the app's clock (and so the sender's) forward; real time goes on under it. */
  skip: (ms: number) => void;
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function world(env: Record<string, string>): Promise<World> {
  let skew = 0;
  const t = await buildTestApp({ env: { DELIVERY_RETRY_DELAY: '100ms', ...env }, now: () => new Date(Date.now() + skew) });
  cleanup.push(() => t.close());
  const organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
  const event = () => findEventBySlug(t.app.db, FORUM_2019)!;
  return {
    t, organiser, api: apiAs(t.app, organiser.bearer), event,
    endpointCtx: (allowPrivate = t.config.webhookAllowPrivate) => ({ db: t.app.db, event: event(), actor: { id: organiser.id, name: 'Olga Organiser' }, now: t.app.now(), allowPrivate }),
    deliveries: () => t.app.db.select().from(webhookDeliveries).orderBy(webhookDeliveries.id).all(),
    skip: (ms) => { skew += ms; },
  };
}

async function receiver(): Promise<WebhookReceiver> {
  const r = await startReceiver();
  cleanup.push(() => r.close());
  return r;
}

async function smtpServer(): Promise<TestSmtp> {
  const s = await startSmtp();
  cleanup.push(() => s.close());
  return s;
}

/** Cancels a session of the working copy and releases through the API; the cancelled session and the release. */
async function cancelAndRelease(w: World, title: string, name: string) {
  const session = await sessionTitled(w.api, FORUM_2019, title);
  const cancelled = ok<Written<SessionOut>>(await w.api.patch(`${SESSIONS}/${session.id}`, { status: 'cancelled' }, session.version)).data;
  const released = ok<Written<{ id: string; sequence: number; name: string }>>(await w.api.post(`${EVENT}/releases`, { name }), 201).data;
  return { cancelled, released };
}

describe('what is posted, and to whom', () => {
  test('a release that cancels a session posts release.published and session.cancelled, signed as standardwebhooks verifies; an endpoint of other kinds gets nothing, then conclusions.published', async () => {
    const w = await world({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    const r = await receiver();
    const both = await createEndpoint(w.endpointCtx(), { url: r.url('/both'), kinds: ['release.published', 'session.cancelled'] });
    const reports = await createEndpoint(w.endpointCtx(), { url: r.url('/reports'), kinds: ['conclusions.published'] });
    expect(both.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

    const { cancelled, released } = await cancelAndRelease(w, 'Bilan du travail effectué', 'Durban');
    await r.waitFor(2);
    await until('the deliveries done', () => w.deliveries().every((d) => d.state === 'sent'));
    await pause(300);
    expect(r.received.map((h) => [h.method, h.path, h.status])).toEqual([['POST', '/both', 200], ['POST', '/both', 200]]);

    const [published, cancellation] = r.received.map((h) => verifyHook(both.secret, h));
    const event = w.event();
    const eventRef = { id: event.publicId, slug: FORUM_2019, title: event.title, url: `${w.t.config.publicUrl}/events/${FORUM_2019}` };
    const releaseRef = { id: released.id, sequence: released.sequence, name: 'Durban', changes: `${w.t.config.publicUrl}/events/${FORUM_2019}/changes` };
    expect(published).toEqual({ type: 'release.published', timestamp: expect.any(String), data: { event: eventRef, release: releaseRef } });
    expect(cancellation).toEqual({
      type: 'session.cancelled', timestamp: expect.any(String),
      data: {
        event: eventRef, release: releaseRef,
        session: { id: cancelled.id, title: cancelled.title, start: '2019-11-12T10:00:00+02:00', end: '2019-11-12T11:00:00+02:00', url: `${w.t.config.publicUrl}/events/${FORUM_2019}/sessions/${cancelled.id}` },
      },
    });
    for (const hook of r.received) {
      expect(hook.headers['content-type']).toBe('application/json');
      expect(hook.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
      // Another secret, or a body changed on the way, does not verify.
      expect(() => verifyHook(newWebhookSecret(), hook)).toThrow();
      expect(() => verifyHook(both.secret, { ...hook, body: hook.body.replace('Durban', 'Durbam') })).toThrow();
      expect(() => verifyHook(reports.secret, hook)).toThrow();
    }
    expect(new Set(r.received.map((h) => h.headers['webhook-id'])).size).toBe(2);

    // Publishing conclusions posts to the endpoint that asked for it, and to it only.
    const session = await sessionTitled(w.api, FORUM_2019, 'Objectifs et attentes des participants');
    await publish(w.api, FORUM_2019, session.id, content());
    await r.waitFor(3);
    await until('the delivery done', () => w.deliveries().every((d) => d.state === 'sent'));
    await pause(300);
    expect(r.received).toHaveLength(3);
    const report = r.received[2]!;
    expect(report.path).toBe('/reports');
    const payload = verifyHook(reports.secret, report);
    expect(payload.type).toBe('conclusions.published');
    expect(payload.data).toEqual({
      event: eventRef,
      session: { id: session.id, title: session.title, start: session.start, end: session.end, url: `${w.t.config.publicUrl}/events/${FORUM_2019}/sessions/${session.id}` },
      conclusions: { url: `${w.t.config.publicUrl}/events/${FORUM_2019}/report#session-${session.id}`, publishedAt: expect.any(String) },
    });
    expect(w.deliveries().map((d) => [d.kind, d.endpointId])).toEqual([
      ['release.published', expect.any(Number)], ['session.cancelled', expect.any(Number)], ['conclusions.published', expect.any(Number)],
    ]);
  });
});

describe('retries', () => {
  test('a receiver down for three attempts, then up, gets the delivery once more: four requests, one webhook-id, each signed, the waits doubling', async () => {
    const w = await world({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    const r = await receiver();
    const endpoint = await createEndpoint(w.endpointCtx(), { url: r.url(), kinds: ['release.published'] });
    r.failNext(3, 503);
    await cancelAndRelease(w, 'Bilan du travail effectué', 'Durban');
    await r.waitFor(4);
    const delivery = await until('the delivery sent', () => w.deliveries().find((d) => d.state === 'sent'));
    await pause(1_000);
    expect(r.received.map((h) => h.status)).toEqual([503, 503, 503, 200]);
    expect(new Set(r.received.map((h) => h.headers['webhook-id']))).toEqual(new Set([delivery.publicId]));
    // Each try is signed afresh; the one that was received verifies, and so do the others.
    for (const hook of r.received) expect(verifyHook(endpoint.secret, hook).type).toBe('release.published');
    expect(new Set(r.received.map((h) => h.body)).size).toBe(1);
    expect(delivery.attempts).toBe(4);
    expect(delivery.log.map((a) => [a.ok, a.detail])).toEqual([
      [false, '503 Service Unavailable: unavailable (test)'], [false, '503 Service Unavailable: unavailable (test)'],
      [false, '503 Service Unavailable: unavailable (test)'], [true, '200 OK: ok'],
    ]);
    // DELIVERY_RETRY_DELAY 100ms, then twice as long each time.
    const gaps = r.received.slice(1).map((h, i) => h.at - r.received[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    expect(gaps[1]).toBeGreaterThanOrEqual(190);
    expect(gaps[2]).toBeGreaterThanOrEqual(390);
    const row = w.t.app.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.publicId, endpoint.id)).get()!;
    expect([row.disabledAt, row.failures]).toEqual([null, 0]);
  });

  test(`an endpoint whose delivery fails all ${MAX_ATTEMPTS} attempts is disabled, and the event's organisers are told by e-mail`, async () => {
    const smtp = await smtpServer();
    const w = await world({ WEBHOOK_ALLOW_PRIVATE: 'true', ...mailEnv(smtp) });
    const everyEvent = await addUser(w.t.app, 'organiser', undefined, 'Otto Organiser of every event');
    await addUser(w.t.app, 'organiser', SEMINAR_2015, 'Oscar Organiser of another event');
    const r = await receiver();
    r.failAlways(503);
    const endpoint = await createEndpoint(w.endpointCtx(), { url: r.url(), kinds: ['release.published'] });
    await cancelAndRelease(w, 'Bilan du travail effectué', 'Durban');
    // Ten attempts at 100 ms doubling would take 51 s of real time: the app's clock is moved past
    // each wait instead (the sender asks it what time it is), and the sender woken.
    for (let i = 0; i < 3 * MAX_ATTEMPTS && w.deliveries()[0]?.state !== 'failed'; i += 1) {
      await w.t.app.deliveries.idle();
      w.skip(7 * HOUR);
      w.t.app.deliveries.wake();
      await w.t.app.deliveries.idle();
    }
    const [delivery] = w.deliveries();
    expect(delivery!.state).toBe('failed');
    expect(delivery!.attempts).toBe(MAX_ATTEMPTS);
    expect(r.received).toHaveLength(MAX_ATTEMPTS);
    expect(new Set(r.received.map((h) => h.headers['webhook-id'])).size).toBe(1);
    const row = w.t.app.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.publicId, endpoint.id)).get()!;
    expect(row.disabledAt).not.toBeNull();
    expect(row.failures).toBe(1);

    // The organisers of this event and of every event, not those of another, get one message each.
    await smtp.waitFor(2);
    await until('the messages sent', () => listMessagesOfEvent(w.t.app.db, w.event().id, 100).every((m) => m.state === 'sent'));
    const messages = listMessagesOfEvent(w.t.app.db, w.event().id, 100);
    expect(messages.map((m) => [m.kind, m.toAddress]).sort()).toEqual([['endpoint-disabled', everyEvent.email], ['endpoint-disabled', w.organiser.email]].sort());
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([everyEvent.email, w.organiser.email].sort());
    for (const mail of smtp.received) {
      expect(mail.parsed.subject).toBe("Le forum d'apprentissage de CGLU : un webhook est désactivé");
      expect(mail.parsed.text).toContain(r.url());
    }

    // Disabled: the next release posts nothing to it.
    r.failAlways(null);
    await cancelAndRelease(w, 'Objectifs et attentes des participants', 'Durban 2');
    await w.t.app.deliveries.idle();
    await pause(300);
    expect(r.received).toHaveLength(MAX_ATTEMPTS);
    expect(w.deliveries()).toHaveLength(1);
  });
});

describe('private addresses', () => {
  test('without WEBHOOK_ALLOW_PRIVATE, a loopback, private or link-local address is refused 422 when the endpoint is registered', async () => {
    const w = await world({});
    const r = await receiver();
    for (const url of [r.url(), `http://localhost:${r.port}/hooks`, `http://[::1]:${r.port}/`, 'http://10.1.2.3/hooks', 'http://169.254.169.254/latest/meta-data', 'http://192.168.0.10/']) {
      const refused = createEndpoint(w.endpointCtx(), { url, kinds: ['release.published'] });
      await expect(refused, url).rejects.toBeInstanceOf(UnprocessableError);
      await expect(refused, url).rejects.toMatchObject({ statusCode: 422, errors: [{ pointer: '#/url', code: 'webhook-url', params: { reason: expect.stringMatching(/loopback|private|linkLocal/) } }] });
    }
    expect(w.t.app.db.select().from(webhookEndpoints).all()).toEqual([]);
    // With WEBHOOK_ALLOW_PRIVATE the same address is accepted (the tests above rely on it).
    await expect(createEndpoint(w.endpointCtx(true), { url: r.url(), kinds: ['release.published'] })).resolves.toMatchObject({ url: r.url(), enabled: true });
  });

  test('without WEBHOOK_ALLOW_PRIVATE, the sender refuses at delivery time an endpoint whose host resolves to a loopback address', async () => {
    const w = await world({});
    const r = await receiver();
    // Stored as if registered while it resolved elsewhere (or when the setting was on).
    const now = new Date();
    insertEndpoint(w.t.app.db, {
      publicId: '00000000-0000-4000-8000-000000000001', eventId: w.event().id, url: `http://localhost:${r.port}/hooks`,
      secret: newWebhookSecret(), kinds: ['release.published'], createdAt: now, updatedAt: now,
    });
    await cancelAndRelease(w, 'Bilan du travail effectué', 'Durban');
    const delivery = await until('a first attempt', () => w.deliveries().find((d) => d.log.length >= 1));
    await pause(500);
    expect(r.received).toEqual([]);
    expect(delivery.log[0]).toEqual({
      at: expect.any(String), ok: false,
      detail: expect.stringMatching(/^localhost: (127\.0\.0\.1|::1) is a loopback address; private, loopback and link-local addresses are refused \(WEBHOOK_ALLOW_PRIVATE\)$/),
    });
    expect(w.deliveries()[0]!.state).not.toBe('sent');
  });
});
