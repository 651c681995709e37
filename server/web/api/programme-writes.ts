// The organisers' write API under /api/v1. Handlers are thin: the event and the caller's
// right to organise it are settled before the body is even validated (401, then 403),
// then one service call does the work in one transaction.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { requireOrganiserOf, requireOrganiserOfAll, authenticated } from '../shared/auth.ts';
import type { EditableKind } from '../../domains/programme/write-repository.ts';
import { PreconditionRequiredError } from '../../errors.ts';
import { API_SECURITY } from '../../plugins/openapi.ts';
import type { EventRow } from '../../domains/programme/repository.ts';
import {
  AssignmentCreate, AssignmentOut, AssignmentParams, AuditOut, AuditQuery, ConflictList, EventCreate, EventOut, EventParams, EventPatch,
  IfMatchHeaders, ItemParams, OrganisationCreate, OrganisationOut, OrganisationPatch, OutputCreate, OutputOut, OutputPatch, PartCreate,
  PartOut, PartPatch, PersonCreate, PersonOut, PersonPatch, RoomCreate, RoomOut, RoomPatch, SessionCreate, SessionOut, SessionPatch,
  SlotCreate, SlotOut, SlotPatch, written,
} from '../../domains/programme/schemas.ts';
import {
  assignRapporteur, createEntity, createEvent, createSession, deleteEntity, eventOut, getAudit, getConflicts, getEditableEvent, getEntity,
  deleteSession, listEntities, listRapporteurs, unassignRapporteur, updateEntity, updateEvent, updateSession, type Actor,
  type WriteContext,
} from '../../domains/programme/writes.ts';

const SECURITY = API_SECURITY;

const editedEvents = new WeakMap<FastifyRequest, EventRow>();

/**
 * Finds the event of the address and checks that the caller organises it. Runs before
 * validation, so a caller without the right learns nothing from the body's checks.
 */
export async function organiserOfEvent(request: FastifyRequest) {
  const { slug } = request.params as { slug: string };
  const event = getEditableEvent(request.server.db, slug);
  requireOrganiserOf(request, event);
  editedEvents.set(request, event);
}

/** The event whose address the request names, once organiserOfEvent has let it through. */
export function editedEvent(request: FastifyRequest): EventRow {
  return editedEvents.get(request)!;
}

function context(request: FastifyRequest): WriteContext {
  const user = requireOrganiserOf(request, editedEvents.get(request)!);
  const actor: Actor = { id: user.id, name: user.name };
  return { db: request.server.db, event: editedEvents.get(request)!, actor, now: request.server.now() };
}

/**
 * The versions an If-Match header names. Versions are sent as strong ETags ("3"); a write
 * that names none, or only "*", does not say what it started from and is refused (428).
 */
export function versionsOf(request: FastifyRequest): number[] {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '' || header.trim() === '*') throw new PreconditionRequiredError();
  // If-Match compares strongly (RFC 9110 §13.1.1): a weak tag (W/"3") matches nothing.
  return [...header.matchAll(/(?<!W\/)"(\d{1,15})"/g)].map((m) => Number(m[1]));
}

function sendEntity(reply: FastifyReply, status: number, result: { data: { version: number } | object; warnings: unknown[] }, location?: string) {
  const version = (result.data as { version?: number }).version;
  if (version !== undefined) reply.header('ETag', `"${version}"`);
  if (location) reply.header('Location', location);
  return reply.code(status).send(result);
}

interface Collection {
  kind: Exclude<EditableKind, 'session'>;
  path: string;
  tag: string;
  noun: string;
  create: TSchema;
  patch: TSchema;
  out: TSchema;
}

const COLLECTIONS: Collection[] = [
  { kind: 'part', path: 'parts', tag: 'parts', noun: 'part (Première partie…)', create: PartCreate, patch: PartPatch, out: PartOut },
  { kind: 'room', path: 'rooms', tag: 'rooms', noun: 'room', create: RoomCreate, patch: RoomPatch, out: RoomOut },
  { kind: 'slot', path: 'slots', tag: 'time slots', noun: 'time slot', create: SlotCreate, patch: SlotPatch, out: SlotOut },
  { kind: 'output', path: 'outputs', tag: 'expected outputs', noun: 'expected output (Résultat)', create: OutputCreate, patch: OutputPatch, out: OutputOut },
  { kind: 'organisation', path: 'organisations', tag: 'organisations', noun: 'organisation', create: OrganisationCreate, patch: OrganisationPatch, out: OrganisationOut },
  { kind: 'person', path: 'people', tag: 'people', noun: 'person', create: PersonCreate, patch: PersonPatch, out: PersonOut },
];

export default async function adminApiRoutes(app: FastifyInstance) {
  const guarded = { onRequest: authenticated, preValidation: organiserOfEvent };
  const base = '/api/v1/events/:slug';

  // ---- Events

  app.post('/api/v1/events', {
    onRequest: authenticated,
    preValidation: async (request) => { requireOrganiserOfAll(request); },
    schema: { tags: ['events'], summary: 'Create an event (organisers of every event)', security: SECURITY, body: EventCreate, response: { 201: written(EventOut) } },
  }, async (request, reply) => {
    const user = requireOrganiserOfAll(request);
    const result = createEvent(request.server.db, { id: user.id, name: user.name }, request.body as never, request.server.now());
    return sendEntity(reply, 201, result, `/api/v1/events/${result.data.slug}`);
  });

  app.get(base, {
    ...guarded,
    schema: { tags: ['events'], summary: 'An event, with the version to send back when changing it', security: SECURITY, params: EventParams, response: { 200: EventOut } },
  }, async (request, reply) => {
    const event = editedEvents.get(request)!;
    return reply.header('ETag', `"${event.version}"`).send(eventOut(event));
  });

  app.patch(base, {
    ...guarded,
    schema: { tags: ['events'], summary: 'Change an event (If-Match required); its address (slug) never changes', security: SECURITY, params: EventParams, headers: IfMatchHeaders, body: EventPatch, response: { 200: written(EventOut) } },
  }, async (request, reply) => sendEntity(reply, 200, updateEvent(context(request), versionsOf(request), request.body as never)));

  // ---- Parts, rooms, time slots, outputs, organisations, people

  for (const c of COLLECTIONS) {
    const collection = `${base}/${c.path}`;
    app.get(collection, {
      ...guarded,
      schema: { tags: [c.tag], summary: `Every ${c.noun} of the event`, security: SECURITY, params: EventParams, response: { 200: Type.Object({ items: Type.Array(c.out) }) } },
    }, async (request) => ({ items: listEntities(request.server.db, editedEvents.get(request)!, c.kind) }));

    app.post(collection, {
      ...guarded,
      schema: { tags: [c.tag], summary: `Create a ${c.noun}`, security: SECURITY, params: EventParams, body: c.create, response: { 201: written(c.out) } },
    }, async (request, reply) => {
      const result = createEntity(context(request), c.kind, request.body as Record<string, unknown>);
      return sendEntity(reply, 201, result, `/api/v1/events/${editedEvents.get(request)!.slug}/${c.path}/${result.data.id as string}`);
    });

    app.get(`${collection}/:id`, {
      ...guarded,
      schema: { tags: [c.tag], summary: `A ${c.noun}, with its version in the ETag`, security: SECURITY, params: ItemParams, response: { 200: c.out } },
    }, async (request, reply) => {
      const entity = getEntity(request.server.db, editedEvents.get(request)!, c.kind, (request.params as { id: string }).id);
      return reply.header('ETag', `"${entity.version}"`).send(entity);
    });

    app.patch(`${collection}/:id`, {
      ...guarded,
      schema: { tags: [c.tag], summary: `Change a ${c.noun} (If-Match required)`, security: SECURITY, params: ItemParams, headers: IfMatchHeaders, body: c.patch, response: { 200: written(c.out) } },
    }, async (request, reply) => sendEntity(reply, 200, updateEntity(context(request), c.kind, (request.params as { id: string }).id, versionsOf(request), request.body as Record<string, unknown>)));

    app.delete(`${collection}/:id`, {
      ...guarded,
      schema: { tags: [c.tag], summary: `Delete a ${c.noun} that no session uses (If-Match required)`, security: SECURITY, params: ItemParams, headers: IfMatchHeaders, response: { 204: Type.Null() } },
    }, async (request, reply) => {
      deleteEntity(context(request), c.kind, (request.params as { id: string }).id, versionsOf(request));
      return reply.code(204).send();
    });
  }

  // ---- Sessions

  const sessionsPath = `${base}/sessions`;
  app.get(sessionsPath, {
    ...guarded,
    schema: { tags: ['sessions'], summary: 'Every session of the event', security: SECURITY, params: EventParams, response: { 200: Type.Object({ items: Type.Array(SessionOut) }) } },
  }, async (request) => ({ items: listEntities(request.server.db, editedEvents.get(request)!, 'session') }));

  app.post(sessionsPath, {
    ...guarded,
    schema: { tags: ['sessions'], summary: 'Create a session', security: SECURITY, params: EventParams, body: SessionCreate, response: { 201: written(SessionOut) } },
  }, async (request, reply) => {
    const result = createSession(context(request), request.body as never);
    return sendEntity(reply, 201, result, `/api/v1/events/${editedEvents.get(request)!.slug}/sessions/${result.data.id as string}`);
  });

  app.get(`${sessionsPath}/:id`, {
    ...guarded,
    schema: { tags: ['sessions'], summary: 'A session, with its version in the ETag', security: SECURITY, params: ItemParams, response: { 200: SessionOut } },
  }, async (request, reply) => {
    const entity = getEntity(request.server.db, editedEvents.get(request)!, 'session', (request.params as { id: string }).id);
    return reply.header('ETag', `"${entity.version}"`).send(entity);
  });

  app.patch(`${sessionsPath}/:id`, {
    ...guarded,
    schema: {
      tags: ['sessions'],
      summary: 'Change, move or cancel a session (If-Match required)',
      description: 'Move it with `slot`, or with `start` and `end`; cancel it with `status: "cancelled"`. Contributors and outputs, when given, replace the lists.',
      security: SECURITY, params: ItemParams, headers: IfMatchHeaders, body: SessionPatch, response: { 200: written(SessionOut) },
    },
  }, async (request, reply) => sendEntity(reply, 200, updateSession(context(request), (request.params as { id: string }).id, versionsOf(request), request.body as never)));

  app.delete(`${sessionsPath}/:id`, {
    ...guarded,
    schema: {
      tags: ['sessions'],
      summary: 'Delete a session never released (If-Match required); a released one is cancelled instead (409 cancel-instead)',
      security: SECURITY, params: ItemParams, headers: IfMatchHeaders, response: { 204: Type.Null() },
    },
  }, async (request, reply) => {
    deleteSession(context(request), (request.params as { id: string }).id, versionsOf(request));
    return reply.code(204).send();
  });

  // ---- Rapporteur assignments

  app.get(`${sessionsPath}/:id/rapporteurs`, {
    ...guarded,
    schema: { tags: ['rapporteur assignments'], summary: 'The rapporteurs assigned to a session', security: SECURITY, params: ItemParams, response: { 200: Type.Object({ items: Type.Array(AssignmentOut) }) } },
  }, async (request) => ({ items: listRapporteurs(request.server.db, editedEvents.get(request)!, (request.params as { id: string }).id) }));

  app.post(`${sessionsPath}/:id/rapporteurs`, {
    ...guarded,
    schema: { tags: ['rapporteur assignments'], summary: 'Assign a rapporteur to a session', security: SECURITY, params: ItemParams, body: AssignmentCreate, response: { 201: written(AssignmentOut) } },
  }, async (request, reply) => {
    const result = assignRapporteur(context(request), (request.params as { id: string }).id, (request.body as { user: string }).user);
    return reply.code(201).send(result);
  });

  app.delete(`${sessionsPath}/:id/rapporteurs/:userId`, {
    ...guarded,
    schema: { tags: ['rapporteur assignments'], summary: 'Withdraw a rapporteur from a session', security: SECURITY, params: AssignmentParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const { id, userId } = request.params as { id: string; userId: string };
    unassignRapporteur(context(request), id, userId);
    return reply.code(204).send();
  });

  // ---- Conflicts and audit

  app.get(`${base}/conflicts`, {
    ...guarded,
    schema: {
      tags: ['conflicts'],
      summary: 'Clashes in the programme: double-booked people, organisations and rooms, slots outside the event, sessions outside their part',
      security: SECURITY, params: EventParams, response: { 200: ConflictList },
    },
  }, async (request) => ({ conflicts: getConflicts(request.server.db, editedEvents.get(request)!) }));

  app.get(`${base}/audit`, {
    ...guarded,
    schema: { tags: ['audit'], summary: 'Every write to the event, newest first: who, when, what, before and after', security: SECURITY, params: EventParams, querystring: AuditQuery, response: { 200: AuditOut } },
  }, async (request) => getAudit(request.server.db, editedEvents.get(request)!, request.query as never));
}
