// The pure cores of conclusions: the consolidated report as data (report.ts), what changed
// between revisions (diff.ts), Markdown made safe for pages (markdown.ts) and the report as
// files (export.ts). Programmes come from the bundled 2019 forum, read with programmeOf.
import * as cheerio from 'cheerio';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contentChanges, wordDiff } from '../../../server/domains/conclusions/diff.ts';
import { reportJson, reportMarkdown } from '../../../server/web/shared/report-files.ts';
import { markdownSafeForExport, renderInlineMarkdown, renderMarkdown } from '../../../server/web/shared/markdown.ts';
import { buildReport, type PublishedConclusions } from '../../../server/domains/conclusions/report.ts';
import type { ConclusionContent } from '../../../server/db/schema.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { programmeOf, type Programme, type ProgrammeSession } from '../../../server/domains/programme/assemble.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { content } from '../../helpers/conclusions.ts';

const XSS = '<img src=x onerror=alert(1)>';

let t: TestApp;
let programme: Programme;

beforeAll(async () => {
  t = await buildTestApp();
  programme = programmeOf(t.app.db, findEventBySlug(t.app.db, FORUM_2019)!);
});
afterAll(async () => { await t.close(); });

/** The session of the forum with this French title. */
const session = (fr: string): ProgrammeSession => {
  const found = programme.sessions.filter((s) => s.row.title.fr === fr);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const S = {
  arrivee: () => session('Arrivée des participants'),
  ouverture: () => session('Ouverture et bienvenue'),
  objectifs: () => session('Objectifs et attentes des participants'),
  bilan: () => session('Bilan du travail effectué'),
  sendai: () => session("Apprendre d'un exemple : localiser le cadre de Sendai"),
  evolution: () => session('Evolution des modules et méthodologies'),
  dejeuner: () => session('Déjeuner'),
  composants: () => session("Composants clés pour nourrir le programme d'apprentissage"),
  dialogue: () => session('Dialogue entre mécanismes : comment assurer la transférabilité ?'),
  voie: () => session('La voie à suivre ?'),
};
/** The public id of output n (1-based, by position). */
const output = (n: number) => [...programme.outputs].sort((a, b) => a.position - b.position)[n - 1]!.publicId;

const published = (s: ProgrammeSession, body: ConclusionContent, at = '2026-03-02T08:00:00.000Z', revision = 1): PublishedConclusions =>
  ({ sessionId: s.row.id, revision, publishedAt: new Date(at), content: body });

const titles = (sessions: { session: ProgrammeSession }[]) => sessions.map(({ session: s }) => s.row.title.fr);

describe('buildReport', () => {
  test('with nothing published: no date, every output empty and uncovered, no parts, no follow-ups, every reporting session missing', () => {
    const report = buildReport(programme, []);
    expect(report.publishedUpTo).toBeNull();
    expect(report.outputs.map((o) => [o.output.position + 1, o.recommendations])).toEqual([[1, []], [2, []], [3, []], [4, []]]);
    expect([report.otherRecommendations, report.parts, report.followUps]).toEqual([[], [], []]);
    expect(report.coverage.outputsWithout.map((o) => o.publicId)).toEqual([1, 2, 3, 4].map(output));
    // Neither the registration desk nor lunch is expected to report.
    expect(report.coverage.sessionsWithout.map((s) => [s.session.row.title.fr, s.state])).toEqual([
      S.ouverture(), S.objectifs(), S.bilan(), S.sendai(), S.evolution(), S.composants(), S.dialogue(), S.voie(),
    ].map((s) => [s.row.title.fr, 'none']));
  });

  test('puts each recommendation under every output it names, in programme order whatever the order published; its outputs sorted by number; unknown outputs dropped, and one left with none is among the others', () => {
    const report = buildReport(programme, [
      published(S.composants(), content({ language: 'en', recommendations: [{ text: 'composants: 3', outputs: [output(3)] }] })),
      published(S.bilan(), content({ recommendations: [
        { text: 'bilan: 4 and 1', outputs: [output(4), output(1)] },
        { text: 'bilan: gone', outputs: ['6c1f3a4e-2b7d-4e8f-9a0b-1c2d3e4f5a6b'] },
        { text: 'bilan: 1 and gone', outputs: ['6c1f3a4e-2b7d-4e8f-9a0b-1c2d3e4f5a6b', output(1)] },
      ] })),
      published(S.ouverture(), content({ recommendations: [{ text: 'ouverture: 3 and 1', outputs: [output(3), output(1)] }] })),
    ]);
    expect(report.outputs.map((o) => [o.output.position + 1, o.recommendations.map((r) => r.text)])).toEqual([
      [1, ['ouverture: 3 and 1', 'bilan: 4 and 1', 'bilan: 1 and gone']],
      [2, []],
      [3, ['ouverture: 3 and 1', 'composants: 3']],
      [4, ['bilan: 4 and 1']],
    ]);
    const bilan41 = report.outputs[0]!.recommendations[1]!;
    expect([bilan41.session.row.title.fr, bilan41.language, bilan41.outputs.map((o) => o.publicId)]).toEqual([S.bilan().row.title.fr, 'fr', [output(1), output(4)]]);
    expect(report.outputs[2]!.recommendations[1]!.language).toBe('en');
    expect(report.otherRecommendations.map((r) => [r.text, r.outputs])).toEqual([['bilan: gone', []]]);
    expect(report.coverage.outputsWithout.map((o) => o.publicId)).toEqual([output(2)]);
  });

  test('lists the parts in their order with only their sessions that have conclusions, and the sessions of no part last', () => {
    const report = buildReport(programme, [
      published(S.composants(), content()),
      published(S.arrivee(), content()),
      published(S.dialogue(), content()),
      published(S.ouverture(), content()),
    ]);
    expect(report.parts.map((p) => [p.part?.label.en ?? null, titles(p.sessions)])).toEqual([
      ['Part one', [S.ouverture().row.title.fr]],
      ['Part three', [S.composants().row.title.fr, S.dialogue().row.title.fr]],
      [null, [S.arrivee().row.title.fr]],
    ]);
    expect(report.parts[1]!.sessions[1]!.conclusions).toEqual(published(S.dialogue(), content()));
  });

  test('sorts follow-up actions by due date, then in programme order; undated ones last', () => {
    const report = buildReport(programme, [
      published(S.voie(), content({ followUps: [{ action: 'voie 2020-02-01', owner: '', due: '2020-02-01' }, { action: 'voie undated', owner: '', due: null }] })),
      published(S.ouverture(), content({ language: 'es', followUps: [{ action: 'ouverture undated', owner: 'A', due: null }, { action: 'ouverture 2020-02-01', owner: 'B', due: '2020-02-01' }] })),
      published(S.bilan(), content({ followUps: [{ action: 'bilan 2019-12-31', owner: '', due: '2019-12-31' }, { action: 'bilan 9999-12-31', owner: '', due: '9999-12-31' }] })),
    ]);
    expect(report.followUps.map((f) => [f.action, f.due, f.session.row.title.fr, f.language])).toEqual([
      ['bilan 2019-12-31', '2019-12-31', S.bilan().row.title.fr, 'fr'],
      ['ouverture 2020-02-01', '2020-02-01', S.ouverture().row.title.fr, 'es'],
      ['voie 2020-02-01', '2020-02-01', S.voie().row.title.fr, 'fr'],
      ['bilan 9999-12-31', '9999-12-31', S.bilan().row.title.fr, 'fr'],
      ['ouverture undated', null, S.ouverture().row.title.fr, 'es'],
      ['voie undated', null, S.voie().row.title.fr, 'fr'],
    ]);
  });

  test('coverage: the sessions expected to report (not breaks, registration or cancelled ones) without published conclusions, with where theirs stand', () => {
    const voie = S.voie();
    const cancelled: Programme = {
      ...programme,
      sessions: programme.sessions.map((s) => (s === voie ? { ...s, row: { ...s.row, status: 'cancelled' as const } } : s)),
    };
    const states = new Map([[S.sendai().row.id, 'submitted' as const], [S.evolution().row.id, 'draft' as const], [S.bilan().row.id, 'published' as const]]);
    const report = buildReport(cancelled, [published(S.bilan(), content()), published(S.composants(), content())], states);
    expect(report.coverage.sessionsWithout.map((s) => [s.session.row.title.fr, s.state])).toEqual([
      [S.ouverture().row.title.fr, 'none'],
      [S.objectifs().row.title.fr, 'none'],
      [S.sendai().row.title.fr, 'submitted'],
      [S.evolution().row.title.fr, 'draft'],
      [S.dialogue().row.title.fr, 'none'],
    ]);
  });

  test('publishedUpTo is the latest publication among the programme\'s sessions; conclusions of a session the programme lacks count nowhere', () => {
    const stray: PublishedConclusions = {
      sessionId: 999_999, revision: 3, publishedAt: new Date('2027-01-01T00:00:00.000Z'),
      content: content({ recommendations: [{ text: 'stray', outputs: [output(2)] }], followUps: [{ action: 'stray', owner: '', due: null }] }),
    };
    const report = buildReport(programme, [
      published(S.bilan(), content(), '2026-03-02T09:00:00.000Z'),
      stray,
      published(S.ouverture(), content(), '2026-03-02T10:30:00.000Z'),
      published(S.sendai(), content(), '2026-03-01T10:30:00.000Z'),
    ]);
    expect(report.publishedUpTo).toEqual(new Date('2026-03-02T10:30:00.000Z'));
    expect(report.parts.flatMap((p) => titles(p.sessions))).toEqual([S.ouverture(), S.bilan(), S.sendai()].map((s) => s.row.title.fr));
    expect([report.followUps, report.otherRecommendations, report.outputs[1]!.recommendations]).toEqual([[], [], []]);
  });
});

describe('contentChanges and wordDiff', () => {
  const label = (id: string) => ({ a: '1', b: '2' })[id] ?? `?${id}`;
  const first = content({
    summary: 'Les villes apprennent.',
    keyPoints: ['Un', 'Deux'],
    recommendations: [{ text: 'Partager', outputs: ['b', 'a'] }, { text: 'Sans résultat', outputs: [] }],
    followUps: [{ action: 'Écrire', owner: '', due: null }, { action: 'Relire', owner: 'Olga', due: '2020-01-31' }],
    participants: 0,
  });

  test('against no previous revision: every field that is not empty, as text (lists one item a line, outputs by their label)', () => {
    expect(contentChanges(null, first, label)).toEqual([
      { field: 'language', before: '', after: 'fr' },
      { field: 'summary', before: '', after: 'Les villes apprennent.' },
      { field: 'keyPoints', before: '', after: '- Un\n- Deux' },
      { field: 'recommendations', before: '', after: '- Partager [2, 1]\n- Sans résultat' },
      { field: 'followUps', before: '', after: '- Écrire\n- Relire | Olga | 2020-01-31' },
      { field: 'participants', before: '', after: '0' },
    ]);
  });

  test('between two revisions: only the fields that differ; none between equal contents', () => {
    const second = { ...first, language: 'en' as const, keyPoints: ['Un', 'Trois'], participants: null, challenges: 'Le temps' };
    expect(contentChanges(first, second, label)).toEqual([
      { field: 'language', before: 'fr', after: 'en' },
      { field: 'keyPoints', before: '- Un\n- Deux', after: '- Un\n- Trois' },
      { field: 'challenges', before: '', after: 'Le temps' },
      { field: 'participants', before: '0', after: '' },
    ]);
    expect(contentChanges(first, structuredClone(first), label)).toEqual([]);
  });

  test('wordDiff splits a change into kept, removed and added words that rebuild both texts', () => {
    const change = { before: 'Les villes apprennent vite.', after: 'Les régions apprennent vite.' };
    const parts = wordDiff(change);
    expect(parts).toEqual([
      { text: 'Les ', kind: 'same' },
      { text: 'villes', kind: 'removed' },
      { text: 'régions', kind: 'added' },
      { text: ' apprennent vite.', kind: 'same' },
    ]);
    expect(parts.filter((p) => p.kind !== 'added').map((p) => p.text).join('')).toBe(change.before);
    expect(parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join('')).toBe(change.after);
    expect(wordDiff({ before: '', after: 'Nouveau texte' })).toEqual([{ text: 'Nouveau texte', kind: 'added' }]);
  });
});

describe('renderMarkdown and renderInlineMarkdown', () => {
  /** The elements of an HTML fragment, as tag names. */
  const tags = (html: string) => cheerio.load(html, null, false)('*').toArray().map((e) => ('tagName' in e ? e.tagName : e.type));

  test('an <img onerror> becomes inert text: no element, no attribute', () => {
    expect(renderMarkdown(XSS)).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(renderInlineMarkdown(XSS)).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(tags(renderMarkdown(XSS))).toEqual(['p']);
    expect(cheerio.load(renderMarkdown(XSS), null, false)('p').text()).toBe(XSS);
  });

  test('<script> is text', () => {
    expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(renderInlineMarkdown('a <script>alert(1)</script>')).toBe('a &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('javascript: links are not links, in Markdown or in HTML; http links are, with rel="nofollow noopener noreferrer"', () => {
    for (const source of ['[click](javascript:alert(1))', '[click](JavaScript:alert(1))', '<a href="javascript:alert(1)">click</a>', '<javascript:alert(1)>']) {
      const html = renderMarkdown(source);
      expect(tags(html), source).toEqual(['p']);
      expect(cheerio.load(html, null, false)('[href]').length, source).toBe(0);
    }
    expect(renderInlineMarkdown('[le site](https://www.uclg.org)')).toBe('<a href="https://www.uclg.org" rel="nofollow noopener noreferrer">le site</a>');
    expect(renderInlineMarkdown('voir https://www.uclg.org')).toBe('voir <a href="https://www.uclg.org" rel="nofollow noopener noreferrer">https://www.uclg.org</a>');
  });

  test('headings are demoted by two levels, at most to h6, so that they never outrank the page\'s', () => {
    expect(renderMarkdown('# Un\n\n## Deux\n\n### Trois\n\n#### Quatre\n\n###### Six')).toBe('<h3>Un</h3>\n<h4>Deux</h4>\n<h5>Trois</h5>\n<h6>Quatre</h6>\n<h6>Six</h6>');
  });

  test('an image is a link to it, named by its alt text: nothing loads from where a rapporteur points, and a javascript: image is no link', () => {
    expect(renderMarkdown('![Le plan](https://uclg.org/a.png) ![](javascript:alert(1)) ![x" onerror="a](https://e.org/b.png)')).toBe(
      '<p><a href="https://uclg.org/a.png" rel="nofollow noopener noreferrer">Le plan</a> ![](javascript:alert(1)) '
      + '<a href="https://e.org/b.png" rel="nofollow noopener noreferrer">x" onerror="a</a></p>',
    );
  });

  test('ordinary Markdown still renders: emphasis, line breaks, lists; inline rendering has no paragraph', () => {
    expect(renderMarkdown('**Fort** et *doux*\nligne deux\n\n- a\n- b')).toBe('<p><strong>Fort</strong> et <em>doux</em><br />\nligne deux</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>');
    expect(renderInlineMarkdown('**Fort**')).toBe('<strong>Fort</strong>');
  });

  test('markdownSafeForExport turns every "<" into "&lt;" and leaves the rest of the Markdown alone', () => {
    expect(markdownSafeForExport(`**a** < b ${XSS} <script>`)).toBe('**a** &lt; b &lt;img src=x onerror=alert(1)> &lt;script>');
  });
});

describe('reportMarkdown and reportJson', () => {
  const unsafe = () => {
    const bilan = S.bilan();
    // An organiser's title may carry HTML too.
    const titled: Programme = {
      ...programme,
      sessions: programme.sessions.map((s) => (s === bilan ? { ...s, row: { ...s.row, title: { ...s.row.title, en: `Review ${XSS}` } } } : s)),
    };
    const report = buildReport(titled, [published(bilan, content({
      language: 'en',
      summary: `Summary ${XSS}\n\n<script>alert(2)</script>`,
      keyPoints: [`Point ${XSS}`],
      challenges: `Challenge\n${XSS}`,
      recommendations: [{ text: XSS, outputs: [output(1)] }, { text: `Second\n${XSS}`, outputs: [output(1), output(3)] }],
      followUps: [{ action: `Act | now ${XSS}`, owner: `Owner ${XSS}`, due: '2020-01-01' }],
      participants: 12,
    }))]);
    return { titled, report };
  };

  test('the test can tell: rendered with html: true, the raw payload would be an <img> element', () => {
    const html = new MarkdownIt({ html: true }).render(`- ${XSS}`);
    expect(cheerio.load(html)('img').length).toBe(1);
  });

  test('an <img onerror> recommendation appears as "&lt;img" and never as "<img" in the Markdown, and markdown-it with html: true yields no <img> from it', () => {
    const { titled, report } = unsafe();
    for (const locale of ['en', 'fr', 'es'] as const) {
      const markdown = reportMarkdown(titled, report, locale);
      expect(markdown).not.toContain('<img');
      expect(markdown).not.toContain('<script');
      expect(markdown).toContain('- &lt;img src=x onerror=alert(1)>\n');
      const html = new MarkdownIt({ html: true }).render(markdown);
      const $ = cheerio.load(html);
      expect($('img, script').length, locale).toBe(0);
      expect(html).not.toContain('<img');
      // The text is still there, as text.
      expect($('li').filter((_, li) => $(li).text().startsWith(XSS)).length).toBe(2);
    }
  });

  test('a follow-up\'s pipe stays in its cell: the table keeps its five columns', () => {
    const { titled, report } = unsafe();
    const markdown = reportMarkdown(titled, report, 'en');
    expect(markdown).toContain('| Act \\| now &lt;img src=x onerror=alert(1)> | Owner &lt;img src=x onerror=alert(1)> | Wednesday, 1 January 2020 | Review &lt;img src=x onerror=alert(1)> |');
    const $ = cheerio.load(new MarkdownIt({ html: true }).render(markdown));
    expect($('tbody tr').toArray().map((tr) => $(tr).find('td').toArray().map((td) => $(td).text()))).toEqual([
      [`Act | now ${XSS}`, `Owner ${XSS}`, 'Wednesday, 1 January 2020', `Review ${XSS}`, 'proposed'],
    ]);
  });

  test('reportJson: outputs by number with their recommendations, sessions with their zoned times, coverage only when asked', () => {
    const bilan = S.bilan();
    const body = content({ recommendations: [{ text: 'R', outputs: [output(3), output(1)] }], followUps: [{ action: 'F', owner: '', due: null }] });
    const report = buildReport(programme, [published(bilan, body, '2026-03-02T08:00:00.000Z', 4)]);
    const json = reportJson(programme, report, { coverage: false });
    const recommendation = { session: bilan.publicId, text: 'R', language: 'fr', outputs: [output(1), output(3)], followUp: { id: `${bilan.publicId}-r1`, status: 'proposed' } };
    expect(json.publishedUpTo).toBe('2026-03-02T10:00:00+02:00');
    expect(json.outputs.map((o) => [o.number, o.id, o.recommendations])).toEqual([
      [1, output(1), [recommendation]], [2, output(2), []], [3, output(3), [recommendation]], [4, output(4), []],
    ]);
    expect(json.parts).toEqual([{
      part: { id: bilan.part!.publicId, label: bilan.part!.label, title: bilan.part!.title },
      sessions: [{
        id: bilan.publicId, title: bilan.row.title, start: '2019-11-12T10:00:00+02:00', end: '2019-11-12T11:00:00+02:00',
        room: { id: bilan.room!.publicId, name: bilan.room!.name }, revision: 4, publishedAt: '2026-03-02T10:00:00+02:00', conclusions: body,
      }],
    }]);
    expect(json.followUps).toEqual([{ action: 'F', owner: '', due: null, language: 'fr', session: bilan.publicId, followUp: { id: `${bilan.publicId}-a1`, status: 'proposed' } }]);
    expect('coverage' in json).toBe(false);

    const withCoverage = reportJson(programme, report, { coverage: true });
    expect(withCoverage.coverage).toEqual({
      outputsWithout: [output(2), output(4)],
      sessionsWithout: [S.ouverture(), S.objectifs(), S.sendai(), S.evolution(), S.composants(), S.dialogue(), S.voie()]
        .map((s) => ({ id: s.publicId, title: s.row.title, state: 'none' })),
    });
  });
});
