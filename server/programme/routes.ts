// Public programme pages and the read API. Handlers validate, call the service, render.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { translate } from '../i18n/index.ts';
import { requestLocale } from '../i18n/request.ts';
import { localClock, longDate, localDate } from '../time.ts';
import { Presenter } from './presenter.ts';
import { ApiEventList, ApiProgramme, EventItemParams, EventParams, LangQuery, ProgrammeQuery } from './schemas.ts';
import {
  apiEvent, eventPhase, filterSessions, findContributor, findSession, getEvents, getProgramme, involves,
  liveState, nowByRoom, resolveFilters, rolesIn, toApiProgramme, type Contributor, type Programme,
} from './service.ts';

/** How often the venue screen reloads itself, in seconds. */
const NOW_SCREEN_REFRESH = 60;

export default async function programmeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/', { schema: { querystring: LangQuery } }, async (request, reply) => {
    const locale = requestLocale(request);
    const now = app.now();
    const all = getEvents(app.db).map((event) => {
      const presenter = new Presenter(event, locale);
      return { ...presenter.eventSummary(), phase: eventPhase(event, now) };
    });
    // Upcoming and running events first, soonest first; then past ones, latest first.
    const upcoming = all.filter((e) => e.phase !== 'past');
    const past = all.filter((e) => e.phase === 'past').reverse();
    return reply.page('programme/home', locale, { title: translate(locale, 'home.title'), section: 'home', upcoming, past });
  });

  app.get('/events/:slug', { schema: { params: EventParams, querystring: ProgrammeQuery } }, async (request, reply) => {
    const programme = getProgramme(app.db, request.params.slug);
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const filters = resolveFilters(programme, request.query);
    const sessions = filterSessions(programme, filters);
    const live = liveState(programme.sessions, app.now());
    const selected = { part: request.query.part, room: request.query.room, speaker: request.query.speaker };
    return reply.page('programme/event', locale, {
      title: translate(locale, 'programme.title'),
      event: presenter.eventSummary(),
      section: 'programme',
      details: presenter.eventDetails(programme),
      schedule: presenter.schedule(sessions, live),
      live: live.live,
      filtered: Boolean(selected.part || selected.room || selected.speaker),
      filterOptions: filterOptions(programme, presenter, selected),
      lang: request.query.lang,
    });
  });

  app.get('/events/:slug/now', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = getProgramme(app.db, request.params.slug);
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const now = app.now();
    const rooms = nowByRoom(programme, now).map(({ room, current, next }) => ({
      name: room ? presenter.text(room.name) : { text: translate(locale, 'now.noRoom'), lang: locale },
      current: current ? presenter.session(current) : null,
      next: next ? presenter.session(next) : null,
    }));
    const live = liveState(programme.sessions, now);
    reply.header('Cache-Control', 'no-cache');
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
    const programme = getProgramme(app.db, request.params.slug);
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const session = findSession(programme, request.params.id);
    const view = presenter.session(session, liveState(programme.sessions, app.now()));
    return reply.page('programme/session', locale, {
      title: view.title?.text ?? '',
      event: presenter.eventSummary(),
      section: 'programme',
      session: view,
      details: presenter.eventDetails(programme),
    });
  });

  app.get('/events/:slug/speakers', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = getProgramme(app.db, request.params.slug);
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
    const programme = getProgramme(app.db, request.params.slug);
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
    });
  });

  app.get('/events/:slug/outputs', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = getProgramme(app.db, request.params.slug);
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

  app.get('/api/v1/events', { schema: { response: { 200: ApiEventList } } }, async () => {
    return { events: getEvents(app.db).map(apiEvent) };
  });

  app.get('/api/v1/events/:slug/programme', { schema: { params: EventParams, response: { 200: ApiProgramme } } }, async (request) => {
    return toApiProgramme(getProgramme(app.db, request.params.slug));
  });
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
