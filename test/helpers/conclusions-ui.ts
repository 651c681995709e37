// Conclusions in the page tests (test/conclusions/ui, leak, xss and the Chromium suite): the
// bundled programme's sessions and outputs, seeding through the conclusions API (assign a
// rapporteur, save, move along the workflow), and the rapporteurs' form sent as a browser
// without JavaScript sends it. Everything goes through app.inject(); nothing is mocked.
import * as cheerio from 'cheerio';
import type { FastifyInstance } from 'fastify';
import type { Response } from 'light-my-request';
import { expect } from 'vitest';
import type { ConclusionContent } from '../../server/db/schema.ts';
import { formOf, type Browser, type Fields } from './browser.ts';
import type { TestUser } from './auth.ts';

/** The rapporteurs' form on the conclusions page (the workflow buttons are other forms). */
export const CONCLUSIONS_FORM = 'main form.conclusions-form';

export const formPath = (slug: string, sessionId: string) => `/rapporteur/events/${slug}/sessions/${sessionId}`;
export const historyPath = (slug: string, sessionId: string) => `${formPath(slug, sessionId)}/history`;
export const overviewPath = (slug: string) => `/admin/events/${slug}/conclusions`;
const apiConclusions = (slug: string, sessionId: string) => `/api/v1/events/${slug}/sessions/${sessionId}/conclusions`;

/** Conclusions with only a summary, the rest as given. */
export function conclusions(summary: string, overrides: Partial<ConclusionContent> = {}): ConclusionContent {
  return { language: 'fr', summary, keyPoints: [], challenges: '', recommendations: [], followUps: [], participants: null, ...overrides };
}

/** A JSON call to the API as this user (answers in English). */
export function apiCall(app: FastifyInstance, user: TestUser | null, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) {
  return app.inject({
    method, url,
    headers: { 'accept-language': 'en', ...(user ? user.bearer : {}) },
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

function ok(response: Response, statuses: number[]): any {
  expect(statuses, `${response.statusCode}: ${response.body.slice(0, 1000)}`).toContain(response.statusCode);
  return response.json();
}

/** The event's sessions by French title, as its organisers list them. */
export async function sessionsByTitle(app: FastifyInstance, organiser: TestUser, slug: string): Promise<Record<string, string>> {
  const items: { id: string; title: { fr: string } }[] = ok(await apiCall(app, organiser, 'GET', `/api/v1/events/${slug}/sessions`), [200]).items;
  return Object.fromEntries(items.map((s) => [s.title.fr, s.id]));
}

/** The event's expected outputs' ids in their order: the first is "Résultat 1". */
export async function outputsInOrder(app: FastifyInstance, organiser: TestUser, slug: string): Promise<string[]> {
  const items: { id: string; position: number }[] = ok(await apiCall(app, organiser, 'GET', `/api/v1/events/${slug}/outputs`), [200]).items;
  return [...items].sort((a, b) => a.position - b.position).map((o) => o.id);
}

export async function assignRapporteur(app: FastifyInstance, organiser: TestUser, slug: string, sessionId: string, rapporteur: TestUser) {
  ok(await apiCall(app, organiser, 'POST', `/api/v1/events/${slug}/sessions/${sessionId}/rapporteurs`, { user: rapporteur.publicId }), [201]);
}

/** The conclusions as their writers read them through the API. */
export async function conclusionsNow(app: FastifyInstance, user: TestUser, slug: string, sessionId: string): Promise<{
  state: string; revision: number; publishedRevision: number | null; returnComment: string | null; content: ConclusionContent | null;
}> {
  return ok(await apiCall(app, user, 'GET', apiConclusions(slug, sessionId)), [200]);
}

/** Saves through the API from the latest revision; answers the new revision. */
export async function saveViaApi(app: FastifyInstance, user: TestUser, slug: string, sessionId: string, content: ConclusionContent, submit = false): Promise<number> {
  const base = (await conclusionsNow(app, user, slug, sessionId)).revision;
  return ok(await apiCall(app, user, 'PUT', apiConclusions(slug, sessionId), { baseRevision: base, content, submit }), [200, 201]).data.revision;
}

/** Takes workflow steps through the API on the latest revision. */
export async function stepsViaApi(app: FastifyInstance, user: TestUser, slug: string, sessionId: string, actions: string[], comment?: string) {
  for (const action of actions) {
    const revision = (await conclusionsNow(app, user, slug, sessionId)).revision;
    ok(await apiCall(app, user, 'POST', `${apiConclusions(slug, sessionId)}/transitions`, { action, revision, ...(comment ? { comment } : {}) }), [200]);
  }
}

/** Saves, submits, validates and publishes these conclusions as an organiser; answers the published revision. */
export async function publishViaApi(app: FastifyInstance, organiser: TestUser, slug: string, sessionId: string, content: ConclusionContent): Promise<number> {
  const revision = await saveViaApi(app, organiser, slug, sessionId, content, true);
  await stepsViaApi(app, organiser, slug, sessionId, ['validate', 'publish']);
  expect((await conclusionsNow(app, organiser, slug, sessionId)).publishedRevision).toBe(revision);
  return revision;
}

/** The values the conclusions form of a page would send, without its CSRF token. */
export function formValues(html: string): Fields {
  const { fields } = formOf(html, CONCLUSIONS_FORM);
  delete fields._csrf;
  return fields;
}

/** The non-empty values of the form (blank rows and fields left out), without token or base revision. */
export function filledValues(html: string): Fields {
  const values = formValues(html);
  delete values.baseRevision;
  return Object.fromEntries(Object.entries(values).filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== '')));
}

/** Sends the conclusions form of a page with these fields changed and this button pressed. */
export function sendConclusions(browser: Browser, html: string, changes: Fields, intent: 'save' | 'submit' | 'addRows' = 'save'): Promise<Response> {
  return browser.send(html, { ...changes, intent }, { form: CONCLUSIONS_FORM });
}

/** Presses a workflow button of the page ("validate", "return"…), with a comment if given. */
export function sendStep(browser: Browser, html: string, action: string, comment?: string): Promise<Response> {
  return browser.send(html, comment === undefined ? {} : { comment }, { form: `main form.conclusions-step:has(input[name="action"][value="${action}"])` });
}

/** The workflow buttons a page offers, by action. */
export function stepsOffered(html: string): string[] {
  const $ = cheerio.load(html);
  return $('main form.conclusions-step input[name="action"]').toArray().map((el) => $(el).attr('value') ?? '');
}
