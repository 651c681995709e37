// The workspace's kit: what every page of /admin knows about its request (who, which event,
// which language), how a page is rendered (never cached, never indexed, with the workspace's
// navigation and a confirmation after a redirect), and how a form is saved: the same steps for
// every kind, with what was typed kept on a refusal (422 beside each field, 409 beside the
// saved values). Resource files (collections/, sessions.ts…) only say what differs.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../../domains/accounts/service.ts';
import { lastEditor } from '../../domains/audit/service.ts';
import type { Programme } from '../../domains/programme/assemble.ts';
import type { EventRow, SlotRow } from '../../domains/programme/repository.ts';
import type { WriteContext } from '../../domains/programme/write.ts';
import { readProgramme } from '../../domains/releases/reader.ts';
import { findLatestReleaseOfEvent } from '../../domains/releases/repository.ts';
import type { Language, LocalizedText } from '../../db/schema.ts';
import { ConflictError, StaleVersionError, UnprocessableError } from '../../errors.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import { requestLocale } from '../../i18n/request.ts';
import { localClock, localDate, longDate } from '../../time.ts';
import { currentUser } from '../shared/auth.ts';
import { checkBody, formErrors } from '../shared/forms/check.ts';
import type { FormMode, FormSpec, FormValues } from '../shared/forms/fields.ts';
import { fromEntity, toBody, type BodyResult } from '../shared/forms/read.ts';
import { fixedOptions, type Option } from '../shared/forms/view.ts';
import { Presenter } from '../shared/presenter.ts';
import { confirmationOf, type Confirmations, privatePage } from '../shared/private-page.ts';
import { homeOf, navOf } from './nav.ts';

/** What a page about one event knows about the request. */
export interface Scope {
  user: AuthUser;
  event: EventRow;
  locale: Language;
  presenter: Presenter;
  /** /admin/events/:slug */
  base: string;
}

const scopes = new WeakMap<FastifyRequest, Scope>();

export function setScope(request: FastifyRequest, user: AuthUser, event: EventRow): void {
  const locale = requestLocale(request, event.defaultLanguage);
  scopes.set(request, { user, event, locale, presenter: new Presenter(event, locale), base: `/admin/events/${event.slug}` });
}

/** The scope of a page of an event, set by the workspace's hook. */
export function scopeOf(request: FastifyRequest): Scope {
  return scopes.get(request)!;
}

/** Who is signed in: the workspace's hook has let only organisers through. */
export function userOf(request: FastifyRequest): AuthUser {
  return scopes.get(request)?.user ?? currentUser(request)!;
}

/** The working copy of the page's event: what organisers edit. */
export function workingCopy(request: FastifyRequest): Programme {
  return readProgramme(request.server.db, { id: scopeOf(request).event.id }, 'working');
}

export function writeContext(request: FastifyRequest): WriteContext {
  const scope = scopeOf(request);
  return { db: request.server.db, event: scope.event, actor: { id: scope.user.id, name: scope.user.name }, now: request.server.now() };
}

/** Confirmations a redirect may ask the next page to show (?saved=…), with their words. */
const CONFIRMATIONS = {
  created: 'admin.saved.created', updated: 'form.saved', deleted: 'admin.saved.deleted', duplicated: 'admin.saved.duplicated', moved: 'admin.saved.moved',
  cancelled: 'admin.saved.cancelled', confirmed: 'admin.saved.confirmed', assigned: 'admin.saved.assigned', withdrawn: 'admin.saved.withdrawn',
  reordered: 'admin.saved.reordered', userCreated: 'admin.saved.userCreated', eventCreated: 'admin.saved.eventCreated',
  copied: 'copy.saved.copied', copiedSkipped: 'copy.saved.copiedSkipped',
  draftSaved: 'outbox.saved.draft', messageQueued: 'outbox.saved.queued', messageDiscarded: 'outbox.saved.discarded', draftsQueued: 'outbox.saved.allQueued',
  contactsSaved: 'contacts.saved', languagesSaved: 'outbox.users.saved', languagesStale: 'outbox.users.savedStale',
  webhookCreated: 'webhooks.saved.created', webhookEnabled: 'webhooks.saved.enabled', webhookDisabled: 'webhooks.saved.disabled', webhookDeleted: 'webhooks.saved.deleted',
  followUpSaved: 'followup.saved', followUpUnchanged: 'followup.admin.unchanged',
  feedbackModerated: 'feedback.admin.saved', feedbackChanged: 'feedback.admin.changed',
} as const satisfies Confirmations;

export type PageContext = Record<string, unknown> & { title: string; section?: string };

/** Renders a page of the workspace: the event's navigation when the page is an event's, the confirmation of a redirect. */
export function render(request: FastifyRequest, reply: FastifyReply, template: string, status: number, context: PageContext) {
  const scope = scopes.get(request) ?? null;
  const locale = scope?.locale ?? requestLocale(request);
  const eventTitle = scope ? scope.presenter.text(scope.event.title) : null;
  return privatePage(reply, template, locale, status, {
    admin: true,
    flash: confirmationOf(request, status, locale, CONFIRMATIONS),
    home: homeOf(userOf(request), template),
    nav: scope ? navOf(scope, context.section ?? '', findLatestReleaseOfEvent(request.server.db, scope.event.id) !== null) : null,
    ...context,
    heading: context.heading ?? context.title,
    title: eventTitle ? translate(locale, 'admin.pageTitle', { page: context.title, event: eventTitle.text }) : context.title,
  });
}

/** A text of the interface, shaped like a content text so that one cell template shows both. */
export const plain = (text: string, locale: Language) => ({ text, lang: locale });

// ---- Saving a form: the same steps for every kind

/** The state of a form shown again after a refused save. */
export interface FormState {
  status: number;
  values: FormValues;
  errors?: Map<string, string> | undefined;
  /** After a stale save: the saved values, and who saved them. */
  current?: FormValues | null | undefined;
  staleBy?: string | null | undefined;
  /** Set when the refused write was a deletion. */
  staleDelete?: boolean;
  /** A refusal that names no field. */
  formError?: string | null | undefined;
  inUse?: InUse | null | undefined;
}

export interface InUse {
  message: string;
  items: { href: string; text: string; code: string | null }[];
}

/** Who changed an entity last, by the audit log: named in the stale-save explanation. */
export function staleBy(request: FastifyRequest, entity: string, entityId: string): string | null {
  return lastEditor(request.server.db, scopeOf(request).event, entity, entityId);
}

export function staleMessage(locale: Language, state: FormState): string | null {
  if (state.current === undefined && !state.staleDelete) return null;
  const [named, anonymous]: [MessageKey, MessageKey] = state.staleDelete
    ? ['admin.stale.delete', 'admin.stale.deleteAnonymous'] : ['admin.stale.intro', 'admin.stale.introAnonymous'];
  return state.staleBy ? translate(locale, named, { name: state.staleBy }) : translate(locale, anonymous);
}

export interface SaveSpec {
  form: FormSpec;
  mode: FormMode;
  values: FormValues;
  /** The audit log's name and id of the entity, to say who changed it after a stale save. */
  entity?: string;
  entityId?: string;
  show: (state: FormState) => FastifyReply;
  write: (body: Record<string, unknown>) => { data: Record<string, unknown> };
  done: (data: Record<string, unknown>) => string;
}

export function save(request: FastifyRequest, reply: FastifyReply, locale: Language, spec: SaveSpec) {
  const { values } = spec;
  const result: BodyResult = toBody(spec.form, spec.mode, values);
  const invalid = checkBody(spec.form, spec.mode, result.body);
  if (result.errors.length > 0 || invalid.length > 0) {
    return spec.show({ status: 422, values, errors: formErrors(locale, result, result.errors, invalid) });
  }
  let written: { data: Record<string, unknown> };
  try {
    written = spec.write(result.body);
  } catch (error) {
    if (error instanceof UnprocessableError) return spec.show({ status: 422, values, errors: formErrors(locale, result, error.errors) });
    if (error instanceof StaleVersionError) {
      // What was typed stays; the saved values are shown beside it, and the form now names
      // the current version, so that saving again replaces theirs knowingly.
      const saved = error.extensions.current as Record<string, unknown>;
      return spec.show({
        status: 409, values: { ...values, version: String(saved.version) }, current: fromEntity(spec.form, saved),
        staleBy: spec.entity ? staleBy(request, spec.entity, spec.entityId!) : null,
      });
    }
    if (error instanceof ConflictError) return spec.show({ status: 409, values, formError: translate(locale, 'admin.error.conflict') });
    throw error;
  }
  return reply.redirect(spec.done(written.data), 303);
}

// ---- Choices of the forms, from one read of the programme

export function slotLabel(slot: Pick<SlotRow, 'startsAt' | 'endsAt'>, scope: Pick<Scope, 'event' | 'locale'>): string {
  const zone = scope.event.timezone;
  return translate(scope.locale, 'slot.label', {
    day: longDate(localDate(slot.startsAt, zone), scope.locale), start: localClock(slot.startsAt, zone), end: localClock(slot.endsAt, zone),
  });
}

export function textOption(scope: Scope, value: string, text: LocalizedText | null | undefined): Option {
  const found = scope.presenter.text(text);
  return { value, label: found?.text ?? '—', lang: found && found.lang !== scope.locale ? found.lang : undefined };
}

export function programmeOptions(scope: Scope, programme: Programme): Record<string, Option[]> {
  const { presenter, locale } = scope;
  return {
    ...fixedOptions(locale),
    parts: programme.parts.map((p) => ({
      value: p.publicId,
      label: translate(locale, 'admin.part.option', { label: presenter.text(p.label)?.text ?? '', title: presenter.text(p.title)?.text ?? '' }),
    })),
    slots: programme.slots.map((s) => ({ value: s.publicId, label: slotLabel(s, scope) })),
    rooms: programme.rooms.map((r) => textOption(scope, r.publicId, r.name)),
    people: programme.people.map((p) => ({ value: p.publicId, label: p.name })),
    organisations: programme.organisations.map((o) => textOption(scope, o.publicId, o.name)),
    outputs: programme.outputs.map((o) => ({
      value: o.publicId,
      label: translate(locale, 'admin.output.option', { number: o.position + 1, statement: presenter.text(o.statement)?.text ?? '' }),
    })),
  };
}
