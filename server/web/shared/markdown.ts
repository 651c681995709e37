// Rapporteurs write in Markdown. Two locks keep their text from ever becoming markup or
// script on a page: markdown-it is told to treat HTML as text (html: false), and its output
// then passes sanitize-html's allow-list, in case a future option or plugin lets something by.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { BoundedCache } from '../../cache.ts';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'], th: ['style'], td: ['style'] },
  allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // Links written by rapporteurs leave the site without telling it where they came from.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }) },
  disallowedTagsMode: 'escape',
};

// Images would load from anywhere a rapporteur names (and the site's policy blocks them):
// an image is shown as a link to it, named by its alt text.
markdown.renderer.rules.image = (tokens, index, options, env, self) => {
  const token = tokens[index]!;
  const src = token.attrGet('src') ?? '';
  const alt = self.renderInlineAsText(token.children ?? [], options, env) || src;
  return `<a href="${markdown.utils.escapeHtml(src)}">${markdown.utils.escapeHtml(alt)}</a>`;
};

// Headings in conclusions sit under the page's own h2/h3: "# Title" would outrank them.
markdown.renderer.rules.heading_open = (tokens, index) => `<h${Math.min(6, Number(tokens[index]!.tag.slice(1)) + 2)}>`;
markdown.renderer.rules.heading_close = (tokens, index) => `</h${Math.min(6, Number(tokens[index]!.tag.slice(1)) + 2)}>\n`;

/** Rendering is the costly part of the report: the same text is rendered once, while it stays in use. */
const cache = new BoundedCache<string, string>(5000);

/** Markdown as safe HTML: block markup (paragraphs, lists). */
export function renderMarkdown(source: string): string {
  return cache.getOrCompute(`b${source}`, () => sanitizeHtml(markdown.render(source), ALLOWED).trim());
}

/** Markdown as safe HTML without the enclosing paragraph: for list items and table cells. */
export function renderInlineMarkdown(source: string): string {
  return cache.getOrCompute(`i${source}`, () => sanitizeHtml(markdown.renderInline(source), ALLOWED).trim());
}

/**
 * A rapporteur's text as it goes into the Markdown export: their Markdown stays Markdown,
 * but any HTML in it stays text whatever renders the file later ("<" becomes "&lt;").
 */
export function markdownSafeForExport(source: string): string {
  return source.replace(/</g, '&lt;');
}
