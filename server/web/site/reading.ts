// What every public page of an event starts from: the programme the reader sees (the latest
// release, or an organiser's preview), in the reader's language, and the ways to subscribe.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Programme } from '../../domains/programme/assemble.ts';
import { findAgenda, type Agenda } from '../../domains/participants/agendas.ts';
import type { Language } from '../../db/schema.ts';
import { NotFoundError } from '../../errors.ts';
import { requestLocale } from '../../i18n/request.ts';
import { calendarName, feedLinks, feedPath } from '../shared/links.ts';
import { Presenter } from '../shared/presenter.ts';
import { readerProgramme } from '../shared/preview.ts';
import { agendaCookieName } from './agenda.ts';

export interface ReaderPage {
  programme: Programme;
  locale: Language;
  presenter: Presenter;
  /** Whether this is an organiser's preview of the next release. */
  preview: boolean;
}

export function readerPage(request: FastifyRequest, reply: FastifyReply, slug: string): ReaderPage {
  const { programme, preview } = readerProgramme(request, reply, slug);
  const locale = requestLocale(request, programme.event.defaultLanguage);
  return { programme, locale, presenter: new Presenter(programme.event, locale), preview };
}

/** The calendar a page offers: its name, and the ways to subscribe to it or download it. */
export function subscription(publicUrl: string, programme: Programme, locale: Language, scopePath: string, scopeName: string | null) {
  const name = calendarName({ event: programme.event, locale, scopeName });
  return { name, links: feedLinks(publicUrl, feedPath(programme.event, scopePath, locale), name) };
}

/** The agenda this browser keeps for the event, if its cookie still opens one. */
export function readerAgenda(request: FastifyRequest, programme: Programme): { token: string; agenda: Agenda } | null {
  const token = request.cookies[agendaCookieName(programme.event.publicId)];
  if (!token) return null;
  try {
    const agenda = findAgenda(request.server.db, token);
    return agenda.row.eventId === programme.event.id ? { token, agenda } : null;
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}
