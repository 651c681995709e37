// The public programme as an installable web app that keeps working offline: a manifest per
// event, a service worker at the site's root (it must be there to cover /events/… and /my/…),
// the Workbox modules it imports, and the list of addresses it keeps for an event.
//
// What the worker may keep is decided here and in the worker together: it keeps nothing marked
// no-store but the reader's own agenda, and nothing answered to a signed-in account (an
// organiser's pages, their previews): those answers carry OFFLINE_KEEP_HEADER.
import fs from 'node:fs';
import path from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { eventPath } from '../../addresses.ts';
import { ALL_DAYS, planDays, UNSCHEDULED, type Programme } from '../../domains/programme/assemble.ts';
import { publicStateOf, readProgramme } from '../../domains/releases/reader.ts';
import type { Language } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';
import { VIEWS_DIR } from '../../plugins/views.ts';
import { SESSION_COOKIE } from '../shared/auth.ts';
import { Presenter } from '../shared/presenter.ts';
import { EventParams, LangQuery } from '../shared/schemas.ts';

/** Marks an answer the worker must not keep: it was made for a signed-in account. */
export const OFFLINE_KEEP_HEADER = 'Offline-Keep';

/** The Workbox browser builds the worker imports, by the name it asks for: nothing else is served. */
const WORKBOX_FILES: Record<string, string> = Object.fromEntries(
  ['sw', 'core', 'routing', 'strategies', 'cacheable-response'].map((name) => {
    const file = name === 'sw' ? 'workbox-sw.js' : `workbox-${name}.prod.js`;
    return [file, path.join(VIEWS_DIR, '..', 'node_modules', `workbox-${name}`, 'build', file)];
  }),
);

/** The theme colour of the installed app: the site's accent (views/assets/site.css). */
const THEME_COLOUR = '#0b5cad';

/** Chromium shows at most about twelve characters under a home-screen icon. */
const SHORT_NAME_LENGTH = 12;

/** A name short enough for a home screen: the title's first words that fit, else its start. */
export function shortName(title: string): string {
  if (title.length <= SHORT_NAME_LENGTH) return title;
  let name = '';
  for (const word of title.split(/\s+/)) {
    const next = name ? `${name} ${word}` : word;
    if (next.length > SHORT_NAME_LENGTH) break;
    name = next;
  }
  return name || title.slice(0, SHORT_NAME_LENGTH);
}

/** The web app manifest of an event's programme, in the reader's language. */
function manifestOf(programme: Programme, locale: Language) {
  const presenter = new Presenter(programme.event, locale);
  const title = presenter.text(programme.event.title)?.text ?? programme.event.slug;
  const start = eventPath(programme.event);
  return {
    id: start,
    name: translate(locale, 'offline.appName', { event: title }),
    short_name: shortName(title),
    description: translate(locale, 'offline.appDescription', { event: title }),
    lang: locale,
    dir: 'ltr',
    start_url: `${start}?lang=${locale}`,
    // The whole site: the programme's pages and the participant's agenda (/my/…) open in the app.
    scope: '/',
    display: 'standalone',
    theme_color: THEME_COLOUR,
    background_color: '#ffffff',
    icons: [
      { src: '/assets/offline-icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
      { src: '/offline/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/offline/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    ],
  };
}

/**
 * The addresses of the event's pages the worker keeps, as the pages link to them (the reader's
 * language travels in their cookie and Accept-Language, as when they follow a link): the
 * programme and its days, the parts, the sessions, the speakers and the outputs.
 */
export function offlineUrls(programme: Programme, now: Date): string[] {
  const base = eventPath(programme.event);
  const days = planDays(programme, programme.sessions, undefined, now, false);
  const dayPages = days.paged ? [...days.dates, ...(days.hasUnscheduled ? [UNSCHEDULED] : []), ALL_DAYS].map((day) => `${base}?day=${day}`) : [];
  return [
    base,
    ...dayPages,
    ...programme.parts.map((p) => `${base}/parts/${p.publicId}`),
    ...programme.sessions.map((s) => `${base}/sessions/${s.publicId}`),
    `${base}/speakers`,
    ...[...programme.people, ...programme.organisations].map((c) => `${base}/speakers/${c.publicId}`),
    `${base}/outputs`,
  ];
}

function sendFile(reply: FastifyReply, type: string, body: Buffer | string, cacheControl: string) {
  return reply.type(type).header('Cache-Control', cacheControl).send(body);
}

/** Registers the offline app's routes, and marks the answers given to a signed-in account. */
async function offlineRoutes(fastify: FastifyInstance, _options: { publicUrl: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const worker = fs.readFileSync(path.join(VIEWS_DIR, 'offline', 'sw.js'));
  const icons = {
    192: fs.readFileSync(path.join(VIEWS_DIR, 'offline', 'icon-192.png')),
    512: fs.readFileSync(path.join(VIEWS_DIR, 'offline', 'icon-512.png')),
  };
  const workbox = new Map(Object.entries(WORKBOX_FILES).map(([name, file]) => [name, fs.readFileSync(file)]));

  app.addHook('onSend', async (request: FastifyRequest, reply, payload) => {
    if (request.cookies?.[SESSION_COOKIE]) reply.header(OFFLINE_KEEP_HEADER, 'no');
    return payload;
  });

  // Asked again at every visit (browsers also check at least daily): a new worker takes over at once.
  app.get('/sw.js', async (_request, reply) => sendFile(reply, 'text/javascript; charset=utf-8', worker, 'no-cache'));

  // One fixed address per file: any other name, or a path, is no route at all.
  for (const [name, body] of workbox) {
    app.get(`/offline/workbox/${name}`, async (_request, reply) => sendFile(reply, 'text/javascript; charset=utf-8', body, 'public, max-age=86400'));
  }

  app.get('/offline/icon-192.png', async (_request, reply) => sendFile(reply, 'image/png', icons[192], 'public, max-age=86400'));
  app.get('/offline/icon-512.png', async (_request, reply) => sendFile(reply, 'image/png', icons[512], 'public, max-age=86400'));

  // Only the released programme: a preview never becomes an app nor a list to keep.
  app.get('/events/:slug/manifest.webmanifest', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = readProgramme(app.db, { slug: request.params.slug }, 'released');
    const locale = request.query.lang ?? programme.event.defaultLanguage;
    return reply.type('application/manifest+json; charset=utf-8').send(manifestOf(programme, locale));
  });

  app.get('/events/:slug/offline.json', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const programme = readProgramme(app.db, { slug: request.params.slug }, 'released');
    const locale = request.query.lang ?? programme.event.defaultLanguage;
    return reply.type('application/json; charset=utf-8').send({
      event: programme.event.slug,
      lang: locale,
      // What the public sees of the event: it changes with each release (and its conclusions).
      revision: publicStateOf(app.db, programme.event.slug),
      urls: offlineUrls(programme, app.now()),
    });
  });
}

// Not encapsulated: the marking hook covers every route of the site.
export default fp(offlineRoutes, { name: 'offline' });
