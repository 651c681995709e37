// Calendar feeds: the whole event, a part, a room, a contributor, one session, a personal agenda.
import { createHash } from 'node:crypto';
import fastifyCors from '@fastify/cors';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fresh from 'fresh';
import type { Language } from '../db/schema.ts';
import { localize, translate } from '../i18n/index.ts';
import {
  filterSessions, findContributor, findSession, getProgramme, getProgrammeOfEvent, involves, type Programme, type ProgrammeSession,
} from '../programme/service.ts';
import { NotFoundError } from '../errors.ts';
import { findAgenda, type Agenda } from './agendas.ts';
import { renderCalendar, refreshSeconds } from './feed.ts';
import { AgendaParams, EventFeedParams, FeedQuery, ItemFeedParams } from './schemas.ts';

/** Part of every ETag: raise it when the feed's format changes, so that caches let go. */
const FEED_FORMAT = 1;

/** Feeds already written, by ETag: an ETag names exactly one body, so this cache cannot go stale. */
const renderedFeeds = new Map<string, string>();
const RENDERED_FEEDS_MAX = 500;

interface FeedScope {
  /** Tells the feeds of one event apart in the ETag. */
  key: string;
  sessions: ProgrammeSession[];
  name: string | null;
  agenda?: Agenda;
  /** For single-session downloads: the file name offered to the browser. */
  filename?: string;
}

export default async function calendarRoutes(fastify: FastifyInstance, options: { publicUrl: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // Feeds are public data: any site may read them (and revalidate them) from a browser.
  await app.register(fastifyCors, {
    origin: '*',
    methods: ['GET', 'HEAD'],
    allowedHeaders: ['If-None-Match', 'If-Modified-Since'],
    exposedHeaders: ['ETag', 'Last-Modified', 'Content-Disposition'],
    maxAge: 86400,
  });

  const feedLocale = (request: FastifyRequest, programme: Programme): Language =>
    (request.query as { lang?: Language }).lang ?? programme.event.defaultLanguage;
  const text = (programme: Programme, locale: Language, value: Parameters<typeof localize>[0]) =>
    localize(value, locale, programme.event.defaultLanguage)?.text ?? null;

  function sendFeed(request: FastifyRequest, reply: FastifyReply, programme: Programme, scope: FeedScope) {
    const { event } = programme;
    const locale = feedLocale(request, programme);
    const refresh = refreshSeconds(event, app.now());
    const agendaRow = scope.agenda?.row;
    const lastModified = new Date(Math.max(event.updatedAt.getTime(), agendaRow?.updatedAt.getTime() ?? 0));
    // Everything the body depends on, and nothing else: equal ETags mean equal bytes.
    const etag = `"${createHash('sha256').update(JSON.stringify([
      FEED_FORMAT, options.publicUrl, event.publicId, event.revision, event.updatedAt.getTime(),
      scope.key, locale, refresh, agendaRow?.id ?? null, agendaRow?.revision ?? null, agendaRow?.updatedAt.getTime() ?? null,
    ])).digest('base64url').slice(0, 32)}"`;

    reply
      .header('ETag', etag)
      .header('Last-Modified', lastModified.toUTCString())
      .header('Cache-Control', scope.agenda ? 'private, no-cache' : 'public, max-age=60')
      .header('Content-Language', locale);
    if (scope.agenda) reply.header('X-Robots-Tag', 'noindex');
    if (fresh(request.headers, { etag, 'last-modified': lastModified.toUTCString() })) {
      return reply.code(304).send();
    }

    let body = renderedFeeds.get(etag);
    if (body === undefined) {
      const feedUrl = `${options.publicUrl}${request.url}`;
      body = renderCalendar({
        event, sessions: scope.sessions, scopeName: scope.name, locale, publicUrl: options.publicUrl, feedUrl, refreshSeconds: refresh,
      });
      if (renderedFeeds.size >= RENDERED_FEEDS_MAX) renderedFeeds.delete(renderedFeeds.keys().next().value!);
      renderedFeeds.set(etag, body);
    }
    if (scope.filename) reply.header('Content-Disposition', contentDisposition(scope.filename));
    return reply.type('text/calendar; charset=utf-8').send(body);
  }

  app.get('/events/:slug/calendar.ics', { schema: { params: EventFeedParams, querystring: FeedQuery } }, async (request, reply) => {
    const programme = getProgramme(app.db, request.params.slug);
    return sendFeed(request, reply, programme, { key: 'event', sessions: programme.sessions, name: null });
  });

  app.get('/events/:slug/parts/:id/calendar.ics', { schema: { params: ItemFeedParams, querystring: FeedQuery } }, async (request, reply) => {
    const programme = getProgramme(app.db, request.params.slug);
    const part = programme.parts.find((p) => p.publicId === request.params.id);
    if (!part) throw new NotFoundError('part', request.params.id);
    return sendFeed(request, reply, programme, {
      key: `part/${part.publicId}`,
      sessions: filterSessions(programme, { part }),
      name: text(programme, feedLocale(request, programme), part.label),
    });
  });

  app.get('/events/:slug/rooms/:id/calendar.ics', { schema: { params: ItemFeedParams, querystring: FeedQuery } }, async (request, reply) => {
    const programme = getProgramme(app.db, request.params.slug);
    const room = programme.rooms.find((r) => r.publicId === request.params.id);
    if (!room) throw new NotFoundError('room', request.params.id);
    return sendFeed(request, reply, programme, {
      key: `room/${room.publicId}`,
      sessions: filterSessions(programme, { room }),
      name: text(programme, feedLocale(request, programme), room.name),
    });
  });

  app.get('/events/:slug/speakers/:id/calendar.ics', { schema: { params: ItemFeedParams, querystring: FeedQuery } }, async (request, reply) => {
    const programme = getProgramme(app.db, request.params.slug);
    const contributor = findContributor(programme, request.params.id);
    return sendFeed(request, reply, programme, {
      key: `speaker/${request.params.id}`,
      sessions: programme.sessions.filter((s) => involves(s, contributor)),
      name: contributor.kind === 'person'
        ? contributor.person.name
        : text(programme, feedLocale(request, programme), contributor.organisation.name),
    });
  });

  app.get('/events/:slug/sessions/:id/calendar.ics', { schema: { params: ItemFeedParams, querystring: FeedQuery } }, async (request, reply) => {
    const programme = getProgramme(app.db, request.params.slug);
    const session = findSession(programme, request.params.id);
    const title = text(programme, feedLocale(request, programme), session.row.title);
    return sendFeed(request, reply, programme, {
      key: `session/${session.publicId}`,
      sessions: [session],
      name: title,
      filename: `${fileSafe(title ?? 'session')}.ics`,
    });
  });

  app.get('/my/:token/calendar.ics', { schema: { params: AgendaParams, querystring: FeedQuery } }, async (request, reply) => {
    const agenda = findAgenda(app.db, request.params.token);
    const programme = getProgrammeOfEvent(app.db, agenda.row.eventId);
    const locale = feedLocale(request, programme);
    return sendFeed(request, reply, programme, {
      key: 'agenda',
      sessions: programme.sessions.filter((s) => agenda.sessionIds.has(s.row.id)),
      name: translate(locale, 'agenda.title'),
      agenda,
    });
  });
}

/**
 * A file name any system accepts: accents dropped, anything but letters, digits and dashes
 * turned into dashes, 80 characters at most.
 */
export function fileSafe(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase().slice(0, 80).replace(/-+$/, '');
  return ascii === '' ? 'session' : ascii;
}
