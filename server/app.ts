// Builds the application; never listens. server/main.ts and every test call buildApp.
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import adminApiRoutes from './web/api/programme-writes.ts';
import adminUiRoutes from './web/workspace/routes.ts';
import apiDocsRoutes, { OPENAPI_OPTIONS } from './plugins/openapi.ts';
import authPlugin from './web/shared/auth.ts';
import authRoutes, { authApiRoutes } from './web/site/auth.ts';
import agendaRoutes from './web/site/agenda.ts';
import calendarRoutes from './web/feeds/calendar.ts';
import conclusionApiRoutes from './web/api/conclusions.ts';
import reportRoutes from './web/site/report.ts';
import conclusionUiRoutes from './web/rapporteur/routes.ts';
import type { Config } from './config.ts';
import { openDatabase, type OpenDatabaseOptions } from './db/client.ts';
import { applyMigrations } from './db/migrate.ts';
import exportRoutes from './web/feeds/exports.ts';
import dbPlugin from './plugins/db.ts';
import { strictApiScope } from './web/api/scope.ts';
import errorsPlugin, { sendFrameworkError } from './plugins/errors.ts';
import healthRoutes from './plugins/health.ts';
import { interopApiRoutes } from './web/api/imports.ts';
import viewsPlugin, { VIEWS_DIR } from './plugins/views.ts';
import { countEvents, loadAllBundledProgrammes } from './domains/interop/bundled.ts';
import programmeRoutes from './web/site/programme.ts';
import releaseApiRoutes from './web/api/releases.ts';
import releaseRoutes from './web/workspace/releases.ts';

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
}

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
    logger: options.logStream ? { level: config.logLevel, stream: options.logStream } : { level: config.logLevel },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Seeds and imports are small; nothing we accept needs more.
    bodyLimit: 1024 * 1024,
    // Addresses the router cannot even decode (bad percent-encoding) get the same 400 page as the rest.
    frameworkErrors: (error, request, reply) => sendFrameworkError(app, request, reply, error.message),
  });

  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  await app.register(dbPlugin, { db, now: options.now ?? (() => new Date()) });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
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
  await app.register(programmeRoutes, { publicUrl: config.publicUrl });
  await app.register(releaseRoutes, { secureCookies });
  await app.register(reportRoutes);
  await app.register(calendarRoutes, { publicUrl: config.publicUrl });
  await app.register(exportRoutes, { publicUrl: config.publicUrl });
  await app.register(agendaRoutes, { publicUrl: config.publicUrl, secureCookies });
  await app.register(authRoutes);
  await app.register(strictApiScope(authApiRoutes, adminApiRoutes, releaseApiRoutes, conclusionApiRoutes, interopApiRoutes({ importMaxBytes: config.importMaxBytes })));
  await app.register(adminUiRoutes);
  await app.register(conclusionUiRoutes);
  await app.register(apiDocsRoutes);
  return app;
}
