// Events in the write API, and what organisers read about one: its conflicts and its audit log.
import type { FastifyInstance } from 'fastify';
import { getAudit, type AuditQuery as AuditFilters } from '../../domains/audit/service.ts';
import { createEvent, eventSchemas, updateEvent, type EventCreateBody, type EventPatchBody } from '../../domains/programme/events.ts';
import { conflictsOf } from '../../domains/programme/service.ts';
import { eventRepresentation } from '../../domains/programme/write.ts';
import { authenticated, organisedEvent, requireOrganiserOfAll, requireUser } from '../shared/auth.ts';
import { AuditOut, AuditQuery, ConflictList, IfMatchHeaders, written } from './schemas.ts';
import { EventParams } from '../shared/schemas.ts';
import { EVENT_BASE, guarded, SECURITY, sendEntity, versionsOf, workingCopy, writeContext } from './writes.ts';

/** Creating events is for organisers of every event. */
async function organiserOfAll(request: Parameters<typeof requireUser>[0]) {
  requireOrganiserOfAll(request);
}

export default async function eventApiRoutes(app: FastifyInstance) {
  app.post('/api/v1/events', {
    // Both before the body is read (see writes.ts): 401, then 403 for anyone else.
    onRequest: [authenticated, organiserOfAll],
    schema: { tags: ['events'], summary: 'Create an event (organisers of every event)', security: SECURITY, body: eventSchemas.create, response: { 201: written(eventSchemas.out) } },
  }, async (request, reply) => {
    const user = requireUser(request);
    const result = createEvent(app.db, { id: user.id, name: user.name }, request.body as EventCreateBody, app.now());
    return sendEntity(reply, 201, result, `/api/v1/events/${result.data.slug as string}`);
  });

  app.get(EVENT_BASE, {
    ...guarded,
    schema: { tags: ['events'], summary: 'An event, with the version to send back when changing it', security: SECURITY, params: EventParams, response: { 200: eventSchemas.out } },
  }, async (request, reply) => {
    const { event } = organisedEvent(request);
    return reply.header('ETag', `"${event.version}"`).send(eventRepresentation(event));
  });

  app.patch(EVENT_BASE, {
    ...guarded,
    schema: {
      tags: ['events'], summary: 'Change an event (If-Match required); its address (slug) never changes', security: SECURITY,
      params: EventParams, headers: IfMatchHeaders, body: eventSchemas.patch, response: { 200: written(eventSchemas.out) },
    },
  }, async (request, reply) => sendEntity(reply, 200, updateEvent(writeContext(request), versionsOf(request), request.body as EventPatchBody)));
}

export async function eventReviewApiRoutes(app: FastifyInstance) {
  app.get(`${EVENT_BASE}/conflicts`, {
    ...guarded,
    schema: {
      tags: ['conflicts'],
      summary: 'Clashes in the programme: double-booked people, organisations and rooms, slots outside the event, sessions outside their part',
      security: SECURITY, params: EventParams, response: { 200: ConflictList },
    },
  }, async (request) => ({ conflicts: conflictsOf(workingCopy(request)) }));

  app.get(`${EVENT_BASE}/audit`, {
    ...guarded,
    schema: { tags: ['audit'], summary: 'Every write to the event, newest first: who, when, what, before and after', security: SECURITY, params: EventParams, querystring: AuditQuery, response: { 200: AuditOut } },
  }, async (request) => getAudit(app.db, organisedEvent(request).event, request.query as AuditFilters));
}
