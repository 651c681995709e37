// Request and response schemas of the follow-up of recommendations and actions: what the API
// validates, and what the workspace's and the rapporteurs' forms are checked against.
import { Type, type Static } from 'typebox';
import { FOLLOW_UP_KINDS, FOLLOW_UP_STATUSES, LANGUAGES } from '../../db/schema.ts';
import { WEB_URL_PATTERN } from '../programme/resources/session.ts';
import { DateTimeOutput, Localized, Nullable, PublicId, Slug } from '../programme/schemas.ts';

const strict = { additionalProperties: false } as const;

export const FOLLOW_UP_LIMITS = {
  note: 4000,
  links: 10,
  linkTitle: 200,
  linkUrl: 2000,
  /** Due dates: calendar dates of these years only. */
  firstYear: 2000,
  lastYear: 2100,
  /** The organisers' view of stalled outputs: "still proposed N months after publication". */
  maxMonths: 120,
  /** Entries of the Atom feed. */
  feedEntries: 200,
} as const;

/**
 * An item's address among a session's published conclusions: "r1" is the first recommendation,
 * "a2" the second follow-up action. With the session's id it names the item everywhere.
 */
export const ITEM_PATTERN = '^[ra][1-9][0-9]{0,2}$';
export const ItemRef = Type.String({ pattern: ITEM_PATTERN, maxLength: 4, description: '"r1" for the first recommendation, "a1" for the first follow-up action' });

export const FollowUpParams = Type.Object({ slug: Slug, id: PublicId, item: ItemRef });

export const FollowUpStatus = Type.Enum(FOLLOW_UP_STATUSES, { description: 'proposed, adopted, in-progress, done or dropped' });

const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, format: 'date' });
const NoteText = Type.String({ minLength: 1, maxLength: FOLLOW_UP_LIMITS.note, pattern: '\\S', description: 'What was done, plain text' });

export const EvidenceLink = Type.Object({
  url: Type.String({ format: 'uri', pattern: WEB_URL_PATTERN, maxLength: FOLLOW_UP_LIMITS.linkUrl, description: 'An http or https address' }),
  title: Type.String({ minLength: 1, maxLength: FOLLOW_UP_LIMITS.linkTitle }),
}, strict);
const Links = Type.Array(EvidenceLink, { maxItems: FOLLOW_UP_LIMITS.links, description: 'Links to evidence, in order' });

export const OwnerRef = Nullable(Type.Union([
  Type.Object({ person: PublicId }, strict),
  Type.Object({ organisation: PublicId }, strict),
], { description: 'A person or an organisation of the event, never both; null: nobody' }));

export const FollowUpPatch = Type.Object({
  status: Type.Optional(FollowUpStatus),
  owner: Type.Optional(OwnerRef),
  due: Type.Optional(Nullable(LocalDate)),
  note: Type.Optional(NoteText),
  links: Type.Optional(Links),
}, { ...strict, minProperties: 1 });
export type FollowUpPatchBody = Static<typeof FollowUpPatch>;

export const FollowUpNotePost = Type.Object({ note: NoteText, links: Type.Optional(Links) }, strict);
export type FollowUpNoteBody = Static<typeof FollowUpNotePost>;

const NoteOut = Type.Object({
  id: PublicId,
  at: DateTimeOutput,
  statusFrom: Nullable(FollowUpStatus),
  statusTo: Nullable(FollowUpStatus),
  note: Nullable(Type.String()),
  links: Type.Array(Type.Object({ url: Type.String(), title: Type.String() })),
  author: Type.String(),
});

export const FollowUpItemOut = Type.Object({
  id: Type.String({ description: 'The session\'s id and the item\'s place: "<session>-r1"' }),
  session: Type.Object({ id: PublicId, title: Localized(300) }),
  kind: Type.Enum(FOLLOW_UP_KINDS),
  number: Type.Integer({ minimum: 1 }),
  text: Type.String(),
  language: Type.Enum(LANGUAGES),
  outputs: Type.Array(PublicId, { description: 'The expected outputs a recommendation serves (released ones); an action\'s session\'s outputs' }),
  status: FollowUpStatus,
  owner: Nullable(Type.Object({ kind: Type.Enum(['person', 'organisation']), id: PublicId, name: Type.String() })),
  proposedOwner: Nullable(Type.String({ description: 'Who the rapporteur wrote would do an action' })),
  due: Nullable(Type.String({ format: 'date' })),
  overdue: Type.Boolean({ description: 'Due before today (in the event\'s zone) and neither done nor dropped' }),
  publishedAt: DateTimeOutput,
  statusChangedAt: Nullable(DateTimeOutput),
  textChanged: Type.Boolean({ description: 'The published wording changed since the follow-up started' }),
  version: Type.Integer({ minimum: 0, description: 'Send it back as If-Match: "<version>"; 0 before the first update' }),
  url: Type.String(),
  notes: Type.Array(NoteOut, { description: 'Oldest first' }),
});
export const FollowUpList = Type.Object({ items: Type.Array(FollowUpItemOut) });
export const FollowUpWritten = Type.Object({ data: FollowUpItemOut });
