// schema.org Event data (JSON-LD) of an event's and a session's public pages, as Indico and frab
// publish it: search engines and calendar-aware tools read the programme without scraping it.
// Built from the programme already read for the page: no query of its own.
import { inLanguage, sessionAddress } from '../../addresses.ts';
import type { Programme, ProgrammeContributor, ProgrammeSession } from '../../domains/programme/assemble.ts';
import { toZonedIso } from '../../time.ts';
import type { Presenter } from './presenter.ts';

const SCHEMA = 'https://schema.org';
type Json = Record<string, unknown>;

/** Drops the properties that have no value: schema.org readers take a missing one better than a null. */
function compact(object: Json): Json {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)));
}

/** The event's place: its venue, or a room at its venue, with the city and country. */
function place(presenter: Presenter, roomName: string | null): Json | null {
  const event = presenter.event;
  const venue = presenter.text(event.venue)?.text ?? null;
  const name = [roomName, venue].filter(Boolean).join(', ') || event.city;
  if (!name) return null;
  return compact({
    '@type': 'Place',
    name,
    address: event.city || event.country ? compact({ '@type': 'PostalAddress', addressLocality: event.city, addressCountry: event.country }) : null,
  });
}

function performer(presenter: Presenter, c: ProgrammeContributor): Json {
  if (c.person) {
    return compact({
      '@type': 'Person',
      name: c.person.name,
      affiliation: c.organisation ? { '@type': 'Organization', name: presenter.orgName(c.organisation).text } : null,
    });
  }
  return { '@type': 'Organization', name: presenter.orgName(c.organisation!).text };
}

/** The start and end of a session, or of the event (its first and last session, else its dates). */
function times(presenter: Presenter, sessions: ProgrammeSession[]): { startDate: string; endDate: string } {
  const zone = presenter.event.timezone;
  const timed = sessions.filter((s) => s.slot);
  if (timed.length === 0) return { startDate: presenter.event.startDate, endDate: presenter.event.endDate };
  const start = Math.min(...timed.map((s) => s.slot!.startsAt.getTime()));
  const end = Math.max(...timed.map((s) => s.slot!.endsAt.getTime()));
  return { startDate: toZonedIso(new Date(start), zone), endDate: toZonedIso(new Date(end), zone) };
}

function eventUrl(presenter: Presenter, publicUrl: string): string {
  return `${publicUrl}${inLanguage(presenter.url(''), presenter.locale, presenter.event)}`;
}

/** The JSON-LD of an event's programme page: the event, and each of its sessions as a sub-event. */
/**
 * The event, with the sessions the page shows as its sub-events: a day page of a large congress
 * names that day's sessions, not the whole programme again.
 */
export function eventJsonLd(presenter: Presenter, programme: Programme, publicUrl: string, shown: readonly ProgrammeSession[] = programme.sessions): Json {
  const description = presenter.text(programme.event.description)?.text ?? null;
  return compact({
    '@context': SCHEMA,
    '@type': 'Event',
    name: presenter.text(programme.event.title)?.text ?? programme.event.slug,
    description,
    ...times(presenter, programme.sessions),
    eventStatus: `${SCHEMA}/EventScheduled`,
    eventAttendanceMode: `${SCHEMA}/OfflineEventAttendanceMode`,
    location: place(presenter, null),
    inLanguage: presenter.locale,
    url: eventUrl(presenter, publicUrl),
    subEvent: shown.filter((s) => s.slot).map((s) => compact({
      '@type': 'Event',
      name: presenter.text(s.row.title)?.text ?? '',
      ...times(presenter, [s]),
      eventStatus: status(s),
      url: sessionAddress(publicUrl, programme.event, presenter.locale, s.publicId),
    })),
  });
}

function status(session: ProgrammeSession): string {
  return `${SCHEMA}/${session.row.status === 'cancelled' ? 'EventCancelled' : 'EventScheduled'}`;
}

/** The JSON-LD of a session's page: the session, its performers, and the event it is part of. */
export function sessionJsonLd(presenter: Presenter, programme: Programme, session: ProgrammeSession, publicUrl: string): Json {
  const description = presenter.text(session.row.abstract)?.text ?? presenter.text(session.row.description)?.text ?? null;
  return compact({
    '@context': SCHEMA,
    '@type': 'Event',
    name: presenter.text(session.row.title)?.text ?? '',
    description,
    ...times(presenter, [session]),
    eventStatus: status(session),
    eventAttendanceMode: `${SCHEMA}/OfflineEventAttendanceMode`,
    location: place(presenter, session.room ? presenter.text(session.room.name)?.text ?? null : null),
    performer: session.contributors.map((c) => performer(presenter, c)),
    inLanguage: session.row.language ?? presenter.locale,
    url: sessionAddress(publicUrl, programme.event, presenter.locale, session.publicId),
    superEvent: {
      '@type': 'Event',
      name: presenter.text(programme.event.title)?.text ?? programme.event.slug,
      url: eventUrl(presenter, publicUrl),
    },
  });
}
