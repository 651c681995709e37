// Releases in the API: the public history of an event, and "release" for its organisers.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { readProgramme } from '../../domains/releases/reader.ts';
import { ReleaseCreate, ReleaseList, ReleaseOut } from '../../domains/releases/schemas.ts';
import { getReleaseHistory, releaseOut, releaseProgramme } from '../../domains/releases/service.ts';
import { organisedEvent } from '../shared/auth.ts';
import { ConflictList } from './schemas.ts';
import { EventParams } from '../shared/schemas.ts';
import { guarded, SECURITY } from './writes.ts';

export default async function releaseApiRoutes(app: FastifyInstance) {
  app.get('/api/v1/events/:slug/releases', {
    schema: {
      tags: ['programme (public)'],
      summary: 'The releases of an event\'s programme, newest first, each with what it changed for participants',
      params: EventParams, response: { 200: ReleaseList },
    },
  }, async (request) => {
    // The public see the event as released; an event never released is not found.
    const { event } = readProgramme(app.db, { slug: (request.params as { slug: string }).slug }, 'released');
    return { releases: getReleaseHistory(app.db, event).map((r) => releaseOut(r, event)) };
  });

  app.post('/api/v1/events/:slug/releases', {
    ...guarded,
    schema: {
      tags: ['releases'],
      summary: 'Release the working copy: participants, the read API and the feeds then show it',
      description: 'Refused with 409 `duplicate` for a name the event already used, and 409 `nothing-to-release` when nothing participants see has changed since the latest release. `warnings` lists the conflicts in what was released.',
      security: SECURITY, params: EventParams, body: ReleaseCreate,
      response: { 201: Type.Object({ data: ReleaseOut, warnings: ConflictList.properties.conflicts }) },
    },
  }, async (request, reply) => {
    const { event, user } = organisedEvent(request);
    const body = request.body as { name: string; note?: Record<string, string> | null };
    const result = releaseProgramme(app.db, event, { id: user.id, name: user.name }, body, app.now(), { notify: { publicUrl: app.publicUrl } });
    return reply.code(201).header('Location', `/api/v1/events/${event.slug}/releases`).send(result);
  });
}
