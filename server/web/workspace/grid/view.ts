// The grid model in the reader's words: what grid.hbs shows of each cell and block (titles,
// addresses, conflicts, the move form with its choices) and what the grid's script reads (#grid-data).
import type { ProgrammeSession } from '../../../domains/programme/assemble.ts';
import { translate } from '../../../i18n/index.ts';
import { longDate, shortDate } from '../../../time.ts';
import type { Scope } from '../kit.ts';
import type { GridBlock, GridModel } from './model.ts';

/** A refused move: the session, what was typed, and which field is wrong and why. */
export interface MoveFailure {
  id: string;
  values: { day?: string; start?: string; duration?: string; end?: string; room?: string };
  field: 'form' | 'day' | 'start' | 'duration' | 'end' | 'room';
  message: string;
}

type Conflicts = Map<string, { id: string; message: string }[]>;

/** An unscheduled session is offered an hour when it is first placed. */
const UNSCHEDULED_MINUTES = 60;
/** Up to a month of days, the move form offers them in a list; beyond, a date field bounded to the event. */
const DAY_LIST_MAX = 31;

function peopleOf(session: ProgrammeSession) {
  const ids = (pick: (c: ProgrammeSession['contributors'][number]) => string | undefined) => [...new Set(session.contributors.flatMap((c) => pick(c) ?? []))];
  return { people: ids((c) => c.person?.publicId), organisations: ids((c) => c.organisation?.publicId) };
}

/**
 * Browsers take seconds to set up hundreds of forms on one page (a congress day), so a day with
 * more sessions than this links each block to its own move page instead; a refused move's form
 * is always shown in place.
 */
export const INLINE_MOVE_FORMS_MAX = 80;

/** `focus`: the session whose move form is shown open (its own move page). */
export function gridView(scope: Scope, model: GridModel, conflicts: Conflicts, failure: MoveFailure | null, focus: string | null = null) {
  const { presenter, locale, base } = scope;
  const day = model.day;
  const dayLabel = longDate(day, locale);
  const roomName = new Map(model.rooms.map((r) => [r.publicId, presenter.text(r.name) ?? { text: '—', lang: locale }]));
  const noRoom = translate(locale, 'session.noRoom');
  const scheduled = model.rows.reduce((n, row) => n + row.cells.reduce((m, c) => m + (c.type === 'blocks' ? c.blocks.length : 0), 0), 0);
  const inline = scheduled + model.unscheduled.length <= INLINE_MOVE_FORMS_MAX;

  const block = (s: ProgrammeSession, placed: GridBlock | null) => {
    const id = s.publicId;
    const room = s.room?.publicId ?? '';
    const failed = failure?.id === id ? failure : null;
    const typed = failed?.values;
    const notes = conflicts.get(id) ?? [];
    const error = (field: MoveFailure['field']) => (failed?.field === field ? failed.message : null);
    return {
      id,
      title: presenter.text(s.row.title) ?? { text: '—', lang: locale },
      url: `${base}/sessions/${id}`,
      kind: s.row.kind,
      kindLabel: translate(locale, `kind.${s.row.kind}`),
      cancelled: s.row.status === 'cancelled',
      conflicts: notes,
      start: placed?.start ?? null,
      end: placed?.end ?? null,
      duration: placed?.duration ?? UNSCHEDULED_MINUTES,
      room,
      roomName: room ? roomName.get(room) ?? null : null,
      version: s.row.version,
      contributors: s.contributors.map((c) => presenter.contributorName(c).name),
      move: {
        action: `${base}/grid/sessions/${id}/move`,
        inline: inline || failed !== null || focus === id,
        pageUrl: `${base}/grid/sessions/${id}/move`,
        open: failed !== null || focus === id,
        day: typed?.day ?? (placed ? day : ''),
        start: typed?.start ?? placed?.start ?? '',
        duration: typed?.duration ?? String(placed?.duration ?? UNSCHEDULED_MINUTES),
        room: typed?.room ?? room,
        errors: { form: error('form'), day: error('day'), start: error('start'), duration: error('duration') ?? error('end'), room: error('room') },
      },
    };
  };

  const json = { sessions: [] as unknown[], unscheduled: [] as unknown[] };
  const rows = model.rows.map((row) => ({
    time: row.time,
    datetime: `${day}T${row.time}${model.offset}`,
    cells: row.cells.map((cell) => {
      if (cell.type === 'empty') {
        const where = cell.room ? roomName.get(cell.room)?.text ?? '—' : noRoom;
        return {
          empty: true, room: cell.room, time: cell.time,
          addUrl: `${base}/sessions/new?day=${day}&start=${cell.time}&room=${cell.room}&return=grid`,
          addLabel: translate(locale, 'grid.addHere', { room: where, time: cell.time }),
        };
      }
      const blocks = cell.blocks.map((b) => {
        json.sessions.push({
          id: b.session.publicId, title: presenter.text(b.session.row.title)?.text ?? '', room: b.session.room?.publicId ?? null,
          start: b.start, end: b.end, version: b.session.row.version, kind: b.session.row.kind, status: b.session.row.status, ...peopleOf(b.session),
        });
        return block(b.session, b);
      });
      return {
        empty: false, room: cell.room, time: cell.time, rowspan: cell.rowspan, colspan: cell.colspan,
        spanning: cell.colspan > 1, conflict: blocks.some((b) => b.conflicts.length > 0), blocks,
      };
    }),
  }));
  const unscheduled = model.unscheduled.map((s) => {
    json.unscheduled.push({ id: s.publicId, title: presenter.text(s.row.title)?.text ?? '', version: s.row.version, duration: UNSCHEDULED_MINUTES, ...peopleOf(s) });
    return block(s, null);
  });

  return {
    day, dayLabel,
    caption: translate(locale, 'grid.caption', { day: dayLabel }),
    region: translate(locale, 'grid.region', { day: dayLabel }),
    step: model.step, dayStart: model.dayStart, dayEnd: model.dayEnd,
    tabs: model.days.map((d) => ({ date: d, label: shortDate(d, locale), href: `${base}/grid?day=${d}`, current: d === day })),
    rooms: model.rooms.map((r) => ({ id: r.publicId, name: roomName.get(r.publicId)! })),
    roomlessColumn: model.roomlessColumn,
    rows,
    empty: json.sessions.length === 0,
    unscheduled,
    daySelect: model.days.length <= DAY_LIST_MAX,
    firstDay: model.days[0], lastDay: model.days.at(-1),
    dayOptions: model.days.map((d) => ({ value: d, label: longDate(d, locale) })),
    roomOptions: [{ value: '', label: noRoom, lang: null }, ...model.rooms.map((r) => {
      const name = roomName.get(r.publicId)!;
      return { value: r.publicId, label: name.text, lang: name.lang !== locale ? name.lang : null };
    })],
    json,
  };
}
