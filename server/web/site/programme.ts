// The public programme: the list of events, an event's programme (filtered, or one part of it)
// and the venue screen. Handlers validate, read the programme the reader sees, render.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inLanguage } from '../../addresses.ts';
import {
  eventPhase, filterSessions, liveState, nowByRoom, resolveFilters, type Programme, type ProgrammeFilters,
} from '../../domains/programme/assemble.ts';
import { releasedEvents } from '../../domains/releases/reader.ts';
import type { Language } from '../../db/schema.ts';
import { NotFoundError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { localClock, localDate, longDate } from '../../time.ts';
import { Presenter } from '../shared/presenter.ts';
import { ItemParams, EventParams, LangQuery, ProgrammeQuery } from '../shared/schemas.ts';
import { agendaPath } from './agenda.ts';
import { readerAgenda, readerPage, subscription } from './reading.ts';

/** How often the venue screen reloads itself, in seconds. */
const NOW_SCREEN_REFRESH = 60;

export default async function programmeRoutes(fastify: FastifyInstance, options: { publicUrl: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  function showProgramme(request: FastifyRequest, reply: FastifyReply, programme: Programme, query: ProgrammeFilterQuery) {
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const filters = resolveFilters(programme, query);
    const sessions = filterSessions(programme, filters);
    const live = liveState(programme.sessions, app.now());
    const selected = { part: query.part, room: query.room, speaker: query.speaker };
    const mine = readerAgenda(request, programme);
    const agendaUrl = mine ? agendaPath(mine.token, locale, programme.event) : null;
    return reply.page('site/event', locale, {
      title: translate(locale, 'programme.title'),
      event: presenter.eventSummary(),
      section: 'programme',
      details: presenter.eventDetails(programme),
      schedule: presenter.schedule(sessions, live, mine?.agenda.sessionIds),
      live: live.live,
      filtered: Boolean(selected.part || selected.room || selected.speaker),
      filterOptions: filterOptions(programme, presenter, selected),
      lang: query.lang,
      subscribe: subscription(options.publicUrl, programme, locale, ...feedScope(filters, presenter)),
      agendaToggles: true,
      // Without an agenda yet, the form creates one for this event.
      agendaForm: agendaUrl
        ? { action: agendaUrl, url: agendaUrl, event: null }
        : { action: inLanguage('/my', locale, programme.event), url: null, event: programme.event.slug },
    });
  }

  app.get('/', { schema: { querystring: LangQuery } }, async (request, reply) => {
    const locale = requestLocale(request);
    const now = app.now();
    const all = releasedEvents(app.db).map((event) => {
      const presenter = new Presenter(event, locale);
      return { ...presenter.eventSummary(), phase: eventPhase(event, now) };
    });
    // Upcoming and running events first, soonest first; then past ones, latest first.
    const upcoming = all.filter((e) => e.phase !== 'past');
    const past = all.filter((e) => e.phase === 'past').reverse();
    return reply.page('site/home', locale, { title: translate(locale, 'home.title'), section: 'home', upcoming, past });
  });

  app.get('/events/:slug', { schema: { params: EventParams, querystring: ProgrammeQuery } }, async (request, reply) => {
    return showProgramme(request, reply, readerPage(request, reply, request.params.slug).programme, request.query);
  });

  // A part's own page: the programme narrowed to it, with its own feed.
  app.get('/events/:slug/parts/:id', { schema: { params: ItemParams, querystring: LangQuery } }, async (request, reply) => {
    const { programme } = readerPage(request, reply, request.params.slug);
    if (!programme.parts.some((p) => p.publicId === request.params.id)) throw new NotFoundError('part', request.params.id);
    return showProgramme(request, reply, programme, { lang: request.query.lang, part: request.params.id });
  });

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

type ProgrammeFilterQuery = { lang?: Language | undefined; part?: string | undefined; room?: string | undefined; speaker?: string | undefined };

/** The narrowest feed that matches the filters: one part, one room or one contributor, else the event. */
function feedScope(filters: ProgrammeFilters, presenter: Presenter): [path: string, name: string | null] {
  const { part, room, contributor } = filters;
  const only = [part, room, contributor].filter(Boolean).length === 1;
  if (only && part) return [`/parts/${part.publicId}`, presenter.text(part.label)?.text ?? null];
  if (only && room) return [`/rooms/${room.publicId}`, presenter.text(room.name)?.text ?? null];
  if (only && contributor) {
    const profile = presenter.contributorPage(contributor);
    return [`/speakers/${profile.id}`, profile.name.text];
  }
  return ['', null];
}

function filterOptions(programme: Programme, presenter: Presenter, selected: { part?: string | undefined; room?: string | undefined; speaker?: string | undefined }) {
  const contributors = [
    ...programme.people.map((p) => ({ id: p.publicId, name: { text: p.name, lang: presenter.locale } })),
    ...programme.organisations.map((o) => ({ id: o.publicId, name: presenter.orgName(o) })),
  ].sort((a, b) => a.name.text.localeCompare(b.name.text, presenter.locale));
  return {
    parts: programme.parts.map((p) => ({ id: p.publicId, label: presenter.text(p.label), title: presenter.text(p.title), selected: p.publicId === selected.part })),
    rooms: programme.rooms.map((r) => ({ id: r.publicId, name: presenter.text(r.name), selected: r.publicId === selected.room })),
    contributors: contributors.map((c) => ({ ...c, selected: c.id === selected.speaker })),
  };
}
