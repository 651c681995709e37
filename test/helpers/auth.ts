// Accounts for tests, made through the real services (scrypt hashes, hashed tokens), and
// signing in with them: as a person does, through the real /login form, or as a script does,
// through the API.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createApiToken, createUser } from '../../server/domains/accounts/service.ts';
import type { UserRole } from '../../server/db/schema.ts';
import { findEventBySlug } from '../../server/domains/programme/repository.ts';
import { apiAs } from './api.ts';
import { Browser } from './browser.ts';

export interface TestUser {
  id: number;
  publicId: string;
  email: string;
  password: string;
  /** Headers that authenticate an API request with this user's token. */
  bearer: { authorization: string };
}

let counter = 0;

export async function addUser(app: FastifyInstance, role: UserRole, eventSlug?: string, name?: string): Promise<TestUser> {
  counter += 1;
  const email = `${role}${counter}@example.org`;
  const password = `correct horse ${counter} battery`;
  const eventId = eventSlug ? findEventBySlug(app.db, eventSlug)!.id : null;
  const user = await createUser(app.db, { email, name: name ?? `${role} ${counter}`, password, role, eventId }, new Date());
  const { token } = createApiToken(app.db, user.id, 'tests', new Date());
  return { id: user.id, publicId: user.publicId, email, password, bearer: { authorization: `Bearer ${token}` } };
}

/**
 * A browser signed in as this user the way a person signs in: it opens the real /login form and
 * sends it with its CSRF token, then holds the session cookie the answer set. `next` opens the
 * form as /login?next=… (where it then leads); by default there is none.
 */
export async function signIn(app: FastifyInstance, user: TestUser, options: { next?: string } = {}): Promise<Browser> {
  const browser = new Browser(app);
  const login = options.next === undefined ? '/login' : `/login?next=${encodeURIComponent(options.next)}`;
  const response = await browser.submit(login, { email: user.email, password: user.password }, { keep: 'hidden' });
  expect(response.statusCode).toBe(303);
  expect(browser.cookies.has('forum_session')).toBe(true);
  return browser;
}

/**
 * Signs in through POST /api/v1/auth/login as a script does, from this client address: the raw
 * answer, whose status is the test's to check (refusals included). Like such a script it sends
 * no Accept-Language: a refusal's title is in French, the app's default.
 */
export function apiSignIn(app: FastifyInstance, credentials: { email: string; password: string }, remoteAddress?: string): Promise<LightMyRequestResponse> {
  return apiAs(app, {}, { language: null, remoteAddress }).post('/api/v1/auth/login', { email: credentials.email, password: credentials.password });
}

/** The header that sends back the session cookie an answer set, as a script keeps it (for apiAs). */
export function sessionCookie(response: LightMyRequestResponse): { cookie: string } {
  return { cookie: `forum_session=${response.cookies.find((c) => c.name === 'forum_session')!.value}` };
}
