// Rapporteurs assigned to sessions, in the API: organisers assign, list and withdraw them.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { assignRapporteur, listRapporteurs, unassignRapporteur, type AssignmentContext } from '../../domains/conclusions/assignments.ts';
import type { FastifyRequest } from 'fastify';
import { organisedEvent } from '../shared/auth.ts';
import { AssignmentCreate, AssignmentOut, written } from './schemas.ts';
import { AssignmentParams, ItemParams } from '../shared/schemas.ts';
import { EVENT_BASE, guarded, idOf, SECURITY } from './writes.ts';

function assignmentContext(request: FastifyRequest): AssignmentContext {
  const { user, event } = organisedEvent(request);
  return { db: request.server.db, event, actor: { id: user.id, name: user.name }, now: request.server.now(), publicUrl: request.server.publicUrl };
}

export default async function assignmentApiRoutes(app: FastifyInstance) {
  const base = `${EVENT_BASE}/sessions/:id/rapporteurs`;
  const tags = ['rapporteur assignments'];
  app.get(base, {
    ...guarded,
    schema: { tags, summary: 'The rapporteurs assigned to a session', security: SECURITY, params: ItemParams, response: { 200: Type.Object({ items: Type.Array(AssignmentOut) }) } },
  }, async (request) => ({ items: listRapporteurs(app.db, organisedEvent(request).event, idOf(request)) }));

  app.post(base, {
    ...guarded,
    schema: { tags, summary: 'Assign a rapporteur to a session', security: SECURITY, params: ItemParams, body: AssignmentCreate, response: { 201: written(AssignmentOut) } },
  }, async (request, reply) => reply.code(201).send(assignRapporteur(assignmentContext(request), idOf(request), (request.body as { user: string }).user)));

  app.delete(`${base}/:userId`, {
    ...guarded,
    schema: { tags, summary: 'Withdraw a rapporteur from a session', security: SECURITY, params: AssignmentParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const { id, userId } = request.params as { id: string; userId: string };
    unassignRapporteur(assignmentContext(request), id, userId);
    return reply.code(204).send();
  });
}
