// axe-core in the browser tests: the page's accessibility checked against WCAG 2.1 A and AA.
//
// Violations come back as one readable line per rule and element, so that a failing
// `expect(await axeViolations(page)).toEqual([])` says what to fix where, not "expected [] to equal [ {…} ]".
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** The minified axe-core of node_modules, injected as it is (never a copy fetched from the network). */
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
let axeSource: string | undefined;

/** The WCAG 2.1 A and AA rules only: best practices are advice, these are the promise the pages make. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeNode { target: unknown[]; failureSummary?: string }
interface AxeViolation { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] }

// The tsconfig has no DOM library (this is a server project); the callback below runs in the page.
declare const axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> };
declare const document: unknown;

/**
 * The page's WCAG 2.1 A/AA violations, one line per rule and element:
 * "color-contrast (serious) at .grid__add: Elements must meet minimum color contrast ratio thresholds".
 * `exclude` names selectors left out (a third-party frame, say); none by default.
 *
 * axe is evaluated in the page rather than added as a <script>: the pages' Content-Security-Policy
 * refuses inline scripts, and evaluation is not subject to it. axe needs the page's timers, which
 * `javaScriptEnabled: false` stops: check a page as it is without JavaScript in a context given to
 * withoutAppScripts instead.
 */
export async function axeViolations(page: Page, options: { exclude?: string[] } = {}): Promise<string[]> {
  axeSource ??= fs.readFileSync(AXE_PATH, 'utf8');
  await page.evaluate(`${axeSource}\n;void 0`);
  const violations = await page.evaluate(async ({ tags, exclude }) => {
    const context = exclude.length === 0 ? document : { include: [document], exclude: exclude.map((selector) => [selector]) };
    const result = await axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  }, { tags: WCAG_21_AA, exclude: options.exclude ?? [] });
  return describeViolations(violations);
}

/** The violations as lines a reader can act on, sorted so that a test's message is stable. */
export function describeViolations(violations: AxeViolation[]): string[] {
  const lines: string[] = [];
  for (const violation of violations) {
    for (const node of violation.nodes) {
      const target = node.target.map((part) => (Array.isArray(part) ? part.join(' >> ') : String(part))).join(' ');
      const summary = (node.failureSummary ?? '').replace(/\s+/g, ' ').trim();
      lines.push(`${violation.id} (${violation.impact ?? 'unknown impact'}) at ${target}: ${violation.help}${summary ? ` — ${summary}` : ''} [${violation.helpUrl}]`);
    }
  }
  return lines.sort();
}

/**
 * Makes a context's pages load without the app's scripts (/assets/*.js), so that a page is what a
 * browser without JavaScript shows (the pages have no inline scripts: the CSP refuses them),
 * while axe can still run in it.
 */
export async function withoutAppScripts(context: BrowserContext): Promise<void> {
  await context.route(/\/assets\/[^/?#]+\.js(?:[?#].*)?$/, (route) => route.abort());
}
