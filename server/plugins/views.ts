// Handlebars pages in the site layout. Every visible word goes through the `t` helper;
// content text carries its own language so a fallback is marked with lang="…".
import fs from 'node:fs';
import path from 'node:path';
import fastifyView from '@fastify/view';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import Handlebars from 'handlebars';
import { PROJECT_ROOT } from '../config.ts';
import { LANGUAGES, type Language } from '../db/schema.ts';
import { isLanguage, isMessageKey, translate } from '../i18n/index.ts';
import { rememberLanguage } from '../i18n/request.ts';

export const VIEWS_DIR = path.join(PROJECT_ROOT, 'views');

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Escapes what can break out of text or a double-quoted attribute, and nothing more, so
 * French apostrophes stay readable in the source ("d'un", not "d&#x27;un"). Every attribute
 * in views/ is double-quoted; test/views.test.ts keeps it so.
 */
function escapeHtml(value: unknown): string {
  if (value instanceof Handlebars.SafeString) return value.toHTML();
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]!);
}

function createHandlebars() {
  // Handlebars' compiled templates read the escaper from its shared Utils object.
  Handlebars.Utils.escapeExpression = escapeHtml;
  const hbs = Handlebars.create();
  // Templates are not type-checked: test/i18n checks the keys they write, and this the keys they are given.
  hbs.registerHelper('t', function (this: unknown, key: unknown, options: Handlebars.HelperOptions) {
    if (!isMessageKey(key)) throw new Error(`Missing UI string "${String(key)}"`);
    return translate(options.data.root.locale as Language, key, options.hash as Record<string, unknown>);
  });
  // Emits ` lang="xx"` only where a text is not in the page's language (a translation fell back).
  hbs.registerHelper('lang', function (this: unknown, value: { lang?: string } | null | undefined, options: Handlebars.HelperOptions) {
    if (!value?.lang || value.lang === options.data.root.locale) return '';
    return new hbs.SafeString(` lang="${hbs.escapeExpression(value.lang)}"`);
  });
  // Says visibly that a text is shown in a fallback language: " (en français)", in the page's language.
  hbs.registerHelper('fallback', function (this: unknown, value: { lang?: string } | null | undefined, options: Handlebars.HelperOptions) {
    const locale = options.data.root.locale as Language;
    if (!value?.lang || value.lang === locale || !isLanguage(value.lang)) return '';
    return new hbs.SafeString(` <span class="fallback-note" lang="${hbs.escapeExpression(locale)}">${hbs.escapeExpression(translate(locale, `texts.fallback.${value.lang}`))}</span>`);
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // Data for a <script type="application/ld+json">: JSON, with every "<" escaped so that no
  // text in it can close the element or open a comment.
  hbs.registerHelper('scriptJson', (value: unknown) => new hbs.SafeString(JSON.stringify(value).replace(/</g, '\\u003c')));
  // 0 is a count worth showing: {{#if}} would hide it.
  hbs.registerHelper('isNumber', (a: unknown) => typeof a === 'number' && Number.isFinite(a));
  return hbs;
}

function listPartials(): Record<string, string> {
  const dir = path.join(VIEWS_DIR, 'partials');
  const partials: Record<string, string> = {};
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith('.hbs')) partials[name.slice(0, -4)] = `partials/${name}`;
  }
  return partials;
}

export interface PageContext {
  /** The page's <title>, before the site name. */
  title: string;
  /** The event whose pages these are, for the navigation. */
  event?: { slug: string; title: { text: string; lang: string } | null; url: string } | null;
  /** Which navigation entry is current. */
  section?: string;
  [key: string]: unknown;
}

/** Query parameters that confirm an action just done ("saved"): the page in another language is not a confirmation. */
const ONE_TIME_PARAMETERS = ['saved'];

/** Language switch links: the same address with ?lang= set, other parameters kept. */
export function languageLinks(request: FastifyRequest, current: Language) {
  const url = new URL(request.url, 'http://localhost');
  for (const name of ONE_TIME_PARAMETERS) url.searchParams.delete(name);
  return LANGUAGES.map((code) => {
    url.searchParams.set('lang', code);
    return { code, label: translate(code, `language.${code}`), href: `${url.pathname}?${url.searchParams.toString()}`, current: code === current };
  });
}

async function viewsPlugin(app: FastifyInstance, options: { publicUrl: string }) {
  await app.register(fastifyView, {
    engine: { handlebars: createHandlebars() },
    root: VIEWS_DIR,
    layout: 'layouts/main.hbs',
    options: { partials: listPartials() },
    // Templates are compiled once; the process restarts to pick up edits.
    production: true,
  });
  const pageData = (request: FastifyRequest, locale: Language, context: PageContext) => {
    const languages = languageLinks(request, locale);
    return {
      ...context,
      locale,
      languages,
      // Absolute addresses for search engines and shared links: the page in this language, and its translations.
      canonicalUrl: `${options.publicUrl}${languages.find((l) => l.current)!.href}`,
      alternates: languages.map((l) => ({ code: l.code, url: `${options.publicUrl}${l.href}` })),
      siteName: translate(locale, 'site.name'),
    };
  };
  app.decorateReply('page', function (this: FastifyReply, template: string, locale: Language, context: PageContext) {
    rememberLanguage(this.request, this);
    this.header('Content-Language', locale);
    return this.type('text/html; charset=utf-8').view(template, pageData(this.request, locale, context));
  });
  // For the few answers given before a reply has its decorators (router-level errors).
  app.decorate('renderPage', function (request: FastifyRequest, template: string, locale: Language, context: PageContext) {
    return app.view(template, pageData(request, locale, context));
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Renders a page of views/ in the site layout to a string. */
    renderPage(request: FastifyRequest, template: string, locale: Language, context: PageContext): Promise<string>;
  }
  interface FastifyReply {
    /** Renders a page of views/ in the site layout, in the given language. */
    page(template: string, locale: Language, context: PageContext): FastifyReply;
  }
}

export default fp(viewsPlugin, { name: 'views' });
