// Rapporteurs' conclusions through the API: who may write and move them along, how no saved
// word is ever lost (revisions, refused saves kept aside), what is public (only the published
// revision) and the consolidated report built from it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConclusionContent } from '../../../server/db/schema.ts';
import { apiAs, eventPath, expectInvalid, expectProblem, ok, sessionTitled, UUID, type Api, type Headers, type SessionOut, type Written } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { assign, conclusionsUrl, content, current, outputIds, publish, save, steps, transition } from '../../helpers/conclusions.ts';
import { release } from '../../helpers/releases.ts';

const TITLES = {
  bilan: { fr: 'Bilan du travail effectué', en: 'Review of the work done', es: 'Balance del trabajo realizado' },
  sendai: { fr: "Apprendre d'un exemple : localiser le cadre de Sendai", en: 'Learning from an example: localising the Sendai Framework', es: 'Aprender de un ejemplo: localizar el Marco de Sendai' },
} as const;

const FORUM_TITLE = { fr: "Le forum d'apprentissage de CGLU", en: 'The UCLG Learning Forum', es: 'El foro de aprendizaje de CGLU' };

interface Author { id: string | null; name: string }
interface ConflictCopy { id: string; baseRevision: number; currentRevision: number; author: Author; createdAt: string; content: ConclusionContent }
interface Conclusions {
  session: { id: string; title: Record<string, string> };
  state: string;
  revision: number;
  publishedRevision: number | null;
  returnComment: string | null;
  updatedAt: string | null;
  author: Author | null;
  content: ConclusionContent | null;
  conflicts: ConflictCopy[];
}
interface RevisionSummary { number: number; author: Author; createdAt: string; restoredFrom: number | null }
interface RevisionDetail extends RevisionSummary { content: ConclusionContent; changes: { field: string; before: string; after: string }[] }

const PUBLIC_CONCLUSIONS = `${eventPath(FORUM_2019)}/conclusions`;
const REPORT = `${eventPath(FORUM_2019)}/report`;

describe('who may write conclusions and move them along', () => {
  let t: TestApp;
  const clock = new Date('2026-03-02T08:00:00.000Z');
  let olga: TestUser;
  let asOlga: Api;
  let rita: TestUser;
  let asRita: Api;
  let bilan: string;
  let sendai: string;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    asOlga = apiAs(t.app, olga.bearer);
    rita = await addUser(t.app, 'rapporteur', undefined, 'Rita Rapporteur');
    asRita = apiAs(t.app, rita.bearer);
    bilan = (await sessionTitled(asOlga, FORUM_2019, TITLES.bilan.fr)).id;
    sendai = (await sessionTitled(asOlga, FORUM_2019, TITLES.sendai.fr)).id;
    await assign(asOlga, FORUM_2019, bilan, rita);
  });
  afterAll(async () => { await t.close(); });

  test('a rapporteur assigned to a session saves its conclusions (201, revision 1) and is refused 403 on a session not assigned to them', async () => {
    const written = content({ summary: 'Les villes apprennent entre pairs.' });
    const response = await save(asRita, FORUM_2019, bilan, 0, written);
    expect(response.headers.etag).toBe('"1"');
    expect(ok<{ data: Conclusions }>(response, 201)).toEqual({
      data: {
        session: { id: bilan, title: TITLES.bilan }, state: 'draft', revision: 1, publishedRevision: null, returnComment: null,
        updatedAt: '2026-03-02T10:00:00+02:00', author: { id: rita.publicId, name: 'Rita Rapporteur' }, content: written, conflicts: [],
      },
    });

    const refused = 'Only the rapporteurs assigned to this session and the organisers of the event may write its conclusions';
    expectProblem(await save(asRita, FORUM_2019, sendai, 0, written), t.config.publicUrl, 403, 'forbidden', { detail: refused });
    expectProblem(await asRita.get(conclusionsUrl(FORUM_2019, sendai)), t.config.publicUrl, 403, 'forbidden', { detail: refused });
    // Nothing was written on the session she is not assigned to.
    expect((await current(asOlga, FORUM_2019, sendai)).revision).toBe(0);
  });

  test('an anonymous caller is refused 401 on every protected conclusions endpoint, and nothing changes', async () => {
    const before = await current(asOlga, FORUM_2019, bilan);
    const base = conclusionsUrl(FORUM_2019, bilan);
    const someCopy = '6c1f3a4e-2b7d-4e8f-9a0b-1c2d3e4f5a6b';
    const endpoints: [method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown][] = [
      ['GET', '/api/v1/rapporteur/sessions'],
      ['GET', base],
      ['PUT', base, { baseRevision: 1, content: content({ summary: 'anonyme' }) }],
      ['POST', `${base}/transitions`, { action: 'submit', revision: 1 }],
      ['GET', `${base}/revisions`],
      ['GET', `${base}/revisions/1`],
      ['POST', `${base}/revisions/1/restore`, { baseRevision: 1 }],
      ['POST', `${base}/conflicts/${someCopy}/restore`, { baseRevision: 1 }],
    ];
    for (const [method, url, body] of endpoints) {
      const response = await apiAs(t.app).send(method, url, body);
      expectProblem(response, t.config.publicUrl, 401, 'unauthorized', { detail: 'Sign in, or send an API token as "Authorization: Bearer …"' });
      expect(response.headers['www-authenticate'], `${method} ${url}`).toBe('Bearer realm="forum-programme"');
    }
    expect(await current(asOlga, FORUM_2019, bilan)).toEqual(before);
  });

  test('an organiser of another event is refused 403 on reading, saving and moving the conclusions along', async () => {
    const seminarOrganiser = await addUser(t.app, 'organiser', SEMINAR_2015);
    const asSeminarOrganiser = apiAs(t.app, seminarOrganiser.bearer);
    const before = await current(asOlga, FORUM_2019, bilan);
    const detail = 'Only the rapporteurs assigned to this session and the organisers of the event may write its conclusions';
    const base = conclusionsUrl(FORUM_2019, bilan);
    for (const response of [
      await asSeminarOrganiser.get(base),
      await save(asSeminarOrganiser, FORUM_2019, bilan, before.revision, content({ summary: 'intrus' })),
      await transition(asSeminarOrganiser, FORUM_2019, bilan, 'submit', before.revision),
      await asSeminarOrganiser.get(`${base}/revisions`),
    ]) {
      expectProblem(response, t.config.publicUrl, 403, 'forbidden', { detail });
    }
    expect(await current(asOlga, FORUM_2019, bilan)).toEqual(before);
  });

  test('a rapporteur is refused 403 to validate, return, publish or unpublish, and may submit', async () => {
    const { revision } = await current(asRita, FORUM_2019, bilan);
    for (const action of ['validate', 'return', 'publish', 'unpublish']) {
      expectProblem(await transition(asRita, FORUM_2019, bilan, action, revision, 'pourquoi pas'), t.config.publicUrl, 403, 'forbidden', {
        detail: `Only the organisers of this event may ${action} conclusions`,
      });
    }
    expect((await current(asRita, FORUM_2019, bilan)).state).toBe('draft');

    const submitted = ok<{ data: Conclusions }>(await transition(asRita, FORUM_2019, bilan, 'submit', revision)).data;
    expect([submitted.state, submitted.revision, submitted.publishedRevision]).toEqual(['submitted', revision, null]);
    // Submitted, a validation by the rapporteur is still refused: the 403 is about who, not about the state.
    expectProblem(await transition(asRita, FORUM_2019, bilan, 'validate', revision), t.config.publicUrl, 403, 'forbidden', {
      detail: 'Only the organisers of this event may validate conclusions',
    });
    expect((await current(asOlga, FORUM_2019, bilan)).state).toBe('submitted');
  });
});

describe('two saves from the same revision', () => {
  let t: TestApp;
  let clock = new Date('2026-03-02T08:00:00.000Z');
  let olga: TestUser;
  let asOlga: Api;
  let rita: TestUser;
  let asRita: Api;
  let bruno: TestUser;
  let asBruno: Api;
  let bilan: string;
  const ritas = content({ summary: 'Le texte de Rita.', keyPoints: ['Premier point de Rita'] });
  const brunos = content({ summary: 'Le texte de Bruno.', challenges: 'Les défis selon Bruno' });

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    asOlga = apiAs(t.app, olga.bearer);
    rita = await addUser(t.app, 'rapporteur', undefined, 'Rita Rapporteur');
    asRita = apiAs(t.app, rita.bearer);
    bruno = await addUser(t.app, 'rapporteur', undefined, 'Bruno Rapporteur');
    asBruno = apiAs(t.app, bruno.bearer);
    bilan = (await sessionTitled(asOlga, FORUM_2019, TITLES.bilan.fr)).id;
    await assign(asOlga, FORUM_2019, bilan, rita);
    await assign(asOlga, FORUM_2019, bilan, bruno);
  });
  afterAll(async () => { await t.close(); });

  test('the first wins; the second is refused 409 stale-revision with the current conclusions and its own text in "yours", kept aside', async () => {
    clock = new Date('2026-03-02T08:01:00.000Z');
    const first = ok<{ data: Conclusions }>(await save(asRita, FORUM_2019, bilan, 0, ritas), 201).data;
    expect([first.revision, first.content]).toEqual([1, ritas]);

    clock = new Date('2026-03-02T08:02:00.000Z');
    const second = await save(asBruno, FORUM_2019, bilan, 0, brunos);
    expect(second.headers.etag).toBe('"1"');
    const problem = second.json() as { setAside: string };
    expect(problem.setAside).toMatch(UUID);
    const copy: ConflictCopy = {
      id: problem.setAside, baseRevision: 0, currentRevision: 1, author: { id: bruno.publicId, name: 'Bruno Rapporteur' },
      createdAt: '2026-03-02T10:02:00+02:00', content: brunos,
    };
    expectProblem(second, t.config.publicUrl, 409, 'stale-revision', {
      detail: `These conclusions were saved by someone else since you started (they are now at revision 1). Nothing was overwritten: your text is in "yours", and kept on the server (set aside as ${copy.id}). Merge it into the current revision and save again from revision 1.`,
      current: {
        session: { id: bilan, title: TITLES.bilan }, state: 'draft', revision: 1, publishedRevision: null, returnComment: null,
        updatedAt: '2026-03-02T10:01:00+02:00', author: { id: rita.publicId, name: 'Rita Rapporteur' }, content: ritas, conflicts: [copy],
      },
      yours: brunos,
      setAside: copy.id,
    });
  });

  test('both texts are still there: the winner as the content, the refused one among the conflicts; no revision was added', async () => {
    const now = await current(asBruno, FORUM_2019, bilan) as Conclusions;
    expect(now.content).toEqual(ritas);
    expect(now.conflicts.map((c) => c.content)).toEqual([brunos]);
    const revisions = ok<{ revisions: RevisionSummary[] }>(await asBruno.get(`${conclusionsUrl(FORUM_2019, bilan)}/revisions`)).revisions;
    expect(revisions.map((r) => r.number)).toEqual([1]);
  });

  test('restoring the text set aside makes it a new revision (2), from the latest revision only', async () => {
    const { conflicts } = await current(asBruno, FORUM_2019, bilan) as Conclusions;
    const url = `${conclusionsUrl(FORUM_2019, bilan)}/conflicts/${conflicts[0]!.id}/restore`;
    // From revision 0 it is stale again, and changes nothing.
    expectProblem(await asBruno.post(url, { baseRevision: 0 }), t.config.publicUrl, 409, 'stale-revision', {
      detail: expect.any(String), current: expect.objectContaining({ revision: 1 }), yours: brunos, setAside: expect.stringMatching(UUID),
    });

    clock = new Date('2026-03-02T08:03:00.000Z');
    const restored = ok<{ data: Conclusions }>(await asBruno.post(url, { baseRevision: 1 })).data;
    expect([restored.revision, restored.state, restored.content, restored.author]).toEqual([2, 'draft', brunos, { id: bruno.publicId, name: 'Bruno Rapporteur' }]);
    const detail = ok<RevisionDetail>(await asOlga.get(`${conclusionsUrl(FORUM_2019, bilan)}/revisions/2`));
    expect(detail.content).toEqual(brunos);
    // Rita's revision 1 is still in the history.
    expect(ok<RevisionDetail>(await asOlga.get(`${conclusionsUrl(FORUM_2019, bilan)}/revisions/1`)).content).toEqual(ritas);
  });
});

describe('revisions and restoring one', () => {
  let t: TestApp;
  let clock = new Date('2026-03-02T08:00:00.000Z');
  let olga: TestUser;
  let asOlga: Api;
  let bilan: string;
  let outputs: string[];
  const texts: ConclusionContent[] = [];

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    asOlga = apiAs(t.app, olga.bearer);
    bilan = (await sessionTitled(asOlga, FORUM_2019, TITLES.bilan.fr)).id;
    outputs = await outputIds(asOlga, FORUM_2019);
    texts.push(
      content({ summary: 'Version une.' }),
      content({ summary: 'Version deux, la bonne.', keyPoints: ['Un point', 'Un autre'], recommendations: [{ text: 'Partager les méthodes', outputs: [outputs[3]!, outputs[0]!] }], participants: 42 }),
      content({ summary: 'Version trois.', followUps: [{ action: 'Écrire le rapport', owner: 'Secrétariat', due: '2019-12-01' }] }),
      content({ language: 'en', summary: 'Version four.' }),
    );
    for (const [index, text] of texts.entries()) {
      clock = new Date(`2026-03-02T08:0${index + 1}:00.000Z`);
      ok(await save(asOlga, FORUM_2019, bilan, index, text), index === 0 ? 201 : 200);
    }
  });
  afterAll(async () => { await t.close(); });

  const revision = async (n: number) => ok<RevisionDetail>(await asOlga.get(`${conclusionsUrl(FORUM_2019, bilan)}/revisions/${n}`));

  test('each revision keeps its own content, and what changed since the one before it', async () => {
    for (const [index, text] of texts.entries()) expect((await revision(index + 1)).content).toEqual(text);
    expect(await revision(2)).toEqual({
      number: 2, author: { id: olga.publicId, name: 'Olga Organiser' }, createdAt: '2026-03-02T10:02:00+02:00', restoredFrom: null, content: texts[1],
      changes: [
        { field: 'summary', before: 'Version une.', after: 'Version deux, la bonne.' },
        { field: 'keyPoints', before: '', after: '- Un point\n- Un autre' },
        { field: 'recommendations', before: '', after: '- Partager les méthodes [4, 1]' },
        { field: 'participants', before: '', after: '42' },
      ],
    });
    expectProblem(await asOlga.get(`${conclusionsUrl(FORUM_2019, bilan)}/revisions/9`), t.config.publicUrl, 404, 'not-found');
  });

  test('restoring revision 2 of 4 makes revision 5 with the content of revision 2, restoredFrom 2; the list has 5 revisions, newest first', async () => {
    clock = new Date('2026-03-02T08:10:00.000Z');
    const restored = ok<{ data: Conclusions }>(await asOlga.post(`${conclusionsUrl(FORUM_2019, bilan)}/revisions/2/restore`, { baseRevision: 4 })).data;
    expect([restored.revision, restored.state, restored.content]).toEqual([5, 'draft', texts[1]]);

    const fifth = await revision(5);
    expect(fifth.content).toEqual((await revision(2)).content);
    expect([fifth.number, fifth.restoredFrom, fifth.createdAt]).toEqual([5, 2, '2026-03-02T10:10:00+02:00']);
    expect(fifth.changes.map((c) => c.field)).toEqual(['language', 'summary', 'keyPoints', 'recommendations', 'participants']);

    const list = ok<{ revisions: RevisionSummary[] }>(await asOlga.get(`${conclusionsUrl(FORUM_2019, bilan)}/revisions`)).revisions;
    expect(list).toEqual([
      { number: 5, author: { id: olga.publicId, name: 'Olga Organiser' }, createdAt: '2026-03-02T10:10:00+02:00', restoredFrom: 2 },
      ...[4, 3, 2, 1].map((n) => ({ number: n, author: { id: olga.publicId, name: 'Olga Organiser' }, createdAt: `2026-03-02T10:0${n}:00+02:00`, restoredFrom: null })),
    ]);
  });

  test('restoring from an old base revision is refused 409 stale-revision and adds nothing; an unknown revision is 404', async () => {
    expectProblem(await asOlga.post(`${conclusionsUrl(FORUM_2019, bilan)}/revisions/1/restore`, { baseRevision: 4 }), t.config.publicUrl, 409, 'stale-revision', {
      detail: expect.stringContaining('now at revision 5'), current: expect.objectContaining({ revision: 5, content: texts[1] }), yours: texts[0], setAside: expect.stringMatching(UUID),
    });
    expectProblem(await asOlga.post(`${conclusionsUrl(FORUM_2019, bilan)}/revisions/7/restore`, { baseRevision: 5 }), t.config.publicUrl, 404, 'not-found');
    expect((await current(asOlga, FORUM_2019, bilan)).revision).toBe(5);
  });
});

describe('the workflow: draft, submitted, validated, published', () => {
  let t: TestApp;
  let clock = new Date('2026-03-02T08:00:00.000Z');
  let olga: TestUser;
  let asOlga: Api;
  let rita: TestUser;
  let asRita: Api;
  let ids: string[];
  let outputs: string[];

  const publicList = async () => ok<{ conclusions: { session: { id: string }; revision: number; publishedAt: string; content: ConclusionContent }[] }>(await apiAs(t.app).get(PUBLIC_CONCLUSIONS)).conclusions;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    asOlga = apiAs(t.app, olga.bearer);
    rita = await addUser(t.app, 'rapporteur', undefined, 'Rita Rapporteur');
    asRita = apiAs(t.app, rita.bearer);
    outputs = await outputIds(asOlga, FORUM_2019);
    ids = [];
    for (const title of ['Ouverture et bienvenue', TITLES.bilan.fr, TITLES.sendai.fr, 'Evolution des modules et méthodologies', 'La voie à suivre ?']) {
      const id = (await sessionTitled(asOlga, FORUM_2019, title)).id;
      await assign(asOlga, FORUM_2019, id, rita);
      ids.push(id);
    }
  });
  afterAll(async () => { await t.close(); });

  test('each step moves the state on: draft → submitted (rapporteur) → validated → published (organiser), and only then is it public', async () => {
    const session = ids[0]!;
    const text = content({ summary: 'Ouverture : les attentes.', recommendations: [{ text: 'Écouter les villes', outputs: [outputs[1]!] }] });
    ok(await save(asRita, FORUM_2019, session, 0, text), 201);
    const states: [string, number | null][] = [];
    clock = new Date('2026-03-02T09:00:00.000Z');
    for (const [who, action] of [[rita, 'submit'], [olga, 'validate'], [olga, 'publish']] as const) {
      const data = ok<{ data: Conclusions }>(await transition(apiAs(t.app, who.bearer), FORUM_2019, session, action, 1)).data;
      states.push([data.state, data.publishedRevision]);
      if (action !== 'publish') expect(await publicList()).toEqual([]);
    }
    expect(states).toEqual([['submitted', null], ['validated', null], ['published', 1]]);
    expect(await publicList()).toEqual([{
      session: { id: session, title: { fr: 'Ouverture et bienvenue', en: 'Opening and welcome', es: 'Apertura y bienvenida' }, part: expect.stringMatching(UUID), start: '2019-11-12T09:00:00+02:00', end: '2019-11-12T09:20:00+02:00' },
      revision: 1, publishedAt: '2026-03-02T11:00:00+02:00', content: text,
    }]);
  });

  test('returning needs a non-empty comment (422 at #/comment); with one the conclusions are a draft again with the comment, until the next submission', async () => {
    const session = ids[1]!;
    ok(await save(asRita, FORUM_2019, session, 0, content({ summary: 'Bilan.' }), { submit: true }), 201);
    expect((await current(asOlga, FORUM_2019, session)).state).toBe('submitted');
    for (const comment of [undefined, '', '  \r\n ']) {
      expectInvalid(await transition(asOlga, FORUM_2019, session, 'return', 1, comment), t.config.publicUrl,
        [{ pointer: '#/comment', detail: 'say why the conclusions are sent back' }]);
    }
    expect((await current(asOlga, FORUM_2019, session)).state).toBe('submitted');

    const returned = ok<{ data: Conclusions }>(await transition(asOlga, FORUM_2019, session, 'return', 1, '  Ajoutez les chiffres.\r\nMerci.  ')).data;
    expect([returned.state, returned.returnComment, returned.revision]).toEqual(['draft', 'Ajoutez les chiffres.\nMerci.', 1]);
    const assigned = ok<{ sessions: { session: { id: string }; state: string; returnComment: string | null }[] }>(await asRita.get('/api/v1/rapporteur/sessions')).sessions;
    expect(assigned.filter((s) => s.session.id === session).map((s) => [s.state, s.returnComment])).toEqual([['draft', 'Ajoutez les chiffres.\nMerci.']]);

    const resubmitted = ok<{ data: Conclusions }>(await save(asRita, FORUM_2019, session, 1, content({ summary: 'Bilan, avec les chiffres.' }), { submit: true })).data;
    expect([resubmitted.state, resubmitted.returnComment, resubmitted.revision]).toEqual(['submitted', null, 2]);
  });

  test('a new draft saved after publishing leaves the published revision public until it is published in turn', async () => {
    const session = ids[2]!;
    const published = content({ summary: 'Texte publié de Sendai.' });
    const draft = content({ summary: 'Brouillon de Sendai, pas encore relu.' });
    ok(await save(asRita, FORUM_2019, session, 0, published), 201);
    clock = new Date('2026-03-02T10:00:00.000Z');
    await steps(asOlga, FORUM_2019, session, ['submit', 'validate', 'publish'], { revision: 1 });

    clock = new Date('2026-03-02T10:30:00.000Z');
    const saved = ok<{ data: Conclusions }>(await save(asRita, FORUM_2019, session, 1, draft)).data;
    expect([saved.state, saved.revision, saved.publishedRevision, saved.content]).toEqual(['draft', 2, 1, draft]);
    const shown = (await publicList()).filter((c) => c.session.id === session);
    expect(shown.map((c) => [c.revision, c.publishedAt, c.content])).toEqual([[1, '2026-03-02T12:00:00+02:00', published]]);
    expect(JSON.stringify(await publicList())).not.toContain('Brouillon de Sendai');

    clock = new Date('2026-03-02T11:00:00.000Z');
    await steps(asOlga, FORUM_2019, session, ['submit', 'validate', 'publish'], { revision: 2 });
    expect((await publicList()).filter((c) => c.session.id === session).map((c) => [c.revision, c.publishedAt, c.content]))
      .toEqual([[2, '2026-03-02T13:00:00+02:00', draft]]);
  });

  test('unpublishing takes the conclusions off the public API and leaves them validated', async () => {
    const session = ids[2]!;
    expect((await publicList()).map((c) => c.session.id)).toContain(session);
    const unpublished = ok<{ data: Conclusions }>(await transition(asOlga, FORUM_2019, session, 'unpublish', 2)).data;
    expect([unpublished.state, unpublished.publishedRevision]).toEqual(['validated', null]);
    expect((await publicList()).map((c) => c.session.id)).not.toContain(session);
    expect(JSON.stringify(await apiAs(t.app).get(REPORT).then((r) => r.json()))).not.toContain('Brouillon de Sendai');
  });

  test('a step the state does not allow is refused 409 invalid-transition, and changes nothing', async () => {
    const session = ids[3]!;
    expectProblem(await transition(asOlga, FORUM_2019, session, 'submit', 1), t.config.publicUrl, 409, 'invalid-transition', {
      detail: 'There are no conclusions for this session yet: save them first',
    });
    ok(await save(asOlga, FORUM_2019, session, 0, content({ summary: 'Évolution.' })), 201);
    const refusals: [action: string, state: string][] = [];
    const refuse = async (action: string) => {
      const response = await transition(asOlga, FORUM_2019, session, action, 1, 'commentaire');
      expect(response.statusCode, `${action}: ${response.body}`).toBe(409);
      const body = response.json() as { type: string; state: string; detail: string };
      expect(body.type).toBe(`${t.config.publicUrl}/api/docs#problem-invalid-transition`);
      refusals.push([action, body.state]);
    };
    for (const action of ['validate', 'publish', 'return', 'unpublish']) await refuse(action);
    ok(await transition(asOlga, FORUM_2019, session, 'submit', 1));
    for (const action of ['submit', 'publish', 'unpublish']) await refuse(action);
    ok(await transition(asOlga, FORUM_2019, session, 'validate', 1));
    for (const action of ['submit', 'validate', 'unpublish']) await refuse(action);
    ok(await transition(asOlga, FORUM_2019, session, 'publish', 1));
    for (const action of ['submit', 'validate', 'publish', 'return']) await refuse(action);
    expect(refusals).toEqual([
      ['validate', 'draft'], ['publish', 'draft'], ['return', 'draft'], ['unpublish', 'draft'],
      ['submit', 'submitted'], ['publish', 'submitted'], ['unpublish', 'submitted'],
      ['submit', 'validated'], ['validate', 'validated'], ['unpublish', 'validated'],
      ['submit', 'published'], ['validate', 'published'], ['publish', 'published'], ['return', 'published'],
    ]);
    expectProblem(await transition(asOlga, FORUM_2019, session, 'validate', 1), t.config.publicUrl, 409, 'invalid-transition', {
      detail: 'Conclusions that are published cannot be validated', state: 'published',
    });
    const after = await current(asOlga, FORUM_2019, session);
    expect([after.state, after.revision, after.publishedRevision]).toEqual(['published', 1, 1]);
  });

  test('a transition naming an old revision is refused 409 stale-revision with the current conclusions, and changes nothing', async () => {
    const session = ids[4]!;
    ok(await save(asRita, FORUM_2019, session, 0, content({ summary: 'Première version.' })), 201);
    ok(await save(asRita, FORUM_2019, session, 1, content({ summary: 'Deuxième version.' })));
    const before = await current(asOlga, FORUM_2019, session);
    const response = await transition(asRita, FORUM_2019, session, 'submit', 1);
    expect(response.headers.etag).toBe('"2"');
    expectProblem(response, t.config.publicUrl, 409, 'stale-revision', {
      detail: 'These conclusions are now at revision 2, not 1: read them again before you submit them',
      current: before,
    });
    expect(await current(asOlga, FORUM_2019, session)).toEqual(before);
  });
});

describe('what cannot be saved or submitted (422, at the field)', () => {
  let t: TestApp;
  let olga: TestUser;
  let asOlga: Api;
  let bilan: string;
  let outputs: string[];
  let seminarOutput: string;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => new Date('2026-03-02T08:00:00.000Z') });
    olga = await addUser(t.app, 'organiser', undefined, 'Olga Organiser');
    asOlga = apiAs(t.app, olga.bearer);
    bilan = (await sessionTitled(asOlga, FORUM_2019, TITLES.bilan.fr)).id;
    outputs = await outputIds(asOlga, FORUM_2019);
    seminarOutput = (await outputIds(asOlga, SEMINAR_2015))[0]!;
  });
  afterAll(async () => { await t.close(); });

  const revisionNow = async () => (await current(asOlga, FORUM_2019, bilan)).revision as number;

  test('a recommendation naming an output of another event is refused at #/content/recommendations/1/outputs', async () => {
    const response = await save(asOlga, FORUM_2019, bilan, 0, content({
      recommendations: [{ text: 'Bonne', outputs: [outputs[0]!] }, { text: 'Mauvaise', outputs: [outputs[1]!, seminarOutput] }],
    }));
    expectInvalid(response, t.config.publicUrl, [{ pointer: '#/content/recommendations/1/outputs', detail: `${seminarOutput} is not an expected output of this event` }]);
    expect(await revisionNow()).toBe(0);
  });

  test('a due date that does not exist (30 February) is refused at #/content/followUps/0/due', async () => {
    const response = await save(asOlga, FORUM_2019, bilan, 0, content({ followUps: [{ action: 'Relancer', owner: '', due: '2019-02-30' }] }));
    expectInvalid(response, t.config.publicUrl, [
      { pointer: '#/content/followUps/0/due', detail: 'must match format "date"' },
      { pointer: '#/content/followUps/0/due', detail: 'must be null' },
      { pointer: '#/content/followUps/0/due', detail: 'must match a schema in anyOf' },
    ], 'The request body is not valid: content/followUps/0/due must match format "date"; content/followUps/0/due must be null; content/followUps/0/due must match a schema in anyOf');
    expect(await revisionNow()).toBe(0);
  });

  test('submitting without a summary is refused at #/content/summary, in a save and as a transition', async () => {
    expectInvalid(await save(asOlga, FORUM_2019, bilan, 0, content({ summary: '   ' }), { submit: true }), t.config.publicUrl,
      [{ pointer: '#/content/summary', detail: 'write a summary before submitting' }]);
    expect(await revisionNow()).toBe(0);
    // As a draft it may be saved, but not submitted.
    ok(await save(asOlga, FORUM_2019, bilan, 0, content({ summary: '' })), 201);
    expectInvalid(await transition(asOlga, FORUM_2019, bilan, 'submit', 1), t.config.publicUrl,
      [{ pointer: '#/content/summary', detail: 'write a summary before submitting' }]);
    expect((await current(asOlga, FORUM_2019, bilan)).state).toBe('draft');
  });

  test('submitting a recommendation tied to no output is refused at #/content/recommendations/0/outputs; as a draft it is saved', async () => {
    const untied = content({ recommendations: [{ text: 'Sans résultat', outputs: [] }, { text: 'Avec résultat', outputs: [outputs[2]!] }] });
    expectInvalid(await save(asOlga, FORUM_2019, bilan, 1, untied, { submit: true }), t.config.publicUrl,
      [{ pointer: '#/content/recommendations/0/outputs', detail: 'tie each recommendation to at least one expected output before submitting' }]);
    expect(await revisionNow()).toBe(1);
    const saved = ok<{ data: Conclusions }>(await save(asOlga, FORUM_2019, bilan, 1, untied)).data;
    expect([saved.revision, saved.state]).toEqual([2, 'draft']);
    expectInvalid(await transition(asOlga, FORUM_2019, bilan, 'submit', 2), t.config.publicUrl,
      [{ pointer: '#/content/recommendations/0/outputs', detail: 'tie each recommendation to at least one expected output before submitting' }]);
    expect((await current(asOlga, FORUM_2019, bilan)).state).toBe('draft');
  });
});

describe('a save identical to the latest revision', () => {
  let t: TestApp;
  let olga: TestUser;
  let asOlga: Api;
  let bilan: string;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => new Date('2026-03-02T08:00:00.000Z') });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    asOlga = apiAs(t.app, olga.bearer);
    bilan = (await sessionTitled(asOlga, FORUM_2019, TITLES.bilan.fr)).id;
  });
  afterAll(async () => { await t.close(); });

  test('adds no revision (answered 200 at the same revision), even with other line ends and blank edges, and keeps the state', async () => {
    const text = content({ summary: 'Ligne une.\nLigne deux.', keyPoints: ['Un point'] });
    ok(await save(asOlga, FORUM_2019, bilan, 0, text, { submit: true }), 201);
    const before = await current(asOlga, FORUM_2019, bilan);
    expect([before.revision, before.state]).toEqual([1, 'submitted']);

    for (const same of [text, content({ summary: '  Ligne une.\r\nLigne deux.\n', keyPoints: [' Un point '] })]) {
      const response = await save(asOlga, FORUM_2019, bilan, 1, same);
      expect(ok<{ data: Conclusions }>(response, 200)).toEqual({ data: before });
      expect(response.headers.etag).toBe('"1"');
    }
    const list = ok<{ revisions: RevisionSummary[] }>(await asOlga.get(`${conclusionsUrl(FORUM_2019, bilan)}/revisions`)).revisions;
    expect(list.map((r) => r.number)).toEqual([1]);
    expect(await current(asOlga, FORUM_2019, bilan)).toEqual(before);
  });
});

describe('a draft is never public', () => {
  let t: TestApp;
  let olga: TestUser;
  let asOlga: Api;
  let bilan: string;
  const MARKER = 'brouillon-7f3a9c-secret';

  beforeAll(async () => {
    t = await buildTestApp({ now: () => new Date('2026-03-02T08:00:00.000Z') });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    asOlga = apiAs(t.app, olga.bearer);
    bilan = (await sessionTitled(asOlga, FORUM_2019, TITLES.bilan.fr)).id;
    const outputs = await outputIds(asOlga, FORUM_2019);
    ok(await save(asOlga, FORUM_2019, bilan, 0, content({
      summary: `Résumé ${MARKER}`, keyPoints: [`Point ${MARKER}`], challenges: `Défi ${MARKER}`,
      recommendations: [{ text: `Recommandation ${MARKER}`, outputs: [outputs[0]!] }],
      followUps: [{ action: `Action ${MARKER}`, owner: `Responsable ${MARKER}`, due: '2020-01-31' }],
    })), 201);
  });
  afterAll(async () => { await t.close(); });

  const publicBodies = async () => {
    const urls = [PUBLIC_CONCLUSIONS, REPORT, `${eventPath(FORUM_2019)}/programme`, '/api/v1/events'];
    const bodies: string[] = [];
    for (const url of urls) {
      const response = await apiAs(t.app).get(url);
      expect(response.statusCode, url).toBe(200);
      bodies.push(response.body);
    }
    // The organisers' report (with its coverage panel) shows no draft either.
    const organisers = await asOlga.get(REPORT);
    expect(organisers.statusCode).toBe(200);
    bodies.push(organisers.body);
    return bodies;
  };

  test('a draft, a submitted and a validated text appear in no public API (conclusions, report, programme, events)', async () => {
    for (const step of [null, 'submit', 'validate']) {
      if (step) ok(await transition(asOlga, FORUM_2019, bilan, step, 1));
      const bodies = await publicBodies();
      expect(bodies.filter((b) => b.includes(MARKER)), `after ${step ?? 'save'}`).toEqual([]);
    }
    expect(ok(await apiAs(t.app).get(PUBLIC_CONCLUSIONS))).toEqual({ conclusions: [] });
  });

  test('once published, the text is in the public conclusions and the report (positive control)', async () => {
    ok(await transition(asOlga, FORUM_2019, bilan, 'publish', 1));
    const conclusions = (await apiAs(t.app).get(PUBLIC_CONCLUSIONS)).body;
    const report = (await apiAs(t.app).get(REPORT)).body;
    for (const piece of [`Résumé ${MARKER}`, `Point ${MARKER}`, `Défi ${MARKER}`, `Recommandation ${MARKER}`, `Action ${MARKER}`]) {
      expect(conclusions).toContain(piece);
      expect(report).toContain(piece);
    }
  });
});

describe('deleting a session that has conclusions', () => {
  let t: TestApp;
  let api: Api;
  let olga: TestUser;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => new Date('2026-03-02T08:00:00.000Z') });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    api = apiAs(t.app, olga.bearer);
  });
  afterAll(async () => { await t.close(); });

  const newSession = async (fr: string) => ok<Written<SessionOut>>(await api.post(`${eventPath(FORUM_2019)}/sessions`, {
    title: { fr }, kind: 'workshop', start: '2019-11-12T14:00', end: '2019-11-12T14:30',
  }), 201).data;

  test('an unreleased session with conclusions is refused 409 cancel-instead; the session and its conclusions stay', async () => {
    const session = await newSession('Atelier jamais publié');
    const text = content({ summary: 'Des mots à ne pas perdre.' });
    ok(await save(api, FORUM_2019, session.id, 0, text), 201);

    expectProblem(await api.delete(`${eventPath(FORUM_2019)}/sessions/${session.id}`, session.version), t.config.publicUrl, 409, 'cancel-instead', {
      detail: `Session ${session.id} has conclusions written by its rapporteurs, which deleting it would lose. Cancel it instead: PATCH {"status": "cancelled"}`,
    });
    expect(ok(await api.get(`${eventPath(FORUM_2019)}/sessions/${session.id}`))).toEqual(session);
    const after = await current(api, FORUM_2019, session.id);
    expect([after.revision, after.content]).toEqual([1, text]);
  });

  test('an unreleased session without conclusions is deleted (204): the refusal above is the conclusions\' doing', async () => {
    const session = await newSession('Atelier sans conclusions');
    const response = await api.delete(`${eventPath(FORUM_2019)}/sessions/${session.id}`, session.version);
    expect(response.statusCode, response.body).toBe(204);
    expectProblem(await api.get(`${eventPath(FORUM_2019)}/sessions/${session.id}`), t.config.publicUrl, 404, 'not-found');
  });
});

describe('GET /api/v1/rapporteur/sessions', () => {
  let t: TestApp;
  let olga: TestUser;
  let asOlga: Api;
  let seminarOrganiser: TestUser;
  let asSeminarOrganiser: Api;
  let rita: TestUser;
  let asRita: Api;
  let bruno: TestUser;
  let asBruno: Api;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => new Date('2026-03-02T08:00:00.000Z') });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    asOlga = apiAs(t.app, olga.bearer);
    seminarOrganiser = await addUser(t.app, 'organiser', SEMINAR_2015, 'Sam Organiser');
    asSeminarOrganiser = apiAs(t.app, seminarOrganiser.bearer);
    rita = await addUser(t.app, 'rapporteur', undefined, 'Rita Rapporteur');
    asRita = apiAs(t.app, rita.bearer);
    bruno = await addUser(t.app, 'rapporteur', undefined, 'Bruno Rapporteur');
    asBruno = apiAs(t.app, bruno.bearer);
  });
  afterAll(async () => { await t.close(); });

  const listed = async (user: TestUser) => ok<{ sessions: unknown[] }>(await apiAs(t.app, user.bearer).get('/api/v1/rapporteur/sessions')).sessions;

  test('lists exactly the sessions assigned to the caller, across events in time order, with where their conclusions stand', async () => {
    expect(await listed(rita)).toEqual([]);

    const bilan = (await sessionTitled(asOlga, FORUM_2019, TITLES.bilan.fr)).id;
    const sendai = (await sessionTitled(asOlga, FORUM_2019, TITLES.sendai.fr)).id;
    const seminarSession = (await asSeminarOrganiser.get(`${eventPath(SEMINAR_2015)}/sessions`)).json().items[0] as { id: string; title: Record<string, string>; start: string; end: string };
    // Assigned in another order than they take place.
    await assign(asOlga, FORUM_2019, sendai, rita);
    await assign(asOlga, FORUM_2019, bilan, rita);
    await assign(asSeminarOrganiser, SEMINAR_2015, seminarSession.id, rita);
    await assign(asOlga, FORUM_2019, bilan, bruno);

    ok(await save(asRita, FORUM_2019, sendai, 0, content({ summary: 'Sendai.' })), 201);
    ok(await save(asRita, FORUM_2019, sendai, 1, content({ summary: 'Sendai, relu.' }), { submit: true }));
    ok(await save(asBruno, FORUM_2019, bilan, 0, content({ summary: 'Bilan.' })), 201);
    ok(await transition(asOlga, FORUM_2019, sendai, 'return', 2, 'Trop court.'));

    const forum = { slug: FORUM_2019, title: FORUM_TITLE };
    expect(await listed(rita)).toEqual([
      {
        event: { slug: SEMINAR_2015, title: { fr: "Création conjointe d'un nouvel agenda d'apprentissage pour CGLU", en: 'Co-creating a new learning agenda for UCLG', es: 'Creación conjunta de una nueva agenda de aprendizaje para CGLU' } },
        session: { id: seminarSession.id, title: seminarSession.title, start: seminarSession.start, end: seminarSession.end },
        state: 'none', revision: 0, returnComment: null,
      },
      { event: forum, session: { id: bilan, title: TITLES.bilan, start: '2019-11-12T10:00:00+02:00', end: '2019-11-12T11:00:00+02:00' }, state: 'draft', revision: 1, returnComment: null },
      { event: forum, session: { id: sendai, title: TITLES.sendai, start: '2019-11-12T11:00:00+02:00', end: '2019-11-12T11:40:00+02:00' }, state: 'draft', revision: 2, returnComment: 'Trop court.' },
    ]);
    expect(await listed(bruno)).toEqual([
      { event: forum, session: { id: bilan, title: TITLES.bilan, start: '2019-11-12T10:00:00+02:00', end: '2019-11-12T11:00:00+02:00' }, state: 'draft', revision: 1, returnComment: null },
    ]);
    // An organiser is assigned nothing.
    expect(await listed(olga)).toEqual([]);
  });
});

describe('GET /api/v1/events/:slug/report', () => {
  let t: TestApp;
  let clock = new Date('2026-03-02T08:00:00.000Z');
  let olga: TestUser;
  let api: Api;
  let outputs: string[];
  const id: Record<string, string> = {};

  const TITLE_OF = {
    ouverture: 'Ouverture et bienvenue',
    objectifs: 'Objectifs et attentes des participants',
    bilan: TITLES.bilan.fr,
    sendai: TITLES.sendai.fr,
    evolution: 'Evolution des modules et méthodologies',
    composants: "Composants clés pour nourrir le programme d'apprentissage",
    dialogue: 'Dialogue entre mécanismes : comment assurer la transférabilité ?',
    voie: 'La voie à suivre ?',
  } as const;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    api = apiAs(t.app, olga.bearer);
    outputs = await outputIds(api, FORUM_2019);
    for (const [key, fr] of Object.entries(TITLE_OF)) id[key] = (await sessionTitled(api, FORUM_2019, fr)).id;

    // "La voie à suivre ?" is cancelled, and released so: it is expected to report no more.
    const voie = ok<SessionOut>(await api.get(`${eventPath(FORUM_2019)}/sessions/${id.voie}`));
    ok(await api.patch(`${eventPath(FORUM_2019)}/sessions/${id.voie}`, { status: 'cancelled' }, voie.version));
    release(t.app, FORUM_2019);

    const [o1, , o3] = outputs as [string, string, string, string];
    // Published in another order than the programme's, at different times.
    clock = new Date('2026-03-02T08:10:00.000Z');
    await publish(api, FORUM_2019, id.composants!, content({
      language: 'en', summary: 'Key components.',
      recommendations: [{ text: 'R-composants-o3', outputs: [o3] }],
      followUps: [{ action: 'F-early', owner: 'UCLG', due: '2020-01-15' }],
    }));
    clock = new Date('2026-03-02T08:20:00.000Z');
    await publish(api, FORUM_2019, id.bilan!, content({
      summary: 'Bilan.',
      recommendations: [{ text: 'R-bilan-o1', outputs: [o1] }, { text: 'R-bilan-o3-o1', outputs: [o3, o1] }],
      followUps: [{ action: 'F-bilan-undated', owner: '', due: null }, { action: 'F-late', owner: 'Secrétariat', due: '2020-06-30' }],
    }));
    clock = new Date('2026-03-02T08:05:00.000Z');
    await publish(api, FORUM_2019, id.ouverture!, content({
      summary: 'Ouverture.',
      recommendations: [{ text: 'R-ouverture-o1', outputs: [o1] }],
      followUps: [{ action: 'F-ouverture-undated', owner: 'Villes', due: null }, { action: 'F-middle', owner: '', due: '2020-03-01' }],
      participants: 120,
    }));
    // Not published: a draft and a submitted text; the coverage panel tells where they stand.
    ok(await save(api, FORUM_2019, id.evolution!, 0, content({ summary: 'Évolution, brouillon.', recommendations: [{ text: 'R-evolution-draft', outputs: [outputs[1]!] }] })), 201);
    ok(await save(api, FORUM_2019, id.dialogue!, 0, content({ summary: 'Dialogue.', recommendations: [{ text: 'R-dialogue-submitted', outputs: [outputs[3]!] }] }), { submit: true }), 201);
  });
  afterAll(async () => { await t.close(); });

  interface ReportRec { session: string; text: string; language: string; outputs: string[] }
  interface ReportBody {
    event: Record<string, unknown>;
    publishedUpTo: string | null;
    outputs: { id: string; number: number; statement: Record<string, string>; recommendations: ReportRec[] }[];
    otherRecommendations: ReportRec[];
    parts: { part: { id: string; label: Record<string, string>; title: Record<string, string> } | null; sessions: { id: string; title: Record<string, string>; revision: number; publishedAt: string; conclusions: ConclusionContent; room: unknown; start: string | null; end: string | null }[] }[];
    followUps: { action: string; owner: string; due: string | null; language: string; session: string }[];
    coverage?: { outputsWithout: string[]; sessionsWithout: { id: string; title: Record<string, string>; state: string }[] };
  }
  const report = async (auth: Headers = {}) => ok<ReportBody>(await apiAs(t.app, auth).get(REPORT));

  test('groups the recommendations under the outputs they serve, in programme order, each output by its number', async () => {
    const body = await report();
    expect(body.outputs.map((o) => [o.number, o.id, o.recommendations.map((r) => r.text)])).toEqual([
      [1, outputs[0], ['R-ouverture-o1', 'R-bilan-o1', 'R-bilan-o3-o1']],
      [2, outputs[1], []],
      [3, outputs[2], ['R-bilan-o3-o1', 'R-composants-o3']],
      [4, outputs[3], []],
    ]);
    expect(body.outputs[2]!.recommendations).toEqual([
      { session: id.bilan, text: 'R-bilan-o3-o1', language: 'fr', outputs: [outputs[0], outputs[2]], followUp: { id: `${id.bilan}-r2`, status: 'proposed' } },
      { session: id.composants, text: 'R-composants-o3', language: 'en', outputs: [outputs[2]], followUp: { id: `${id.composants}-r1`, status: 'proposed' } },
    ]);
    expect(body.otherRecommendations).toEqual([]);
    expect(body.event).toEqual({ slug: FORUM_2019, title: FORUM_TITLE, timezone: 'Africa/Johannesburg', startDate: '2019-11-12', endDate: '2019-11-12' });
    expect(body.publishedUpTo).toBe('2026-03-02T10:20:00+02:00');
  });

  test('lists the parts in order, each with its sessions that have published conclusions', async () => {
    const body = await report();
    expect(body.parts.map((p) => [p.part?.label.en ?? null, p.sessions.map((s) => [s.id, s.revision, s.publishedAt])])).toEqual([
      ['Part one', [[id.ouverture, 1, '2026-03-02T10:05:00+02:00']]],
      ['Part two', [[id.bilan, 1, '2026-03-02T10:20:00+02:00']]],
      ['Part three', [[id.composants, 1, '2026-03-02T10:10:00+02:00']]],
    ]);
    const ouverture = body.parts[0]!.sessions[0]!;
    expect(ouverture.title.fr).toBe(TITLE_OF.ouverture);
    expect([ouverture.start, ouverture.end]).toEqual(['2019-11-12T09:00:00+02:00', '2019-11-12T09:20:00+02:00']);
    expect(ouverture.conclusions.participants).toBe(120);
  });

  test('sorts the follow-up actions by due date, undated last (in programme order)', async () => {
    expect((await report()).followUps).toEqual([
      { action: 'F-early', owner: 'UCLG', due: '2020-01-15', language: 'en', session: id.composants, followUp: { id: `${id.composants}-a1`, status: 'proposed' } },
      { action: 'F-middle', owner: '', due: '2020-03-01', language: 'fr', session: id.ouverture, followUp: { id: `${id.ouverture}-a2`, status: 'proposed' } },
      { action: 'F-late', owner: 'Secrétariat', due: '2020-06-30', language: 'fr', session: id.bilan, followUp: { id: `${id.bilan}-a2`, status: 'proposed' } },
      { action: 'F-ouverture-undated', owner: 'Villes', due: null, language: 'fr', session: id.ouverture, followUp: { id: `${id.ouverture}-a1`, status: 'proposed' } },
      { action: 'F-bilan-undated', owner: '', due: null, language: 'fr', session: id.bilan, followUp: { id: `${id.bilan}-a1`, status: 'proposed' } },
    ]);
  });

  test('for the event\'s organisers, coverage lists exactly the outputs with no recommendation and the sessions expected to report that have not', async () => {
    const body = await report(olga.bearer);
    expect(body.coverage).toEqual({
      outputsWithout: [outputs[1], outputs[3]],
      // Not "Arrivée des participants" (registration), "Déjeuner" (break) nor "La voie à suivre ?" (cancelled).
      sessionsWithout: [
        { id: id.objectifs, title: { fr: TITLE_OF.objectifs, en: "Participants' objectives and expectations", es: 'Objetivos y expectativas de los participantes' }, state: 'none' },
        { id: id.sendai, title: TITLES.sendai, state: 'none' },
        { id: id.evolution, title: { fr: TITLE_OF.evolution, en: 'Evolution of modules and methodologies', es: 'Evolución de los módulos y metodologías' }, state: 'draft' },
        { id: id.dialogue, title: { fr: TITLE_OF.dialogue, en: 'Dialogue between mechanisms: how can transferability be ensured?', es: 'Diálogo entre mecanismos: ¿cómo garantizar la transferibilidad?' }, state: 'submitted' },
      ],
    });
    // An organiser of every event sees it too.
    const everyEvent = await addUser(t.app, 'organiser');
    expect((await report(everyEvent.bearer)).coverage).toEqual(body.coverage);
  });

  test('anonymous callers, rapporteurs and organisers of another event get the same report without a coverage key', async () => {
    const { coverage, ...rest } = await report(olga.bearer);
    expect(coverage).toBeDefined();
    const others = [{}, (await addUser(t.app, 'rapporteur')).bearer, (await addUser(t.app, 'organiser', SEMINAR_2015)).bearer];
    for (const auth of others) {
      const body = await report(auth);
      expect(Object.keys(body)).not.toContain('coverage');
      expect(body).toEqual(rest);
    }
  });
});
