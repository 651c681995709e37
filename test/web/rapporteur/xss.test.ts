// Rapporteurs' text is Markdown, never markup: published conclusions whose every field holds
// an <img onerror>, a <script> and a javascript: link show them as text on the session page,
// the report, the rapporteurs' form and history and the organisers' overview; report.md keeps
// the HTML as text ("&lt;") whatever renders it later. The rapporteur's name carries the
// payload too: it is shown on the form, the history and the overview.
import * as cheerio from 'cheerio';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { apiAs, sessionsByTitle } from '../../helpers/api.ts';
import { assign, content, outputIds, publish, saveLatest, steps } from '../../helpers/conclusions.ts';
import { filledValues, formPath, formValues, historyPath, overviewPath, sendConclusions } from '../../helpers/conclusions-pages.ts';

const PUBLIC = `/events/${FORUM_2019}`;
const REVIEW = 'Bilan du travail effectué';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(1)</script>';
const LINK = '[x](javascript:alert(1))';
const PAYLOAD = `${IMG} ${SCRIPT} ${LINK}`;

function isInertJson(text: string): boolean {
  if (text.includes('<')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** What a page must not hold: images, scripts other than the site's own, event handlers, javascript: links. */
function dangers(html: string): string[] {
  const $ = cheerio.load(html);
  const found: string[] = [];
  $('img').each((_, el) => { found.push(`img ${$.html(el)}`); });
  $('script').each((_, el) => {
    const src = $(el).attr('src');
    // Structured data is no script: JSON, and no "<" in it that could end its element.
    if ($(el).attr('type') === 'application/ld+json' && src === undefined && isInertJson($(el).html() ?? '')) return;
    if (src === undefined || !/^\/assets\/[\w-]+\.js$/.test(src) || $(el).text().trim() !== '') found.push(`script ${$.html(el)}`);
  });
  $('*').each((_, el) => {
    for (const [name, value] of Object.entries((el as unknown as { attribs: Record<string, string> }).attribs ?? {})) {
      if (/^on/i.test(name)) found.push(`${name} on <${(el as unknown as { tagName: string }).tagName}>`);
      if (/^\s*javascript:/i.test(value)) found.push(`${name}="${value}" on <${(el as unknown as { tagName: string }).tagName}>`);
    }
  });
  return found;
}

test('the check finds each danger in a page made to hold them', () => {
  expect(dangers('<p><img src=x><script>alert(1)</script><script src="/assets/site.js">x</script><script src="https://evil.example/a.js"></script>'
    + '<b onclick="x()">b</b><a href=" JavaScript:alert(1)">a</a><script src="/assets/conclusions.js"></script>'
    + '<script type="application/ld+json">{"name":"\\u003cb>"}</script><script type="application/ld+json">{"name":"</b>"}</script></p>')).toEqual([
    'img <img src="x">',
    'script <script>alert(1)</script>',
    'script <script src="/assets/site.js">x</script>',
    'script <script src="https://evil.example/a.js"></script>',
    'script <script type="application/ld+json">{"name":"</b>"}</script>',
    'onclick on <b>',
    'href=" JavaScript:alert(1)" on <a>',
  ]);
});

describe('conclusions written with HTML and script in every field', () => {
  let t: TestApp;
  let organiser: TestUser;
  let rapporteur: TestUser;
  let organisers: Browser;
  let sessionId: string;
  const pages = new Map<string, string>();

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Aminata Diallo');
    rapporteur = await addUser(t.app, 'rapporteur', undefined, `Jean ${IMG}`);
    const asOrganiser = apiAs(t.app, organiser.bearer);
    const asRapporteur = apiAs(t.app, rapporteur.bearer);
    sessionId = (await sessionsByTitle(asOrganiser, FORUM_2019))[REVIEW]!;
    const [o1] = await outputIds(asOrganiser, FORUM_2019) as [string];
    await assign(asOrganiser, FORUM_2019, sessionId, rapporteur);
    await saveLatest(asRapporteur, FORUM_2019, sessionId, content({ summary: 'Première version' }));
    const everywhere = (prefix: string, summaryEnd = '') => content({
      summary: `Résumé ${prefix}${PAYLOAD}${summaryEnd}`,
      keyPoints: [`Point ${prefix}${PAYLOAD}`],
      challenges: `Défi ${prefix}${PAYLOAD}`,
      recommendations: [{ text: `Recommandation ${prefix}${PAYLOAD}`, outputs: [o1] }],
      followUps: [{ action: `Action ${prefix}${PAYLOAD}`, owner: `Qui ${prefix}${PAYLOAD}`, due: '2020-01-31' }],
    });
    await publish(asOrganiser, FORUM_2019, sessionId, everywhere('', `\n\n</textarea>${IMG}`));
    // A newer draft, returned with a comment: the form shows both.
    await saveLatest(asRapporteur, FORUM_2019, sessionId, everywhere('brouillon ', `</textarea>${IMG}`), { submit: true });
    await steps(asOrganiser, FORUM_2019, sessionId, ['return'], { comment: `Commentaire ${PAYLOAD}` });

    organisers = await signIn(t.app, organiser);
    const rapporteurs = await signIn(t.app, rapporteur);
    const get = async (url: string) => { const r = await t.app.inject(url); expect(r.statusCode, url).toBe(200); return r.body; };
    pages.set('session page', await get(`${PUBLIC}/sessions/${sessionId}`));
    pages.set('report', await get(`${PUBLIC}/report`));
    pages.set('report for organisers', await organisers.open(`${PUBLIC}/report`));
    pages.set('form', await rapporteurs.open(formPath(FORUM_2019, sessionId)));

    // A stale save through the form: its page shows the saved conclusions beside the typed ones,
    // and the refused text is set aside, shown in the history.
    const stalePage = await organisers.open(formPath(FORUM_2019, sessionId));
    await saveLatest(asRapporteur, FORUM_2019, sessionId, everywhere('saved ', `</textarea>${IMG}`));
    const refused = await sendConclusions(organisers, stalePage, { summary: `Refusé ${PAYLOAD}</textarea>${IMG}` });
    expect(refused.statusCode).toBe(409);
    pages.set('stale form', refused.body);
    pages.set('history', await organisers.open(historyPath(FORUM_2019, sessionId)));
    pages.set('overview', await organisers.open(overviewPath(FORUM_2019)));
  });
  afterAll(async () => { await t.close(); });

  test('no page holds an img, a script other than /assets/*.js, an on* attribute or a javascript: link', () => {
    expect(Object.fromEntries([...pages].map(([name, html]) => [name, dangers(html)]))).toEqual({
      'session page': [], report: [], 'report for organisers': [], form: [], 'stale form': [], history: [], overview: [],
    });
  });

  test('the payload is shown as text where it was written', () => {
    const text = (name: string, selector: string) => {
      const $ = cheerio.load(pages.get(name)!);
      return $(selector).toArray().map((el) => $(el).text().replace(/\s+/g, ' ').trim());
    };
    // Published conclusions: HTML as text, the javascript: link as its Markdown source.
    expect(text('session page', 'main .session-conclusions .markdown')).toEqual([
      `Résumé ${PAYLOAD} </textarea>${IMG}`,
      `Point ${PAYLOAD}`,
      `Défi ${PAYLOAD}`,
      `Recommandation ${PAYLOAD}`,
      `Action ${PAYLOAD}`,
    ]);
    expect(text('session page', 'main .session-conclusions .conclusions__owner')).toEqual([`Qui ${PAYLOAD}`]);
    expect(text('report', '.report-recommendations .markdown')).toEqual([`Recommandation ${PAYLOAD}`]);
    expect(text('report', '.report-table tbody td:first-child')).toEqual([`Action ${PAYLOAD}`]);
    expect(text('report', '.report-table tbody td:nth-child(2)')).toEqual([`Qui ${PAYLOAD}`]);
    // The form gives every field back as typed, the comment as written.
    expect(filledValues(pages.get('form')!)).toEqual({
      language: 'fr',
      summary: `Résumé brouillon ${PAYLOAD}</textarea>${IMG}`,
      'keyPoints.0': `Point brouillon ${PAYLOAD}`,
      challenges: `Défi brouillon ${PAYLOAD}`,
      'recommendations.0.text': `Recommandation brouillon ${PAYLOAD}`,
      'recommendations.0.outputs': expect.any(String),
      'followUps.0.action': `Action brouillon ${PAYLOAD}`,
      'followUps.0.owner': `Qui brouillon ${PAYLOAD}`,
      'followUps.0.due': '2020-01-31',
    });
    expect(text('form', 'main .conclusions-comment')).toEqual([`Commentaire ${PAYLOAD}`]);
    expect(text('form', 'main .facts dd').at(-1)).toContain(`par Jean ${IMG}, le`);
    expect(text('stale form', 'main .conclusions-current .markdown')[0]).toBe(`Résumé saved ${PAYLOAD}</textarea>${IMG}`);
    expect(formValues(pages.get('stale form')!).summary).toBe(`Refusé ${PAYLOAD}</textarea>${IMG}`);
    expect(text('history', '#revision-2 .diff').join(' ')).toContain(`Recommandation ${PAYLOAD}`);
    expect(text('history', '#set-aside .markdown')[0]).toBe(`Refusé ${PAYLOAD}</textarea>${IMG}`);
    expect(text('history', 'main .conclusions-comment')).toEqual([`Commentaire ${PAYLOAD}`]);
    expect(text('overview', 'main .conclusions-table tbody tr:nth-child(3) td:first-of-type')).toEqual([`Jean ${IMG}`]);
  });

  test('report.md keeps the HTML as text, so that even a renderer that allows HTML makes no img or script of it', async () => {
    const md = (await t.app.inject(`${PUBLIC}/report.md`)).body;
    expect(md).toContain(`- Recommandation &lt;img src=x onerror=alert(1)> &lt;script>alert(1)&lt;/script> ${LINK}`);
    expect(md).toContain(`| Action &lt;img src=x onerror=alert(1)> &lt;script>alert(1)&lt;/script> ${LINK} | Qui &lt;img src=x onerror=alert(1)>`);
    expect(md).not.toMatch(/<img/i);
    expect(md).not.toMatch(/<script/i);
    const html = new MarkdownIt({ html: true }).render(md);
    expect(html).toContain('Recommandation &lt;img src=x onerror=alert(1)&gt;');
    expect(dangers(html)).toEqual([]);
    expect(cheerio.load(html)('img, script').length).toBe(0);
  });
});
