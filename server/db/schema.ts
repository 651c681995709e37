// Every table of forum-programme. Queries live in the domains that own them.
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const LANGUAGES = ['fr', 'en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Content text in up to three languages; the event's default language is always present. */
export type LocalizedText = Partial<Record<Language, string>>;

export const SESSION_KINDS = ['session', 'plenary', 'workshop', 'panel', 'break', 'registration'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** A link of a session: its address and what it is called. */
export interface SessionLink {
  url: string;
  title: string;
}

/** A language a session is interpreted into, and the receivers' channel that carries it ("2", "EN"), if any. */
export interface Interpretation {
  language: string;
  channel: string | null;
}

export const SESSION_STATUSES = ['confirmed', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const CONTRIBUTOR_ROLES = ['speaker', 'moderator', 'presenter', 'rapporteur'] as const;
export type ContributorRole = (typeof CONTRIBUTOR_ROLES)[number];

const localized = (name: string) => text(name, { mode: 'json' }).$type<LocalizedText>();

// Public ids are what links, feeds and exports carry: they never change once given,
// so every public table has one, independent of the integer key used for joins.
const publicId = () => text('public_id').notNull().unique();

// Instants are stored as UTC milliseconds since the epoch: unambiguous and cheap to compare.
const instant = (name: string) => integer(name, { mode: 'timestamp_ms' });

// Every editable row carries a version that a trigger raises on each change (migration 0004);
// writers name the version they started from, so no edit silently overwrites another.
const version = () => integer('version').notNull().default(1);

export const events = sqliteTable('events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  slug: text('slug').notNull().unique(),
  timezone: text('timezone').notNull(),
  defaultLanguage: text('default_language').$type<Language>().notNull(),
  languages: text('languages', { mode: 'json' }).$type<Language[]>().notNull(),
  title: localized('title').notNull(),
  subtitle: localized('subtitle'),
  description: localized('description'),
  venue: localized('venue'),
  city: text('city'),
  country: text('country'),
  /** Local calendar dates of the event, inclusive (YYYY-MM-DD). */
  startDate: text('start_date').notNull(),
  endDate: text('end_date').notNull(),
  /** Bumped on every change to the event's programme; caches and feeds follow it. */
  revision: integer('revision').notNull().default(1),
  updatedAt: instant('updated_at').notNull(),
  version: version(),
}, (t) => [check('events_dates', sql`${t.startDate} <= ${t.endDate}`)]);

export const parts = sqliteTable('parts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  label: localized('label').notNull(),
  title: localized('title').notNull(),
  /** When set, the part's sessions are expected within these instants; the conflict report says when one is not. */
  startsAt: instant('starts_at'),
  endsAt: instant('ends_at'),
  version: version(),
  // No CHECK on the span: adding one would make SQLite rebuild the table, and the rebuild
  // would drop the calendar triggers of migration 0002. The write service checks it.
}, (t) => [index('parts_event').on(t.eventId, t.position)]);

export const rooms = sqliteTable('rooms', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  name: localized('name').notNull(),
  /** The languages the room's booths interpret into, which its sessions inherit unless they say otherwise. */
  interpretation: text('interpretation', { mode: 'json' }).$type<Interpretation[]>(),
  version: version(),
}, (t) => [index('rooms_event').on(t.eventId, t.position)]);

export const timeSlots = sqliteTable('time_slots', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  startsAt: instant('starts_at').notNull(),
  endsAt: instant('ends_at').notNull(),
  version: version(),
}, (t) => [
  index('time_slots_event').on(t.eventId, t.startsAt),
  check('time_slots_order', sql`${t.startsAt} < ${t.endsAt}`),
]);

export const sessions = sqliteTable('sessions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  partId: integer('part_id').references(() => parts.id, { onDelete: 'set null' }),
  slotId: integer('slot_id').references(() => timeSlots.id, { onDelete: 'set null' }),
  roomId: integer('room_id').references(() => rooms.id, { onDelete: 'set null' }),
  kind: text('kind', { enum: SESSION_KINDS }).notNull(),
  status: text('status', { enum: SESSION_STATUSES }).notNull().default('confirmed'),
  title: localized('title').notNull(),
  /** The agenda lines of the session, one per line. */
  description: localized('description'),
  /** A line under the title (frab's "subtitle"). */
  subtitle: localized('subtitle'),
  /** A paragraph or two on what the session is about (frab's "abstract"); plain text. */
  abstract: localized('abstract'),
  /** The language(s) the session is held in, as BCP 47 tags ("fr", "de, en"); null when it is the event's. */
  language: text('language'),
  /** The languages the session is interpreted into; null: the room's, [] none at all. */
  interpretation: text('interpretation', { mode: 'json' }).$type<Interpretation[]>(),
  /** Further links (slides, recordings, a page elsewhere), in order. */
  links: text('links', { mode: 'json' }).$type<SessionLink[]>(),
  /** Bumped when a field that calendars show changes; becomes the feeds' SEQUENCE. */
  revision: integer('revision').notNull().default(0),
  updatedAt: instant('updated_at').notNull(),
  version: version(),
}, (t) => [
  index('sessions_event').on(t.eventId),
  index('sessions_slot').on(t.slotId),
  check('sessions_kind', sql`${t.kind} in ('session','plenary','workshop','panel','break','registration')`),
  check('sessions_status', sql`${t.status} in ('confirmed','cancelled')`),
]);

export const organisations = sqliteTable('organisations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  name: localized('name').notNull(),
  fullName: localized('full_name'),
  description: localized('description'),
  version: version(),
}, (t) => [index('organisations_event').on(t.eventId)]);

export const people = sqliteTable('people', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  organisationId: integer('organisation_id').references(() => organisations.id, { onDelete: 'set null' }),
  bio: localized('bio'),
  version: version(),
}, (t) => [index('people_event').on(t.eventId)]);

/** Who contributes to a session, in which role: a person, an organisation, or a person of an organisation. */
export const sessionContributors = sqliteTable('session_contributors', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  sessionId: integer('session_id').notNull().references(() => sessions.id, { onDelete: 'cascade' }),
  role: text('role', { enum: CONTRIBUTOR_ROLES }).notNull(),
  personId: integer('person_id').references(() => people.id, { onDelete: 'cascade' }),
  organisationId: integer('organisation_id').references(() => organisations.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
}, (t) => [
  index('session_contributors_session').on(t.sessionId, t.position),
  index('session_contributors_person').on(t.personId),
  index('session_contributors_organisation').on(t.organisationId),
  check('session_contributors_someone', sql`${t.personId} is not null or ${t.organisationId} is not null`),
  check('session_contributors_role', sql`${t.role} in ('speaker','moderator','presenter','rapporteur')`),
]);

/** The forum's expected outputs ("Résultats"). */
export const expectedOutputs = sqliteTable('expected_outputs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  statement: localized('statement').notNull(),
  version: version(),
}, (t) => [index('expected_outputs_event').on(t.eventId, t.position)]);

export const sessionOutputs = sqliteTable('session_outputs', {
  sessionId: integer('session_id').notNull().references(() => sessions.id, { onDelete: 'cascade' }),
  outputId: integer('output_id').notNull().references(() => expectedOutputs.id, { onDelete: 'cascade' }),
}, (t) => [
  primaryKey({ columns: [t.sessionId, t.outputId] }),
  index('session_outputs_output').on(t.outputId),
]);

/**
 * A participant's own selection of sessions, reached only through an unguessable token:
 * no account is needed. Only the token's SHA-256 is stored, so the database alone
 * cannot be used to read or edit anyone's agenda.
 */
export const personalAgendas = sqliteTable('personal_agendas', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  tokenHash: text('token_hash').notNull().unique(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  /** Bumped on every change of the selection; the agenda feed's ETag follows it. */
  revision: integer('revision').notNull().default(1),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
}, (t) => [index('personal_agendas_event').on(t.eventId)]);

export const personalAgendaSessions = sqliteTable('personal_agenda_sessions', {
  agendaId: integer('agenda_id').notNull().references(() => personalAgendas.id, { onDelete: 'cascade' }),
  sessionId: integer('session_id').notNull().references(() => sessions.id, { onDelete: 'cascade' }),
}, (t) => [
  primaryKey({ columns: [t.agendaId, t.sessionId] }),
  index('personal_agenda_sessions_session').on(t.sessionId),
]);

export const USER_ROLES = ['organiser', 'rapporteur'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Organisers and rapporteurs. An organiser with no event organises every event; with one,
 * only that event. A rapporteur's reach is the sessions assigned to them.
 */
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  /** Stored lower-cased: addresses are compared without case. */
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  /** scrypt, with its parameters and salt in the value (see domains/accounts/passwords.ts). */
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: USER_ROLES }).notNull(),
  /** The language the server writes to them in; null: the event's default language. */
  language: text('language').$type<Language>(),
  // No cascade: an event is never deleted from under the people who organise it.
  eventId: integer('event_id').references(() => events.id),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
  version: version(),
}, (t) => [check('users_role', sql`${t.role} in ('organiser','rapporteur')`)]);

/** Signed-in browsers (and API clients that signed in). Only the cookie token's SHA-256 is stored. */
export const loginSessions = sqliteTable('login_sessions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  tokenHash: text('token_hash').notNull().unique(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: instant('created_at').notNull(),
  lastSeenAt: instant('last_seen_at').notNull(),
  expiresAt: instant('expires_at').notNull(),
}, (t) => [index('login_sessions_user').on(t.userId)]);

/** Bearer tokens for scripts. Only the token's SHA-256 is stored; it is shown once, when made. */
export const apiTokens = sqliteTable('api_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: instant('created_at').notNull(),
  lastUsedAt: instant('last_used_at'),
  revokedAt: instant('revoked_at'),
}, (t) => [index('api_tokens_user').on(t.userId)]);

/** Which rapporteur reports on which session. */
export const rapporteurAssignments = sqliteTable('rapporteur_assignments', {
  sessionId: integer('session_id').notNull().references(() => sessions.id, { onDelete: 'cascade' }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: instant('created_at').notNull(),
}, (t) => [
  primaryKey({ columns: [t.sessionId, t.userId] }),
  index('rapporteur_assignments_user').on(t.userId),
]);

export const AUDIT_ACTIONS = ['create', 'update', 'delete'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Every write, with the values before and after. No foreign keys: the history outlives
 * what it describes, and the actor's name is kept as it was at the time.
 */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  eventId: integer('event_id'),
  userId: integer('user_id'),
  actor: text('actor').notNull(),
  at: instant('at').notNull(),
  action: text('action', { enum: AUDIT_ACTIONS }).notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  before: text('before', { mode: 'json' }).$type<Record<string, unknown>>(),
  after: text('after', { mode: 'json' }).$type<Record<string, unknown>>(),
}, (t) => [
  index('audit_log_event').on(t.eventId, t.id),
  index('audit_log_entity').on(t.entityId),
]);

/**
 * The released versions of an event's programme. Organisers edit the tables above (the
 * working copy); the public pages, the read API and the feeds show the latest release.
 * A release keeps the whole programme as it was released, so that what participants saw
 * can always be shown and compared again, whatever is edited later.
 */
export const releases = sqliteTable('releases', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  /** 1 for the event's first release, then 2, 3…: what feeds and caches follow. */
  sequence: integer('sequence').notNull(),
  /** The organisers' name for it ("1", "1.1", "Final"), unique within the event. */
  name: text('name').notNull(),
  note: localized('note'),
  releasedAt: instant('released_at').notNull(),
  userId: integer('user_id'),
  /** Who released it, by name as it was then (like the audit log). */
  actor: text('actor').notNull(),
  /** Every row of the programme as released (JSON of ProgrammeRows; see domains/releases/snapshot.ts). */
  snapshot: text('snapshot').notNull(),
  /** What this release changed for participants since the previous one (domains/releases/changelog.ts). */
  changes: text('changes', { mode: 'json' }).$type<unknown[]>().notNull(),
}, (t) => [
  uniqueIndex('releases_event_sequence').on(t.eventId, t.sequence),
  uniqueIndex('releases_event_name').on(t.eventId, t.name),
]);

export const CONCLUSION_STATES = ['draft', 'submitted', 'validated', 'published'] as const;
export type ConclusionState = (typeof CONCLUSION_STATES)[number];

/** What a rapporteur writes about a session (domains/conclusions/schemas.ts describes each field). */
export interface ConclusionContent {
  language: Language;
  summary: string;
  keyPoints: string[];
  challenges: string;
  recommendations: { text: string; outputs: string[] }[];
  followUps: { action: string; owner: string; due: string | null }[];
  participants: number | null;
}

/**
 * The conclusions of one session: where their workflow stands, and which revision is public.
 * The text itself lives in the revisions; `revision` names the latest.
 */
export const conclusions = sqliteTable('conclusions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  // No cascade: a session with conclusions cannot be deleted from under its rapporteurs' words.
  sessionId: integer('session_id').notNull().unique().references(() => sessions.id),
  state: text('state', { enum: CONCLUSION_STATES }).notNull(),
  /** The number of the latest revision: what every save and transition names as its base. */
  revision: integer('revision').notNull(),
  /** The revision the public sees, once published; it stays public while a new draft is written. */
  publishedRevision: integer('published_revision'),
  publishedAt: instant('published_at'),
  /** Why an organiser sent the conclusions back, until the next submission. */
  returnComment: text('return_comment'),
  updatedAt: instant('updated_at').notNull(),
}, (t) => [
  index('conclusions_event').on(t.eventId),
  check('conclusions_state', sql`${t.state} in ('draft','submitted','validated','published')`),
]);

/** Every save of a session's conclusions, never changed or deleted: author, time and content. */
export const conclusionRevisions = sqliteTable('conclusion_revisions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  conclusionId: integer('conclusion_id').notNull().references(() => conclusions.id, { onDelete: 'cascade' }),
  /** 1, 2, 3… within the conclusions. */
  number: integer('number').notNull(),
  content: text('content', { mode: 'json' }).$type<ConclusionContent>().notNull(),
  // Like the audit log: no foreign key, and the author's name as it was then.
  userId: integer('user_id'),
  author: text('author').notNull(),
  createdAt: instant('created_at').notNull(),
  /** Set when this revision restores an older one. */
  restoredFrom: integer('restored_from'),
}, (t) => [uniqueIndex('conclusion_revisions_number').on(t.conclusionId, t.number)]);

/**
 * A save refused because it started from an old revision (another tab, a co-rapporteur).
 * Its text is kept here, so that it can still be read and restored once the page is closed.
 */
export const conclusionConflicts = sqliteTable('conclusion_conflicts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  conclusionId: integer('conclusion_id').notNull().references(() => conclusions.id, { onDelete: 'cascade' }),
  /** The revision the refused save started from, and the one it met. */
  baseRevision: integer('base_revision').notNull(),
  currentRevision: integer('current_revision').notNull(),
  content: text('content', { mode: 'json' }).$type<ConclusionContent>().notNull(),
  userId: integer('user_id'),
  author: text('author').notNull(),
  createdAt: instant('created_at').notNull(),
}, (t) => [index('conclusion_conflicts_conclusion').on(t.conclusionId)]);


// Tables in files of their own, re-exported here: staged imports; messages, contacts and webhooks;
// what comes after the forum (follow-up of recommendations, participants' feedback).
export * from './schema-imports.ts';
export * from './schema-messages.ts';
export * from './schema-after.ts';
