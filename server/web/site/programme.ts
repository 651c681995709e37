// Public programme pages and the read API. Handlers validate, call the service, render.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { agendaCookieName, agendaPath } from './agenda.ts';
import { findAgenda, type Agenda } from '../../domains/participants/agendas.ts';
import { conclusionsView } from '../shared/conclusions-presenter.ts';
import { getPublishedConclusions } from '../../domains/conclusions/service.ts';
import { calendarName } from '../feeds/ical.ts';
import { inLanguage } from '../../addresses.ts';
import { feedLinks, feedPath } from '../shared/links.ts';
import type { Language } from '../../db/schema.ts';
import { NotFoundError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { localClock, longDate, localDate } from '../../time.ts';
import { programmeForReader } from '../shared/preview.ts';
import { getPublishedEvents, getPublishedProgramme } from '../../domains/releases/service.ts';
import { Presenter } from '../shared/presenter.ts';
import { ApiEventList, ApiProgramme, EventItemParams, EventParams, LangQuery, ProgrammeQuery } from '../shared/schemas.ts';
import {
  apiEvent, eventPhase, filterSessions, findContributor, findSession, involves,
  liveState, nowByRoom, resolveFilters, rolesIn, toApiProgramme, type Contributor, type Programme, type ProgrammeFilters,
} from '../../domains/programme/assemble.ts';

/** How often the venue screen reloads itself, in seconds. */
const NOW_SCREEN_REFRESH = 60;

export default async function programmeRoutes(fastify: FastifyInstance, options: { publicUrl: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /** The calendar a page offers: its name, and the ways to subscribe to it or download it. */
  function subscription(programme: Programme, locale: Language, scopePath: string, scopeName: string | null) {
    const name = calendarName({ event: programme.event, locale, scopeName });
    return { name, links: feedLinks(options.publicUrl, feedPath(programme.event, scopePath, locale), name) };
  }

  /** The agenda this browser keeps for the event, if its cookie still opens one. */
  function readerAgenda(request: FastifyRequest, programme: Programme): { token: string; agenda: Agenda } | null {
    const token = request.cookies[agendaCookieName(programme.event.publicId)];
    if (!token) return null;
    try {
      const agenda = findAgenda(app.db, token);
      return agenda.row.eventId === programme.event.id ? { token, agenda } : null;
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  function showProgramme(request: FastifyRequest, reply: FastifyReply, programme: Programme, query: ProgrammeFilterQuery) {
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const filters = resolveFilters(programme, query);
    const sessions = filterSessions(programme, filters);
    const live = liveState(programme.sessions, app.now());
    const selected = { part: query.part, room: query.room, speaker: query.speaker };
    const mine = readerAgenda(request, programme);
    const agendaUrl = mine ? agendaPath(mine.token, locale, programme.event) : null;
    return reply.page('programme/event', locale, {
      title: translate(locale, 'programme.title'),
      event: presenter.eventSummary(),
      section: 'programme',
      details: presenter.eventDetails(programme),
      schedule: presenter.schedule(sessions, live, mine?.agenda.sessionIds),
      live: live.live,
      filtered: Boolean(selected.part || selected.room || selected.speaker),
      filterOptions: filterOptions(programme, presenter, selected),
      lang: query.lang,
      subscribe: subscription(programme, locale, ...feedScope(filters, presenter)),
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
    const all = getPublishedEvents(app.db).map((event) => {
      const presenter = new Presenter(event, locale);
      return { ...presenter.eventSummary(), phase: eventPhase(event, now) };
    });
    // Upcoming and running events first, soonest first; then past ones, latest first.
    const upcoming = all.filter((e) => e.phase !== 'past');
    const past = all.filter((e) => e.phase === 'past').reverse();
    return reply.page('programme/home', locale, { title: translate(locale, 'home.title'), section: 'home', upcoming, past });
  });

  app.get('/events/:slug', { schema: { params: EventParams, querystring: ProgrammeQuery } }, async (request, reply) => {
    return showProgramme(request, reply, programmeForReader(request, reply, request.params.slug), request.query);
  });

  // A part's own page: the programme narrowed to it, with its own feed.
  app.get('/events/:slug/parts/:id', { schema: { params: EventItemParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = programmeForReader(request, reply, request.params.slug);
    if (!programme.parts.some((p) => p.publicId === request.params.id)) throw new NotFoundError('part', request.params.id);
    return showProgramme(request, reply, programme, { lang: request.query.lang, part: request.params.id });
  });

  app.get('/events/:slug/now', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = programmeForReader(request, reply, request.params.slug);
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const now = app.now();
    const rooms = nowByRoom(programme, now).map(({ room, current, next }) => ({
      name: room ? presenter.text(room.name) : { text: translate(locale, 'now.noRoom'), lang: locale },
      current: current ? presenter.session(current) : null,
      next: next ? presenter.session(next) : null,
    }));
    const live = liveState(programme.sessions, now);
    // A preview is never cached at all; the public screen is revalidated on each load.
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-cache');
    return reply.page('programme/now', locale, {
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

  app.get('/events/:slug/sessions/:id', { schema: { params: EventItemParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = programmeForReader(request, reply, request.params.slug);
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const session = findSession(programme, request.params.id);
    const view = presenter.session(session, liveState(programme.sessions, app.now()));
    const published = getPublishedConclusions(app.db, session);
    return reply.page('programme/session', locale, {
      title: view.title?.text ?? '',
      event: presenter.eventSummary(),
      section: 'programme',
      session: view,
      details: presenter.eventDetails(programme),
      conclusions: published ? conclusionsView(presenter, published.content, programme.outputs) : null,
      reportUrl: presenter.url('/report'),
      subscribe: subscription(programme, locale, `/sessions/${session.publicId}`, view.title?.text ?? null),
    });
  });

  app.get('/events/:slug/speakers', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = programmeForReader(request, reply, request.params.slug);
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const countFor = (contributor: Contributor) => programme.sessions.filter((s) => involves(s, contributor)).length;
    const withSessions = (contributor: Contributor) => ({
      ...presenter.contributorPage(contributor),
      url: presenter.url(`/speakers/${contributor.kind === 'person' ? contributor.person.publicId : contributor.organisation.publicId}`),
      sessionCount: countFor(contributor),
    });
    const people = programme.people.map((person) => withSessions({
      kind: 'person', person, organisation: programme.organisations.find((o) => o.id === person.organisationId) ?? null,
    }));
    const organisations = programme.organisations
      .map((organisation) => withSessions({ kind: 'organisation', organisation }))
      .sort((a, b) => a.name.text.localeCompare(b.name.text, locale));
    return reply.page('programme/speakers', locale, {
      title: translate(locale, 'speakers.title'),
      event: presenter.eventSummary(),
      section: 'speakers',
      people,
      organisations,
    });
  });

  app.get('/events/:slug/speakers/:id', { schema: { params: EventItemParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = programmeForReader(request, reply, request.params.slug);
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const contributor = findContributor(programme, request.params.id);
    const profile = presenter.contributorPage(contributor);
    const sessions = programme.sessions.filter((s) => involves(s, contributor)).map((s) => {
      const view = presenter.session(s);
      const roles = rolesIn(s, contributor).map((role) => translate(locale, `role.${role}`));
      return { ...view, roles: roles.join(', ') };
    });
    const members = contributor.kind === 'organisation'
      ? programme.people.filter((p) => p.organisationId === contributor.organisation.id).map((p) => ({ name: p.name, url: presenter.url(`/speakers/${p.publicId}`) }))
      : [];
    return reply.page('programme/speaker', locale, {
      title: profile.name.text,
      event: presenter.eventSummary(),
      section: 'speakers',
      profile,
      members,
      sessions,
      programmeUrl: `${presenter.url('')}?speaker=${profile.id}`,
      subscribe: subscription(programme, locale, `/speakers/${profile.id}`, profile.name.text),
    });
  });

  app.get('/events/:slug/outputs', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = programmeForReader(request, reply, request.params.slug);
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const outputs = programme.outputs.map((o) => ({
      id: o.publicId,
      number: o.position + 1,
      statement: presenter.text(o.statement),
      sessions: programme.sessions.filter((s) => s.outputs.some((x) => x.id === o.id)).map((s) => presenter.session(s)),
    }));
    return reply.page('programme/outputs', locale, {
      title: translate(locale, 'outputs.title'),
      event: presenter.eventSummary(),
      section: 'outputs',
      outputs,
    });
  });

  app.get('/api/v1/events', { schema: { tags: ['programme (public)'], summary: 'Every event', response: { 200: ApiEventList } } }, async () => {
    return { events: getPublishedEvents(app.db).map(apiEvent) };
  });

  app.get('/api/v1/events/:slug/programme', { schema: { tags: ['programme (public)'], summary: 'The whole programme of an event: parts, slots, sessions, rooms, expected outputs', params: EventParams, response: { 200: ApiProgramme } } }, async (request) => {
    return toApiProgramme(getPublishedProgramme(app.db, request.params.slug));
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
