// The ways a page offers a feed: subscribe in a calendar app, in Google Calendar or Outlook,
// download the file, or copy the address.
import type { Language } from '../../db/schema.ts';
import { inLanguage } from '../../addresses.ts';
import { textIn } from '../../i18n/index.ts';
import type { EventRow } from '../../domains/programme/repository.ts';
import { wellFormedText } from '../../unicode.ts';

export interface FeedLinks {
  /** The feed's absolute https (or http) address, to copy into any calendar app. */
  address: string;
  /** The same address with the webcal scheme: calendar apps open it as a subscription. */
  webcal: string;
  google: string;
  outlook: string;
  /** Same-site path of the .ics file, for "Download". */
  download: string;
}

export function feedPath(event: EventRow, scopePath: string, locale: Language): string {
  return inLanguage(`/events/${encodeURIComponent(event.slug)}${scopePath}/calendar.ics`, locale, event);
}

export function agendaFeedPath(token: string, event: EventRow, locale: Language): string {
  return inLanguage(`/my/${token}/calendar.ics`, locale, event);
}

/** The calendar's name: the event's title, then what the feed narrows it to (written with the calendars). */
export { calendarName } from '../../domains/calendar/ical.ts';

/**
 * Never throws: encodeURIComponent throws a URIError on half of a surrogate pair, and a title
 * stored before texts were checked may hold one; it goes as U+FFFD, control characters go.
 */
export function feedLinks(publicUrl: string, path: string, calendarName: string): FeedLinks {
  const address = wellFormedText(`${publicUrl}${path}`);
  const webcal = address.replace(/^https?:/, 'webcal:');
  return {
    address,
    webcal,
    google: `https://calendar.google.com/calendar/render?cid=${encodeURIComponent(webcal)}`,
    outlook: `https://outlook.live.com/calendar/0/addfromweb?url=${encodeURIComponent(address)}&name=${encodeURIComponent(wellFormedText(calendarName))}`,
    download: path,
  };
}
