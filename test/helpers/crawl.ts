// The leak crawl's machinery: reads addresses as a role (anonymously, or with a role's session
// cookie), follows every link its answers hold (href, src, action, and the addresses written
// in JSON, iCalendar, XML, CSV or Markdown), and looks in each answer for every secret, in the
// forms an answer could carry it (as is, percent-encoded, HTML-escaped). Only public addresses
// are read as a role: those that answer 200 to an anonymous reader, since a role's own pages
// (its workspace, its forms) show it what it may see. Bounded: past `max` addresses a role's
// crawl stops, and the test says so.
import * as cheerio from 'cheerio';
import type { FastifyInstance } from 'fastify';
import Handlebars from 'handlebars';

export interface Secret {
  /** What it is, for the failure message ("draft session title"). */
  name: string;
  value: string;
  /** The one role that may see it (a signed-in person's own name, in the page's header). */
  owner?: string;
}

export interface RoleCrawl {
  role: string;
  /** Public addresses read as this role. */
  addresses: string[];
  /** Addresses found that are not public (read by nobody but their owners): not read as this role. */
  skipped: number;
  /** Whether the crawl stopped at its bound. */
  bounded: boolean;
}

/**
 * The Accept-Language each address is read with, in turn: pages and feeds also link to their
 * ?lang= versions, so every language is read through both.
 */
export const LANGUAGES = ['fr', 'en', 'es'] as const;

/**
 * At most this many addresses of one shape (the path, and the query's names without their
 * values) are read: the programme's filters (a speaker, a day, a language) combine into
 * hundreds of views of the same page, a few of which show what the others show.
 */
const PER_SHAPE = 6;

/** An address's shape: its path and the names of its query's parameters. */
function shapeOf(url: string): string {
  const [path, query = ''] = url.split('?');
  return `${path}?${query.split('&').map((p) => p.split('=')[0]).join('&')}`;
}

/** Static files: the same for everyone, and none is written from the database. */
const STATIC = /^\/assets\//;

/** An answer as a reader reads it: iCalendar lines unfolded, so that a folded secret is still found. */
function readable(contentType: string, body: string): string {
  return contentType.startsWith('text/calendar') ? body.replace(/\r?\n[ \t]/g, '') : body;
}

/** The forms a secret could take in an answer. */
function variants(value: string): string[] {
  return [...new Set([value, encodeURIComponent(value), Handlebars.escapeExpression(value), JSON.stringify(value).slice(1, -1)])];
}

export class LeakCrawl {
  /** Address → whether it answers 200 to an anonymous reader. */
  private readonly publicness = new Map<string, boolean>();
  private readonly searched: { name: string; owner?: string; forms: string[] }[];
  readonly hits: string[] = [];
  /** Every address read, anonymously, with a 200. */
  readonly publicAddresses = new Set<string>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly publicUrl: string,
    secrets: Secret[],
    private readonly max: number,
  ) {
    this.searched = secrets.map((s) => ({ name: s.name, owner: s.owner, forms: variants(s.value) }));
  }

  /** The path and query of a link, when it leads into the app; null otherwise (another site, mailto:…). */
  private normalise(link: string, from: string): string | null {
    let url: URL;
    try {
      url = new URL(link.trim(), `${this.publicUrl}${from}`);
    } catch {
      return null;
    }
    if (url.origin !== new URL(this.publicUrl).origin) return null;
    if (STATIC.test(url.pathname)) return null;
    return `${url.pathname}${url.search}`;
  }

  /** Every address an answer links to. */
  private links(from: string, contentType: string, body: string): string[] {
    const found: string[] = [];
    if (contentType.startsWith('text/html')) {
      const $ = cheerio.load(body);
      $('a[href], link[href], area[href]').each((_, el) => { found.push($(el).attr('href')!); });
      $('script[src], img[src], iframe[src], source[src]').each((_, el) => { found.push($(el).attr('src')!); });
      $('form[action]').each((_, el) => { found.push($(el).attr('action')!); });
    }
    const escaped = this.publicUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const m of body.matchAll(new RegExp(`${escaped}(/[^\\s"'<>\\\\)\\]]*)`, 'g'))) found.push(m[1]!);
    // Addresses written as paths in JSON ("/events/…", "/api/v1/…", "/my/…").
    for (const m of body.matchAll(/"(\/(?:events|api|my|speakers)[^"\s\\]*)"/g)) found.push(m[1]!);
    return found.map((link) => this.normalise(link.replace(/&amp;/g, '&'), from)).filter((l): l is string => l !== null);
  }

  /** Looks for every secret in an answer; a hit names the role, the address and the secret. */
  private search(role: string, url: string, language: string, text: string) {
    for (const secret of this.searched) {
      if (secret.owner !== role && secret.forms.some((form) => text.includes(form))) this.hits.push(`${role} ${url} (${language}): ${secret.name}`);
    }
  }

  private async read(url: string, headers: Record<string, string>) {
    const response = await this.app.inject({ method: 'GET', url, headers });
    const contentType = String(response.headers['content-type'] ?? '');
    const extra = [response.headers.location, response.headers.link].filter((h) => h !== undefined).join('\n');
    return { status: response.statusCode, contentType, text: `${readable(contentType, response.body)}\n${extra}` };
  }

  /** Whether an anonymous reader gets this address (200); asked once per address. */
  async isPublic(url: string): Promise<boolean> {
    const known = this.publicness.get(url);
    if (known !== undefined) return known;
    const { status } = await this.read(url, { 'accept-language': 'fr' });
    this.publicness.set(url, status === 200);
    return status === 200;
  }

  /**
   * Reads every public address reachable from the seeds as this role (with its headers: a
   * session cookie, or none), in every language, and looks for the secrets in each answer.
   */
  async crawl(role: string, headers: Record<string, string>, seeds: Iterable<string>): Promise<RoleCrawl> {
    const queue = [...seeds];
    const seen = new Set<string>();
    const shapes = new Map<string, number>();
    const addresses: string[] = [];
    const anonymous = Object.keys(headers).length === 0;
    let skipped = 0;
    while (queue.length > 0 && addresses.length < this.max) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const shape = shapeOf(url);
      if ((shapes.get(shape) ?? 0) >= PER_SHAPE) continue;
      const language = LANGUAGES[addresses.length % LANGUAGES.length]!;
      // An anonymous reader's answer says itself whether the address is public; a role reads public ones only.
      if (!anonymous && !(await this.isPublic(url))) { skipped += 1; continue; }
      const answer = await this.read(url, { ...headers, 'accept-language': language });
      if (anonymous) {
        this.publicness.set(url, answer.status === 200);
        if (answer.status !== 200) { skipped += 1; continue; }
        this.publicAddresses.add(url);
      }
      shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
      addresses.push(url);
      // A public address that answers this role otherwise (a redirect, say) shows it nothing.
      if (answer.status !== 200) continue;
      this.search(role, url, language, answer.text);
      queue.push(...this.links(url, answer.contentType, answer.text).filter((l) => !seen.has(l)));
    }
    return { role, addresses, skipped, bounded: queue.some((url) => !seen.has(url)) };
  }
}

/** A route's address with these values for its parameters, every combination. */
export function instantiate(pattern: string, values: (param: string, before: string) => string[] | null): string[] | null {
  const segments = pattern.split('/');
  let addresses = [''];
  for (let i = 1; i < segments.length; i += 1) {
    const segment = segments[i]!;
    if (segment.startsWith(':') || segment === '*') {
      const options = values(segment, segments[i - 1] ?? '');
      if (options === null) return null;
      addresses = addresses.flatMap((a) => options.map((o) => `${a}/${encodeURIComponent(o)}`));
    } else {
      addresses = addresses.map((a) => `${a}/${segment}`);
    }
  }
  return addresses.map((a) => a || '/');
}
