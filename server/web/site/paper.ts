// What a printed page carries: the event, the release, the public address, the page number.
import type { FastifyRequest } from 'fastify';
import type { Programme } from '../../domains/programme/assemble.ts';
import type { Language } from '../../db/schema.ts';

/** The running header and footer of a printed page of the event, for the layout. */
export function paperOf(_request: FastifyRequest, _programme: Programme, _locale: Language, _publicUrl: string): Record<string, unknown> | null {
  return null;
}
