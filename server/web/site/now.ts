// The venue screen of an event: what is on now and next in each room.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { liveState, nowByRoom } from '../../domains/programme/assemble.ts';
import { translate } from '../../i18n/index.ts';
import { localClock, localDate, longDate } from '../../time.ts';
import { EventParams, LangQuery } from '../shared/schemas.ts';
import { readerPage } from './reading.ts';

/** How often the venue screen reloads itself, in seconds. */
const NOW_SCREEN_REFRESH = 60;

export default async function nowScreenRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/events/:slug/now', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const { programme, locale, presenter } = readerPage(request, reply, request.params.slug);
    const now = app.now();
    const rooms = nowByRoom(programme, now).map(({ room, current, next }) => ({
      name: room ? presenter.text(room.name) : { text: translate(locale, 'session.noRoom'), lang: locale },
      current: current ? presenter.session(current) : null,
      next: next ? presenter.session(next) : null,
    }));
    const live = liveState(programme.sessions, now);
    // A preview is never cached at all; the public screen is revalidated on each load.
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-cache');
    return reply.page('site/now', locale, {
      title: translate(locale, 'now.title'),
      event: presenter.eventSummary(),
      section: 'now',
      refreshSeconds: NOW_SCREEN_REFRESH,
      rooms,
      live: live.live,
      state: live.phase,
      clock: localClock(now, programme.event.timezone),
      today: longDate(localDate(now, programme.event.timezone), locale),
      timezone: programme.event.timezone,
    });
  });
}
