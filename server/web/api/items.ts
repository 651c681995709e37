// The write API of the programme's items, under /api/v1/events/:slug: one set of routes per
// kind, made from its descriptor (domains/programme/resources), plus sessions' own operations.
// Handlers are thin: the guard has settled who may (401, then 404 or 403, before the body is
// read), one domain call does the work in one transaction.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { RESOURCES, type CollectionKind } from '../../domains/programme/resources/index.ts';
import { createItem, itemOf, itemsOf, removeItem, updateItem } from '../../domains/programme/service.ts';
import { createSession, deleteSession, updateSession, type SessionBody } from '../../domains/programme/sessions.ts';
import type { ItemKind } from '../../domains/programme/items.ts';
import { organisedEvent } from '../shared/auth.ts';
import { RESOURCE_PATHS } from '../shared/resources.ts';
import { EventParams, ItemParams } from '../shared/schemas.ts';
import { IfMatchHeaders, written } from './schemas.ts';
import { EVENT_BASE, guarded, idOf, SECURITY, sendEntity, versionsOf, workingCopy, writeContext } from './writes.ts';

/** How the documentation names each kind, in the order its groups appear. */
const DOCUMENTED: { kind: CollectionKind; tag: string; noun: string }[] = [
  { kind: 'part', tag: 'parts', noun: 'part (Première partie…)' },
  { kind: 'room', tag: 'rooms', noun: 'room' },
  { kind: 'slot', tag: 'time slots', noun: 'time slot' },
  { kind: 'output', tag: 'expected outputs', noun: 'expected output (Résultat)' },
  { kind: 'organisation', tag: 'organisations', noun: 'organisation' },
  { kind: 'person', tag: 'people', noun: 'person' },
];

/** GET list and GET one, for any kind: read from the working copy. */
function readRoutes(app: FastifyInstance, kind: ItemKind, tag: string, noun: string) {
  const collection = `${EVENT_BASE}/${RESOURCE_PATHS[kind]}`;
  const { out } = RESOURCES[kind].schemas;
  app.get(collection, {
    ...guarded,
    schema: { tags: [tag], summary: `Every ${noun} of the event`, security: SECURITY, params: EventParams, response: { 200: Type.Object({ items: Type.Array(out) }) } },
  }, async (request) => ({ items: itemsOf(workingCopy(request), kind) }));

  app.get(`${collection}/:id`, {
    ...guarded,
    schema: { tags: [tag], summary: `A ${noun}, with its version in the ETag`, security: SECURITY, params: ItemParams, response: { 200: out } },
  }, async (request, reply) => {
    const item = itemOf(workingCopy(request), kind, idOf(request));
    return reply.header('ETag', `"${item.version}"`).send(item);
  });
}

function collectionRoutes(app: FastifyInstance, { kind, tag, noun }: (typeof DOCUMENTED)[number]) {
  const collection = `${EVENT_BASE}/${RESOURCE_PATHS[kind]}`;
  const { create, patch, out } = RESOURCES[kind].schemas;
  readRoutes(app, kind, tag, noun);
  app.post(collection, {
    ...guarded,
    schema: { tags: [tag], summary: `Create a ${noun}`, security: SECURITY, params: EventParams, body: create, response: { 201: written(out) } },
  }, async (request, reply) => {
    const result = createItem(writeContext(request), kind, request.body as Record<string, unknown>);
    return sendEntity(reply, 201, result, `/api/v1/events/${organisedEvent(request).event.slug}/${RESOURCE_PATHS[kind]}/${result.data.id}`);
  });
  app.patch(`${collection}/:id`, {
    ...guarded,
    schema: { tags: [tag], summary: `Change a ${noun} (If-Match required)`, security: SECURITY, params: ItemParams, headers: IfMatchHeaders, body: patch, response: { 200: written(out) } },
  }, async (request, reply) => sendEntity(reply, 200, updateItem(writeContext(request), kind, idOf(request), versionsOf(request), request.body as Record<string, unknown>)));
  app.delete(`${collection}/:id`, {
    ...guarded,
    schema: { tags: [tag], summary: `Delete a ${noun} that no session uses (If-Match required)`, security: SECURITY, params: ItemParams, headers: IfMatchHeaders, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    removeItem(writeContext(request), kind, idOf(request), versionsOf(request));
    return reply.code(204).send();
  });
}

function sessionRoutes(app: FastifyInstance) {
  const sessions = `${EVENT_BASE}/sessions`;
  const { create, patch, out } = RESOURCES.session.schemas;
  readRoutes(app, 'session', 'sessions', 'session');
  app.post(sessions, {
    ...guarded,
    schema: { tags: ['sessions'], summary: 'Create a session', security: SECURITY, params: EventParams, body: create, response: { 201: written(out) } },
  }, async (request, reply) => {
    const result = createSession(writeContext(request), request.body as SessionBody);
    return sendEntity(reply, 201, result, `/api/v1/events/${organisedEvent(request).event.slug}/sessions/${result.data.id}`);
  });
  app.patch(`${sessions}/:id`, {
    ...guarded,
    schema: {
      tags: ['sessions'],
      summary: 'Change, move or cancel a session (If-Match required)',
      description: 'Move it with `slot`, or with `start` and `end`; cancel it with `status: "cancelled"`. Contributors and outputs, when given, replace the lists.',
      security: SECURITY, params: ItemParams, headers: IfMatchHeaders, body: patch, response: { 200: written(out) },
    },
  }, async (request, reply) => sendEntity(reply, 200, updateSession(writeContext(request), idOf(request), versionsOf(request), request.body as SessionBody)));
  app.delete(`${sessions}/:id`, {
    ...guarded,
    schema: {
      tags: ['sessions'],
      summary: 'Delete a session never released (If-Match required); a released one is cancelled instead (409 cancel-instead)',
      security: SECURITY, params: ItemParams, headers: IfMatchHeaders, response: { 204: Type.Null() },
    },
  }, async (request, reply) => {
    deleteSession(writeContext(request), idOf(request), versionsOf(request));
    return reply.code(204).send();
  });
}

export default async function itemApiRoutes(app: FastifyInstance) {
  for (const documented of DOCUMENTED) collectionRoutes(app, documented);
  sessionRoutes(app);
}
