// Request and response schemas of releases: the public history and the organisers' "release".
import { Type } from 'typebox';
import { DateTimeOutput, Localized, Nullable, PublicId } from '../programme/schemas.ts';
import { CHANGE_TYPES, CHANGED_FIELDS } from './changelog.ts';


const Placement = {
  start: Nullable(DateTimeOutput),
  end: Nullable(DateTimeOutput),
  room: Nullable(Type.Object({ id: PublicId, name: Localized(200) })),
};

const ReleaseChange = Type.Object({
  type: Type.Enum(CHANGE_TYPES, { description: 'new, moved (time or room), changed (anything else participants see), cancelled' }),
  session: Type.Object({ id: PublicId, title: Localized(300), ...Placement }, { description: 'The session as this release shows it' }),
  before: Type.Optional(Type.Object(Placement, { description: 'For a moved session: its time and room in the previous release' })),
  fields: Type.Optional(Type.Array(Type.Enum(CHANGED_FIELDS), { description: 'What else changed' })),
  details: Type.Optional(Type.Object({
    part: Type.Optional(Type.Object({ before: Nullable(Localized(200)), after: Nullable(Localized(200)) }, { description: "The part's label before and after (null: no part)" })),
    outputs: Type.Optional(Type.Object({ added: Type.Array(PublicId), removed: Type.Array(PublicId) }, { description: 'Expected outputs the session serves now, and no longer' })),
  }, { description: 'For part and outputs among the fields: what changed about them (absent in releases made before it was recorded)' })),
});

const Label = Type.Object({ label: Localized(200), title: Localized(300) });
const Statement = Type.Object({ statement: Localized(1000) });
const ItemEdit = Type.Union([
  Type.Object({ type: Type.Literal('renamed'), kind: Type.Literal('part'), id: PublicId, before: Label, after: Label }),
  Type.Object({ type: Type.Literal('renamed'), kind: Type.Literal('output'), id: PublicId, before: Statement, after: Statement }),
], { description: 'A part renamed or an expected output reworded: told once, not as a change of each session showing it' });

export const ReleaseOut = Type.Object({
  id: PublicId,
  sequence: Type.Integer({ minimum: 1, description: '1 for the first release, then 2, 3…' }),
  name: Type.String(),
  note: Nullable(Localized(2000)),
  releasedAt: DateTimeOutput,
  counts: Type.Object({ new: Type.Integer(), moved: Type.Integer(), changed: Type.Integer(), cancelled: Type.Integer() }),
  changes: Type.Array(ReleaseChange),
  edits: Type.Array(ItemEdit),
});

export const ReleaseList = Type.Object({ releases: Type.Array(ReleaseOut, { description: 'Newest first' }) });

export const RELEASE_NAME_MAX = 60;

export const ReleaseCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: RELEASE_NAME_MAX, pattern: '^[^\\x00-\\x1f\\x7f]*\\S[^\\x00-\\x1f\\x7f]*$', description: 'The version name participants see ("2", "1.1", "Final"); unique within the event' }),
  note: Type.Optional(Nullable(Localized(2000))),
}, { additionalProperties: false });
