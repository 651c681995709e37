// The consolidated report, public: as a page (printable on A4), as Markdown and as JSON.
// It shows published conclusions only, over the released programme. The event's organisers
// also see the coverage panel (what is still missing); their pages are then never cached.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { organises } from '../../domains/accounts/permissions.ts';
import { currentUser, SESSION_COOKIE } from '../shared/auth.ts';
import type { Language } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { Presenter } from '../shared/presenter.ts';
import { EventParams, LangQuery } from '../shared/schemas.ts';
import { Type } from 'typebox';
import { Lang } from '../../domains/programme/schemas.ts';
import { getFollowUp } from '../../domains/conclusions/follow-up.ts';
import { FOLLOW_UP_LIMITS } from '../../domains/conclusions/follow-up-schemas.ts';
import { followUpCoverageView } from '../shared/follow-up-presenter.ts';
import type { Programme } from '../../domains/programme/assemble.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { reportJson, reportMarkdown } from '../shared/report-files.ts';
import { reportView } from '../shared/conclusions-presenter.ts';
import { getReport } from '../../domains/conclusions/reads.ts';
import { paperOf } from './paper.ts';
import { getFeedback } from '../../domains/participants/feedback.ts';
import { feedbackView } from '../shared/feedback-presenter.ts';

/** The report's address takes ?months= too: after how many months the organisers' follow-up view calls a proposed recommendation stalled. */
const ReportQuery = Type.Object({
  lang: Type.Optional(Lang),
  months: Type.Optional(Type.Integer({ minimum: 0, maximum: FOLLOW_UP_LIMITS.maxMonths, default: 3 })),
});

export default async function reportRoutes(fastify: FastifyInstance, options: { publicUrl: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /** Whether the reader organises the event: only then the coverage panel. Anonymous readers cost no query. */
  function readerOrganises(request: FastifyRequest, reply: FastifyReply, programme: Programme): boolean {
    if (!request.cookies[SESSION_COOKIE] && request.headers.authorization === undefined) return false;
    const user = currentUser(request);
    const organiser = user !== null && organises(user, programme.event.id);
    if (organiser) reply.header('Cache-Control', 'private, no-store');
    return organiser;
  }

  app.get('/events/:slug/report', { schema: { params: EventParams, querystring: ReportQuery } }, async (request, reply) => {
    const programme = readProgramme(app.db, { slug: request.params.slug }, 'released');
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const coverage = readerOrganises(request, reply, programme);
    const report = getReport(app.db, programme, { withStates: coverage });
    const downloads = (format: 'md' | 'json') => `${presenter.url(`/report.${format}`)}${request.query.lang ? `?lang=${request.query.lang}` : ''}`;
    return reply.page('site/report', locale, {
      title: translate(locale, 'report.title'),
      event: presenter.eventSummary(),
      section: 'report',
      report: reportView(presenter, report, programme.outputs, { coverage }),
      downloads: { markdown: downloads('md'), json: downloads('json') },
      followUpUrl: `${presenter.url('/follow-up')}${request.query.lang ? `?lang=${request.query.lang}` : ''}`,
      followUpCoverage: coverage
        ? followUpCoverageView(presenter, getFollowUp(app.db, programme, app.now()), programme.outputs, app.now(), request.query.months ?? 3, presenter.url('/report'))
        : null,
      paper: paperOf(request, programme, locale, options.publicUrl, false, 'report'),
      // Approved comments only, whoever reads: the organisers moderate the others on their own page.
      feedback: feedbackView(presenter, getFeedback(app.db, programme, { moderator: false })),
    });
  });

  app.get('/events/:slug/report.md', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = readProgramme(app.db, { slug: request.params.slug }, 'released');
    const locale: Language = requestLocale(request, programme.event.defaultLanguage);
    const report = getReport(app.db, programme, { withStates: false });
    return reply
      .type('text/markdown; charset=utf-8')
      .header('Content-Language', locale)
      .header('Content-Disposition', contentDisposition(`${programme.event.slug}-report-${locale}.md`))
      .send(reportMarkdown(programme, report, locale, getFeedback(app.db, programme, { moderator: false })));
  });

  app.get('/events/:slug/report.json', { schema: { params: EventParams } }, async (request, reply) => {
    const programme = readProgramme(app.db, { slug: request.params.slug }, 'released');
    const coverage = readerOrganises(request, reply, programme);
    return reply
      .type('application/json; charset=utf-8')
      .header('Content-Disposition', contentDisposition(`${programme.event.slug}-report.json`))
      .send(`${JSON.stringify(reportJson(programme, getReport(app.db, programme, { withStates: coverage }), { coverage }, getFeedback(app.db, programme, { moderator: false })), null, 2)}\n`);
  });
}
