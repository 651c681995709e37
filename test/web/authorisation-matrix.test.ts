// The authorisation matrix: every route the server registers, sent by each of six callers
// (anonymous, a rapporteur of another session, the session's assigned rapporteur, an organiser
// of another event, an organiser of the event, an organiser of every event) with real ids in its
// address, compared with the access rule this table gives it. A route the server registers
// without an entry here fails, and so does an entry for a route that no longer exists: a new
// route cannot ship without someone deciding who may use it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildWorld, fill, outcomeLine, ROLES, type Caller, type RegisteredRoute, type Role, type World } from '../helpers/roles.ts';
import { FORUM_2019 } from '../helpers/app.ts';
import { eq } from 'drizzle-orm';
import { stagedImports } from '../../server/db/schema.ts';
import { findEventBySlug } from '../../server/domains/programme/repository.ts';

/** Who may use a route. */
type Rule =
  | 'public' // anyone, signed in or not
  | 'signed-in' // any account: its own sessions, password, tokens
  | 'organisers' // an organiser of any event (what each may then reach is decided further on)
  | 'organiser-of-event' // an organiser of the event of the address, or of every event
  | 'organiser-of-all' // an organiser of every event: new events, accounts
  | 'writer-of-session' // the session's assigned rapporteurs, the event's organisers
  | 'owner-or-organiser-of-all' // one's own (an API token): anyone else's is 404, except for organisers of every event
  | 'setup-link'; // the first account's one-time link: gone (404) for everyone once an account exists

/** What a caller gets: let through (anything but a refusal), or refused with exactly this. */
type Expected = 'allowed' | 'sign-in' | 403 | 404;

const ALLOWED: Record<Rule, readonly Role[]> = {
  public: ROLES,
  'signed-in': ROLES.slice(1),
  organisers: ['organiser-of-another-event', 'organiser-of-the-event', 'organiser-of-every-event'],
  'organiser-of-event': ['organiser-of-the-event', 'organiser-of-every-event'],
  'organiser-of-all': ['organiser-of-every-event'],
  'writer-of-session': ['assigned-rapporteur', 'organiser-of-the-event', 'organiser-of-every-event'],
  'owner-or-organiser-of-all': ['organiser-of-every-event'],
  'setup-link': [],
};

function expected(rule: Rule, role: Role): Expected {
  if (ALLOWED[rule].includes(role)) return 'allowed';
  if (rule === 'setup-link') return 404;
  if (role === 'anonymous') return 'sign-in';
  return rule === 'owner-or-organiser-of-all' ? 404 : 403;
}

interface Entry {
  rule: Rule;
  /** The body of a write (JSON for the API, form fields besides the CSRF token for pages); empty when not given. */
  body?: Record<string, string>;
  /** Sent after every other route (signing out ends the caller's session). */
  last?: boolean;
  /** Run before each caller's request, so that each finds the same state. */
  prepare?: (world: World) => Promise<void>;
}

const COLLECTIONS = ['parts', 'rooms', 'slots', 'outputs', 'organisations', 'people', 'sessions'];
const WORKSPACE_COLLECTIONS = ['parts', 'slots', 'rooms', 'people', 'organisations', 'outputs'];
const withSpare: Entry = { rule: 'organiser-of-event', prepare: (world) => world.reassignSpare() };

/**
 * A staged import is only its owner's: before each caller's request (prepare runs once per
 * caller, in the order of ROLES), the file at the address's token becomes that caller's.
 */
function stagedForEachCaller(ofEvent: boolean): Entry['prepare'] {
  let next = 0;
  return async (world) => {
    const role = ROLES[next % ROLES.length]!;
    next += 1;
    const { db } = world.t.app;
    const token = world.params('/:token').token!;
    db.delete(stagedImports).where(eq(stagedImports.token, token)).run();
    const user = world.callers[role].user;
    if (!user) return;
    const eventId = ofEvent ? findEventBySlug(db, FORUM_2019)!.id : null;
    db.insert(stagedImports).values({ token, userId: user.id, eventId, format: 'csv', fileName: 'sessions.csv', options: {}, bytes: Buffer.from('titre\nA\n'), createdAt: world.t.app.now() }).run();
  };
}

const TABLE: Record<string, Entry> = {
  // The public site, feeds and exports
  ...Object.fromEntries([
    'GET /healthz', 'GET /', 'GET /events/:slug', 'GET /events/:slug/parts/:id', 'GET /events/:slug/now', 'GET /events/:slug/sessions/:id',
    'GET /events/:slug/speakers', 'GET /events/:slug/speakers/:id', 'GET /events/:slug/outputs', 'GET /events/:slug/changes',
    'GET /events/:slug/report', 'GET /events/:slug/report.md', 'GET /events/:slug/report.json',
    'GET /my/:token', 'POST /my/:token', 'GET /login', 'POST /login',
    'GET /events/:slug/calendar.ics', 'GET /events/:slug/parts/:id/calendar.ics', 'GET /events/:slug/rooms/:id/calendar.ics',
    'GET /events/:slug/speakers/:id/calendar.ics', 'GET /events/:slug/sessions/:id/calendar.ics', 'GET /my/:token/calendar.ics',
    'GET /events/:slug/schedule.xml', 'GET /events/:slug/schedule.json', 'GET /events/:slug/programme.json', 'GET /events/:slug/sessions.csv',
    'GET /api/v1/events', 'GET /api/v1/events/:slug/programme', 'POST /api/v1/auth/login', 'GET /api/v1/events/:slug/releases',
    'GET /api/v1/events/:slug/conclusions', 'GET /api/v1/events/:slug/report', 'GET /api/v1/openapi.json', 'GET /api/docs',
  ].map((key) => [key, { rule: 'public' as const }])),
  'POST /my': { rule: 'public', body: { event: FORUM_2019 } },
  'POST /logout': { rule: 'public', last: true },
  'GET /setup/:token': { rule: 'setup-link' },
  'POST /setup/:token': { rule: 'setup-link' },
  // One's own account
  'GET /account/password': { rule: 'signed-in' },
  // A body that passes validation, so the sign-in decides; the confirmation differs, so no password is checked or changed.
  'POST /account/password': { rule: 'signed-in', body: { currentPassword: 'not checked', newPassword: 'a new password 1', confirmation: 'another one 2' } },
  'POST /api/v1/auth/logout': { rule: 'signed-in' },
  'GET /api/v1/auth/me': { rule: 'signed-in' },
  'POST /api/v1/auth/password': { rule: 'signed-in' },
  'GET /api/v1/tokens': { rule: 'signed-in' },
  'POST /api/v1/tokens': { rule: 'signed-in' },
  'DELETE /api/v1/tokens/:id': { rule: 'owner-or-organiser-of-all' },
  'GET /api/v1/rapporteur/sessions': { rule: 'signed-in' },
  'GET /rapporteur': { rule: 'signed-in' },
  // The write API
  'POST /api/v1/events': { rule: 'organiser-of-all' },
  'POST /api/v1/imports': { rule: 'organisers' },
  ...Object.fromEntries([
    'GET /api/v1/events/:slug', 'PATCH /api/v1/events/:slug', 'GET /api/v1/events/:slug/conflicts', 'GET /api/v1/events/:slug/audit',
    'POST /api/v1/events/:slug/releases', 'GET /api/v1/events/:slug/sessions/:id/rapporteurs', 'POST /api/v1/events/:slug/sessions/:id/rapporteurs',
    ...COLLECTIONS.flatMap((c) => [`GET /api/v1/events/:slug/${c}`, `POST /api/v1/events/:slug/${c}`,
      `GET /api/v1/events/:slug/${c}/:id`, `PATCH /api/v1/events/:slug/${c}/:id`, `DELETE /api/v1/events/:slug/${c}/:id`]),
  ].map((key) => [key, { rule: 'organiser-of-event' as const }])),
  'DELETE /api/v1/events/:slug/sessions/:id/rapporteurs/:userId': withSpare,
  ...Object.fromEntries([
    'GET /api/v1/events/:slug/sessions/:id/conclusions', 'PUT /api/v1/events/:slug/sessions/:id/conclusions',
    'POST /api/v1/events/:slug/sessions/:id/conclusions/transitions', 'GET /api/v1/events/:slug/sessions/:id/conclusions/revisions',
    'GET /api/v1/events/:slug/sessions/:id/conclusions/revisions/:number', 'POST /api/v1/events/:slug/sessions/:id/conclusions/revisions/:number/restore',
    'POST /api/v1/events/:slug/sessions/:id/conclusions/conflicts/:copy/restore',
    // The rapporteurs' pages
    'GET /rapporteur/events/:slug/sessions/:id', 'POST /rapporteur/events/:slug/sessions/:id', 'POST /rapporteur/events/:slug/sessions/:id/transition',
    'GET /rapporteur/events/:slug/sessions/:id/history', 'POST /rapporteur/events/:slug/sessions/:id/revisions/:number/restore',
    'POST /rapporteur/events/:slug/sessions/:id/conflicts/:copy/restore',
  ].map((key) => [key, { rule: 'writer-of-session' as const }])),
  // The workspace
  'GET /admin': { rule: 'organisers' },
  'POST /admin/events': { rule: 'organiser-of-all' },
  'GET /admin/users': { rule: 'organiser-of-all' },
  'POST /admin/users': { rule: 'organiser-of-all' },
  ...Object.fromEntries([
    'GET /admin/events/:slug', 'GET /admin/events/:slug/settings', 'POST /admin/events/:slug/settings',
    'GET /admin/events/:slug/sessions', 'GET /admin/events/:slug/sessions/new', 'POST /admin/events/:slug/sessions',
    'GET /admin/events/:slug/sessions/:id', 'POST /admin/events/:slug/sessions/:id',
    ...['duplicate', 'delete', 'move', 'status', 'rapporteurs'].map((action) => `POST /admin/events/:slug/sessions/:id/${action}`),
    ...WORKSPACE_COLLECTIONS.flatMap((c) => [`GET /admin/events/:slug/${c}`, `GET /admin/events/:slug/${c}/new`, `POST /admin/events/:slug/${c}`,
      `GET /admin/events/:slug/${c}/:id`, `POST /admin/events/:slug/${c}/:id`, `POST /admin/events/:slug/${c}/:id/delete`]),
    'POST /admin/events/:slug/parts/:id/move', 'GET /admin/events/:slug/audit', 'GET /admin/events/:slug/conclusions',
    'GET /admin/events/:slug/releases', 'POST /admin/events/:slug/releases', 'POST /admin/events/:slug/preview',
  ].map((key) => [key, { rule: 'organiser-of-event' as const }])),
  'POST /admin/events/:slug/sessions/:id/rapporteurs/:userId/delete': withSpare,
  // #18 grid: routes of the scheduling grid
  'GET /admin/events/:slug/grid': { rule: 'organiser-of-event' },
  'GET /admin/events/:slug/list': { rule: 'organiser-of-event' },
  'POST /admin/events/:slug/grid/sessions/:id/move': { rule: 'organiser-of-event' },
  'GET /admin/events/:slug/grid/sessions/:id/move': { rule: 'organiser-of-event' },
  // #18 moves: routes of the grid script
  // #18 building: routes of the quick building forms
  // #18 bulk: routes of bulk actions and copies
  'POST /admin/events/:slug/sessions/bulk': { rule: 'organiser-of-event' },
  'GET /admin/events/:slug/copy': { rule: 'organiser-of-event' },
  'POST /admin/events/:slug/copy': { rule: 'organiser-of-event' },
  // The list shown again after a refused action has this address: it leads back to the list, which decides.
  'GET /admin/events/:slug/sessions/bulk': { rule: 'public' },
  // #18 imports: routes of imports in the browser
  ...Object.fromEntries(['', '/:token', '/:token/cancel'].flatMap((tail) => [`POST /admin/events/:slug/import${tail}`, `POST /admin/import${tail}`])
    .concat(['GET /admin/events/:slug/import', 'GET /admin/events/:slug/import/:token', 'GET /admin/events/:slug/import/template.csv', 'GET /admin/import', 'GET /admin/import/:token'])
    .map((key) => [key, {
      rule: key.includes('/admin/events/') ? 'organiser-of-event' as const : 'organiser-of-all' as const,
      ...(key.includes(':token') ? { prepare: stagedForEachCaller(key.includes('/admin/events/')) } : {}),
    }])),
  // #18 releases: routes of the release pages
  // #18 workspace: routes of the workspace pages
  // #19 pocket: routes of phone reading and the agenda
  // #19 paper: routes of printed pages
  'GET /events/:slug/paper.css': { rule: 'public' },
  'GET /events/:slug/qr.svg': { rule: 'public' },
  // #19 kiosk: routes of the venue screen
  // #19 offline: routes of the offline app
  ...Object.fromEntries([
    'GET /sw.js', 'GET /offline/icon-192.png', 'GET /offline/icon-512.png',
    'GET /events/:slug/manifest.webmanifest', 'GET /events/:slug/offline.json',
    ...['sw.js', 'core.prod.js', 'routing.prod.js', 'strategies.prod.js', 'cacheable-response.prod.js'].map((file) => `GET /offline/workbox/workbox-${file}`),
  ].map((key) => [key, { rule: 'public' as const }])),
  // #19 embed: routes of the embed
  'GET /embed.js': { rule: 'public' },
  'GET /events/:slug/embed.json': { rule: 'public' },
  // #19 structured: routes of structured data and subscription
  // #19 feeds: routes of calendar feeds
  // #20 messages and webhooks: the outbox, contacts, settings and endpoints are the event's organisers'
  ...Object.fromEntries([
    'GET /api/v1/events/:slug/outbox', 'POST /api/v1/events/:slug/outbox/send', 'GET /api/v1/events/:slug/outbox/:id', 'PATCH /api/v1/events/:slug/outbox/:id',
    'POST /api/v1/events/:slug/outbox/:id/send', 'POST /api/v1/events/:slug/outbox/:id/discard', 'GET /api/v1/events/:slug/outbox/:id/attachments/:n',
    'GET /api/v1/events/:slug/message-settings', 'PUT /api/v1/events/:slug/message-settings', 'GET /api/v1/events/:slug/contacts',
    'PUT /api/v1/events/:slug/people/:id/contact', 'GET /api/v1/events/:slug/webhooks', 'POST /api/v1/events/:slug/webhooks',
    'GET /admin/events/:slug/outbox', 'POST /admin/events/:slug/outbox/settings', 'POST /admin/events/:slug/outbox/send-all',
    'GET /admin/events/:slug/outbox/:id', 'POST /admin/events/:slug/outbox/:id', 'POST /admin/events/:slug/outbox/:id/send',
    'POST /admin/events/:slug/outbox/:id/discard', 'GET /admin/events/:slug/outbox/:id/attachments/:n',
    'GET /admin/events/:slug/contacts', 'POST /admin/events/:slug/contacts', 'GET /admin/events/:slug/webhooks', 'POST /admin/events/:slug/webhooks',
  ].map((key) => [key, { rule: 'organiser-of-event' as const }])),
  // An endpoint's routes: each caller finds the same one, registered again if an earlier caller deleted it.
  ...Object.fromEntries([
    'GET /api/v1/events/:slug/webhooks/:id', 'PATCH /api/v1/events/:slug/webhooks/:id', 'DELETE /api/v1/events/:slug/webhooks/:id',
    'GET /api/v1/events/:slug/webhooks/:id/deliveries', 'GET /admin/events/:slug/webhooks/:id', 'POST /admin/events/:slug/webhooks/:id',
    'POST /admin/events/:slug/webhooks/:id/state', 'POST /admin/events/:slug/webhooks/:id/delete',
  ].map((key) => [key, { rule: 'organiser-of-event' as const, prepare: (world: World) => world.restoreEndpoint() }])),
  // #21 follow-up: the public page, feed and read API; writes for the session's writers; the organisers' list
  'GET /events/:slug/follow-up': { rule: 'public' },
  'GET /events/:slug/follow-up.atom': { rule: 'public' },
  'GET /api/v1/events/:slug/follow-up': { rule: 'public' },
  ...Object.fromEntries([
    'PATCH /api/v1/events/:slug/sessions/:id/follow-up/:item', 'POST /api/v1/events/:slug/sessions/:id/follow-up/:item/notes',
    'GET /rapporteur/events/:slug/sessions/:id/follow-up', 'POST /rapporteur/events/:slug/sessions/:id/follow-up',
  ].map((key) => [key, { rule: 'writer-of-session' as const }])),
  'GET /admin/events/:slug/follow-up': { rule: 'organiser-of-event' },
  'POST /admin/events/:slug/follow-up': { rule: 'organiser-of-event' },
  // #21 feedback: a participant's form and answer (no account; the session of the address has ended), the figures for
  // everyone; moderation for the event's organisers (the answer of the address is the one the world seeds)
  'GET /events/:slug/sessions/:id/feedback': { rule: 'public' },
  'POST /events/:slug/sessions/:id/feedback': { rule: 'public', body: { rating: '4' } },
  'GET /api/v1/events/:slug/feedback': { rule: 'public' },
  'PATCH /api/v1/events/:slug/feedback/:answer': { rule: 'organiser-of-event' },
  'GET /admin/events/:slug/feedback': { rule: 'organiser-of-event' },
  'POST /admin/events/:slug/feedback/:answer': { rule: 'organiser-of-event', body: { state: 'approved' } },
  // Accounts' languages are set where accounts are managed.
  'POST /admin/users/languages': { rule: 'organiser-of-all' },
  // The stop link of a message: its token is the capability, whoever follows it (a mail program's one-click POST has no cookie).
  'GET /stop/:token': { rule: 'public' },
  'POST /stop/:token': { rule: 'public' },
  // Addresses a refused form is shown again at: they lead back to the form's page, which decides.
  ...Object.fromEntries([
    'GET /admin/events', 'GET /admin/events/:slug/parts/:id/move', 'GET /admin/events/:slug/sessions/:id/rapporteurs/:userId/delete',
    'GET /admin/events/:slug/outbox/:id/send', 'GET /admin/events/:slug/outbox/:id/discard',
    'GET /admin/events/:slug/webhooks/:id/state', 'GET /admin/events/:slug/webhooks/:id/delete',
    ...WORKSPACE_COLLECTIONS.map((c) => `GET /admin/events/:slug/${c}/:id/delete`),
    ...['duplicate', 'move', 'status', 'rapporteurs', 'delete'].map((action) => `GET /admin/events/:slug/sessions/:id/${action}`),
  ].map((key) => [key, { rule: 'public' as const }])),
};

/** Registered routes the matrix does not send, and why. */
const NOT_SENT: Record<string, string> = {
  'GET /assets/*': 'static files: the same for everyone',
  'HEAD /assets/*': 'static files: the same for everyone',
  'OPTIONS *': 'CORS preflight of the feeds: answers every origin, reads nothing',
};

describe('the authorisation matrix', () => {
  let world: World;
  let routes: RegisteredRoute[];
  const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

  beforeAll(async () => {
    world = await buildWorld();
    const gets = new Set(world.routes.filter((r) => r.method === 'GET').map((r) => r.url));
    routes = world.routes.filter((r) => !(key(r) in NOT_SENT) && !(r.method === 'HEAD' && gets.has(r.url)));
  }, 60_000);
  afterAll(async () => { await world.t.close(); });

  test('every route the server registers has an entry, and every entry a route', () => {
    const registered = new Set(world.routes.map(key));
    expect(routes.map(key).filter((k) => !(k in TABLE)), 'routes the server registers without an access rule in the matrix').toEqual([]);
    expect(Object.keys(TABLE).filter((k) => !registered.has(k)), 'matrix entries for routes the server no longer registers').toEqual([]);
    expect(Object.keys(NOT_SENT).filter((k) => !registered.has(k)), 'routes left out that no longer exist').toEqual([]);
    // A HEAD route is left out only as the duplicate of a GET.
    expect(routes.filter((r) => r.method === 'HEAD').map(key)).toEqual([]);
  });

  function send(route: RegisteredRoute, caller: Caller, entry: Entry): Promise<LightMyRequestResponse> {
    const url = fill(route.url, world.params(route.url));
    const write = route.method !== 'GET';
    if (route.url.startsWith('/api/')) {
      const json = write && route.method !== 'DELETE';
      return world.t.app.inject({
        method: route.method as 'GET', url,
        headers: { ...caller.api, 'accept-language': 'en', ...(json ? { 'content-type': 'application/json' } : {}) },
        ...(json ? { payload: JSON.stringify(entry.body ?? {}) } : {}),
      });
    }
    return write ? caller.browser.post(url, { _csrf: caller.csrf, ...entry.body }) : caller.browser.get(url);
  }

  /** What the answer is, in the terms of the table. */
  function verdict(route: RegisteredRoute, response: LightMyRequestResponse): Expected | `unexpected ${number}` {
    const status = response.statusCode;
    if (status === 401) return 'sign-in';
    if (status === 303 && String(response.headers.location).startsWith('/login?next=') && route.method === 'GET') return 'sign-in';
    if (status === 403 || status === 404) return status;
    return status >= 500 ? `unexpected ${status}` : 'allowed';
  }

  test('each of the six callers gets what the table says on every route, and nothing answers 5xx', async () => {
    const ordered = [...routes.filter((r) => !TABLE[key(r)]!.last), ...routes.filter((r) => TABLE[key(r)]!.last)];
    const got: string[] = [];
    const want: string[] = [];
    let requests = 0;
    const started = performance.now();
    for (const route of ordered) {
      const entry = TABLE[key(route)]!;
      for (const role of ROLES) {
        await entry.prepare?.(world);
        const response = await send(route, world.callers[role], entry);
        requests += 1;
        const line = outcomeLine(role, route.method, route.url, response);
        got.push(`${key(route)} as ${role}: ${verdict(route, response)}`);
        want.push(`${key(route)} as ${role}: ${expected(entry.rule, role)}`);
        if (got.at(-1) !== want.at(-1)) got[got.length - 1] += ` (${line})`;
      }
    }
    expect(got).toEqual(want);
    const api = ordered.filter((r) => r.url.startsWith('/api/')).length;
    const workspace = ordered.filter((r) => r.url.startsWith('/admin')).length;
    console.log(`authorisation matrix: ${requests} requests, ${ordered.length} routes (${api} of the API, ${workspace} of the workspace) × ${ROLES.length} roles, `
      + `no wrong permission, in ${Math.round(performance.now() - started)} ms`);
    expect(requests).toBe(ordered.length * ROLES.length);
    // About 1,100 requests: some 10 s on a quiet machine; the margin is for a loaded one.
  }, 90_000);
});
