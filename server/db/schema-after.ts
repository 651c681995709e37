// The tables of what comes after the forum: how each published recommendation and follow-up
// action is taken up, and what participants thought of each session. Re-exported by schema.ts,
// the one place tables are imported from.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { conclusions, events, organisations, people, sessions, type SessionLink } from './schema.ts';

const instant = (name: string) => integer(name, { mode: 'timestamp_ms' });
const version = () => integer('version').notNull().default(1);

export const FOLLOW_UP_KINDS = ['recommendation', 'action'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

export const FOLLOW_UP_STATUSES = ['proposed', 'adopted', 'in-progress', 'done', 'dropped'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/**
 * The follow-up of one recommendation or action of published conclusions, named by its place in
 * them (kind, position). No row: still "proposed", nobody named, no date set. The text it was
 * started on is kept, so that a page can say when the published wording has changed since.
 */
export const followUpItems = sqliteTable('follow_up_items', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  conclusionId: integer('conclusion_id').notNull().references(() => conclusions.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: FOLLOW_UP_KINDS }).notNull(),
  /** Its index (from 0) among the recommendations or the actions of the published revision. */
  position: integer('position').notNull(),
  /** The wording it was followed up on. */
  text: text('text').notNull(),
  status: text('status', { enum: FOLLOW_UP_STATUSES }).notNull().default('proposed'),
  /** Who carries it: a person or an organisation of the event, never both. */
  ownerPersonId: integer('owner_person_id').references(() => people.id, { onDelete: 'set null' }),
  ownerOrganisationId: integer('owner_organisation_id').references(() => organisations.id, { onDelete: 'set null' }),
  /** A calendar date (YYYY-MM-DD) in the event's zone. */
  due: text('due'),
  statusChangedAt: instant('status_changed_at'),
  updatedAt: instant('updated_at').notNull(),
  version: version(),
}, (t) => [
  uniqueIndex('follow_up_items_place').on(t.conclusionId, t.kind, t.position),
  index('follow_up_items_event').on(t.eventId),
  check('follow_up_items_kind', sql`${t.kind} in ('recommendation','action')`),
  check('follow_up_items_status', sql`${t.status} in ('proposed','adopted','in-progress','done','dropped')`),
  check('follow_up_items_one_owner', sql`${t.ownerPersonId} is null or ${t.ownerOrganisationId} is null`),
  check('follow_up_items_due', sql`${t.due} is null or ${t.due} glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`),
]);

/**
 * The dated history of a follow-up: each change of status and each progress note, with links
 * to evidence. Written once, never rewritten (a trigger refuses updates); the Atom feed of the
 * follow-up page is made of the entries that change a status.
 */
export const followUpNotes = sqliteTable('follow_up_notes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** What the feed's entry ids are made of. */
  publicId: text('public_id').notNull().unique(),
  itemId: integer('item_id').notNull().references(() => followUpItems.id, { onDelete: 'cascade' }),
  at: instant('at').notNull(),
  /** Both set when the entry changes the status, both null for a note alone. */
  statusFrom: text('status_from', { enum: FOLLOW_UP_STATUSES }),
  statusTo: text('status_to', { enum: FOLLOW_UP_STATUSES }),
  note: text('note'),
  links: text('links', { mode: 'json' }).$type<SessionLink[]>(),
  userId: integer('user_id'),
  author: text('author').notNull(),
}, (t) => [
  index('follow_up_notes_item').on(t.itemId, t.at),
  check('follow_up_notes_status', sql`(${t.statusFrom} is null) = (${t.statusTo} is null)`),
]);

export const COMMENT_STATES = ['pending', 'approved', 'hidden'] as const;
export type CommentState = (typeof COMMENT_STATES)[number];

/**
 * One participant's answer about one ended session, from one browser (its key is a hash of a
 * cookie's value, or of the personal agenda's token). A comment is seen by organisers only until
 * one of them approves it; a trigger puts any new or changed comment back to "pending".
 */
export const sessionFeedback = sqliteTable('session_feedback', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  sessionId: integer('session_id').notNull().references(() => sessions.id, { onDelete: 'cascade' }),
  browserHash: text('browser_hash').notNull(),
  rating: integer('rating').notNull(),
  /** "Useful for my work": yes, no, or not answered. */
  useful: integer('useful', { mode: 'boolean' }),
  comment: text('comment'),
  /** Null when there is no comment. */
  commentState: text('comment_state', { enum: COMMENT_STATES }),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
  version: version(),
}, (t) => [
  uniqueIndex('session_feedback_browser').on(t.sessionId, t.browserHash),
  index('session_feedback_event').on(t.eventId, t.sessionId),
  check('session_feedback_rating', sql`${t.rating} between 1 and 5`),
  check('session_feedback_comment_state', sql`${t.commentState} is null or ${t.commentState} in ('pending','approved','hidden')`),
]);
