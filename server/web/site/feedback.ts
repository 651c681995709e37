// Participants' feedback on a session, without an account: once the session has ended, its page
// links to a short form (a rating, "useful for my work", a comment that organisers read before
// anyone else). The form has a page of its own, never cached: it shows this browser's answer,
// which the session's page, kept and shared by every reader, must never carry.
//
// A browser is known by its feedback cookie (a random token, of which only a hash is kept), or,
// without one, by its personal agenda's token. The cookie is scoped to the event's session
// pages; the public cache does not count it as personal (public-cache.ts), since the session
// pages do not depend on it.
import fastifyRateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { inLanguage } from '../../addresses.ts';
import type { Language } from '../../db/schema.ts';
import { findSession, type Programme, type ProgrammeSession } from '../../domains/programme/assemble.ts';
import { Lang } from '../../domains/programme/schemas.ts';
import {
  browserHashOf, feedbackOpening, FEEDBACK_LIMITS, findOwnAnswer, giveFeedback, type FeedbackOpening, type FeedbackRow,
} from '../../domains/participants/feedback.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { ForbiddenError } from '../../errors.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { newSecretToken } from '../../secret-tokens.ts';
import { Presenter } from '../shared/presenter.ts';
import { FEEDBACK_COOKIE } from '../shared/public-cache.ts';
import { ItemParams } from '../shared/schemas.ts';
import { readerAgenda } from './reading.ts';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const FeedbackPageQuery = Type.Object({ lang: Type.Optional(Lang), saved: Type.Optional(Type.Literal('1')) });
const FeedbackForm = Type.Object({
  rating: Type.Optional(Type.String({ maxLength: 1 })),
  useful: Type.Optional(Type.String({ maxLength: 3 })),
  comment: Type.Optional(Type.String({ maxLength: FEEDBACK_LIMITS.comment })),
});
type FeedbackBody = { rating?: string | undefined; useful?: string | undefined; comment?: string | undefined };

/** Why a session offers no form, in a sentence. */
const CLOSED: Record<Exclude<FeedbackOpening, 'open'>, MessageKey> = {
  'not-ended': 'feedback.closed.notEnded',
  cancelled: 'feedback.closed.cancelled',
  'not-attended': 'feedback.closed.notAttended',
};

/** The path of a session's feedback form, in the reader's language. */
export function feedbackPath(programme: Programme, session: ProgrammeSession, locale: Language): string {
  return inLanguage(`/events/${encodeURIComponent(programme.event.slug)}/sessions/${session.publicId}/feedback`, locale, programme.event);
}

/** Forms that write must come from our own pages (as the personal agenda's). */
function refuseCrossSite(request: FastifyRequest): void {
  if (request.headers['sec-fetch-site'] === 'cross-site') throw new ForbiddenError('Feedback can only be given from this site');
}

/** The hash this browser is known by, or null for a browser never seen. */
function browserOf(request: FastifyRequest, programme: Programme): string | null {
  const token = request.cookies[FEEDBACK_COOKIE];
  if (token !== undefined && TOKEN.test(token)) return browserHashOf('cookie', token);
  const agenda = readerAgenda(request, programme);
  return agenda ? browserHashOf('agenda', agenda.token) : null;
}

interface FormState {
  values: { rating: string; useful: string; comment: string };
  error: string | null;
}

function valuesOf(row: FeedbackRow | null): FormState['values'] {
  if (!row) return { rating: '', useful: '', comment: '' };
  return { rating: String(row.rating), useful: row.useful === null ? '' : row.useful ? 'yes' : 'no', comment: row.comment ?? '' };
}

export default async function feedbackRoutes(fastify: FastifyInstance, options: { secureCookies: boolean }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  await app.register(fastifyRateLimit, { global: false });

  function page(request: FastifyRequest, reply: FastifyReply, status: number, programme: Programme, session: ProgrammeSession, state: FormState | null, saved: boolean) {
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const opening = feedbackOpening(session, app.now());
    const own = opening === 'open' ? findOwnAnswer(app.db, session, browserOf(request, programme)) : null;
    const values = state?.values ?? valuesOf(own);
    const view = presenter.session(session);
    reply.header('Cache-Control', 'private, no-store').header('X-Robots-Tag', 'noindex');
    return reply.code(status).page('site/feedback', locale, {
      title: translate(locale, 'feedback.title', { session: view.title?.text ?? '' }),
      event: presenter.eventSummary(),
      section: 'programme',
      noindex: true,
      session: view,
      sessionUrl: inLanguage(presenter.url(`/sessions/${session.publicId}`), locale, programme.event),
      closed: opening === 'open' ? null : translate(locale, CLOSED[opening]),
      saved,
      form: opening === 'open' ? {
        action: feedbackPath(programme, session, locale),
        ratings: [1, 2, 3, 4, 5].map((n) => ({
          value: String(n), id: `rating-${n}`, checked: values.rating === String(n), label: translate(locale, `feedback.rating.${n as 1 | 2 | 3 | 4 | 5}`),
        })),
        usefulYes: values.useful === 'yes',
        usefulNo: values.useful === 'no',
        usefulUnsaid: values.useful === '',
        comment: values.comment,
        commentMax: FEEDBACK_LIMITS.comment,
        error: state?.error ?? null,
        // What the comment's reader is told: nobody else reads it before an organiser does.
        commentState: own?.comment && !state ? translate(locale, `feedback.yourComment.${own.commentState!}`) : null,
        replaces: own !== null,
      } : null,
    });
  }

  app.get('/events/:slug/sessions/:id/feedback', { schema: { params: ItemParams, querystring: FeedbackPageQuery } }, async (request, reply) => {
    const programme = readProgramme(app.db, { slug: request.params.slug }, 'released');
    const session = findSession(programme, request.params.id);
    return page(request, reply, 200, programme, session, null, request.query.saved === '1');
  });

  app.post('/events/:slug/sessions/:id/feedback', {
    schema: { params: ItemParams, querystring: FeedbackPageQuery, body: FeedbackForm },
    config: { rateLimit: { max: FEEDBACK_LIMITS.answersPerWindow, timeWindow: FEEDBACK_LIMITS.windowMinutes * 60_000 } },
  }, async (request, reply) => {
    refuseCrossSite(request);
    const programme = readProgramme(app.db, { slug: request.params.slug }, 'released');
    const session = findSession(programme, request.params.id);
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const body = request.body as FeedbackBody;
    const values = { rating: body.rating ?? '', useful: body.useful ?? '', comment: body.comment ?? '' };
    // Nothing is written for a session that takes no answer: the page says why, with a 409.
    if (feedbackOpening(session, app.now()) !== 'open') return page(request, reply, 409, programme, session, { values, error: null }, false);
    const invalid = !/^[1-5]$/.test(values.rating) ? 'feedback.error.rating' : !['', 'yes', 'no'].includes(values.useful) ? 'feedback.error.useful' : null;
    if (invalid) return page(request, reply, 422, programme, session, { values, error: translate(locale, invalid) }, false);

    let browserHash = browserOf(request, programme);
    if (browserHash === null) {
      const token = newSecretToken();
      browserHash = browserHashOf('cookie', token);
      reply.setCookie(FEEDBACK_COOKIE, token, {
        path: `/events/${encodeURIComponent(programme.event.slug)}/sessions`, httpOnly: true, sameSite: 'lax', secure: options.secureCookies, maxAge: 2 * 365 * 24 * 3600,
      });
    }
    giveFeedback({ db: app.db, event: programme.event, session, browserHash, now: app.now() }, {
      rating: Number(values.rating), useful: values.useful === '' ? null : values.useful === 'yes', comment: values.comment === '' ? null : values.comment,
    });
    // Post/redirect/get: reloading the page never sends the answer again.
    const path = feedbackPath(programme, session, locale);
    reply.header('Cache-Control', 'private, no-store');
    return reply.code(303).header('Location', `${path}${path.includes('?') ? '&' : '?'}saved=1`).send();
  });
}
