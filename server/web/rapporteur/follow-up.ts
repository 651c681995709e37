// The follow-up of one session's published recommendations and actions, for its assigned
// rapporteurs (and the event's organisers): the same form per item as the organisers' list.
// The scope's hook has already decided who may, before anything is read.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getFollowUp } from '../../domains/conclusions/follow-up.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { NotFoundError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { FollowUpForm, followUpFormView, ownerChoices, saveFollowUpForm, type FollowUpFormBody, type FollowUpFormState } from '../shared/follow-up-form.ts';
import { PageQuery, render, scopeOf, SessionParams } from './kit.ts';

function followUpPage(request: FastifyRequest, reply: FastifyReply, status: number, state: FollowUpFormState | null) {
  const scope = scopeOf(request);
  const { event, session, locale, presenter, base } = scope;
  const now = request.server.now();
  const working = readProgramme(request.server.db, { id: event.id }, 'working');
  const programme = { ...working, sessions: working.sessions.filter((s) => s.row.id === session.id) };
  const owners = ownerChoices(request, event.id, locale);
  const lang = (request.query as { lang?: string }).lang;
  const action = `${base}/follow-up${lang ? `?lang=${lang}` : ''}`;
  const title = presenter.text(session.title)?.text ?? '';
  return render(request, reply, locale, 'rapporteur/follow-up', status, {
    title: translate(locale, 'followup.rapporteur.title', { session: title }),
    formUrl: base,
    publicUrl: presenter.url('/follow-up'),
    items: getFollowUp(request.server.db, programme, now).map((item) => followUpFormView(presenter, item, now, action, owners, state)),
  });
}

export default async function followUpRapporteurRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/events/:slug/sessions/:id/follow-up', { schema: { params: SessionParams, querystring: PageQuery } }, async (request, reply) =>
    followUpPage(request, reply, 200, null));

  app.post('/events/:slug/sessions/:id/follow-up', {
    preValidation: app.csrfProtection, schema: { params: SessionParams, querystring: PageQuery, body: FollowUpForm },
  }, async (request, reply) => {
    const { event, session, user, locale, base } = scopeOf(request);
    const values = request.body as FollowUpFormBody;
    // The form names the session of the page: another session's item is not this page's to change.
    if (values.session !== session.publicId) throw new NotFoundError('follow-up item', `${values.session}-${values.item}`);
    const outcome = saveFollowUpForm({ db: app.db, event, user, now: app.now() }, session, values, locale);
    if (outcome.kind === 'refused') return followUpPage(request, reply, outcome.state.status, outcome.state);
    const lang = request.query.lang ? `&lang=${request.query.lang}` : '';
    return reply.redirect(`${base}/follow-up?saved=${outcome.kind === 'saved' ? 'followUpSaved' : 'followUpUnchanged'}${lang}#${outcome.item.id}`, 303);
  });
}
