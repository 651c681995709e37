// Builds the application; never listens. server/main.ts and every test call buildApp.
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { Config } from './config.ts';
import { loadAllBundledProgrammes } from './domains/interop/bundled.ts';
import { countEvents } from './domains/programme/repository.ts';
import { openDatabase, type OpenDatabaseOptions } from './db/client.ts';
import { applyMigrations } from './db/migrate.ts';
import dbPlugin from './plugins/db.ts';
import deliveriesPlugin from './plugins/deliveries.ts';
import errorsPlugin, { sendFrameworkError } from './plugins/errors.ts';
import healthRoutes from './plugins/health.ts';
import requestIdPlugin, { loggerOptions, requestIdOptions } from './plugins/logging.ts';
import { drain, serverTimeoutOptions } from './plugins/timeouts.ts';
import apiDocsRoutes, { OPENAPI_OPTIONS } from './plugins/openapi.ts';
import viewsPlugin, { VIEWS_DIR } from './plugins/views.ts';
import assignmentApiRoutes from './web/api/assignments.ts';
import authApiRoutes from './web/api/auth.ts';
import conclusionApiRoutes from './web/api/conclusions.ts';
import eventApiRoutes, { eventReviewApiRoutes } from './web/api/events.ts';
import { interopApiRoutes } from './web/api/imports.ts';
import itemApiRoutes from './web/api/items.ts';
import programmeApiRoutes from './web/api/programme.ts';
import outboxApiRoutes, { messageSettingsApiRoutes } from './web/api/outbox.ts';
import releaseApiRoutes from './web/api/releases.ts';
import { strictApiScope } from './web/api/scope.ts';
import webhookApiRoutes from './web/api/webhooks.ts';
import calendarRoutes from './web/feeds/calendar.ts';
import exportRoutes from './web/feeds/exports.ts';
import embedRoutes from './web/feeds/embed.ts';
import rapporteur from './web/rapporteur/index.ts';
import authPlugin from './web/shared/auth.ts';
import publicCachePlugin from './web/shared/public-cache.ts';
import wellFormedPlugin from './web/shared/well-formed.ts';
import agendaRoutes from './web/site/agenda.ts';
import feedbackRoutes from './web/site/feedback.ts';
import feedbackApiRoutes from './web/api/feedback.ts';
import authRoutes from './web/site/auth.ts';
import stopRoutes from './web/site/stop.ts';
import changesRoutes from './web/site/changes.ts';
import programmeRoutes from './web/site/programme.ts';
import paperRoutes from './web/site/paper.ts';
import reportRoutes from './web/site/report.ts';
import followUpRoutes from './web/site/follow-up.ts';
import followUpApiRoutes from './web/api/follow-up.ts';
import sessionPagesRoutes from './web/site/sessions.ts';
import nowScreenRoutes from './web/site/now.ts';
import offlineRoutes from './web/site/offline.ts';
import workspace from './web/workspace/index.ts';

export interface AppOptions {
  /** Load the bundled programmes of data/ when the database has no event yet (default true). */
  seedIfEmpty?: boolean;
  /** The app's clock; defaults to the real one. */
  now?: () => Date;
  /** Passed to the database: tests count statements with it. */
  onStatement?: OpenDatabaseOptions['onStatement'];
  /** Told of every route as it is registered: the OpenAPI test compares them with the document. */
  onRoute?: (route: RouteOptions) => void;
  /** Where the log goes instead of stdout: tests read the setup link from it. */
  logStream?: { write(line: string): void };
  /**
   * Queue again the messages and webhooks that a stopped process was sending (default true):
   * false for a cluster's workers, whose primary did it before starting them.
   */
  recoverDeliveries?: boolean;
}

/** Believes the nearest `hops` proxies (proxy-addr numbers them from the nearest, 0). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const db = openDatabase(config.databasePath, { onStatement: options.onStatement });
  try {
    applyMigrations(db);
    if ((options.seedIfEmpty ?? true) && countEvents(db) === 0) loadAllBundledProgrammes(db);
  } catch (error) {
    db.$client.close();
    throw error;
  }

  const app: FastifyInstance = Fastify({
    // JSON lines, each of a request with its id, addresses with their tokens redacted (plugins/logging.ts).
    logger: loggerOptions(config.logLevel, options.logStream),
    ...requestIdOptions(config.requestIdHeader),
    // Header, body and keep-alive timeouts, and a close that does not wait on idle connections.
    ...serverTimeoutOptions(config.timeouts),
    // Behind a reverse proxy, the client's address is the one it forwards (TRUST_PROXY), for sign-in limits and logs.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Seeds and imports are small; nothing we accept needs more.
    bodyLimit: 1024 * 1024,
    // Addresses the router cannot even decode (bad percent-encoding) get the same 400 page as the rest.
    frameworkErrors: (error, request, reply) => sendFrameworkError(app, request, reply, error.message),
  });

  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  await app.register(requestIdPlugin);
  await app.register(drain);
  await app.register(dbPlugin, { db, now: options.now ?? (() => new Date()) });
  // Registered after the database, so that it stops sending before the database closes.
  await app.register(deliveriesPlugin, { config, recover: options.recoverDeliveries ?? true });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  // Every string of every request is well-formed Unicode (422 naming the field), and pages leave clean: before the public cache keeps them.
  await app.register(wellFormedPlugin);
  // Before everything else that runs on each request: a kept public response is sent from here.
  await app.register(publicCachePlugin, { maxAge: config.cacheMaxAge });
  const secureCookies = config.publicUrl.startsWith('https:');
  await app.register(authPlugin, { publicUrl: config.publicUrl, secureCookies });
  // Collects the schemas of the routes registered after it into the OpenAPI document.
  await app.register(fastifySwagger, OPENAPI_OPTIONS(config.publicUrl));
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        upgradeInsecureRequests: config.publicUrl.startsWith('https:') ? [] : null,
      },
    },
    hsts: config.publicUrl.startsWith('https:'),
  });
  await app.register(fastifyStatic, {
    root: path.join(VIEWS_DIR, 'assets'),
    prefix: '/assets/',
    maxAge: '1h',
  });
  await app.register(viewsPlugin, { publicUrl: config.publicUrl });
  await app.register(errorsPlugin, { publicUrl: config.publicUrl });
  await app.register(healthRoutes);
  // The public site
  await app.register(programmeRoutes, { publicUrl: config.publicUrl });
  await app.register(sessionPagesRoutes, { publicUrl: config.publicUrl });
  await app.register(nowScreenRoutes);
  await app.register(offlineRoutes, { publicUrl: config.publicUrl });
  await app.register(changesRoutes);
  await app.register(reportRoutes, { publicUrl: config.publicUrl });
  await app.register(followUpRoutes, { publicUrl: config.publicUrl });
  await app.register(paperRoutes, { publicUrl: config.publicUrl });
  await app.register(agendaRoutes, { publicUrl: config.publicUrl, secureCookies });
  await app.register(feedbackRoutes, { secureCookies });
  await app.register(authRoutes);
  // The stop link of the messages: no CSRF token (the link's token is the capability; RFC 8058 one-click posts carry none).
  await app.register(stopRoutes);
  // Feeds and exports
  await app.register(calendarRoutes, { publicUrl: config.publicUrl });
  await app.register(exportRoutes, { publicUrl: config.publicUrl });
  await app.register(embedRoutes, { publicUrl: config.publicUrl });
  // The API: the public read API, then the strict scope of everything that needs an account
  await app.register(programmeApiRoutes);
  await app.register(strictApiScope(
    authApiRoutes, eventApiRoutes, itemApiRoutes, assignmentApiRoutes, eventReviewApiRoutes, releaseApiRoutes, conclusionApiRoutes,
    interopApiRoutes({ importMaxBytes: config.importMaxBytes }), outboxApiRoutes, messageSettingsApiRoutes, webhookApiRoutes, followUpApiRoutes,
    feedbackApiRoutes,
  ));
  // The organisers' and the rapporteurs' pages
  await app.register(workspace, { prefix: '/admin', secureCookies, importMaxBytes: config.importMaxBytes });
  await app.register(rapporteur, { prefix: '/rapporteur' });
  await app.register(apiDocsRoutes);
  return app;
}
