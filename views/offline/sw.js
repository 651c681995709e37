// The service worker of the public programme (served at /sw.js so that it covers /events/… and
// /my/…). It answers only for an event's programme pages, a participant's agenda page and the
// site's assets, and leaves everything else (/admin, /rapporteur, /api, feeds, forms) to the
// network. Pages: network first, with a short wait, then the copy kept; a page shown from the
// copy carries the time it was kept, for the page's notice (offline.js).
//
// Kept: only answers the reader may see again. Never an answer for a signed-in account (an
// organiser's pages and previews: the server marks them Offline-Keep: no), never one marked
// no-store but the reader's own agenda, never a redirect or an error.
importScripts('/offline/workbox/workbox-sw.js');
workbox.setConfig({ modulePathPrefix: '/offline/workbox/', debug: false });

const { registerRoute } = workbox.routing;
const { NetworkFirst, StaleWhileRevalidate } = workbox.strategies;
const { CacheableResponsePlugin } = workbox.cacheableResponse;
const { clientsClaim } = workbox.core;

const PAGES = 'forum-pages';
const ASSETS = 'forum-assets';
const LISTS = 'forum-offline-lists';
/** An event's programme, a day or part of it, a session, the speakers, a speaker, the outputs. */
const PAGE = /^\/events\/[^/]+(\/(sessions|parts|speakers)\/[^/]+|\/speakers|\/outputs)?$/;
/** A participant's agenda page: private, and kept because it is the reader's own. */
const AGENDA = /^\/my\/[^/]+$/;
const LIST = /^\/events\/[^/]+\/offline\.json$/;
/** Query parameters that only confirm an action just done: the page kept is the page without them. */
const ONE_TIME = ['saved'];
/** Pages fetched at once when the list is kept: a few, to leave the network to the reader. */
const AT_ONCE = 4;

self.skipWaiting();
clientsClaim();

function sameSite(url) {
  return url.origin === self.location.origin;
}

function keyOf(request) {
  const url = new URL(request.url);
  for (const name of ONE_TIME) url.searchParams.delete(name);
  return url.href;
}

function keepable(request, response) {
  if (!response || response.status !== 200 || response.type !== 'basic' || response.redirected) return false;
  if (response.headers.get('Offline-Keep') === 'no') return false;
  const policy = response.headers.get('Cache-Control') || '';
  return !/no-store/.test(policy) || AGENDA.test(new URL(request.url).pathname);
}

/** A kept page says when it was kept: the page's script shows it in its notice. */
async function markedAsKept(response) {
  if (!response || !(response.headers.get('Content-Type') || '').startsWith('text/html')) return response;
  const kept = new Date(response.headers.get('Date') || Date.now()).toISOString();
  const html = (await response.text()).replace('<head>', `<head><meta name="offline-kept" content="${kept}">`);
  return new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers });
}

const pages = new NetworkFirst({
  cacheName: PAGES,
  networkTimeoutSeconds: 4,
  plugins: [{
    cacheKeyWillBeUsed: async ({ request }) => keyOf(request),
    cacheWillUpdate: async ({ request, response }) => (keepable(request, response) ? response : null),
    cachedResponseWillBeUsed: async ({ cachedResponse }) => markedAsKept(cachedResponse),
  }],
});

registerRoute(({ url, request }) => sameSite(url) && request.method === 'GET' && (PAGE.test(url.pathname) || AGENDA.test(url.pathname)), pages);
registerRoute(({ url }) => sameSite(url) && url.pathname.startsWith('/assets/'), new StaleWhileRevalidate({
  cacheName: ASSETS,
  plugins: [new CacheableResponsePlugin({ statuses: [200] })],
}));

/** Runs `task` on every item, a few at a time. */
async function inBatches(items, task) {
  const queue = [...items];
  const workers = Array.from({ length: AT_ONCE }, async () => {
    while (queue.length > 0) await task(queue.shift());
  });
  await Promise.all(workers);
}

/** The addresses of the list not kept yet. */
async function missing(urls) {
  const cache = await caches.open(PAGES);
  const absent = await Promise.all(urls.map(async (url) => ((await cache.match(new URL(url, self.location.origin).href)) ? null : url)));
  return absent.filter(Boolean);
}

/** The agenda pages kept: refreshed with the programme they come from. */
async function agendasKept() {
  const cache = await caches.open(PAGES);
  return (await cache.keys()).map((request) => request.url).filter((url) => AGENDA.test(new URL(url).pathname));
}

/**
 * Keeps every page of an event's list. The list's revision and language decide: when either
 * changed since the last time, every page is fetched again; else only those not kept yet.
 * Answers the page that asked with what is kept.
 */
async function keepList(list, event) {
  const response = await fetch(list.href, { cache: 'no-cache', credentials: 'same-origin' });
  if (!response.ok) return;
  const { revision, lang, urls } = await response.json();
  const lists = await caches.open(LISTS);
  const before = await lists.match(list.pathname);
  const known = before ? await before.json() : null;
  const changed = !known || known.revision !== revision || known.lang !== lang;
  const wanted = changed ? [...urls, ...(await agendasKept())] : await missing(urls);
  let failed = 0;
  await inBatches(wanted, async (url) => {
    const request = new Request(new URL(url, self.location.origin).href, { cache: 'no-cache', credentials: 'same-origin' });
    await pages.handle({ event, request }).catch(() => { failed += 1; });
  });
  if (failed === 0) await lists.put(list.pathname, new Response(JSON.stringify({ revision, lang })));
  const kept = (await (await caches.open(PAGES)).keys()).length;
  if (event.source) event.source.postMessage({ type: 'offline-kept', revision, kept, failed });
}

self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'offline-keep' || typeof data.list !== 'string') return;
  const list = new URL(data.list, self.location.origin);
  if (!sameSite(list) || !LIST.test(list.pathname)) return;
  event.waitUntil(keepList(list, event).catch(() => undefined));
});
