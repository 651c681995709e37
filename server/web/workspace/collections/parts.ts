// Parts ("Première partie…"), listed in their order, each with the hours its sessions are expected in.
import { part } from '../../../domains/programme/resources/part.ts';
import { movePart } from '../../../domains/programme/service.ts';
import { localClock, localDate, longDate } from '../../../time.ts';
import { field } from '../../shared/forms/fields.ts';
import type { WorkspaceCollection } from '../collection.ts';
import { plain, scopeOf, writeContext } from '../kit.ts';
import { ItemParams } from '../../shared/schemas.ts';
import { PageQuery } from '../schemas.ts';

export const parts: WorkspaceCollection = {
  kind: 'part',
  fields: [
    field(part.fields, 'label', { label: 'admin.field.partLabel', hint: 'admin.hint.partLabel' }),
    field(part.fields, 'title', { label: 'field.title' }),
    field(part.fields, 'start', { label: 'admin.field.partStart', hint: 'admin.hint.partHours' }),
    field(part.fields, 'end', { label: 'admin.field.partEnd' }),
  ],
  columns: ['admin.field.partLabel', 'field.title', 'admin.field.partStart', 'admin.field.partEnd', 'sessions.title', 'admin.parts.order'],
  reorder: true,
  routes: (app) => {
    app.post('/events/:slug/parts/:id/move', { schema: { params: ItemParams, querystring: PageQuery }, preValidation: app.csrfProtection }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const direction = (request.body as Record<string, unknown> | undefined)?.direction === 'up' ? 'up' : 'down';
      movePart(writeContext(request), id, direction);
      return reply.redirect(`${scopeOf(request).base}/parts?saved=reordered#item-${id}`, 303);
    });
  },
  rows: ({ presenter, locale, event }, programme, edit) => {
    const clock = (instant: Date | null) => (instant ? `${longDate(localDate(instant, event.timezone), locale)} ${localClock(instant, event.timezone)}` : '—');
    return programme.parts.map((p, i) => ({
      id: p.publicId,
      cells: [
        { text: presenter.text(p.label), href: edit(p.publicId), header: true }, { text: presenter.text(p.title) },
        { text: plain(clock(p.startsAt), locale) }, { text: plain(clock(p.endsAt), locale) },
        { text: plain(String(programme.sessions.filter((s) => s.part?.id === p.id).length), locale) },
      ],
      move: { up: i > 0, down: i < programme.parts.length - 1, action: `${edit(p.publicId)}/move`, label: presenter.text(p.label)?.text ?? '' },
    }));
  },
};
