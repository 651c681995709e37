// The follow-up form of one item, as the organisers' list and the rapporteurs' page both show it
// and read it: status, owner, due date, a note and links to evidence. What is sent becomes the
// API's own body (FollowUpPatch) and is checked against its schema, so that a form refuses what
// the API would; refusals of either, schema or domain, are shown beside their fields.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Language } from '../../db/schema.ts';
import { FOLLOW_UP_STATUSES } from '../../db/schema.ts';
import {
  getFollowUpItem, ownerName, updateFollowUp, type FollowUpContext, type FollowUpItem,
} from '../../domains/conclusions/follow-up.ts';
import { FOLLOW_UP_LIMITS, FollowUpPatch, ITEM_PATTERN, type FollowUpPatchBody } from '../../domains/conclusions/follow-up-schemas.ts';
import { listRows, type RowOf } from '../../domains/programme/items.ts';
import { PublicId } from '../../domains/programme/schemas.ts';
import { ConflictError, HttpError, StaleVersionError, UnprocessableError } from '../../errors.ts';
import { translate } from '../../i18n/index.ts';
import { checkAgainst, fieldErrorMessage, schemaMessage } from './forms/check.ts';
import { followUpItemView, statusLabel } from './follow-up-presenter.ts';
import type { Presenter } from './presenter.ts';

/** Links a note may carry from the form; the API takes up to FOLLOW_UP_LIMITS.links. */
export const FORM_LINK_ROWS = 3;

const Text = (maxLength: number) => Type.String({ maxLength });
const linkFields = Object.fromEntries(Array.from({ length: FORM_LINK_ROWS }, (_, i) => [
  [`links.${i}.url`, Type.Optional(Text(FOLLOW_UP_LIMITS.linkUrl))], [`links.${i}.title`, Type.Optional(Text(FOLLOW_UP_LIMITS.linkTitle))],
]).flat());

/** What the form sends: every string bounded, unknown fields refused. */
export const FollowUpForm = Type.Object({
  _csrf: Type.Optional(Text(200)),
  session: PublicId,
  item: Type.String({ pattern: ITEM_PATTERN, maxLength: 4 }),
  version: Type.String({ pattern: '^[0-9]{1,9}$', maxLength: 9 }),
  status: Type.Enum(FOLLOW_UP_STATUSES),
  owner: Type.String({ pattern: '^$|^(person|organisation):[0-9a-f-]{36}$', maxLength: 50 }),
  due: Text(50),
  note: Text(FOLLOW_UP_LIMITS.note + 200),
  ...linkFields,
}, { additionalProperties: false });

export type FollowUpFormBody = Record<string, string | undefined> & { session: string; item: string; version: string; status: string; owner: string; due: string; note: string };

/** The owner select's value of an item as it stands. */
function ownerValue(item: FollowUpItem): string {
  return item.owner ? `${item.owner.kind}:${item.owner.row.publicId}` : '';
}

/** The form's values as an API body, and which form field each of its pointers came from. */
function toPatch(values: FollowUpFormBody, item: FollowUpItem): { patch: Record<string, unknown>; fieldOf: (pointer: string) => string } {
  const patch: Record<string, unknown> = {};
  if (values.status !== item.status) patch.status = values.status;
  const [kind, id] = values.owner.split(':') as [string, string | undefined];
  patch.owner = values.owner === '' ? null : kind === 'person' ? { person: id } : { organisation: id };
  patch.due = values.due.trim() === '' ? null : values.due.trim();
  if (values.note.trim() !== '') patch.note = values.note;
  const rows: number[] = [];
  const links: { url: string; title: string }[] = [];
  for (let i = 0; i < FORM_LINK_ROWS; i += 1) {
    const url = (values[`links.${i}.url`] ?? '').trim();
    const title = (values[`links.${i}.title`] ?? '').trim();
    if (url === '' && title === '') continue;
    rows.push(i);
    links.push({ url, title });
  }
  if (links.length > 0) patch.links = links;
  const fieldOf = (pointer: string) => {
    const link = /^#?\/links\/(\d+)\/(url|title)/.exec(pointer);
    if (link) return `links.${rows[Number(link[1])] ?? 0}.${link[2]}`;
    const field = /^#?\/(\w+)/.exec(pointer)?.[1] ?? 'note';
    return field === 'owner' ? 'owner' : field;
  };
  return { patch, fieldOf };
}

/** A refused form, shown again: what was typed, and why it was refused. */
export interface FollowUpFormState {
  itemId: string;
  status: number;
  values: FollowUpFormBody;
  errors: Map<string, string>;
  alert: string | null;
}

export type FollowUpFormOutcome = { kind: 'saved' | 'unchanged'; item: FollowUpItem } | { kind: 'refused'; state: FollowUpFormState };

/** Saves one item's form; `session` is the session of the address (the rapporteur's) or of the form (the organisers'). */
export function saveFollowUpForm(ctx: FollowUpContext, session: RowOf<'session'>, values: FollowUpFormBody, locale: Language): FollowUpFormOutcome {
  const item = getFollowUpItem(ctx.db, ctx.event, session, values.item, ctx.now);
  const refused = (status: number, errors: Map<string, string>, alert: string | null = null): FollowUpFormOutcome => ({
    kind: 'refused', state: { itemId: item.id, status, values, errors, alert },
  });
  const { patch, fieldOf } = toPatch(values, item);
  const schemaErrors = checkAgainst(FollowUpPatch, patch);
  if (schemaErrors.length > 0) {
    const errors = new Map<string, string>();
    for (const e of schemaErrors) {
      const { pointer, message } = schemaMessage(locale, e);
      const field = fieldOf(pointer);
      if (!errors.has(field)) errors.set(field, message);
    }
    return refused(422, errors);
  }
  try {
    const saved = updateFollowUp(ctx, session, values.item, [Number(values.version)], patch as FollowUpPatchBody);
    return { kind: saved.version === item.version ? 'unchanged' : 'saved', item: saved };
  } catch (error) {
    if (error instanceof UnprocessableError) {
      const errors = new Map<string, string>();
      for (const e of error.errors) if (!errors.has(fieldOf(e.pointer))) errors.set(fieldOf(e.pointer), fieldErrorMessage(locale, e));
      return refused(422, errors);
    }
    if (error instanceof StaleVersionError) return refused(409, new Map(), translate(locale, 'followup.admin.stale'));
    if (error instanceof ConflictError || (error instanceof HttpError && error.problem === 'invalid-transition')) {
      return refused(409, new Map([['status', translate(locale, 'followup.admin.invalidMove', {
        from: statusLabel({ locale }, item.status), to: statusLabel({ locale }, values.status as FollowUpItem['status']),
      })]]));
    }
    throw error;
  }
}

/** The owners an item may be given: the event's people, then its organisations, by name. */
export function ownerChoices(request: FastifyRequest, eventId: number, locale: Language) {
  const db = request.server.db;
  const people = listRows(db, 'person', eventId).map((p) => ({ value: `person:${p.publicId}`, label: p.name }));
  const organisations = listRows(db, 'organisation', eventId)
    .map((o) => ({ value: `organisation:${o.publicId}`, label: ownerName({ kind: 'organisation', row: o }, locale) }));
  const byName = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label, locale);
  return { people: people.sort(byName), organisations: organisations.sort(byName) };
}

/**
 * An item with its form, as it stands, or as it was typed when the form was refused. The ids of
 * its fields carry the item's id, so that every label names its own field on a page of many forms.
 */
export function followUpFormView(presenter: Presenter, item: FollowUpItem, now: Date, action: string, owners: ReturnType<typeof ownerChoices>, state: FollowUpFormState | null) {
  const mine = state?.itemId === item.id ? state : null;
  const values: Record<string, string | undefined> = mine?.values ?? {
    status: item.status, owner: ownerValue(item), due: item.due ?? '', note: '',
  };
  const errors = mine?.errors ?? new Map<string, string>();
  const field = (name: string) => ({
    name, id: `${item.id}-${name.replace(/\./g, '-')}`, value: values[name] ?? '', error: errors.get(name) ?? null,
  });
  const mark = (list: { value: string; label: string }[]) => list.map((o) => ({ ...o, selected: o.value === values.owner }));
  return {
    ...followUpItemView(presenter, item, now),
    form: {
      action,
      session: item.session.publicId,
      item: item.ref,
      version: item.version,
      alert: mine?.alert ?? null,
      errorSummary: [...errors.entries()].map(([name, text]) => ({ href: `#${field(name).id}`, text })),
      status: { ...field('status'), options: FOLLOW_UP_STATUSES.map((s) => ({ value: s, label: statusLabel(presenter, s), selected: s === values.status })) },
      owner: { ...field('owner'), people: mark(owners.people), organisations: mark(owners.organisations), nobody: values.owner === '' },
      due: field('due'),
      note: field('note'),
      links: Array.from({ length: FORM_LINK_ROWS }, (_, i) => ({ number: i + 1, url: field(`links.${i}.url`), title: field(`links.${i}.title`) })),
      linksHint: translate(presenter.locale, 'followup.admin.linksHint', { max: FORM_LINK_ROWS }),
    },
  };
}
