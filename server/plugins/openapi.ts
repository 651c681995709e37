// The API's OpenAPI 3.1 document, built by @fastify/swagger from the route schemas
// (so it cannot drift from what the server validates), and a readable page over it.
import type { SwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { requestLocale } from '../i18n/request.ts';
import { translate } from '../i18n/index.ts';

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

/** The problem types our problem documents name; each has an anchor on /api/docs. */
export const PROBLEM_TYPES = [
  'validation', 'version-required', 'stale-version', 'in-use', 'cancel-instead', 'duplicate', 'conflict', 'unauthorized', 'forbidden',
  'not-found', 'stale-revision', 'invalid-transition', 'invalid-import', 'too-many-requests', 'unsupported-media-type', 'malformed-body', 'too-large',
] as const;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  description?: string;
  enum?: unknown[];
  anyOf?: SchemaNode[];
  items?: SchemaNode;
  pattern?: string;
  format?: string;
  maxLength?: number;
}

/** "string", "array of object", "string or null", "one of: a, b" — enough to read a field list. */
function describeType(node: SchemaNode): string {
  if (node.enum) return node.enum.map(String).join(' | ');
  if (node.anyOf) return node.anyOf.map(describeType).join(' | ');
  if (node.type === 'array' && node.items) return `${describeType(node.items)}[]`;
  if (node.type === 'object' && node.properties && ['fr', 'en', 'es'].every((l) => l in node.properties!)) return '{ fr, en, es }';
  const type = Array.isArray(node.type) ? node.type.join(' | ') : node.type ?? 'any';
  return node.format ? `${type} (${node.format})` : type;
}

function fieldsOf(schema: SchemaNode | undefined) {
  if (!schema?.properties) return [];
  return Object.entries(schema.properties).map(([name, node]) => ({
    name, type: describeType(node), required: schema.required?.includes(name) ?? false, description: node.description ?? '',
  }));
}

type Operation = {
  tags?: string[]; summary?: string; description?: string; security?: unknown[];
  parameters?: { in: string; name: string; required?: boolean; schema?: SchemaNode; description?: string }[];
  requestBody?: { content: Record<string, { schema: SchemaNode }> };
  responses?: Record<string, unknown>;
};

/** The OpenAPI document arranged for the page: operations grouped by tag, in registration order. */
function docsOf(document: { paths?: Record<string, Record<string, Operation>> }) {
  const groups = new Map<string, unknown[]>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const tag = operation.tags?.[0] ?? 'other';
      const list = groups.get(tag) ?? [];
      list.push({
        id: `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-+$/, ''),
        method: method.toUpperCase(),
        path,
        summary: operation.summary ?? '',
        description: operation.description ?? '',
        needsAccount: (operation.security?.length ?? 0) > 0,
        parameters: (operation.parameters ?? []).map((p) => ({ where: p.in, name: p.name, required: p.required ?? false, type: p.schema ? describeType(p.schema) : '', description: p.description ?? p.schema?.description ?? '' })),
        body: fieldsOf(operation.requestBody?.content['application/json']?.schema),
        responses: Object.keys(operation.responses ?? {}),
      });
      groups.set(tag, list);
    }
  }
  return [...groups].map(([tag, operations]) => ({ tag, id: `tag-${tag.replace(/[^a-z0-9]+/gi, '-')}`, operations }));
}

export default async function apiDocsRoutes(app: FastifyInstance) {
  app.get(OPENAPI_PATH, {
    schema: { tags: ['meta'], summary: 'This OpenAPI document' },
  }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(app.swagger()));

  // A page that reads without JavaScript, prints, and links each problem type's anchor.
  let groups: ReturnType<typeof docsOf> | null = null;
  app.get('/api/docs', async (request, reply) => {
    groups ??= docsOf(app.swagger() as never);
    const locale = requestLocale(request);
    return reply.page('api/docs', locale, {
      title: translate(locale, 'apiDocs.title'),
      groups,
      openapiPath: OPENAPI_PATH,
      problems: PROBLEM_TYPES.map((name) => ({ name, text: translate(locale, `apiDocs.problem.${name}`) })),
    });
  });
}

/** Routes that need an account accept either an API token or the sign-in cookie. */
export const API_SECURITY: { [scheme: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
