// Turns programme data into what the templates show, in one reader's language.
import { isWebAddress } from '../../addresses.ts';
import type { Language, LocalizedText } from '../../db/schema.ts';
import { localize, translate, type Localized } from '../../i18n/index.ts';
import { eventDateLocale, intlDateLocale, localClock, localDate, longDate, shortDate, toZonedIso, utcOffsetLabel, type DateLocale } from '../../time.ts';
import type { EventRow, OrganisationRow, PersonRow } from '../../domains/programme/repository.ts';
import {
  ALL_DAYS, UNSCHEDULED, type Contributor, type DayPlan, type LiveState, type Programme, type ProgrammeContributor, type ProgrammeSession,
} from '../../domains/programme/assemble.ts';
import { interpretationTarget, joinList, languagesSentence } from '../../domains/programme/language-words.ts';

export class Presenter {
  readonly fallback: Language;
  /** The language of dates: the reader's, in the event's English variant. */
  readonly dateLocale: DateLocale;
  constructor(readonly event: EventRow, readonly locale: Language) {
    this.fallback = event.defaultLanguage;
    this.dateLocale = eventDateLocale(locale, event);
  }

  text(value: LocalizedText | null | undefined): Localized | null {
    return localize(value, this.locale, this.fallback);
  }

  /** A multi-line text as its lines, all in the language the text was found in. */
  lines(value: LocalizedText | null | undefined): { lang: Language; lines: string[] } | null {
    const text = this.text(value);
    if (!text) return null;
    const lines = text.text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    return lines.length > 0 ? { lang: text.lang, lines } : null;
  }

  paragraphs(value: LocalizedText | null | undefined): { lang: Language; paragraphs: string[] } | null {
    const text = this.text(value);
    if (!text) return null;
    return { lang: text.lang, paragraphs: text.text.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== '') };
  }

  /** An address inside this event's pages. */
  url(path: string): string {
    return `/events/${encodeURIComponent(this.event.slug)}${path}`;
  }

  eventSummary() {
    const e = this.event;
    return {
      slug: e.slug,
      url: this.url(''),
      title: this.text(e.title),
      subtitle: this.text(e.subtitle),
      venue: this.text(e.venue),
      city: e.city,
      dates: dateRangeLabel(e.startDate, e.endDate, this.dateLocale),
      startDate: e.startDate,
      endDate: e.endDate,
      timezone: e.timezone,
    };
  }

  eventDetails(programme: Programme) {
    const firstSlot = programme.slots[0];
    return {
      ...this.eventSummary(),
      description: this.paragraphs(this.event.description),
      timezoneNote: translate(this.locale, 'event.timezoneNote', {
        place: this.event.city ?? this.event.timezone,
        timezone: this.event.timezone,
        offset: utcOffsetLabel(firstSlot?.startsAt ?? new Date(`${this.event.startDate}T12:00:00Z`), this.event.timezone),
      }),
    };
  }

  contributorName(c: { person: PersonRow | null; organisation: OrganisationRow | null }): { name: Localized; url: string; organisation: Localized | null } {
    if (c.person) {
      return {
        name: { text: c.person.name, lang: this.locale },
        url: this.url(`/speakers/${c.person.publicId}`),
        organisation: c.organisation ? this.orgName(c.organisation) : null,
      };
    }
    const organisation = c.organisation!;
    return { name: this.orgName(organisation), url: this.url(`/speakers/${organisation.publicId}`), organisation: null };
  }

  orgName(organisation: OrganisationRow): Localized {
    return this.text(organisation.name) ?? { text: '—', lang: this.locale };
  }

  contributor(c: ProgrammeContributor) {
    return { ...this.contributorName(c), role: translate(this.locale, `role.${c.role}`) };
  }

  /** A session as cards and pages show it; `chosen` holds the session ids of the reader's agenda. */
  session(s: ProgrammeSession, live?: LiveState, chosen?: ReadonlySet<number>) {
    const zone = this.event.timezone;
    return {
      id: s.publicId,
      url: this.url(`/sessions/${s.publicId}`),
      title: this.text(s.row.title),
      subtitle: this.text(s.row.subtitle),
      abstract: nonEmpty(this.paragraphs(s.row.abstract)),
      language: s.row.language,
      languages: this.languages(s),
      interpretation: s.interpretation.length > 0 ? joinList(s.interpretation.map((i) => interpretationTarget(i, this.locale)), this.locale) : null,
      links: (s.row.links ?? []).map((link) => ({ title: link.title, href: isWebAddress(link.url) ? link.url : null })),
      agenda: this.lines(s.row.description),
      kind: s.row.kind,
      kindLabel: translate(this.locale, `kind.${s.row.kind}`),
      isBreak: s.row.kind === 'break' || s.row.kind === 'registration',
      cancelled: s.row.status === 'cancelled',
      start: s.slot ? localClock(s.slot.startsAt, zone) : null,
      end: s.slot ? localClock(s.slot.endsAt, zone) : null,
      startIso: s.slot ? toZonedIso(s.slot.startsAt, zone) : null,
      endIso: s.slot ? toZonedIso(s.slot.endsAt, zone) : null,
      day: s.slot ? longDate(localDate(s.slot.startsAt, zone), this.dateLocale) : null,
      part: s.part ? { id: s.part.publicId, url: this.url(`/parts/${s.part.publicId}`), label: this.text(s.part.label), title: this.text(s.part.title) } : null,
      room: s.room ? { id: s.room.publicId, name: this.text(s.room.name) } : null,
      contributors: s.contributors.map((c) => this.contributor(c)),
      outputs: s.outputs.map((o) => ({
        number: o.position + 1,
        statement: this.text(o.statement),
        url: `${this.url('/outputs')}#output-${o.publicId}`,
      })),
      isCurrent: live?.current.has(s.publicId) ?? false,
      isNext: live?.next.has(s.publicId) ?? false,
      inAgenda: chosen?.has(s.row.id) ?? false,
    };
  }

  /**
   * The badges of a session's languages ("FR", "interp. EN 2, ES") and the sentence that says
   * them to screen readers. Null when the session says nothing beyond the event's language:
   * no language of its own and no interpretation (as its calendar entry, languages.ts).
   */
  languages(s: ProgrammeSession) {
    if (s.row.language === null && s.interpretation.length === 0) return null;
    return {
      floor: s.floor.map((tag) => tag.toUpperCase()),
      interpretation: s.interpretation.map((i) => ({ code: i.language.toUpperCase(), channel: i.channel })),
      label: languagesSentence(s.floor, s.interpretation, this.locale),
    };
  }

  /**
   * Days → parts → slots → sessions, in time order; a part that spans two days appears in each,
   * but once a day: a session of a part seen earlier that day (one moved outside its part's
   * hours) is listed under that part, at its time, rather than under a second heading of it.
   * A session without a part stays where its time puts it, in the group before it.
   */
  schedule(sessions: ProgrammeSession[], live: LiveState, chosen?: ReadonlySet<number>) {
    const zone = this.event.timezone;
    type SessionView = ReturnType<Presenter['session']>;
    type SlotView = { start: string; end: string; startIso: string; sessions: SessionView[] };
    type GroupView = { part: SessionView['part']; slots: SlotView[] };
    const days: { date: string; label: string; groups: GroupView[] }[] = [];
    let last: { day: (typeof days)[number]; group: GroupView } | undefined;
    for (const s of sessions) {
      if (!s.slot) continue;
      const date = localDate(s.slot.startsAt, zone);
      let day = days.at(-1);
      if (!day || day.date !== date) {
        day = { date, label: longDate(date, this.dateLocale), groups: [] };
        days.push(day);
      }
      const view = this.session(s, live, chosen);
      let group = view.part ? day.groups.find((g) => g.part?.id === view.part!.id) : last?.day === day ? last.group : undefined;
      if (!group) {
        group = { part: view.part, slots: [] };
        day.groups.push(group);
      }
      last = { day, group };
      let slot = group.slots.find((sl) => sl.startIso === view.startIso && sl.end === view.end);
      if (!slot) {
        slot = { start: view.start!, end: view.end!, startIso: view.startIso!, sessions: [] };
        group.slots.push(slot);
      }
      slot.sessions.push(view);
    }
    return {
      days,
      unscheduled: sessions.filter((s) => !s.slot).map((s) => this.session(s, live, chosen)),
    };
  }

  /**
   * The day picker of a programme shown a day at a time: a link per date, then one to the
   * sessions without a time if there are any, then one to every day; the shown one is current.
   * `href` gives a `?day=` value's address; with `counted`, each link says how many sessions
   * pass the filters that day.
   */
  dayPicker(plan: DayPlan, href: (day: string) => string, counted: boolean) {
    const selected = plan.selected.kind === 'date' ? plan.selected.date : plan.selected.kind === 'all' ? ALL_DAYS : UNSCHEDULED;
    const total = [...plan.counts.values()].reduce((sum, n) => sum + n, 0);
    const link = (day: string, label: string, datetime: string | null) => ({
      day, label, datetime, href: href(day), current: day === selected,
      count: counted ? (day === ALL_DAYS ? total : plan.counts.get(day) ?? 0) : null,
      // Every day at once is for printing or searching a page: crawlers have the days one by one.
      nofollow: day === ALL_DAYS,
    });
    const links = [
      ...plan.dates.map((date) => link(date, shortDate(date, this.dateLocale), date)),
      ...(plan.hasUnscheduled ? [link(UNSCHEDULED, translate(this.locale, 'programme.unscheduled'), null)] : []),
      link(ALL_DAYS, translate(this.locale, 'programme.allDays'), null),
    ];
    return {
      selected,
      links,
      /** The other days where the filters match something, for the notice of an empty day. */
      elsewhere: links.filter((l) => !l.current && l.day !== ALL_DAYS && (plan.counts.get(l.day) ?? 0) > 0)
        .map((l) => ({ ...l, count: plan.counts.get(l.day) ?? 0 })),
    };
  }

  contributorPage(contributor: Contributor) {
    if (contributor.kind === 'person') {
      const { person, organisation } = contributor;
      return {
        id: person.publicId,
        kind: 'person' as const,
        name: { text: person.name, lang: this.locale },
        fullName: null,
        organisation: organisation ? { name: this.orgName(organisation), url: this.url(`/speakers/${organisation.publicId}`) } : null,
        about: this.paragraphs(person.bio),
      };
    }
    const { organisation } = contributor;
    return {
      id: organisation.publicId,
      kind: 'organisation' as const,
      name: this.orgName(organisation),
      fullName: this.text(organisation.fullName),
      organisation: null,
      about: this.paragraphs(organisation.description),
    };
  }
}

export { isWebAddress };

const nonEmpty = <T extends { paragraphs: string[] }>(value: T | null): T | null => (value && value.paragraphs.length > 0 ? value : null);

const dateRangeFormatters = new Map<DateLocale, Intl.DateTimeFormat>();

/** "12 novembre 2019" or "29–30 septembre 2015", in the reader's language. */
export function dateRangeLabel(start: string, end: string, locale: DateLocale): string {
  let formatter = dateRangeFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(intlDateLocale(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    dateRangeFormatters.set(locale, formatter);
  }
  const noon = (iso: string) => new Date(`${iso}T12:00:00Z`);
  return start === end ? formatter.format(noon(start)) : formatter.formatRange(noon(start), noon(end));
}
