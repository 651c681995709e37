// Webhooks in the API, for an event's organisers: the endpoints that other systems receive the
// event's news at (signed as Standard Webhooks says), and what was delivered to each.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DELIVERY_STATES, WEBHOOK_KINDS, type WebhookDeliveryRow, type WebhookEndpointRow, type WebhookKind } from '../../db/schema.ts';
import { findEndpoint, listDeliveriesOfEndpoint, listEndpointsOfEvent } from '../../domains/messaging/repository.ts';
import { createEndpoint, endpointOut, removeEndpoint, updateWebhookEndpoint, type EndpointContext } from '../../domains/messaging/webhooks.ts';
import { Nullable, PublicId, strict, Version } from '../../domains/programme/schemas.ts';
import { NotFoundError, StaleVersionError } from '../../errors.ts';
import { organisedEvent } from '../shared/auth.ts';
import { EventParams, ItemParams } from '../shared/schemas.ts';
import { IfMatchHeaders } from './schemas.ts';
import { EVENT_BASE, guarded, idOf, SECURITY, versionsOf } from './writes.ts';

/** How many deliveries an endpoint's log shows, newest first. */
export const DELIVERIES_SHOWN = 100;

// ---- Schemas

const Instant = Type.String({ format: 'date-time', description: 'UTC' });

const Kinds = Type.Array(Type.Enum(WEBHOOK_KINDS), {
  minItems: 1, maxItems: WEBHOOK_KINDS.length, uniqueItems: true, description: 'The news posted to it',
});

const Url = Type.String({
  minLength: 1, maxLength: 2000,
  description: 'An http(s) address without credentials; those of private, loopback and link-local networks are refused unless the server allows them (WEBHOOK_ALLOW_PRIVATE)',
});

export const EndpointOut = Type.Object({
  id: PublicId,
  url: Type.String(),
  kinds: Type.Array(Type.Enum(WEBHOOK_KINDS)),
  enabled: Type.Boolean({ description: 'False once deliveries kept failing (or an organiser disabled it): nothing is sent until it is enabled again' }),
  disabledAt: Nullable(Instant),
  failures: Type.Integer({ minimum: 0, description: 'Deliveries that failed every attempt since the last one that arrived' }),
  createdAt: Instant,
  version: Version,
});

const Secret = Type.String({ description: 'The signing secret (whsec_…) the receiver verifies the webhook-signature header with' });
const EndpointWithSecret = Type.Object({ ...EndpointOut.properties, secret: Secret });

const EndpointCreate = Type.Object({ url: Url, kinds: Kinds }, strict);
const EndpointPatch = Type.Object({
  url: Type.Optional(Url),
  kinds: Type.Optional(Kinds),
  enabled: Type.Optional(Type.Boolean({ description: 'true enables it again (its failures start over); false stops deliveries' })),
}, strict);

const DeliveryOut = Type.Object({
  id: Type.String({ description: 'The webhook-id header of its tries: receivers de-duplicate on it' }),
  kind: Type.Enum(WEBHOOK_KINDS),
  state: Type.Enum(DELIVERY_STATES),
  attempts: Type.Integer({ minimum: 0 }),
  log: Type.Array(Type.Object({ at: Instant, ok: Type.Boolean(), detail: Type.String() })),
  createdAt: Instant,
  deliveredAt: Nullable(Instant),
});

const deliveryOut = (d: WebhookDeliveryRow) => ({
  id: d.publicId, kind: d.kind, state: d.state, attempts: d.attempts, log: d.log, createdAt: d.createdAt.toISOString(), deliveredAt: d.doneAt?.toISOString() ?? null,
});

// ---- Routes

function endpointContext(request: FastifyRequest): EndpointContext {
  const { user, event } = organisedEvent(request);
  return { db: request.server.db, event, actor: { id: user.id, name: user.name }, now: request.server.now(), allowPrivate: request.server.webhookAllowPrivate };
}

function endpointOf(request: FastifyRequest): WebhookEndpointRow {
  const row = findEndpoint(request.server.db, organisedEvent(request).event.id, idOf(request));
  if (!row) throw new NotFoundError('webhook', idOf(request));
  return row;
}

export default async function webhookApiRoutes(app: FastifyInstance) {
  const webhooks = `${EVENT_BASE}/webhooks`;
  const tags = ['webhooks'];

  app.get(webhooks, {
    ...guarded,
    schema: { tags, summary: 'The event\'s webhook endpoints', security: SECURITY, params: EventParams, response: { 200: Type.Object({ data: Type.Array(EndpointOut) }) } },
  }, async (request) => ({ data: listEndpointsOfEvent(app.db, organisedEvent(request).event.id).map(endpointOut) }));

  app.post(webhooks, {
    ...guarded,
    schema: {
      tags, summary: 'Add an endpoint: the news of the kinds chosen is posted to it as signed JSON',
      description: 'The answer holds the signing secret. An address the server may not call is 422 at `url`, with the reason.',
      security: SECURITY, params: EventParams, body: EndpointCreate, response: { 201: Type.Object({ data: EndpointWithSecret }) },
    },
  }, async (request, reply) => {
    const created = await createEndpoint(endpointContext(request), request.body as { url: string; kinds: WebhookKind[] });
    return reply.code(201).header('ETag', `"${created.version}"`).header('Location', `/api/v1/events/${organisedEvent(request).event.slug}/webhooks/${created.id}`)
      .send({ data: created });
  });

  app.get(`${webhooks}/:id`, {
    ...guarded,
    schema: { tags, summary: 'An endpoint, with its signing secret and its version in the ETag', security: SECURITY, params: ItemParams, response: { 200: Type.Object({ data: EndpointWithSecret }) } },
  }, async (request, reply) => {
    const row = endpointOf(request);
    return reply.header('ETag', `"${row.version}"`).send({ data: { ...endpointOut(row), secret: row.secret } });
  });

  app.patch(`${webhooks}/:id`, {
    ...guarded,
    schema: {
      tags, summary: 'Change an endpoint\'s address or kinds, or disable or enable it (If-Match required)',
      security: SECURITY, params: ItemParams, headers: IfMatchHeaders, body: EndpointPatch, response: { 200: Type.Object({ data: EndpointOut }) },
    },
  }, async (request, reply) => {
    const versions = versionsOf(request);
    const row = endpointOf(request);
    if (!versions.includes(row.version)) throw new StaleVersionError('webhook', endpointOut(row));
    const updated = await updateWebhookEndpoint(endpointContext(request), row.publicId, row.version, request.body as { url?: string; kinds?: WebhookKind[]; enabled?: boolean });
    return reply.header('ETag', `"${updated.version}"`).send({ data: updated });
  });

  app.delete(`${webhooks}/:id`, {
    ...guarded,
    schema: { tags, summary: 'Remove an endpoint, with what is still to be delivered to it', security: SECURITY, params: ItemParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    removeEndpoint(endpointContext(request), idOf(request));
    return reply.code(204).send();
  });

  app.get(`${webhooks}/:id/deliveries`, {
    ...guarded,
    schema: {
      tags, summary: `The latest ${DELIVERIES_SHOWN} deliveries to an endpoint, newest first, each with the log of its tries`,
      security: SECURITY, params: ItemParams, response: { 200: Type.Object({ data: Type.Array(DeliveryOut) }) },
    },
  }, async (request) => ({ data: listDeliveriesOfEndpoint(app.db, endpointOf(request).id, DELIVERIES_SHOWN).map(deliveryOut) }));
}
