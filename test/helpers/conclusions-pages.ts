// The conclusions pages in tests (the rapporteurs' form and history, the organisers'
// overview), as a browser without JavaScript uses them: their addresses, the values their form
// holds, and its buttons pressed through a Browser. Seeding goes through the API instead
// (conclusions.ts).
import * as cheerio from 'cheerio';
import type { Response } from 'light-my-request';
import { formOf, type Browser, type Fields } from './browser.ts';

/** The rapporteurs' form on the conclusions page (the workflow buttons are other forms). */
export const CONCLUSIONS_FORM = 'main form.conclusions-form';

export const formPath = (slug: string, sessionId: string) => `/rapporteur/events/${slug}/sessions/${sessionId}`;
export const historyPath = (slug: string, sessionId: string) => `${formPath(slug, sessionId)}/history`;
export const overviewPath = (slug: string) => `/admin/events/${slug}/conclusions`;

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
