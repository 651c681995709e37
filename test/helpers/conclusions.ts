// Conclusions in tests: a content builder and the calls of the conclusions API (assign a
// rapporteur, save, move along the workflow, publish), all through app.inject().
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ConclusionContent } from '../../server/db/schema.ts';

export type Auth = { authorization: string } | Record<string, never>;

/** Conclusions content with every field set, overridden as given. */
export function content(overrides: Partial<ConclusionContent> = {}): ConclusionContent {
  return {
    language: 'fr',
    summary: 'Résumé de la session',
    keyPoints: [],
    challenges: '',
    recommendations: [],
    followUps: [],
    participants: null,
    ...overrides,
  };
}

export const sessionsUrl = (slug: string) => `/api/v1/events/${slug}/sessions`;
export const conclusionsUrl = (slug: string, sessionId: string) => `${sessionsUrl(slug)}/${sessionId}/conclusions`;

/** A JSON request with these headers, answers asked in English. */
export function call(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, auth: Auth = {}, body?: unknown): Promise<LightMyRequestResponse> {
  return app.inject({
    method, url,
    headers: { 'accept-language': 'en', ...auth },
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

/** The JSON body of an answer with this status; fails with the body otherwise. */
export function json<T = any>(response: LightMyRequestResponse, status = 200): T {
  expect(response.statusCode, response.body).toBe(status);
  return response.json() as T;
}

interface Item { id: string; title?: { fr?: string }; position?: number }

/** The event's sessions, as an organiser lists them. */
export async function sessionsOf(app: FastifyInstance, organiser: Auth, slug: string): Promise<(Item & { title: { fr: string }; kind: string })[]> {
  return json(await call(app, 'GET', sessionsUrl(slug), organiser)).items;
}

/** The public id of the event's one session with this French title. */
export async function sessionId(app: FastifyInstance, organiser: Auth, slug: string, fr: string): Promise<string> {
  const found = (await sessionsOf(app, organiser, slug)).filter((s) => s.title.fr === fr);
  expect(found.map((s) => s.title.fr)).toEqual([fr]);
  return found[0]!.id;
}

/** The event's expected outputs in their order: the first is output 1. */
export async function outputIds(app: FastifyInstance, organiser: Auth, slug: string): Promise<string[]> {
  const items: { id: string; position: number }[] = json(await call(app, 'GET', `/api/v1/events/${slug}/outputs`, organiser)).items;
  return [...items].sort((a, b) => a.position - b.position).map((o) => o.id);
}

/** Assigns a rapporteur to a session, as an organiser of the event. */
export async function assign(app: FastifyInstance, organiser: Auth, slug: string, session: string, rapporteur: { publicId: string }) {
  return json(await call(app, 'POST', `${sessionsUrl(slug)}/${session}/rapporteurs`, organiser, { user: rapporteur.publicId }), 201);
}

/** PUT conclusions; the raw answer. */
export function save(app: FastifyInstance, auth: Auth, slug: string, session: string, baseRevision: number, body: ConclusionContent, submit?: boolean) {
  return call(app, 'PUT', conclusionsUrl(slug, session), auth, { baseRevision, content: body, ...(submit === undefined ? {} : { submit }) });
}

/** POST a transition; the raw answer. */
export function transition(app: FastifyInstance, auth: Auth, slug: string, session: string, action: string, revision: number, comment?: string) {
  return call(app, 'POST', `${conclusionsUrl(slug, session)}/transitions`, auth, { action, revision, ...(comment === undefined ? {} : { comment }) });
}

/** GET a session's conclusions as they stand. */
export async function current(app: FastifyInstance, auth: Auth, slug: string, session: string) {
  return json(await call(app, 'GET', conclusionsUrl(slug, session), auth));
}

/** Submits, validates and publishes the latest revision, as an organiser; the conclusions after. */
export async function publish(app: FastifyInstance, organiser: Auth, slug: string, session: string, revision: number) {
  for (const action of ['submit', 'validate', 'publish']) {
    json(await transition(app, organiser, slug, session, action, revision));
  }
  return current(app, organiser, slug, session);
}

/** Saves these conclusions from what is there now and publishes them, as an organiser; the published revision. */
export async function saveAndPublish(app: FastifyInstance, organiser: Auth, slug: string, session: string, body: ConclusionContent): Promise<number> {
  const base = (await current(app, organiser, slug, session)).revision as number;
  const saved = await save(app, organiser, slug, session, base, body);
  expect([200, 201], saved.body).toContain(saved.statusCode);
  const revision = saved.json().data.revision as number;
  await publish(app, organiser, slug, session, revision);
  return revision;
}
