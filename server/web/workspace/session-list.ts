// The list of an event's sessions in the workspace: one row each, with where and when it takes
// place, linking to its form, and a box to tick on each row. One form around the table applies
// an action to the ticked sessions (bulk.ts); a refused action shows the list again, the boxes
// still ticked, with what went wrong beside the boxes or the field.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { BULK_MAX, OFFSET_MAX_MINUTES } from '../../domains/programme/bulk.ts';
import { Lang } from '../../domains/programme/schemas.ts';
import type { Language } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';
import { toZonedIso } from '../../time.ts';
import { plain, programmeOptions, render, scopeOf, slotLabel, workingCopy } from './kit.ts';
import { EventParams } from '../shared/schemas.ts';

/** After a bulk action: which confirmation, and the counts it names (bounded like the action itself). */
const ListQuery = Type.Object({
  lang: Type.Optional(Lang),
  saved: Type.Optional(Type.String({ maxLength: 30 })),
  count: Type.Optional(Type.Integer({ minimum: 0, maximum: BULK_MAX })),
  minutes: Type.Optional(Type.Integer({ minimum: -OFFSET_MAX_MINUTES, maximum: OFFSET_MAX_MINUTES })),
  skipped: Type.Optional(Type.Integer({ minimum: 0, maximum: BULK_MAX })),
});
type ListQueryValues = { saved?: string; count?: number; minutes?: number; skipped?: number };

export const BULK_ACTIONS = ['move', 'room', 'part', 'cancel', 'restore'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** Which of a catalogue's two forms a count takes in the reader's language (French: 0 and 1 are singular). */
export function pluralOf(locale: Language, count: number): 'one' | 'other' {
  return new Intl.PluralRules(locale).select(count) === 'one' ? 'one' : 'other';
}

/** What a bulk action's redirect asks the list to say, by ?saved= (the move's words depend on its direction). */
const SAVED = { bulkRoom: 'room', bulkPart: 'part', bulkNoPart: 'noPart', bulkCancel: 'cancel', bulkRestore: 'restore' } as const;

/** The confirmation of a bulk action, with its counts; null when the address asks for none. */
function bulkConfirmation(locale: Language, query: ListQueryValues): string | null {
  const { saved, count } = query;
  if (saved === undefined || count === undefined) return null;
  if (saved === 'bulkMoved') {
    if (!query.minutes) return null;
    const minutes = Math.abs(query.minutes);
    const duration = translate(locale, `bulk.minutes.${pluralOf(locale, minutes)}`, { count: minutes });
    const moved = translate(locale, `bulk.saved.${query.minutes > 0 ? 'later' : 'earlier'}.${pluralOf(locale, count)}`, { count, duration });
    const skipped = query.skipped ?? 0;
    return skipped === 0 ? moved : `${moved} ${translate(locale, `bulk.saved.unscheduled.${pluralOf(locale, skipped)}`, { count: skipped })}`;
  }
  if (!Object.hasOwn(SAVED, saved)) return null;
  return translate(locale, `bulk.saved.${SAVED[saved as keyof typeof SAVED]}.${pluralOf(locale, count)}`, { count });
}

/** What the action form holds, as typed (kept on a refusal). */
export interface BulkValues {
  action?: string | undefined;
  offset?: string | undefined;
  room?: string | undefined;
  part?: string | undefined;
}

/** The list shown again after a refused action. */
export interface ListState {
  status: number;
  /** The ids of the ticked sessions: still ticked, at their current version. */
  ticked?: Set<string>;
  values?: BulkValues;
  /** Messages beside the boxes (`sessions`) or beside a field of the action. */
  errors?: Partial<Record<'sessions' | 'action' | 'offset' | 'room' | 'part', string>>;
  /** A refusal that names sessions (changed meanwhile, or pushed outside the event's days). */
  problem?: { message: string; sessions: string[]; note?: string | null };
}

export function showList(request: FastifyRequest, reply: FastifyReply, state: ListState = { status: 200 }) {
  const scope = scopeOf(request);
  const { presenter, locale, base } = scope;
  const programme = workingCopy(request);
  const values = state.values ?? {};
  const errors = state.errors ?? {};
  const rows = programme.sessions.map((s) => ({
    id: s.publicId,
    value: `${s.publicId}:${s.row.version}`,
    checked: state.ticked?.has(s.publicId) ?? false,
    title: presenter.text(s.row.title),
    cells: [
      { text: presenter.text(s.row.title), href: `${base}/sessions/${s.publicId}`, header: true },
      { text: plain(s.slot ? slotLabel(s.slot, scope) : translate(locale, 'admin.form.unscheduled'), locale), datetime: s.slot ? toZonedIso(s.slot.startsAt, scope.event.timezone) : null },
      { text: s.part ? presenter.text(s.part.label) : plain('—', locale) },
      { text: s.room ? presenter.text(s.room.name) : plain('—', locale) },
      { text: plain(translate(locale, `kind.${s.row.kind}`), locale) },
      { text: plain(translate(locale, `status.${s.row.status}`), locale) },
    ],
  }));
  const byId = new Map(programme.sessions.map((s) => [s.publicId, s]));
  const options = programmeOptions(scope, programme);
  const mark = (list: { value: string }[], chosen: string | undefined) => list.map((o) => ({ ...o, selected: o.value === chosen }));
  const flash = state.status === 200 ? bulkConfirmation(locale, request.query as ListQueryValues) : null;
  return render(request, reply, 'workspace/session-list', state.status, {
    title: translate(locale, 'sessions.title'),
    section: 'sessions',
    styles: ['bulk.css'],
    scripts: ['bulk.js'],
    ...(flash ? { flash } : {}),
    newUrl: `${base}/sessions/new`,
    newLabel: translate(locale, 'admin.sessions.new'),
    copyUrl: `${base}/copy`,
    bulkAction: `${base}/sessions/bulk`,
    columns: (['field.title', 'admin.field.slot', 'field.part', 'field.room', 'session.kind', 'admin.field.status'] as const).map((k) => translate(locale, k)),
    rows,
    empty: translate(locale, 'admin.list.empty'),
    actions: BULK_ACTIONS.map((action) => ({ value: action, label: translate(locale, `bulk.action.${action}`), checked: values.action === action })),
    offset: values.offset ?? '',
    offsetMax: OFFSET_MAX_MINUTES,
    rooms: mark(options.rooms!, values.room),
    parts: mark(options.parts!, values.part),
    noPartSelected: values.action === 'part' && values.part === '',
    errors,
    problem: state.problem ? {
      message: state.problem.message,
      note: state.problem.note ?? null,
      items: state.problem.sessions.flatMap((id) => {
        const found = byId.get(id);
        const text = found ? presenter.text(found.row.title) : null;
        return found && text ? [{ href: `${base}/sessions/${id}`, text: text.text, code: text.lang !== locale ? text.lang : null }] : [];
      }),
    } : null,
  });
}

export default async function sessionListRoutes(app: FastifyInstance) {
  app.get('/events/:slug/sessions', { schema: { params: EventParams, querystring: ListQuery } }, async (request, reply) => showList(request, reply));
}
