// Participants' feedback, for the event's organisers: the figures of each session, part and
// expected output of the released programme, and the comments, which nobody else reads until
// an organiser approves them. Each comment has its buttons (approve, hide, back to waiting);
// a moderation leads back to the page (303) with its confirmation.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { COMMENT_STATES, type CommentState } from '../../db/schema.ts';
import { getFeedback, moderateComment } from '../../domains/participants/feedback.ts';
import { findLatestReleaseOfEvent } from '../../domains/releases/repository.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { StaleVersionError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { feedbackView } from '../shared/feedback-presenter.ts';
import { Slug } from '../../domains/programme/schemas.ts';
import { EventParams } from '../shared/schemas.ts';
import { render, scopeOf } from './kit.ts';
import { LangOnly, PageQuery } from './schemas.ts';

const AnswerParams = Type.Object({ slug: Slug, answer: Type.String({ pattern: '^[0-9]{1,12}$', maxLength: 12 }) });
const ModerationForm = Type.Object({
  _csrf: Type.String({ maxLength: 200 }),
  state: Type.Enum(COMMENT_STATES),
  version: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$', maxLength: 9 })),
}, { additionalProperties: false });

/** The buttons a comment in each state has: to every other state. */
const ACTIONS: Record<CommentState, CommentState[]> = { pending: ['approved', 'hidden'], approved: ['hidden', 'pending'], hidden: ['approved', 'pending'] };

export default async function feedbackWorkspaceRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/events/:slug/feedback', { schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) => {
    const { event, locale, presenter, base } = scopeOf(request);
    const released = findLatestReleaseOfEvent(app.db, event.id) !== null;
    const feedback = released ? feedbackView(presenter, getFeedback(app.db, readProgramme(app.db, { id: event.id }, 'released'), { moderator: true })) : null;
    const lang = request.query.lang ? `?lang=${request.query.lang}` : '';
    const comments = (feedback?.sessions ?? []).flatMap((s) => s.comments.map((c) => ({
      ...c,
      session: s.name,
      stateLabel: translate(locale, `feedback.commentState.${c.state}`),
      action: `${base}/feedback/${c.id}${lang}`,
      buttons: ACTIONS[c.state].map((state) => ({ state, label: translate(locale, `feedback.admin.to.${state}`) })),
    })));
    return render(request, reply, 'workspace/feedback', 200, {
      title: translate(locale, 'feedback.admin.title'),
      section: 'feedback',
      released,
      feedback,
      reportUrl: presenter.url('/report'),
      pending: comments.filter((c) => c.state === 'pending'),
      moderated: comments.filter((c) => c.state !== 'pending'),
    });
  });

  app.post('/events/:slug/feedback/:answer', {
    schema: { params: AnswerParams, querystring: LangOnly, body: ModerationForm }, preValidation: app.csrfProtection,
  }, async (request, reply) => {
    const { event, user, base } = scopeOf(request);
    const { version, state } = request.body;
    const lang = request.query.lang ? `&lang=${request.query.lang}` : '';
    const id = Number(request.params.answer);
    try {
      moderateComment({ db: app.db, event, actor: { id: user.id, name: user.name }, now: app.now() }, id, state, version === undefined ? null : [Number(version)]);
    } catch (error) {
      // Its writer changed it since the page was read: nobody approves words they have not read.
      if (error instanceof StaleVersionError) return reply.redirect(`${base}/feedback?saved=feedbackChanged${lang}#comment-${id}`, 303);
      throw error;
    }
    return reply.redirect(`${base}/feedback?saved=feedbackModerated${lang}#comment-${id}`, 303);
  });
}
