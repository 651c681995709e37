// The organisers' workspace, under /admin: one encapsulated scope whose hook decides, once for
// every page, who may (signed in; an organiser; of this event for an event's pages; of every
// event for accounts and new events) before anything is read. Its pages are server-rendered and
// work without JavaScript; every form posts with a CSRF token and answers with a redirect (303)
// and a confirmation on the next page. The routes come from the files listed here.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isOrganiserOfAll } from '../../domains/accounts/permissions.ts';
import { ForbiddenError } from '../../errors.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { organisedEvent, organiserOfEvent, type Refusals, requireUser } from '../shared/auth.ts';
import { RESOURCE_PATHS } from '../shared/resources.ts';
import auditRoutes from './audit.ts';
import bulkRoutes from './bulk.ts';
import { collectionRoutes } from './collection.ts';
import { COLLECTIONS } from './collections/index.ts';
import conclusionsOverviewRoutes from './conclusions.ts';
import contactRoutes from './contacts.ts';
import copyRoutes from './copy.ts';
import eventRoutes from './events.ts';
import followUpWorkspaceRoutes from './follow-up.ts';
import feedbackWorkspaceRoutes from './feedback.ts';
import importRoutes from './imports.ts';
import gridRoutes from './grid/routes.ts';
import { setScope } from './kit.ts';
import outboxRoutes from './outbox.ts';
import programmeEditorRoutes from './programme.ts';
import releaseRoutes from './releases.ts';
import { AssignmentParams, ItemParams } from '../shared/schemas.ts';
import { LangOnly } from './schemas.ts';
import sessionActionRoutes from './session-actions.ts';
import sessionListRoutes from './session-list.ts';
import sessionRoutes from './sessions.ts';
import userRoutes from './users.ts';
import webhookRoutes from './webhooks.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may open a page of the workspace, beyond an organiser (of the event, for an event's pages). */
    access?: 'every-event' | 'anyone';
  }
}

/** The refusals are pages: they say why in the reader's language. */
const REFUSALS: Refusals = {
  signIn: (request) => translate(requestLocale(request), 'admin.denied.signIn'),
  notOrganiser: (request) => translate(requestLocale(request), 'admin.denied.event'),
};
const organiserOfThisEvent = organiserOfEvent(REFUSALS);

/** Who may open the page, decided before anything is read. A page read without being signed in leads to the sign-in form. */
async function whoMay(request: FastifyRequest): Promise<void> {
  const access = request.routeOptions.config.access;
  if (access === 'anyone') return;
  if ((request.params as { slug?: string }).slug !== undefined) {
    await organiserOfThisEvent(request);
    const { user, event } = organisedEvent(request);
    setScope(request, user, event);
    return;
  }
  const user = requireUser(request, REFUSALS);
  const refuse = (key: MessageKey) => new ForbiddenError(translate(requestLocale(request), key));
  if (access === 'every-event' && !isOrganiserOfAll(user)) throw refuse(user.role === 'organiser' ? 'admin.denied.all' : 'admin.denied.workspace');
  if (user.role !== 'organiser') throw refuse('admin.denied.workspace');
}

/**
 * A page shown again after a refused form has the form's address, and so do its language links
 * (?lang=): reading one of these addresses leads back to the page of the form.
 */
function formOnlyAddresses(app: FastifyInstance) {
  const backTo = (page: (params: { slug: string; id: string }) => string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { lang } = request.query as { lang?: string };
    return reply.redirect(`${page(request.params as { slug: string; id: string })}${lang ? `?lang=${lang}` : ''}`, 303);
  };
  const config = { access: 'anyone' as const };
  const item = { schema: { params: ItemParams, querystring: LangOnly }, config };
  app.get('/events', { schema: { querystring: LangOnly }, config }, backTo(() => '/admin'));
  for (const c of COLLECTIONS) {
    const path = RESOURCE_PATHS[c.kind];
    app.get(`/events/:slug/${path}/:id/delete`, item, backTo((p) => `/admin/events/${p.slug}/${path}/${p.id}`));
  }
  app.get('/events/:slug/parts/:id/move', item, backTo((p) => `/admin/events/${p.slug}/parts`));
  for (const action of ['duplicate', 'move', 'status', 'rapporteurs', 'delete']) {
    app.get(`/events/:slug/sessions/:id/${action}`, item, backTo((p) => `/admin/events/${p.slug}/sessions/${p.id}`));
  }
  app.get('/events/:slug/sessions/:id/rapporteurs/:userId/delete', { schema: { params: AssignmentParams, querystring: LangOnly }, config },
    backTo((p) => `/admin/events/${p.slug}/sessions/${p.id}`));
}

/** Registered with the prefix /admin. */
export default async function workspace(app: FastifyInstance, options: { secureCookies: boolean; importMaxBytes: number }) {
  // onRequest: the only hooks Fastify runs before it reads the body (the route's params are
  // known by then), so whoever may not open a page gets 401 or 403, never a 400 or 413 of the
  // body. The CSRF check of each form needs the body's token: it follows, in preValidation.
  app.addHook('onRequest', whoMay);
  await app.register(eventRoutes);
  await app.register(userRoutes);
  await app.register(programmeEditorRoutes);
  await app.register(gridRoutes);
  await app.register(sessionListRoutes);
  await app.register(bulkRoutes);
  await app.register(copyRoutes);
  await app.register(sessionRoutes);
  await app.register(sessionActionRoutes);
  await app.register(async (scope) => { for (const c of COLLECTIONS) collectionRoutes(scope, c); });
  await app.register(auditRoutes);
  await app.register(conclusionsOverviewRoutes);
  await app.register(followUpWorkspaceRoutes);
  await app.register(feedbackWorkspaceRoutes);
  await app.register(releaseRoutes, { secureCookies: options.secureCookies });
  await app.register(importRoutes, { importMaxBytes: options.importMaxBytes });
  await app.register(outboxRoutes);
  await app.register(contactRoutes);
  await app.register(webhookRoutes);
  formOnlyAddresses(app);
}
