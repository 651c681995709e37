// Issue 6 through the HTML pages only, as a browser without JavaScript: a rapporteur's
// sessions, the conclusions form (drafts, submitting, refusals beside their fields, more rows,
// a stale save that loses nothing), the history and restoring, the organisers' workflow and
// overview, and the consolidated report with its coverage panel and downloads.
// test/web/api/conclusions.test.ts covers the same rules through the API.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { $, Browser, formOf, texts } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { apiAs, sessionsByTitle, type Api } from '../../helpers/api.ts';
import { assign, content, current, outputIds, publish, saveLatest } from '../../helpers/conclusions.ts';
import {
  filledValues, formPath, formValues, historyPath, overviewPath, sendConclusions, sendStep, stepsOffered,
} from '../../helpers/conclusions-pages.ts';

const PUBLIC = `/events/${FORUM_2019}`;

// Sessions of the bundled 2019 forum, by their French titles.
const OPENING = 'Ouverture et bienvenue';
const OBJECTIVES = 'Objectifs et attentes des participants';
const REVIEW = 'Bilan du travail effectué';
const SENDAI = "Apprendre d'un exemple : localiser le cadre de Sendai";
const MODULES = 'Evolution des modules et méthodologies';
const COMPONENTS = "Composants clés pour nourrir le programme d'apprentissage";
const DIALOGUE = 'Dialogue entre mécanismes : comment assurer la transférabilité ?';
const WAY_FORWARD = 'La voie à suivre ?';
const SEMINAR_TOOLS = "Outils et mécanismes du nouvel agenda d'apprentissage";

/** The state shown on the form page, e.g. "brouillon · révision 1, par …". */
const stateOf = (html: string) => texts(html, 'main .facts .conclusions-state')[0];
const revisionOf = (html: string) => Number($(html)('main form.conclusions-form input[name="baseRevision"]').attr('value'));

describe("a rapporteur's sessions and signing in", () => {
  let t: TestApp;
  let organiser: TestUser;
  let asOrganiser: Api;
  let rapporteur: TestUser;
  let asRapporteur: Api;
  let sessions: Record<string, string>;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    asOrganiser = apiAs(t.app, organiser.bearer);
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Jean Rapporteur');
    asRapporteur = apiAs(t.app, rapporteur.bearer);
    const other = await addUser(t.app, 'rapporteur', undefined, 'Autre Rapporteur');
    sessions = await sessionsByTitle(asOrganiser, FORUM_2019);
    const seminar = await sessionsByTitle(asOrganiser, SEMINAR_2015);
    // Assigned out of programme order, across two events; another rapporteur has a third session.
    await assign(asOrganiser, FORUM_2019, sessions[WAY_FORWARD]!, rapporteur);
    await assign(asOrganiser, FORUM_2019, sessions[REVIEW]!, rapporteur);
    await assign(asOrganiser, SEMINAR_2015, seminar[SEMINAR_TOOLS]!, rapporteur);
    await assign(asOrganiser, FORUM_2019, sessions[MODULES]!, other);
    await saveLatest(asRapporteur, FORUM_2019, sessions[REVIEW]!, content({ summary: 'Un brouillon' }));
    await saveLatest(asOrganiser, FORUM_2019, sessions[WAY_FORWARD]!, content({ summary: 'Soumises' }), { submit: true });
  });
  afterAll(async () => { await t.close(); });

  test('anonymous visitors of /rapporteur are sent to sign in, and back there afterwards', async () => {
    const response = await t.app.inject('/rapporteur');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Frapporteur');
  });

  test('a rapporteur sees exactly their assigned sessions, by event and in programme order, with where their conclusions stand', async () => {
    const browser = await signIn(t.app, rapporteur);
    const page = await browser.open('/rapporteur');
    const rows = $(page)('main .rapporteur-session').toArray().map((li) => ({
      title: $(page)(li).find('a').text(),
      href: $(page)(li).find('a').attr('href'),
      state: $(page)(li).find('.conclusions-state').text(),
    }));
    expect(rows).toEqual([
      { title: SEMINAR_TOOLS, href: formPath(SEMINAR_2015, (await sessionsByTitle(asOrganiser, SEMINAR_2015))[SEMINAR_TOOLS]!), state: 'pas commencées' },
      { title: REVIEW, href: formPath(FORUM_2019, sessions[REVIEW]!), state: 'brouillon' },
      { title: WAY_FORWARD, href: formPath(FORUM_2019, sessions[WAY_FORWARD]!), state: 'soumises' },
    ]);
    expect(texts(page, 'main section.admin-section h2 span:first-child')).toEqual([
      "Création conjointe d'un nouvel agenda d'apprentissage pour CGLU", "Le forum d'apprentissage de CGLU",
    ]);
    // The other rapporteur's session is not there, and its form is closed to this one.
    expect(page).not.toContain(MODULES);
    expect((await browser.get(formPath(FORUM_2019, sessions[MODULES]!))).statusCode).toBe(403);
  });

  test('signing in without a next address takes a rapporteur to /rapporteur and an organiser to /admin', async () => {
    for (const [user, home] of [[rapporteur, '/rapporteur'], [organiser, '/admin']] as const) {
      const browser = new Browser(t.app);
      const response = await browser.submit('/login', { email: user.email, password: user.password }, { keep: 'hidden' });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(home);
      expect((await browser.get(home)).statusCode).toBe(200);
    }
  });

  test("anonymous visitors of a session's form sign in and come back to that form", async () => {
    const form = formPath(FORUM_2019, sessions[REVIEW]!);
    const anonymous = await t.app.inject(form);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(form)}`);
    const browser = new Browser(t.app);
    const response = await browser.submit(anonymous.headers.location as string, { email: rapporteur.email, password: rapporteur.password }, { keep: 'hidden' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(form);
    expect(texts(await browser.open(form), 'main h1')).toEqual([`Conclusions : ${REVIEW}`]);
  });
});

describe('the conclusions form, without JavaScript', () => {
  let t: TestApp;
  let organiser: TestUser;
  let asOrganiser: Api;
  let rapporteur: TestUser;
  let asRapporteur: Api;
  let browser: Browser;
  let sessions: Record<string, string>;
  let outputs: string[];
  let REVIEW_FORM: string;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Aminata Diallo');
    asOrganiser = apiAs(t.app, organiser.bearer);
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Jean Rapporteur');
    asRapporteur = apiAs(t.app, rapporteur.bearer);
    sessions = await sessionsByTitle(asOrganiser, FORUM_2019);
    outputs = await outputIds(asOrganiser, FORUM_2019);
    await assign(asOrganiser, FORUM_2019, sessions[REVIEW]!, rapporteur);
    browser = await signIn(t.app, rapporteur);
    REVIEW_FORM = formPath(FORUM_2019, sessions[REVIEW]!);
  });
  afterAll(async () => { await t.close(); });

  test("a rapporteur opens their session's form, and is refused (403) another session's form, to read or to send", async () => {
    const page = await browser.open(REVIEW_FORM);
    expect(texts(page, 'main h1')).toEqual([`Conclusions : ${REVIEW}`]);
    expect(stateOf(page)).toBe('pas commencées');
    expect(revisionOf(page)).toBe(0);

    const other = formPath(FORUM_2019, sessions[SENDAI]!);
    const read = await browser.get(other);
    expect(read.statusCode).toBe(403);
    expect(texts(read.body, 'main p').join(' ')).toContain("Seuls les rapporteurs désignés pour cette session et les organisateurs de l'événement peuvent en écrire les conclusions.");
    // The form of the assigned session, with its valid CSRF token, sent to the other one.
    const { fields } = formOf(page, 'main form.conclusions-form');
    const sent = await browser.post(other, { ...fields, summary: 'Intrusion', intent: 'save' });
    expect(sent.statusCode).toBe(403);
    const history = await browser.get(historyPath(FORUM_2019, sessions[SENDAI]!));
    expect(history.statusCode).toBe(403);
    expect((await current(asOrganiser, FORUM_2019, sessions[SENDAI]!)).revision).toBe(0);
  });

  test('every field of the form has a label: label[for] its id, and checkboxes also a group with a legend', async () => {
    const page = await browser.open(REVIEW_FORM);
    const doc = $(page);
    const controls = doc('main form.conclusions-form').find('input:not([type="hidden"]), select, textarea').toArray();
    // language, summary, 2 key points, challenges, 2 recommendations (text + 4 outputs), 2 follow-ups (3 fields), participants
    expect(controls.length).toBe(1 + 1 + 2 + 1 + 2 * 5 + 2 * 3 + 1);
    const ids = controls.map((el) => doc(el).attr('id'));
    expect(new Set(ids).size).toBe(ids.length);
    const unlabelled: string[] = [];
    for (const el of controls) {
      const node = doc(el);
      const id = node.attr('id') ?? '';
      const label = doc(`label[for="${id}"]`);
      const labelText = label.text().replace(/\s+/g, ' ').trim();
      if (id === '' || label.length !== 1 || labelText === '') unlabelled.push(`${node.attr('name')} (#${id})`);
      if (node.attr('type') === 'checkbox') {
        const legend = node.closest('fieldset').children('legend').text().trim();
        if (legend === '') unlabelled.push(`${node.attr('name')}: no legend for the group`);
      }
    }
    expect(unlabelled).toEqual([]);
    expect(doc('label[for="field-summary"]').text()).toBe('Résumé');
    expect(doc('#field-recommendations-0-outputs > legend').text()).toBe('Résultats attendus servis');
    expect(doc(`label[for="field-recommendations-0-outputs-${outputs[0]}"]`).text()).toBe(
      "Résultat 1 Évaluer l'état de l'apprentissage au sein du réseau (prévu pour cette session)",
    );
  });

  test('saving a draft redirects to the form saying so, with the text and revision 1; "Save and submit" submits it', async () => {
    const page = await browser.open(REVIEW_FORM);
    const saved = await sendConclusions(browser, page, {
      summary: 'Le réseau apprend de ses membres.', 'keyPoints.0': 'Des pairs qui se rendent visite', participants: '42',
    });
    expect(saved.statusCode, saved.body.slice(0, 1000)).toBe(303);
    expect(saved.headers.location).toBe(`${REVIEW_FORM}?saved=saved`);
    const after = await browser.open(saved.headers.location as string);
    expect(texts(after, 'main .notice')).toEqual(['Enregistré.']);
    expect(stateOf(after)).toBe('brouillon');
    expect(texts(after, 'main .facts dd').at(-1)).toMatch(/^brouillon · révision 1, par Jean Rapporteur, le /);
    expect(revisionOf(after)).toBe(1);
    expect(filledValues(after)).toEqual({
      language: 'fr', summary: 'Le réseau apprend de ses membres.', 'keyPoints.0': 'Des pairs qui se rendent visite', participants: '42',
    });

    const submitted = await sendConclusions(browser, after, { 'recommendations.0.text': 'Financer les visites', 'recommendations.0.outputs': [outputs[0]!] }, 'submit');
    expect(submitted.statusCode, submitted.body.slice(0, 1000)).toBe(303);
    expect(submitted.headers.location).toBe(`${REVIEW_FORM}?saved=submitted`);
    const page2 = await browser.open(submitted.headers.location as string);
    expect(texts(page2, 'main .notice')).toEqual(['Enregistré et soumis aux organisateurs.']);
    expect(stateOf(page2)).toBe('soumises');
    expect(revisionOf(page2)).toBe(2);
    expect(formValues(page2)['recommendations.0.outputs']).toBe(outputs[0]);
    const now = await current(asRapporteur, FORUM_2019, sessions[REVIEW]!);
    expect([now.state, now.revision, now.content?.recommendations]).toEqual(['submitted', 2, [{ text: 'Financer les visites', outputs: [outputs[0]] }]]);
  });

  test('submitting a recommendation tied to no output is refused (422) with the error beside that row\'s outputs, and what was typed kept', async () => {
    const before = await current(asRapporteur, FORUM_2019, sessions[REVIEW]!);
    const page = await browser.open(REVIEW_FORM);
    const refused = await sendConclusions(browser, page, {
      summary: 'Résumé retouché',
      'recommendations.0.text': 'Financer les visites', 'recommendations.0.outputs': [outputs[0]!],
      'recommendations.1.text': 'Une recommandation sans résultat', 'recommendations.1.outputs': [],
    }, 'submit');
    expect(refused.statusCode, refused.body.slice(0, 1000)).toBe(422);
    const doc = $(refused.body);
    const message = 'Rattachez chaque recommandation à au moins un résultat attendu avant de soumettre.';
    expect(texts(refused.body, 'main .field__error')).toEqual([message]);
    expect(doc('#field-recommendations-1-outputs-error').text()).toBe(message);
    expect(doc('#field-recommendations-1-outputs > .field__error').length).toBe(1);
    expect(doc('#field-recommendations-1-outputs').attr('aria-describedby')).toBe('field-recommendations-1-outputs-error');
    expect(texts(refused.body, 'main .admin-error-summary li a')).toEqual([message]);
    expect(doc('main .admin-error-summary li a').attr('href')).toBe('#field-recommendations-1-outputs');
    expect(filledValues(refused.body)).toEqual({
      language: 'fr', summary: 'Résumé retouché', 'keyPoints.0': 'Des pairs qui se rendent visite', participants: '42',
      'recommendations.0.text': 'Financer les visites', 'recommendations.0.outputs': outputs[0]!,
      'recommendations.1.text': 'Une recommandation sans résultat',
    });
    expect(await current(asRapporteur, FORUM_2019, sessions[REVIEW]!)).toEqual(before);
  });

  test('a due date that does not exist is refused (422) beside its field, and nothing is saved', async () => {
    const before = await current(asRapporteur, FORUM_2019, sessions[REVIEW]!);
    const page = await browser.open(REVIEW_FORM);
    const refused = await sendConclusions(browser, page, {
      'followUps.0.action': 'Écrire aux membres', 'followUps.0.owner': 'Secrétariat', 'followUps.0.due': '2020-02-30',
    });
    expect(refused.statusCode, refused.body.slice(0, 1000)).toBe(422);
    expect(texts(refused.body, 'main .field__error')).toEqual(["Cette date n'existe pas."]);
    expect($(refused.body)('#field-followUps-0-due-error').text()).toBe("Cette date n'existe pas.");
    expect($(refused.body)('#field-followUps-0-due').attr('aria-invalid')).toBe('true');
    expect(formValues(refused.body)['followUps.0.due']).toBe('2020-02-30');
    expect(formValues(refused.body)['followUps.0.action']).toBe('Écrire aux membres');
    expect(revisionOf(refused.body)).toBe(before.revision);
    expect(await current(asRapporteur, FORUM_2019, sessions[REVIEW]!)).toEqual(before);
  });

  test('"more rows" shows the form again with two more empty rows in each list and what was typed, saving nothing', async () => {
    const before = await current(asRapporteur, FORUM_2019, sessions[REVIEW]!);
    const page = await browser.open(REVIEW_FORM);
    const rows = (html: string) => ['keyPoints', 'recommendations', 'followUps'].map((list) => $(html)(`[data-list="${list}"] [data-row]`).length);
    // One key point and one recommendation saved: each list shows two empty rows beyond its filled ones.
    expect(rows(page)).toEqual([3, 3, 2]);
    const typed = {
      'keyPoints.1': 'Un deuxième point', 'keyPoints.2': 'Un troisième point',
      'followUps.0.action': 'Relancer les villes', 'followUps.0.due': '2020-01-31',
    };
    const more = await sendConclusions(browser, page, typed, 'addRows');
    expect(more.statusCode, more.body.slice(0, 1000)).toBe(200);
    expect(rows(more.body)).toEqual([3 + 4, 1 + 4, 1 + 4]);
    expect($(more.body)('#field-keyPoints-6').attr('name')).toBe('keyPoints.6');
    expect(filledValues(more.body)).toEqual({ ...filledValues(page), ...typed });
    expect(texts(more.body, 'main .notice')).toEqual([]);
    expect(await current(asRapporteur, FORUM_2019, sessions[REVIEW]!)).toEqual(before);
    // The longer form is saved as it is: the added rows count.
    const saved = await sendConclusions(browser, more.body, { 'keyPoints.6': 'Un point dans une ligne ajoutée' });
    expect(saved.statusCode, saved.body.slice(0, 1000)).toBe(303);
    expect((await current(asRapporteur, FORUM_2019, sessions[REVIEW]!)).content?.keyPoints).toEqual([
      'Des pairs qui se rendent visite', 'Un deuxième point', 'Un troisième point', 'Un point dans une ligne ajoutée',
    ]);
  });
});

describe('a stale save through the form', () => {
  let t: TestApp;
  let organiser: TestUser;
  let asOrganiser: Api;
  let rapporteur: TestUser;
  let sessionId: string;
  let url: string;
  let refused: { statusCode: number; body: string };

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Aminata Diallo');
    asOrganiser = apiAs(t.app, organiser.bearer);
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Jean Rapporteur');
    sessionId = (await sessionsByTitle(asOrganiser, FORUM_2019))[DIALOGUE]!;
    url = formPath(FORUM_2019, sessionId);
    await assign(asOrganiser, FORUM_2019, sessionId, rapporteur);
  });
  afterAll(async () => { await t.close(); });

  test('the second of two people who opened revision 1 gets a 409 with the saved text beside theirs, and saves theirs deliberately as revision 3', async () => {
    const rapporteurs = await signIn(t.app, rapporteur);
    const organisers = await signIn(t.app, organiser);
    const first = await sendConclusions(rapporteurs, await rapporteurs.open(url), { summary: 'Première version.' });
    expect(first.statusCode).toBe(303);

    const rapporteurPage = await rapporteurs.open(url);
    const organiserPage = await organisers.open(url);
    expect([revisionOf(rapporteurPage), revisionOf(organiserPage)]).toEqual([1, 1]);

    const saved = await sendConclusions(rapporteurs, rapporteurPage, { summary: 'Le texte du rapporteur, enregistré le premier.' });
    expect(saved.statusCode).toBe(303);
    refused = await sendConclusions(organisers, organiserPage, { summary: "Le texte de l'organisatrice, arrivé trop tard.", 'keyPoints.0': 'Son point clé' });
    expect(refused.statusCode, refused.body.slice(0, 1000)).toBe(409);

    const doc = $(refused.body);
    expect(texts(refused.body, 'main .conclusions-current .admin-stale__title')).toEqual(["Quelqu'un a enregistré entre-temps"]);
    expect(texts(refused.body, 'main .conclusions-current .admin-stale p')).toEqual([
      "Jean Rapporteur a enregistré ces conclusions pendant que vous écriviez (révision 2). Rien n'a été écrasé : votre texte est dans le formulaire, et gardé sur le serveur. Reprenez-y ce qui manque de la version enregistrée, puis enregistrez.",
    ]);
    expect(texts(refused.body, 'main .conclusions-current .markdown')).toEqual(['Le texte du rapporteur, enregistré le premier.']);
    expect(filledValues(refused.body)).toEqual({ language: 'fr', summary: "Le texte de l'organisatrice, arrivé trop tard.", 'keyPoints.0': 'Son point clé' });
    expect(revisionOf(refused.body)).toBe(2);
    expect(doc('main form.conclusions-form').attr('data-base-revision')).toBe('2');
    expect((await current(asOrganiser, FORUM_2019, sessionId)).content?.summary).toBe('Le texte du rapporteur, enregistré le premier.');
    // Meanwhile the form tells everyone that a text was set aside, and where it is.
    const meanwhile = $(await rapporteurs.open(url));
    expect(meanwhile('main p.admin-alert').text()).toBe("Un enregistrement refusé a laissé 1 texte(s) de côté : rien n'est perdu. Historique des révisions");
    expect(meanwhile('main p.admin-alert a').attr('href')).toBe(`${historyPath(FORUM_2019, sessionId)}#set-aside`);

    // Sending the page as it came back saves the organiser's text over revision 2, knowingly.
    const again = await sendConclusions(organisers, refused.body, {});
    expect(again.statusCode, again.body.slice(0, 1000)).toBe(303);
    expect(again.headers.location).toBe(`${url}?saved=saved`);
    const now = await current(asOrganiser, FORUM_2019, sessionId);
    expect([now.revision, now.content?.summary, now.content?.keyPoints]).toEqual([3, "Le texte de l'organisatrice, arrivé trop tard.", ['Son point clé']]);
    expect($(await rapporteurs.open(url))('main p.admin-alert').length).toBe(0);
  });

  test('both texts stay retrievable: the history lists the three revisions, and the refused text under "set aside"', async () => {
    const history = await (await signIn(t.app, rapporteur)).open(historyPath(FORUM_2019, sessionId));
    const doc = $(history);
    expect(doc('main .revision').toArray().map((el) => doc(el).attr('id'))).toEqual(['revision-3', 'revision-2', 'revision-1']);
    expect(texts(history, '#revision-2 .diff del')).toEqual(['retiré : Première version']);
    expect(texts(history, '#revision-2 .diff ins')).toEqual(['ajouté : Le texte du rapporteur, enregistré le premier']);
    expect(texts(history, '#revision-3 .diff ins').join(' ')).toContain("l'organisatrice");
    expect(texts(history, '#set-aside .set-aside .revision__title')).toEqual(['Texte de Aminata Diallo, mis de côté']);
    expect(texts(history, '#set-aside .set-aside .admin-muted').at(0)).toMatch(/ · parti de la révision 1, refusé face à la révision 2$/);
    expect(texts(history, '#set-aside .set-aside .markdown')).toEqual(["Le texte de l'organisatrice, arrivé trop tard.", 'Son point clé']);
  });

  // The form page's own stale-save panel must not also trigger the shared admin-messages alert.
  test('the 409 page shows one stale alert, with no "[object Object]"', () => {
    expect(refused.body).not.toContain('[object Object]');
    expect($(refused.body)('main .admin-stale').length).toBe(1);
  });
});

describe('the history of revisions', () => {
  let t: TestApp;
  let rapporteur: TestUser;
  let browser: Browser;
  let sessionId: string;
  let url: string;
  let revision2: ReturnType<typeof filledValues>;

  beforeAll(async () => {
    t = await buildTestApp();
    const organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Aminata Diallo');
    const asOrganiser = apiAs(t.app, organiser.bearer);
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Jean Rapporteur');
    sessionId = (await sessionsByTitle(asOrganiser, FORUM_2019))[SENDAI]!;
    url = formPath(FORUM_2019, sessionId);
    await assign(asOrganiser, FORUM_2019, sessionId, rapporteur);
    browser = await signIn(t.app, rapporteur);
    const saves: Record<string, string>[] = [
      { summary: 'Les villes apprennent.' },
      { summary: 'Les villes apprennent ensemble.', 'keyPoints.0': 'Des visites entre pairs' },
      { summary: 'Les villes apprennent vite.', 'keyPoints.0': '' },
      { summary: 'Les villes enseignent vite.', participants: '30' },
    ];
    for (const [index, changes] of saves.entries()) {
      const saved = await sendConclusions(browser, await browser.open(url), changes);
      expect(saved.statusCode, saved.body.slice(0, 500)).toBe(303);
      if (index === 1) revision2 = filledValues(await browser.open(url));
    }
  });
  afterAll(async () => { await t.close(); });

  test('after four saves the history lists four revisions, newest first, each with its changes word by word', async () => {
    const history = await browser.open(historyPath(FORUM_2019, sessionId));
    const doc = $(history);
    expect(doc('main .revision').toArray().map((el) => doc(el).attr('id'))).toEqual(['revision-4', 'revision-3', 'revision-2', 'revision-1']);
    expect(texts(history, 'main .revision__title')).toEqual(['Révision 4 dernière', 'Révision 3', 'Révision 2', 'Révision 1']);
    const changes = (n: number) => doc(`#revision-${n} .revision__changes dd`).toArray().map((dd) => doc(dd).html());
    expect(texts(history, '#revision-4 .revision__changes dt')).toEqual(['Résumé', 'Nombre de participants']);
    expect(changes(4)).toEqual([
      'Les villes <del><span class="visually-hidden">retiré : </span>apprennent</del><ins><span class="visually-hidden">ajouté : </span>enseignent</ins> vite.',
      '<ins><span class="visually-hidden">ajouté : </span>30</ins>',
    ]);
    expect(changes(3)).toEqual([
      'Les villes apprennent <del><span class="visually-hidden">retiré : </span>ensemble</del><ins><span class="visually-hidden">ajouté : </span>vite</ins>.',
      '<del><span class="visually-hidden">retiré : </span>- Des visites entre pairs</del>',
    ]);
    expect(texts(history, '#revision-2 .diff ins')).toEqual(['ajouté : ensemble', 'ajouté : - Des visites entre pairs']);
    expect(texts(history, '#revision-1 .revision__changes dt')).toEqual(['Langue de rédaction', 'Résumé']);
    // Every revision but the latest can be restored.
    expect(texts(history, 'main .revision form button')).toEqual(['Rétablir la révision 3', 'Rétablir la révision 2', 'Rétablir la révision 1']);
  });

  test('"restore revision 2" makes revision 5, whose form holds exactly what revision 2 held', async () => {
    const history = await browser.open(historyPath(FORUM_2019, sessionId));
    const { action, fields } = formOf(history, 'main #revision-2 form');
    expect(action).toBe(`${url}/revisions/2/restore`);
    expect(fields.baseRevision).toBe('4');
    const restored = await browser.post(action, fields);
    expect(restored.statusCode, restored.body.slice(0, 500)).toBe(303);
    expect(restored.headers.location).toBe(`${url}?saved=restored`);
    const page = await browser.open(restored.headers.location as string);
    expect(texts(page, 'main .notice')).toEqual(['Rétabli, comme nouvelle révision.']);
    expect(revisionOf(page)).toBe(5);
    expect(filledValues(page)).toEqual(revision2);
    expect(revision2).toEqual({ language: 'fr', summary: 'Les villes apprennent ensemble.', 'keyPoints.0': 'Des visites entre pairs' });
    const after = await browser.open(historyPath(FORUM_2019, sessionId));
    expect(texts(after, '#revision-5 .admin-muted').at(0)).toMatch(/ · rétablit la révision 2$/);
  });
});

describe('validating, returning and publishing on the form page', () => {
  let t: TestApp;
  let organiser: TestUser;
  let asOrganiser: Api;
  let rapporteur: TestUser;
  let organisers: Browser;
  let rapporteurs: Browser;
  let sessionId: string;
  let url: string;
  let outputs: string[];

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Aminata Diallo');
    asOrganiser = apiAs(t.app, organiser.bearer);
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Jean Rapporteur');
    sessionId = (await sessionsByTitle(asOrganiser, FORUM_2019))[COMPONENTS]!;
    outputs = await outputIds(asOrganiser, FORUM_2019);
    url = formPath(FORUM_2019, sessionId);
    await assign(asOrganiser, FORUM_2019, sessionId, rapporteur);
    organisers = await signIn(t.app, organiser);
    rapporteurs = await signIn(t.app, rapporteur);
    const submitted = await sendConclusions(rapporteurs, await rapporteurs.open(url), {
      summary: 'Les composants du programme sont **trois**.',
      'recommendations.0.text': 'Partager les outils entre villes', 'recommendations.0.outputs': [outputs[1]!],
    }, 'submit');
    expect(submitted.statusCode, submitted.body.slice(0, 500)).toBe(303);
  });
  afterAll(async () => { await t.close(); });

  test('submitted conclusions offer the organiser "validate" and "return", and the rapporteur no step; a rapporteur cannot validate (403)', async () => {
    const forOrganiser = await organisers.open(url);
    expect(stateOf(forOrganiser)).toBe('soumises');
    expect(stepsOffered(forOrganiser)).toEqual(['validate', 'return']);
    expect(texts(forOrganiser, 'main .conclusions-workflow button')).toEqual(['Valider', 'Renvoyer au rapporteur']);
    const forRapporteur = await rapporteurs.open(url);
    expect(stepsOffered(forRapporteur)).toEqual([]);
    expect($(forRapporteur)('main .conclusions-workflow').length).toBe(0);

    const { fields } = formOf(forRapporteur, 'main form.conclusions-form');
    const refused = await rapporteurs.post(`${url}/transition`, { _csrf: fields._csrf as string, action: 'validate', revision: '1' });
    expect(refused.statusCode).toBe(403);
    expect(stateOf(refused.body)).toBe('soumises');
    expect((await current(asOrganiser, FORUM_2019, sessionId)).state).toBe('submitted');
  });

  // Here a rapporteur's page, once submitted, offers no step: the refusal still needs its reason.
  test("a refused step says why, even on a page that offers the user no step", async () => {
    const { fields } = formOf(await rapporteurs.open(url), 'main form.conclusions-form');
    const refused = await rapporteurs.post(`${url}/transition`, { _csrf: fields._csrf as string, action: 'validate', revision: '1' });
    expect(refused.statusCode).toBe(403);
    expect(texts(refused.body, 'main .form-error')).toEqual(["Seuls les organisateurs de l'événement peuvent faire cette étape."]);
  });

  test('returning without a comment is refused with the reason shown and the state unchanged; with one, the rapporteur reads it on a draft', async () => {
    const refused = await sendStep(organisers, await organisers.open(url), 'return', '  ');
    expect(refused.statusCode, refused.body.slice(0, 500)).toBe(422);
    expect(texts(refused.body, 'main .conclusions-workflow .form-error')).toEqual(['Dites pourquoi les conclusions sont renvoyées.']);
    expect(stateOf(refused.body)).toBe('soumises');
    expect((await current(asOrganiser, FORUM_2019, sessionId)).state).toBe('submitted');

    const returned = await sendStep(organisers, refused.body, 'return', 'Précisez les chiffres, svp.');
    expect(returned.statusCode, returned.body.slice(0, 500)).toBe(303);
    expect(returned.headers.location).toBe(`${url}?saved=returned`);
    const page = await organisers.open(returned.headers.location as string);
    expect(texts(page, 'main .notice')).toEqual(['Conclusions renvoyées au rapporteur.']);
    expect(stateOf(page)).toBe('brouillon');

    const forRapporteur = await rapporteurs.open(url);
    expect(stateOf(forRapporteur)).toBe('brouillon');
    expect(texts(forRapporteur, 'main .conclusions-comment')).toEqual(['Précisez les chiffres, svp.']);
    // A rapporteur's page offers the one step a rapporteur may take.
    expect(stepsOffered(forRapporteur)).toEqual(['submit']);
    expect(texts(await rapporteurs.open('/rapporteur'), 'main .rapporteur-session .conclusions-returned')).toEqual(['renvoyées avec un commentaire']);
  });

  test('resubmitted, validated then published, the conclusions appear on the public session page and in the report', async () => {
    const edited = await sendConclusions(rapporteurs, await rapporteurs.open(url), { participants: '57' });
    expect(edited.statusCode).toBe(303);
    const submitted = await sendStep(rapporteurs, await rapporteurs.open(url), 'submit');
    expect(submitted.headers.location).toBe(`${url}?saved=submitted`);
    expect(texts(await rapporteurs.open(url), 'main .conclusions-comment')).toEqual([]);

    const validated = await sendStep(organisers, await organisers.open(url), 'validate');
    expect(validated.headers.location).toBe(`${url}?saved=validated`);
    const validatedPage = await organisers.open(url);
    expect(stateOf(validatedPage)).toBe('validées');
    expect(stepsOffered(validatedPage)).toEqual(['return', 'publish']);
    // Nothing is public before publishing.
    expect((await t.app.inject(`${PUBLIC}/sessions/${sessionId}`)).body).not.toContain('Les composants du programme');

    const published = await sendStep(organisers, validatedPage, 'publish');
    expect(published.headers.location).toBe(`${url}?saved=published`);
    const publishedPage = await organisers.open(published.headers.location as string);
    expect(texts(publishedPage, 'main .notice')).toEqual(['Conclusions publiées.']);
    expect(stateOf(publishedPage)).toBe('publiées');
    expect(stepsOffered(publishedPage)).toEqual(['unpublish']);

    const sessionPage = await t.app.inject(`${PUBLIC}/sessions/${sessionId}`);
    expect(sessionPage.statusCode).toBe(200);
    const section = $(sessionPage.body)('main .session-conclusions');
    expect(section.length).toBe(1);
    expect(section.find('.markdown').first().html()).toBe('<p>Les composants du programme sont <strong>trois</strong>.</p>');
    expect(texts(sessionPage.body, 'main .session-conclusions .conclusions__recommendations li .markdown')).toEqual(['Partager les outils entre villes']);
    expect(texts(sessionPage.body, 'main .session-conclusions .conclusions__recommendations li .conclusions__serves-heading')).toEqual(['Sert :']);
    // The output's statement is written out beside its number, not left to a tooltip.
    expect(texts(sessionPage.body, 'main .session-conclusions .conclusions__recommendations li .conclusions__serves li'))
      .toEqual(["Résultat 2 : Inspirer les éléments clés de la stratégie d'apprentissage de CGLU 2019-2021"]);
    expect(texts(sessionPage.body, 'main .session-conclusions .conclusions__participants')).toEqual(['Participants : 57']);

    const report = await t.app.inject(`${PUBLIC}/report`);
    expect(texts(report.body, `#session-${sessionId} .markdown`)).toEqual(['Les composants du programme sont trois.', 'Partager les outils entre villes']);
    expect(texts(report.body, `#output-${outputs[1]} .report-recommendations li .markdown`)).toEqual(['Partager les outils entre villes']);
    expect(texts(report.body, `#output-${outputs[1]} .report-recommendations li .report-source`)).toEqual([`— ${COMPONENTS}`]);
  });
});

describe("the organisers' overview of an event's conclusions", () => {
  let t: TestApp;
  let organiser: TestUser;
  let asOrganiser: Api;
  let rapporteur: TestUser;
  let asRapporteur: Api;
  let sessions: Record<string, string>;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Aminata Diallo');
    asOrganiser = apiAs(t.app, organiser.bearer);
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Jean Rapporteur');
    asRapporteur = apiAs(t.app, rapporteur.bearer);
    const second = await addUser(t.app, 'rapporteur', undefined, 'Inès Rapporteuse');
    sessions = await sessionsByTitle(asOrganiser, FORUM_2019);
    await assign(asOrganiser, FORUM_2019, sessions[REVIEW]!, rapporteur);
    await assign(asOrganiser, FORUM_2019, sessions[REVIEW]!, second);
    await assign(asOrganiser, FORUM_2019, sessions[DIALOGUE]!, rapporteur);
    await saveLatest(asRapporteur, FORUM_2019, sessions[REVIEW]!, content({ summary: 'Brouillon' }));
    await saveLatest(asRapporteur, FORUM_2019, sessions[DIALOGUE]!, content({ summary: 'Soumises' }), { submit: true });
    await publish(asOrganiser, FORUM_2019, sessions[WAY_FORWARD]!, content({ summary: 'Publiées' }));
  });
  afterAll(async () => { await t.close(); });

  test('an organiser of the event sees every session expecting conclusions, in programme order, with its rapporteurs and state', async () => {
    const page = await (await signIn(t.app, organiser)).open(overviewPath(FORUM_2019));
    const doc = $(page);
    const rows = doc('main .conclusions-table tbody tr').toArray().map((tr) => [
      doc(tr).find('th a').text(), doc(tr).find('td').eq(0).text(), doc(tr).find('td').eq(1).text(),
    ]);
    // The registration desk and lunch have nothing to conclude.
    expect(rows).toEqual([
      [OPENING, 'personne', 'pas commencées'],
      [OBJECTIVES, 'personne', 'pas commencées'],
      [REVIEW, 'Inès Rapporteuse, Jean Rapporteur', 'brouillon'],
      [SENDAI, 'personne', 'pas commencées'],
      [MODULES, 'personne', 'pas commencées'],
      [COMPONENTS, 'personne', 'pas commencées'],
      [DIALOGUE, 'Jean Rapporteur', 'soumises'],
      [WAY_FORWARD, 'personne', 'publiées'],
    ]);
    expect(doc('main .conclusions-table tbody th a').toArray().map((a) => doc(a).attr('href'))).toEqual(
      [OPENING, OBJECTIVES, REVIEW, SENDAI, MODULES, COMPONENTS, DIALOGUE, WAY_FORWARD].map((title) => formPath(FORUM_2019, sessions[title]!)),
    );
    expect(doc('main .conclusions-counts li').toArray().map((li) => [doc(li).contents().first().text().replace(/\s*:\s*$/, ''), doc(li).find('strong').text()])).toEqual([
      ['pas commencées', '5'], ['brouillon', '1'], ['soumises', '1'], ['validées', '0'], ['publiées', '1'],
    ]);
  });

  test('a rapporteur and an organiser of another event are refused (403); anonymous visitors are sent to sign in', async () => {
    expect((await (await signIn(t.app, rapporteur)).get(overviewPath(FORUM_2019))).statusCode).toBe(403);
    const elsewhere = await addUser(t.app, 'organiser', SEMINAR_2015);
    expect((await (await signIn(t.app, elsewhere)).get(overviewPath(FORUM_2019))).statusCode).toBe(403);
    const anonymous = await t.app.inject(overviewPath(FORUM_2019));
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(overviewPath(FORUM_2019))}`);
  });
});

describe('the consolidated report', () => {
  let t: TestApp;
  let organiser: TestUser;
  let asOrganiser: Api;
  let rapporteur: TestUser;
  let asRapporteur: Api;
  let sessions: Record<string, string>;
  let outputs: string[];
  const REPORT = `${PUBLIC}/report`;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Aminata Diallo');
    asOrganiser = apiAs(t.app, organiser.bearer);
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Jean Rapporteur');
    asRapporteur = apiAs(t.app, rapporteur.bearer);
    sessions = await sessionsByTitle(asOrganiser, FORUM_2019);
    outputs = await outputIds(asOrganiser, FORUM_2019);
    const [o1, o2, , o4] = outputs as [string, string, string, string];
    await assign(asOrganiser, FORUM_2019, sessions[REVIEW]!, rapporteur);
    // Published out of programme order, one session of each part; another only drafted.
    await publish(asOrganiser, FORUM_2019, sessions[WAY_FORWARD]!, content({
      summary: 'La suite.',
      recommendations: [{ text: 'Créer une plateforme commune', outputs: [o4] }],
      followUps: [{ action: 'Lancer la plateforme', owner: 'CGLU', due: '2020-06-30' }],
    }));
    await publish(asOrganiser, FORUM_2019, sessions[REVIEW]!, content({
      summary: 'Le bilan.',
      recommendations: [
        { text: "Mesurer l'apprentissage chaque année", outputs: [o1] },
        { text: 'Documenter les méthodes', outputs: [o4, o1] },
      ],
      followUps: [{ action: 'Envoyer le questionnaire', owner: 'Secrétariat', due: '2020-01-15' }],
    }));
    await publish(asOrganiser, FORUM_2019, sessions[OBJECTIVES]!, content({
      summary: 'Les attentes.',
      recommendations: [{ text: 'Associer les élus', outputs: [o2] }],
    }));
    await saveLatest(asRapporteur, FORUM_2019, sessions[REVIEW]!, content({ summary: 'Un brouillon plus récent' }));
  });
  afterAll(async () => { await t.close(); });

  test('recommendations appear under the expected outputs they serve, with their sessions', async () => {
    const report = await t.app.inject(REPORT);
    expect(report.statusCode).toBe(200);
    const byOutput = (id: string) => texts(report.body, `#output-${id} .report-recommendations li .markdown`);
    expect(outputs.map(byOutput)).toEqual([
      ["Mesurer l'apprentissage chaque année", 'Documenter les méthodes'],
      ['Associer les élus'],
      [],
      ['Documenter les méthodes', 'Créer une plateforme commune'],
    ]);
    expect(texts(report.body, `#output-${outputs[3]} .report-source a`)).toEqual([REVIEW, WAY_FORWARD]);
    expect($(report.body)(`#output-${outputs[3]} .report-source a`).toArray().map((a) => $(report.body)(a).attr('href'))).toEqual([
      `#session-${sessions[REVIEW]}`, `#session-${sessions[WAY_FORWARD]}`,
    ]);
    expect(texts(report.body, `#output-${outputs[2]} .empty`)).toEqual(['Aucune recommandation publiée pour ce résultat.']);
    expect(texts(report.body, `#output-${outputs[0]} h3`)).toEqual(["Résultat 1 : Évaluer l'état de l'apprentissage au sein du réseau"]);
    // Published revisions only: the newer draft is not in the report.
    expect(report.body).not.toContain('Un brouillon plus récent');
  });

  test('sessions are grouped under their parts, in programme order, each part after the first on a new printed page', async () => {
    const report = await t.app.inject(REPORT);
    const doc = $(report.body);
    const parts = doc('main .report-sessions > .report-part').toArray().map((part) => ({
      heading: doc(part).children('h3').text().replace(/\s+/g, ' ').trim(),
      sessions: doc(part).find('.report-session h4').toArray().map((h) => doc(h).text()),
      breaks: doc(part).hasClass('report-break'),
    }));
    expect(parts).toEqual([
      { heading: 'Première partie : Introduction – mise en contexte', sessions: [OBJECTIVES], breaks: false },
      { heading: 'Deuxième partie : Localiser les agendas globaux', sessions: [REVIEW], breaks: true },
      { heading: "Troisième partie : Renforcer le programme d'apprentissage entre pairs & coopération décentralisée", sessions: [WAY_FORWARD], breaks: true },
    ]);
    // Follow-up actions by due date.
    expect(doc('.report-follow-ups tbody tr').toArray().map((tr) => doc(tr).find('td').toArray().map((td) => doc(td).text()))).toEqual([
      ['Envoyer le questionnaire', 'Secrétariat', 'mercredi 15 janvier 2020', REVIEW, 'proposée'],
      ['Lancer la plateforme', 'CGLU', 'mardi 30 juin 2020', WAY_FORWARD, 'proposée'],
    ]);
  });

  test('the print stylesheet sets A4 pages and starts a new page at each part', async () => {
    const css = await t.app.inject('/assets/site.css');
    expect(css.statusCode).toBe(200);
    expect(css.body).toContain('@page { size: A4');
    expect(css.body).toMatch(/@media print \{[^@]*@page \{ size: A4;[^}]*\}[\s\S]*?\.report-break \{ break-before: page; \}/);
    const page = $((await t.app.inject(REPORT)).body);
    expect(page('link[rel="stylesheet"]').toArray().map((link) => page(link).attr('href'))).toContain('/assets/site.css');
  });

  test('the coverage panel is shown to the event\'s organisers only, never cached, with what is still missing', async () => {
    const anonymous = await t.app.inject(REPORT);
    expect($(anonymous.body)('.report-coverage').length).toBe(0);
    const forRapporteur = await (await signIn(t.app, rapporteur)).get(REPORT);
    expect(forRapporteur.statusCode).toBe(200);
    expect($(forRapporteur.body)('.report-coverage').length).toBe(0);
    const elsewhere = await (await signIn(t.app, await addUser(t.app, 'organiser', SEMINAR_2015))).get(REPORT);
    expect($(elsewhere.body)('.report-coverage').length).toBe(0);

    const forOrganiser = await (await signIn(t.app, organiser)).get(REPORT);
    expect(forOrganiser.headers['cache-control']).toBe('private, no-store');
    const doc = $(forOrganiser.body);
    expect(doc('.report-coverage').length).toBe(1);
    expect(doc('.report-coverage').hasClass('no-print')).toBe(true);
    expect(texts(forOrganiser.body, '.report-coverage ul').length).toBe(2);
    expect(doc('.report-coverage ul').first().find('a').toArray().map((a) => doc(a).attr('href'))).toEqual([`#output-${outputs[2]}`]);
    expect(doc('.report-coverage ul').last().find('li').toArray().map((li) => [doc(li).find('a').text(), doc(li).text().split(' · ').at(-1)])).toEqual([
      [OPENING, 'pas commencées'], [SENDAI, 'pas commencées'], [MODULES, 'pas commencées'], [COMPONENTS, 'pas commencées'], [DIALOGUE, 'pas commencées'],
    ]);
    expect(doc('.report-coverage ul').last().find('a').first().attr('href')).toBe(formPath(FORUM_2019, sessions[OPENING]!));
  });

  test('report.md is Markdown with the same content, and report.json parses', async () => {
    const md = await t.app.inject(`${REPORT}.md`);
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.headers['content-disposition']).toBe(`attachment; filename="${FORUM_2019}-report-fr.md"`);
    const headings = md.body.split('\n').filter((line) => /^#{1,4} /.test(line));
    expect(headings).toEqual([
      "# Rapport consolidé : Le forum d'apprentissage de CGLU",
      '## Recommandations par résultat attendu',
      "### Résultat 1 : Évaluer l'état de l'apprentissage au sein du réseau",
      "### Résultat 2 : Inspirer les éléments clés de la stratégie d'apprentissage de CGLU 2019-2021",
      "### Résultat 3 : Proposer des recommandations concrètes pour renforcer l'extension des politiques de CGLU avec l'apprentissage",
      "### Résultat 4 : Élaborer des recommandations concrètes sur les méthodes et mécanismes d'apprentissage innovants",
      '## Conclusions des sessions, partie par partie',
      '### Première partie : Introduction – mise en contexte',
      `#### ${OBJECTIVES}`,
      '### Deuxième partie : Localiser les agendas globaux',
      `#### ${REVIEW}`,
      "### Troisième partie : Renforcer le programme d'apprentissage entre pairs & coopération décentralisée",
      `#### ${WAY_FORWARD}`,
      '## Actions de suivi',
      "## L'avis des participants",
    ]);
    expect(md.body).toContain(`- Documenter les méthodes\n  _(${REVIEW} · proposée)_\n- Créer une plateforme commune\n  _(${WAY_FORWARD} · proposée)_`);
    expect(md.body).not.toContain('Un brouillon plus récent');

    const json = await t.app.inject(`${REPORT}.json`);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(json.body) as { outputs: { id: string; recommendations: { text: string; session: string }[] }[]; parts: { sessions: { id: string }[] }[]; coverage?: unknown };
    expect(body.outputs.map((o) => [o.id, o.recommendations.map((r) => r.text)])).toEqual([
      [outputs[0], ["Mesurer l'apprentissage chaque année", 'Documenter les méthodes']],
      [outputs[1], ['Associer les élus']],
      [outputs[2], []],
      [outputs[3], ['Documenter les méthodes', 'Créer une plateforme commune']],
    ]);
    expect(body.parts.map((p) => p.sessions.map((s) => s.id))).toEqual([[sessions[OBJECTIVES]], [sessions[REVIEW]], [sessions[WAY_FORWARD]]]);
    expect(body.coverage).toBeUndefined();
    // The page links both downloads.
    const page = await t.app.inject(REPORT);
    expect($(page.body)('.report__downloads a').toArray().map((a) => $(page.body)(a).attr('href'))).toEqual([`${REPORT}.md`, `${REPORT}.json`]);
  });
});
