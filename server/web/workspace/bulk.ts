// The action on the sessions ticked in the list: move by an offset, put in a room or a part,
// cancel (after a page that asks to confirm it), restore. One post, one write of the domain
// (domains/programme/bulk.ts), a redirect to the list with a confirmation that counts; a
// refusal shows the list again with the boxes still ticked and the reason beside them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  BULK_MAX, BulkRefusal, cancelSessions, moveSessions, OFFSET_MAX_MINUTES, restoreSessions, setPart, setRoom, StaleSelectionError,
  type BulkResult, type Selected,
} from '../../domains/programme/bulk.ts';
import { PUBLIC_ID_PATTERN } from '../../domains/programme/schemas.ts';
import { translate } from '../../i18n/index.ts';
import { longDate } from '../../time.ts';
import { render, scopeOf, slotLabel, workingCopy, writeContext } from './kit.ts';
import { EventParams } from '../shared/schemas.ts';
import { LangOnly } from './schemas.ts';
import { BULK_ACTIONS, pluralOf, showList, type BulkAction, type BulkValues, type ListState } from './session-list.ts';

const PUBLIC_ID = PUBLIC_ID_PATTERN.slice(1, -1);
/** A ticked box: the session and the version the list showed. */
const TICKED = `^${PUBLIC_ID}:[0-9]{1,9}$`;

// Up to five times the limit is read, so that ticking too many is told as such, beside the boxes.
const BulkForm = Type.Object({
  _csrf: Type.String({ maxLength: 200 }),
  sessions: Type.Optional(Type.Array(Type.String({ maxLength: 50, pattern: TICKED }), { maxItems: BULK_MAX * 5 })),
  action: Type.Optional(Type.String({ maxLength: 20 })),
  offset: Type.Optional(Type.String({ maxLength: 20 })),
  room: Type.Optional(Type.String({ maxLength: 36 })),
  part: Type.Optional(Type.String({ maxLength: 36 })),
  confirm: Type.Optional(Type.Literal('yes')),
});
interface BulkBody extends BulkValues {
  sessions?: string[];
  confirm?: 'yes';
}

const ID = new RegExp(PUBLIC_ID_PATTERN);

/** The action asked for, checked field by field: what to run, or the messages beside the fields. */
function readAction(locale: Parameters<typeof translate>[0], body: BulkBody, selection: Selected[]) {
  const errors: NonNullable<ListState['errors']> = {};
  if (selection.length === 0) errors.sessions = translate(locale, 'bulk.error.nothingSelected');
  else if (selection.length > BULK_MAX) errors.sessions = translate(locale, 'bulk.error.tooMany', { max: BULK_MAX });
  const action = (BULK_ACTIONS as readonly string[]).includes(body.action ?? '') ? body.action as BulkAction : null;
  if (action === null) errors.action = translate(locale, 'bulk.error.action');
  let offset = 0;
  if (action === 'move') {
    const typed = (body.offset ?? '').trim();
    offset = /^[+-]?\d{1,6}$/.test(typed) ? Number(typed) : Number.NaN;
    if (!Number.isInteger(offset) || offset === 0 || Math.abs(offset) > OFFSET_MAX_MINUTES) errors.offset = translate(locale, 'bulk.error.offset', { max: OFFSET_MAX_MINUTES });
  }
  if (action === 'room' && !ID.test(body.room ?? '')) errors.room = translate(locale, 'bulk.error.room');
  if (action === 'part' && body.part !== '' && !ID.test(body.part ?? '')) errors.part = translate(locale, 'bulk.error.part');
  return { action, offset, errors };
}

/** The list's redirect after an action: which confirmation, with its counts. */
function savedQuery(action: BulkAction, body: BulkBody, offset: number, result: BulkResult): string {
  switch (action) {
    case 'move': return `saved=bulkMoved&count=${result.count}&minutes=${offset}${result.skipped > 0 ? `&skipped=${result.skipped}` : ''}`;
    case 'room': return `saved=bulkRoom&count=${result.count}`;
    case 'part': return `saved=${body.part === '' ? 'bulkNoPart' : 'bulkPart'}&count=${result.count}`;
    case 'cancel': return `saved=bulkCancel&count=${result.count}`;
    case 'restore': return `saved=bulkRestore&count=${result.count}`;
  }
}

/** Before cancelling: the sessions it would cancel, and a button that sends the same selection again with confirm=yes. */
function confirmCancel(request: FastifyRequest, reply: FastifyReply, body: BulkBody, selection: Selected[]) {
  const scope = scopeOf(request);
  const { presenter, locale, base } = scope;
  const byId = new Map(workingCopy(request).sessions.map((s) => [s.publicId, s]));
  const sessions = selection.flatMap(({ id }) => {
    const found = byId.get(id);
    if (!found) return [];
    const title = presenter.text(found.row.title);
    return [{ title, when: found.slot ? slotLabel(found.slot, scope) : translate(locale, 'admin.form.unscheduled') }];
  });
  return render(request, reply, 'workspace/bulk-confirm', 200, {
    title: translate(locale, 'bulk.confirm.title'),
    section: 'sessions',
    styles: ['bulk.css'],
    action: `${base}/sessions/bulk`,
    back: `${base}/sessions`,
    sessions,
    ticked: body.sessions ?? [],
  });
}

/** The sessions list again, after a refusal the domain gave. */
function refused(request: FastifyRequest, reply: FastifyReply, error: unknown, again: (state: Omit<ListState, 'ticked' | 'values'>) => FastifyReply) {
  const { locale, event } = scopeOf(request);
  if (error instanceof StaleSelectionError) {
    const missing = error.missing.length;
    return again({
      status: 409,
      problem: {
        message: translate(locale, 'bulk.error.stale'), sessions: error.changed,
        note: missing > 0 ? translate(locale, `bulk.error.missing.${pluralOf(locale, missing)}`, { count: missing }) : null,
      },
    });
  }
  if (!(error instanceof BulkRefusal)) throw error;
  switch (error.reason) {
    case 'outside-event-days':
      return again({
        status: 422,
        problem: { message: translate(locale, 'bulk.error.outside', { start: longDate(event.startDate, locale), end: longDate(event.endDate, locale) }), sessions: error.sessions },
      });
    case 'unknown-room': return again({ status: 422, errors: { room: translate(locale, 'bulk.error.room') } });
    case 'unknown-part': return again({ status: 422, errors: { part: translate(locale, 'bulk.error.part') } });
    case 'invalid-offset': return again({ status: 422, errors: { offset: translate(locale, 'bulk.error.offset', { max: OFFSET_MAX_MINUTES }) } });
    case 'too-many': return again({ status: 422, errors: { sessions: translate(locale, 'bulk.error.tooMany', { max: BULK_MAX }) } });
    default: return again({ status: 422, errors: { sessions: translate(locale, 'bulk.error.nothingSelected') } });
  }
}

function applyAction(request: FastifyRequest, reply: FastifyReply) {
  const body = request.body as BulkBody;
  const { locale, base } = scopeOf(request);
  const selection: Selected[] = (body.sessions ?? []).map((ticked) => {
    const [id, version] = ticked.split(':');
    return { id: id!, version: Number(version) };
  });
  const values: BulkValues = { action: body.action, offset: body.offset, room: body.room, part: body.part };
  const again = (state: Omit<ListState, 'ticked' | 'values'>) => showList(request, reply, { ...state, ticked: new Set(selection.map((s) => s.id)), values });
  const { action, offset, errors } = readAction(locale, body, selection);
  if (action === null || Object.keys(errors).length > 0) return again({ status: 422, errors });
  if (action === 'cancel' && body.confirm !== 'yes') return confirmCancel(request, reply, body, selection);
  const ctx = writeContext(request);
  let result: BulkResult;
  try {
    switch (action) {
      case 'move': result = moveSessions(ctx, selection, offset).data; break;
      case 'room': result = setRoom(ctx, selection, body.room!).data; break;
      case 'part': result = setPart(ctx, selection, body.part === '' ? null : body.part!).data; break;
      case 'cancel': result = cancelSessions(ctx, selection).data; break;
      case 'restore': result = restoreSessions(ctx, selection).data; break;
    }
  } catch (error) {
    return refused(request, reply, error, again);
  }
  return reply.redirect(`${base}/sessions?${savedQuery(action, body, offset, result)}`, 303);
}

export default async function bulkRoutes(app: FastifyInstance) {
  app.post('/events/:slug/sessions/bulk', { schema: { params: EventParams, body: BulkForm }, preValidation: app.csrfProtection }, async (request, reply) => applyAction(request, reply));
  // A list shown again after a refused action has this address, and so do its language links: they lead back to the list.
  app.get('/events/:slug/sessions/bulk', { schema: { params: EventParams, querystring: LangOnly }, config: { access: 'anyone' } }, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const { lang } = request.query as { lang?: string };
    return reply.redirect(`/admin/events/${slug}/sessions${lang ? `?lang=${lang}` : ''}`, 303);
  });
}
