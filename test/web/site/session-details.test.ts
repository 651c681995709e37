// A session's subtitle, abstract, language and links as participants get them, once released:
// on the session page (escaped, only web addresses as links), on the programme page, and in
// the read API (null when absent, also in releases made before the fields existed).
import fs from 'node:fs';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, makeTempDir, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { release } from '../../helpers/releases.ts';
import { apiAs, eventPath, ok, type Written } from '../../helpers/api.ts';

const SESSIONS = `${eventPath(FORUM_2019)}/sessions`;
const PROGRAMME = `/api/v1/events/${FORUM_2019}/programme`;
const XSS = '<script>alert("abstract")</script>';

interface ApiSession { id: string; title: { fr?: string }; subtitle: unknown; abstract: unknown; language: unknown; links: unknown }
interface ApiProgramme {
  parts: { slots: { sessions: ApiSession[] }[] }[];
  outsideParts: { sessions: ApiSession[] }[];
  unscheduled: ApiSession[];
}

const allSessions = (programme: ApiProgramme) => [
  ...programme.parts.flatMap((p) => p.slots.flatMap((s) => s.sessions)),
  ...programme.outsideParts.flatMap((s) => s.sessions),
  ...programme.unscheduled,
];
const detailsOf = (s: ApiSession) => ({ subtitle: s.subtitle, abstract: s.abstract, language: s.language, links: s.links });

/** Makes a session with every detail through the API, gives it a link no form would take (as an import might), and releases it. */
async function releasedSession(t: TestApp): Promise<string> {
  const api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
  const id = ok<Written<{ id: string }>>(await api.post(SESSIONS, {
    title: { fr: 'Atelier des villes' },
    subtitle: { fr: 'Apprendre <em>ensemble</em>', en: 'Learning together' },
    abstract: { fr: `Premier paragraphe,\nsur deux lignes.\n\n${XSS}\n\n  Troisième paragraphe.  ` },
    language: 'de, en',
    links: [
      { url: 'https://example.org/slides?a=1&b=2', title: 'Diapositives <b>gras</b>' },
      { url: 'http://example.org/recording', title: 'Enregistrement' },
    ],
    start: '2019-11-12T18:00', end: '2019-11-12T18:45',
  }), 201).data.id;
  const links = [
    { url: 'https://example.org/slides?a=1&b=2', title: 'Diapositives <b>gras</b>' },
    { url: 'javascript:alert(1)', title: 'Piège' },
    { url: 'http://example.org/recording', title: 'Enregistrement' },
  ];
  t.app.db.$client.prepare('update sessions set links = ? where public_id = ?').run(JSON.stringify(links), id);
  release(t.app, FORUM_2019);
  return id;
}

describe('session details, released', () => {
  let t: TestApp;
  let id: string;

  beforeAll(async () => {
    t = await buildTestApp();
    id = await releasedSession(t);
  });
  afterAll(async () => { await t.close(); });

  test('the session page shows the subtitle under the title, the language, the abstract as paragraphs and the links; another session none', async () => {
    const response = await t.app.inject(`/events/${FORUM_2019}/sessions/${id}`);
    expect(response.statusCode).toBe(200);
    const $ = cheerio.load(response.body);
    expect($('h1').text()).toBe('Atelier des villes');
    expect($('h1 + .session-page__subtitle').text()).toBe('Apprendre <em>ensemble</em>');
    expect($('.facts dt').toArray().map((dt) => [$(dt).text(), $(dt).next('dd').text()])).toEqual([
      ['Quand', 'mardi 12 novembre 2019, 18:00–18:45 (Africa/Johannesburg)'],
      ['Format', 'Session'],
      ['Langue', 'de, en'],
      ['Lieu', 'Inkosi Albert Luthuli International Convention Centre (Durban ICC), Durban'],
    ]);
    expect($('#abstract-heading').text()).toBe('Résumé');
    expect($('.session-page__abstract p').toArray().map((p) => $(p).text())).toEqual([
      'Premier paragraphe,\nsur deux lignes.', XSS, 'Troisième paragraphe.',
    ]);
    expect($('#links-heading').text()).toBe('Liens');
    expect($('.session-page__links li').toArray().map((li) => $(li).text())).toEqual(['Diapositives <b>gras</b>', 'Piège', 'Enregistrement']);
    // Only http and https addresses are links; the javascript: one stays text.
    expect($('.session-page__links a').toArray().map((a) => [$(a).attr('href'), $(a).attr('rel'), $(a).text()])).toEqual([
      ['https://example.org/slides?a=1&b=2', 'noopener', 'Diapositives <b>gras</b>'],
      ['http://example.org/recording', 'noopener', 'Enregistrement'],
    ]);

    // A session without details shows none of them.
    const programme = (await t.app.inject(PROGRAMME)).json() as ApiProgramme;
    const bundled = allSessions(programme).find((s) => s.title.fr === 'Bilan du travail effectué')!;
    const other = cheerio.load((await t.app.inject(`/events/${FORUM_2019}/sessions/${bundled.id}`)).body);
    expect(other('h1').text()).toBe('Bilan du travail effectué');
    expect(other('.session-page__subtitle, .session-page__abstract, .session-page__links, .session-page__language').length).toBe(0);
  });

  test('what organisers typed is escaped: the <script> of the abstract is inert text, no markup of theirs reaches the page', async () => {
    const html = (await t.app.inject(`/events/${FORUM_2019}/sessions/${id}`)).body;
    expect(html).not.toContain(XSS);
    expect(html).toContain('&lt;script&gt;alert(&quot;abstract&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<em>ensemble</em>');
    expect(html).not.toContain('<b>gras</b>');
    expect(html).not.toContain('javascript:');
    const $ = cheerio.load(html);
    expect($('script:not([type="application/ld+json"])').toArray().filter((s) => $(s).text().includes('alert'))).toEqual([]);
    // The structured data carries the abstract as JSON text, with no "<" that could end its element.
    const data = $('script[type="application/ld+json"]');
    expect(data.length).toBe(1);
    expect(data.html()).not.toContain('<');
    expect(JSON.parse(data.html()!).description).toContain('<script>alert("abstract")</script>');
    expect($('main em, main b').length).toBe(0);
  });

  test('in English: the English subtitle, "Language", and the French abstract marked as French', async () => {
    const $ = cheerio.load((await t.app.inject(`/events/${FORUM_2019}/sessions/${id}?lang=en`)).body);
    expect($('.session-page__subtitle').text()).toBe('Learning together');
    expect($('.session-page__subtitle').attr('lang')).toBeUndefined();
    expect($('.facts dt').toArray().map((dt) => $(dt).text())).toContain('Language');
    expect($('.session-page__language').text()).toBe('de, en');
    expect($('#abstract-heading').text()).toBe('Abstract');
    expect($('.session-page__abstract > div').attr('lang')).toBe('fr');
    expect($('#links-heading').text()).toBe('Links');
  });

  test('the programme page shows the subtitle under the session\'s title', async () => {
    const $ = cheerio.load((await t.app.inject(`/events/${FORUM_2019}`)).body);
    const card = $(`#session-${id}`);
    expect(card.find('.session__title').text()).toBe('Atelier des villes');
    expect(card.find('.session__title + .session__subtitle').text()).toBe('Apprendre <em>ensemble</em>');
    expect($('.session__subtitle').length).toBe(1);
  });

  test('the read API gives each session its subtitle, abstract, language and links, null when absent', async () => {
    const response = await t.app.inject(PROGRAMME);
    expect(response.statusCode).toBe(200);
    const sessions = allSessions(response.json() as ApiProgramme);
    expect(detailsOf(sessions.find((s) => s.id === id)!)).toEqual({
      subtitle: { fr: 'Apprendre <em>ensemble</em>', en: 'Learning together' },
      abstract: { fr: `Premier paragraphe,\nsur deux lignes.\n\n${XSS}\n\n  Troisième paragraphe.  ` },
      language: 'de, en',
      links: [
        { url: 'https://example.org/slides?a=1&b=2', title: 'Diapositives <b>gras</b>' },
        { url: 'javascript:alert(1)', title: 'Piège' },
        { url: 'http://example.org/recording', title: 'Enregistrement' },
      ],
    });
    const others = sessions.filter((s) => s.id !== id);
    expect(others.length).toBeGreaterThan(5);
    expect(others.map(detailsOf)).toEqual(others.map(() => ({ subtitle: null, abstract: null, language: null, links: null })));
  });
});

describe('a release made before sessions had details', () => {
  let dir: string;
  let t: TestApp;

  beforeAll(async () => {
    // The release is stored without the four fields, as releases made before migration 0007
    // are; a new app on the same file reads it afresh (releases are cached once read).
    dir = makeTempDir();
    const before = await buildTestApp({ dir });
    await releasedSession(before);
    const client = before.app.db.$client;
    const latest = client.prepare('select id, snapshot from releases order by id desc limit 1').get() as { id: number; snapshot: string };
    const rows = JSON.parse(latest.snapshot) as { format?: number; sessions: Record<string, unknown>[] };
    // Stored as releases were then: without a format member (format 1), without the fields.
    expect(rows.format).toBe(3);
    delete rows.format;
    for (const session of rows.sessions) for (const field of ['subtitle', 'abstract', 'language', 'links']) delete session[field];
    client.prepare('update releases set snapshot = ? where id = ?').run(JSON.stringify(rows), latest.id);
    await before.close();
    t = await buildTestApp({ dir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the read API answers null for each detail, and the pages show none', async () => {
    const response = await t.app.inject(PROGRAMME);
    expect(response.statusCode).toBe(200);
    const sessions = allSessions(response.json() as ApiProgramme);
    expect(sessions.map(detailsOf)).toEqual(sessions.map(() => ({ subtitle: null, abstract: null, language: null, links: null })));
    const atelier = sessions.find((s) => s.title.fr === 'Atelier des villes')!;
    const page = await t.app.inject(`/events/${FORUM_2019}/sessions/${atelier.id}`);
    expect(page.statusCode).toBe(200);
    expect(cheerio.load(page.body)('.session-page__subtitle, .session-page__abstract, .session-page__links, .session-page__language').length).toBe(0);
    expect((await t.app.inject(`/events/${FORUM_2019}`)).statusCode).toBe(200);
  });
});
