// Conclusions in tests: a content builder, and the steps of their workflow through the real
// conclusions API (assign a rapporteur, save, move along, publish), each taken with the API
// client (apiAs) of whoever takes it, so that who may do what is the app's to decide. save and
// transition answer as the app does, for the tests of refusals; the other steps seed, and check
// that they happened, so that a test never goes on from a step that did not.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ConclusionContent } from '../../server/db/schema.ts';
import { eventPath, ok, type Api } from './api.ts';

/** Conclusions content with every field set (a summary, the rest empty), overridden as given. */
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

export const conclusionsUrl = (slug: string, sessionId: string) => `${eventPath(slug)}/sessions/${sessionId}/conclusions`;

/** A session's conclusions as their writers read them (the parts the seeding steps use). */
export interface ConclusionsNow {
  state: string;
  revision: number;
  publishedRevision: number | null;
  returnComment: string | null;
  content: ConclusionContent | null;
}

/** The event's expected outputs' ids in their order: the first is output 1 ("Résultat 1"). */
export async function outputIds(api: Api, slug: string): Promise<string[]> {
  const items = ok<{ items: { id: string; position: number }[] }>(await api.get(`${eventPath(slug)}/outputs`)).items;
  return [...items].sort((a, b) => a.position - b.position).map((o) => o.id);
}

/** Assigns a rapporteur to a session (201 expected), as an organiser of the event; the answer's body. */
export async function assign(api: Api, slug: string, sessionId: string, rapporteur: { publicId: string }) {
  return ok(await api.post(`${eventPath(slug)}/sessions/${sessionId}/rapporteurs`, { user: rapporteur.publicId }), 201);
}

/** A session's conclusions as they stand (200 expected). */
export async function current(api: Api, slug: string, sessionId: string): Promise<ConclusionsNow> {
  return ok<ConclusionsNow>(await api.get(conclusionsUrl(slug, sessionId)));
}

/** PUT conclusions from this base revision, with `submit` when given; the raw answer. */
export function save(api: Api, slug: string, sessionId: string, baseRevision: number, body: ConclusionContent, options: { submit?: boolean } = {}): Promise<LightMyRequestResponse> {
  return api.put(conclusionsUrl(slug, sessionId), { baseRevision, content: body, ...(options.submit === undefined ? {} : { submit: options.submit }) });
}

/** POST a workflow step naming this revision, with a comment when given; the raw answer. */
export function transition(api: Api, slug: string, sessionId: string, action: string, revision: number, comment?: string): Promise<LightMyRequestResponse> {
  return api.post(`${conclusionsUrl(slug, sessionId)}/transitions`, { action, revision, ...(comment === undefined ? {} : { comment }) });
}

/** Saves from the latest revision, submitting or not (submit: false is sent too); 200 or 201 expected; the revision after. */
export async function saveLatest(api: Api, slug: string, sessionId: string, body: ConclusionContent, options: { submit?: boolean } = {}): Promise<number> {
  const base = (await current(api, slug, sessionId)).revision;
  return ok<{ data: { revision: number } }>(await save(api, slug, sessionId, base, body, { submit: options.submit ?? false }), [200, 201]).data.revision;
}

/**
 * Takes these workflow steps one after the other (each 200 expected), with the comment when
 * given: each on the latest revision as read just before it, or all on `revision` when given
 * (then a step fails if the conclusions are no longer at that revision).
 */
export async function steps(api: Api, slug: string, sessionId: string, actions: string[], options: { comment?: string; revision?: number } = {}) {
  for (const action of actions) {
    const revision = options.revision ?? (await current(api, slug, sessionId)).revision;
    ok(await transition(api, slug, sessionId, action, revision, options.comment));
  }
}

/** Saves these conclusions from the latest revision, submitting them, then validates and publishes them (an organiser's client); the published revision. */
export async function publish(api: Api, slug: string, sessionId: string, body: ConclusionContent): Promise<number> {
  const revision = await saveLatest(api, slug, sessionId, body, { submit: true });
  await steps(api, slug, sessionId, ['validate', 'publish']);
  expect((await current(api, slug, sessionId)).publishedRevision).toBe(revision);
  return revision;
}
