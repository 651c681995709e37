// A session's subtitle, abstract, language and links (migration 0007) through the write API
// and the organisers' session form: stored, answered, checked, and never lost by an edit
// that does not name them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { $, ADMIN_FORM, formOf, texts } from '../../helpers/browser.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, expectInvalid, ok, UUID, type Api, type SessionOut, type Text, type Written } from '../../helpers/api.ts';

const SESSIONS = `${eventPath(FORUM_2019)}/sessions`;
const BASE = `/admin/events/${FORUM_2019}`;

interface Link { url: string; title: string }
interface DetailedSession extends SessionOut {
  subtitle: Text | null;
  abstract: Text | null;
  language: string | null;
  links: Link[] | null;
}

const DETAILS = {
  subtitle: { en: 'Learning from each other', fr: 'Apprendre les uns des autres' },
  abstract: { es: 'Primer párrafo.\n\nSegundo párrafo.', fr: 'Premier paragraphe.\n\nSecond paragraphe.' },
  language: 'de,en-GB',
  links: [
    { title: 'Slides', url: 'https://example.org/slides.pdf' },
    { url: 'http://example.org/recording?t=12#start', title: 'Enregistrement de la séance' },
  ],
};

/** What the database holds for a session's four details, as stored text. */
function storedDetails(t: TestApp, id: string) {
  return t.app.db.$client.prepare('select subtitle, abstract, language, links from sessions where public_id = ?').get(id);
}

describe('session details through the write API', () => {
  let t: TestApp;
  let api: Api;
  let created: DetailedSession;

  beforeAll(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    created = ok<Written<DetailedSession>>(await api.post(SESSIONS, {
      title: { fr: 'Atelier des villes' }, start: '2019-11-12T18:00', end: '2019-11-12T18:45', ...DETAILS,
    }), 201).data;
  });
  afterAll(async () => { await t.close(); });

  test('a session created with the four details answers them, texts in fr/en/es order and languages as "de, en-GB"', async () => {
    expect(created).toEqual({
      id: expect.stringMatching(UUID), kind: 'session', status: 'confirmed', title: { fr: 'Atelier des villes' }, description: null,
      subtitle: { fr: 'Apprendre les uns des autres', en: 'Learning from each other' },
      abstract: { fr: 'Premier paragraphe.\n\nSecond paragraphe.', es: 'Primer párrafo.\n\nSegundo párrafo.' },
      language: 'de, en-GB', interpretation: null,
      links: [
        { url: 'https://example.org/slides.pdf', title: 'Slides' },
        { url: 'http://example.org/recording?t=12#start', title: 'Enregistrement de la séance' },
      ],
      part: null, slot: expect.stringMatching(UUID), room: null, contributors: [], outputs: [],
      start: '2019-11-12T18:00:00+02:00', end: '2019-11-12T18:45:00+02:00', version: 1,
    });
    expect(ok(await api.get(`${SESSIONS}/${created.id}`))).toEqual(created);
    // Stored in one spelling: the language order of the other texts, and links as { url, title }.
    expect(storedDetails(t, created.id)).toEqual({
      subtitle: '{"fr":"Apprendre les uns des autres","en":"Learning from each other"}',
      abstract: '{"fr":"Premier paragraphe.\\n\\nSecond paragraphe.","es":"Primer párrafo.\\n\\nSegundo párrafo."}',
      language: 'de, en-GB',
      links: '[{"url":"https://example.org/slides.pdf","title":"Slides"},{"url":"http://example.org/recording?t=12#start","title":"Enregistrement de la séance"}]',
    });
  });

  test('a session created without them has null for each', async () => {
    const plain = ok<Written<DetailedSession>>(await api.post(SESSIONS, { title: { fr: 'Sans détails' } }), 201).data;
    expect([plain.subtitle, plain.abstract, plain.language, plain.links]).toEqual([null, null, null, null]);
  });

  test('PATCH changes the details it names and keeps the others; the same values in another order change nothing', async () => {
    const url = `${SESSIONS}/${created.id}`;
    const before = ok<DetailedSession>(await api.get(url));

    const same = ok<Written<DetailedSession>>(await api.patch(url, DETAILS, before.version));
    expect(same.data).toEqual(before);

    const changed = ok<Written<DetailedSession>>(await api.patch(url, { subtitle: { en: 'A new line' }, language: 'fr' }, before.version));
    expect(changed.data).toEqual({ ...before, subtitle: { en: 'A new line' }, language: 'fr', version: before.version + 1 });
    expect(ok(await api.get(url))).toEqual(changed.data);

    const title = ok<Written<DetailedSession>>(await api.patch(url, { title: { fr: 'Atelier des villes, deuxième tour' } }, changed.data.version));
    expect([title.data.subtitle, title.data.abstract, title.data.language, title.data.links])
      .toEqual([{ en: 'A new line' }, before.abstract, 'fr', before.links]);

    // An empty list of links is no links: stored as null, like a session that never had any.
    const cleared = ok<Written<DetailedSession>>(await api.patch(url, { subtitle: null, abstract: null, language: null, links: [] }, title.data.version));
    expect([cleared.data.subtitle, cleared.data.abstract, cleared.data.language, cleared.data.links]).toEqual([null, null, null, null]);
    expect(storedDetails(t, created.id)).toEqual({ subtitle: null, abstract: null, language: null, links: null });
  });

  test('a language that is not a list of BCP 47 tags, or a bad link, is refused with 422 naming the field, and nothing changes', async () => {
    const url = `${SESSIONS}/${created.id}`;
    const before = ok<DetailedSession>(await api.get(url));
    // Each detail may be null: the validator also says that the value is not null (at the nullable field).
    const refused = async (body: Record<string, unknown>, pointer: string, detail: string) => {
      const field = pointer.split('/').slice(0, 2).join('/');
      const errors = [{ pointer, detail }, { pointer: field, detail: 'must be null' }, { pointer: field, detail: 'must match a schema in anyOf' }];
      expectInvalid(await api.patch(url, body, before.version), t.config.publicUrl, errors,
        `The request body is not valid: ${errors.map((e) => `${e.pointer.slice(2)} ${e.detail}`).join('; ')}`);
    };
    const tags = '"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*(, ?[a-z]{2,3}(-[A-Za-z0-9]{1,8})*)*$"';
    await refused({ language: 'Français' }, '#/language', `must match pattern ${tags}`);
    await refused({ language: 'fr;en' }, '#/language', `must match pattern ${tags}`);
    await refused({ language: '' }, '#/language', `must match pattern ${tags}`);
    await refused({ language: 'fr, '.repeat(13) + 'en' }, '#/language', 'must NOT have more than 50 characters');
    const web = '"^https?://[^\\s/?#]+([/?#][^\\s]*)?$"';
    await refused({ links: [{ url: 'javascript:alert(1)', title: 'Click' }] }, '#/links/0/url', `must match pattern ${web}`);
    await refused({ links: [{ url: 'https://example.org', title: 'Ok' }, { url: 'ftp://example.org/file', title: 'File' }] }, '#/links/1/url', `must match pattern ${web}`);
    await refused({ links: [{ url: 'https://example.org', title: '' }] }, '#/links/0/title', 'must NOT have fewer than 1 characters');
    await refused({ links: [{ url: 'https://example.org', title: 'x'.repeat(201) }] }, '#/links/0/title', 'must NOT have more than 200 characters');
    await refused({ links: [{ url: `https://example.org/${'a'.repeat(2000)}`, title: 'Long' }] }, '#/links/0/url', 'must NOT have more than 2000 characters');
    await refused({ links: [{ url: 'https://example.org' }] }, '#/links/0/title', 'is required');
    await refused({ links: [{ url: 'https://example.org', title: 'Ok', rel: 'nofollow' }] }, '#/links/0/rel', 'is not a field of this resource');
    await refused({ links: Array.from({ length: 21 }, (_, i) => ({ url: `https://example.org/${i}`, title: `Link ${i}` })) }, '#/links', 'must NOT have more than 20 items');
    await refused({ subtitle: { fr: 'x'.repeat(301) } }, '#/subtitle/fr', 'must NOT have more than 300 characters');
    await refused({ abstract: { fr: 'x'.repeat(10001) } }, '#/abstract/fr', 'must NOT have more than 10000 characters');
    expect(ok(await api.get(url))).toEqual(before);
  });

  test('the OpenAPI document describes the four details of a session', async () => {
    const doc = (await t.app.inject('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> };
    const body = doc.paths['/api/v1/events/{slug}/sessions/{id}']!.patch!.requestBody.content['application/json']!.schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['subtitle', 'abstract', 'language', 'links']));
    expect(JSON.stringify(body.properties.links)).toContain('"maxItems":20');
  });
});

describe('session details through the organisers\' session form', () => {
  let t: TestApp;
  let organiser: TestUser;
  let api: Api;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    api = apiAs(t.app, organiser.bearer);
  });
  afterAll(async () => { await t.close(); });

  test('every detail has a labelled control, filled with the saved values; links one per line, "address title"', async () => {
    const session = ok<Written<DetailedSession>>(await api.post(SESSIONS, { title: { fr: 'Atelier des villes' }, ...DETAILS }), 201).data;
    const browser = await signIn(t.app, organiser);
    const page = await browser.get(`${BASE}/sessions/${session.id}`);
    expect(page.statusCode).toBe(200);
    const form = $(page.body);
    const labelOf = (id: string) => form(`label[for="${id}"]`).text().replace(/\s+/g, ' ').trim();
    const languageOf = (id: string) => form(`label[for="${id}"] span[lang]`).first().text();
    expect(form('#f-subtitle legend').text().trim()).toBe('Sous-titre');
    expect(form('#f-abstract legend').text().trim()).toBe('Résumé');
    for (const field of ['subtitle', 'abstract']) {
      expect(['fr', 'en', 'es'].map((l) => languageOf(`f-${field}-${l}`))).toEqual(['Français', 'English', 'Español']);
    }
    expect(form('#f-subtitle-fr').attr('value')).toBe('Apprendre les uns des autres');
    expect(form('#f-subtitle-en').attr('value')).toBe('Learning from each other');
    expect(form('textarea#f-abstract-fr').text()).toBe('Premier paragraphe.\n\nSecond paragraphe.');
    expect(form('textarea#f-abstract-es').text()).toBe('Primer párrafo.\n\nSegundo párrafo.');
    expect(labelOf('f-language')).toBe('Langue(s) de la session');
    expect(form('input#f-language').attr('value')).toBe('de, en-GB');
    expect(labelOf('f-links')).toBe('Liens');
    expect(form('textarea#f-links').attr('name')).toBe('links');
    expect(form('textarea#f-links').text()).toBe('https://example.org/slides.pdf Slides\nhttp://example.org/recording?t=12#start Enregistrement de la séance');
    expect(form('#f-links').attr('aria-describedby')).toBe('f-links-hint');
    expect(form('#f-links-hint').text()).toBe('Un lien par ligne : l\'adresse (http:// ou https://), une espace, puis le titre. 20 liens au plus.');
  });

  test('a session created with the form keeps its details: CRLF lines, blank lines and extra spaces are tidied', async () => {
    const browser = await signIn(t.app, organiser);
    const response = await browser.submit(`${BASE}/sessions/new`, {
      'title.fr': 'Débat', 'subtitle.fr': 'Une ligne sous le titre', 'abstract.fr': 'Un.\r\n\r\nDeux.', 'abstract.en': 'One.',
      language: 'fr, en',
      links: '  https://example.org/a   Les diapositives  \r\n\r\nhttp://example.org/b Enregistrement\r\n',
    }, { form: ADMIN_FORM });
    expect(response.statusCode, response.body.slice(0, 3000)).toBe(303);
    const id = (response.headers.location as string).split('/').at(-1)!.split('?')[0]!;
    const saved = ok<DetailedSession>(await api.get(`${SESSIONS}/${id}`));
    expect([saved.subtitle, saved.abstract, saved.language, saved.links]).toEqual([
      { fr: 'Une ligne sous le titre' },
      { fr: 'Un.\n\nDeux.', en: 'One.' },
      'fr, en',
      [{ url: 'https://example.org/a', title: 'Les diapositives' }, { url: 'http://example.org/b', title: 'Enregistrement' }],
    ]);
  });

  test('saving the form with another title keeps the links and the other details; saving it unchanged changes nothing', async () => {
    const session = ok<Written<DetailedSession>>(await api.post(SESSIONS, { title: { fr: 'Table ronde' }, ...DETAILS }), 201).data;
    const browser = await signIn(t.app, organiser);
    const url = `${BASE}/sessions/${session.id}`;

    const unchanged = await browser.submit(url, {}, { form: ADMIN_FORM });
    expect(unchanged.statusCode, unchanged.body.slice(0, 3000)).toBe(303);
    expect(ok(await api.get(`${SESSIONS}/${session.id}`))).toEqual(session);

    const renamed = await browser.submit(url, { 'title.fr': 'Table ronde des maires' }, { form: ADMIN_FORM });
    expect(renamed.statusCode, renamed.body.slice(0, 3000)).toBe(303);
    expect(ok(await api.get(`${SESSIONS}/${session.id}`))).toEqual({ ...session, title: { fr: 'Table ronde des maires' }, version: session.version + 1 });

    // A form that does not hold the field (an older page, another form) leaves the links alone.
    const page = await browser.get(url);
    const { action, fields } = formOf(page.body, ADMIN_FORM);
    delete fields.links;
    const withoutLinks = await browser.post(action, { ...(fields as Record<string, string>), 'title.fr': 'Table ronde' });
    expect(withoutLinks.statusCode, withoutLinks.body.slice(0, 3000)).toBe(303);
    expect(ok<DetailedSession>(await api.get(`${SESSIONS}/${session.id}`)).links).toEqual(session.links);

    // Emptying the textarea removes them.
    const emptied = await browser.submit(url, { links: '' }, { form: ADMIN_FORM });
    expect(emptied.statusCode).toBe(303);
    expect(ok<DetailedSession>(await api.get(`${SESSIONS}/${session.id}`)).links).toBeNull();
  });

  test('a stale save shows the saved links beside the typed ones and changes nothing; sent again, it replaces them knowingly', async () => {
    const session = ok<Written<DetailedSession>>(await api.post(SESSIONS, { title: { fr: 'Clôture' }, ...DETAILS }), 201).data;
    const browser = await signIn(t.app, organiser);
    const url = `${BASE}/sessions/${session.id}`;
    const page = await browser.get(url);
    // Meanwhile, someone else changes the links.
    const theirs = ok<Written<DetailedSession>>(await api.patch(`${SESSIONS}/${session.id}`, { links: [{ url: 'https://example.org/new', title: 'Nouveau' }] }, session.version)).data;

    const typed = 'https://example.org/mine Le mien';
    const stale = await browser.send(page.body, { links: typed }, { form: ADMIN_FORM });
    expect(stale.statusCode).toBe(409);
    const form = $(stale.body);
    expect(form('#f-links').text()).toBe(typed);
    expect(texts(stale.body, '#f-links-current li')).toEqual(['https://example.org/new Nouveau']);
    expect(form('#f-links').attr('aria-describedby')).toBe('f-links-hint f-links-current');
    expect(ok(await api.get(`${SESSIONS}/${session.id}`))).toEqual(theirs);

    expect((await browser.send(stale.body, {}, { form: ADMIN_FORM })).statusCode).toBe(303);
    expect(ok<DetailedSession>(await api.get(`${SESSIONS}/${session.id}`)).links).toEqual([{ url: 'https://example.org/mine', title: 'Le mien' }]);
  });

  test('a duplicated session keeps the subtitle, abstract, language and links', async () => {
    const session = ok<Written<DetailedSession>>(await api.post(SESSIONS, { title: { fr: 'Atelier à dupliquer' }, ...DETAILS }), 201).data;
    const browser = await signIn(t.app, organiser);
    const response = await browser.submit(`${BASE}/sessions/${session.id}`, {}, { form: 'form.admin-duplicate' });
    expect(response.statusCode).toBe(303);
    const copyId = (response.headers.location as string).split('/').at(-1)!.split('?')[0]!;
    expect(copyId).not.toBe(session.id);
    const copy = ok<DetailedSession>(await api.get(`${SESSIONS}/${copyId}`));
    expect([copy.subtitle, copy.abstract, copy.language, copy.links]).toEqual([session.subtitle, session.abstract, session.language, session.links]);
  });

  test('a bad line of links or a bad language is shown at its field, with its line, and what was typed stays', async () => {
    const session = ok<Written<DetailedSession>>(await api.post(SESSIONS, { title: { fr: 'Plénière' }, ...DETAILS }), 201).data;
    const browser = await signIn(t.app, organiser);
    const url = `${BASE}/sessions/${session.id}`;
    const typed = 'https://example.org/ok Bon lien\n\njavascript:alert(1) Piège';
    const response = await browser.submit(url, { links: typed, language: 'Français' }, { form: ADMIN_FORM });
    expect(response.statusCode).toBe(422);
    const form = $(response.body);
    expect(form('#f-links-error').text()).toBe('Ligne 3 : L\'adresse doit commencer par http:// ou https:// et ne contenir aucune espace.');
    expect(form('#f-links').attr('aria-invalid')).toBe('true');
    expect(form('#f-links').attr('aria-describedby')).toBe('f-links-hint f-links-error');
    expect(form('#f-links').text()).toBe(typed);
    expect(form('#f-language-error').text()).toBe('Saisissez des codes de langue BCP 47 séparés par des virgules, par exemple « fr » ou « de, en ».');
    expect(form('#f-language').attr('value')).toBe('Français');
    expect(texts(response.body, '.admin-error-summary a')).toEqual(expect.arrayContaining([
      expect.stringContaining('Ligne 3 : L\'adresse doit commencer par http://'),
    ]));

    const untitled = await browser.submit(url, { links: 'https://example.org/a Diapositives\nhttps://example.org/b' }, { form: ADMIN_FORM });
    expect(untitled.statusCode).toBe(422);
    expect($(untitled.body)('#f-links-error').text()).toBe('Ligne 2 : Ajoutez un titre après l\'adresse, séparé par une espace.');

    const tooMany = await browser.submit(url, { links: Array.from({ length: 21 }, (_, i) => `https://example.org/${i} Lien ${i}`).join('\n') }, { form: ADMIN_FORM });
    expect(tooMany.statusCode).toBe(422);
    expect($(tooMany.body)('#f-links-error').text()).toBe('20 au plus.');

    expect(ok(await api.get(`${SESSIONS}/${session.id}`))).toEqual(session);
  });
});
