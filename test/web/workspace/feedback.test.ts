// The organisers' side of participants' feedback: the workspace page (distributions per session,
// part and expected output, with exact figures in the reader's language; the comments waiting,
// with their buttons, CSRF-protected) and the moderation API (If-Match, stale, 404/403, audit).
// A comment is public only while approved: hidden, it disappears; edited, it waits again.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, eventPath, ok, sessionsByTitle, type Api } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn } from '../../helpers/auth.ts';
import { $, Browser, texts } from '../../helpers/browser.ts';

const PUBLIC = `/events/${FORUM_2019}`;
const API = eventPath(FORUM_2019);
const ADMIN = `/admin/events/${FORUM_2019}/feedback`;
const OPENING = 'Ouverture et bienvenue';
const REVIEW = 'Bilan du travail effectué';

interface Comment { id: number; comment: string; state?: string; version?: number }

describe('feedback for organisers: distributions and moderation', () => {
  let t: TestApp;
  let asOlga: Api;
  let asSara: Api;
  let organiser: Browser;
  let ids: Record<string, string>;
  const participants = new Map<string, Browser>();

  const give = async (who: string, title: string, fields: Record<string, string>) => {
    if (!participants.has(who)) participants.set(who, new Browser(t.app));
    const response = await participants.get(who)!.post(`${PUBLIC}/sessions/${ids[title]}/feedback`, fields);
    expect(response.statusCode, response.body).toBe(303);
  };
  const publicComments = async () => ok<{ sessions: { comments: Comment[] }[] }>(await t.app.inject(`${API}/feedback`)).sessions.flatMap((s) => s.comments.map((c) => c.comment));
  const organiserComments = async () => ok<{ sessions: { comments: Comment[] }[] }>(await asOlga.get(`${API}/feedback`)).sessions.flatMap((s) => s.comments);

  beforeAll(async () => {
    // The real clock: every session of 2019 has ended.
    t = await buildTestApp();
    const olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    const sara = await addUser(t.app, 'organiser', 'uclg-learning-agenda-2015', 'Sara Seminar');
    asOlga = apiAs(t.app, olga.bearer);
    asSara = apiAs(t.app, sara.bearer);
    organiser = await signIn(t.app, olga);
    ids = await sessionsByTitle(asOlga, FORUM_2019);
    await give('ana', OPENING, { rating: '4', useful: 'yes', comment: 'Bien <script>alert(1)</script>' });
    await give('ben', OPENING, { rating: '2', useful: 'no', comment: 'Trop long' });
    await give('chloé', OPENING, { rating: '5' });
    await give('ana', REVIEW, { rating: '3', useful: 'yes', comment: 'Intéressant' });
  });
  afterAll(async () => { await t.close(); });

  test('the page gives the distributions per session, part and expected output, with exact figures', async () => {
    const page = await organiser.open(ADMIN);
    const doc = $(page);
    expect(doc('a[aria-current="page"]').toArray().map((a) => [doc(a).attr('href'), doc(a).text()])).toEqual([[ADMIN, 'Avis']]);
    const table = (section: string) => doc(`${section} tbody tr`).toArray().map((tr) => doc(tr).find('th, td').toArray().map((c) => doc(c).text().replace(/\s+/g, ' ').trim()));
    expect(table('.feedback-by-session')).toEqual([
      [`${OPENING}mardi 12 novembre 2019, 09:00–09:20`, '3', '0', '1', '0', '1', '1', '3,7', '50 %'],
      [`${REVIEW}mardi 12 novembre 2019, 10:00–11:00`, '1', '0', '0', '1', '0', '0', '3,0', '100 %'],
    ]);
    expect(table('.feedback-by-part')).toEqual([
      ['Première partie : Introduction – mise en contexte', '3', '0', '1', '0', '1', '1', '3,7', '50 %'],
      ['Deuxième partie : Localiser les agendas globaux', '1', '0', '0', '1', '0', '0', '3,0', '100 %'],
    ]);
    expect(table('.feedback-by-output').map((row) => [row[0]!.split(' : ')[0], ...row.slice(1)])).toEqual([
      ['Résultat 1', '1', '0', '0', '1', '0', '0', '3,0', '100 %'],
      ['Résultat 2', '0', '0', '0', '0', '0', '0', 'aucune réponse', 'aucune réponse'],
      ['Résultat 3', '0', '0', '0', '0', '0', '0', 'aucune réponse', 'aucune réponse'],
      ['Résultat 4', '0', '0', '0', '0', '0', '0', 'aucune réponse', 'aucune réponse'],
    ]);
    expect(doc('.feedback-by-session thead th').toArray().map((th) => doc(th).text())).toEqual(['Session', 'Réponses', '1', '2', '3', '4', '5', 'Moyenne', 'Utile']);
    // The comments waiting, oldest first, escaped, each with its buttons.
    expect(texts(page, '.feedback-comment--pending .feedback-comment__text')).toEqual(['Bien <script>alert(1)</script>', 'Trop long', 'Intéressant']);
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(texts(page, '.feedback-comment--pending').length).toBe(3);
    expect(doc('.feedback-comment--pending').first().find('button').toArray().map((b) => doc(b).text())).toEqual(['Approuver', 'Masquer']);
  });

  test('approve from the page (CSRF, audited), hide, approve again; an edited comment waits again and leaves the public pages', async () => {
    const [bien] = await organiserComments();
    expect(bien).toMatchObject({ comment: 'Bien <script>alert(1)</script>', state: 'pending' });
    expect(await publicComments()).toEqual([]);

    // Without the CSRF token: refused, nothing changes.
    const forged = await organiser.post(`${ADMIN}/${bien!.id}`, { state: 'approved' });
    expect(forged.statusCode).toBe(403);
    expect((await organiserComments())[0]!.state).toBe('pending');

    const page = await organiser.open(ADMIN);
    const approved = await organiser.send(page, { state: 'approved' }, { form: `#comment-${bien!.id} form.feedback-moderate` });
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toBe(`${ADMIN}?saved=feedbackModerated#comment-${bien!.id}`);
    const after = await organiser.open(String(approved.headers.location));
    expect(texts(after, '.notice')).toEqual(['Le commentaire est modéré.']);
    expect(texts(after, '.feedback-comment--approved .feedback-comment__text')).toEqual(['Bien <script>alert(1)</script>']);
    expect(await publicComments()).toEqual(['Bien <script>alert(1)</script>']);
    const report = (await t.app.inject(`${PUBLIC}/report`)).body;
    expect(texts(report, '.report-feedback__comments .feedback-comment__text')).toEqual(['Bien <script>alert(1)</script>']);
    expect(report).not.toContain('<script>alert(1)</script>');
    const audit = ok<{ entries: { actor: { name: string }; entity: string; entityId: string; before: unknown; after: unknown }[] }>(await asOlga.get(`${API}/audit?entity=feedback`));
    expect(audit.entries.map((e) => [e.actor.name, e.entityId, e.before, e.after])).toEqual([
      ['Olga Organiser', String(bien!.id), { commentState: 'pending' }, { commentState: 'approved' }],
    ]);

    // Hidden: gone from every public answer.
    const hide = await organiser.send(after, { state: 'hidden' }, { form: `#comment-${bien!.id} form.feedback-moderate` });
    expect(hide.statusCode).toBe(303);
    expect(await publicComments()).toEqual([]);
    expect((await t.app.inject(`${PUBLIC}/report`)).body).not.toContain('Bien &lt;script&gt;');
    expect((await t.app.inject(`${PUBLIC}/report.md`)).body).not.toContain('Bien');

    // Approved again by the API, then edited by its writer: it waits again.
    const current = (await organiserComments()).find((c) => c.id === bien!.id)!;
    const moderated = await asOlga.send('PATCH', `${API}/feedback/${bien!.id}`, { commentState: 'approved' }, { 'if-match': `"${current.version}"` });
    expect(moderated.statusCode, moderated.body).toBe(200);
    expect(moderated.headers.etag).toBe(`"${current.version! + 1}"`);
    expect(moderated.json()).toEqual({ data: { id: bien!.id, comment: 'Bien <script>alert(1)</script>', at: expect.any(String), state: 'approved', version: current.version! + 1 } });
    expect(await publicComments()).toEqual(['Bien <script>alert(1)</script>']);
    const read = await organiser.open(ADMIN);
    await give('ana', OPENING, { rating: '4', useful: 'yes', comment: 'Bien, finalement' });
    expect((await organiserComments()).find((c) => c.id === bien!.id)).toMatchObject({ comment: 'Bien, finalement', state: 'pending' });
    expect(await publicComments()).toEqual([]);
    // Approving from the page read before the edit approves nothing: the page says the comment changed.
    const late = await organiser.send(read, { state: 'hidden' }, { form: `#comment-${bien!.id} form.feedback-moderate` });
    expect(late.headers.location).toBe(`${ADMIN}?saved=feedbackChanged#comment-${bien!.id}`);
    expect(texts(await organiser.open(String(late.headers.location)), '.notice')).toEqual(["Ce commentaire a été modifié par son auteur depuis que vous l'avez lu : rien n'a été changé. Relisez-le ci-dessous."]);
    expect((await organiserComments()).find((c) => c.id === bien!.id)!.state).toBe('pending');
  });

  test('the moderation API: If-Match required and checked, the answer of the address is the event\'s, a comment is needed, organisers of the event only', async () => {
    const [first, second] = await organiserComments();
    const patch = (api: Api, id: number, body: unknown, ifMatch?: string) => api.send('PATCH', `${API}/feedback/${id}`, body, ifMatch ? { 'if-match': ifMatch } : {});
    const noIfMatch = await patch(asOlga, first!.id, { commentState: 'approved' });
    expect(noIfMatch.statusCode).toBe(428);
    expect(noIfMatch.headers['content-type']).toMatch(/^application\/problem\+json/);
    const stale = await patch(asOlga, first!.id, { commentState: 'approved' }, `"${first!.version! + 7}"`);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().type).toMatch(/#problem-stale-version$/);
    expect((await patch(asOlga, first!.id, { commentState: 'published' }, `"${first!.version}"`)).statusCode).toBe(422);
    expect((await patch(asOlga, 987_654, { commentState: 'approved' }, '"1"')).statusCode).toBe(404);
    expect((await patch(asSara, second!.id, { commentState: 'approved' }, `"${second!.version}"`)).statusCode).toBe(403);
    expect((await patch(apiAs(t.app), second!.id, { commentState: 'approved' }, `"${second!.version}"`)).statusCode).toBe(401);
    // An answer without a comment has nothing to moderate.
    const all = ok<{ sessions: { session: { id: string }; answers: number }[] }>(await asOlga.get(`${API}/feedback`));
    expect(all.sessions.map((s) => [s.session.id, s.answers])).toEqual([[ids[OPENING], 3], [ids[REVIEW], 1]]);
    expect(await publicComments()).toEqual([]);
    expect((await organiserComments()).map((c) => c.state)).toEqual(['pending', 'pending', 'pending']);
  });
});
