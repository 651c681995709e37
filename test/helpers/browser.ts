// A browser for tests, as one without JavaScript: a cookie jar that keeps what the app sets on
// every answer (a form's too: signing in, the preview switch, signing out) and sends it back,
// and a page's forms sent as such a browser sends them, through that same jar, so that a
// form's CSRF token always goes with the secret cookie of the browser that got the page.
import * as cheerio from 'cheerio';
import type { FastifyInstance } from 'fastify';
import type { Response } from 'light-my-request';
import { expect } from 'vitest';

/** Form fields; a name with several values (ticked boxes, a list) is sent once for each, in order. */
export type Fields = Record<string, string | string[]>;

/** The edit form of a workspace page: not the page's first form, which is the navigation's preview button. */
export const ADMIN_FORM = 'main form.admin-form';

export interface SendOptions {
  /** Which form of the page: the first matching this selector (`main form` when not given). */
  form?: string;
  /**
   * Which of the form's own fields go with the given ones (given ones win): `all` of them as
   * the page shows them, ticked boxes only, which is what a browser sends (when not given);
   * or the `hidden` ones only (CSRF token, next…), for a form whose every field the test types.
   */
  keep?: 'all' | 'hidden';
}

export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly app: FastifyInstance, readonly remoteAddress = '127.0.0.1') {}

  private headers(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  private remember(response: Response): Response {
    for (const c of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const expired = c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now());
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }

  async get(url: string): Promise<Response> {
    return this.remember(await this.app.inject({ method: 'GET', url, headers: this.headers(), remoteAddress: this.remoteAddress }));
  }

  /** Opens a page and expects a 200; its HTML. */
  async open(url: string): Promise<string> {
    const page = await this.get(url);
    expect(page.statusCode, `${url}: ${page.body.slice(0, 500)}`).toBe(200);
    return page.body;
  }

  /** Posts fields as application/x-www-form-urlencoded, with the cookies, keeping those of the answer. */
  async post(url: string, fields: Fields): Promise<Response> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    return this.remember(await this.app.inject({
      method: 'POST',
      url,
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
      remoteAddress: this.remoteAddress,
    }));
  }

  /** Sends a form of this HTML page to its action, with these fields over the form's own (see SendOptions). */
  send(html: string, fields: Fields, options: SendOptions = {}): Promise<Response> {
    const form = formOf(html, options.form);
    return this.post(form.action, { ...(options.keep === 'hidden' ? form.hidden : form.fields), ...fields });
  }

  /** Opens a page (a 200 expected) and sends its form with these fields (see SendOptions). */
  async submit(pageUrl: string, fields: Fields, options: SendOptions = {}): Promise<Response> {
    return this.send(await this.open(pageUrl), fields, options);
  }
}

/**
 * A form of the page (the first matching `selector`): its action, its hidden fields, and every
 * field a browser would send for it as it stands (ticked boxes only, a select's chosen option).
 */
export function formOf(html: string, selector = 'main form'): { action: string; hidden: Record<string, string>; fields: Fields } {
  const $ = cheerio.load(html);
  const form = $(selector).first();
  if (form.length === 0) throw new Error(`no form ${selector}`);
  const hidden: Record<string, string> = {};
  form.find('input[type="hidden"]').each((_, input) => { hidden[$(input).attr('name')!] = $(input).attr('value') ?? ''; });
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
  return { action: form.attr('action')!, hidden, fields };
}

/** The page's HTML, to query with selectors. */
export function $(html: string) {
  return cheerio.load(html);
}

/** The text of the elements matching a selector, whitespace collapsed. */
export function texts(html: string, selector: string): string[] {
  const $ = cheerio.load(html);
  return $(selector).toArray().map((el) => $(el).text().replace(/\s+/g, ' ').trim());
}
