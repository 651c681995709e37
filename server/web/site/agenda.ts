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

/** How a change is answered: its status, and for one session's toggle, that session and the page to go back to. */
interface Change { status: number; toggled: string | null; back: string | null }

/**
 * A toggle names one session; its `return` must be a page of the same event (its programme,
 * a part's or a session's page), so that the form can never send a reader to another site
 * (nor, through dot segments, plain or encoded, to another page of this one).
 */
function changeOf(programme: Programme, body: { listed?: string | string[] | undefined; return?: string | undefined }, status: number): Change {
  const listed = asList(body.listed);
  const toggled = listed.length === 1 ? listed[0]! : null;
  if (toggled !== null && !programme.sessions.some((s) => s.publicId === toggled)) throw new BadRequestError(`This event has no session "${toggled}"`);
  if (body.return === undefined) return { status, toggled, back: null };
  const base = `/events/${programme.event.slug}`;
  const rest = body.return.slice(base.length);
  const ownPage = body.return.startsWith(base) && /^(?:[/?]|$)/.test(rest) && !/(?:^|\/)\.\.?(?:[/?]|$)|\/\/|%2e/i.test(body.return);
  if (!ownPage) throw new BadRequestError('The return address must be a page of this event');
  if (toggled === null) throw new BadRequestError('A return address goes with the toggle of one session');
  return { status, toggled, back: body.return };
}

/** The page a toggle came from, confirming that session beside it: `saved` names it, the fragment scrolls to it. */
function returnLocation(back: string, sessionId: string): string {
  const [path, query = ''] = back.split('?', 2) as [string, string?];
  const search = new URLSearchParams(query);
  search.set('saved', sessionId);
  return `${path}?${search.toString()}#session-${sessionId}`;
}

/** The words of the agenda bar: "Mon agenda : 3 sessions →". */
export function agendaBarLabel(locale: Language, count: number): string {
  if (count === 0) return translate(locale, 'pocket.bar.zero');
  return count === 1 ? translate(locale, 'pocket.bar.one') : translate(locale, 'pocket.bar', { count });
}

export default async function agendaRoutes(fastify: FastifyInstance, options: { publicUrl: string; secureCookies: boolean }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  await app.register(fastifyRateLimit, { global: false });

  function remember(reply: FastifyReply, programme: Programme, token: string) {
    reply.setCookie(agendaCookieName(programme.event.publicId), token, {
      path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies, maxAge: 365 * 24 * 3600,
    });
  }

  /** The answer to a change: JSON for the script, else back to the toggle's page or to the agenda page. */
  function answer(request: FastifyRequest, reply: FastifyReply, programme: Programme, token: string, agenda: Agenda, change: Change) {
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const page = agendaPath(token, locale, programme.event);
    remember(reply, programme, token);
    reply.header('Cache-Control', 'private, no-store');
    const toggled = change.toggled === null ? null : programme.sessions.find((s) => s.publicId === change.toggled)!;
    if (wantsJson(request)) {
      return reply.code(change.status).send({
        agenda: page,
        calendar: agendaFeedPath(token, programme.event, locale),
        sessions: programme.sessions.filter((s) => agenda.sessionIds.has(s.row.id)).map((s) => s.publicId),
        message: toggled
          ? translate(locale, agenda.sessionIds.has(toggled.row.id) ? 'pocket.added' : 'pocket.removed')
          : translate(locale, 'agenda.saved', { count: agenda.sessionIds.size }),
        bar: agendaBarLabel(locale, agenda.sessionIds.size),
      });
    }
    // Post/redirect/get: reloading the page never sends the form again.
    if (change.back !== null && toggled) return reply.code(303).header('Location', returnLocation(change.back, toggled.publicId)).send();
    return reply.code(303).header('Location', `${page}${page.includes('?') ? '&' : '?'}saved=1`).send();
  }

  app.post('/my', {
    schema: { body: NewAgenda, querystring: FeedQuery },
    config: { rateLimit: { max: AGENDA_CREATIONS_PER_MINUTE, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    refuseCrossSite(request);
    const programme = readProgramme(app.db, { slug: request.body.event }, 'released');
    const chosen = sessionIdsOf(programme, asList(request.body.session));
    const change = changeOf(programme, request.body, 201);
    const { token, agenda } = createAgenda(app.db, programme.event.id, chosen, app.now());
    return answer(request, reply, programme, token, agenda, change);
  });

  app.post('/my/:token', { schema: { params: AgendaParams, body: AgendaChange, querystring: FeedQuery } }, async (request, reply) => {
    refuseCrossSite(request);
    const agenda = findAgenda(app.db, request.params.token);
    const programme = readProgramme(app.db, { id: agenda.row.eventId }, 'released');
    const change = changeOf(programme, request.body, 200);
    const ticked = sessionIdsOf(programme, asList(request.body.session));
    // Without `listed`, the form showed the whole programme.
    const listed = request.body.listed === undefined ? programme.sessions.map((s) => s.row.id) : sessionIdsOf(programme, asList(request.body.listed));
    changeAgenda(app.db, agenda, { add: ticked, remove: listed.filter((id) => !ticked.includes(id)) }, app.now());
    return answer(request, reply, programme, request.params.token, agenda, change);
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
