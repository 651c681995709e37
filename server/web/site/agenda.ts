// Personal agendas: tick sessions on the programme, get a private address to edit and subscribe.
import fastifyRateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, ForbiddenError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { Presenter } from '../shared/presenter.ts';
import { liveState, type Programme } from '../../domains/programme/assemble.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import type { Language } from '../../db/schema.ts';
import type { EventRow } from '../../domains/programme/repository.ts';
import { changeAgenda, createAgenda, findAgenda, type Agenda } from '../../domains/participants/agendas.ts';
import { inLanguage } from '../../addresses.ts';
import { calendarName, agendaFeedPath, feedLinks } from '../shared/links.ts';
import { AgendaChange, AgendaPageQuery, AgendaParams, asList, FeedQuery, NewAgenda } from '../shared/feed-schemas.ts';

/** The cookie that lets the programme page of an event remember this browser's agenda. */
export function agendaCookieName(eventPublicId: string): string {
  return `agenda-${eventPublicId}`;
}

export function agendaPath(token: string, locale: Language, event: Pick<EventRow, 'defaultLanguage'>): string {
  return inLanguage(`/my/${token}`, locale, event);
}

/** Turns the public ids of a form into the event's session ids; an id the event lacks is refused. */
function sessionIdsOf(programme: Programme, publicIds: string[]): number[] {
  return [...new Set(publicIds)].map((publicId) => {
    const session = programme.sessions.find((s) => s.publicId === publicId);
    if (!session) throw new BadRequestError(`This event has no session "${publicId}"`);
    return session.row.id;
  });
}

/**
 * Forms that change an agenda must come from our own pages: a browser says where a request
 * comes from in Sec-Fetch-Site, and another site has no business posting here.
 */
function refuseCrossSite(request: FastifyRequest): void {
  if (request.headers['sec-fetch-site'] === 'cross-site') {
    throw new ForbiddenError('Agendas can only be changed from this site');
  }
}

function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('application/json');
}

/**
 * New agendas per client address and minute. Generous, because a whole forum may share the
 * venue's one public address; enough to stop a script from filling the database.
 */
const AGENDA_CREATIONS_PER_MINUTE = 120;

export default async function agendaRoutes(fastify: FastifyInstance, options: { publicUrl: string; secureCookies: boolean }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  await app.register(fastifyRateLimit, { global: false });

  function remember(reply: FastifyReply, programme: Programme, token: string) {
    reply.setCookie(agendaCookieName(programme.event.publicId), token, {
      path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies, maxAge: 365 * 24 * 3600,
    });
  }

  function answer(request: FastifyRequest, reply: FastifyReply, programme: Programme, token: string, agenda: Agenda, status: number) {
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const page = agendaPath(token, locale, programme.event);
    remember(reply, programme, token);
    reply.header('Cache-Control', 'private, no-store');
    if (wantsJson(request)) {
      return reply.code(status).send({
        agenda: page,
        calendar: agendaFeedPath(token, programme.event, locale),
        sessions: programme.sessions.filter((s) => agenda.sessionIds.has(s.row.id)).map((s) => s.publicId),
        message: translate(locale, 'agenda.saved', { count: agenda.sessionIds.size }),
      });
    }
    // Post/redirect/get: reloading the agenda page never sends the form again.
    return reply.code(303).header('Location', `${page}${page.includes('?') ? '&' : '?'}saved=1`).send();
  }

  app.post('/my', {
    schema: { body: NewAgenda, querystring: FeedQuery },
    config: { rateLimit: { max: AGENDA_CREATIONS_PER_MINUTE, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    refuseCrossSite(request);
    const programme = readProgramme(app.db, { slug: request.body.event }, 'released');
    const chosen = sessionIdsOf(programme, asList(request.body.session));
    const { token, agenda } = createAgenda(app.db, programme.event.id, chosen, app.now());
    return answer(request, reply, programme, token, agenda, 201);
  });

  app.post('/my/:token', { schema: { params: AgendaParams, body: AgendaChange, querystring: FeedQuery } }, async (request, reply) => {
    refuseCrossSite(request);
    const agenda = findAgenda(app.db, request.params.token);
    const programme = readProgramme(app.db, { id: agenda.row.eventId }, 'released');
    const ticked = sessionIdsOf(programme, asList(request.body.session));
    // Without `listed`, the form showed the whole programme.
    const listed = request.body.listed === undefined ? programme.sessions.map((s) => s.row.id) : sessionIdsOf(programme, asList(request.body.listed));
    changeAgenda(app.db, agenda, { add: ticked, remove: listed.filter((id) => !ticked.includes(id)) }, app.now());
    return answer(request, reply, programme, request.params.token, agenda, 200);
  });

  app.get('/my/:token', {
    schema: { params: AgendaParams, querystring: AgendaPageQuery },
  }, async (request, reply) => {
    const { token } = request.params;
    const agenda = findAgenda(app.db, token);
    const programme = readProgramme(app.db, { id: agenda.row.eventId }, 'released');
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const live = liveState(programme.sessions, app.now());
    const chosen = programme.sessions.filter((s) => agenda.sessionIds.has(s.row.id));
    const name = calendarName({ event: programme.event, locale, scopeName: translate(locale, 'agenda.title') });
    remember(reply, programme, token);
    reply.header('Cache-Control', 'private, no-store').header('X-Robots-Tag', 'noindex');
    return reply.page('site/agenda', locale, {
      title: translate(locale, 'agenda.title'),
      event: presenter.eventSummary(),
      section: 'agenda',
      noindex: true,
      saved: request.query.saved === '1',
      chosen: presenter.schedule(chosen, live),
      count: chosen.length,
      agendaForm: {
        action: agendaPath(token, locale, programme.event),
        sessions: programme.sessions.map((s) => presenter.session(s, undefined, agenda.sessionIds)),
      },
      subscribe: { name, links: feedLinks(options.publicUrl, agendaFeedPath(token, programme.event, locale), name) },
    });
  });
}
