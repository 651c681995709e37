// What every rapporteur's page knows about its request (the session, who writes, in which
// language) and how it is rendered: never cached, never indexed, with conclusions.js, which
// keeps what is typed in the browser until the server has it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuthUser } from '../../domains/accounts/service.ts';
import { releasedOutputIds, type ConclusionsContext } from '../../domains/conclusions/views.ts';
import { TRANSITIONS, LIMITS } from '../../domains/conclusions/schemas.ts';
import { listRows, type RowOf } from '../../domains/programme/items.ts';
import type { EventRow } from '../../domains/programme/repository.ts';
import { Lang, PublicId, Slug } from '../../domains/programme/schemas.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import type { Language } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';
import { localClock, localDate, longDate } from '../../time.ts';
import type { Presenter } from '../shared/presenter.ts';
import { confirmationOf, type Confirmations, privatePage } from '../shared/private-page.ts';

export const PageQuery = Type.Object({ lang: Type.Optional(Lang), saved: Type.Optional(Type.String({ maxLength: 30 })) });
export const SessionParams = Type.Object({ slug: Slug, id: PublicId });
export const RevisionParams = Type.Object({ slug: Slug, id: PublicId, number: Type.Integer({ minimum: 1, maximum: 1000000 }) });
export const CopyParams = Type.Object({ slug: Slug, id: PublicId, copy: PublicId });
export const TransitionForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  action: Type.Enum(TRANSITIONS),
  revision: Type.Integer({ minimum: 1 }),
  comment: Type.Optional(Type.String({ maxLength: LIMITS.comment })),
});
export const RestoreForm = Type.Object({ _csrf: Type.Optional(Type.String()), baseRevision: Type.Integer({ minimum: 0 }) });

export interface Scope {
  user: AuthUser;
  event: EventRow;
  session: RowOf<'session'>;
  locale: Language;
  presenter: Presenter;
  /** /rapporteur/events/:slug/sessions/:id */
  base: string;
  organiser: boolean;
}

const scopes = new WeakMap<FastifyRequest, Scope>();

export function setScope(request: FastifyRequest, scope: Scope): void {
  scopes.set(request, scope);
}

export function scopeOf(request: FastifyRequest): Scope {
  return scopes.get(request)!;
}

export function contextOf(request: FastifyRequest): ConclusionsContext {
  const scope = scopeOf(request);
  return { db: request.server.db, event: scope.event, user: scope.user, now: request.server.now(), publicUrl: request.server.publicUrl };
}

/** Confirmations a redirect may ask the next page to show (?saved=…), with their words. */
const CONFIRMATIONS = {
  saved: 'form.saved', unchanged: 'conclusions.saved.unchanged', submitted: 'conclusions.saved.submitted', validated: 'conclusions.saved.validated',
  returned: 'conclusions.saved.returned', published: 'conclusions.saved.published', unpublished: 'conclusions.saved.unpublished', restored: 'conclusions.saved.restored',
  followUpSaved: 'followup.saved', followUpUnchanged: 'followup.admin.unchanged',
} as const satisfies Confirmations;

export function render(request: FastifyRequest, reply: FastifyReply, locale: Language, template: string, status: number, context: Record<string, unknown> & { title: string }) {
  return privatePage(reply, template, locale, status, {
    admin: true,
    conclusionsScript: true,
    flash: confirmationOf(request, status, locale, CONFIRMATIONS),
    ...context,
  });
}

/**
 * The expected outputs whose text this page may show beside conclusions: all of them to the
 * event's organisers; released ones to a rapporteur, for an output not released is not public.
 */
export function readableOutputs(request: FastifyRequest, scope: Scope): RowOf<'output'>[] {
  const outputs = listRows(request.server.db, 'output', scope.event.id).sort((a, b) => a.position - b.position);
  if (scope.organiser) return outputs;
  const released = releasedOutputIds(request.server.db, scope.event);
  return outputs.filter((o) => released.has(o.publicId));
}

/** The session as the form's page names it: title, time, room, the outputs it serves. */
export function sessionFacts(request: FastifyRequest, scope: Scope) {
  const { session, event, presenter, locale } = scope;
  const programmeSession = readProgramme(request.server.db, { id: event.id }, 'working').sessions.find((s) => s.row.id === session.id);
  const zone = event.timezone;
  return {
    title: presenter.text(session.title),
    event: presenter.text(event.title),
    when: programmeSession?.slot
      ? translate(locale, 'slot.label', {
        day: longDate(localDate(programmeSession.slot.startsAt, zone), locale), start: localClock(programmeSession.slot.startsAt, zone), end: localClock(programmeSession.slot.endsAt, zone),
      })
      : null,
    room: programmeSession?.room ? presenter.text(programmeSession.room.name) : null,
    cancelled: session.status === 'cancelled',
    publicUrl: presenter.url(`/sessions/${session.publicId}`),
    outputs: programmeSession?.outputs ?? [],
  };
}
