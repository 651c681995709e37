// What every write route of the API shares: the organisers' guard (before the body is read),
// the write context of a request, If-Match, and how a written entity is answered.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Programme } from '../../domains/programme/assemble.ts';
import type { WriteContext } from '../../domains/programme/write.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { PreconditionRequiredError } from '../../errors.ts';
import { API_SECURITY } from '../../plugins/openapi.ts';
import { authenticated, organisedEvent, organiserOfEvent } from '../shared/auth.ts';

export const SECURITY = API_SECURITY;

/**
 * For the routes of one event's organisers: 401 before anything else, then 404 or 403. Both in
 * onRequest, the only hooks before Fastify reads the body (the route's params are known by
 * then), so a caller without the right gets no 400, 413 or 415 that would say what the route
 * accepts. The order of a write: the scope's cross-site check, these guards, the scope's media
 * type check (preParsing), the body (400, 413), its validation (400, 422), then the handler.
 */
export const guarded = { onRequest: [authenticated, organiserOfEvent()] };

export const EVENT_BASE = '/api/v1/events/:slug';

/** The working copy of the event of the address, for its organisers. */
export function workingCopy(request: FastifyRequest): Programme {
  return readProgramme(request.server.db, { id: organisedEvent(request).event.id }, 'working');
}

export function writeContext(request: FastifyRequest): WriteContext {
  const { user, event } = organisedEvent(request);
  return { db: request.server.db, event, actor: { id: user.id, name: user.name }, now: request.server.now() };
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

export function sendEntity(reply: FastifyReply, status: number, result: { data: object | null; warnings: unknown[] }, location?: string) {
  const version = (result.data as { version?: number } | null)?.version;
  if (version !== undefined) reply.header('ETag', `"${version}"`);
  if (location) reply.header('Location', location);
  return reply.code(status).send(result);
}

export const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
