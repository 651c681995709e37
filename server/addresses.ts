// Addresses of the public pages, as links, feeds and exports write them. Pure: the one place
// that knows how an event's pages are named and how a reader's language shows in an address.
import type { Language } from './db/schema.ts';

/**
 * An address in the reader's language: ?lang= only when it is not the event's default, so
 * that the default-language address stays the plain one people share and subscribe to.
 */
export function inLanguage(path: string, locale: Language, event: { defaultLanguage: Language }): string {
  return locale === event.defaultLanguage ? path : `${path}?lang=${locale}`;
}

/** The path of a page of an event: /events/<slug><rest>. */
export function eventPath(event: { slug: string }, rest = ''): string {
  return `/events/${encodeURIComponent(event.slug)}${rest}`;
}

/** The absolute address of a session's page, in the reader's language. */
export function sessionAddress(publicUrl: string, event: { slug: string; defaultLanguage: Language }, locale: Language, sessionPublicId: string): string {
  return `${publicUrl}${inLanguage(eventPath(event, `/sessions/${sessionPublicId}`), locale, event)}`;
}

/**
 * Only http and https addresses become links: a stored link may come from an import, and a
 * javascript: or data: address must never be one click away.
 */
export function isWebAddress(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
