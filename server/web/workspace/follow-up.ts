// The follow-up of the event's published recommendations and actions, for its organisers: every
// item with its form (status, owner, due date, a note and links to evidence). A form posts to
// the list's own address, so that a refused one is shown again there, beside the others, with
// what was typed kept; a saved one leads back to its item (303).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getFollowUp } from '../../domains/conclusions/follow-up.ts';
import { findRow } from '../../domains/programme/items.ts';
import { NotFoundError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { FollowUpForm, followUpFormView, ownerChoices, saveFollowUpForm, type FollowUpFormBody, type FollowUpFormState } from '../shared/follow-up-form.ts';
import { EventParams } from '../shared/schemas.ts';
import { render, scopeOf, workingCopy } from './kit.ts';
import { LangOnly, PageQuery } from './schemas.ts';

function followUpPage(request: FastifyRequest, reply: FastifyReply, status: number, state: FollowUpFormState | null) {
  const { event, locale, presenter, base } = scopeOf(request);
  const now = request.server.now();
  const owners = ownerChoices(request, event.id, locale);
  const lang = (request.query as { lang?: string }).lang;
  const action = `${base}/follow-up${lang ? `?lang=${lang}` : ''}`;
  return render(request, reply, 'workspace/follow-up', status, {
    title: translate(locale, 'followup.admin.title'),
    section: 'followUp',
    publicUrl: presenter.url('/follow-up'),
    reportUrl: presenter.url('/report'),
    items: getFollowUp(request.server.db, workingCopy(request), now).map((item) => followUpFormView(presenter, item, now, action, owners, state)),
  });
}

export default async function followUpWorkspaceRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/events/:slug/follow-up', { schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) => followUpPage(request, reply, 200, null));

  app.post('/events/:slug/follow-up', {
    schema: { params: EventParams, querystring: LangOnly, body: FollowUpForm }, preValidation: app.csrfProtection,
  }, async (request, reply) => {
    const { event, user, locale, base } = scopeOf(request);
    const values = request.body as FollowUpFormBody;
    const session = findRow(app.db, 'session', event.id, values.session);
    if (!session) throw new NotFoundError('session', values.session);
    const outcome = saveFollowUpForm({ db: app.db, event, user, now: app.now() }, session, values, locale);
    if (outcome.kind === 'refused') return followUpPage(request, reply, outcome.state.status, outcome.state);
    const lang = request.query.lang ? `&lang=${request.query.lang}` : '';
    return reply.redirect(`${base}/follow-up?saved=${outcome.kind === 'saved' ? 'followUpSaved' : 'followUpUnchanged'}${lang}#${outcome.item.id}`, 303);
  });
}
