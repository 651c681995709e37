// Participants' feedback on the public site, without an account. Acceptance: a participant's
// rating and comment on an ended session of the 2019 forum; the rating counts at once (report
// page, md, json, sessions.csv, API), the comment appears only once an organiser approves it;
// a second answer from the same browser replaces the first. And the limits: no form before the
// end, for a cancelled session or a break (the POST refused, nothing written); one answer per
// browser and session, a new browser adds one; the personal agenda names a browser too; a rate
// limit per address (429, nothing written); a cross-site post refused; the session page, cached
// before the end, links to the form once the end has passed.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sessionFeedback } from '../../../server/db/schema.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { FEEDBACK_LIMITS } from '../../../server/domains/participants/feedback.ts';
import { apiAs, eventPath, ok, sessionsByTitle, type Api } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { $, Browser, texts } from '../../helpers/browser.ts';
import { release } from '../../helpers/releases.ts';

const PUBLIC = `/events/${FORUM_2019}`;
const API = eventPath(FORUM_2019);
const OPENING = 'Ouverture et bienvenue'; // 09:00–09:20 in Durban (07:00–07:20 UTC), first part, no output
const OBJECTIVES = 'Objectifs et attentes des participants'; // 09:20–09:55, first part, output 2
const REVIEW = 'Bilan du travail effectué'; // 10:00–11:00, second part
const LUNCH = 'Déjeuner';
const DIALOGUE = 'Dialogue entre mécanismes : comment assurer la transférabilité ?';
const NBSP = '\u00a0';

interface ApiFigures { answers: number; ratings: number[]; mean: number | null; useful: { yes: number; no: number }; usefulShare: number | null }
interface ApiFeedback {
  sessions: (ApiFigures & { session: { id: string }; comments: { id: number; comment: string; state?: string; version?: number }[] })[];
  parts: (ApiFigures & { part: string | null })[];
  outputs: (ApiFigures & { output: string; number: number })[];
  total: ApiFigures;
}

describe('participants\' feedback on the public site', () => {
  let t: TestApp;
  let clock = new Date('2019-11-12T07:10:00.000Z');
  let olga: TestUser;
  let asOlga: Api;
  let ids: Record<string, string>;
  let eventId: number;

  const rows = () => t.app.db.select().from(sessionFeedback).where(eq(sessionFeedback.eventId, eventId)).all();
  const feedbackUrl = (title: string) => `${PUBLIC}/sessions/${ids[title]}/feedback`;
  const answer = (browser: Browser, title: string, fields: Record<string, string>) => browser.post(feedbackUrl(title), fields);
  const publicFeedback = async () => ok<ApiFeedback>(await t.app.inject(`${API}/feedback`));
  const figuresOf = (f: ApiFeedback['sessions'][number]) => ({ answers: f.answers, ratings: f.ratings, mean: f.mean, useful: f.useful, usefulShare: f.usefulShare });

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    asOlga = apiAs(t.app, olga.bearer);
    ids = await sessionsByTitle(asOlga, FORUM_2019);
    eventId = findEventBySlug(t.app.db, FORUM_2019)!.id;
    // A session cancelled in a release: it takes no feedback, ever.
    const dialogue = ok<{ version: number }>(await asOlga.get(`${API}/sessions/${ids[DIALOGUE]}`));
    ok(await asOlga.patch(`${API}/sessions/${ids[DIALOGUE]}`, { status: 'cancelled' }, dialogue.version));
    release(t.app, FORUM_2019);
  });
  afterAll(async () => { await t.close(); });

  test('before the end: no link on the session page, no form on its page, and the POST refused with 409, nothing written', async () => {
    clock = new Date('2019-11-12T07:10:00.000Z');
    const session = await t.app.inject(`${PUBLIC}/sessions/${ids[OPENING]}`);
    expect($(session.body)('.session-feedback-link').length).toBe(0);
    const page = await t.app.inject(feedbackUrl(OPENING));
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect($(page.body)('form.feedback-form').length).toBe(0);
    expect(texts(page.body, '.feedback-closed')).toEqual(['Vous pourrez donner votre avis quand la session sera terminée.']);
    const refused = await answer(new Browser(t.app), OPENING, { rating: '5', comment: 'Trop tôt' });
    expect(refused.statusCode).toBe(409);
    expect(texts(refused.body, '.feedback-closed')).toEqual(['Vous pourrez donner votre avis quand la session sera terminée.']);
    expect(refused.cookies).toEqual([]);
    expect(rows()).toEqual([]);
  });

  test('the session page, kept by the public cache before the end, links to the form once the end has passed (a new ETag)', async () => {
    clock = new Date('2019-11-12T07:19:30.000Z');
    const before = await t.app.inject(`${PUBLIC}/sessions/${ids[OPENING]}`);
    expect(before.statusCode).toBe(200);
    const again = await t.app.inject({ url: `${PUBLIC}/sessions/${ids[OPENING]}`, headers: { 'if-none-match': String(before.headers.etag) } });
    expect(again.statusCode).toBe(304);
    clock = new Date('2019-11-12T07:20:00.000Z');
    const after = await t.app.inject({ url: `${PUBLIC}/sessions/${ids[OPENING]}`, headers: { 'if-none-match': String(before.headers.etag) } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect($(after.body)('.session-feedback-link a').attr('href')).toBe(feedbackUrl(OPENING));
    expect($(after.body)('.session-feedback-link a').text()).toBe('Donner mon avis sur cette session');
    // The next session has not ended: still none.
    expect($((await t.app.inject(`${PUBLIC}/sessions/${ids[OBJECTIVES]}`)).body)('.session-feedback-link').length).toBe(0);
  });

  test('a cancelled session and a break offer no form, and refuse the POST', async () => {
    clock = new Date('2019-11-12T20:00:00.000Z');
    for (const [title, sentence] of [[DIALOGUE, "Cette session a été annulée : elle ne reçoit pas d'avis."], [LUNCH, "Les pauses et l'accueil ne reçoivent pas d'avis."]] as const) {
      expect($((await t.app.inject(`${PUBLIC}/sessions/${ids[title]}`)).body)('.session-feedback-link').length, title).toBe(0);
      const page = await t.app.inject(feedbackUrl(title));
      expect($(page.body)('form.feedback-form').length, title).toBe(0);
      expect(texts(page.body, '.feedback-closed'), title).toEqual([sentence]);
      expect((await answer(new Browser(t.app), title, { rating: '3' })).statusCode, title).toBe(409);
    }
    expect((await answer(new Browser(t.app), OPENING, { rating: '3' }, )).statusCode).toBe(303);
    expect((await t.app.inject({ method: 'POST', url: `${PUBLIC}/sessions/00000000-0000-4000-8000-000000000000/feedback`, payload: { rating: '3' } })).statusCode).toBe(404);
    t.app.db.delete(sessionFeedback).run();
  });

  test('ACCEPTANCE: the rating counts at once, the comment only once approved; a second answer from the same browser replaces the first', async () => {
    clock = new Date('2019-11-12T12:00:00.000Z');
    const participant = new Browser(t.app);
    const form = await participant.open(feedbackUrl(OPENING));
    const doc = $(form);
    expect(doc('html').attr('lang')).toBe('fr');
    expect(doc('fieldset.feedback-rating legend').text()).toBe('Votre note');
    expect(doc('fieldset.feedback-rating input[type="radio"]').toArray().map((i) => [i.attribs.value, doc(`label[for="${i.attribs.id}"]`).text().trim()])).toEqual([
      ['1', '1 – Très insatisfaisant'], ['2', '2 – Insatisfaisant'], ['3', '3 – Moyen'], ['4', '4 – Satisfaisant'], ['5', '5 – Très satisfaisant'],
    ]);
    expect(doc('label[for="feedback-comment"]').text()).toBe('Commentaire (facultatif)');
    expect(doc('#feedback-comment').attr('maxlength')).toBe('2000');

    const saved = await participant.send(form, { rating: '4', useful: 'yes', comment: 'Une ouverture <b>très</b> utile' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${feedbackUrl(OPENING)}?saved=1`);
    const cookie = saved.cookies.find((c) => c.name === 'feedback')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: `${PUBLIC}/sessions` });
    expect(rows().map((r) => ({ rating: r.rating, useful: r.useful, comment: r.comment, state: r.commentState }))).toEqual([
      { rating: 4, useful: true, comment: 'Une ouverture <b>très</b> utile', state: 'pending' },
    ]);
    // Only its hash is kept.
    expect(rows()[0]!.browserHash).not.toContain(cookie.value);
    expect(rows()[0]!.browserHash).toMatch(/^[0-9a-f]{64}$/);

    // The session page the participant reads again is still the shared one: the cookie is not its own.
    const sessionPage = await participant.get(`${PUBLIC}/sessions/${ids[OPENING]}`);
    expect(participant.cookies.has('feedback')).toBe(true);
    expect(sessionPage.headers['cache-control']).toMatch(/^public,/);
    expect(sessionPage.body).not.toContain('Une ouverture');

    // At once: the figures everywhere, the comment nowhere public.
    const api = await publicFeedback();
    expect(api.sessions.map((s) => [s.session.id, figuresOf(s), s.comments])).toEqual([
      [ids[OPENING], { answers: 1, ratings: [0, 0, 0, 1, 0], mean: 4, useful: { yes: 1, no: 0 }, usefulShare: 1 }, []],
    ]);
    const reportJson = ok<{ feedback: { sessions: { session: string; answers: number; ratings: number[]; mean: number; comments: unknown[] }[] } }>(await t.app.inject(`${PUBLIC}/report.json`));
    expect(reportJson.feedback.sessions).toEqual([{
      session: ids[OPENING], title: { fr: OPENING, en: 'Opening and welcome', es: 'Apertura y bienvenida' },
      answers: 1, ratings: [0, 0, 0, 1, 0], mean: 4, useful: { yes: 1, no: 0 }, usefulShare: 1, comments: [],
    }]);
    const report = await t.app.inject(`${PUBLIC}/report`);
    // (texts() reads the no-break space before % as a space.)
    expect(texts(report.body, `#feedback-${ids[OPENING]} td`)).toEqual(['1', '0', '0', '0', '1', '0', '4,0', '100 %']);
    expect(report.body).not.toContain('Une ouverture');
    expect((await t.app.inject(`${PUBLIC}/report.md`)).body).not.toContain('Une ouverture');

    // The browser's own page shows its answer, saved; a second answer replaces the first.
    const own = await participant.open(`${feedbackUrl(OPENING)}?saved=1`);
    expect(texts(own, '.feedback-saved')).toEqual(['Merci : votre avis est enregistré.']);
    expect($(own)('input[name="rating"][checked]').attr('value')).toBe('4');
    expect($(own)('#useful-yes').attr('checked')).toBe('checked');
    expect($(own)('#feedback-comment').text()).toBe('Une ouverture <b>très</b> utile');
    expect(texts(own, '.feedback-comment-state')).toEqual(['Votre commentaire attend la relecture des organisateurs.']);
    expect(own).not.toContain('<b>très</b>');
    const firstId = rows()[0]!.id;

    // The organiser approves it (the workspace's buttons are tested in test/web/workspace/feedback.test.ts): now it is public, escaped.
    const waiting = ok<ApiFeedback>(await asOlga.get(`${API}/feedback`)).sessions[0]!.comments;
    expect(waiting).toEqual([{ id: firstId, comment: 'Une ouverture <b>très</b> utile', at: '2019-11-12T12:00:00.000Z', state: 'pending', version: 1 }]);
    ok(await asOlga.send('PATCH', `${API}/feedback/${firstId}`, { commentState: 'approved' }, { 'if-match': '"1"' }));
    expect(rows()[0]!.commentState).toBe('approved');
    expect((await publicFeedback()).sessions[0]!.comments).toEqual([{ id: firstId, comment: 'Une ouverture <b>très</b> utile', at: '2019-11-12T12:00:00.000Z' }]);
    const reportAfter = await t.app.inject(`${PUBLIC}/report`);
    expect(texts(reportAfter.body, '.report-feedback__comments .feedback-comment__text')).toEqual(['Une ouverture <b>très</b> utile']);
    expect(reportAfter.body).toContain('Une ouverture &lt;b&gt;très&lt;/b&gt; utile');
    expect((await t.app.inject(`${PUBLIC}/report.md`)).body).toContain(`## L'avis des participants\n\n| Session | Réponses | 1 | 2 | 3 | 4 | 5 | Moyenne | Utile |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n| ${OPENING} | 1 | 0 | 0 | 0 | 1 | 0 | 4,0 | 100${NBSP}% |\n\n### Commentaires sur « ${OPENING} »\n\n- Une ouverture`);
    expect(ok<{ feedback: { sessions: { comments: unknown[] }[] } }>(await t.app.inject(`${PUBLIC}/report.json`)).feedback.sessions[0]!.comments)
      .toEqual([{ text: 'Une ouverture <b>très</b> utile', at: '2019-11-12T14:00:00+02:00' }]);

    // The same browser answers again: the first answer is replaced, and its changed comment waits again.
    clock = new Date('2019-11-12T12:30:00.000Z');
    expect((await participant.send(own, { rating: '2', useful: 'yes', comment: 'Finalement, trop long' })).statusCode).toBe(303);
    expect(rows().map((r) => ({ id: r.id, rating: r.rating, comment: r.comment, state: r.commentState }))).toEqual([
      { id: firstId, rating: 2, comment: 'Finalement, trop long', state: 'pending' },
    ]);
    const replaced = await publicFeedback();
    expect(replaced.sessions.map((s) => [figuresOf(s), s.comments])).toEqual([[{ answers: 1, ratings: [0, 1, 0, 0, 0], mean: 2, useful: { yes: 1, no: 0 }, usefulShare: 1 }, []]]);
    expect((await t.app.inject(`${PUBLIC}/report`)).body).not.toContain('Une ouverture');
    expect($(await participant.open(feedbackUrl(OPENING)))('.feedback-replaces').length).toBe(1);
  });

  test('a different browser adds its own answer; the personal agenda names a browser across devices; the figures are exact everywhere', async () => {
    const other = new Browser(t.app);
    expect((await answer(other, OPENING, { rating: '5', useful: 'no', comment: '' })).statusCode).toBe(303);
    expect(rows().length).toBe(2);
    // A participant with an agenda: its token names the browser, no feedback cookie is set; the
    // same agenda opened on another device is the same participant.
    const phone = new Browser(t.app);
    expect((await phone.post('/my', { event: FORUM_2019, session: [ids[OBJECTIVES]!] })).statusCode).toBe(303);
    const viaAgenda = await answer(phone, OBJECTIVES, { rating: '3', useful: 'yes' });
    expect(viaAgenda.statusCode).toBe(303);
    expect(viaAgenda.cookies.filter((c) => c.name === 'feedback')).toEqual([]);
    const laptop = new Browser(t.app);
    for (const [name, value] of phone.cookies) if (name.startsWith('agenda-')) laptop.cookies.set(name, value);
    expect((await answer(laptop, OBJECTIVES, { rating: '4', useful: 'yes' })).statusCode).toBe(303);
    expect(rows().filter((r) => r.sessionId !== rows()[0]!.sessionId).map((r) => r.rating)).toEqual([4]);
    expect((await answer(new Browser(t.app), REVIEW, { rating: '1' })).statusCode).toBe(303);

    const api = await publicFeedback();
    expect(api.sessions.map((s) => [s.session.id, figuresOf(s)])).toEqual([
      [ids[OPENING], { answers: 2, ratings: [0, 1, 0, 0, 1], mean: 3.5, useful: { yes: 1, no: 1 }, usefulShare: 0.5 }],
      [ids[OBJECTIVES], { answers: 1, ratings: [0, 0, 0, 1, 0], mean: 4, useful: { yes: 1, no: 0 }, usefulShare: 1 }],
      [ids[REVIEW], { answers: 1, ratings: [1, 0, 0, 0, 0], mean: 1, useful: { yes: 0, no: 0 }, usefulShare: null }],
    ]);
    expect(api.total).toEqual({ answers: 4, ratings: [1, 1, 0, 1, 1], mean: 3, useful: { yes: 2, no: 1 }, usefulShare: 0.67 });
    expect(api.parts.map((p) => ({ answers: p.answers, ratings: p.ratings, mean: p.mean }))).toEqual([
      { answers: 3, ratings: [0, 1, 0, 1, 1], mean: 3.7 }, { answers: 1, ratings: [1, 0, 0, 0, 0], mean: 1 },
    ]);
    expect(api.outputs.filter((o) => o.answers > 0).map((o) => [o.number, o.answers, o.mean])).toEqual([[1, 1, 1], [2, 1, 4]]);

    // sessions.csv: three columns at the end, in the reader's language.
    const csv = await t.app.inject(`${PUBLIC}/sessions.csv`);
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]!.endsWith(',Avis (réponses),Note moyenne,Utile pour le travail (part)')).toBe(true);
    const line = (id: string) => lines.find((l) => l.includes(id))!;
    expect(line(ids[OPENING]!).endsWith(`,${ids[OPENING]},2,"3,5",50${NBSP}%`)).toBe(true);
    expect(line(ids[REVIEW]!).endsWith(`,${ids[REVIEW]},1,"1,0",`)).toBe(true);
    expect(line(ids[LUNCH]!).endsWith(`,${ids[LUNCH]},,,`)).toBe(true);
    const english = (await t.app.inject(`${PUBLIC}/sessions.csv?lang=en`)).body;
    expect(english.split('\r\n').find((l) => l.includes(ids[OPENING]!))!.endsWith(`,2,3.5,50%`)).toBe(true);
    // A new answer changes the file's ETag: a cache that revalidates gets the new figures.
    const etag = String(csv.headers.etag);
    expect((await answer(new Browser(t.app), REVIEW, { rating: '5' })).statusCode).toBe(303);
    const fresh = await t.app.inject({ url: `${PUBLIC}/sessions.csv`, headers: { 'if-none-match': etag } });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body.split('\r\n').find((l) => l.includes(ids[REVIEW]!))!.endsWith(',2,"3,0",')).toBe(true);
  });

  test('a bad answer is a 422 page that keeps what was typed; a cross-site post is refused; nothing is written', async () => {
    const before = rows();
    const browser = new Browser(t.app);
    const missing = await answer(browser, REVIEW, { comment: 'Sans note' });
    expect(missing.statusCode).toBe(422);
    expect(texts(missing.body, '#feedback-error')).toEqual(['Choisissez une note de 1 à 5.']);
    expect($(missing.body)('#feedback-comment').text()).toBe('Sans note');
    expect((await answer(browser, REVIEW, { rating: '6' })).statusCode).toBe(422);
    expect((await answer(browser, REVIEW, { rating: '3', useful: 'oui' })).statusCode).toBe(422);
    expect((await answer(browser, REVIEW, { rating: '3', comment: 'x'.repeat(FEEDBACK_LIMITS.comment + 1) })).statusCode).toBe(400);
    const crossSite = await t.app.inject({
      method: 'POST', url: feedbackUrl(REVIEW), payload: 'rating=5',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(rows()).toEqual(before);
  });

  test('rate limited per address: beyond the limit a 429 page, and nothing written', async () => {
    const venue = '198.51.100.7';
    const browser = new Browser(t.app, venue);
    for (let i = 0; i < FEEDBACK_LIMITS.answersPerWindow; i += 1) {
      expect((await answer(browser, OBJECTIVES, { rating: String((i % 5) + 1) })).statusCode, `answer ${i + 1}`).toBe(303);
    }
    const before = rows();
    const refused = await answer(browser, OBJECTIVES, { rating: '1', comment: 'Encore' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect((await answer(new Browser(t.app, venue), REVIEW, { rating: '1' })).statusCode).toBe(429);
    expect(rows()).toEqual(before);
    // Another address is not held back.
    expect((await answer(new Browser(t.app, '203.0.113.9'), REVIEW, { rating: '4' })).statusCode).toBe(303);
  });
});
