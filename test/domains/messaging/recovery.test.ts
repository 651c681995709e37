// What the queue does with work a dead sender left behind, without a restart: a message whose
// lease ran out is taken again and sent once; an interrupted webhook delivery is queued again at
// start like a message; and what was sent or delivered can never go back to the queue.
import { afterEach, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { mailEnv, startSmtp, type TestSmtp } from '../../helpers/smtp.ts';
import { messages, webhookDeliveries } from '../../../server/db/schema.ts';
import { insertDelivery, insertEndpoint, insertMessage, requeueInterrupted } from '../../../server/domains/messaging/repository.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';

let t: TestApp | null = null;
let smtp: TestSmtp | null = null;
afterEach(async () => {
  await t?.close();
  await smtp?.close();
  t = null;
  smtp = null;
});

function message(app: TestApp['app'], publicId: string, values: Partial<typeof messages.$inferInsert>) {
  const now = app.now();
  insertMessage(app.db, {
    publicId, eventId: findEventBySlug(app.db, FORUM_2019)!.id, kind: 'release', state: 'queued', toName: 'Ada Lovelace', toAddress: 'ada@example.org',
    language: 'fr', subject: 'Vos sessions', body: 'Bonjour', attachments: [], stopToken: `stop-${publicId}`, createdAt: now, updatedAt: now, ...values,
  });
}

describe('recovery of interrupted work', () => {
  test('a message taken by a sender whose lease ran out is taken again and sent once; one still under lease is left alone', async () => {
    smtp = await startSmtp();
    t = await buildTestApp({ env: mailEnv(smtp) });
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 10 * 60_000);
    message(t.app, 'lapsed', { state: 'sending', attempts: 1, leaseUntil: past, nextAttemptAt: past });
    message(t.app, 'leased', { state: 'sending', attempts: 1, leaseUntil: future, nextAttemptAt: past });
    t.app.deliveries.wake();
    await smtp.waitFor(1);
    await t.app.deliveries.idle();
    const rows = t.app.db.select().from(messages).all().map((m) => [m.publicId, m.state, m.attempts]);
    expect(rows).toEqual([['lapsed', 'sent', 2], ['leased', 'sending', 1]]);
    expect(smtp.received.map((m) => m.parsed.messageId)).toEqual([`<lapsed@${new URL(t.config.publicUrl).hostname}>`]);
  });

  test('at start, webhook deliveries a stopped process was sending are queued again, as messages are', async () => {
    t = await buildTestApp();
    const now = t.app.now();
    const eventId = findEventBySlug(t.app.db, FORUM_2019)!.id;
    const endpoint = insertEndpoint(t.app.db, { publicId: 'endpoint', eventId, url: 'https://hooks.example.org/forum', secret: 'whsec_c2VjcmV0', kinds: ['release.published'], createdAt: now, updatedAt: now });
    insertDelivery(t.app.db, {
      publicId: 'msg_interrupted', endpointId: endpoint.id, eventId, kind: 'release.published', payload: '{}', state: 'sending',
      attempts: 1, leaseUntil: new Date(now.getTime() + 60_000), nextAttemptAt: now, createdAt: now, updatedAt: now,
    });
    message(t.app, 'interrupted', { state: 'sending', attempts: 1, leaseUntil: new Date(now.getTime() + 60_000) });
    expect(requeueInterrupted(t.app.db, now)).toBe(2);
    expect(t.app.db.select().from(webhookDeliveries).all().map((d) => [d.publicId, d.state, d.leaseUntil])).toEqual([['msg_interrupted', 'queued', null]]);
    expect(t.app.db.select().from(messages).all().map((m) => [m.publicId, m.state, m.leaseUntil])).toEqual([['interrupted', 'queued', null]]);
  });

  test('a sent message and a delivered webhook stay so: the database refuses to queue them again', async () => {
    t = await buildTestApp();
    const now = t.app.now();
    const eventId = findEventBySlug(t.app.db, FORUM_2019)!.id;
    message(t.app, 'sent', { state: 'sent', doneAt: now });
    const endpoint = insertEndpoint(t.app.db, { publicId: 'endpoint', eventId, url: 'https://hooks.example.org/forum', secret: 'whsec_c2VjcmV0', kinds: ['release.published'], createdAt: now, updatedAt: now });
    insertDelivery(t.app.db, { publicId: 'msg_done', endpointId: endpoint.id, eventId, kind: 'release.published', payload: '{}', state: 'sent', createdAt: now, updatedAt: now });
    expect(() => t!.app.db.update(messages).set({ state: 'queued' }).where(eq(messages.publicId, 'sent')).run()).toThrow('a sent message stays sent');
    expect(() => t!.app.db.update(webhookDeliveries).set({ state: 'queued' }).where(eq(webhookDeliveries.publicId, 'msg_done')).run()).toThrow('a delivered webhook stays delivered');
    // Nor is what left rewritten.
    expect(() => t!.app.db.update(messages).set({ body: 'Autre texte' }).where(eq(messages.publicId, 'sent')).run()).toThrow('a message that a sender has taken cannot be rewritten');
  });
});
