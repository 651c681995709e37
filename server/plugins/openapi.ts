// The API's OpenAPI 3.1 document, built by @fastify/swagger from the route schemas
// (so it cannot drift from what the server validates), and a readable page over it.
import type { SwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

export const OPENAPI_PATH = '/api/v1/openapi.json';

export function OPENAPI_OPTIONS(publicUrl: string): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'forum-programme API',
        version: '1',
        description: 'Read and write the programme of a forum. Writes need an organiser: send an API token as `Authorization: Bearer …` (see `npm run cli -- token create`), or sign in with POST /api/v1/auth/login and send the session cookie. Every error is an RFC 9457 problem document.',
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (fpt_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'forum_session', description: 'The cookie set by /login or POST /api/v1/auth/login' },
        },
      },
    },
    // Only the API is documented; pages and feeds are not part of it.
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/v1') ? schema : { ...schema, hide: true }, url }),
  };
}

export default async function apiDocsRoutes(app: FastifyInstance) {
  app.get(OPENAPI_PATH, {
    schema: { tags: ['meta'], summary: 'This OpenAPI document' },
  }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(app.swagger()));
}

/** Routes that need an account accept either an API token or the sign-in cookie. */
export const API_SECURITY: { [scheme: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
