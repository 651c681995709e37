// The words of the messages the server drafts, in the recipient's language: pure functions of
// plain data, so that every message can be read, and tested, before anything is sent.
import type { Language, LocalizedText, MessageAttachment } from '../../db/schema.ts';
import { isMessageKey, translate, textIn, type MessageKey } from '../../i18n/index.ts';
import { eventDateLocale, localClock, localDate, longDate, utcOffsetLabel } from '../../time.ts';
import { eventPath, inLanguage, sessionAddress } from '../../addresses.ts';
import { BoundedCache } from '../../cache.ts';
import { renderCalendar } from '../calendar/ical.ts';
import type { Programme, ProgrammeSession } from '../programme/assemble.ts';
import type { EventRow } from '../programme/repository.ts';

/**
 * Where and when a session takes place, and what a release did to it: the shapes of the
 * releases' changelog (domains/releases/changelog.ts), restated here so that this domain, which
 * the releases call, does not import them back.
 */
export interface Placement {
  start: string | null;
  end: string | null;
  room: { id: string; name: LocalizedText } | null;
}

type Summary = Placement & { id: string; title: LocalizedText };

export type SessionChange =
  | { type: 'new' | 'cancelled'; session: Summary }
  | { type: 'moved'; session: Summary; before: Placement; fields: string[] }
  | { type: 'changed'; session: Summary; fields: string[] };

export interface Composed {
  subject: string;
  body: string;
  attachments: MessageAttachment[];
}

/** Subjects are one line: a title with a line break must not start a header of its own. */
const oneLine = (text: string) => text.replace(/[\r\n\t]+/g, ' ').trim();

const textOf = (event: EventRow, value: LocalizedText | null | undefined, language: Language) => textIn(value, language, event.defaultLanguage) ?? '';

/** "UTC+02:00" by zone and instant: a release's messages name the same few hundred times thousands of times. */
const offsets = new BoundedCache<string, string>(5_000);

function when(event: EventRow, placement: Placement, language: Language): string {
  const t = (key: MessageKey, params?: Record<string, unknown>) => translate(language, key, params);
  const room = placement.room ? textOf(event, placement.room.name, language) : t('mail.release.noRoom');
  if (placement.start === null || placement.end === null) return `${t('mail.release.unscheduled')}, ${room}`;
  const start = new Date(placement.start);
  const end = new Date(placement.end);
  const zone = event.timezone;
  const times = t('mail.times', {
    date: longDate(localDate(start, zone), eventDateLocale(language, event)),
    start: localClock(start, zone), end: localClock(end, zone), offset: offsets.getOrCompute(`${zone} ${placement.start}`, () => utcOffsetLabel(start, zone)),
  });
  return `${times}, ${room}`;
}

const CHANGE_TITLES: Record<SessionChange['type'], MessageKey> = {
  new: 'admin.sessions.new', moved: 'mail.release.moved', changed: 'mail.release.changed', cancelled: 'mail.release.cancelled',
};

export interface ReleaseItem {
  change: SessionChange;
  /** The session as released (a cancelled one too); its roles for this person. */
  session: ProgrammeSession;
  roles: string[];
}

export interface ReleaseMessageInput {
  event: EventRow;
  programme: Programme;
  publicUrl: string;
  release: { name: string; note: LocalizedText | null };
  recipientName: string;
  language: Language;
  items: ReleaseItem[];
  /** How often the feed asks to be fetched again (refreshPolicy), for the calendar files: the same for every message of a release. */
  refreshSeconds: number;
}

/** One session as a calendar file: the same VEVENT (UID, SEQUENCE) as in every feed of the release. */
function sessionCalendar(input: ReleaseMessageInput, session: ProgrammeSession): MessageAttachment | null {
  if (!session.slot) return null;
  const { event, publicUrl, language } = input;
  // The calendar is the event's, named as the feed is: a file of one session only adds its entry.
  const content = renderCalendar({
    event, sessions: [session], scopeName: null, locale: language, publicUrl,
    feedUrl: `${publicUrl}${inLanguage(eventPath(event, '/calendar.ics'), language, event)}`,
    refreshSeconds: input.refreshSeconds,
  });
  return { filename: `session-${session.publicId}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content };
}

export function composeReleaseMessage(input: ReleaseMessageInput): Composed {
  const { event, language } = input;
  const t = (key: MessageKey, params?: Record<string, unknown>) => translate(language, key, params);
  const colon = t('punctuation.colon');
  const eventTitle = textOf(event, event.title, language);
  const lines: string[] = [t('mail.greeting', { name: input.recipientName }), ''];
  const count = input.items.length;
  lines.push(t(count === 1 ? 'mail.release.introOne' : 'mail.release.introMany', { release: input.release.name, event: eventTitle, count }), '');
  for (const { change, session, roles } of input.items) {
    lines.push(`* ${t(CHANGE_TITLES[change.type])}${colon}${textOf(event, change.session.title, language)}`);
    if (change.type === 'moved') {
      lines.push(`  ${t('mail.release.before')}${colon}${when(event, change.before, language)}`);
      lines.push(`  ${t('mail.release.now')}${colon}${when(event, change.session, language)}`);
    } else if (change.type === 'cancelled') {
      lines.push(`  ${t('mail.release.was')}${colon}${when(event, change.session, language)}`);
    } else {
      lines.push(`  ${t('field.when')}${colon}${when(event, change.session, language)}`);
    }
    const fields = change.type === 'moved' || change.type === 'changed' ? change.fields : [];
    if (fields.length > 0) lines.push(`  ${t('mail.release.fields')}${colon}${fields.map((f) => { const key = `changes.field.${f}`; return isMessageKey(key) ? t(key) : f; }).join(', ')}`);
    if (roles.length > 0) lines.push(`  ${t('mail.release.role')}${colon}${roles.join(', ')}`);
    lines.push(`  ${sessionAddress(input.publicUrl, event, language, session.publicId)}`, '');
  }
  const note = input.release.note ? textIn(input.release.note, language, event.defaultLanguage) : null;
  if (note) lines.push(`${t('mail.release.note')}${colon.trimEnd()}`, note, '');
  const attachments = input.items.map((item) => sessionCalendar(input, item.session)).filter((a): a is MessageAttachment => a !== null);
  if (attachments.length > 0) lines.push(t('mail.release.attachment'));
  lines.push(t('mail.release.programme', { url: `${input.publicUrl}${inLanguage(eventPath(event), language, event)}` }), '', t('mail.signature', { event: eventTitle }));
  return {
    subject: oneLine(t('mail.release.subject', { event: eventTitle, release: input.release.name })),
    body: lines.join('\n'),
    attachments,
  };
}

export type RapporteurNotice = 'assigned' | 'returned' | 'validated' | 'published';

export interface RapporteurMessageInput {
  event: EventRow;
  publicUrl: string;
  kind: RapporteurNotice;
  recipientName: string;
  language: Language;
  session: { publicId: string; title: LocalizedText; placement: Placement };
  comment?: string | null;
}

export function composeRapporteurMessage(input: RapporteurMessageInput): Composed {
  const { event, language, session } = input;
  const t = (key: MessageKey, params?: Record<string, unknown>) => translate(language, key, params);
  const colon = t('punctuation.colon');
  const eventTitle = textOf(event, event.title, language);
  const title = textOf(event, session.title, language);
  const writeUrl = `${input.publicUrl}/rapporteur/events/${encodeURIComponent(event.slug)}/sessions/${session.publicId}`;
  const publicUrl = sessionAddress(input.publicUrl, event, language, session.publicId);
  const lines = [t('mail.greeting', { name: input.recipientName }), ''];
  lines.push(t(`mail.${input.kind}.body`, { event: eventTitle, session: title, url: publicUrl }));
  lines.push(`${t('field.when')}${colon}${when(event, session.placement, language)}`, '');
  if (input.kind === 'returned' && input.comment) lines.push(`${t('mail.returned.comment')}${colon.trimEnd()}`, input.comment, '');
  if (input.kind !== 'published') lines.push(t('mail.rapporteur.link', { url: writeUrl }), '');
  lines.push(t('mail.signature', { event: eventTitle }));
  return { subject: oneLine(t(`mail.${input.kind}.subject`, { event: eventTitle, session: title })), body: lines.join('\n'), attachments: [] };
}

export function composeEndpointDisabled(input: { event: EventRow; publicUrl: string; language: Language; recipientName: string; endpointUrl: string }): Composed {
  const { event, language } = input;
  const t = (key: MessageKey, params?: Record<string, unknown>) => translate(language, key, params);
  const eventTitle = textOf(event, event.title, language);
  const admin = `${input.publicUrl}/admin/events/${encodeURIComponent(event.slug)}/webhooks`;
  return {
    subject: oneLine(t('mail.endpointDisabled.subject', { event: eventTitle })),
    body: [t('mail.greeting', { name: input.recipientName }), '', t('mail.endpointDisabled.body', { url: input.endpointUrl, admin }), '', t('mail.signature', { event: eventTitle })].join('\n'),
    attachments: [],
  };
}

/** The line added below every message as it leaves, with the address that stops them. */
export function stopLine(language: Language, url: string): string {
  return translate(language, 'mail.stop', { url });
}
