// The scheduling grid (/admin/events/:slug/grid): one day of the working copy as a table, rooms
// as columns and time as rows, each session a block with a move form, so that everything the
// grid's script does by dragging can be done without it, by Tab and Enter.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { Type } from 'typebox';
import type { Programme, ProgrammeSession } from '../../../domains/programme/assemble.ts';
import { Lang } from '../../../domains/programme/schemas.ts';
import { conflictsOf } from '../../../domains/programme/service.ts';
import { updateSession } from '../../../domains/programme/sessions.ts';
import { NotFoundError, StaleVersionError, UnprocessableError } from '../../../errors.ts';
import { translate, type MessageKey } from '../../../i18n/index.ts';
import { localDate } from '../../../time.ts';
import { fieldErrorMessage } from '../../shared/forms/check.ts';
import { EventParams, ItemParams } from '../../shared/schemas.ts';
import { conflictViews } from '../conflicts.ts';
import { firstSteps } from '../first-steps.ts';
import { gridScriptMessages } from '../grid-script.ts';
import { render, scopeOf, staleBy, workingCopy, writeContext } from '../kit.ts';
import { gridDays, gridModel } from './model.ts';
import { gridView, type MoveFailure } from './view.ts';

/** ?day= a local date of the event (anything else short shows the first day with a session). */
export const GridQuery = Type.Object({
  lang: Type.Optional(Lang),
  saved: Type.Optional(Type.String({ maxLength: 30 })),
  day: Type.Optional(Type.String({ maxLength: 16 })),
});

/**
 * JSON inside a script element, given to the template as it is (HTML escaping would garble it
 * there): "<", ">" and "&" written as \u escapes, so that no text of the programme can close the
 * element or open a comment in it.
 */
function scriptJson(value: unknown): Handlebars.SafeString {
  const json = JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return new Handlebars.SafeString(json);
}

/** Every field is optional here: a missing or wrong one is told beside it (422), not as a bad request. */
const MoveForm = Type.Object({
  _csrf: Type.String({ maxLength: 200 }),
  version: Type.Optional(Type.String({ maxLength: 16 })),
  day: Type.Optional(Type.String({ maxLength: 16 })),
  start: Type.Optional(Type.String({ maxLength: 8 })),
  duration: Type.Optional(Type.String({ maxLength: 8 })),
  end: Type.Optional(Type.String({ maxLength: 8 })),
  room: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });
type MoveBody = { version?: string; day?: string; start?: string; duration?: string; end?: string; room?: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A time input sends HH:MM (or HH:MM:00 when a browser shows seconds). */
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)(:00)?$/;
const END_CLOCK = /^(([01]\d|2[0-3]):([0-5]\d)|24:00)(:00)?$/;

/** The day a session is on, on the event's clock; null when it has no time. */
function dayOfSession(programme: Programme, session: ProgrammeSession | undefined): string | null {
  return session?.slot ? localDate(session.slot.startsAt, programme.event.timezone) : null;
}

/** The asked day when it is one of the event's (or holds a session), else the first day with a session, else the first day. */
export function chosenDay(programme: Programme, asked: string | undefined): string {
  const { startDate, endDate } = programme.event;
  if (asked !== undefined && DATE.test(asked)) {
    if (asked >= startDate && asked <= endDate) return asked;
    if (programme.sessions.some((s) => dayOfSession(programme, s) === asked)) return asked;
  }
  return dayOfSession(programme, programme.sessions[0]) ?? startDate;
}

export interface GridState {
  status: number;
  day?: string | undefined;
  alert?: string | null;
  failure?: MoveFailure | null;
}

/** The grid of a day, with an alert after a refused move. */
export function showGrid(request: FastifyRequest, reply: FastifyReply, state: GridState) {
  const scope = scopeOf(request);
  const { locale, base, event } = scope;
  const programme = workingCopy(request);
  const day = chosenDay(programme, state.day ?? (request.query as { day?: string }).day);
  const model = gridModel(programme, day);
  const conflicts = conflictViews(scope, programme, conflictsOf(programme)).bySession;
  const view = gridView(scope, model, conflicts, state.failure ?? null);
  const data = {
    slug: event.slug, day, zone: event.timezone, offset: model.offset, step: model.step, dayStart: model.dayStart, dayEnd: model.dayEnd,
    days: model.days, api: `/api/v1/events/${event.slug}`, gridUrl: `${base}/grid?day=${day}`,
    rooms: view.rooms.map((r) => ({ id: r.id, name: r.name.text })), sessions: view.json.sessions, unscheduled: view.json.unscheduled,
    messages: gridScriptMessages(locale),
  };
  return render(request, reply, 'workspace/grid', state.status, {
    title: translate(locale, 'grid.title'),
    section: 'programme',
    styles: ['grid.css', 'grid-script.css'],
    scripts: ['grid.js'],
    alert: state.alert ?? null,
    firstSteps: firstSteps(scope, programme, request.server.db),
    gridUrl: `${base}/grid`,
    listUrl: `${base}/list`,
    copyUrl: `${base}/copy?day=${day}`,
    newSessionUrl: `${base}/sessions/new`,
    gridJson: scriptJson(data),
    gridDayUrl: `${base}/grid?day=${day}`,
    grid: view,
  });
}

type MoveField = 'form' | 'day' | 'start' | 'duration' | 'end' | 'room';
type ReadMove = { ok: true; start: string; end: string; room: string | null; day: string; version: number } | { ok: false; field: MoveField; key: MessageKey };

/** Reads the move form into the domain's local times, or says which field is wrong. */
function readMove(body: MoveBody, days: string[], programme: Programme): ReadMove {
  const wrong = (field: MoveField, key: MessageKey): ReadMove => ({ ok: false, field, key });
  const version = body.version !== undefined && /^\d{1,15}$/.test(body.version) ? Number(body.version) : null;
  if (version === null) return wrong('form', 'grid.error.version');
  const day = body.day ?? '';
  if (!DATE.test(day) || !days.includes(day)) return wrong('day', 'grid.error.day');
  const start = CLOCK.exec(body.start ?? '');
  if (!start) return wrong('start', 'grid.error.start');
  const room = body.room ?? '';
  if (room !== '' && !programme.rooms.some((r) => r.publicId === room)) return wrong('room', 'grid.error.room');
  const startClock = `${start[1]}:${start[2]}`;
  let end: string;
  if (body.end !== undefined && body.end !== '' && (body.duration === undefined || body.duration === '')) {
    const clock = END_CLOCK.exec(body.end)?.[1];
    if (!clock) return wrong('end', 'grid.error.end');
    // An end before the start is the next morning's (a late evening); 24:00 is the day's end.
    end = clock === '24:00' || clock > startClock ? `${day}T${clock}` : `${wallPlus(day, 24 * 60).slice(0, 10)}T${clock}`;
  } else {
    const minutes = /^\d{1,4}$/.test(body.duration ?? '') ? Number(body.duration) : Number.NaN;
    if (!(minutes >= 5 && minutes <= 1440)) return wrong('duration', 'grid.error.duration');
    end = wallPlus(day, Number(start[1]) * 60 + Number(start[2]) + minutes);
  }
  return { ok: true, start: `${day}T${startClock}`, end, room: room === '' ? null : room, day, version };
}

/** The wall-clock time so many minutes after a day's midnight (organisers count on the clock): YYYY-MM-DDTHH:MM. */
function wallPlus(day: string, minutes: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + minutes * 60_000).toISOString().slice(0, 16);
}

async function move(request: FastifyRequest, reply: FastifyReply) {
  const scope = scopeOf(request);
  const { locale, base } = scope;
  const { id } = request.params as { id: string };
  const body = request.body as MoveBody;
  const programme = workingCopy(request);
  const session = programme.sessions.find((s) => s.publicId === id);
  if (!session) throw new NotFoundError('session', id);
  const title = scope.presenter.text(session.row.title)?.text ?? '';
  const days = gridDays(programme);
  const read = readMove(body, days, programme);
  // Shown again on the day the session is on now, its form open with what was typed and the reason beside the field.
  const refuse = (field: MoveField, reason: string) => showGrid(request, reply, {
    status: 422, day: dayOfSession(programme, session) ?? undefined,
    alert: translate(locale, 'grid.refused', { title, reason }),
    failure: { id, values: body, field, message: reason },
  });
  if (!read.ok) return refuse(read.field, translate(locale, read.key));
  try {
    updateSession(writeContext(request), id, [read.version], { start: read.start, end: read.end, room: read.room });
  } catch (error) {
    if (error instanceof StaleVersionError) {
      const name = staleBy(request, 'session', id);
      // Shown as it is now, where it is now.
      const now = workingCopy(request);
      return showGrid(request, reply, {
        status: 409, day: dayOfSession(now, now.sessions.find((s) => s.publicId === id)) ?? read.day,
        alert: name ? translate(locale, 'grid.stale', { name }) : translate(locale, 'grid.staleAnonymous'),
      });
    }
    if (error instanceof UnprocessableError) {
      const first = error.errors[0];
      const field: MoveField = first?.pointer === '#/start' ? 'start' : first?.pointer === '#/end' ? 'duration' : first?.pointer === '#/room' ? 'room' : 'form';
      return refuse(field, error.errors.map((e) => fieldErrorMessage(locale, e)).join(' '));
    }
    throw error;
  }
  return reply.redirect(`${base}/grid?day=${read.day}&saved=moved#session-${id}`, 303);
}

/** One session's move form on a page of its own, with the way back to its day. */
async function showMovePage(request: FastifyRequest, reply: FastifyReply) {
  const scope = scopeOf(request);
  const { id } = request.params as { id: string };
  const programme = workingCopy(request);
  const session = programme.sessions.find((s) => s.publicId === id);
  if (!session) throw new NotFoundError('session', id);
  const day = dayOfSession(programme, session) ?? chosenDay(programme, (request.query as { day?: string }).day);
  const model = gridModel(programme, day);
  const view = gridView(scope, model, conflictViews(scope, programme, conflictsOf(programme)).bySession, null, id);
  const block = [...view.rows.flatMap((r) => r.cells.flatMap((c) => ('blocks' in c ? c.blocks : []))), ...view.unscheduled].find((b) => b?.id === id)!;
  return render(request, reply, 'workspace/grid-move', 200, {
    title: translate(scope.locale, 'grid.movePage', { title: block.title.text }),
    section: 'programme',
    styles: ['grid.css'],
    grid: view,
    block,
    gridDayUrl: `${scope.base}/grid?day=${day}#session-${id}`,
  });
}

export default async function gridRoutes(app: FastifyInstance) {
  app.get('/events/:slug/grid', { schema: { params: EventParams, querystring: GridQuery } }, async (request, reply) => showGrid(request, reply, { status: 200 }));
  app.post('/events/:slug/grid/sessions/:id/move', {
    schema: { params: ItemParams, querystring: GridQuery, body: MoveForm }, preValidation: app.csrfProtection,
  }, move);
  // A session's move form alone: where a big day's blocks lead, and the address a refused move is shown at.
  app.get('/events/:slug/grid/sessions/:id/move', { schema: { params: ItemParams, querystring: GridQuery } }, showMovePage);
}

