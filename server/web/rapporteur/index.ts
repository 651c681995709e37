// The rapporteurs' pages, under /rapporteur: their sessions, the conclusions form, its history.
// Server-rendered and usable without JavaScript. One scope, whose hook decides once who may:
// someone signed in for "my sessions"; for a session's pages, one of its rapporteurs or an
// organiser of its event, before anything is read. Organisers follow every session of their
// events from the workspace (/admin/events/:slug/conclusions) and validate here.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { organises } from '../../domains/accounts/permissions.ts';
import { mayWrite } from '../../domains/conclusions/views.ts';
import { getAssignedSessions } from '../../domains/conclusions/reads.ts';
import { findRow } from '../../domains/programme/items.ts';
import { findEventBySlug, listEvents, type EventRow } from '../../domains/programme/repository.ts';
import { ForbiddenError, HttpError, NotFoundError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { localClock, localDate, longDate, toZonedIso } from '../../time.ts';
import { currentUser, requireUser } from '../shared/auth.ts';
import { stateLabel } from '../shared/conclusions-presenter.ts';
import { Presenter } from '../shared/presenter.ts';
import followUpRapporteurRoutes from './follow-up.ts';
import formRoutes from './form.ts';
import historyRoutes from './history.ts';
import { PageQuery, render, setScope } from './kit.ts';

/** Signed in; for a session's pages, someone who may write its conclusions. Anyone else stops here. */
async function whoMay(request: FastifyRequest): Promise<void> {
  const user = requireUser(request, { signIn: (r) => translate(requestLocale(r), 'admin.denied.signIn') });
  const { slug, id } = request.params as { slug?: string; id?: string };
  if (slug === undefined || id === undefined) return;
  const event = findEventBySlug(request.server.db, slug);
  if (!event) throw new NotFoundError('event', slug);
  const locale = requestLocale(request, event.defaultLanguage);
  const session = findRow(request.server.db, 'session', event.id, id);
  if (!session) throw new HttpError(404, 'errors.notFound.title', `No session "${id}"`, 'not-found');
  if (!mayWrite(request.server.db, user, event, session)) throw new ForbiddenError(translate(locale, 'conclusions.denied'));
  setScope(request, {
    user, event, session, locale, presenter: new Presenter(event, locale),
    base: `/rapporteur/events/${event.slug}/sessions/${session.publicId}`, organiser: organises(user, event.id),
  });
}

async function mineRoutes(app: FastifyInstance) {
  app.get('/', { schema: { querystring: PageQuery } }, async (request, reply) => {
    const user = currentUser(request)!;
    const locale = requestLocale(request);
    const assigned = getAssignedSessions(app.db, user);
    const events: { title: unknown; dates: string; sessions: unknown[] }[] = [];
    let current: EventRow | null = null;
    for (const item of assigned) {
      const presenter = new Presenter(item.event, locale);
      if (current?.id !== item.event.id) {
        current = item.event;
        events.push({ title: presenter.text(item.event.title), dates: presenter.eventSummary().dates, sessions: [] });
      }
      const zone = item.event.timezone;
      events.at(-1)!.sessions.push({
        title: presenter.text(item.session.title),
        url: `/rapporteur/events/${item.event.slug}/sessions/${item.session.publicId}`,
        when: item.slotStart && item.slotEnd
          ? translate(locale, 'slot.label', { day: longDate(localDate(item.slotStart, zone), locale), start: localClock(item.slotStart, zone), end: localClock(item.slotEnd, zone) })
          : null,
        startIso: item.slotStart ? toZonedIso(item.slotStart, zone) : null,
        state: item.state,
        stateLabel: stateLabel({ locale }, item.state, item.publishedRevision),
        returned: item.returnComment !== null,
        cancelled: item.session.status === 'cancelled',
      });
    }
    // Organisers reach every session of their events from the workspace.
    const organised = user.role === 'organiser'
      ? listEvents(app.db).filter((e) => organises(user, e.id)).map((e) => ({ title: new Presenter(e, locale).text(e.title), url: `/admin/events/${e.slug}/conclusions` }))
      : [];
    return render(request, reply, locale, 'rapporteur/mine', 200, { title: translate(locale, 'account.home.rapporteur'), events, organised });
  });
}

/** Registered with the prefix /rapporteur. */
export default async function rapporteur(app: FastifyInstance) {
  // onRequest, before the body is read: 401, 404, 403 come before any 400 or 413 of the body; the forms' CSRF check follows, in preValidation.
  app.addHook('onRequest', whoMay);
  await app.register(mineRoutes);
  await app.register(formRoutes);
  await app.register(historyRoutes);
  await app.register(followUpRapporteurRoutes);
}
