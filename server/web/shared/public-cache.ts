// What any reader without an account sees is the same for all of them: the public pages, feeds,
// exports and read API of the latest releases. Each response is rendered once and then sent as
// bytes, with its headers, to every reader who asks for the same thing, until what it shows
// changes. Its key holds everything the bytes depend on: the address, the language inputs
// (Accept-Language and the language cookie, for pages that negotiate), the word for what the
// public sees of the event (a release, its conclusions: domains/releases/reader.ts), and the
// minute (the programme shows what is on now; nothing shown changes within a minute). That
// word is asked of the database only when the database changed (db/generation.ts), so a hit
// costs one tiny statement, a lookup and a write; and every write is seen by the next request,
// whichever process made it.
//
// Nothing personal is ever kept or marked shareable: a request that carries an account (a
// session cookie, a preview, an API token) or a personal agenda of the browser is rendered for
// itself and marked private; a response that sets a cookie is never kept nor public.
//
// Every kept response also tells shared caches (nginx, a CDN) how to keep it: public, for
// CACHE_MAX_AGE seconds, with an ETag they revalidate with; pages vary on Accept-Language and
// Cookie. Conditional requests get their 304 whatever their own Cache-Control says.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { BoundedCache } from '../../cache.ts';
import { publicStateOf } from '../../domains/releases/reader.ts';
import { feedbackStateOf } from '../../domains/participants/feedback.ts';
import { LANGUAGE_COOKIE } from '../../i18n/request.ts';
import { notModified } from './conditional.ts';

/** Whether a response depends on the reader's language preferences, or only on its address (?lang=). */
type Languages = 'negotiated' | 'address';

interface PublicRoute {
  /** What the response shows: one event (its :slug), or every event (the site). */
  scope: 'event' | 'site';
  languages: Languages;
  /**
   * Whether it shows participants' feedback figures: then its key holds the word for the
   * event's answers too. Other responses do not change with each answer given.
   */
  feedback?: true;
}

const PAGE: PublicRoute = { scope: 'event', languages: 'negotiated' };
const FILE: PublicRoute = { scope: 'event', languages: 'address' };

/**
 * The responses kept, by route. The list is explicit: a route joins it only once everything its
 * bytes depend on is in the key above. The app refuses to start if one of them is not registered.
 */
export const PUBLIC_ROUTES: Record<string, PublicRoute> = {
  '/': { scope: 'site', languages: 'negotiated' },
  '/events/:slug': PAGE,
  '/events/:slug/parts/:id': PAGE,
  '/events/:slug/now': PAGE,
  '/events/:slug/sessions/:id': PAGE,
  '/events/:slug/speakers': PAGE,
  '/events/:slug/speakers/:id': PAGE,
  '/events/:slug/outputs': PAGE,
  '/events/:slug/changes': PAGE,
  '/events/:slug/report': { ...PAGE, feedback: true },
  '/events/:slug/follow-up': PAGE,
  '/events/:slug/follow-up.atom': FILE,
  '/api/v1/events/:slug/follow-up': FILE,
  '/events/:slug/calendar.ics': FILE,
  '/events/:slug/parts/:id/calendar.ics': FILE,
  '/events/:slug/rooms/:id/calendar.ics': FILE,
  '/events/:slug/speakers/:id/calendar.ics': FILE,
  '/events/:slug/sessions/:id/calendar.ics': FILE,
  '/events/:slug/schedule.xml': FILE,
  '/events/:slug/schedule.json': FILE,
  '/events/:slug/programme.json': FILE,
  '/events/:slug/sessions.csv': { ...FILE, feedback: true },
  '/api/v1/events/:slug/feedback': { ...FILE, feedback: true },
  '/events/:slug/manifest.webmanifest': FILE,
  '/events/:slug/offline.json': FILE,
  '/events/:slug/qr.svg': FILE,
  '/events/:slug/embed.json': FILE,
  '/api/v1/events': { scope: 'site', languages: 'address' },
  '/api/v1/events/:slug/programme': FILE,
};

/** The cookie that names a browser to the feedback forms (web/site/feedback.ts): no public page depends on it. */
export const FEEDBACK_COOKIE = 'feedback';

/** Cookies that change nothing in a public response, or that the key already holds. */
const NEUTRAL_COOKIES = new Set([LANGUAGE_COOKIE, '_csrf', FEEDBACK_COOKIE]);

/** Rendered responses kept: their bytes together stay under this (the congress's day pages are ~200 KB each). */
const KEPT_BYTES = 48 * 1024 * 1024;
const KEPT_RESPONSES = 2_000;

/** Headers that belong to one exchange, never replayed. */
const EXCHANGE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'set-cookie']);

interface Kept {
  body: Buffer;
  etag: string;
  /** The body compressed with gzip, made when a reader first accepts it; null when not worth it. */
  gzip?: { body: Buffer; etag: string } | null;
  lastModified: Date | undefined;
  headers: OutgoingHttpHeaders;
  /** What a 304 carries: the headers a full answer would, but those describing its body. */
  notModifiedHeaders: OutgoingHttpHeaders;
}

type Visit = { kind: 'hit' } | { kind: 'miss'; key: string; route: PublicRoute } | { kind: 'personal' } | { kind: 'head' };

const visits = new WeakMap<FastifyRequest, Visit>();

/** Whether the request carries anything that makes its answer its own. */
function isPersonal(request: FastifyRequest): boolean {
  if (request.headers.authorization !== undefined) return true;
  for (const name in request.cookies) if (!NEUTRAL_COOKIES.has(name)) return true;
  return false;
}

function keyOf(request: FastifyRequest, route: PublicRoute, state: string, minute: number): string {
  const languages = route.languages === 'negotiated'
    ? `${request.headers['accept-language'] ?? ''}\u0000${request.cookies[LANGUAGE_COOKIE] ?? ''}`
    : '';
  return `${request.url}\u0000${languages}\u0000${state}\u0000${minute}`;
}

/** Bodies smaller than this are sent as they are: compressing them saves less than it costs. */
const COMPRESS_FROM = 1024;

/** Whether the reader takes gzip (Accept-Encoding, RFC 9110 12.5.3), unless it refused it with q=0. */
function acceptsGzip(request: FastifyRequest): boolean {
  const accepted = request.headers['accept-encoding'];
  return accepted !== undefined && accepted.includes('gzip') && !/gzip\s*;\s*q=0(\.0{0,3})?\s*(,|$)/.test(accepted);
}

/**
 * The representation for this reader: gzip for those who take it (a day of a congress is
 * about 1 MB of HTML and 150 KB on the wire), compressed once; else the bytes as rendered.
 */
function variantFor(request: FastifyRequest, kept: Kept): { body: Buffer; etag: string; gzip: boolean } {
  if (!acceptsGzip(request)) return { body: kept.body, etag: kept.etag, gzip: false };
  if (kept.gzip === undefined) {
    const type = String(kept.headers['content-type'] ?? '');
    kept.gzip = kept.body.length >= COMPRESS_FROM && /^(text\/|application\/(json|xml|problem\+json))/.test(type)
      ? { body: gzipSync(kept.body), etag: `${kept.etag.slice(0, -1)}-gz"` }
      : null;
  }
  return kept.gzip ? { ...kept.gzip, gzip: true } : { body: kept.body, etag: kept.etag, gzip: false };
}

/** Whether the reader's copy is current, in whichever encoding it got it. */
function readerHasIt(request: FastifyRequest, kept: Kept): boolean {
  return notModified(request.headers, kept.etag, kept.lastModified)
    || (kept.gzip != null && notModified(request.headers, kept.gzip.etag, kept.lastModified));
}

function keep(reply: FastifyReply, body: Buffer): Kept {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined && !EXCHANGE_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  const etag = typeof headers.etag === 'string' ? headers.etag : `"${createHash('sha1').update(body).digest('base64url')}"`;
  headers.etag = etag;
  // The body may be sent compressed: shared caches keep one copy per encoding.
  headers.vary = headers.vary ? `${String(headers.vary)}, Accept-Encoding` : 'Accept-Encoding';
  const notModifiedHeaders = { ...headers };
  delete notModifiedHeaders['content-type'];
  delete notModifiedHeaders['content-disposition'];
  const lastModified = typeof headers['last-modified'] === 'string' ? new Date(headers['last-modified']) : undefined;
  return { body, etag, lastModified, headers, notModifiedHeaders };
}

async function publicCachePlugin(app: FastifyInstance, options: { maxAge: number }) {
  const kept = new BoundedCache<string, Kept>(KEPT_RESPONSES, { maxWeight: KEPT_BYTES, weigh: (k) => k.body.length + 1024 });
  const shared = `public, max-age=${options.maxAge}`;
  // Pages: a shared cache keeps them for CACHE_MAX_AGE, a reader's browser asks again at each
  // visit (a 304 when nothing changed), so a participant who reloads sees a release at once.
  const sharedPage = `public, max-age=0, s-maxage=${options.maxAge}`;
  app.decorate('sharedCacheControl', shared);

  const registered = new Set<string>();
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.method === 'GET' || (Array.isArray(route.method) && route.method.includes('GET'))) registered.add(route.url);
  });
  app.addHook('onReady', async () => {
    const missing = Object.keys(PUBLIC_ROUTES).filter((url) => !registered.has(url));
    if (missing.length > 0) throw new Error(`public-cache: no route ${missing.join(', ')}: update PUBLIC_ROUTES`);
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const route = PUBLIC_ROUTES[request.routeOptions.url ?? ''];
    if (!route) return;
    if (isPersonal(request)) {
      visits.set(request, { kind: 'personal' });
      return;
    }
    if (request.method === 'HEAD') {
      // Rendered afresh (HEAD is rare), with the headers of its GET.
      visits.set(request, { kind: 'head' });
      return;
    }
    // Asks the database whether anything changed (once), then what the public sees of the event.
    const slug = route.scope === 'site' ? '*' : (request.params as { slug: string }).slug;
    const released = publicStateOf(app.db, slug);
    // An unknown event, or one never released: its 404 is not kept.
    if (released === null) return;
    const state = route.feedback ? `${released}/${feedbackStateOf(app.db, slug).word}` : released;
    const key = keyOf(request, route, state, Math.floor(app.now().getTime() / 60_000));
    const found = kept.get(key);
    if (!found) {
      visits.set(request, { kind: 'miss', key, route });
      return;
    }
    visits.set(request, { kind: 'hit' });
    const variant = variantFor(request, found);
    if (readerHasIt(request, found)) return reply.code(304).headers(found.notModifiedHeaders).header('etag', variant.etag).send();
    reply.headers(found.headers);
    if (variant.gzip) reply.header('content-encoding', 'gzip').header('etag', variant.etag);
    return reply.send(variant.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const visit = visits.get(request);
    if (!visit || visit.kind === 'hit') return payload;
    if (visit.kind === 'head') {
      if (reply.statusCode === 200 && !reply.hasHeader('set-cookie')) reply.header('vary', reply.hasHeader('vary') ? `${String(reply.getHeader('vary'))}, Accept-Encoding` : 'Accept-Encoding');
      return payload;
    }
    const setsCookie = reply.hasHeader('set-cookie');
    const policy = String(reply.getHeader('cache-control') ?? '');
    if (visit.kind === 'personal' || setsCookie) {
      // Never shareable: whatever the route said, a personal answer or one that sets a cookie is
      // private. A bare "no-cache" (the now page) still lets a shared cache keep the page, so
      // only "private" or "no-store" may stand.
      if (!/private|no-store/.test(policy)) reply.header('cache-control', 'private, no-cache');
      return payload;
    }
    if (reply.statusCode !== 200 || /private|no-store/.test(policy)) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (policy === '') reply.header('cache-control', visit.route.languages === 'negotiated' ? sharedPage : shared);
    const entry = keep(reply, typeof payload === 'string' ? Buffer.from(payload) : payload);
    kept.set(visit.key, entry);
    reply.header('vary', entry.headers.vary!);
    const variant = variantFor(request, entry);
    reply.header('etag', variant.etag);
    if (readerHasIt(request, entry)) {
      reply.code(304).removeHeader('content-type');
      reply.removeHeader('content-disposition');
      return '';
    }
    if (variant.gzip) reply.header('content-encoding', 'gzip');
    return variant.body;
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The Cache-Control of a public response: how long any cache may keep it (CACHE_MAX_AGE). */
    sharedCacheControl: string;
  }
}

export default fp(publicCachePlugin, { name: 'public-cache', dependencies: ['db'] });
