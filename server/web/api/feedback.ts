// Participants' feedback in the API: everyone reads the figures of each session of the released
// programme and its approved comments; the event's organisers also read the comments waiting
// or hidden, with their state, and moderate them (If-Match: the version they read).
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { organises } from '../../domains/accounts/permissions.ts';
import { answerOut, getFeedback, moderateComment, type FeedbackFigures } from '../../domains/participants/feedback.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { COMMENT_STATES } from '../../db/schema.ts';
import { DateTimeOutput, Localized, Nullable, PublicId, Slug, strict } from '../../domains/programme/schemas.ts';
import { toZonedIso } from '../../time.ts';
import { currentUser, organisedEvent } from '../shared/auth.ts';
import { EventParams } from '../shared/schemas.ts';
import { IfMatchHeaders } from './schemas.ts';
import { guarded, SECURITY, versionsOf } from './writes.ts';

const Figures = {
  answers: Type.Integer({ minimum: 0 }),
  ratings: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 5, maxItems: 5, description: 'How many answers gave 1, 2, 3, 4 and 5' }),
  mean: Nullable(Type.Number({ description: 'The mean rating, to one decimal' })),
  useful: Type.Object({ yes: Type.Integer({ minimum: 0 }), no: Type.Integer({ minimum: 0 }) }),
  usefulShare: Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'Of those who said, the share who found it useful for their work' })),
};

const CommentOut = Type.Object({
  id: Type.Integer(),
  comment: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
  state: Type.Optional(Nullable(Type.Enum(COMMENT_STATES))),
  version: Type.Optional(Type.Integer()),
});

const FeedbackList = Type.Object({
  sessions: Type.Array(Type.Object({
    session: Type.Object({ id: PublicId, title: Localized(300), part: Nullable(PublicId), start: Nullable(DateTimeOutput), end: Nullable(DateTimeOutput) }),
    ...Figures,
    comments: Type.Array(CommentOut),
  })),
  parts: Type.Array(Type.Object({ part: Nullable(PublicId), ...Figures })),
  outputs: Type.Array(Type.Object({ output: PublicId, number: Type.Integer(), ...Figures })),
  total: Type.Object(Figures),
});

const AnswerParams = Type.Object({ slug: Slug, answer: Type.String({ pattern: '^[0-9]{1,12}$', maxLength: 12 }) });
const ModerationPatch = Type.Object({ commentState: Type.Enum(COMMENT_STATES) }, strict);

const figuresOut = (f: FeedbackFigures) => ({ answers: f.answers, ratings: f.ratings, mean: f.mean, useful: f.useful, usefulShare: f.usefulShare });

export default async function feedbackApiRoutes(app: FastifyInstance) {
  app.get('/api/v1/events/:slug/feedback', {
    schema: {
      tags: ['feedback (public)'],
      summary: 'Participants\' feedback: the figures of each session of the released programme, of each part and expected output, and approved comments',
      description: 'Sessions with at least one answer, in programme order. A comment is public once an organiser approves it; the event\'s organisers (signed in) also get the comments waiting or hidden, each with its `state` and `version`.',
      params: EventParams, response: { 200: FeedbackList },
    },
  }, async (request) => {
    const programme = readProgramme(app.db, { slug: (request.params as { slug: string }).slug }, 'released');
    const user = currentUser(request);
    const moderator = user !== null && organises(user, programme.event.id);
    const feedback = getFeedback(app.db, programme, { moderator });
    const zone = programme.event.timezone;
    return {
      sessions: feedback.sessions.map(({ session, figures, comments }) => ({
        session: {
          id: session.publicId, title: session.row.title, part: session.part?.publicId ?? null,
          start: session.slot ? toZonedIso(session.slot.startsAt, zone) : null, end: session.slot ? toZonedIso(session.slot.endsAt, zone) : null,
        },
        ...figuresOut(figures),
        comments: comments.map((c) => answerOut({ id: c.id, comment: c.text, commentState: c.state, updatedAt: c.at, version: c.version }, moderator)),
      })),
      parts: feedback.parts.map(({ part, figures }) => ({ part: part?.publicId ?? null, ...figuresOut(figures) })),
      outputs: feedback.outputs.map(({ output, figures }) => ({ output: output.publicId, number: output.position + 1, ...figuresOut(figures) })),
      total: figuresOut(feedback.total),
    };
  });

  app.patch('/api/v1/events/:slug/feedback/:answer', {
    ...guarded,
    schema: {
      tags: ['feedback'],
      summary: 'Approve a participant\'s comment (then it is public), hide it, or set it back to pending',
      description: 'Send If-Match with the version you read (from GET …/feedback as an organiser; 428 without). A comment changed since is 409 `stale-version`: read it again before approving it. An answer without a comment is 409.',
      security: SECURITY, params: AnswerParams, headers: IfMatchHeaders, body: ModerationPatch,
      response: { 200: Type.Object({ data: CommentOut }) },
    },
  }, async (request, reply) => {
    const { user, event } = organisedEvent(request);
    const versions = versionsOf(request);
    const row = moderateComment({ db: app.db, event, actor: { id: user.id, name: user.name }, now: app.now() },
      Number((request.params as { answer: string }).answer), (request.body as { commentState: 'pending' | 'approved' | 'hidden' }).commentState, versions);
    return reply.header('ETag', `"${row.version}"`).send({ data: answerOut(row, true) });
  });
}
