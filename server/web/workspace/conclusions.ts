// Where every session's conclusions stand, for the event's organisers: state, revision and
// rapporteurs of each session expected to report, with a link to its conclusions form.
import type { FastifyInstance } from 'fastify';
import { listAssignmentsOfEvent, listConclusionsOfEvent } from '../../domains/conclusions/repository.ts';
import { expectsConclusions } from '../../domains/conclusions/report.ts';
import { translate } from '../../i18n/index.ts';
import { stateLabel } from '../shared/conclusions-presenter.ts';
import { render, scopeOf, workingCopy } from './kit.ts';
import { EventParams } from '../shared/schemas.ts';
import { PageQuery } from './schemas.ts';

export default async function conclusionsOverviewRoutes(app: FastifyInstance) {
  app.get('/events/:slug/conclusions', { schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) => {
    const { event, locale, presenter } = scopeOf(request);
    const byId = new Map(listConclusionsOfEvent(app.db, event.id).map((c) => [c.sessionId, c]));
    const rapporteurs = new Map<number, string[]>();
    for (const a of listAssignmentsOfEvent(app.db, event.id)) rapporteurs.set(a.sessionId, [...(rapporteurs.get(a.sessionId) ?? []), a.name]);
    const sessions = workingCopy(request).sessions.filter(expectsConclusions).map((s) => {
      const c = byId.get(s.row.id);
      const view = presenter.session(s);
      return {
        title: view.title,
        when: view.day ? `${view.day}, ${view.start}–${view.end}` : null,
        rapporteurs: rapporteurs.get(s.row.id) ?? [],
        state: stateLabel(presenter, c?.state ?? 'none', c?.publishedRevision ?? null),
        stateKey: c?.state ?? 'none',
        revision: c?.revision ?? 0,
        url: `/rapporteur/events/${event.slug}/sessions/${s.publicId}`,
      };
    });
    const counts = (['none', 'draft', 'submitted', 'validated', 'published'] as const).map((key) => ({
      label: translate(locale, `conclusions.state.${key}`), count: sessions.filter((s) => s.stateKey === key).length,
    }));
    return render(request, reply, 'workspace/conclusions', 200, {
      title: translate(locale, 'conclusions.overview.title'),
      section: 'conclusions',
      reportUrl: presenter.url('/report'),
      sessions,
      counts,
    });
  });
}
