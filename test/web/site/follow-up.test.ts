// The public follow-up of recommendations and actions, and the report's statuses. Acceptance:
// conclusions of three sessions of the 2019 forum are published, two recommendations are
// updated to "in progress" and "done" with notes; the follow-up page, its Atom feed (read by an
// independent feed parser, and checked well-formed) and the report (page, md, json) show them.
// Recommendations of unpublished conclusions appear nowhere; an update is seen at once.
import { parseFeed } from '@rowanmanning/feed-parser';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, eventPath, ok, sessionsByTitle, type Api } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { $, texts } from '../../helpers/browser.ts';
import { assign, content, outputIds, publish, save } from '../../helpers/conclusions.ts';

const PUBLIC = `/events/${FORUM_2019}`;
const API = eventPath(FORUM_2019);
const OPENING = 'Ouverture et bienvenue';
const REVIEW = 'Bilan du travail effectué';
const COMPONENTS = "Composants clés pour nourrir le programme d'apprentissage";
const SENDAI = "Apprendre d'un exemple : localiser le cadre de Sendai";
const DRAFT_MARKER = 'SecretFollowUpDraftMarkerQx';

/** Well-formed XML, or the parser's error. */
function wellFormed(xml: string): void {
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (error) => { throw error; });
  parser.write(xml).close();
}

describe('the follow-up page, its Atom feed and the report (acceptance)', () => {
  let t: TestApp;
  let clock = new Date('2026-03-02T08:00:00.000Z');
  let olga: TestUser;
  let rita: TestUser;
  let asOlga: Api;
  let asRita: Api;
  let outputs: string[];
  let ids: Record<string, string>;
  let people: { id: string; name: string }[];

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    rita = await addUser(t.app, 'rapporteur', undefined, 'Rita Rapporteur');
    asOlga = apiAs(t.app, olga.bearer);
    asRita = apiAs(t.app, rita.bearer);
    outputs = await outputIds(asOlga, FORUM_2019);
    ids = await sessionsByTitle(asOlga, FORUM_2019);
    await assign(asOlga, FORUM_2019, ids[REVIEW]!, rita);
    ok(await asOlga.post(`${API}/people`, { name: 'Ada Lovelace' }), 201);
    people = ok<{ items: { id: string; name: string }[] }>(await asOlga.get(`${API}/people`)).items;

    const [o1, o2, o3, o4] = outputs as [string, string, string, string];
    await publish(asOlga, FORUM_2019, ids[OPENING]!, content({
      summary: 'Ouverture.',
      recommendations: [{ text: 'Réunir les villes chaque année', outputs: [o4] }],
      followUps: [{ action: 'Envoyer le questionnaire', owner: 'Secrétariat', due: '2020-01-15' }],
    }));
    await publish(asOlga, FORUM_2019, ids[REVIEW]!, content({
      summary: 'Bilan.',
      recommendations: [{ text: 'Mesurer l\'apprentissage', outputs: [o1, o3] }, { text: 'Documenter les méthodes', outputs: [o3] }],
    }));
    await publish(asOlga, FORUM_2019, ids[COMPONENTS]!, content({
      summary: 'Composants.',
      recommendations: [{ text: 'Associer les élus', outputs: [o2] }],
      followUps: [{ action: 'Lancer la plateforme', owner: '', due: '2030-12-31' }],
    }));
    // Never published: its recommendation is followed up nowhere.
    ok(await save(asOlga, FORUM_2019, ids[SENDAI]!, 0, content({ summary: 'Sendai.', recommendations: [{ text: DRAFT_MARKER, outputs: [o1] }] }), { submit: true }), 201);

    // The two updates: the assigned rapporteur moves one to "in progress", an organiser another to "done".
    clock = new Date('2026-03-05T09:00:00.000Z');
    ok(await asRita.send('PATCH', `${API}/sessions/${ids[REVIEW]}/follow-up/r1`, {
      status: 'in-progress', note: 'Un questionnaire est en préparation.', links: [{ url: 'https://www.uclg.org/questionnaire', title: 'Le questionnaire' }],
    }, { 'if-match': '"0"' }));
    clock = new Date('2026-03-05T10:00:00.000Z');
    ok(await asOlga.send('PATCH', `${API}/sessions/${ids[COMPONENTS]}/follow-up/r1`, {
      status: 'done', note: 'Les élus siègent au comité.', owner: { person: people.find((p) => p.name === 'Ada Lovelace')!.id },
    }, { 'if-match': '"0"' }));
  });
  afterAll(async () => { await t.close(); });

  const item = (html: string, id: string) => {
    const doc = $(html);
    const li = doc(`li[id="${id}"]`).first();
    return {
      status: li.find('.follow-up-item__heading .follow-up-status').text(),
      lastNote: li.find('.follow-up-note-text').text(),
      overdue: li.find('.follow-up-overdue').length > 0,
      owner: li.find('.follow-up-facts dd').eq(1).text().replace(/\s+/g, ' ').trim(),
    };
  };

  test('the page shows each item under its outputs, with its status in words, owner, last note and overdue mark', async () => {
    const page = await t.app.inject(`${PUBLIC}/follow-up`);
    expect(page.statusCode).toBe(200);
    const doc = $(page.body);
    expect(doc('html').attr('lang')).toBe('fr');
    expect(doc('link[rel="alternate"][type="application/atom+xml"]').attr('href')).toBe(`${PUBLIC}/follow-up.atom`);
    const byGroup = doc('.follow-up-group').toArray().map((g) => [doc(g).children('h2').text().split(' :')[0], doc(g).find('li.follow-up-item').toArray().map((li) => doc(li).attr('id'))]);
    expect(byGroup).toEqual([
      ['Résultat 1', [`${ids[REVIEW]}-r1`]],
      ['Résultat 2', [`${ids[COMPONENTS]}-r1`]],
      ['Résultat 3', [`${ids[REVIEW]}-r1`, `${ids[REVIEW]}-r2`]],
      ['Résultat 4', [`${ids[OPENING]}-r1`]],
      ['Actions de suivi', [`${ids[OPENING]}-a1`, `${ids[COMPONENTS]}-a1`]],
    ]);
    expect(item(page.body, `${ids[REVIEW]}-r1`)).toEqual({ status: 'en cours', lastNote: 'Un questionnaire est en préparation.', overdue: false, owner: "Personne n'est encore désigné" });
    expect(item(page.body, `${ids[COMPONENTS]}-r1`)).toEqual({ status: 'réalisée', lastNote: 'Les élus siègent au comité.', overdue: false, owner: 'Ada Lovelace' });
    expect(item(page.body, `${ids[REVIEW]}-r2`)).toEqual({ status: 'proposée', lastNote: '', overdue: false, owner: "Personne n'est encore désigné" });
    // Due on 15 January 2020 and not done: overdue; due in 2030: not yet.
    expect(item(page.body, `${ids[OPENING]}-a1`)).toEqual({ status: 'proposée', lastNote: '', overdue: true, owner: "Personne n'est encore désigné (Proposé par la session : Secrétariat)" });
    expect(item(page.body, `${ids[COMPONENTS]}-a1`).overdue).toBe(false);
    expect(doc(`li[id="${ids[REVIEW]}-r1"] .follow-up-evidence a`).attr('href')).toBe('https://www.uclg.org/questionnaire');
    expect(texts(page.body, `li[id="${ids[REVIEW]}-r1"] .follow-up-facts dd`)[0]).toBe('en cours (depuis aujourd\'hui)');
    expect(page.body).not.toContain(DRAFT_MARKER);
  });

  test('the filters work as a GET form: by status, by output, by owner; a bad value is a 400 page', async () => {
    const shown = async (query: string) => {
      const page = await t.app.inject(`${PUBLIC}/follow-up?${query}`);
      expect(page.statusCode, query).toBe(200);
      return [...new Set($(page.body)('li.follow-up-item').toArray().map((li) => $(page.body)(li).attr('id')))];
    };
    expect(await shown('status=done&output=&owner=')).toEqual([`${ids[COMPONENTS]}-r1`]);
    expect(await shown('status=proposed')).toEqual([`${ids[REVIEW]}-r2`, `${ids[OPENING]}-r1`, `${ids[OPENING]}-a1`, `${ids[COMPONENTS]}-a1`]);
    // An action passes the output filter when its session serves that output.
    expect(await shown(`output=${outputs[2]}`)).toEqual([`${ids[REVIEW]}-r1`, `${ids[REVIEW]}-r2`]);
    expect(await shown(`owner=${people.find((p) => p.name === 'Ada Lovelace')!.id}`)).toEqual([`${ids[COMPONENTS]}-r1`]);
    const form = $((await t.app.inject(`${PUBLIC}/follow-up`)).body)('form.follow-up-filters');
    expect(form.attr('method')).toBe('get');
    expect(form.find('select').toArray().map((s) => [form.find(`label[for="${s.attribs.id}"]`).text(), s.attribs.name])).toEqual([
      ['Statut', 'status'], ['Résultats attendus', 'output'], ['Responsable', 'owner'],
    ]);
    expect((await t.app.inject(`${PUBLIC}/follow-up?status=finished`)).statusCode).toBe(400);
  });

  test('the Atom feed is well-formed, parsed by an independent parser: one entry per status change, newest first, stable ids', async () => {
    const response = await t.app.inject(`${PUBLIC}/follow-up.atom`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    wellFormed(response.body);
    const feed = parseFeed(response.body);
    expect(feed.meta.type).toBe('atom');
    expect(feed.title).toBe("Suivi des recommandations : Le forum d'apprentissage de CGLU");
    expect(feed.items.map((e) => [e.title, e.updated?.toISOString(), e.url])).toEqual([
      [`Recommandation 1 de « ${COMPONENTS} » : réalisée`, '2026-03-05T10:00:00.000Z', `${t.config.publicUrl}${PUBLIC}/follow-up#${ids[COMPONENTS]}-r1`],
      [`Recommandation 1 de « ${REVIEW} » : en cours`, '2026-03-05T09:00:00.000Z', `${t.config.publicUrl}${PUBLIC}/follow-up#${ids[REVIEW]}-r1`],
    ]);
    expect(feed.items.every((e) => /^urn:uuid:[0-9a-f-]{36}$/.test(e.id ?? ''))).toBe(true);
    expect(feed.items[1]!.content).toContain('Statut : proposée → en cours');
    expect(feed.items[1]!.content).toContain('Un questionnaire est en préparation.');
    expect(feed.items[1]!.authors.map((a) => a.name)).toEqual(['Rita Rapporteur']);
    // The same entries the next time: ids are stable.
    expect(parseFeed((await t.app.inject(`${PUBLIC}/follow-up.atom`)).body).items.map((e) => e.id)).toEqual(feed.items.map((e) => e.id));
    expect(response.body).not.toContain(DRAFT_MARKER);
    // In English, on request.
    expect(parseFeed((await t.app.inject(`${PUBLIC}/follow-up.atom?lang=en`)).body).items[0]!.title).toBe(`Recommendation 1 of “Key components to nurture the learning programme”: done`);
  });

  test('the report shows the status beside each recommendation and action: page, report.md and report.json', async () => {
    const page = await t.app.inject(`${PUBLIC}/report`);
    const statuses = texts(page.body, `#output-${outputs[2]} .report-recommendations li .report-status`);
    expect(statuses).toEqual(['Statut : en cours', 'Statut : proposée']);
    expect($(page.body)(`#output-${outputs[1]} .report-status a`).attr('href')).toBe(`${PUBLIC}/follow-up#${ids[COMPONENTS]}-r1`);
    expect(texts(page.body, '.report-follow-ups tbody tr td:last-child')).toEqual(['proposée', 'proposée']);

    const md = (await t.app.inject(`${PUBLIC}/report.md`)).body;
    expect(md).toContain(`- Mesurer l'apprentissage\n  _(${REVIEW} · en cours)_`);
    expect(md).toContain(`- Associer les élus\n  _(${COMPONENTS} · réalisée)_`);
    expect(md).toContain(`| Envoyer le questionnaire | Secrétariat | mercredi 15 janvier 2020 | ${OPENING} | proposée |`);

    const json = ok<{ outputs: { recommendations: { text: string; followUp: { id: string; status: string } }[] }[]; followUps: { action: string; followUp: unknown }[] }>(
      await t.app.inject(`${PUBLIC}/report.json`));
    expect(json.outputs.map((o) => o.recommendations.map((r) => [r.text, r.followUp]))).toEqual([
      [["Mesurer l'apprentissage", { id: `${ids[REVIEW]}-r1`, status: 'in-progress' }]],
      [['Associer les élus', { id: `${ids[COMPONENTS]}-r1`, status: 'done' }]],
      [["Mesurer l'apprentissage", { id: `${ids[REVIEW]}-r1`, status: 'in-progress' }], ['Documenter les méthodes', { id: `${ids[REVIEW]}-r2`, status: 'proposed' }]],
      [['Réunir les villes chaque année', { id: `${ids[OPENING]}-r1`, status: 'proposed' }]],
    ]);
    expect(json.followUps.map((f) => [f.action, f.followUp])).toEqual([
      ['Envoyer le questionnaire', { id: `${ids[OPENING]}-a1`, status: 'proposed' }],
      ['Lancer la plateforme', { id: `${ids[COMPONENTS]}-a1`, status: 'proposed' }],
    ]);
    // The API's report carries them too.
    const api = ok<typeof json>(await t.app.inject(`${API}/report`));
    expect(api.outputs[1]!.recommendations[0]!.followUp).toEqual({ id: `${ids[COMPONENTS]}-r1`, status: 'done' });
  });

  test('the organisers\' coverage panel shows what stalls: outputs all still proposed after N months, actions past due', async () => {
    // Signed in with a token (the test's clock is older than the real one, which a browser's cookie would not outlive).
    const asOrganiser = (url: string) => t.app.inject({ url, headers: olga.bearer });
    const panel = async (query: string) => {
      const page = await asOrganiser(`${PUBLIC}/report${query}`);
      expect(page.statusCode).toBe(200);
      return {
        stalled: texts(page.body, '.report-follow-up-coverage .follow-up-stalled li a'),
        overdue: $(page.body)('.report-follow-up-coverage .follow-up-overdue-actions li a').toArray().map((a) => $(page.body)(a).attr('href')),
      };
    };
    // Three days after publication: nothing has stalled for 3 months, but with 0 months output 4's only recommendation has.
    expect(await panel('')).toEqual({ stalled: [], overdue: [`${PUBLIC}/follow-up#${ids[OPENING]}-a1`] });
    expect(await panel('?months=0')).toEqual({ stalled: ['Résultat 4'], overdue: [`${PUBLIC}/follow-up#${ids[OPENING]}-a1`] });
    expect((await asOrganiser(`${PUBLIC}/report?months=1000`)).statusCode).toBe(400);
    // Not for the public.
    expect($((await t.app.inject(`${PUBLIC}/report`)).body)('.report-follow-up-coverage').length).toBe(0);
  });

  test('unpublished conclusions are followed up nowhere: the API has no item of them, a write is 404', async () => {
    const list = ok<{ items: { id: string; status: string; version: number }[] }>(await t.app.inject(`${API}/follow-up`));
    expect(list.items.map((i) => [i.id, i.status, i.version])).toEqual([
      [`${ids[OPENING]}-r1`, 'proposed', 0], [`${ids[OPENING]}-a1`, 'proposed', 0],
      [`${ids[REVIEW]}-r1`, 'in-progress', 1], [`${ids[REVIEW]}-r2`, 'proposed', 0],
      [`${ids[COMPONENTS]}-r1`, 'done', 1], [`${ids[COMPONENTS]}-a1`, 'proposed', 0],
    ]);
    expect(JSON.stringify(list)).not.toContain(DRAFT_MARKER);
    const write = await asOlga.send('PATCH', `${API}/sessions/${ids[SENDAI]}/follow-up/r1`, { status: 'adopted' }, { 'if-match': '"0"' });
    expect(write.statusCode).toBe(404);
    expect(write.body).not.toContain(DRAFT_MARKER);
  });

  test('an update is seen at once on the cached page, feed and report (their ETag changes)', async () => {
    const before = await t.app.inject(`${PUBLIC}/follow-up`);
    const again = await t.app.inject(`${PUBLIC}/follow-up`);
    expect(again.headers.etag).toBe(before.headers.etag);
    const report = await t.app.inject(`${PUBLIC}/report`);
    ok(await asOlga.send('PATCH', `${API}/sessions/${ids[REVIEW]}/follow-up/r2`, { status: 'adopted' }, { 'if-match': '"0"' }));
    const after = await t.app.inject(`${PUBLIC}/follow-up`);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(item(after.body, `${ids[REVIEW]}-r2`).status).toBe('adoptée');
    const reportAfter = await t.app.inject(`${PUBLIC}/report`);
    expect(reportAfter.headers.etag).not.toBe(report.headers.etag);
    expect(texts(reportAfter.body, `#output-${outputs[2]} .report-recommendations li .report-status`)).toEqual(['Statut : en cours', 'Statut : adoptée']);
    expect(parseFeed((await t.app.inject(`${PUBLIC}/follow-up.atom`)).body).items[0]!.title).toBe(`Recommandation 2 de « ${REVIEW} » : adoptée`);
  });
});
