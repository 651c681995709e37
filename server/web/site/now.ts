// The venue screen of an event (a kiosk): what is on now and next in each room, and the time in
// the event's zone, in large type and without the site's header and footer. A small script
// (views/assets/kiosk.js) ticks the clock and fetches the page again every so often, swapping in
// what changed; without it, the page has a link that reloads it.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { liveState, nowByRoom, type ProgrammeSession } from '../../domains/programme/assemble.ts';
import { Lang } from '../../domains/programme/schemas.ts';
import { translate } from '../../i18n/index.ts';
import type { Presenter } from '../shared/presenter.ts';
import { localClock, localDate, longDate } from '../../time.ts';
import { EventParams } from '../shared/schemas.ts';
import { readerPage } from './reading.ts';

/** How often the venue screen fetches itself again, in seconds, unless ?refresh= says otherwise. */
export const NOW_SCREEN_REFRESH = 60;
/** The bounds of ?refresh=: often enough for a screen that is watched, never a request a second. */
export const NOW_SCREEN_REFRESH_MIN = 5;
export const NOW_SCREEN_REFRESH_MAX = 600;

const NowQuery = Type.Object({
  lang: Type.Optional(Lang),
  refresh: Type.Optional(Type.Integer({ minimum: NOW_SCREEN_REFRESH_MIN, maximum: NOW_SCREEN_REFRESH_MAX })),
});

/** A session as a room's card shows it: times, title, and who speaks (with their organisation). */
function screenSession(presenter: Presenter, s: ProgrammeSession) {
  const view = presenter.session(s);
  return {
    start: view.start,
    end: view.end,
    day: view.day,
    title: view.title,
    speakers: s.contributors.map((c) => {
      const { name, organisation } = presenter.contributorName(c);
      return { name, organisation };
    }),
  };
}

export default async function nowScreenRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/events/:slug/now', { schema: { params: EventParams, querystring: NowQuery } }, async (request, reply) => {
    const { programme, locale, presenter } = readerPage(request, reply, request.params.slug);
    const now = app.now();
    const zone = programme.event.timezone;
    const live = liveState(programme.sessions, now);
    const todayDate = localDate(now, zone);
    // Dates in the reader's language, in the event's English when that is the reader's.
    const today = longDate(todayDate, presenter.dateLocale);
    // Only while the event runs, and only the rooms with something now or still to come: never an empty card.
    const rooms = live.live
      ? nowByRoom(programme, now).filter(({ current, next }) => current || next).map(({ room, current, next }) => ({
        name: room ? presenter.text(room.name) : { text: translate(locale, 'session.noRoom'), lang: locale },
        current: current ? screenSession(presenter, current) : null,
        next: next ? { ...screenSession(presenter, next), otherDay: localDate(next.slot!.startsAt, zone) !== todayDate } : null,
      }))
      : [];
    const first = programme.sessions.find((s) => s.slot !== null && s.row.status !== 'cancelled');
    const starts = live.phase === 'notStarted' && first
      ? translate(locale, 'kiosk.starts', { date: longDate(localDate(first.slot!.startsAt, zone), presenter.dateLocale), time: localClock(first.slot!.startsAt, zone) })
      : null;
    const refresh = request.query.refresh ?? NOW_SCREEN_REFRESH;
    const self = new URLSearchParams();
    if (request.query.lang) self.set('lang', request.query.lang);
    if (request.query.refresh !== undefined) self.set('refresh', String(request.query.refresh));
    const selfQuery = self.toString();
    const clock = localClock(now, zone);
    // A preview is never cached at all; the public screen is revalidated on each load.
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-cache');
    return reply.page('site/now', locale, {
      title: translate(locale, 'now.title'),
      event: presenter.eventSummary(),
      section: 'now',
      kiosk: true,
      styles: ['kiosk.css'],
      scripts: ['kiosk.js'],
      rooms,
      state: live.phase,
      starts,
      clock,
      nowIso: now.toISOString(),
      today,
      timezone: zone,
      zoneLabel: programme.event.city
        ? translate(locale, 'kiosk.zone', { place: programme.event.city, timezone: zone })
        : translate(locale, 'kiosk.zoneOnly', { timezone: zone }),
      refreshEvery: refresh,
      selfUrl: presenter.url(selfQuery ? `/now?${selfQuery}` : '/now'),
      reportUrl: presenter.url('/report'),
      updated: translate(locale, 'kiosk.updated', { time: clock }),
    });
  });
}
