// Request and response schemas of conclusions and the consolidated report.
import { Type, type Static } from 'typebox';
import { DateTimeOutput, Localized, Nullable, PublicId, Slug } from '../programme/schemas.ts';
import { CONCLUSION_STATES, FOLLOW_UP_STATUSES, LANGUAGES } from '../../db/schema.ts';

const strict = { additionalProperties: false } as const;

/** Limits of what one session's conclusions may hold: generous for a report, bounded for the server. */
export const LIMITS = {
  summary: 20000,
  challenges: 20000,
  item: 4000,
  keyPoints: 50,
  recommendations: 50,
  followUps: 50,
  action: 2000,
  owner: 300,
  comment: 2000,
} as const;

const Markdown = (maxLength: number) => Type.String({ maxLength, description: 'Markdown; HTML in it is shown as text' });
const Item = Type.String({ minLength: 1, maxLength: LIMITS.item, pattern: '\\S', description: 'Markdown; HTML in it is shown as text' });
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, format: 'date' });

export const Recommendation = Type.Object({
  text: Item,
  outputs: Type.Array(PublicId, { maxItems: 100, uniqueItems: true, description: "The event's expected outputs this recommendation serves (at least one when the event has any)" }),
}, strict);

export const FollowUp = Type.Object({
  action: Type.String({ minLength: 1, maxLength: LIMITS.action, pattern: '\\S', description: 'What is to be done (Markdown)' }),
  owner: Type.String({ maxLength: LIMITS.owner, description: 'Who does it; may be empty' }),
  due: Nullable(LocalDate),
}, strict);

export const ConclusionContent = Type.Object({
  language: Type.Enum(LANGUAGES, { description: 'The language the conclusions are written in' }),
  summary: Markdown(LIMITS.summary),
  keyPoints: Type.Array(Item, { maxItems: LIMITS.keyPoints }),
  challenges: Markdown(LIMITS.challenges),
  recommendations: Type.Array(Recommendation, { maxItems: LIMITS.recommendations }),
  followUps: Type.Array(FollowUp, { maxItems: LIMITS.followUps }),
  participants: Nullable(Type.Integer({ minimum: 0, maximum: 1000000, description: 'How many took part in the session' })),
}, strict);

const BaseRevision = Type.Integer({ minimum: 0, maximum: 1000000, description: 'The revision this save started from: 0 when there are no conclusions yet' });

export const ConclusionSave = Type.Object({
  baseRevision: BaseRevision,
  content: ConclusionContent,
  submit: Type.Optional(Type.Boolean({ description: 'Submit for validation in the same step' })),
}, strict);
export type ConclusionSaveBody = Static<typeof ConclusionSave>;

export const RestoreBody = Type.Object({ baseRevision: BaseRevision }, strict);

export const TRANSITIONS = ['submit', 'validate', 'return', 'publish', 'unpublish'] as const;
export type Transition = (typeof TRANSITIONS)[number];

export const TransitionBody = Type.Object({
  action: Type.Enum(TRANSITIONS, {
    description: 'submit (rapporteur or organiser): draft → submitted; validate: submitted → validated; return (with a comment): back to draft; publish: validated → published; unpublish: published → validated',
  }),
  revision: Type.Integer({ minimum: 1, description: 'The latest revision, as read: what is submitted, validated or published' }),
  comment: Type.Optional(Type.String({ maxLength: LIMITS.comment, description: 'Why the conclusions are sent back (required to return them)' })),
}, strict);
export type TransitionRequest = Static<typeof TransitionBody>;

export const SessionParams = Type.Object({ slug: Slug, id: PublicId });
export const RevisionParams = Type.Object({ slug: Slug, id: PublicId, number: Type.Integer({ minimum: 1, maximum: 1000000 }) });

const Author = Type.Object({ id: Nullable(PublicId), name: Type.String() });

export const RevisionOut = Type.Object({
  number: Type.Integer({ minimum: 1 }),
  author: Author,
  createdAt: DateTimeOutput,
  restoredFrom: Nullable(Type.Integer()),
  content: ConclusionContent,
});

export const ConflictCopyOut = Type.Object({
  id: PublicId,
  baseRevision: Type.Integer(),
  currentRevision: Type.Integer(),
  author: Author,
  createdAt: DateTimeOutput,
  content: ConclusionContent,
}, { description: 'A save refused because it started from an old revision, kept so that its text is not lost' });

const SessionRef = Type.Object({ id: PublicId, title: Localized(300) });

export const ConclusionsOut = Type.Object({
  session: SessionRef,
  state: Type.Enum(['none', ...CONCLUSION_STATES], { description: 'none: nothing written yet' }),
  revision: Type.Integer({ minimum: 0, description: 'The latest revision: name it as baseRevision when saving' }),
  publishedRevision: Nullable(Type.Integer()),
  returnComment: Nullable(Type.String()),
  updatedAt: Nullable(DateTimeOutput),
  author: Nullable(Author),
  content: Nullable(ConclusionContent),
  conflicts: Type.Array(ConflictCopyOut, { description: 'Refused saves whose text was kept' }),
});

export const SavedOut = Type.Object({ data: ConclusionsOut });

export const RevisionList = Type.Object({
  revisions: Type.Array(Type.Object({
    number: Type.Integer({ minimum: 1 }),
    author: Author,
    createdAt: DateTimeOutput,
    restoredFrom: Nullable(Type.Integer()),
  }), { description: 'Newest first' }),
});

export const RevisionDetail = Type.Object({
  ...RevisionOut.properties,
  changes: Type.Array(Type.Object({
    field: Type.String({ description: 'summary, keyPoints, challenges, recommendations, followUps, participants or language' }),
    before: Type.String(),
    after: Type.String(),
  }), { description: 'What differs from the previous revision, field by field, as text' }),
});

export const AssignedSessionList = Type.Object({
  sessions: Type.Array(Type.Object({
    event: Type.Object({ slug: Slug, title: Localized(300) }),
    session: Type.Object({ id: PublicId, title: Localized(300), start: Nullable(DateTimeOutput), end: Nullable(DateTimeOutput) }),
    state: Type.Enum(['none', ...CONCLUSION_STATES]),
    revision: Type.Integer({ minimum: 0 }),
    returnComment: Nullable(Type.String()),
  })),
});

// ---- The public side: published conclusions and the report

export const PublishedConclusionsOut = Type.Object({
  session: Type.Object({ ...SessionRef.properties, part: Nullable(PublicId), start: Nullable(DateTimeOutput), end: Nullable(DateTimeOutput) }),
  revision: Type.Integer({ minimum: 1 }),
  publishedAt: DateTimeOutput,
  content: ConclusionContent,
});
export const PublishedConclusionsList = Type.Object({ conclusions: Type.Array(PublishedConclusionsOut) });

export const CopyParams = Type.Object({ slug: Slug, id: PublicId, copy: PublicId });

/** Where an item of the report stands on the follow-up page (its id there, and its status). */
const ReportFollowUpOut = Type.Object({
  id: Type.String({ description: 'The item on the follow-up page: "<session>-r1"' }),
  status: Type.Enum(FOLLOW_UP_STATUSES),
});

const ReportRecommendationOut = Type.Object({
  session: PublicId, text: Type.String(), language: Type.Enum(LANGUAGES), outputs: Type.Array(PublicId), followUp: ReportFollowUpOut,
});

export const ReportOut = Type.Object({
  event: Type.Object({ slug: Slug, title: Localized(300), timezone: Type.String(), startDate: Type.String(), endDate: Type.String() }),
  publishedUpTo: Nullable(DateTimeOutput),
  outputs: Type.Array(Type.Object({
    id: PublicId, number: Type.Integer({ minimum: 1 }), statement: Localized(1000), recommendations: Type.Array(ReportRecommendationOut),
  }), { description: 'Each expected output with the recommendations that serve it' }),
  otherRecommendations: Type.Array(ReportRecommendationOut, { description: 'Recommendations tied to no expected output' }),
  parts: Type.Array(Type.Object({
    part: Nullable(Type.Object({ id: PublicId, label: Localized(200), title: Localized(300) })),
    sessions: Type.Array(Type.Object({
      id: PublicId, title: Localized(300), start: Nullable(DateTimeOutput), end: Nullable(DateTimeOutput),
      room: Nullable(Type.Object({ id: PublicId, name: Localized(200) })),
      revision: Type.Integer({ minimum: 1 }), publishedAt: DateTimeOutput, conclusions: ConclusionContent,
    })),
  }), { description: 'Part by part, the sessions with published conclusions' }),
  followUps: Type.Array(Type.Object({
    action: Type.String(), owner: Type.String(), due: Nullable(Type.String()), language: Type.Enum(LANGUAGES), session: PublicId, followUp: ReportFollowUpOut,
  }), { description: 'By due date, undated last' }),
  coverage: Type.Optional(Type.Object({
    outputsWithout: Type.Array(PublicId),
    sessionsWithout: Type.Array(Type.Object({ id: PublicId, title: Localized(300), state: Type.Enum(['none', ...CONCLUSION_STATES]) })),
  }, { description: 'Only for the event\'s organisers' })),
});
