// The public changelog of an event: its releases, newest first, with what each changed.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { readProgramme } from '../../domains/releases/reader.ts';
import { getReleaseHistory } from '../../domains/releases/service.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { ReleasePresenter } from '../shared/release-presenter.ts';
import { EventParams, LangQuery } from '../shared/schemas.ts';

export default async function changesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/events/:slug/changes', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const { event } = readProgramme(app.db, { slug: request.params.slug }, 'released');
    const locale = requestLocale(request, event.defaultLanguage);
    const presenter = new ReleasePresenter(event, locale);
    return reply.page('site/changes', locale, {
      title: translate(locale, 'changes.title'),
      event: presenter.presenter.eventSummary(),
      section: 'changes',
      releases: getReleaseHistory(app.db, event).map((r) => presenter.release(r)),
    });
  });
}
