// The public programme: the list of events, an event's programme (filtered, or one part of it)
// and the venue screen. Handlers validate, read the programme the reader sees, render.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  eventPhase, filterSessions, isFiltered, liveState, planDays, programmeLanguages, resolveFilters, type FilterName, type Programme, type ProgrammeFilters,
} from '../../domains/programme/assemble.ts';
import { languageName } from '../../domains/programme/language-words.ts';
import { organises } from '../../domains/accounts/permissions.ts';
import { findEventBySlug, type EventRow } from '../../domains/programme/repository.ts';
import { releasedEvents } from '../../domains/releases/reader.ts';
import type { Language } from '../../db/schema.ts';
import { NotFoundError } from '../../errors.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { longDate } from '../../time.ts';
import { csrfToken, currentUser } from '../shared/auth.ts';
import { outputRef } from '../shared/conclusions-presenter.ts';
import { Presenter } from '../shared/presenter.ts';
import { ItemParams, EventParams, LangQuery } from '../shared/schemas.ts';
import { eventJsonLd } from '../shared/structured-data.ts';
import { PartPageQuery, ProgrammePageQuery } from '../shared/feed-schemas.ts';
import { calendarQr, paperOf } from './paper.ts';
import { agendaToggles } from './pocket.ts';
import { readerPage, subscription, type ReaderPage } from './reading.ts';

/**
 * The programme page of an event never released: a 404 that says so, and nothing else of the
 * event (not even its title) unless the reader organises it, who is offered the preview.
 */
function notPublished(request: FastifyRequest, reply: FastifyReply, event: EventRow) {
  const locale = requestLocale(request);
  const user = currentUser(request);
  const organiser = user !== null && organises(user, event.id);
  // It becomes the programme at the first release: kept by no one.
  reply.header('Cache-Control', organiser ? 'private, no-store' : 'no-cache');
  return reply.code(404).page('errors/404', locale, {
    title: translate(locale, 'site.notPublished.title'),
    body: translate(locale, 'site.notPublished.body'),
    preview: organiser ? { action: `/admin/events/${encodeURIComponent(event.slug)}/preview`, csrfToken: csrfToken(reply) } : null,
  });
}

export default async function programmeRoutes(fastify: FastifyInstance, options: { publicUrl: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /**
   * The programme page, or a part's page when `partPage` is set (its address then carries the
   * part, and its day links stay on it).
   */
  async function showProgramme(request: FastifyRequest, reply: FastifyReply, page: ReaderPage, query: ProgrammeFilterQuery, partPage?: string) {
    const { programme, preview } = page;
    const locale = requestLocale(request, programme.event.defaultLanguage);
    const presenter = new Presenter(programme.event, locale);
    const { filters, ignored } = resolveFilters(programme, query);
    const filtered = isFiltered(filters);
    const now = app.now();
    const days = planDays(programme, filterSessions(programme, filters), query.day, now, filtered);
    const live = liveState(programme.sessions, now);
    const selected = { part: filters.part?.publicId, room: filters.room?.publicId, speaker: filterId(filters), follow: filters.follow };
    const base = partPage ? presenter.url(`/parts/${partPage}`) : presenter.url('');
    // Day links keep the filters that matched; the part of a part's page is in its address (its language filter is kept).
    const href = (day: string | null) => withQuery(base, { ...(partPage ? { follow: selected.follow } : selected), day });
    const dayPicker = days.paged ? presenter.dayPicker(days, href, filtered) : null;
    const toggles = agendaToggles(request, programme, locale, query.saved);
    const schedule = presenter.schedule(days.sessions, live, toggles.chosen);
    const notices = [
      ...ignored.map((name) => translate(locale, 'programme.filterIgnored', { filter: translate(locale, FILTER_LABELS[name]) })),
      ...(days.ignored ? [translate(locale, 'programme.dayIgnored')] : []),
    ];
    // A day on which the filters match nothing says so, and which days they match.
    const empty = days.sessions.length > 0 ? null : {
      day: dayPicker && days.selected.kind === 'date' ? longDate(days.selected.date, presenter.dateLocale) : null,
      elsewhere: dayPicker?.elsewhere ?? [],
    };
    // Said above the programme, with the way back to every session (the filter form may be folded away).
    const following = filters.follow ? {
      notice: translate(locale, 'followIn.notice', { language: languageName(filters.follow, locale) }),
      allUrl: withQuery(base, { ...(partPage ? {} : selected), follow: null, day: dayPicker?.selected ?? null }),
    } : null;
    const subscribe = subscription(options.publicUrl, programme, locale, ...feedScope(filters, presenter));
    return reply.page('site/event', locale, {
      title: translate(locale, 'programme.title'),
      event: presenter.eventSummary(),
      section: 'programme',
      details: presenter.eventDetails(programme),
      notices,
      dayPicker,
      schedule,
      empty,
      live: live.live,
      filtered,
      following,
      // The filter form keeps a language chosen in the address.
      filterLang: query.lang ?? null,
      resetUrl: withQuery(presenter.url(''), { day: dayPicker?.selected ?? null }),
      filterOptions: filterOptions(programme, presenter, selected),
      lang: query.lang,
      subscribe,
      qr: { svg: await calendarQr(subscribe.links.address, locale), download: `${presenter.url('/qr.svg')}?lang=${locale}` },
      ...toggles.context,
      // What the sessions' "contributes to" stand for, at the end of the page and of the printed programme.
      outputsLegend: [...programme.outputs].sort((a, b) => a.position - b.position).map((o) => outputRef(presenter, o)),
      jsonLd: eventJsonLd(presenter, programme, options.publicUrl, days.sessions),
      paper: paperOf(request, programme, locale, options.publicUrl, preview),
    });
  }

  app.get('/', { schema: { querystring: LangQuery } }, async (request, reply) => {
    const locale = requestLocale(request);
    const now = app.now();
    const all = releasedEvents(app.db).map((event) => {
      const presenter = new Presenter(event, locale);
      return { ...presenter.eventSummary(), phase: eventPhase(event, now) };
    });
    // Upcoming and running events first, soonest first; then past ones, latest first.
    const upcoming = all.filter((e) => e.phase !== 'past');
    const past = all.filter((e) => e.phase === 'past').reverse();
    return reply.page('site/home', locale, { title: translate(locale, 'home.title'), section: 'home', upcoming, past });
  });

  app.get('/events/:slug', { schema: { params: EventParams, querystring: ProgrammePageQuery } }, async (request, reply) => {
    let page: ReturnType<typeof readerPage>;
    try {
      page = readerPage(request, reply, request.params.slug);
    } catch (error) {
      const event = error instanceof NotFoundError ? findEventBySlug(app.db, request.params.slug) : null;
      if (event) return notPublished(request, reply, event);
      throw error;
    }
    return showProgramme(request, reply, page, request.query);
  });

  // A part's own page: the programme narrowed to it, with its own feed.
  app.get('/events/:slug/parts/:id', { schema: { params: ItemParams, querystring: PartPageQuery } }, async (request, reply) => {
    const page = readerPage(request, reply, request.params.slug);
    if (!page.programme.parts.some((p) => p.publicId === request.params.id)) throw new NotFoundError('part', request.params.id);
    const { lang, day, saved } = request.query;
    const { follow } = request.query;
    return showProgramme(request, reply, page, { lang, day, saved, follow, part: request.params.id }, request.params.id);
  });

}

type ProgrammeFilterQuery = {
  lang?: Language | undefined; part?: string | undefined; room?: string | undefined; speaker?: string | undefined; day?: string | undefined;
  /** A language the sessions shown can be followed in. */
  follow?: string | undefined;
  /** The session a toggle just changed, confirmed beside it. */
  saved?: string | undefined;
};

/** How a notice names a filter it ignored: by its field's label. */
const FILTER_LABELS = { part: 'field.part', room: 'field.room', speaker: 'programme.filter.speaker', follow: 'followIn.filterName' } as const satisfies Record<FilterName, MessageKey>;

/** The public id a contributor filter was given as: a person's or an organisation's. */
function filterId(filters: ProgrammeFilters): string | undefined {
  const c = filters.contributor;
  if (!c) return undefined;
  return c.kind === 'person' ? c.person.publicId : c.organisation.publicId;
}

/** An address with the given query parameters, in a fixed order, leaving out the empty ones. */
function withQuery(path: string, params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** The narrowest feed that matches the filters: one part, one room or one contributor, else the event. */
function feedScope(filters: ProgrammeFilters, presenter: Presenter): [path: string, name: string | null] {
  const { part, room, contributor } = filters;
  const only = [part, room, contributor].filter(Boolean).length === 1;
  if (only && part) return [`/parts/${part.publicId}`, presenter.text(part.label)?.text ?? null];
  if (only && room) return [`/rooms/${room.publicId}`, presenter.text(room.name)?.text ?? null];
  if (only && contributor) {
    const profile = presenter.contributorPage(contributor);
    return [`/speakers/${profile.id}`, profile.name.text];
  }
  return ['', null];
}

/**
 * The choices of each filter. A dimension with a single value filters nothing and is left out,
 * unless the reader's address selects it (so that it can be seen and reset).
 */
function filterOptions(programme: Programme, presenter: Presenter, selected: { part?: string | undefined; room?: string | undefined; speaker?: string | undefined; follow?: string | undefined }) {
  const contributors = [
    ...programme.people.map((p) => ({ id: p.publicId, name: { text: p.name, lang: presenter.locale } })),
    ...programme.organisations.map((o) => ({ id: o.publicId, name: presenter.orgName(o) })),
  ].sort((a, b) => a.name.text.localeCompare(b.name.text, presenter.locale));
  const worth = <T extends { selected: boolean }>(options: T[]): T[] => (options.length > 1 || options.some((o) => o.selected) ? options : []);
  const parts = worth(programme.parts.map((p) => ({ id: p.publicId, label: presenter.text(p.label), title: presenter.text(p.title), selected: p.publicId === selected.part })));
  const rooms = worth(programme.rooms.map((r) => ({ id: r.publicId, name: presenter.text(r.name), selected: r.publicId === selected.room })));
  const people = worth(contributors.map((c) => ({ ...c, selected: c.id === selected.speaker })));
  // Each language named in itself too ("espagnol (español)"), for the reader who knows only that one.
  const languages = worth(programmeLanguages(programme).map((tag) => {
    const name = languageName(tag, presenter.locale);
    const own = languageName(tag, tag as Language);
    return { code: tag, name: own.toLowerCase() === name.toLowerCase() ? name : `${name} (${own})`, selected: tag === selected.follow };
  }));
  return { parts, rooms, contributors: people, languages, any: parts.length + rooms.length + people.length + languages.length > 0 };
}
