// Conditional GETs (RFC 9110, 13.1 and 13.2.2): whether the client's copy is still the current
// one. The origin evaluates If-None-Match whatever the request's own cache directives say: a
// browser's reload and Node's fetch send `Cache-Control: no-cache` with their If-None-Match,
// and they get their 304 (the `fresh` package answers them with a whole 200).
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * A strong ETag of what a response depends on (its bytes, or everything they are made from):
 * equal tags mean equal bytes. 32 characters of a SHA-256.
 */
export function strongEtag(of: string | Buffer): string {
  return `"${createHash('sha256').update(of).digest('base64url').slice(0, 32)}"`;
}

/** The weak comparison of If-None-Match: W/"x" matches "x"; `*` matches any current representation. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined || ifNoneMatch === '') return false;
  // Bounded: a header of thousands of tags is read no further than its first 64.
  const wanted = opaque(etag);
  let count = 0;
  for (const candidate of ifNoneMatch.split(',')) {
    if (++count > 64) break;
    const tag = candidate.trim();
    if (tag === '*' || opaque(tag) === wanted) return true;
  }
  return false;
}

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/**
 * Whether a GET may be answered 304: If-None-Match when the request has it, else
 * If-Modified-Since against the representation's last modification (to the second).
 */
export function notModified(headers: IncomingHttpHeaders, etag: string, lastModified?: Date): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, etag);
  const since = headers['if-modified-since'];
  if (since === undefined || lastModified === undefined) return false;
  const sinceTime = Date.parse(since);
  return Number.isFinite(sinceTime) && Math.floor(lastModified.getTime() / 1000) * 1000 <= sinceTime;
}
