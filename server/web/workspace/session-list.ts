// The list of an event's sessions in the workspace: one row each, with where and when it takes
// place, linking to its form.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translate } from '../../i18n/index.ts';
import { toZonedIso } from '../../time.ts';
import { plain, render, scopeOf, slotLabel, workingCopy } from './kit.ts';
import { EventParams } from '../shared/schemas.ts';
import { PageQuery } from './schemas.ts';

function showList(request: FastifyRequest, reply: FastifyReply) {
  const scope = scopeOf(request);
  const { presenter, locale, base } = scope;
  const programme = workingCopy(request);
  const rows = programme.sessions.map((s) => ({
    id: s.publicId,
    cells: [
      { text: presenter.text(s.row.title), href: `${base}/sessions/${s.publicId}`, header: true },
      { text: plain(s.slot ? slotLabel(s.slot, scope) : translate(locale, 'admin.form.unscheduled'), locale), datetime: s.slot ? toZonedIso(s.slot.startsAt, scope.event.timezone) : null },
      { text: s.part ? presenter.text(s.part.label) : plain('—', locale) },
      { text: s.room ? presenter.text(s.room.name) : plain('—', locale) },
      { text: plain(translate(locale, `kind.${s.row.kind}`), locale) },
      { text: plain(translate(locale, `status.${s.row.status}`), locale) },
    ],
  }));
  return render(request, reply, 'workspace/list', 200, {
    title: translate(locale, 'sessions.title'),
    section: 'sessions',
    newUrl: `${base}/sessions/new`,
    newLabel: translate(locale, 'admin.sessions.new'),
    columns: (['field.title', 'admin.field.slot', 'field.part', 'field.room', 'session.kind', 'admin.field.status'] as const).map((k) => translate(locale, k)),
    rows,
    empty: translate(locale, 'admin.list.empty'),
  });
}

export default async function sessionListRoutes(app: FastifyInstance) {
  app.get('/events/:slug/sessions', { schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) => showList(request, reply));
}
