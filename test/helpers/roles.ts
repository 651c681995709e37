// The six kinds of caller that the authorisation tests send every route as, on one app built
// with the real migrations and the bundled events, with real ids for every parameter of every
// registered route: an anonymous visitor, a rapporteur of another session, the session's
// assigned rapporteur, an organiser of another event, an organiser of the event and an
// organiser of every event. Each holds an API token and a signed-in browser with a CSRF token.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { $, Browser } from './browser.ts';
import { apiAs, eventPath, listOf, ok } from './api.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from './app.ts';
import { addUser, signIn, type TestUser } from './auth.ts';
import { assign, content, conclusionsUrl, save } from './conclusions.ts';
import { findEndpoint, insertEndpoint, insertMessage } from '../../server/domains/messaging/repository.ts';
import { findEventBySlug } from '../../server/domains/programme/repository.ts';
import { sessionFeedback } from '../../server/db/schema.ts';

export const ROLES = ['anonymous', 'rapporteur-of-another-session', 'assigned-rapporteur', 'organiser-of-another-event', 'organiser-of-the-event', 'organiser-of-every-event'] as const;
export type Role = (typeof ROLES)[number];

/** A route as the server registers it. */
export interface RegisteredRoute {
  method: string;
  url: string;
  bodyLimit: number | undefined;
}

export interface Caller {
  role: Role;
  user: TestUser | null;
  /** Headers of an API request: the caller's bearer token (none for anonymous). */
  api: Record<string, string>;
  browser: Browser;
  /** A CSRF token that goes with the browser's secret cookie. */
  csrf: string;
}

export interface World {
  t: TestApp;
  routes: RegisteredRoute[];
  callers: Record<Role, Caller>;
  /** The value of each route parameter (`:slug`, `:id`…) for a route, every id real. */
  params: (url: string) => Record<string, string>;
  /** A rapporteur assigned to the session by `reassignSpare`, for the routes that withdraw one. */
  spare: TestUser;
  /** Assigns the spare rapporteur to the session again, so every caller withdraws the same assignment. */
  reassignSpare: () => Promise<void>;
  /** Registers the forum's webhook endpoint again if a caller deleted it, so every caller deletes the same one. */
  restoreEndpoint: () => Promise<void>;
  sessionId: string;
}

const COLLECTIONS = { parts: 'parts', rooms: 'rooms', slots: 'slots', outputs: 'outputs', organisations: 'organisations', people: 'people', sessions: 'sessions' } as const;

/** The CSRF token of the first form of a page this browser opens. */
async function csrfOf(browser: Browser, url: string): Promise<string> {
  const page = await browser.get(url);
  const token = $(page.body)('input[name="_csrf"]').first().attr('value');
  expect(token, `${url} gives a CSRF token`).toBeTruthy();
  return token!;
}

export async function buildWorld(): Promise<World> {
  const routes: RegisteredRoute[] = [];
  const t = await buildTestApp({
    onRoute: (route) => { for (const method of [route.method].flat()) routes.push({ method, url: route.url, bodyLimit: route.bodyLimit }); },
  });
  // Password hashing runs off the main thread: the accounts are made side by side.
  const [other, assigned, seminar, forum, all, spare] = await Promise.all([
    addUser(t.app, 'rapporteur', undefined, 'Rita Other'),
    addUser(t.app, 'rapporteur', undefined, 'Ravi Assigned'),
    addUser(t.app, 'organiser', SEMINAR_2015, 'Sara Seminar'),
    addUser(t.app, 'organiser', FORUM_2019, 'Fatou Forum'),
    addUser(t.app, 'organiser', undefined, 'Olga All'),
    addUser(t.app, 'rapporteur', undefined, 'Sam Spare'),
  ]);
  const users = {
    'rapporteur-of-another-session': other!, 'assigned-rapporteur': assigned!, 'organiser-of-another-event': seminar!,
    'organiser-of-the-event': forum!, 'organiser-of-every-event': all!,
  };
  const admin = apiAs(t.app, users['organiser-of-every-event'].bearer);

  // The forum lists no individual people: one is added so that /people/:id has a real id.
  ok(await admin.post(`${eventPath(FORUM_2019)}/people`, { name: 'Ada Lovelace' }), 201);
  const first: Record<string, string> = {};
  for (const [name, collection] of Object.entries(COLLECTIONS)) first[name] = (await listOf(admin, FORUM_2019, collection))[0]!.id;
  const sessions = await listOf(admin, FORUM_2019, 'sessions');
  const sessionId = sessions[0]!.id;
  await assign(admin, FORUM_2019, sessionId, users['assigned-rapporteur']);
  await assign(admin, FORUM_2019, sessions[1]!.id, users['rapporteur-of-another-session']);
  const reassignSpare = async () => {
    const response = await admin.post(`${eventPath(FORUM_2019)}/sessions/${sessionId}/rapporteurs`, { user: spare.publicId });
    expect(response.statusCode, response.body).toBe(201);
  };
  await reassignSpare();

  // Revision 1 by the assigned rapporteur, and a text a stale save left aside.
  const writer = apiAs(t.app, users['assigned-rapporteur'].bearer);
  ok(await save(writer, FORUM_2019, sessionId, 0, content()), 201);
  const stale = await save(writer, FORUM_2019, sessionId, 0, content({ summary: 'Un autre résumé' }));
  expect(stale.statusCode, stale.body).toBe(409);
  const copy = (stale.json() as { setAside: string }).setAside;
  expect(ok<{ revision: number }>(await writer.get(conclusionsUrl(FORUM_2019, sessionId))).revision).toBe(1);

  // Someone else's token, for DELETE /api/v1/tokens/:id.
  const tokens = ok<{ id: string; user: string }[]>(await admin.get('/api/v1/tokens'));
  const spareToken = tokens.find((token) => token.user === spare.email)!.id;
  // A participant's agenda, for /my/:token.
  const agenda = await t.app.inject({ method: 'POST', url: '/my', payload: { event: FORUM_2019 } });
  const agendaToken = /\/my\/([^/?#]+)/.exec(String(agenda.headers.location))?.[1] ?? 'no-agenda';

  // A participant's answer with a comment, about an ended session (the first is the arrival desk, which takes none), for /feedback/:answer.
  const answered = await t.app.inject({ method: 'POST', url: `/events/${FORUM_2019}/sessions/${sessions[1]!.id}/feedback`, payload: { rating: '4', comment: 'Un avis' } });
  expect(answered.statusCode, answered.body).toBe(303);
  const answerId = String(t.app.db.select({ id: sessionFeedback.id }).from(sessionFeedback).get()!.id);

  // A speaker of the released programme, as the public list of speakers links to them.
  const speakers = await t.app.inject(`/events/${FORUM_2019}/speakers`);
  const speakerId = new RegExp(`/events/${FORUM_2019}/speakers/([^"?#/]+)`).exec(speakers.body)?.[1] ?? 'no-speaker';

  // A message of the forum's outbox, with an attachment, and a webhook endpoint, for /outbox/:id… and /webhooks/:id…
  const forumEvent = findEventBySlug(t.app.db, FORUM_2019)!;
  const now = t.app.now();
  const messageId = '5b0f7a52-9c1d-4a57-8d36-2f3b7f6f0a11';
  const endpointId = '0c7e2a9b-3f41-4e8a-9a55-6d2b1c9e7f30';
  const stopToken = 'matrix-stop-token-0123456789';
  insertMessage(t.app.db, {
    publicId: messageId, eventId: forumEvent.id, kind: 'release', state: 'draft', toName: 'Ada Lovelace', toAddress: 'ada@example.org',
    language: 'fr', subject: 'Vos sessions', body: 'Bonjour', stopToken, createdAt: now, updatedAt: now,
    attachments: [{ filename: 'session.ics', contentType: 'text/calendar; charset=utf-8', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }],
  });
  const restoreEndpoint = async () => {
    if (findEndpoint(t.app.db, forumEvent.id, endpointId)) return;
    insertEndpoint(t.app.db, {
      publicId: endpointId, eventId: forumEvent.id, url: 'https://hooks.example.org/forum', secret: 'whsec_bWF0cml4LXNlY3JldC0wMTIzNDU2Nzg5', kinds: ['release.published'], createdAt: now, updatedAt: now,
    });
  };
  await restoreEndpoint();

  const callers = {} as Record<Role, Caller>;
  const anonymous = new Browser(t.app);
  callers.anonymous = { role: 'anonymous', user: null, api: {}, browser: anonymous, csrf: await csrfOf(anonymous, '/login') };
  await Promise.all((ROLES.slice(1) as Exclude<Role, 'anonymous'>[]).map(async (role) => {
    const user = users[role];
    const browser = await signIn(t.app, user);
    callers[role] = { role, user, api: user.bearer, browser, csrf: await csrfOf(browser, '/account/password') };
  }));

  const values: Record<string, string> = {
    slug: FORUM_2019, number: '1', copy, userId: spare.publicId, token: agendaToken, n: '0', item: 'r1', answer: answerId,
  };
  const ids: Record<string, string> = { ...first, outbox: messageId, webhooks: endpointId };
  const params = (url: string) => {
    const found: Record<string, string> = {};
    for (const [, name] of url.matchAll(/:(\w+)/g)) {
      if (name === 'id') {
        const collection = /\/(\w+)\/:id/.exec(url)?.[1] ?? '';
        found.id = url.startsWith('/api/v1/tokens/') ? spareToken : collection === 'speakers' ? speakerId : ids[collection] ?? sessionId;
      } else if (name === 'token') {
        found.token = url.startsWith('/setup/') ? 'not-the-setup-link' : url.startsWith('/stop/') ? stopToken : values.token!;
      } else {
        found[name!] = values[name!] ?? `unknown-${name}`;
      }
    }
    return found;
  };
  return { t, routes, callers, params, spare, reassignSpare, restoreEndpoint, sessionId };
}

/** The address of a route with these parameter values. */
export function fill(url: string, params: Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? `unknown-${name}`));
}

/** Who made a request, and what came back, in one line for failure messages. */
export function outcomeLine(role: Role, method: string, url: string, response: LightMyRequestResponse): string {
  const location = response.headers.location ? ` → ${String(response.headers.location)}` : '';
  return `${method} ${url} as ${role}: ${response.statusCode}${location}`;
}
