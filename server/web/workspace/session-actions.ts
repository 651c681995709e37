// The compact forms of the programme editor (move to a slot and room, mark cancelled or restore)
// and the rapporteurs of a session (assign, withdraw), each answering with a redirect to the view
// the form was posted from (the editor, or its list of cards: view=list).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assignRapporteur, unassignRapporteur } from '../../domains/conclusions/assignments.ts';
import { PUBLIC_ID_PATTERN } from '../../domains/programme/schemas.ts';
import { sessionForEditing, updateSession, type SessionBody } from '../../domains/programme/sessions.ts';
import type { LocalizedText } from '../../db/schema.ts';
import { StaleVersionError, UnprocessableError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { checkBody } from '../shared/forms/check.ts';
import { readForm, versionOf } from '../shared/forms/read.ts';
import { render, scopeOf, staleBy, workingCopy, writeContext } from './kit.ts';
import { showProgramme } from './programme.ts';
import { AssignmentParams, ItemParams } from '../shared/schemas.ts';
import { PageQuery } from './schemas.ts';
import { savedSession, SESSION_FORM, showSession } from './sessions.ts';

const PUBLIC_ID = new RegExp(PUBLIC_ID_PATTERN);

/** Whether a compact form was posted from the list of cards (/list), which it then returns to. */
const fromList = (request: FastifyRequest) => (request.body as Record<string, unknown> | undefined)?.view === 'list';

/** The view a compact form returns to: the editor, or its list of cards. */
const viewUrl = (request: FastifyRequest) => `${scopeOf(request).base}${fromList(request) ? '/list' : ''}`;

/**
 * Marking a session cancelled is shown to participants at the next release: the first post only
 * asks for confirmation, without JavaScript; the confirmation's own post (confirm=yes) writes.
 */
function confirmCancel(request: FastifyRequest, reply: FastifyReply) {
  const scope = scopeOf(request);
  const { id } = request.params as { id: string };
  const { session } = sessionForEditing(workingCopy(request), id);
  const title = scope.presenter.text(session.title as LocalizedText)?.text ?? '';
  const version = versionOf(readForm(SESSION_FORM, request.body));
  return render(request, reply, 'workspace/cancel-session', 200, {
    title: translate(scope.locale, 'admin.cancel.title'),
    section: 'programme',
    message: translate(scope.locale, 'admin.cancel.message', { title }),
    action: `${scope.base}/sessions/${id}/status`,
    version: version === null ? '' : String(version),
    view: fromList(request) ? 'list' : null,
    backUrl: `${viewUrl(request)}#session-${id}`,
  });
}

/** Saves a compact form's change; a refusal shows the editor again with what went wrong. */
function quickChange(request: FastifyRequest, reply: FastifyReply, body: Record<string, unknown>, confirmation: string) {
  const scope = scopeOf(request);
  const { id } = request.params as { id: string };
  const values = readForm(SESSION_FORM, request.body);
  if (checkBody(SESSION_FORM, 'patch', body).length > 0) return showProgramme(request, reply, 422, translate(scope.locale, 'admin.programme.invalid'));
  try {
    updateSession(writeContext(request), id, [versionOf(values) ?? 0], body as SessionBody);
  } catch (error) {
    if (error instanceof StaleVersionError) {
      const name = staleBy(request, 'session', id);
      return showProgramme(request, reply, 409, name ? translate(scope.locale, 'admin.programme.stale', { name }) : translate(scope.locale, 'admin.programme.staleAnonymous'));
    }
    if (error instanceof UnprocessableError) return showProgramme(request, reply, 422, translate(scope.locale, 'admin.programme.invalid'));
    throw error;
  }
  return reply.redirect(`${viewUrl(request)}?saved=${confirmation}#session-${id}`, 303);
}

function assign(request: FastifyRequest, reply: FastifyReply) {
  const scope = scopeOf(request);
  const { id } = request.params as { id: string };
  const user = (request.body as Record<string, unknown> | undefined)?.user;
  const again = (message: string) => showSession(request, reply, id, { ...savedSession(request, id), status: 422 }, message);
  if (typeof user !== 'string' || !PUBLIC_ID.test(user)) return again(translate(scope.locale, 'admin.error.chooseRapporteur'));
  try {
    assignRapporteur({ ...writeContext(request), actor: { id: scope.user.id, name: scope.user.name }, publicUrl: request.server.publicUrl }, id, user);
  } catch (error) {
    if (error instanceof UnprocessableError) return again(translate(scope.locale, 'admin.error.notRapporteur'));
    throw error;
  }
  return reply.redirect(`${scope.base}/sessions/${id}?saved=assigned#rapporteurs`, 303);
}

export default async function sessionActionRoutes(app: FastifyInstance) {
  const action = { schema: { params: ItemParams, querystring: PageQuery }, preValidation: app.csrfProtection };
  app.post('/events/:slug/sessions/:id/move', action, async (request, reply) => {
    const values = readForm(SESSION_FORM, request.body);
    const slot = typeof values.slot === 'string' && values.slot !== '' ? values.slot : null;
    const room = typeof values.room === 'string' && values.room !== '' ? values.room : null;
    return quickChange(request, reply, { slot, room }, 'moved');
  });
  app.post('/events/:slug/sessions/:id/status', action, async (request, reply) => {
    const { status } = readForm(SESSION_FORM, request.body);
    if (status === 'cancelled' && (request.body as Record<string, unknown> | undefined)?.confirm !== 'yes') return confirmCancel(request, reply);
    return quickChange(request, reply, { status }, status === 'confirmed' ? 'confirmed' : 'cancelled');
  });
  app.post('/events/:slug/sessions/:id/rapporteurs', action, async (request, reply) => assign(request, reply));
  app.post('/events/:slug/sessions/:id/rapporteurs/:userId/delete', { ...action, schema: { params: AssignmentParams, querystring: PageQuery } }, async (request, reply) => {
    const { id, userId } = request.params as { id: string; userId: string };
    const scope = scopeOf(request);
    unassignRapporteur({ ...writeContext(request), actor: { id: scope.user.id, name: scope.user.name }, publicUrl: request.server.publicUrl }, id, userId);
    return reply.redirect(`${scope.base}/sessions/${id}?saved=withdrawn#rapporteurs`, 303);
  });
}
