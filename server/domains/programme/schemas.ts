// Request and response schemas of the write API. Every string has a maximum length, every id
// a pattern, and unknown fields are refused (additionalProperties: false, strict scope).
import { Type, type Static, type TSchema } from 'typebox';
import { AUDIT_ACTIONS, CONTRIBUTOR_ROLES, LANGUAGES, SESSION_KINDS, SESSION_STATUSES } from '../../db/schema.ts';

/** An event's address: lower-case words joined by dashes. */
export const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** Public ids are UUIDs: what links, feeds and exports carry. */
export const PUBLIC_ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const strict = { additionalProperties: false } as const;

export const Slug = Type.String({ pattern: SLUG_PATTERN, maxLength: 60 });
export const PublicId = Type.String({ pattern: PUBLIC_ID_PATTERN, maxLength: 36 });
const Lang = Type.Enum(LANGUAGES);
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Content text in fr/en/es; the event's default language is required where the field is. */
export const Localized = (maxLength: number, description?: string) => Type.Object({
  fr: Type.Optional(Type.String({ minLength: 1, maxLength })),
  en: Type.Optional(Type.String({ minLength: 1, maxLength })),
  es: Type.Optional(Type.String({ minLength: 1, maxLength })),
}, { ...strict, minProperties: 1, ...(description ? { description } : {}) });

/**
 * A time of the event: local wall-clock time in the event's zone ("2019-11-12T09:00"), or an
 * instant with its offset ("2019-11-12T09:00:00+02:00"). Answers always carry the offset.
 */
export const DateTimeInput = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?(Z|[+-]\\d{2}:\\d{2})?$',
  maxLength: 25,
  description: 'Local time of the event ("2019-11-12T09:00") or ISO 8601 with an offset',
});
export const DateTimeOutput = Type.String({ format: 'date-time', description: 'ISO 8601 with the event\'s UTC offset' });
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, format: 'date' });
const Position = Type.Integer({ minimum: 0, maximum: 100000 });
const Version = Type.Integer({ minimum: 1, description: 'Send it back as If-Match: "<version>" to change or delete this' });

export const EventParams = Type.Object({ slug: Slug });
export const ItemParams = Type.Object({ slug: Slug, id: PublicId });
export const AssignmentParams = Type.Object({ slug: Slug, id: PublicId, userId: PublicId });

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 200, description: 'The ETag of the version the change starts from' })),
});

// ---- Events

const eventFields = {
  title: Localized(300),
  subtitle: Nullable(Localized(300)),
  description: Nullable(Localized(20000)),
  venue: Nullable(Localized(300)),
  city: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
  country: Nullable(Type.String({ pattern: '^[A-Z]{2}$', maxLength: 2 })),
  timezone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, such as Africa/Johannesburg' }),
  defaultLanguage: Lang,
  languages: Type.Array(Lang, { minItems: 1, maxItems: 3, uniqueItems: true }),
  startDate: LocalDate,
  endDate: LocalDate,
};

export const EventCreate = Type.Object({
  slug: Slug,
  ...eventFields,
  subtitle: Type.Optional(eventFields.subtitle),
  description: Type.Optional(eventFields.description),
  venue: Type.Optional(eventFields.venue),
  city: Type.Optional(eventFields.city),
  country: Type.Optional(eventFields.country),
  languages: Type.Optional(eventFields.languages),
}, strict);
export const EventPatch = Type.Partial(Type.Object(eventFields), strict);
export const EventOut = Type.Object({ id: PublicId, slug: Slug, ...eventFields, version: Version });

// ---- Parts, rooms, time slots, expected outputs

export const PartCreate = Type.Object({
  label: Localized(200),
  title: Localized(300),
  position: Type.Optional(Position),
  start: Type.Optional(Nullable(DateTimeInput)),
  end: Type.Optional(Nullable(DateTimeInput)),
}, strict);
export const PartPatch = Type.Partial(PartCreate, strict);
export const PartOut = Type.Object({
  id: PublicId, position: Position, label: Localized(200), title: Localized(300),
  start: Nullable(DateTimeOutput), end: Nullable(DateTimeOutput), version: Version,
});

export const RoomCreate = Type.Object({ name: Localized(200), position: Type.Optional(Position) }, strict);
export const RoomPatch = Type.Partial(RoomCreate, strict);
export const RoomOut = Type.Object({ id: PublicId, position: Position, name: Localized(200), version: Version });

export const SlotCreate = Type.Object({ start: DateTimeInput, end: DateTimeInput }, strict);
export const SlotPatch = Type.Partial(SlotCreate, strict);
export const SlotOut = Type.Object({ id: PublicId, start: DateTimeOutput, end: DateTimeOutput, version: Version });

export const OutputCreate = Type.Object({ statement: Localized(1000), position: Type.Optional(Position) }, strict);
export const OutputPatch = Type.Partial(OutputCreate, strict);
export const OutputOut = Type.Object({ id: PublicId, position: Position, statement: Localized(1000), version: Version });

// ---- Organisations and people

export const OrganisationCreate = Type.Object({
  name: Localized(200),
  fullName: Type.Optional(Nullable(Localized(300))),
  description: Type.Optional(Nullable(Localized(5000))),
}, strict);
export const OrganisationPatch = Type.Partial(OrganisationCreate, strict);
export const OrganisationOut = Type.Object({
  id: PublicId, name: Localized(200), fullName: Nullable(Localized(300)), description: Nullable(Localized(5000)), version: Version,
});

export const PersonCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  organisation: Type.Optional(Nullable(PublicId)),
  bio: Type.Optional(Nullable(Localized(5000))),
}, strict);
export const PersonPatch = Type.Partial(PersonCreate, strict);
export const PersonOut = Type.Object({
  id: PublicId, name: Type.String(), organisation: Nullable(PublicId), bio: Nullable(Localized(5000)), version: Version,
});

// ---- Sessions

const Contributor = Type.Object({
  role: Type.Enum(CONTRIBUTOR_ROLES),
  person: Type.Optional(Nullable(PublicId)),
  organisation: Type.Optional(Nullable(PublicId)),
}, { ...strict, description: 'A person, an organisation, or a person on behalf of an organisation' });

/** BCP 47 tags ("fr", "pt-BR"), one or more, separated by commas ("de, en"). */
export const LANGUAGE_TAGS_PATTERN = '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*(, ?[a-z]{2,3}(-[A-Za-z0-9]{1,8})*)*$';
/** An absolute http(s) address with a host and no white space. */
export const WEB_URL_PATTERN = '^https?://[^\\s/?#]+([/?#][^\\s]*)?$';

const SessionLink = Type.Object({
  url: Type.String({ format: 'uri', pattern: WEB_URL_PATTERN, maxLength: 2000, description: 'An http or https address' }),
  title: Type.String({ minLength: 1, maxLength: 200 }),
}, strict);

const sessionFields = {
  kind: Type.Enum(SESSION_KINDS),
  status: Type.Enum(SESSION_STATUSES, { description: 'Cancel a session rather than delete it: subscribed calendars then learn of it' }),
  title: Localized(300),
  description: Nullable(Localized(10000)),
  subtitle: Nullable(Localized(300)),
  abstract: Nullable(Localized(10000, 'Plain text; paragraphs are separated by a blank line')),
  language: Nullable(Type.String({
    pattern: LANGUAGE_TAGS_PATTERN, maxLength: 50,
    description: 'The language(s) the session is held in, as BCP 47 tags separated by commas ("fr", "de, en"), stored as "de, en"; null: the event\'s default language',
  })),
  links: Nullable(Type.Array(SessionLink, { maxItems: 20, description: 'Further links (slides, recordings…), in order; an empty list is stored as null' })),
  part: Nullable(PublicId),
  slot: Nullable(PublicId),
  room: Nullable(PublicId),
  contributors: Type.Array(Contributor, { maxItems: 200 }),
  outputs: Type.Array(PublicId, { maxItems: 100, uniqueItems: true }),
};

const sessionTimes = {
  start: Type.Optional(DateTimeInput),
  end: Type.Optional(DateTimeInput),
};

export const SessionCreate = Type.Object({
  ...sessionFields,
  kind: Type.Optional(sessionFields.kind),
  status: Type.Optional(sessionFields.status),
  description: Type.Optional(sessionFields.description),
  subtitle: Type.Optional(sessionFields.subtitle),
  abstract: Type.Optional(sessionFields.abstract),
  language: Type.Optional(sessionFields.language),
  links: Type.Optional(sessionFields.links),
  part: Type.Optional(sessionFields.part),
  slot: Type.Optional(sessionFields.slot),
  room: Type.Optional(sessionFields.room),
  contributors: Type.Optional(sessionFields.contributors),
  outputs: Type.Optional(sessionFields.outputs),
  ...sessionTimes,
}, { ...strict, description: 'Place the session with `slot`, or with `start` and `end` (the time slot is found or made)' });
export const SessionPatch = Type.Object({
  ...Type.Partial(Type.Object(sessionFields)).properties,
  ...sessionTimes,
}, strict);
export const SessionOut = Type.Object({
  id: PublicId,
  ...sessionFields,
  contributors: Type.Array(Type.Object({ role: Type.Enum(CONTRIBUTOR_ROLES), person: Nullable(PublicId), organisation: Nullable(PublicId) })),
  start: Nullable(DateTimeOutput),
  end: Nullable(DateTimeOutput),
  version: Version,
});

// ---- Rapporteur assignments

export const AssignmentCreate = Type.Object({ user: PublicId }, strict);
export const AssignmentOut = Type.Object({
  session: PublicId,
  user: Type.Object({ id: PublicId, name: Type.String(), email: Type.String() }),
  assignedAt: Type.String({ format: 'date-time' }),
});

// ---- Conflicts, audit

export const ConflictOut = Type.Object({
  type: Type.Enum(['contributor-double-booked', 'room-double-booked', 'slot-outside-event', 'session-outside-part']),
  message: Type.String(),
  sessions: Type.Array(Type.Object({ id: PublicId, title: Localized(300) })),
  contributor: Type.Optional(Type.Object({ kind: Type.Enum(['person', 'organisation']), id: PublicId, name: Type.String() })),
  room: Type.Optional(Type.Object({ id: PublicId, name: Localized(200) })),
  slot: Type.Optional(Type.Object({ id: PublicId, start: DateTimeOutput, end: DateTimeOutput })),
  part: Type.Optional(Type.Object({ id: PublicId, label: Localized(200) })),
});
export const ConflictList = Type.Object({ conflicts: Type.Array(ConflictOut) });

/** What a write answers: the entity as it now is, and the conflicts the write caused. */
export const written = <T extends TSchema>(entity: T) => Type.Object({ data: entity, warnings: Type.Array(ConflictOut) });

export const AuditQuery = Type.Object({
  entity: Type.Optional(Type.Enum(['event', 'part', 'room', 'slot', 'session', 'organisation', 'person', 'output', 'assignment', 'release', 'conclusions', 'import'])),
  entityId: Type.Optional(PublicId),
  user: Type.Optional(PublicId),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'Entries older than this entry id (paging)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
}, strict);
export const AuditOut = Type.Object({
  entries: Type.Array(Type.Object({
    id: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    actor: Type.Object({ id: Nullable(PublicId), name: Type.String() }),
    action: Type.Enum(AUDIT_ACTIONS),
    entity: Type.String(),
    entityId: Type.String(),
    before: Nullable(Type.Object({}, { additionalProperties: true })),
    after: Nullable(Type.Object({}, { additionalProperties: true })),
  })),
  next: Nullable(Type.Integer({ description: 'Pass as ?before= for older entries' })),
});

export type EventCreateBody = Static<typeof EventCreate>;
export type EventPatchBody = Static<typeof EventPatch>;
export type PartCreateBody = Static<typeof PartCreate>;
export type PartPatchBody = Static<typeof PartPatch>;
export type RoomPatchBody = Static<typeof RoomPatch>;
export type SlotPatchBody = Static<typeof SlotPatch>;
export type OutputPatchBody = Static<typeof OutputPatch>;
export type OrganisationPatchBody = Static<typeof OrganisationPatch>;
export type PersonPatchBody = Static<typeof PersonPatch>;
export type SessionPatchBody = Static<typeof SessionPatch>;
