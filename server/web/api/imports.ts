// Import through the API: a programme in our JSON format creates an event, or brings one to
// what the file says. Frab XML and CSV come in through the workspace and the command line (npm run cli -- import).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { authenticated, requireOrganiserOf, requireOrganiserOfAll, requireUser } from '../shared/auth.ts';
import { ForbiddenError, HttpError } from '../../errors.ts';
import { API_SECURITY } from '../../plugins/openapi.ts';
import { ProgrammeDocument, documentToImport, type ProgrammeDocumentValue } from '../../domains/interop/programme-json.ts';
import { decodeProgrammeFile, findImportTarget, importProgramme } from '../../domains/interop/service.ts';

const ImportOut = Type.Object({
  event: Type.Object({ id: Type.String(), slug: Type.String() }),
  created: Type.Boolean({ description: 'Whether the event was new' }),
  counts: Type.Object({
    sessions: Type.Integer(), rooms: Type.Integer(), people: Type.Integer(), organisations: Type.Integer(),
    parts: Type.Integer(), outputs: Type.Integer(), slots: Type.Integer(),
  }),
});

/** Only organisers import; which event they may import into is known once the body is read. */
async function anOrganiser(request: FastifyRequest) {
  if (requireUser(request).role !== 'organiser') throw new ForbiddenError('Only organisers may import programmes');
}

export function interopApiRoutes(options: { importMaxBytes: number }) {
  return async function interopApi(app: FastifyInstance) {
    // In this scope only: JSON is read as bytes first, so that a body that is not UTF-8 is
    // refused instead of having its bad bytes silently replaced.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: options.importMaxBytes }, (_request, body, done) => {
      try {
        const text = decodeProgrammeFile(body as Buffer, options.importMaxBytes);
        done(null, JSON.parse(text));
      } catch (error) {
        if (error instanceof HttpError) done(error, undefined);
        else done(new HttpError(400, 'errors.badRequest.title', `The body is not valid JSON (${(error as Error).message})`, 'malformed-body'), undefined);
      }
    });

    app.post('/api/v1/imports', {
      // Before the body is read (see writes.ts): 401, then 403 for anyone not an organiser.
      onRequest: [authenticated, anOrganiser],
      bodyLimit: options.importMaxBytes,
      schema: {
        tags: ['import and export'],
        summary: 'Import a programme in our JSON format (as exported by GET /events/{slug}/programme.json)',
        description: 'Creates the event, or updates it in place when it exists (rows are matched on their ids, so ids and links hold; rows the file no longer has are removed). '
          + 'Only organisers of every event create events; an organiser of one event may import into it. The working copy changes; release it to publish it. '
          + 'One transaction: a refused file (422 `invalid-import`, 409 when its address or its own id belongs to another event) changes nothing. Ids of rooms, people or sessions that another event already uses (a next edition) are given ids of this event, the same at every import, and the other event is left as it is. Frab schedule XML and CSV are imported in the workspace (/admin/events/{slug}/import) or with `npm run cli -- import FILE.xml`.',
        security: API_SECURITY,
        body: ProgrammeDocument,
        response: { 200: ImportOut, 201: ImportOut },
      },
    }, async (request, reply) => {
      const document = request.body as ProgrammeDocumentValue;
      const existing = findImportTarget(app.db, document.event.id, document.event.slug);
      const user = existing ? requireOrganiserOf(request, existing) : requireOrganiserOfAll(request);
      const report = importProgramme(app.db, documentToImport(document), { format: 'forum-programme', notes: [] }, { id: user.id, name: user.name }, app.now());
      return reply.code(report.created ? 201 : 200).send({
        event: { id: document.event.id, slug: report.slug }, created: report.created, counts: report.counts,
      });
    });
  };
}
