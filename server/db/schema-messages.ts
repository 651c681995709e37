// The tables of messages and webhooks: who may be written to, what is drafted and queued, and
// where other systems are told. Re-exported by schema.ts, the one place tables are imported from.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { events, people, releases, users, type Language } from './schema.ts';

const instant = (name: string) => integer(name, { mode: 'timestamp_ms' });
const version = () => integer('version').notNull().default(1);

/**
 * How to reach a person of an event's programme: private to the event's organisers, and kept
 * apart from the people table on purpose, so that no public page, feed, export or release
 * snapshot, which are all built from the programme's rows, can ever carry it.
 */
export const contacts = sqliteTable('contacts', {
  personId: integer('person_id').primaryKey().references(() => people.id, { onDelete: 'cascade' }),
  /** Stored lower-cased; null when only a language is known. */
  email: text('email'),
  /** The language messages are written in; null: the event's default language. */
  language: text('language').$type<Language>(),
  updatedAt: instant('updated_at').notNull(),
});

/** Addresses that asked, through the link of a message, to be sent nothing more. */
export const mailOptOuts = sqliteTable('mail_opt_outs', {
  email: text('email').primaryKey(),
  at: instant('at').notNull(),
});

/** What an event does with the messages the server drafts; no row: the defaults. */
export const messageSettings = sqliteTable('message_settings', {
  eventId: integer('event_id').primaryKey().references(() => events.id, { onDelete: 'cascade' }),
  /** Release messages are queued at once instead of waiting in the outbox for review. */
  releaseWithoutReview: integer('release_without_review', { mode: 'boolean' }).notNull().default(false),
  /** Rapporteurs' messages (assignment, return, validation, publication) are queued at once. */
  rapporteurWithoutReview: integer('rapporteur_without_review', { mode: 'boolean' }).notNull().default(true),
});

export const MESSAGE_KINDS = ['release', 'assigned', 'returned', 'validated', 'published', 'endpoint-disabled'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * draft: waits for an organiser; queued: waits for the sender (next_attempt_at); sending: taken
 * by a sender until lease_until; sent, failed, discarded: done.
 */
export const DELIVERY_STATES = ['draft', 'queued', 'sending', 'sent', 'failed', 'discarded'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** One try of a message or a webhook delivery, as its log shows it. */
export interface DeliveryAttempt {
  at: string;
  ok: boolean;
  /** The server's answer (an SMTP reply, an HTTP status line) or why there was none. */
  detail: string;
}

export interface MessageAttachment {
  filename: string;
  contentType: string;
  content: string;
}

const deliveryColumns = () => ({
  attempts: integer('attempts').notNull().default(0),
  /** When a queued one may be tried (again). */
  nextAttemptAt: instant('next_attempt_at'),
  /** Until when the sender that took it owns it; past it, another may take it again. */
  leaseUntil: instant('lease_until'),
  log: text('log', { mode: 'json' }).$type<DeliveryAttempt[]>().notNull().default(sql`'[]'`),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
  /** When it was sent or delivered. */
  doneAt: instant('done_at'),
});

/** The outbox: every message the server drafted, queued or sent. */
export const messages = sqliteTable('messages', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: text('public_id').notNull().unique(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: MESSAGE_KINDS }).notNull(),
  state: text('state', { enum: DELIVERY_STATES }).notNull(),
  /** The release that caused it, for release messages. */
  releaseId: integer('release_id').references(() => releases.id, { onDelete: 'set null' }),
  /** Whom it is for: a person of the programme or an account (the name and address are kept as drafted). */
  personId: integer('person_id').references(() => people.id, { onDelete: 'set null' }),
  userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
  toName: text('to_name').notNull(),
  toAddress: text('to_address').notNull(),
  language: text('language').$type<Language>().notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  attachments: text('attachments', { mode: 'json' }).$type<MessageAttachment[]>().notNull(),
  /** In the link that stops messages to this address; random, one per message. */
  stopToken: text('stop_token').notNull().unique(),
  ...deliveryColumns(),
  version: version(),
}, (t) => [
  index('messages_event').on(t.eventId, t.id),
  index('messages_due').on(t.state, t.nextAttemptAt),
  check('messages_state', sql`${t.state} in ('draft','queued','sending','sent','failed','discarded')`),
]);

export const WEBHOOK_KINDS = ['release.published', 'conclusions.published', 'session.cancelled'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

/** Where an event's news is posted for other systems, signed as Standard Webhooks says. */
export const webhookEndpoints = sqliteTable('webhook_endpoints', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: text('public_id').notNull().unique(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  /** whsec_ and base64 of 32 random bytes. */
  secret: text('secret').notNull(),
  kinds: text('kinds', { mode: 'json' }).$type<WebhookKind[]>().notNull(),
  /** Set when deliveries kept failing; nothing is sent to it until an organiser enables it again. */
  disabledAt: instant('disabled_at'),
  /** Deliveries that failed every attempt since the last one that arrived. */
  failures: integer('failures').notNull().default(0),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
  version: version(),
}, (t) => [index('webhook_endpoints_event').on(t.eventId)]);

export const webhookDeliveries = sqliteTable('webhook_deliveries', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** The webhook-id header: receivers de-duplicate on it. */
  publicId: text('public_id').notNull().unique(),
  endpointId: integer('endpoint_id').notNull().references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: WEBHOOK_KINDS }).notNull(),
  /** The JSON body, exactly as signed and sent. */
  payload: text('payload').notNull(),
  state: text('state', { enum: DELIVERY_STATES }).notNull(),
  ...deliveryColumns(),
}, (t) => [
  index('webhook_deliveries_endpoint').on(t.endpointId, t.id),
  index('webhook_deliveries_due').on(t.state, t.nextAttemptAt),
  check('webhook_deliveries_state', sql`${t.state} in ('queued','sending','sent','failed','discarded')`),
]);

export type ContactRow = typeof contacts.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type MessageInsert = typeof messages.$inferInsert;
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
