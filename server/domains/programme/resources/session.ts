// Sessions: the one description of a session's fields. Its content columns are what an edit,
// a copy, an import and an export carry; its visible fields are what the changelog compares and
// what calendars show. A field added here reaches every one of them, or fails the type check.
import { Type } from 'typebox';
import { CONTRIBUTOR_ROLES, SESSION_KINDS, SESSION_STATUSES, type SessionLink } from '../../../db/schema.ts';
import { toZonedIso } from '../../../time.ts';
import type { ProgrammeSession } from '../assemble.ts';
import { sessionsWithConclusions, type RowOf } from '../items.ts';
import { DateTimeInput, DateTimeOutput, Nullable, PublicId, strict } from '../schemas.ts';
import { outSchemaOf, inputSchema, type FieldSpecs } from './fields.ts';
import type { Representation, Resource } from './resource.ts';

export type SessionRow = RowOf<'session'>;

/** BCP 47 tags ("fr", "pt-BR"), one or more, separated by commas ("de, en"). */
export const LANGUAGE_TAGS_PATTERN = '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*(, ?[a-z]{2,3}(-[A-Za-z0-9]{1,8})*)*$';
/** An absolute http(s) address with a host and no white space. */
export const WEB_URL_PATTERN = '^https?://[^\\s/?#]+([/?#][^\\s]*)?$';
export const LINKS_MAX = 20;

/**
 * The columns that hold what a session says (not where or when it is, nor who takes part):
 * copied by "duplicate", written by every import, exported whole.
 */
export const SESSION_CONTENT = ['kind', 'status', 'title', 'subtitle', 'abstract', 'description', 'language', 'interpretation', 'links'] as const;
export type SessionContentField = (typeof SESSION_CONTENT)[number];
export type SessionContent = Pick<SessionRow, SessionContentField>;

/** A session's content, column by column: whatever is added to SESSION_CONTENT is carried too. */
export function contentOf(row: SessionContent): SessionContent {
  return Object.fromEntries(SESSION_CONTENT.map((field) => [field, row[field]])) as SessionContent;
}

/**
 * What participants see of a session besides its time and room, field by field; "calendar"
 * marks what a calendar entry shows, so that a change to it raises the entry's SEQUENCE (the
 * triggers of migrations/0002, 0009 and 0011 watch the same columns; a test keeps the two in
 * step). The order is the order the changelog names changes in. The interpretation compared is
 * the one participants get (the session's own, else its room's).
 */
export const SESSION_VISIBLE = {
  title: 'calendar',
  subtitle: 'page',
  description: 'calendar',
  abstract: 'calendar',
  kind: 'calendar',
  part: 'calendar',
  contributors: 'calendar',
  outputs: 'calendar',
  status: 'calendar',
  language: 'page',
  interpretation: 'calendar',
  links: 'calendar',
} as const satisfies Record<string, 'calendar' | 'page'>;
export type VisibleField = keyof typeof SESSION_VISIBLE;

const Contributor = Type.Object({
  role: Type.Enum(CONTRIBUTOR_ROLES),
  person: Type.Optional(Nullable(PublicId)),
  organisation: Type.Optional(Nullable(PublicId)),
}, { ...strict, description: 'A person, an organisation, or a person on behalf of an organisation' });

const SessionLinkSchema = Type.Object({
  url: Type.String({ format: 'uri', pattern: WEB_URL_PATTERN, maxLength: 2000, description: 'An http or https address' }),
  title: Type.String({ minLength: 1, maxLength: 200 }),
}, strict);
const Links = Nullable(Type.Array(SessionLinkSchema, { maxItems: LINKS_MAX, description: 'Further links (slides, recordings…), in order; an empty list is stored as null' }));
const Outputs = Type.Array(PublicId, { maxItems: 100, uniqueItems: true });

export const SESSION_FIELDS = {
  kind: { type: 'enum', values: SESSION_KINDS },
  status: { type: 'enum', values: SESSION_STATUSES, description: 'Cancel a session rather than delete it: subscribed calendars then learn of it' },
  title: { type: 'localized', max: 300, required: true },
  subtitle: { type: 'localized', max: 300, nullable: true },
  abstract: { type: 'localized', max: 10000, nullable: true, multiline: true, description: 'Plain text; paragraphs are separated by a blank line' },
  description: { type: 'localized', max: 10000, nullable: true, multiline: true },
  language: {
    type: 'text', max: 50, nullable: true, pattern: LANGUAGE_TAGS_PATTERN,
    description: 'The language(s) the session is held in, as BCP 47 tags separated by commas ("fr", "de, en"), stored as "de, en"; null: the event\'s default language',
  },
  interpretation: {
    type: 'interpretation', nullable: true,
    description: 'The languages the session is interpreted into, each with the receivers\' channel if any (at most 10, each language once); null: its room\'s; an empty list: none, whatever its room has',
  },
  links: { type: 'custom', input: Links, output: Links },
  part: { type: 'reference', to: 'part', column: 'partId', nullable: true },
  slot: { type: 'reference', to: 'slot', column: 'slotId', nullable: true },
  room: { type: 'reference', to: 'room', column: 'roomId', nullable: true },
  contributors: {
    type: 'custom',
    input: Type.Array(Contributor, { maxItems: 200 }),
    output: Type.Array(Type.Object({ role: Type.Enum(CONTRIBUTOR_ROLES), person: Nullable(PublicId), organisation: Nullable(PublicId) })),
  },
  outputs: { type: 'custom', input: Outputs, output: Outputs },
} satisfies FieldSpecs;

/** A session is placed with a time slot, or with a start and an end (the slot is found or made). */
const times = { start: Type.Optional(DateTimeInput), end: Type.Optional(DateTimeInput) };
const optional = Object.fromEntries(Object.entries(SESSION_FIELDS).map(([name, spec]) => [name, Type.Optional(inputSchema(spec))]));

export const sessionSchemas = {
  create: Type.Object({ ...optional, title: inputSchema(SESSION_FIELDS.title), ...times }, {
    ...strict, description: 'Place the session with `slot`, or with `start` and `end` (the time slot is found or made)',
  }),
  patch: Type.Object({ ...optional, ...times }, strict),
  out: outSchemaOf(SESSION_FIELDS, { start: Nullable(DateTimeOutput), end: Nullable(DateTimeOutput) }),
};

/** A session as the API answers with it, from the assembled programme, which has resolved every reference. */
export function sessionRepresentation(s: ProgrammeSession, zone: string): Representation {
  const zoned = (instant: Date | null | undefined) => (instant ? toZonedIso(instant, zone) : null);
  return {
    id: s.publicId,
    ...contentOf(s.row),
    links: s.row.links as SessionLink[] | null,
    part: s.part?.publicId ?? null,
    slot: s.slot?.publicId ?? null,
    room: s.room?.publicId ?? null,
    contributors: s.contributors.map((c) => ({ role: c.role, person: c.person?.publicId ?? null, organisation: c.organisation?.publicId ?? null })),
    outputs: s.outputs.map((o) => o.publicId),
    start: zoned(s.slot?.startsAt),
    end: zoned(s.slot?.endsAt),
    version: s.row.version,
  };
}

export const session: Resource<'session'> = {
  kind: 'session',
  fields: SESSION_FIELDS,
  schemas: sessionSchemas,
  positioned: false,
  // Rapporteurs' words are never lost: a session with conclusions is cancelled, never deleted.
  inUse: (db, _event, row) => (sessionsWithConclusions(db, [row.id]).length > 0 ? { reason: 'conclusions', sessions: [row.publicId] } : null),
  represent: (programme, row) => sessionRepresentation(programme.sessions.find((s) => s.row.id === row.id)!, programme.event.timezone),
};
