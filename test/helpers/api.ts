// The one client of the JSON API in tests, as a script calls it: JSON bodies, If-Match, the
// caller's headers (an API token, or a session cookie) on every request, English answers unless
// told otherwise, and exact checks of problem+json answers.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

export type Headers = Record<string, string>;
export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Titles of the problem documents, in English (requests send Accept-Language: en). */
export const PROBLEM_TITLES: Record<number, string> = {
  401: 'Sign-in required',
  403: 'Access denied',
  404: 'Page not found',
  409: 'Edit conflict',
  415: 'Unsupported format',
  422: 'Invalid data',
  428: 'Version required',
};

export interface Api {
  send(method: Method, url: string, body?: unknown, headers?: Headers): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body: unknown): Promise<LightMyRequestResponse>;
  /** ifMatch: a version (sent as "3"), a raw header value, or null for none. */
  patch(url: string, body: unknown, ifMatch: number | string | null): Promise<LightMyRequestResponse>;
  delete(url: string, ifMatch?: number | string | null): Promise<LightMyRequestResponse>;
}

function ifMatchHeader(ifMatch: number | string | null | undefined): Headers {
  if (ifMatch === null || ifMatch === undefined) return {};
  return { 'if-match': typeof ifMatch === 'number' ? `"${ifMatch}"` : ifMatch };
}

export interface ApiOptions {
  /**
   * The Accept-Language of every request: 'en' when not given, so that problem titles are
   * the English ones of PROBLEM_TITLES; null sends none, and the app answers in French, its
   * default (what a test of a script that sends none relies on).
   */
  language?: string | null;
  /** The client's address, when it matters (the sign-in limit counts per address). */
  remoteAddress?: string;
}

/** A client that sends every request with these (authentication) headers: a token, a session cookie, or none. */
export function apiAs(app: FastifyInstance, auth: Headers = {}, options: ApiOptions = {}): Api {
  const language = options.language === undefined ? 'en' : options.language;
  const send = (method: Method, url: string, body?: unknown, headers: Headers = {}) =>
    app.inject({
      method,
      url,
      headers: { ...(language === null ? {} : { 'accept-language': language }), ...auth, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
      ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
    });
  return {
    send,
    get: (url) => send('GET', url),
    post: (url, body) => send('POST', url, body),
    put: (url, body) => send('PUT', url, body),
    patch: (url, body, ifMatch) => send('PATCH', url, body, ifMatchHeader(ifMatch)),
    delete: (url, ifMatch) => send('DELETE', url, undefined, ifMatchHeader(ifMatch)),
  };
}

export const eventPath = (slug: string) => `/api/v1/events/${slug}`;

/**
 * The JSON body of an answer with this status (200 when not given), or with one of these
 * statuses (say [200, 201] for a save that may or may not add a revision); fails the test
 * with the body otherwise.
 */
export function ok<T = Record<string, unknown>>(response: LightMyRequestResponse, status: number | number[] = 200): T {
  if (Array.isArray(status)) expect(status, `${response.statusCode}: ${response.body.slice(0, 1000)}`).toContain(response.statusCode);
  else expect(response.statusCode, response.body).toBe(status);
  return response.json() as T;
}

/**
 * Checks a problem+json answer exactly: status, content type, type URI, English title, and
 * every other member (detail, errors, current…) given in `members`. Returns the body.
 */
export function expectProblem(
  response: LightMyRequestResponse,
  publicUrl: string,
  status: number,
  problem: string | null,
  members: Record<string, unknown> = {},
): Record<string, unknown> {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const body = response.json() as Record<string, unknown>;
  expect(body).toEqual({
    type: problem ? `${publicUrl}/api/docs#problem-${problem}` : 'about:blank',
    title: PROBLEM_TITLES[status],
    status,
    ...members,
  });
  return body;
}

/** A 422 from the service or the schema, with exactly these field errors. */
export function expectInvalid(response: LightMyRequestResponse, publicUrl: string, errors: { pointer: string; detail: string }[], detail?: string) {
  return expectProblem(response, publicUrl, 422, 'validation', {
    detail: detail ?? errors.map((e) => `${e.pointer.slice(2)}: ${e.detail}`).join('; '),
    errors,
  });
}

interface Identified { id: string; version: number }

/** Every item of a collection of the event (`rooms`, `sessions`…), as the API lists them. */
export async function listOf<T extends Identified = Identified & Record<string, unknown>>(api: Api, slug: string, collection: string): Promise<T[]> {
  return ok<{ items: T[] }>(await api.get(`${eventPath(slug)}/${collection}`)).items;
}

/** The one session of the event with this French title. */
export async function sessionTitled(api: Api, slug: string, fr: string): Promise<SessionOut> {
  const found = (await listOf<SessionOut>(api, slug, 'sessions')).filter((s) => s.title.fr === fr);
  expect(found.map((s) => s.title.fr)).toEqual([fr]);
  return found[0]!;
}

/** The ids of the event's sessions by their French titles. */
export async function sessionsByTitle(api: Api, slug: string): Promise<Record<string, string>> {
  return Object.fromEntries((await listOf<SessionOut>(api, slug, 'sessions')).map((s) => [s.title.fr!, s.id]));
}

export type Text = Partial<Record<'fr' | 'en' | 'es', string>>;

export interface SessionOut {
  id: string;
  kind: string;
  status: string;
  title: Text;
  description: Text | null;
  part: string | null;
  slot: string | null;
  room: string | null;
  contributors: { role: string; person: string | null; organisation: string | null }[];
  outputs: string[];
  start: string | null;
  end: string | null;
  version: number;
}

export interface Written<T> {
  data: T;
  warnings: Record<string, unknown>[];
}
