// Calendar feeds: the whole event, a part, a room, a contributor, one session, a personal agenda.
import fastifyCors from '@fastify/cors';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BoundedCache } from '../../cache.ts';
import { notModified, strongEtag } from '../shared/conditional.ts';
import type { Language } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';
import type { EventRow } from '../../domains/programme/repository.ts';
import { filterSessions, findContributor, findSession, involves, type Programme, type ProgrammeSession } from '../../domains/programme/assemble.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { NotFoundError } from '../../errors.ts';
import { findAgenda, type Agenda } from '../../domains/participants/agendas.ts';
import { refreshPolicy, renderCalendar, textOf } from '../../domains/calendar/ical.ts';
import { AgendaParams, FeedQuery } from '../shared/feed-schemas.ts';
import { EventParams, ItemParams } from '../shared/schemas.ts';

/** Part of every ETag: raise it when the feed's format changes, so that caches let go. */
const FEED_FORMAT = 1;

/** Feeds already written, by ETag: an ETag names exactly one body, so this cache cannot go stale. */
const renderedFeeds = new BoundedCache<string, { body: string; filename: string | undefined }>(500);

/** What a feed shows of the programme, worked out only when the feed has to be written. */
interface FeedContent {
  sessions: ProgrammeSession[];
  /** What the feed narrows the event to, for its name. */
  name: string | null;
  /** For single-session downloads: the file name offered to the browser. */
  filename?: string;
}

interface FeedRequest {
  /** The latest release: feeds never show the organisers' working copy. */
  programme: Programme;
  /** Tells the feeds of one event apart in the ETag. */
  scopeKey: string;
  agenda?: Agenda;
  /** Whether what the feed narrows to (a part, a room…) exists: a 304 is only for something that exists (RFC 9110, 13.2.1). */
  exists?: () => boolean;
  /** Reads the feed's sessions from the programme; throws NotFoundError for an unknown part, room… */
  content: (programme: Programme, locale: Language) => FeedContent;
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
  app.get('/events/:slug/calendar.ics', { schema: { params: EventParams, querystring: FeedQuery } }, async (request, reply) => sendFeed(request, reply, options.publicUrl, {
    programme: readProgramme(app.db, { slug: request.params.slug }, 'released'),
    scopeKey: 'event',
    content: (programme) => ({ sessions: programme.sessions, name: null }),
  }));

  for (const feed of ITEM_FEEDS) {
    app.get(`/events/:slug/${feed.path}/:id/calendar.ics`, { schema: { params: ItemParams, querystring: FeedQuery } }, async (request, reply) => {
      const { id } = request.params;
      const programme = readProgramme(app.db, { slug: request.params.slug }, 'released');
      return sendFeed(request, reply, options.publicUrl, {
        programme,
        scopeKey: `${feed.scope}/${id}`,
        exists: () => feed.has(programme, id),
        content: (released, locale) => feed.content(released, id, locale),
      });
    });
  }

  app.get('/my/:token/calendar.ics', { schema: { params: AgendaParams, querystring: FeedQuery } }, async (request, reply) => {
    const agenda = findAgenda(app.db, request.params.token);
    return sendFeed(request, reply, options.publicUrl, {
      programme: readProgramme(app.db, { id: agenda.row.eventId }, 'released'),
      scopeKey: 'agenda',
      agenda,
      content: (programme, locale) => ({
        sessions: programme.sessions.filter((s) => agenda.sessionIds.has(s.row.id)),
        name: translate(locale, 'agenda.title'),
      }),
    });
  });
}

/**
 * The feeds of one thing of an event (/events/:slug/<path>/:id/calendar.ics): whether the
 * release has it (a 304 is only for something that exists), and what the feed shows of it,
 * which throws NotFoundError when the release has no such thing.
 */
const ITEM_FEEDS: { path: string; scope: string; has: (p: Programme, id: string) => boolean; content: (p: Programme, id: string, locale: Language) => FeedContent }[] = [
  {
    path: 'parts', scope: 'part',
    has: (p, id) => p.parts.some((x) => x.publicId === id),
    content: (p, id, locale) => {
      const part = p.parts.find((x) => x.publicId === id);
      if (!part) throw new NotFoundError('part', id);
      return { sessions: filterSessions(p, { part }), name: textOf({ event: p.event, locale }, part.label) };
    },
  },
  {
    path: 'rooms', scope: 'room',
    has: (p, id) => p.rooms.some((x) => x.publicId === id),
    content: (p, id, locale) => {
      const room = p.rooms.find((x) => x.publicId === id);
      if (!room) throw new NotFoundError('room', id);
      return { sessions: filterSessions(p, { room }), name: textOf({ event: p.event, locale }, room.name) };
    },
  },
  {
    path: 'speakers', scope: 'speaker',
    has: (p, id) => p.people.some((x) => x.publicId === id) || p.organisations.some((x) => x.publicId === id),
    content: (p, id, locale) => {
      const contributor = findContributor(p, id);
      return {
        sessions: p.sessions.filter((s) => involves(s, contributor)),
        name: contributor.kind === 'person' ? contributor.person.name : textOf({ event: p.event, locale }, contributor.organisation.name),
      };
    },
  },
  {
    path: 'sessions', scope: 'session',
    has: (p, id) => p.sessions.some((x) => x.publicId === id),
    content: (p, id, locale) => {
      const session = findSession(p, id);
      const title = textOf({ event: p.event, locale }, session.row.title);
      return { sessions: [session], name: title, filename: `${fileSafe(title ?? 'session')}.ics` };
    },
  },
];

/**
 * Answers a feed. The ETag is worked out from the release alone (its event carries the
 * release's sequence and time), so that the polling of calendar apps is answered with a 304
 * before any calendar is written.
 */
function sendFeed(request: FastifyRequest, reply: FastifyReply, publicUrl: string, feed: FeedRequest) {
  const { programme, agenda } = feed;
  const event: EventRow = programme.event;
  const locale = (request.query as { lang?: Language }).lang ?? event.defaultLanguage;
  const now = request.server.now();
  const refresh = refreshPolicy(event, now);
  // The text changes with the data, and also when the refresh interval moves to the next step.
  const lastModified = new Date(Math.max(
    event.updatedAt.getTime(), agenda?.row.updatedAt.getTime() ?? 0, refresh.since?.getTime() ?? 0,
  ));
  // Everything the body depends on, and nothing else: equal ETags mean equal bytes.
  const etag = strongEtag(JSON.stringify([
    FEED_FORMAT, publicUrl, event.publicId, event.revision, event.updatedAt.getTime(),
    feed.scopeKey, locale, refresh.seconds, agenda?.row.id ?? null, agenda?.row.revision ?? null, agenda?.row.updatedAt.getTime() ?? null,
  ]));

  const setHeaders = () => {
    reply
      .header('ETag', etag)
      .header('Last-Modified', lastModified.toUTCString())
      .header('Cache-Control', agenda ? 'private, no-cache' : request.server.sharedCacheControl)
      .header('Content-Language', locale)
      // Other sites may embed or fetch feeds; helmet's default would forbid it.
      .header('Cross-Origin-Resource-Policy', 'cross-origin');
    if (agenda) reply.header('X-Robots-Tag', 'noindex');
  };
  if (notModified(request.headers, etag, lastModified) && feed.exists?.() !== false) {
    setHeaders();
    return reply.code(304).send();
  }

  const rendered = renderedFeeds.getOrCompute(etag, () => {
    // Throws for an unknown part, room…: before any header of a feed is set.
    const content = feed.content(programme, locale);
    const body = renderCalendar({
      event, sessions: content.sessions, scopeName: content.name, locale,
      publicUrl, feedUrl: canonicalFeedUrl(publicUrl, request, locale), refreshSeconds: refresh.seconds,
    });
    return { body, filename: content.filename };
  });
  setHeaders();
  if (rendered.filename) reply.header('Content-Disposition', contentDisposition(rendered.filename));
  return reply.type('text/calendar; charset=utf-8').send(rendered.body);
}


/**
 * The feed's own address for SOURCE: its path and the one parameter that changes its body (the
 * language, always named), never the caller's other parameters. The body is kept by ETag and
 * sent to every caller, so it must not carry what one of them happened to add.
 */
function canonicalFeedUrl(publicUrl: string, request: FastifyRequest, locale: Language): string {
  const path = new URL(request.url, 'http://localhost').pathname;
  return `${publicUrl}${path}?lang=${locale}`;
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
