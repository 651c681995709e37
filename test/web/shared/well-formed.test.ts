// Every string a request brings is well-formed Unicode without control characters (TAB, LF
// and CR excepted), or it is refused with a 422 that names the field, before any schema or
// handler sees it: JSON bodies, forms, imports (over the API and from the command line, JSON
// and frab XML), query strings and the parameters of an address.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportProgrammeJson, readProgrammeText } from '../../../server/domains/interop/service.ts';
import { readProgramme } from '../../../server/domains/releases/reader.ts';
import { findTextFaults, MAX_TEXT_FAULTS, wellFormedJsonText, wellFormedText } from '../../../server/unicode.ts';
import { apiAs, eventPath, expectInvalid, expectProblem, ok, type Api, type SessionOut, type Written } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn } from '../../helpers/auth.ts';
import { $, ADMIN_FORM } from '../../helpers/browser.ts';
import { dumpDatabase } from '../../helpers/interop.ts';

const SESSIONS = `${eventPath(FORUM_2019)}/sessions`;
const LONE = 'holds half of a UTF-16 surrogate pair alone, which is not Unicode text';
const control = (character: string) => `holds the control character ${character}, which text may not carry (TAB, LF and CR excepted)`;
const TIMES = { start: '2019-11-12T10:00', end: '2019-11-12T10:30' };

describe('the check of every string of a request', () => {
  let t: TestApp;
  let api: Api;
  const dump = () => dumpDatabase(path.join(t.dir, 'forum.db'), { except: ['api_tokens'] });

  beforeAll(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
  });
  afterAll(async () => { await t.close(); });

  test('a lone surrogate in a JSON body is a 422 naming the field (#/title/fr), and nothing is written', async () => {
    const before = dump();
    expectInvalid(await api.post(SESSIONS, { title: { fr: 'Atelier \ud800' }, ...TIMES }), t.config.publicUrl, [{ pointer: '#/title/fr', detail: LONE }]);
    // A low surrogate alone, and a pair in the wrong order, are no better.
    expectInvalid(await api.post(SESSIONS, { title: { fr: 'Atelier' }, description: { en: '\udc00\ud800' }, ...TIMES }), t.config.publicUrl, [
      { pointer: '#/description/en', detail: LONE },
    ]);
    expect(dump()).toBe(before);
  });

  test('NUL, BEL, ESC and DEL are 422s naming the field and the character, every faulty field in document order; TAB, CR and LF are kept', async () => {
    const response = await api.post(SESSIONS, {
      title: { fr: 'Nul\u0000Bel\u0007' }, subtitle: { fr: 'Esc\u001b' }, abstract: { fr: 'Del\u007f' }, ...TIMES,
    });
    expectInvalid(response, t.config.publicUrl, [
      { pointer: '#/title/fr', detail: control('U+0000') },
      { pointer: '#/subtitle/fr', detail: control('U+001B') },
      { pointer: '#/abstract/fr', detail: control('U+007F') },
    ]);
    // Multi-line texts keep their line breaks and tabs: CR LF and TAB are saved as they were sent.
    const created = ok<Written<SessionOut>>(await api.post(SESSIONS, { title: { fr: 'Atelier des lignes' }, description: { fr: 'Un\r\nDeux\n\tTrois' }, ...TIMES }), 201);
    expect(created.data.description).toEqual({ fr: 'Un\r\nDeux\n\tTrois' });
  });

  test('a faulty key is named too, shown with U+FFFD (the answer itself stays well-formed), before the schema refuses the unknown field', async () => {
    const response = await api.post(SESSIONS, { title: { fr: 'Atelier', 'e\ud800n': 'x' }, ...TIMES });
    expectInvalid(response, t.config.publicUrl, [{ pointer: '#/title/e\ufffdn', detail: LONE }]);
    expect(response.body.isWellFormed()).toBe(true);
  });

  test('a control character in the query string is a 422 naming the parameter, for the API and for pages', async () => {
    expectProblem(await api.get(`/api/v1/events/${FORUM_2019}/programme?lang=fr%00`), t.config.publicUrl, 422, 'validation', {
      detail: `The query string is not valid: lang: ${control('U+0000')}`,
      errors: [{ pointer: '#/lang', detail: control('U+0000') }],
    });
    const page = await t.app.inject({ url: `/events/${FORUM_2019}?lang=en%07`, headers: { 'accept-language': 'en' } });
    expect(page.statusCode).toBe(422);
    expect($(page.body)('.error-page__detail').text()).toBe('lang: This text holds an invisible control character: remove it.');
  });

  test('a control character in a parameter of the address is a 422 naming it', async () => {
    expectProblem(await api.get(`/api/v1/events/forum%1b2019/programme`), t.config.publicUrl, 422, 'validation', {
      detail: `The address is not valid: slug: ${control('U+001B')}`,
      errors: [{ pointer: '#/slug', detail: control('U+001B') }],
    });
  });

  test('a control character in a form of the organisers\' pages is a 422 page naming the field in the reader\'s language, and nothing is written', async () => {
    const browser = await signIn(t.app, await addUser(t.app, 'organiser', FORUM_2019));
    const created = ok<Written<SessionOut>>(await api.post(SESSIONS, { title: { fr: 'Atelier du formulaire' }, ...TIMES }), 201).data;
    const before = dump();
    const response = await browser.submit(`/admin/events/${FORUM_2019}/sessions/${created.id}`, { 'title.fr': 'Atelier\u0000', 'title.en': 'Work\u0008shop' }, { form: ADMIN_FORM });
    expect(response.statusCode).toBe(422);
    expect($(response.body)('.error-page__detail').text()).toBe(
      'title.fr : Ce texte contient un caractère de contrôle invisible : supprimez-le. title.en : Ce texte contient un caractère de contrôle invisible : supprimez-le.',
    );
    expect(dump()).toBe(before);
  });

  test('an import through the API with a lone surrogate is a 422 naming the field inside the file, and nothing is written', async () => {
    const document = JSON.parse(exportProgrammeJson(readProgramme(t.app.db, { slug: FORUM_2019 }, 'working')));
    document.sessions[3].title.fr = 'Plénière \ud83d';
    document.rooms[0].name.fr = 'Salle\u0000';
    const before = dump();
    expectInvalid(await api.post('/api/v1/imports', document), t.config.publicUrl, [
      { pointer: '#/rooms/0/name/fr', detail: control('U+0000') },
      { pointer: '#/sessions/3/title/fr', detail: LONE },
    ]);
    expect(dump()).toBe(before);
  });
});

describe('the check of the files the command line imports', () => {
  test('frab XML: a reference to a lone surrogate or to NUL, a raw BEL, and DEL (which XML 1.0 allows) are refused, naming the place', () => {
    expect(() => readProgrammeText('<schedule>\n<conference><title>Forum &#xD800;</title></conference></schedule>', {}))
      .toThrow('the file is not well-formed XML: malformed character entity (line 2, column 33)');
    expect(() => readProgrammeText('<schedule><conference acronym="a&#x0;"/></schedule>', {}))
      .toThrow('the file is not well-formed XML: malformed character entity (line 1, column 37)');
    expect(() => readProgrammeText('<schedule>\n<conference><title>Forum \u0007</title></conference></schedule>', {}))
      .toThrow('the file is not well-formed XML: disallowed character (line 2, column 26)');
    // DEL, which XML 1.0 lets through, is refused as the site refuses it, in text and in attributes.
    expect(() => readProgrammeText('<schedule>\n\n<conference><title>Forum &#x7F;</title></conference></schedule>', {}))
      .toThrow('the file holds the control character U+007F (line 3), which text may not carry: remove it and import the file again');
    expect(() => readProgrammeText('<schedule><conference acronym="a\u007f"/></schedule>', {}))
      .toThrow('the file holds the control character U+007F (line 1), which text may not carry: remove it and import the file again');
  });

  test('JSON: a lone surrogate anywhere in the file is refused, naming its place', () => {
    expect(() => readProgrammeText('{"format": "forum-programme", "event": {"title": {"fr": "x\\udfff"}}}', {}))
      .toThrow('the text at #/event/title/fr holds half of a UTF-16 surrogate pair alone, which is not Unicode text: correct it and import the file again');
  });
});

describe('the pure check and cleaning', () => {
  test('faults come in document order, at most MAX_TEXT_FAULTS of them, and a body nested 200,000 deep is walked without overflowing', () => {
    expect(findTextFaults({ a: ['ok', '\u0001'], b: { 'c~/d': '\ud800' } })).toEqual([
      { pointer: '#/a/1', code: 'control-character', params: { character: 'U+0001' } },
      { pointer: '#/b/c~0~1d', code: 'lone-surrogate' },
    ]);
    expect(findTextFaults(Array.from({ length: 100 }, () => '\u0000'))).toHaveLength(MAX_TEXT_FAULTS);
    let deep: unknown = '\u0002';
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    expect(findTextFaults(deep).map((f) => f.code)).toEqual(['control-character']);
  });

  test('cleaning makes lone surrogates U+FFFD, drops C0 controls but TAB, LF and CR, and DEL, and keeps pairs and C1 as they are', () => {
    expect(wellFormedText('a\ud800b\udc00c\u0000\u0007\u001b\u007f\t\r\n😀\u0085')).toBe('a\ufffdb\ufffdc\t\r\n😀\u0085');
    expect(wellFormedJsonText('{\n  "a": "x\\ud800\\u0000\\b\u007f",\n  "b": "\\\\b"\n}\n')).toBe('{\n  "a": "x\ufffd",\n  "b": "\\\\b"\n}\n');
    const clean = '{"a":"no fault \\\\ here"}';
    expect(wellFormedJsonText(clean, 0)).toBe(clean);
  });
});
