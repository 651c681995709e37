// Imports in the browser: a file is uploaded (multipart, as a browser sends the form), staged,
// previewed with exact lists of what it creates, changes and removes while nothing is written,
// then imported on confirmation, or dropped. Our JSON, frab XML and a CSV of sessions; bad
// files refused beside the form; tokens only for their owner and for an hour.
import * as cheerio from 'cheerio';
import type { Response } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { csvToImport } from '../../../server/domains/interop/csv-import.ts';
import { programmeOf } from '../../../server/domains/programme/assemble.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { apiAs, eventPath, ok } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { Browser, formOf, texts } from '../../helpers/browser.ts';

const FORUM = `/admin/events/${FORUM_2019}`;
let t: TestApp;
let clock = new Date();
let olga: TestUser;
let alice: TestUser;
let olgaBrowser: Browser;
let aliceBrowser: Browser;

/** Sends the import form of the page as a browser does: multipart/form-data, the file with its name. */
async function upload(browser: Browser, pageUrl: string, file: { name: string; bytes: Buffer | string } | null, fields: Record<string, string> = {}): Promise<Response> {
  const form = formOf(await browser.open(pageUrl), 'main form.import-form');
  const boundary = '----forumtestboundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ ...form.fields, ...fields })) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value as string}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(Buffer.isBuffer(file.bytes) ? file.bytes : Buffer.from(file.bytes));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const cookie = [...browser.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  return t.app.inject({ method: 'POST', url: form.action, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat(parts) });
}

/** The preview's lists, as "Kind / heading: name, name". */
function previewLists(html: string): string[] {
  const $ = cheerio.load(html);
  return $('.import-kind').toArray().flatMap((section) => $(section).find('.import-list').toArray().map((list) =>
    `${$(section).find('h2').text()} / ${$(list).find('h3').text()} = ${$(list).find('li').toArray().map((li) => $(li).text()).join(', ')}`));
}

const countsOf = (slug: string) => {
  const p = programmeOf(t.app.db, findEventBySlug(t.app.db, slug)!);
  return { sessions: p.sessions.length, rooms: p.rooms.length, people: p.people.length, slots: p.slots.length, revision: p.event.revision };
};

const CSV = 'titre;jour;début;fin;salle;type;intervenants\nAtelier du soir;2019-11-12;18:00;19:00;Salle plénière;atelier;Ada Lovelace (Mairie)\nClôture;2019-11-12;19:30;20:00;Salle neuve;plénière;\n';

beforeAll(async () => {
  t = await buildTestApp({ now: () => clock });
  olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
  alice = await addUser(t.app, 'organiser', undefined, 'Alice Everything');
  [olgaBrowser, aliceBrowser] = await Promise.all([signIn(t.app, olga), signIn(t.app, alice)]);
});
afterAll(async () => { await t.close(); });

describe('a CSV of sessions', () => {
  test('previewed with exact lists and nothing written, imported on confirmation, and a second import changes nothing', async () => {
    const before = countsOf(FORUM_2019);
    const staged = await upload(olgaBrowser, `${FORUM}/import`, { name: 'sessions.csv', bytes: CSV });
    expect(staged.statusCode, cheerio.load(staged.body)("main").text().replace(/\s+/g, " ").slice(0, 1500)).toBe(303);
    expect(staged.headers.location).toMatch(new RegExp(`^${FORUM}/import/[A-Za-z0-9_-]{43}$`));
    const preview = await olgaBrowser.open(staged.headers.location as string);
    expect(previewLists(preview)).toEqual([
      'Sessions / À créer (2) = Atelier du soir, Clôture', 'Sessions / À modifier (0) = ', 'Sessions / À supprimer (0) = ',
      'Salles / À créer (1) = Salle neuve', 'Salles / À modifier (0) = ', 'Salles / À supprimer (0) = ',
      'Créneaux / À créer (2) = du 2019-11-12 18:00 au 2019-11-12 19:00, du 2019-11-12 19:30 au 2019-11-12 20:00', 'Créneaux / À modifier (0) = ', 'Créneaux / À supprimer (0) = ',
      'Personnes / À créer (1) = Ada Lovelace', 'Personnes / À modifier (0) = ', 'Personnes / À supprimer (0) = ',
      'Organisations / À créer (1) = Mairie', 'Organisations / À modifier (0) = ', 'Organisations / À supprimer (0) = ',
    ]);
    expect(texts(preview, '.import-warning')).toEqual([]);
    expect(countsOf(FORUM_2019)).toEqual(before);

    const done = await olgaBrowser.send(preview, {}, { form: 'main form.import-confirm' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${FORUM}/import?imported=2-0-0`);
    expect(texts(await olgaBrowser.open(done.headers.location as string), '.import-done p')).toEqual([('Programme importé : 2 sessions créées, 0 modifiée, 0 supprimée.'), 'Ouvrir le programme de l\'événement']);
    const after = countsOf(FORUM_2019);
    expect({ ...after, revision: 0 }).toEqual({ ...before, sessions: before.sessions + 2, rooms: before.rooms + 1, people: before.people + 1, slots: before.slots + 2, revision: 0 });

    const again = await upload(olgaBrowser, `${FORUM}/import`, { name: 'sessions.csv', bytes: CSV });
    const second = await olgaBrowser.open(again.headers.location as string);
    expect(texts(second, 'main .notice')).toEqual([('Rien ne change : le programme est déjà celui du fichier.')]);
    expect((await olgaBrowser.send(second, {}, { form: 'main form.import-confirm' })).headers.location).toBe(`${FORUM}/import?imported=0-0-0`);
    expect(countsOf(FORUM_2019)).toEqual(after);
  });

  test('a bad time is refused beside the form, naming the line and the column, in the page\'s language', async () => {
    const response = await upload(olgaBrowser, `${FORUM}/import`, { name: 'sessions.csv', bytes: 'titre;jour;début;fin\nA;2019-11-12;09:00;10:00\nB;2019-11-12;25:00;26:00\n' });
    expect(response.statusCode).toBe(422);
    expect(texts(response.body, '.import-refusal p')).toEqual([('Ce fichier CSV ne peut pas être importé :'), ('Ligne 3, colonne « début » : « 25:00 » n\'est pas une heure (HH:MM).')]);
  });

  test('the event\'s navigation leads to the import page, which it marks as the current one', async () => {
    const $ = cheerio.load(await olgaBrowser.open(`${FORUM}/import`));
    expect($('nav.admin-nav a[aria-current="page"]').toArray().map((a) => [$(a).attr('href'), $(a).text()])).toEqual([[`${FORUM}/import`, 'Importer']]);
    expect($('a[download]').attr('href')).toBe(`${FORUM}/import/template.csv`);
  });

  test('the template, in the page\'s language with a byte-order mark, reads back as its two sessions', async () => {
    for (const [lang, header] of [['fr', 'titre;jour;début;fin;durée;salle;partie;type;intervenants;id'], ['en', 'title,day,start,end,duration,room,part,kind,speakers,id'], ['es', 'título;día;inicio;fin;duración;sala;parte;tipo;ponentes;id']] as const) {
      const response = await olgaBrowser.get(`${FORUM}/import/template.csv?lang=${lang}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.body.startsWith(`\uFEFF${header}\r\n`)).toBe(true);
      const { programme } = csvToImport(response.body, programmeOf(t.app.db, findEventBySlug(t.app.db, FORUM_2019)!));
      const fresh = programme.sessions.slice(-2).map((s) => [Object.values(s.title)[0], s.kind, s.contributors.length]);
      expect(fresh).toEqual(lang === 'fr'
        ? [['Séance d\'ouverture', 'plenary', 2], ['Atelier\u00a0: des villes durables', 'workshop', 1]]
        : lang === 'en' ? [['Opening session', 'plenary', 2], ['Workshop: sustainable cities', 'workshop', 1]] : [['Sesión de apertura', 'plenary', 2], ['Taller: ciudades sostenibles', 'workshop', 1]]);
    }
  });
});

describe('our JSON and frab XML', () => {
  test('an exported JSON, edited, previews one change and one removal with a warning; confirmed, it is the programme', async () => {
    const exported = JSON.parse((await t.app.inject({ url: `/events/${SEMINAR_2015}/programme.json` })).body);
    const [kept, gone] = [exported.sessions[0], exported.sessions.at(-1)];
    kept.title = { ...kept.title, fr: 'Titre changé par le fichier' };
    exported.sessions = exported.sessions.slice(0, -1);
    const before = countsOf(SEMINAR_2015);
    const staged = await upload(aliceBrowser, `/admin/events/${SEMINAR_2015}/import`, { name: 'programme.json', bytes: JSON.stringify(exported) });
    expect(staged.statusCode).toBe(303);
    const preview = await aliceBrowser.open(staged.headers.location as string);
    expect(previewLists(preview)).toEqual([
      'Sessions / À créer (0) = ', 'Sessions / À modifier (1) = Titre changé par le fichier', `Sessions / À supprimer (1) = ${gone.title.fr}`,
    ]);
    expect(texts(preview, '.import-warning')).toEqual([('Attention : l\'import supprime du programme ce que le fichier n\'a plus (voir « À supprimer »).')]);
    expect(countsOf(SEMINAR_2015)).toEqual(before);
    const done = await aliceBrowser.send(preview, {}, { form: 'main form.import-confirm' });
    expect(done.headers.location).toBe(`/admin/events/${SEMINAR_2015}/import?imported=0-1-1`);
    expect(countsOf(SEMINAR_2015).sessions).toBe(before.sessions - 1);
    const audit = ok<{ entries: { entity: string; actor: { name: string }; after: unknown }[] }>(await apiAs(t.app, alice.bearer).get(`${eventPath(SEMINAR_2015)}/audit?entity=import`));
    expect(audit.entries.map((e) => [e.entity, e.actor.name, e.after])).toEqual([['import', 'Alice Everything', { format: 'forum-programme', counts: expect.objectContaining({ sessions: before.sessions - 1 }), notes: [] }]]);
  });

  test('the frab XML the export writes, imported into its own event, keeps every session; imported again, nothing changes; a file of another event is refused', async () => {
    const xml = (await t.app.inject({ url: `/events/${FORUM_2019}/schedule.xml` })).body;
    const staged = await upload(olgaBrowser, `${FORUM}/import`, { name: 'schedule.xml', bytes: xml });
    expect(staged.statusCode, cheerio.load(staged.body)('.import-refusal').text()).toBe(303);
    const preview = await olgaBrowser.open(staged.headers.location as string);
    expect(texts(preview, 'main > p').slice(0, 1)).toEqual(['Le fichier « schedule.xml » (XML de frab) a été lu. Voici ce que son import ferait ; rien n\'est encore enregistré.']);
    // The release has the bundled sessions, and so has its XML: they are kept, with the same ids.
    expect(previewLists(preview)[0]).toBe('Sessions / À créer (0) = ');
    expect(texts(preview, '.import-notes li').length).toBeGreaterThan(0);
    expect((await olgaBrowser.send(preview, {}, { form: 'main form.import-confirm' })).statusCode).toBe(303);
    const again = await olgaBrowser.open((await upload(olgaBrowser, `${FORUM}/import`, { name: 'schedule.xml', bytes: xml })).headers.location as string);
    expect(texts(again, 'main .notice')).toEqual(['Rien ne change : le programme est déjà celui du fichier.']);
    const other = (await t.app.inject({ url: `/events/${SEMINAR_2015}/programme.json` })).body;
    const refused = await upload(olgaBrowser, `${FORUM}/import`, { name: 'programme.json', bytes: other });
    expect(refused.statusCode).toBe(422);
    expect(texts(refused.body, '.import-refusal p')).toEqual(['Ce fichier ne peut pas être importé. Le programme d\'import explique (en anglais) :', `this file is the programme of another event ("${SEMINAR_2015}"), not of "${FORUM_2019}"`]);
    expect(cheerio.load(refused.body)('.import-refusal__detail').attr('lang')).toBe('en');
  });

  test('organisers of every event make a new event from a file at /admin/import', async () => {
    const document = {
      format: 'forum-programme/1',
      event: { id: '6f1c1d1e-0c4b-4a55-9a59-0d7f4b1c2a01', slug: 'forum-from-a-file', timezone: 'Europe/Paris', defaultLanguage: 'fr', languages: ['fr'], startDate: '2027-05-04', endDate: '2027-05-04', title: { fr: 'Forum venu d\'un fichier' } },
      parts: [], rooms: [{ id: '6f1c1d1e-0c4b-4a55-9a59-0d7f4b1c2a02', name: { fr: 'Grande salle' } }], outputs: [], organisations: [], people: [], slots: [],
      sessions: [{ id: '6f1c1d1e-0c4b-4a55-9a59-0d7f4b1c2a03', slot: null, part: null, room: '6f1c1d1e-0c4b-4a55-9a59-0d7f4b1c2a02', kind: 'session', status: 'confirmed', title: { fr: 'Première séance' }, contributors: [], outputs: [] }],
    };
    expect((await olgaBrowser.get('/admin/import')).statusCode).toBe(403);
    const staged = await upload(aliceBrowser, '/admin/import', { name: 'new.json', bytes: JSON.stringify(document) });
    expect(staged.headers.location).toMatch(/^\/admin\/import\/[A-Za-z0-9_-]{43}$/);
    const preview = await aliceBrowser.open(staged.headers.location as string);
    expect(texts(preview, '.import-new-event')).toEqual([('L\'import crée un nouvel événement, « Forum venu d\'un fichier », à l\'adresse forum-from-a-file.')]);
    expect(previewLists(preview)).toEqual(['Sessions / À créer (1) = Première séance', 'Sessions / À modifier (0) = ', 'Sessions / À supprimer (0) = ', 'Salles / À créer (1) = Grande salle', 'Salles / À modifier (0) = ', 'Salles / À supprimer (0) = ']);
    expect(findEventBySlug(t.app.db, 'forum-from-a-file')).toBeNull();
    const done = await aliceBrowser.send(preview, {}, { form: 'main form.import-confirm' });
    expect(done.headers.location).toBe('/admin/events/forum-from-a-file/import?imported=1-0-0');
    expect(countsOf('forum-from-a-file')).toMatchObject({ sessions: 1, rooms: 1 });
    const csv = await upload(aliceBrowser, '/admin/import', { name: 'sessions.csv', bytes: CSV });
    expect([csv.statusCode, texts(csv.body, '.field__error')]).toEqual([422, [('Un CSV de sessions s\'importe dans un événement qui existe : créez d\'abord l\'événement, puis ouvrez sa page « Importer ».')]]);
  });
});

describe('refusals and tokens', () => {
  test('binary, UTF-16, no file, a form sent without multipart and an unknown time zone: clear 4xx beside the form, nothing staged', async () => {
    const refusal = async (file: { name: string; bytes: Buffer | string } | null, fields: Record<string, string> = {}) => {
      const response = await upload(olgaBrowser, `${FORUM}/import`, file, fields);
      return [response.statusCode, [...texts(response.body, '.import-refusal__detail'), ...texts(response.body, '.field__error')]];
    };
    expect(await refusal({ name: 'x.json', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00]) })).toEqual([422, ['the file is not valid UTF-8 (byte 0); save it as UTF-8 and import it again']]);
    expect(await refusal({ name: 'x.xml', bytes: Buffer.from('\ufffe<x/>', 'utf16le') })).toEqual([422, ['the file is in UTF-16; save it as UTF-8 and import it again']]);
    expect(await refusal(null)).toEqual([422, ['Choisissez un fichier.']]);
    expect(await refusal({ name: 'schedule.xml', bytes: '<schedule/>' }, { timezone: 'Mars/Olympus' })).toEqual([422, [('« Mars/Olympus » n\'est pas un fuseau horaire connu (par exemple Europe/Paris).')]]);
    const form = formOf(await olgaBrowser.open(`${FORUM}/import`), 'main form.import-form');
    const urlencoded = await olgaBrowser.post(`${FORUM}/import`, { _csrf: form.hidden._csrf!, file: 'not a file' });
    expect([urlencoded.statusCode, texts(urlencoded.body, '.field__error')]).toEqual([422, ['Choisissez un fichier.']]);
    expect((await t.app.inject({ method: 'POST', url: `${FORUM}/import`, headers: { cookie: [...olgaBrowser.cookies].map(([n, v]) => `${n}=${v}`).join('; '), 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\ntitre\r\n--x--\r\n' })).statusCode).toBe(403);
  });

  test('a file over IMPORT_MAX_BYTES: the form again, 413, with the limit', async () => {
    const small = await buildTestApp({ env: { IMPORT_MAX_BYTES: '2048' } });
    try {
      const user = await addUser(small.app, 'organiser', FORUM_2019, 'Olga Small');
      const browser = await signIn(small.app, user);
      const saved = t;
      t = small;
      try {
        const response = await upload(browser, `${FORUM}/import`, { name: 'big.csv', bytes: `titre\n${'Séance\n'.repeat(400)}` });
        expect([response.statusCode, texts(response.body, '.field__error')]).toEqual([413, ['Le fichier dépasse la taille maximale de 2 ko.']]);
      } finally {
        t = saved;
      }
    } finally {
      await small.close();
    }
  });

  test('a token is only its owner\'s, for its event, for an hour; cancelling drops it', async () => {
    const staged = (await upload(olgaBrowser, `${FORUM}/import`, { name: 'sessions.csv', bytes: CSV })).headers.location as string;
    const token = staged.split('/').at(-1)!;
    expect((await aliceBrowser.get(staged)).statusCode).toBe(404);
    expect((await olgaBrowser.get(`/admin/events/${SEMINAR_2015}/import/${token}`)).statusCode).toBe(403);
    expect((await aliceBrowser.get(`/admin/import/${token}`)).statusCode).toBe(404);
    const preview = await olgaBrowser.open(staged);
    const cancelled = await olgaBrowser.send(preview, {}, { form: 'main form.import-cancel' });
    expect(cancelled.headers.location).toBe(`${FORUM}/import?cancelled=1`);
    expect((await olgaBrowser.get(staged)).statusCode).toBe(404);

    const later = (await upload(olgaBrowser, `${FORUM}/import`, { name: 'sessions.csv', bytes: CSV })).headers.location as string;
    const saved = clock;
    clock = new Date(saved.getTime() + 61 * 60 * 1000);
    try {
      expect((await olgaBrowser.get(later)).statusCode).toBe(404);
    } finally {
      clock = saved;
    }
  });

  test('the programme changed since the preview: the preview again, 409, saying so; confirmed then, it is imported', async () => {
    const csv = 'titre;jour;début;fin\nSéance tardive;2019-11-12;21:00;21:30\n';
    const preview = await olgaBrowser.open((await upload(olgaBrowser, `${FORUM}/import`, { name: 'late.csv', bytes: csv })).headers.location as string);
    ok(await apiAs(t.app, olga.bearer).post(`${eventPath(FORUM_2019)}/rooms`, { name: { fr: 'Salle ajoutée entre-temps' } }), 201);
    const before = countsOf(FORUM_2019);
    const stale = await olgaBrowser.send(preview, {}, { form: 'main form.import-confirm' });
    expect(stale.statusCode).toBe(409);
    expect(texts(stale.body, '.admin-stale p')).toEqual([('Le programme a changé depuis l\'aperçu : voici l\'aperçu à jour. Vérifiez-le, puis importez de nouveau.')]);
    expect(countsOf(FORUM_2019)).toEqual(before);
    const done = await olgaBrowser.send(stale.body, {}, { form: 'main form.import-confirm' });
    expect(done.headers.location).toBe(`${FORUM}/import?imported=1-0-0`);
  });
});
