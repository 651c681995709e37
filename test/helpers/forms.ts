// Using the organisers' pages in tests as a browser does: signing in through /login, and
// sending a page's form with every field it holds (typed values over the form's own), ticked
// boxes only, as a browser with JavaScript disabled would.
import * as cheerio from 'cheerio';
import type { FastifyInstance } from 'fastify';
import type { Response } from 'light-my-request';
import { expect } from 'vitest';
import { Browser } from './browser.ts';
import type { TestUser } from './auth.ts';

export type Fields = Record<string, string | string[]>;

export async function signIn(app: FastifyInstance, user: TestUser): Promise<Browser> {
  const browser = new Browser(app);
  const response = await browser.submit('/login', { email: user.email, password: user.password });
  expect(response.statusCode).toBe(303);
  return browser;
}

/** Every field a browser would send for a form of the page, as it stands. */
export function formFields(html: string, selector = 'main form.admin-form'): { action: string; fields: Fields } {
  const $ = cheerio.load(html);
  const form = $(selector).first();
  if (form.length === 0) throw new Error(`no form ${selector}`);
  const fields: Fields = {};
  const add = (name: string, value: string) => {
    const existing = fields[name];
    if (existing === undefined) fields[name] = value;
    else fields[name] = [...(Array.isArray(existing) ? existing : [existing]), value];
  };
  form.find('input, select, textarea').each((_, el) => {
    const node = $(el);
    const name = node.attr('name');
    if (!name) return;
    if (el.tagName === 'select') {
      const selected = node.find('option[selected]').first();
      add(name, (selected.length ? selected : node.find('option').first()).attr('value') ?? '');
    } else if (el.tagName === 'textarea') {
      add(name, node.text());
    } else if (node.attr('type') === 'checkbox' || node.attr('type') === 'radio') {
      if (node.attr('checked') !== undefined) add(name, node.attr('value') ?? 'on');
    } else {
      add(name, node.attr('value') ?? '');
    }
  });
  return { action: form.attr('action')!, fields };
}

/** Posts fields as application/x-www-form-urlencoded with the browser's cookies. */
export async function post(app: FastifyInstance, browser: Browser, url: string, fields: Fields): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  return app.inject({
    method: 'POST', url, payload: body.toString(), remoteAddress: browser.remoteAddress,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** Sends the form of an HTML page with these fields changed (the others as the page has them). */
export async function sendForm(app: FastifyInstance, browser: Browser, html: string, changes: Fields, selector?: string): Promise<Response> {
  const { action, fields } = formFields(html, selector);
  return post(app, browser, action, { ...fields, ...changes });
}

/** Opens a page (200 expected) and sends its form with these changes. */
export async function submitPage(app: FastifyInstance, browser: Browser, url: string, changes: Fields, selector?: string): Promise<Response> {
  const page = await browser.get(url);
  expect(page.statusCode, `${url}: ${page.body.slice(0, 500)}`).toBe(200);
  return sendForm(app, browser, page.body, changes, selector);
}

export function $(html: string) {
  return cheerio.load(html);
}
