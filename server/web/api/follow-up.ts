// The follow-up of recommendations and actions in the API: everyone reads it (published
// conclusions only); the event's organisers and the session's assigned rapporteurs write it
// (signed in: 401 before anything else, then 404, then 403, all before the body is read).
// Writes name the version they start from in If-Match, "0" for an item never updated.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  addFollowUpNote, followUpItemOut, getFollowUp, requireFollowUpWriter, updateFollowUp, type FollowUpContext, type FollowUpItem,
} from '../../domains/conclusions/follow-up.ts';
import { FollowUpList, FollowUpNotePost, FollowUpParams, FollowUpPatch, FollowUpWritten } from '../../domains/conclusions/follow-up-schemas.ts';
import { findRow, type RowOf } from '../../domains/programme/items.ts';
import type { EventRow } from '../../domains/programme/repository.ts';
import { getEditableEvent } from '../../domains/programme/service.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { NotFoundError } from '../../errors.ts';
import { authenticated, requireUser } from '../shared/auth.ts';
import { EventParams } from '../shared/schemas.ts';
import { IfMatchHeaders } from './schemas.ts';
import { SECURITY, versionsOf } from './writes.ts';

const targets = new WeakMap<FastifyRequest, { event: EventRow; session: RowOf<'session'> }>();

/** Finds the session of the address and checks the caller may write its follow-up, before the body is read. */
async function writerOfSession(request: FastifyRequest) {
  const { slug, id } = request.params as { slug: string; id: string };
  const db = request.server.db;
  const event = getEditableEvent(db, slug);
  const session = findRow(db, 'session', event.id, id);
  if (!session) throw new NotFoundError('session', id);
  requireFollowUpWriter(db, requireUser(request), event, session);
  targets.set(request, { event, session });
}

function context(request: FastifyRequest): FollowUpContext & { session: RowOf<'session'> } {
  const { event, session } = targets.get(request)!;
  return { db: request.server.db, event, session, user: requireUser(request), now: request.server.now() };
}

function sendItem(reply: FastifyReply, event: EventRow, item: FollowUpItem) {
  return reply.header('ETag', `"${item.version}"`).send({ data: followUpItemOut(item, event) });
}

export default async function followUpApiRoutes(app: FastifyInstance) {
  const guarded = { onRequest: [authenticated, writerOfSession] };
  const item = '/api/v1/events/:slug/sessions/:id/follow-up/:item';

  app.get('/api/v1/events/:slug/follow-up', {
    schema: {
      tags: ['conclusions (public)'],
      summary: 'The follow-up of every published recommendation and follow-up action: status, owner, due date, notes',
      description: 'Published conclusions only, in programme order, each session\'s recommendations (`r1`, `r2`…) before its actions (`a1`…). An item never updated is `proposed`, with no owner, at version 0.',
      params: EventParams, response: { 200: FollowUpList },
    },
  }, async (request) => {
    const programme = readProgramme(app.db, { slug: (request.params as { slug: string }).slug }, 'released');
    return { items: getFollowUp(app.db, programme, app.now()).map((i) => followUpItemOut(i, programme.event)) };
  });

  app.patch(item, {
    ...guarded,
    schema: {
      tags: ['conclusions'],
      summary: 'Update the follow-up of a published recommendation or action: status, owner, due date, with a note',
      description: 'Send If-Match with the version you read ("0" before the first update; 428 without). Status moves: proposed → adopted, in-progress, done or dropped; adopted → in-progress, done, dropped or proposed; in-progress → done, dropped or adopted; done → in-progress (reopened); dropped → proposed or adopted. Any other move, or to the status the item has, is 409 `invalid-transition`. The owner is a person or an organisation of the event (`{"person": id}` or `{"organisation": id}`, null for nobody). Each status change, note or set of links is kept, dated, in `notes`.',
      security: SECURITY, params: FollowUpParams, headers: IfMatchHeaders, body: FollowUpPatch, response: { 200: FollowUpWritten },
    },
  }, async (request, reply) => {
    const ctx = context(request);
    const versions = versionsOf(request);
    return sendItem(reply, ctx.event, updateFollowUp(ctx, ctx.session, (request.params as { item: string }).item, versions, request.body as never));
  });

  app.post(`${item}/notes`, {
    ...guarded,
    schema: {
      tags: ['conclusions'],
      summary: 'Add a dated progress note, with links to evidence, to a published recommendation or action',
      description: 'Send If-Match with the version you read ("0" before the first update). Notes are never changed afterwards.',
      security: SECURITY, params: FollowUpParams, headers: IfMatchHeaders, body: FollowUpNotePost, response: { 201: FollowUpWritten },
    },
  }, async (request, reply) => {
    const ctx = context(request);
    const versions = versionsOf(request);
    return sendItem(reply.code(201), ctx.event, addFollowUpNote(ctx, ctx.session, (request.params as { item: string }).item, versions, request.body as never));
  });
}
