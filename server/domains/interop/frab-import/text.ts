// The texts of a frab file as plain text: generators indent them with the XML around them, and
// some (fosdem) write escaped HTML.
import sanitizeHtml from 'sanitize-html';

/**
 * Trims a multi-line text: the indentation the generator added (the smallest indentation of
 * the lines after the first) goes, deeper indentation (nested lists) stays; trailing spaces go;
 * three or more line breaks become a blank line.
 */
export function tidyText(raw: string): string {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n').map(trimSpacesEnd);
  const indents = lines.slice(1).filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const common = indents.length > 0 ? indents.reduce((a, b) => Math.min(a, b)) : 0;
  const tidied = lines.map((l, i) => (i === 0 ? l.trimStart() : l.slice(Math.min(common, /^[ \t]*/.exec(l)![0].length))));
  return tidied.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Without the spaces and tabs that end it; a loop, since /[ \t]+$/ retries from every space of a long run. */
function trimSpacesEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end -= 1;
  return line.slice(0, end);
}

// Lines joined: each run of white space that holds a line break becomes one space. The same as
// replacing /\s*\n\s*/g by a space, whose leading \s* retries from every space of a long run.
export function joinLines(text: string): string {
  return text.replace(/\s+/g, (run) => (run.includes('\n') || run.includes('\r') ? ' ' : run));
}

// The text around each <pre>…</pre> and the blocks themselves, in turn (odd indexes are blocks).
// One pass, never back, where splitting on /(<pre[\s\S]*?<\/pre\s*>)/i scans again from each of many unclosed <pre>.
function splitAroundPre(html: string): string[] {
  const opening = /<pre/gi;
  const closing = /<\/pre\s*>/gi;
  const parts: string[] = [];
  let done = 0;
  for (let open = opening.exec(html); open !== null; open = opening.exec(html)) {
    closing.lastIndex = opening.lastIndex;
    const close = closing.exec(html);
    if (close === null) break;
    parts.push(html.slice(done, open.index), html.slice(open.index, closing.lastIndex));
    done = closing.lastIndex;
    opening.lastIndex = done;
  }
  parts.push(html.slice(done));
  return parts;
}

const HTML_TAG = /<\/?(p|br|a|ul|ol|li|em|strong|b|i|u|h[1-6]|div|span|pre|code|blockquote|table|tr|td|th|img|hr|sup|sub|dl|dt|dd)(\s[^<>]*)?\/?>/i;
const BLOCK_END = /<\/(p|div|h[1-6]|ul|ol|pre|blockquote|table|tr|dl)\s*>/gi;
const BLOCK_START = /<(p|div|h[1-6]|ul|ol|pre|blockquote|table|dl)(\s[^<>]*)?>/gi;

const KEPT_SPACE = '\uE000';
const KEPT_TAB = '\uE001';

/** Whether a text holds HTML markup (one of the tags texts are written with), and so is read as HTML. */
export function isHtml(text: string): boolean {
  return HTML_TAG.test(text);
}

/**
 * A link keeps its address, after its text, when the text does not already show it. One pass
 * from each <a> to its </a>, never back: many unclosed <a> cannot make it slow.
 */
function withLinkAddresses(html: string): string {
  const opening = /<a\s[^<>]*>/gi;
  const closing = /<\/a\s*>/gi;
  let out = '';
  let done = 0;
  for (let open = opening.exec(html); open !== null; open = opening.exec(html)) {
    closing.lastIndex = opening.lastIndex;
    const close = closing.exec(html);
    if (close === null) break;
    const href = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(open[0]);
    const address = (href?.[1] ?? href?.[2] ?? '').trim();
    const text = html.slice(opening.lastIndex, close.index).replace(/<[^<>]*>/g, '').trim();
    if (/^(https?:|mailto:)/i.test(address) && !text.includes(address)) {
      out += `${html.slice(done, close.index)} (${address})`;
      done = close.index;
    }
    opening.lastIndex = closing.lastIndex;
  }
  return out + html.slice(done);
}

/** HTML (fosdem's texts are escaped HTML) to plain text, keeping paragraphs, lines and list items. */
export function htmlToText(html: string): string {
  // Outside <pre>, HTML whitespace is one space; line breaks come from the markup only.
  const collapsed = splitAroundPre(html)
    // Inside it, spaces and tabs are kept through the trimming below behind private-use characters.
    .map((part, i) => (i % 2 === 1 ? part.replace(/\r\n?/g, '\n').replace(/(<[^<>]*>)|[ \t]/g, (m, tag?: string) => tag ?? (m === ' ' ? KEPT_SPACE : KEPT_TAB)) : part.replace(/\s+/g, ' ')))
    .join('');
  const marked = withLinkAddresses(collapsed)
    // A paragraph inside a list item is the item itself.
    .replace(/(<li(?:\s[^<>]*)?>)\s*<p(?:\s[^<>]*)?>/gi, '$1')
    .replace(/<\/p\s*>\s*(<\/li\s*>)/gi, '$1')
    .replace(BLOCK_START, '\n\n$&')
    .replace(BLOCK_END, '$&\n\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li(\s[^<>]*)?>/gi, '\n- ');
  // Tags go before sanitize-html sees them (but those whose content it drops): it takes time
  // that grows with the square of the depth of unclosed tags, and a file can hold many.
  const flat = marked.replace(/<\/?(?!(?:script|style|textarea|option|noscript)\b)[a-z][^<>]*>/gi, '');
  const stripped = sanitizeHtml(flat, { allowedTags: [], allowedAttributes: {} });
  // sanitize-html re-escapes exactly &, < and > in text: undo that to get plain text.
  const decoded = stripped.replace(/&(amp|lt|gt|quot);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[name]!);
  const lines = decoded.split('\n').map((l) => l.trim().replace(/^- +/, '- ').replaceAll(KEPT_SPACE, ' ').replaceAll(KEPT_TAB, '\t').trimEnd());
  // List items follow each other without blank lines between them.
  const kept = lines.filter((l, i) => !(l === '' && lines[i - 1]?.startsWith('- ') && lines.slice(i + 1).find((n) => n !== '')?.startsWith('- ')));
  return kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
