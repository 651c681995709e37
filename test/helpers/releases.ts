// Releasing in tests: what participants see changes only with a release (server/domains/releases/).
import type { FastifyInstance } from 'fastify';
import { findEventBySlug } from '../../server/domains/programme/repository.ts';
import { releaseProgramme } from '../../server/domains/releases/service.ts';

let counter = 0;

/** Releases the working copy of an event through the real service, under a fresh name unless one is given. */
export function release(app: FastifyInstance, slug: string, name?: string) {
  counter += 1;
  const event = findEventBySlug(app.db, slug);
  if (!event) throw new Error(`no event ${slug}`);
  return releaseProgramme(app.db, event, { id: null, name: 'tests' }, { name: name ?? `test ${counter}` }, app.now()).data;
}
