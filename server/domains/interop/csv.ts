// The sessions of a programme as CSV, for spreadsheets: one row per session in programme
// order, times on the event's local clock, headers in the reader's language. Pure.
import { stringify } from 'csv-stringify/sync';
import type { Language } from '../../db/schema.ts';
import { sessionAddress } from '../../addresses.ts';
import { textIn, translate, type MessageKey } from '../../i18n/index.ts';
import type { Programme, ProgrammeSession } from '../programme/assemble.ts';
import type { FeedbackFigures } from '../participants/feedback.ts';
import { localClock, localDate } from '../../time.ts';
import { wellFormedText } from '../../unicode.ts';

export interface CsvExportOptions {
  locale: Language;
  /** The site's public address, without a trailing slash: session addresses are built from it. */
  publicUrl: string;
  /** Participants' feedback figures by session row id; sessions absent have no answer. */
  feedback?: ReadonlyMap<number, FeedbackFigures>;
}

/** The columns, in order; CSV_HEADERS names each one. */
export const CSV_COLUMNS = [
  'date', 'start', 'end', 'duration', 'part', 'room', 'kind', 'status', 'title', 'subtitle',
  'contributors', 'outputs', 'language', 'abstract', 'description', 'url', 'id',
  // Participants' feedback, last: older spreadsheets keep their columns where they were.
  'feedbackAnswers', 'feedbackMean', 'feedbackUseful',
] as const;

/** The header of each column: the words the pages use for the same field, else the export's own. */
const CSV_HEADERS: Record<(typeof CSV_COLUMNS)[number], MessageKey> = {
  date: 'exports.column.date', start: 'field.start', end: 'field.end', duration: 'exports.column.duration', part: 'field.part', room: 'field.room',
  kind: 'field.type', status: 'exports.column.status', title: 'field.title', subtitle: 'field.subtitle', contributors: 'session.contributors',
  outputs: 'outputs.title', language: 'language.label', abstract: 'session.abstract', description: 'exports.column.description',
  url: 'exports.column.url', id: 'exports.column.id',
  feedbackAnswers: 'feedback.column.answers', feedbackMean: 'feedback.column.mean', feedbackUseful: 'feedback.column.useful',
};

/**
 * Spreadsheets run a cell that starts with one of these as a formula (CSV injection; Apple
 * Numbers also reads their full-width forms): such a cell gets a leading apostrophe, which
 * they show as text and do not run.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

function minutes(session: ProgrammeSession): string {
  if (!session.slot) return '';
  return String(Math.round((session.slot.endsAt.getTime() - session.slot.startsAt.getTime()) / 60_000));
}

/** Names of the people and organisations of a session, each once, in the session's order. */
function contributorNames(session: ProgrammeSession, text: (value: Parameters<typeof textIn>[0]) => string | null): string[] {
  const names: string[] = [];
  for (const c of session.contributors) {
    const name = c.person ? c.person.name : c.organisation ? text(c.organisation.name) : null;
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The CSV text: UTF-8 byte order mark (so that spreadsheets read accents right), CRLF line ends, a header row (RFC 4180). */
export function renderSessionsCsv(programme: Programme, options: CsvExportOptions): string {
  const { event } = programme;
  const { locale } = options;
  const zone = event.timezone;
  const text = (value: Parameters<typeof textIn>[0]) => textIn(value, locale, event.defaultLanguage);

  const decimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const rows = programme.sessions.map((s) => {
    const figures = options.feedback?.get(s.row.id);
    const row: Record<(typeof CSV_COLUMNS)[number], string> = {
      date: s.slot ? localDate(s.slot.startsAt, zone) : '',
      start: s.slot ? localClock(s.slot.startsAt, zone) : '',
      end: s.slot ? localClock(s.slot.endsAt, zone) : '',
      duration: minutes(s),
      part: s.part ? text(s.part.label) ?? '' : '',
      room: s.room ? text(s.room.name) ?? '' : '',
      kind: translate(locale, `kind.${s.row.kind}`),
      status: translate(locale, `status.${s.row.status}`),
      title: text(s.row.title) ?? '',
      subtitle: text(s.row.subtitle) ?? '',
      contributors: contributorNames(s, text).join('; '),
      outputs: s.outputs.map((o) => translate(locale, 'outputs.number', { number: o.position + 1 })).join('; '),
      language: s.row.language ?? event.defaultLanguage,
      abstract: text(s.row.abstract) ?? '',
      description: (text(s.row.description) ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n'),
      url: sessionAddress(options.publicUrl, event, locale, s.publicId),
      id: s.publicId,
      feedbackAnswers: figures ? String(figures.answers) : '',
      feedbackMean: figures?.mean != null ? decimal.format(figures.mean) : '',
      feedbackUseful: figures?.usefulShare != null ? percent.format(figures.usefulShare) : '',
    };
    // Cleaned first (RFC 4180 text has no control character; UTF-8 no lone surrogate), so that a
    // cell that starts with "=" once a control character before it is gone is neutralised too.
    return CSV_COLUMNS.map((column) => neutraliseFormula(wellFormedText(row[column])));
  });

  const header = CSV_COLUMNS.map((column) => neutraliseFormula(translate(locale, CSV_HEADERS[column])));
  // quote_record_delimiter: without it, csv-stringify quotes only cells holding CRLF itself, not a lone line break.
  return stringify([header, ...rows], { bom: true, record_delimiter: 'windows', quote_record_delimiter: true });
}
