// Every table of forum-programme. Queries live in the domains that own them.
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const LANGUAGES = ['fr', 'en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Content text in up to three languages; the event's default language is always present. */
export type LocalizedText = Partial<Record<Language, string>>;

export const SESSION_KINDS = ['session', 'plenary', 'workshop', 'panel', 'break', 'registration'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

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
}, (t) => [check('events_dates', sql`${t.startDate} <= ${t.endDate}`)]);

export const parts = sqliteTable('parts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  label: localized('label').notNull(),
  title: localized('title').notNull(),
}, (t) => [index('parts_event').on(t.eventId, t.position)]);

export const rooms = sqliteTable('rooms', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  name: localized('name').notNull(),
}, (t) => [index('rooms_event').on(t.eventId, t.position)]);

export const timeSlots = sqliteTable('time_slots', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  startsAt: instant('starts_at').notNull(),
  endsAt: instant('ends_at').notNull(),
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
  /** Bumped when a field that calendars show changes; becomes the feeds' SEQUENCE. */
  revision: integer('revision').notNull().default(0),
  updatedAt: instant('updated_at').notNull(),
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
}, (t) => [index('organisations_event').on(t.eventId)]);

export const people = sqliteTable('people', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  eventId: integer('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  organisationId: integer('organisation_id').references(() => organisations.id, { onDelete: 'set null' }),
  bio: localized('bio'),
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
