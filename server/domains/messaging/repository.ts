// Queries of messages and webhooks: contacts, opt-outs, settings, the outbox, endpoints and
// deliveries, and the claims by which a sender takes one job at a time.
import { and, asc, desc, eq, inArray, isNull, lt, lte, min, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  contacts, mailOptOuts, messageSettings, messages, people, rapporteurAssignments, rooms, sessions, timeSlots, users, webhookDeliveries, webhookEndpoints,
  type ContactRow, type DeliveryAttempt, type MessageInsert, type MessageRow, type WebhookDeliveryRow, type WebhookEndpointRow,
} from '../../db/schema.ts';

// ---- Contacts

export interface ContactOfPerson {
  personId: number;
  personPublicId: string;
  name: string;
  email: string | null;
  language: ContactRow['language'];
}

/** Every person of the event with their contact, if any, by name. */
export function listContactsOfEvent(db: Db, eventId: number): ContactOfPerson[] {
  return db.select({
    personId: people.id, personPublicId: people.publicId, name: people.name,
    email: contacts.email, language: contacts.language,
  }).from(people).leftJoin(contacts, eq(contacts.personId, people.id))
    .where(eq(people.eventId, eventId)).orderBy(asc(people.name), asc(people.id)).all();
}

export function findContact(db: Db, personId: number): ContactRow | null {
  return db.select().from(contacts).where(eq(contacts.personId, personId)).get() ?? null;
}

export function upsertContact(db: Db, row: { personId: number; email: string | null; language: ContactRow['language']; updatedAt: Date }): void {
  db.insert(contacts).values(row).onConflictDoUpdate({ target: contacts.personId, set: { email: row.email, language: row.language, updatedAt: row.updatedAt } }).run();
}

export function deleteContact(db: Db, personId: number): void {
  db.delete(contacts).where(eq(contacts.personId, personId)).run();
}

export function setUserLanguage(db: Db, userId: number, language: ContactRow['language'], now: Date): void {
  db.update(users).set({ language, updatedAt: now }).where(eq(users.id, userId)).run();
}

/** The organisers of an event: those of this event and those of every event. */
export function listOrganisersOf(db: Db, eventId: number) {
  return db.select().from(users).where(and(eq(users.role, 'organiser'), or(eq(users.eventId, eventId), isNull(users.eventId))))
    .orderBy(asc(users.id)).all();
}

// ---- Opt-outs

export function listOptOuts(db: Db, emails: string[]): Set<string> {
  if (emails.length === 0) return new Set();
  return new Set(db.select({ email: mailOptOuts.email }).from(mailOptOuts).where(inArray(mailOptOuts.email, emails)).all().map((r) => r.email));
}

export function insertOptOut(db: Db, email: string, at: Date): void {
  db.insert(mailOptOuts).values({ email, at }).onConflictDoNothing().run();
}

// ---- Settings

export function findSettings(db: Db, eventId: number) {
  return db.select().from(messageSettings).where(eq(messageSettings.eventId, eventId)).get() ?? null;
}

export function upsertSettings(db: Db, eventId: number, values: { releaseWithoutReview: boolean; rapporteurWithoutReview: boolean }): void {
  db.insert(messageSettings).values({ eventId, ...values }).onConflictDoUpdate({ target: messageSettings.eventId, set: values }).run();
}

// ---- The outbox

export function insertMessage(db: Db, row: MessageInsert): MessageRow {
  return db.insert(messages).values(row).returning().get();
}

/** Many messages in few statements: a release of a congress drafts a thousand. */
export function insertMessages(db: Db, rows: MessageInsert[]): void {
  // 23 columns a row: 40 rows stay far below SQLite's limit of bound parameters.
  for (let i = 0; i < rows.length; i += 40) db.insert(messages).values(rows.slice(i, i + 40)).run();
}

export function listMessagesOfEvent(db: Db, eventId: number, limit: number): MessageRow[] {
  return db.select().from(messages).where(eq(messages.eventId, eventId)).orderBy(desc(messages.id)).limit(limit).all();
}

export function findMessage(db: Db, eventId: number, publicId: string): MessageRow | null {
  return db.select().from(messages).where(and(eq(messages.eventId, eventId), eq(messages.publicId, publicId))).get() ?? null;
}

export function findMessageByStopToken(db: Db, token: string): MessageRow | null {
  return db.select().from(messages).where(eq(messages.stopToken, token)).get() ?? null;
}

export function countMessagesByState(db: Db, eventId: number): Record<string, number> {
  const rows = db.select({ state: messages.state, n: sql<number>`count(*)` }).from(messages).where(eq(messages.eventId, eventId)).groupBy(messages.state).all();
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** Changes a message that is still a draft (or queued, and not yet taken), if it is at `version`; false otherwise. */
export function updateWaitingMessage(db: Db, id: number, version: number, values: Partial<Pick<MessageRow, 'subject' | 'body' | 'toAddress' | 'state' | 'nextAttemptAt' | 'updatedAt'>>): boolean {
  return db.update(messages).set(values)
    .where(and(eq(messages.id, id), eq(messages.version, version), inArray(messages.state, ['draft', 'queued', 'failed']))).run().changes === 1;
}

/** Queues every draft of the event; returns how many. */
export function queueDrafts(db: Db, eventId: number, now: Date): number {
  return db.update(messages).set({ state: 'queued', nextAttemptAt: now, updatedAt: now })
    .where(and(eq(messages.eventId, eventId), eq(messages.state, 'draft'))).run().changes;
}

// ---- Webhook endpoints and deliveries

export function listEndpointsOfEvent(db: Db, eventId: number): WebhookEndpointRow[] {
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.eventId, eventId)).orderBy(asc(webhookEndpoints.id)).all();
}

export function findEndpoint(db: Db, eventId: number, publicId: string): WebhookEndpointRow | null {
  return db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.eventId, eventId), eq(webhookEndpoints.publicId, publicId))).get() ?? null;
}

export function insertEndpoint(db: Db, row: typeof webhookEndpoints.$inferInsert): WebhookEndpointRow {
  return db.insert(webhookEndpoints).values(row).returning().get();
}

export function updateEndpoint(db: Db, id: number, version: number, values: Partial<Pick<WebhookEndpointRow, 'url' | 'kinds' | 'disabledAt' | 'failures' | 'updatedAt'>>): boolean {
  return db.update(webhookEndpoints).set(values).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.version, version))).run().changes === 1;
}

export function deleteEndpoint(db: Db, id: number): void {
  db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).run();
}

export function insertDelivery(db: Db, row: typeof webhookDeliveries.$inferInsert): void {
  db.insert(webhookDeliveries).values(row).run();
}

export function listDeliveriesOfEndpoint(db: Db, endpointId: number, limit: number): WebhookDeliveryRow[] {
  return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)).orderBy(desc(webhookDeliveries.id)).limit(limit).all();
}

// ---- What a sender takes, and what it records

/**
 * Takes the next message due, in one statement, so that two senders (two processes) never take
 * the same one: a queued message whose time has come, or one whose sender's lease ran out.
 */
export function claimMessage(db: Db, now: Date, leaseUntil: Date): MessageRow | null {
  const due = db.select({ id: messages.id }).from(messages)
    .where(or(and(eq(messages.state, 'queued'), lte(messages.nextAttemptAt, now)), and(eq(messages.state, 'sending'), lt(messages.leaseUntil, now))))
    .orderBy(asc(messages.nextAttemptAt), asc(messages.id)).limit(1);
  return db.update(messages).set({ state: 'sending', leaseUntil, attempts: sql`${messages.attempts} + 1`, updatedAt: now })
    .where(eq(messages.id, sql`(${due})`)).returning().get() ?? null;
}

/** Takes the next webhook delivery due, to an endpoint that is not disabled. */
export function claimDelivery(db: Db, now: Date, leaseUntil: Date): { delivery: WebhookDeliveryRow; endpoint: WebhookEndpointRow } | null {
  const due = db.select({ id: webhookDeliveries.id }).from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(isNull(webhookEndpoints.disabledAt), or(
      and(eq(webhookDeliveries.state, 'queued'), lte(webhookDeliveries.nextAttemptAt, now)),
      and(eq(webhookDeliveries.state, 'sending'), lt(webhookDeliveries.leaseUntil, now)))))
    .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id)).limit(1);
  const delivery = db.update(webhookDeliveries).set({ state: 'sending', leaseUntil, attempts: sql`${webhookDeliveries.attempts} + 1`, updatedAt: now })
    .where(eq(webhookDeliveries.id, sql`(${due})`)).returning().get();
  if (!delivery) return null;
  const endpoint = db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, delivery.endpointId)).get()!;
  return { delivery, endpoint };
}

type Outcome = { state: 'sent' | 'queued' | 'failed' | 'discarded'; attempt: DeliveryAttempt; nextAttemptAt: Date | null; now: Date };

const appendAttempt = (column: typeof messages.log | typeof webhookDeliveries.log, attempt: DeliveryAttempt) =>
  sql`json_insert(${column}, '$[#]', json(${JSON.stringify(attempt)}))`;

/** Records how a try of a message went; only the sender holding it (state sending) may. */
export function recordMessageOutcome(db: Db, id: number, outcome: Outcome): void {
  db.update(messages).set({
    state: outcome.state, leaseUntil: null, nextAttemptAt: outcome.nextAttemptAt, updatedAt: outcome.now,
    doneAt: outcome.state === 'sent' ? outcome.now : null, log: appendAttempt(messages.log, outcome.attempt),
  }).where(and(eq(messages.id, id), eq(messages.state, 'sending'))).run();
}

export function recordDeliveryOutcome(db: Db, id: number, outcome: Outcome): void {
  db.update(webhookDeliveries).set({
    state: outcome.state, leaseUntil: null, nextAttemptAt: outcome.nextAttemptAt, updatedAt: outcome.now,
    doneAt: outcome.state === 'sent' ? outcome.now : null, log: appendAttempt(webhookDeliveries.log, outcome.attempt),
  }).where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.state, 'sending'))).run();
}

/** An endpoint's count of deliveries that failed every attempt, set by the sender. */
export function setEndpointFailures(db: Db, id: number, failures: number, disabledAt: Date | null, now: Date): void {
  db.update(webhookEndpoints).set({ failures, ...(disabledAt ? { disabledAt } : {}), updatedAt: now }).where(eq(webhookEndpoints.id, id)).run();
}

/**
 * Returns to the queue what a sender had taken when its process ended (kill -9, a crash):
 * called once at start, before this process sends anything, when no other process sends.
 */
export function requeueInterrupted(db: Db, now: Date): number {
  const mail = db.update(messages).set({ state: 'queued', leaseUntil: null, nextAttemptAt: now, updatedAt: now }).where(eq(messages.state, 'sending')).run().changes;
  const hooks = db.update(webhookDeliveries).set({ state: 'queued', leaseUntil: null, nextAttemptAt: now, updatedAt: now }).where(eq(webhookDeliveries.state, 'sending')).run().changes;
  return mail + hooks;
}

/** The earliest time something queued becomes due, or null when nothing waits. */
export function nextDueAt(db: Db, includeMail: boolean): Date | null {
  const hook = db.select({ at: min(webhookDeliveries.nextAttemptAt) }).from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.state, 'queued'), isNull(webhookEndpoints.disabledAt))).get()?.at ?? null;
  const mail = includeMail ? db.select({ at: min(messages.nextAttemptAt) }).from(messages).where(eq(messages.state, 'queued')).get()?.at ?? null : null;
  const times = [hook, mail].filter((t): t is Date => t !== null);
  return times.length === 0 ? null : new Date(Math.min(...times.map((t) => t.getTime())));
}

/** When and where a session of the working copy is, as a message says it. */
export function findSessionPlacement(db: Db, sessionId: number): { start: string | null; end: string | null; room: { id: string; name: Record<string, string> } | null } {
  const row = db.select({ start: timeSlots.startsAt, end: timeSlots.endsAt, roomId: rooms.publicId, roomName: rooms.name }).from(sessions)
    .leftJoin(timeSlots, eq(timeSlots.id, sessions.slotId)).leftJoin(rooms, eq(rooms.id, sessions.roomId))
    .where(eq(sessions.id, sessionId)).get();
  return {
    start: row?.start?.toISOString() ?? null, end: row?.end?.toISOString() ?? null,
    room: row?.roomId ? { id: row.roomId, name: row.roomName ?? {} } : null,
  };
}

/** The rapporteurs assigned to a session, with what a message to them needs. */
export function listRapporteursOfSession(db: Db, sessionId: number) {
  return db.select({ id: users.id, name: users.name, email: users.email, language: users.language }).from(rapporteurAssignments)
    .innerJoin(users, eq(users.id, rapporteurAssignments.userId)).where(eq(rapporteurAssignments.sessionId, sessionId)).orderBy(asc(users.id)).all();
}
