// The public pages of a session, of the speakers and organisations, and of the expected outputs.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { findContributor, findSession, involves, liveState, rolesIn, type Contributor } from '../../domains/programme/assemble.ts';
import { getPublishedConclusions } from '../../domains/conclusions/reads.ts';
import { translate } from '../../i18n/index.ts';
import { conclusionsView } from '../shared/conclusions-presenter.ts';
import { ItemParams, EventParams, LangQuery } from '../shared/schemas.ts';
import { sessionJsonLd } from '../shared/structured-data.ts';
import { SessionPageQuery } from '../shared/feed-schemas.ts';
import { offersFeedback } from '../../domains/participants/feedback.ts';
import { feedbackPath } from './feedback.ts';
import { agendaToggles, neighbours } from './pocket.ts';
import { readerPage, subscription } from './reading.ts';

export default async function sessionPagesRoutes(fastify: FastifyInstance, options: { publicUrl: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/events/:slug/sessions/:id', { schema: { params: ItemParams, querystring: SessionPageQuery } }, async (request, reply) => {
    const { programme, locale, presenter } = readerPage(request, reply, request.params.slug);
    const session = findSession(programme, request.params.id);
    const toggles = agendaToggles(request, programme, locale, request.query.saved);
    const view = presenter.session(session, liveState(programme.sessions, app.now()), toggles.chosen);
    const published = getPublishedConclusions(app.db, session);
    return reply.page('site/session', locale, {
      title: view.title?.text ?? '',
      event: presenter.eventSummary(),
      section: 'programme',
      session: view,
      details: presenter.eventDetails(programme),
      conclusions: published ? conclusionsView(presenter, published.content, programme.outputs) : null,
      reportUrl: presenter.url('/report'),
      // Once the session has ended (the public cache's key holds the minute, the ETag the bytes).
      feedbackUrl: offersFeedback(session, app.now()) ? feedbackPath(programme, session, locale) : null,
      neighbours: neighbours(programme, session, presenter),
      ...toggles.context,
      jsonLd: sessionJsonLd(presenter, programme, session, options.publicUrl),
      subscribe: subscription(options.publicUrl, programme, locale, `/sessions/${session.publicId}`, view.title?.text ?? null),
    });
  });

  app.get('/events/:slug/speakers', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const { programme, locale, presenter } = readerPage(request, reply, request.params.slug);
    const countFor = (contributor: Contributor) => programme.sessions.filter((s) => involves(s, contributor)).length;
    const withSessions = (contributor: Contributor) => ({
      ...presenter.contributorPage(contributor),
      url: presenter.url(`/speakers/${contributor.kind === 'person' ? contributor.person.publicId : contributor.organisation.publicId}`),
      sessionCount: countFor(contributor),
    });
    const people = programme.people.map((person) => withSessions({
      kind: 'person', person, organisation: programme.organisations.find((o) => o.id === person.organisationId) ?? null,
    }));
    const organisations = programme.organisations
      .map((organisation) => withSessions({ kind: 'organisation', organisation }))
      .sort((a, b) => a.name.text.localeCompare(b.name.text, locale));
    return reply.page('site/speakers', locale, {
      title: translate(locale, 'speakers.title'),
      event: presenter.eventSummary(),
      section: 'speakers',
      people,
      organisations,
    });
  });

  app.get('/events/:slug/speakers/:id', { schema: { params: ItemParams, querystring: LangQuery } }, async (request, reply) => {
    const { programme, locale, presenter } = readerPage(request, reply, request.params.slug);
    const contributor = findContributor(programme, request.params.id);
    const profile = presenter.contributorPage(contributor);
    const sessions = programme.sessions.filter((s) => involves(s, contributor)).map((s) => {
      const view = presenter.session(s);
      const roles = rolesIn(s, contributor).map((role) => translate(locale, `role.${role}`));
      return { ...view, roles: roles.join(', ') };
    });
    const members = contributor.kind === 'organisation'
      ? programme.people.filter((p) => p.organisationId === contributor.organisation.id).map((p) => ({ name: p.name, url: presenter.url(`/speakers/${p.publicId}`) }))
      : [];
    return reply.page('site/speaker', locale, {
      title: profile.name.text,
      event: presenter.eventSummary(),
      section: 'speakers',
      profile,
      members,
      sessions,
      programmeUrl: `${presenter.url('')}?speaker=${profile.id}`,
      subscribe: subscription(options.publicUrl, programme, locale, `/speakers/${profile.id}`, profile.name.text),
    });
  });

  app.get('/events/:slug/outputs', { schema: { params: EventParams, querystring: LangQuery } }, async (request, reply) => {
    const { programme, locale, presenter } = readerPage(request, reply, request.params.slug);
    const outputs = programme.outputs.map((o) => ({
      id: o.publicId,
      number: o.position + 1,
      statement: presenter.text(o.statement),
      sessions: programme.sessions.filter((s) => s.outputs.some((x) => x.id === o.id)).map((s) => presenter.session(s)),
    }));
    return reply.page('site/outputs', locale, {
      title: translate(locale, 'outputs.title'),
      event: presenter.eventSummary(),
      section: 'outputs',
      outputs,
    });
  });
}
