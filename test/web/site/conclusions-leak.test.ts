// Unpublished conclusions never reach anything public. The secrets are written first (a draft,
// submitted and validated conclusions, a return comment, a text set aside by a refused save),
// then every public surface is read, in French and in English: pages, downloads, the read API
// and the calendar feeds. The positive control publishes one marker and finds it where
// published conclusions belong (and still not in the feeds), which proves the search can find
// a marker at all; a newer draft of published conclusions stays private while the published
// revision stays public.
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { apiAs, sessionsByTitle, type Api } from '../../helpers/api.ts';
import { assign, content, current, outputIds, publish, save, saveLatest, steps } from '../../helpers/conclusions.ts';
import type { ConclusionContent } from '../../../server/db/schema.ts';

const PUBLIC = `/events/${FORUM_2019}`;
const API = `/api/v1/events/${FORUM_2019}`;

const REVIEW = 'Bilan du travail effectué';
const SENDAI = "Apprendre d'un exemple : localiser le cadre de Sendai";
const MODULES = 'Evolution des modules et méthodologies';
const COMPONENTS = "Composants clés pour nourrir le programme d'apprentissage";
const DIALOGUE = 'Dialogue entre mécanismes : comment assurer la transférabilité ?';

// Markers: letters only, so that no escaping (HTML, JSON, iCalendar, Markdown) can hide them.
const DRAFT = 'SecretDraftMarkerQx';
const SUBMITTED = 'SecretSubmittedMarkerQx';
const VALIDATED = 'SecretValidatedMarkerQx';
const COMMENT = 'SecretReturnCommentMarkerQx';
const SET_ASIDE = 'SecretSetAsideMarkerQx';
const PUBLISHED = 'PublishedMarkerQx';
const NEWER_DRAFT = 'SecretNewerDraftMarkerQx';
const SECRETS = [DRAFT, SUBMITTED, VALIDATED, COMMENT, SET_ASIDE];

/** Conclusions with the marker in every field a rapporteur writes. */
function marked(marker: string, output: string): ConclusionContent {
  return content({
    summary: `${marker} summary`,
    keyPoints: [`${marker} key point`],
    challenges: `${marker} challenge`,
    recommendations: [{ text: `${marker} recommendation`, outputs: [output] }],
    followUps: [{ action: `${marker} action`, owner: `${marker} owner`, due: '2020-03-31' }],
    participants: 12,
  });
}

/** An answer's text as a reader gets it; iCalendar lines unfolded so that a folded marker is still found. */
function readable(url: string, contentType: string, body: string): string {
  return contentType.startsWith('text/calendar') || url.endsWith('.ics') ? body.replace(/\r?\n[ \t]/g, '') : body;
}

describe('unpublished conclusions on public surfaces', () => {
  let t: TestApp;
  let organiser: TestUser;
  let asOrganiser: Api;
  let sessions: Record<string, string>;
  let surfaces: string[];
  const fetched = new Map<string, string>();

  /** Every public address: pages, downloads, read API and feeds, each also in English. */
  async function publicSurfaces(): Promise<string[]> {
    const programme = await t.app.inject(`${API}/programme`);
    expect(programme.statusCode).toBe(200);
    const { parts } = programme.json() as { parts: { id: string }[] };
    const speakersPage = cheerio.load((await t.app.inject(`${PUBLIC}/speakers`)).body);
    const speakers = [...new Set(speakersPage('main a').toArray().map((a) => speakersPage(a).attr('href') ?? '')
      .filter((href) => new RegExp(`^${PUBLIC}/speakers/[0-9a-f-]{36}$`).test(href)))];
    expect(speakers.length).toBe(7);
    const ids = Object.values(sessions);
    expect(ids.length).toBe(10);
    const pages = [
      '/', PUBLIC, `${PUBLIC}/speakers`, `${PUBLIC}/outputs`, `${PUBLIC}/now`, `${PUBLIC}/changes`,
      `${PUBLIC}/report`, `${PUBLIC}/report.md`, `${PUBLIC}/report.json`,
      ...ids.map((id) => `${PUBLIC}/sessions/${id}`),
      ...parts.map((p) => `${PUBLIC}/parts/${p.id}`),
      ...speakers,
      '/api/v1/events', `${API}/programme`, `${API}/conclusions`, `${API}/report`,
    ];
    const feeds = [
      `${PUBLIC}/calendar.ics`,
      ...ids.map((id) => `${PUBLIC}/sessions/${id}/calendar.ics`),
      ...parts.map((p) => `${PUBLIC}/parts/${p.id}/calendar.ics`),
      ...speakers.map((s) => `${s}/calendar.ics`),
    ];
    const all = [...pages, ...feeds];
    return [...all, ...all.map((url) => `${url}?lang=en`)];
  }

  /** Reads every surface anonymously; answers url → readable text (each must be 200). */
  async function readAll(): Promise<Map<string, string>> {
    const bodies = new Map<string, string>();
    for (const url of surfaces) {
      const response = await t.app.inject(url);
      expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200);
      bodies.set(url, readable(url, String(response.headers['content-type'] ?? ''), response.body));
    }
    return bodies;
  }

  const where = (bodies: Map<string, string>, marker: string) => [...bodies].filter(([, body]) => body.includes(marker)).map(([url]) => url);

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Aminata Diallo');
    asOrganiser = apiAs(t.app, organiser.bearer);
    const rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Jean Rapporteur');
    const asRapporteur = apiAs(t.app, rapporteur.bearer);
    sessions = await sessionsByTitle(asOrganiser, FORUM_2019);
    const [o1] = await outputIds(asOrganiser, FORUM_2019) as [string];
    for (const title of [REVIEW, SENDAI, MODULES, DIALOGUE]) await assign(asOrganiser, FORUM_2019, sessions[title]!, rapporteur);

    // The secrets, first: a draft, submitted conclusions, validated ones.
    await saveLatest(asRapporteur, FORUM_2019, sessions[REVIEW]!, marked(DRAFT, o1));
    await saveLatest(asRapporteur, FORUM_2019, sessions[SENDAI]!, marked(SUBMITTED, o1), { submit: true });
    await saveLatest(asRapporteur, FORUM_2019, sessions[MODULES]!, marked(VALIDATED, o1), { submit: true });
    await steps(asOrganiser, FORUM_2019, sessions[MODULES]!, ['validate']);
    // Conclusions returned with a comment, and a refused stale save whose text is set aside.
    await saveLatest(asRapporteur, FORUM_2019, sessions[DIALOGUE]!, marked(`${SUBMITTED}Dialogue`, o1), { submit: true });
    await steps(asOrganiser, FORUM_2019, sessions[DIALOGUE]!, ['return'], { comment: `${COMMENT} please` });
    const stale = await save(asRapporteur, FORUM_2019, sessions[DIALOGUE]!, 0, marked(SET_ASIDE, o1));
    expect(stale.statusCode).toBe(409);

    const states = await Promise.all([REVIEW, SENDAI, MODULES, DIALOGUE].map(async (title) => (await current(asOrganiser, FORUM_2019, sessions[title]!)).state));
    expect(states).toEqual(['draft', 'submitted', 'validated', 'draft']);
    const dialogue = await current(asOrganiser, FORUM_2019, sessions[DIALOGUE]!) as unknown as { returnComment: string; conflicts: unknown[] };
    expect([dialogue.returnComment, dialogue.conflicts.length]).toEqual([`${COMMENT} please`, 1]);

    surfaces = await publicSurfaces();
    for (const [url, body] of await readAll()) fetched.set(url, body);
  });
  afterAll(async () => { await t.close(); });

  test('no public page, download, read API or feed shows drafts, submitted or validated conclusions, comments or set-aside texts, in any language', () => {
    expect(fetched.size).toBe(surfaces.length);
    for (const secret of SECRETS) expect(where(fetched, secret), secret).toEqual([]);
    // These are the real pages and feeds, showing the very sessions that have the secrets.
    expect(fetched.get(`${PUBLIC}/sessions/${sessions[REVIEW]}`)).toContain(REVIEW);
    expect(fetched.get(`${PUBLIC}/sessions/${sessions[REVIEW]}/calendar.ics`)).toContain(`SUMMARY:${REVIEW}`);
    expect(where(fetched, 'BEGIN:VEVENT').length).toBe(surfaces.filter((url) => url.includes('.ics')).length);
  });

  test('positive control: published conclusions show on their session page, the report and its downloads and the conclusions API, never in feeds', async () => {
    const [o1] = await outputIds(asOrganiser, FORUM_2019) as [string];
    await publish(asOrganiser, FORUM_2019, sessions[COMPONENTS]!, marked(PUBLISHED, o1));
    const bodies = await readAll();
    const session = `${PUBLIC}/sessions/${sessions[COMPONENTS]}`;
    const expected = [
      session, `${PUBLIC}/report`, `${PUBLIC}/report.md`, `${PUBLIC}/report.json`, `${API}/conclusions`, `${API}/report`,
    ];
    expect(where(bodies, PUBLISHED).sort()).toEqual([...expected, ...expected.map((url) => `${url}?lang=en`)].sort());
    // Every field is published, on the page as in the download.
    const page = cheerio.load(bodies.get(session)!);
    expect(page('main .session-conclusions').text()).toContain(`${PUBLISHED} owner`);
    for (const field of ['summary', 'key point', 'challenge', 'recommendation', 'action', 'owner']) {
      expect(bodies.get(`${PUBLIC}/report.md`), field).toContain(`${PUBLISHED} ${field}`);
      expect(bodies.get(`${PUBLIC}/report`), field).toContain(`${PUBLISHED} ${field}`);
    }
    expect(where(bodies, PUBLISHED).filter((url) => url.includes('.ics'))).toEqual([]);
    // Publishing one session's conclusions publishes nothing else.
    for (const secret of SECRETS) expect(where(bodies, secret), secret).toEqual([]);
  });

  test('while a newer draft of published conclusions is written, the published revision stays public and the draft does not', async () => {
    const [o1] = await outputIds(asOrganiser, FORUM_2019) as [string];
    const published = await current(asOrganiser, FORUM_2019, sessions[COMPONENTS]!);
    await saveLatest(asOrganiser, FORUM_2019, sessions[COMPONENTS]!, marked(NEWER_DRAFT, o1));
    const now = await current(asOrganiser, FORUM_2019, sessions[COMPONENTS]!);
    expect([now.state, now.revision, now.publishedRevision]).toEqual(['draft', published.revision + 1, published.revision]);

    const bodies = await readAll();
    expect(where(bodies, NEWER_DRAFT)).toEqual([]);
    expect(where(bodies, PUBLISHED).length).toBe(12);
    const api = JSON.parse(bodies.get(`${API}/conclusions`)!) as { conclusions: { session: { id: string }; revision: number; content: ConclusionContent }[] };
    expect(api.conclusions.map((c) => [c.session.id, c.revision, c.content.summary])).toEqual([[sessions[COMPONENTS], published.revision, `${PUBLISHED} summary`]]);

    // Submitted and validated, the newer revision is still not public; published, it replaces the old one.
    await steps(asOrganiser, FORUM_2019, sessions[COMPONENTS]!, ['submit', 'validate']);
    expect(where(await readAll(), NEWER_DRAFT)).toEqual([]);
    await steps(asOrganiser, FORUM_2019, sessions[COMPONENTS]!, ['publish']);
    const after = await readAll();
    expect(where(after, PUBLISHED)).toEqual([]);
    expect(where(after, NEWER_DRAFT).length).toBe(12);
  });
});
