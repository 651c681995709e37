// An expected output created since the latest release is not public: neither its text nor its
// id reaches a public answer, even when published conclusions are tied to it (their tie is
// dropped there: a recommendation tied only to it reads as tied to nothing public). The
// organisers' own answers keep the tie; once the output is released, the tie is public too.
// Rapporteurs are offered released outputs only, plus those already tied (marked not yet
// public, without their text), and the server refuses a tie to any other.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, expectInvalid, ok, sessionsByTitle, type Api, type Written } from '../../helpers/api.ts';
import { $ } from '../../helpers/browser.ts';
import { assign, content, current, outputIds, publish, save, saveLatest } from '../../helpers/conclusions.ts';
import { formPath } from '../../helpers/conclusions-pages.ts';
import { release } from '../../helpers/releases.ts';
import type { ConclusionContent } from '../../../server/db/schema.ts';

const PUBLIC = `/events/${FORUM_2019}`;
const API = eventPath(FORUM_2019);
const COMPONENTS = "Composants clés pour nourrir le programme d'apprentissage";
const REVIEW = 'Bilan du travail effectué';
const UNRELEASED = 'UnreleasedOutputStatementQx';

interface ReportJson {
  outputs: { id: string; recommendations: { text: string; outputs: string[] }[] }[];
  otherRecommendations: { text: string; outputs: string[] }[];
  parts: { sessions: { id: string; conclusions: ConclusionContent }[] }[];
}

describe('conclusions tied to an expected output that was never released', () => {
  let t: TestApp;
  let asOrganiser: Api;
  let sessions: Record<string, string>;
  let released: string[];
  let fresh: string;

  /** Every public answer the report and the published conclusions reach, anonymously. */
  const publicAnswers = async () => Promise.all([
    `${PUBLIC}/report`, `${PUBLIC}/report.md`, `${PUBLIC}/report.json`, `${API}/conclusions`, `${API}/report`,
    `${PUBLIC}/sessions/${sessions[COMPONENTS]}`, `${PUBLIC}/outputs`, `${API}/programme`,
  ].map(async (url) => {
    const response = await t.app.inject(url);
    expect(response.statusCode, url).toBe(200);
    return [url, response.body] as const;
  }));

  beforeAll(async () => {
    t = await buildTestApp();
    const organiser = await addUser(t.app, 'organiser', FORUM_2019);
    asOrganiser = apiAs(t.app, organiser.bearer);
    sessions = await sessionsByTitle(asOrganiser, FORUM_2019);
    released = await outputIds(asOrganiser, FORUM_2019);
    fresh = ok<Written<{ id: string }>>(await asOrganiser.post(`${API}/outputs`, { statement: { fr: UNRELEASED, en: UNRELEASED } }), 201).data.id;
    await publish(asOrganiser, FORUM_2019, sessions[COMPONENTS]!, content({
      summary: 'Résumé publié',
      recommendations: [{ text: 'Servir les deux', outputs: [released[0]!, fresh] }, { text: 'Servir le nouveau', outputs: [fresh] }],
    }));
  });
  afterAll(async () => { await t.close(); });

  test('no public page, download or API answer shows its id or its text; the tie is dropped there and the report stays coherent', async () => {
    for (const [url, body] of await publicAnswers()) {
      expect(body.includes(fresh), `${url} shows ${fresh}`).toBe(false);
      expect(body.includes(UNRELEASED), `${url} shows the statement`).toBe(false);
    }
    const report = ok<ReportJson>(await t.app.inject(`${PUBLIC}/report.json`));
    expect(report.outputs.map((o) => o.id)).toEqual(released);
    expect(report.outputs[0]!.recommendations).toEqual([{ session: sessions[COMPONENTS], text: 'Servir les deux', language: 'fr', outputs: [released[0]], followUp: { id: `${sessions[COMPONENTS]}-r1`, status: 'proposed' } }]);
    expect(report.otherRecommendations).toEqual([{ session: sessions[COMPONENTS], text: 'Servir le nouveau', language: 'fr', outputs: [], followUp: { id: `${sessions[COMPONENTS]}-r2`, status: 'proposed' } }]);
    expect(report.parts.flatMap((p) => p.sessions).map((s) => s.conclusions.recommendations))
      .toEqual([[{ text: 'Servir les deux', outputs: [released[0]] }, { text: 'Servir le nouveau', outputs: [] }]]);
    const api = ok<{ conclusions: { content: ConclusionContent }[] }>(await t.app.inject(`${API}/conclusions`));
    expect(api.conclusions.map((c) => c.content.recommendations.map((r) => r.outputs))).toEqual([[[released[0]], []]]);
  });

  test('the organisers\' own answer keeps the tie; released, the output and the tie become public', async () => {
    expect((await current(asOrganiser, FORUM_2019, sessions[COMPONENTS]!)).content!.recommendations.map((r) => r.outputs))
      .toEqual([[released[0], fresh], [fresh]]);
    release(t.app, FORUM_2019);
    const report = ok<ReportJson>(await t.app.inject(`${PUBLIC}/report.json`));
    expect(report.outputs.map((o) => o.id)).toEqual([...released, fresh]);
    expect(report.outputs.at(-1)!.recommendations.map((r) => r.text)).toEqual(['Servir les deux', 'Servir le nouveau']);
    expect(report.otherRecommendations).toEqual([]);
  });
});

describe('the rapporteurs\' form and an expected output that was never released', () => {
  let t: TestApp;
  let asOrganiser: Api;
  let asRapporteur: Api;
  let rapporteur: TestUser;
  let session: string;
  let released: string[];
  let fresh: string;

  const offered = (html: string) => $(html)('main form.conclusions-form input[name="recommendations.0.outputs"]').toArray().map((el) => el.attribs.value);

  beforeAll(async () => {
    t = await buildTestApp();
    const organiser = await addUser(t.app, 'organiser', FORUM_2019);
    asOrganiser = apiAs(t.app, organiser.bearer);
    rapporteur = await addUser(t.app, 'rapporteur');
    asRapporteur = apiAs(t.app, rapporteur.bearer);
    session = (await sessionsByTitle(asOrganiser, FORUM_2019))[REVIEW]!;
    released = await outputIds(asOrganiser, FORUM_2019);
    fresh = ok<Written<{ id: string }>>(await asOrganiser.post(`${API}/outputs`, { statement: { fr: UNRELEASED } }), 201).data.id;
    await assign(asOrganiser, FORUM_2019, session, rapporteur);
  });
  afterAll(async () => { await t.close(); });

  test('a rapporteur is offered the released outputs only, and the server refuses a tie to the unreleased one (422 unknown-output)', async () => {
    const browser = await signIn(t.app, rapporteur);
    const html = await browser.open(formPath(FORUM_2019, session));
    expect(offered(html)).toEqual(released);
    expect(html.includes(UNRELEASED)).toBe(false);
    expect(html.includes(fresh)).toBe(false);
    const refused = await save(asRapporteur, FORUM_2019, session, 0, content({ recommendations: [{ text: 'Une recommandation', outputs: [fresh] }] }));
    expectInvalid(refused, t.config.publicUrl, [{ pointer: '#/content/recommendations/0/outputs', detail: `${fresh} is not an expected output of this event` }]);
    expect((await current(asOrganiser, FORUM_2019, session)).revision).toBe(0);
    // The organiser of the event sees it in the form, marked as not yet public.
    const organiserHtml = await (await signIn(t.app, await addUser(t.app, 'organiser', FORUM_2019))).open(formPath(FORUM_2019, session));
    expect(offered(organiserHtml)).toEqual([...released, fresh]);
    expect($(organiserHtml)(`label[for="field-recommendations-0-outputs-${fresh}"]`).text()).toBe(`Résultat ${released.length + 1} ${UNRELEASED} (pas encore public : absent du programme publié)`);
  });

  test('a tie an organiser made is kept for the rapporteur: offered, ticked and marked, without its text, and saved again', async () => {
    await saveLatest(asOrganiser, FORUM_2019, session, content({ recommendations: [{ text: 'Liée par l\'organisatrice', outputs: [fresh] }] }));
    const browser = await signIn(t.app, rapporteur);
    const html = await browser.open(formPath(FORUM_2019, session));
    expect(offered(html)).toEqual([...released, fresh]);
    expect($(html)(`input[value="${fresh}"]`).attr('checked')).toBe('checked');
    expect($(html)(`label[for="field-recommendations-0-outputs-${fresh}"]`).text()).toBe(`Résultat ${released.length + 1} (pas encore public : absent du programme publié)`);
    expect(html.includes(UNRELEASED)).toBe(false);
    const revision = await saveLatest(asRapporteur, FORUM_2019, session, content({ summary: 'Revu', recommendations: [{ text: 'Liée par l\'organisatrice', outputs: [fresh] }] }), { submit: true });
    expect(revision).toBe(2);
    expect((await current(asOrganiser, FORUM_2019, session)).content!.recommendations).toEqual([{ text: 'Liée par l\'organisatrice', outputs: [fresh] }]);
  });
});
