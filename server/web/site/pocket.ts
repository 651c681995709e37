// What a public page needs for its agenda toggles: where they post (the reader's agenda, or a
// new one), where they come back to, which session a toggle just changed, and the agenda bar.
// Only a reader whose browser keeps an agenda gets anything personal (public-cache.ts then
// keeps the page private); an anonymous reader's toggles are the same for everyone.
import type { FastifyRequest } from 'fastify';
import { inLanguage } from '../../addresses.ts';
import type { Programme, ProgrammeSession } from '../../domains/programme/assemble.ts';
import type { Language } from '../../db/schema.ts';
import type { Presenter } from '../shared/presenter.ts';
import { agendaBarLabel, agendaPath } from './agenda.ts';
import { readerAgenda } from './reading.ts';

/**
 * The page context of the toggles, and the reader's chosen session ids for the presenter.
 * `saved` (from the address a toggle returned to) is confirmed only to a reader with an agenda.
 */
export function agendaToggles(request: FastifyRequest, programme: Programme, locale: Language, saved: string | undefined) {
  const mine = readerAgenda(request, programme);
  const agendaUrl = mine ? agendaPath(mine.token, locale, programme.event) : null;
  return {
    chosen: mine?.agenda.sessionIds,
    context: {
      agendaToggles: true,
      agendaReturn: returnAddress(request.url),
      agendaSaved: mine ? saved ?? null : null,
      agendaBar: mine && agendaUrl ? { url: agendaUrl, label: agendaBarLabel(locale, mine.agenda.sessionIds.size) } : null,
      // Without an agenda yet, a toggle creates one for this event.
      agendaForm: agendaUrl
        ? { action: agendaUrl, url: agendaUrl, event: null }
        : { action: inLanguage('/my', locale, programme.event), url: null, event: programme.event.slug },
    },
  };
}

/** The page's own address, without the confirmation of an earlier toggle, written in the characters the form's schema accepts. */
function returnAddress(url: string): string {
  const parsed = new URL(url, 'http://localhost');
  parsed.searchParams.delete('saved');
  const query = parsed.searchParams.toString();
  return query ? `${parsed.pathname}?${query}` : parsed.pathname;
}

/**
 * The sessions before and after this one in the programme's time order (breaks left out: they
 * have no page of their own to read); none at either end, and none for a session without a time.
 */
export function neighbours(programme: Programme, session: ProgrammeSession, presenter: Presenter) {
  const timed = programme.sessions.filter((s) => s.slot && s.row.kind !== 'break' && s.row.kind !== 'registration');
  const at = timed.indexOf(session);
  if (at === -1) return null;
  const link = (s: ProgrammeSession | undefined) => (s ? { url: presenter.url(`/sessions/${s.publicId}`), title: presenter.text(s.row.title) } : null);
  const previous = link(timed[at - 1]);
  const next = link(timed[at + 1]);
  return previous || next ? { previous, next } : null;
}
