// The ways a page offers a feed: subscribe in a calendar app, in Google Calendar or Outlook,
// download the file, or copy the address.
import type { Language } from '../db/schema.ts';
import type { EventRow } from '../programme/repository.ts';

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

/** Feed addresses carry ?lang= only when the reader's language is not the event's default. */
export function feedPath(event: EventRow, scopePath: string, locale: Language): string {
  const path = `/events/${encodeURIComponent(event.slug)}${scopePath}/calendar.ics`;
  return locale === event.defaultLanguage ? path : `${path}?lang=${locale}`;
}

export function agendaFeedPath(token: string, event: EventRow, locale: Language): string {
  const path = `/my/${token}/calendar.ics`;
  return locale === event.defaultLanguage ? path : `${path}?lang=${locale}`;
}

export function feedLinks(publicUrl: string, path: string, calendarName: string): FeedLinks {
  const address = `${publicUrl}${path}`;
  const webcal = address.replace(/^https?:/, 'webcal:');
  return {
    address,
    webcal,
    google: `https://calendar.google.com/calendar/render?cid=${encodeURIComponent(webcal)}`,
    outlook: `https://outlook.live.com/calendar/0/addfromweb?url=${encodeURIComponent(address)}&name=${encodeURIComponent(calendarName)}`,
    download: path,
  };
}
