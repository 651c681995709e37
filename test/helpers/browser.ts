// A browser for tests: keeps the cookies the app sets and sends them back, and submits a
// page's form the way a person would (with the form's hidden fields, CSRF token included).
import * as cheerio from 'cheerio';
import type { FastifyInstance } from 'fastify';
import type { Response } from 'light-my-request';

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

  async post(url: string, fields: Record<string, string>): Promise<Response> {
    return this.remember(await this.app.inject({
      method: 'POST',
      url,
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
      remoteAddress: this.remoteAddress,
    }));
  }

  /** Opens a page and sends its form (the first one matching `selector`) with these fields over its hidden ones. */
  async submit(pageUrl: string, fields: Record<string, string>, selector = 'main form'): Promise<Response> {
    const page = await this.get(pageUrl);
    if (page.statusCode !== 200) throw new Error(`${pageUrl}: ${page.statusCode}`);
    const form = formOf(page.body, selector);
    return this.post(form.action, { ...form.hidden, ...fields });
  }
}

/** The action and hidden fields of a form of the page. */
export function formOf(html: string, selector = 'main form'): { action: string; hidden: Record<string, string> } {
  const $ = cheerio.load(html);
  const form = $(selector).first();
  if (form.length === 0) throw new Error(`no form ${selector}`);
  const hidden: Record<string, string> = {};
  form.find('input[type="hidden"]').each((_, input) => { hidden[$(input).attr('name')!] = $(input).attr('value') ?? ''; });
  return { action: form.attr('action')!, hidden };
}

/** The text of the elements matching a selector, whitespace collapsed. */
export function texts(html: string, selector: string): string[] {
  const $ = cheerio.load(html);
  return $(selector).toArray().map((el) => $(el).text().replace(/\s+/g, ' ').trim());
}
