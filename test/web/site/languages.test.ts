// The languages each session can be followed in: held in (its floor language, else the
// event's) and interpreted into (its own list, else its room's, else none). On the 2019 forum,
// given a second room, some sessions held in Spanish and English, and Spanish interpretation
// in the plenary room: the filter "sessions I can follow in …" without JavaScript in fr, en and
// es, the badges and their screen-reader sentences, the API's checks and the workspace forms.
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, eventPath, listOf, ok, type Api } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn } from '../../helpers/auth.ts';
import { ADMIN_FORM } from '../../helpers/browser.ts';
import { release } from '../../helpers/releases.ts';

const BASE = eventPath(FORUM_2019);
const PAGE = `/events/${FORUM_2019}`;

type Item = { id: string; version: number; title?: { fr: string }; interpretation?: unknown; room?: string | null };

/** The titles (their beginnings) of the bundled 2019 forum's sessions, in programme order (data/uclg-learning-forum-2019.json). */
const T = {
  arrival: 'Arrivée des participants',
  opening: 'Ouverture et bienvenue',
  goals: 'Objectifs et attentes des participants',
  review: 'Bilan du travail effectué',
  sendai: 'Apprendre d\'un exemple',
  modules: 'Evolution des modules et méthodologies',
  lunch: 'Déjeuner',
  components: 'Composants clés',
  dialogue: 'Dialogue entre mécanismes',
  wayForward: 'La voie à suivre',
};

async function sessionsByTitle(api: Api): Promise<Map<string, Item>> {
  const all = await listOf<Item>(api, FORUM_2019, 'sessions');
  const found = new Map<string, Item>();
  for (const [key, prefix] of Object.entries(T)) {
    const session = all.find((s) => s.title!.fr.startsWith(prefix));
    if (!session) throw new Error(`no session ${prefix}`);
    found.set(key, session);
  }
  return found;
}

/** The session cards a programme page lists, by id, in order. */
const listedIds = (html: string) => cheerio.load(html)('.programme article.session').map((_, el) => cheerio.load(el)('article').attr('data-session-id')).get();

describe('the languages of the 2019 forum\'s sessions, with Spanish interpretation in the plenary room', () => {
  let t: TestApp;
  let api: Api;
  let ids: Map<string, Item>;
  let plenary: Item;
  let sisulu: string;
  const id = (key: keyof typeof T) => ids.get(key)!.id;

  beforeAll(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    plenary = (await listOf<Item>(api, FORUM_2019, 'rooms'))[0]!;
    ok(await api.patch(`${BASE}/rooms/${plenary.id}`, { interpretation: [{ language: 'es', channel: '2' }] }, plenary.version));
    sisulu = ok<{ data: { id: string } }>(await api.post(`${BASE}/rooms`, { name: { fr: 'Salle Sisulu' } }), 201).data.id;
    ids = await sessionsByTitle(api);
    // Two sessions held in Spanish (one in each room), one in English; three in the second room, which has no booths.
    const patch = async (key: keyof typeof T, body: Record<string, unknown>) => {
      const s = ids.get(key)!;
      const written = ok<{ data: Item }>(await api.patch(`${BASE}/sessions/${s.id}`, body, s.version));
      ids.set(key, written.data);
    };
    await patch('sendai', { room: sisulu, language: 'es' });
    await patch('modules', { room: sisulu, language: 'en' });
    await patch('dialogue', { room: sisulu });
    await patch('components', { language: 'es' });
    release(t.app, FORUM_2019);
  });
  afterAll(async () => { await t?.close(); });

  test('ACCEPTANCE: "sessions I can follow in Spanish" lists exactly the plenary room\'s sessions and the Spanish-language ones', async () => {
    // Computed from the stored rows, apart from the programme's own rules: in the plenary room, or held in Spanish.
    const rows = t.app.db.$client.prepare(`
      select s.public_id as id, r.public_id as room, s.language as language from sessions s
      join events e on e.id = s.event_id left join rooms r on r.id = s.room_id where e.slug = ?`).all(FORUM_2019) as { id: string; room: string | null; language: string | null }[];
    const expected = new Set(rows.filter((r) => r.room === plenary.id || (r.language ?? '').split(/, ?/).includes('es')).map((r) => r.id));
    const page = await t.app.inject({ url: `${PAGE}?follow=es&lang=fr` });
    expect(page.statusCode).toBe(200);
    const listed = listedIds(page.body);
    expect(new Set(listed)).toEqual(expected);
    expect(listed).toEqual([id('arrival'), id('opening'), id('goals'), id('review'), id('sendai'), id('lunch'), id('components'), id('wayForward')]);
  });

  test('the filter works in a French, English and Spanish page alike, with a GET form and a way back to every session', async () => {
    const spanish = [id('arrival'), id('opening'), id('goals'), id('review'), id('sendai'), id('lunch'), id('components'), id('wayForward')];
    const words = {
      fr: { label: 'Sessions que je peux suivre en', notice: 'Seules sont affichées les sessions que l’on peut suivre en espagnol, dans la langue de la session ou grâce à l’interprétation.', all: 'Afficher toutes les sessions' },
      en: { label: 'Sessions I can follow in', notice: 'Only the sessions you can follow in Spanish, spoken or through interpretation, are shown.', all: 'Show all sessions' },
      es: { label: 'Sesiones que puedo seguir en', notice: 'Solo se muestran las sesiones que se pueden seguir en español, en el idioma de la sesión o gracias a la interpretación.', all: 'Mostrar todas las sesiones' },
    } as const;
    for (const lang of ['fr', 'en', 'es'] as const) {
      const page = await t.app.inject({ url: `${PAGE}?lang=${lang}&follow=es` });
      expect(page.statusCode).toBe(200);
      const $ = cheerio.load(page.body);
      expect($('html').attr('lang')).toBe(lang);
      expect(listedIds(page.body)).toEqual(spanish);
      // A plain GET form: a labelled select and a submit button, no script needed.
      const form = $('form.filters');
      expect(form.attr('method')).toBe('get');
      expect($('label[for="filter-follow"]').text()).toBe(words[lang].label);
      expect($('#filter-follow option').map((_, o) => $(o).attr('value')).get()).toEqual(['', 'en', 'es', 'fr']);
      expect($('#filter-follow option[selected]').attr('value')).toBe('es');
      expect(form.find('button[type="submit"]').length).toBe(1);
      expect(form.find('input[name="lang"]').attr('value')).toBe(lang);
      const notice = $('.programme-notice--following');
      expect(notice.text().trim()).toBe(`${words[lang].notice} ${words[lang].all}`);
      expect(notice.find('a').attr('href')).toBe(PAGE);
    }
    // Each language's own list, in every page language.
    for (const lang of ['fr', 'en', 'es']) {
      expect(listedIds((await t.app.inject({ url: `${PAGE}?lang=${lang}&follow=en` })).body)).toEqual([id('modules')]);
      expect(listedIds((await t.app.inject({ url: `${PAGE}?lang=${lang}&follow=fr` })).body))
        .toEqual([id('arrival'), id('opening'), id('goals'), id('review'), id('lunch'), id('dialogue'), id('wayForward')]);
    }
    // Without the filter, every session; an empty choice ("any language") is no filter.
    expect(listedIds((await t.app.inject({ url: `${PAGE}?follow=` })).body)).toHaveLength(10);
  });

  test('a language no session offers is ignored with a notice; a value that is no language tag is a 400, never a 5xx', async () => {
    const ignored = await t.app.inject({ url: `${PAGE}?lang=en&follow=de` });
    expect(ignored.statusCode).toBe(200);
    expect(listedIds(ignored.body)).toHaveLength(10);
    expect(cheerio.load(ignored.body)('.programme-notice').first().text()).toBe('The “language to follow in” filter no longer matches anything in the programme: it has been ignored.');
    for (const bad of ['%3Cscript%3E', 'Spanish', 'e', 'es-'.padEnd(40, 'x')]) {
      const response = await t.app.inject({ url: `${PAGE}?follow=${bad}` });
      expect(response.statusCode, bad).toBe(400);
    }
  });

  test('each card shows compact badges of its languages, said whole to screen readers, in the page\'s language', async () => {
    const card = async (lang: string, session: string) => {
      const $ = cheerio.load((await t.app.inject({ url: `${PAGE}?lang=${lang}` })).body);
      const languages = $(`#session-${session} .session__languages`);
      return { said: languages.find('.visually-hidden').text(), shown: languages.find('[aria-hidden="true"]').text().replace(/\s+/g, ' ').trim() };
    };
    expect(await card('fr', id('opening'))).toEqual({ said: 'Langue : français ; interprétation en espagnol (canal 2)', shown: 'FR interp. ES 2' });
    expect(await card('en', id('opening'))).toEqual({ said: 'Language: French; interpreted into Spanish (channel 2)', shown: 'FR interp. ES 2' });
    expect(await card('es', id('opening'))).toEqual({ said: 'Idioma: francés; interpretación al español (canal 2)', shown: 'FR interp. ES 2' });
    expect(await card('fr', id('components'))).toEqual({ said: 'Langue : espagnol ; interprétation en espagnol (canal 2)', shown: 'ES interp. ES 2' });
    expect(await card('en', id('modules'))).toEqual({ said: 'Language: English', shown: 'EN' });
    // A session in the event's language without interpretation says nothing beyond it.
    expect(await card('fr', id('dialogue'))).toEqual({ said: '', shown: '' });
    // The session's page says it too, with the interpretation in words.
    const $ = cheerio.load((await t.app.inject({ url: `${PAGE}/sessions/${id('opening')}?lang=fr` })).body);
    expect($('.session-page .session__languages .visually-hidden').text()).toBe('Langue : français ; interprétation en espagnol (canal 2)');
    expect($('.session-page__interpretation').text()).toBe('en espagnol (canal 2)');
  });

  test('the read API gives each session the interpretation participants get, and each room its own', async () => {
    const programme = ok<{ rooms: { id: string; interpretation: unknown }[]; parts: { slots: { sessions: { id: string; interpretation: unknown }[] }[] }[]; outsideParts: { sessions: { id: string; interpretation: unknown }[] }[] }>(
      await t.app.inject({ url: `/api/v1/events/${FORUM_2019}/programme` }));
    expect(programme.rooms.map((r) => [r.id, r.interpretation])).toEqual([[plenary.id, [{ language: 'es', channel: '2' }]], [sisulu, []]]);
    const sessions = new Map([...programme.parts.flatMap((p) => p.slots), ...programme.outsideParts].flatMap((s) => s.sessions).map((s) => [s.id, s.interpretation]));
    expect(sessions.get(id('opening'))).toEqual([{ language: 'es', channel: '2' }]);
    expect(sessions.get(id('sendai'))).toEqual([]);
  });
});

describe('a session\'s interpretation: its own, else its room\'s, else none; checked at the API and edited in the workspace', () => {
  let t: TestApp;
  let api: Api;
  let room: Item;
  let ids: Map<string, Item>;

  beforeAll(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    room = (await listOf<Item>(api, FORUM_2019, 'rooms'))[0]!;
    ids = await sessionsByTitle(api);
  });
  afterAll(async () => { await t?.close(); });

  // Participants see releases: each step is released before the programme is read.
  const followable = async (lang: string) => listedIds((await t.app.inject({ url: `${PAGE}?follow=${lang}` })).body);

  test('the room\'s is inherited; a session\'s own list overrides it; an empty one means none', async () => {
    const written = ok<{ data: Item }>(await api.patch(`${BASE}/rooms/${room.id}`, { interpretation: [{ language: 'en', channel: 'EN' }, { language: 'es' }] }, room.version));
    expect(written.data.interpretation).toEqual([{ language: 'en', channel: 'EN' }, { language: 'es', channel: null }]);
    release(t.app, FORUM_2019);
    expect(await followable('en')).toHaveLength(10);
    const review = ids.get('review')!;
    const own = ok<{ data: Item }>(await api.patch(`${BASE}/sessions/${review.id}`, { interpretation: [{ language: 'pt', channel: '4' }] }, review.version));
    expect(own.data.interpretation).toEqual([{ language: 'pt', channel: '4' }]);
    const lunch = ids.get('lunch')!;
    const none = ok<{ data: Item }>(await api.patch(`${BASE}/sessions/${lunch.id}`, { interpretation: [] }, lunch.version));
    expect(none.data.interpretation).toEqual([]);
    release(t.app, FORUM_2019);
    const others = [...ids.values()].filter((s) => s.id !== review.id && s.id !== lunch.id).map((s) => s.id);
    expect(new Set(await followable('en'))).toEqual(new Set(others));
    expect(await followable('pt')).toEqual([review.id]);
    // A room without booths: an empty list is stored as none (null), and only the sessions that name their own are interpreted.
    const [now] = await listOf<Item>(api, FORUM_2019, 'rooms');
    expect(ok<{ data: Item }>(await api.patch(`${BASE}/rooms/${now!.id}`, { interpretation: [] }, now!.version)).data.interpretation).toBeNull();
    release(t.app, FORUM_2019);
    // No session offers English any more: the choice is gone, and an old link to it shows every session, saying so.
    const page = cheerio.load((await t.app.inject({ url: `${PAGE}?follow=en` })).body);
    expect(page('#filter-follow option').map((_, o) => page(o).attr('value')).get()).toEqual(['', 'fr', 'pt']);
    expect(await followable('en')).toHaveLength(10);
    expect(await followable('pt')).toEqual([review.id]);
  });

  test('bad interpretation is a 422 naming the field: a bad tag, a language twice, too many, a channel too long', async () => {
    const session = (await listOf<Item>(api, FORUM_2019, 'sessions'))[0]!;
    const pointers = async (url: string, version: number, interpretation: unknown) => {
      const response = await api.patch(url, { interpretation }, version);
      expect(response.statusCode, response.body).toBe(422);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      return (response.json() as { errors: { pointer: string }[] }).errors.map((e) => e.pointer);
    };
    const url = `${BASE}/sessions/${session.id}`;
    expect(await pointers(url, session.version, [{ language: 'Spanish' }])).toContain('#/interpretation/0/language');
    expect(await pointers(url, session.version, [{ language: 'es' }, { language: 'en' }, { language: 'es', channel: '3' }])).toEqual(['#/interpretation/2/language']);
    expect(await pointers(url, session.version, Array.from({ length: 11 }, (_, i) => ({ language: `a${String.fromCharCode(97 + i)}` })))).toContain('#/interpretation');
    expect(await pointers(url, session.version, [{ language: 'es', channel: 'x'.repeat(21) }])).toContain('#/interpretation/0/channel');
    expect(await pointers(url, session.version, [{ language: 'es', channel: '' }])).toContain('#/interpretation/0/channel');
    expect(await pointers(url, session.version, [{ language: 'es', booth: 1 }])).toContain('#/interpretation/0/booth');
    const [r] = await listOf<Item>(api, FORUM_2019, 'rooms');
    expect(await pointers(`${BASE}/rooms/${r!.id}`, r!.version, [{ language: 'fr' }, { language: 'fr', channel: '1' }])).toEqual(['#/interpretation/1/language']);
    // Nothing was written.
    expect(ok<Item>(await api.get(url)).version).toBe(session.version);
  });

  test('the workspace forms edit it without JavaScript: a line per language with its channel, "-" for a session\'s "none"', async () => {
    const browser = await signIn(t.app, await addUser(t.app, 'organiser'));
    const [r] = await listOf<Item>(api, FORUM_2019, 'rooms');
    const roomPage = `/admin/events/${FORUM_2019}/rooms/${r!.id}`;
    const form = cheerio.load((await browser.get(roomPage)).body);
    expect(form('label[for="f-interpretation"]').text()).toBe('Interprétation');
    expect(form('textarea#f-interpretation').attr('aria-describedby')).toBe('f-interpretation-hint');
    expect((await browser.submit(roomPage, { interpretation: 'es 2\r\n\r\nen Canal anglais' }, { form: ADMIN_FORM })).statusCode).toBe(303);
    const [saved] = await listOf<Item>(api, FORUM_2019, 'rooms');
    expect(saved!.interpretation).toEqual([{ language: 'es', channel: '2' }, { language: 'en', channel: 'Canal anglais' }]);
    expect(cheerio.load((await browser.get(roomPage)).body)('textarea#f-interpretation').text()).toBe('es 2\nen Canal anglais');
    // A bad line is refused beside the field, with its line, and nothing is written.
    const refused = await browser.submit(roomPage, { interpretation: 'es 2\nespagnol' }, { form: ADMIN_FORM });
    expect(refused.statusCode).toBe(422);
    expect(cheerio.load(refused.body)('#f-interpretation-error').text()).toBe('Ligne 2 : Ce n’est pas un code de langue (par exemple « es » ou « pt-BR »).');
    const twice = await browser.submit(roomPage, { interpretation: 'es 2\nes 3' }, { form: ADMIN_FORM });
    expect(twice.statusCode).toBe(422);
    expect(cheerio.load(twice.body)('#f-interpretation-error').text()).toMatch(/^Ligne 2 : /);
    // A session: empty is the room's, "-" is none, lines are its own.
    const dialogue = ids.get('dialogue')!;
    const sessionPage = `/admin/events/${FORUM_2019}/sessions/${dialogue.id}`;
    const read = async () => ok<Item>(await api.get(`${BASE}/sessions/${dialogue.id}`)).interpretation;
    expect((await browser.submit(sessionPage, { interpretation: '-' }, { form: ADMIN_FORM })).statusCode).toBe(303);
    expect(await read()).toEqual([]);
    expect(cheerio.load((await browser.get(sessionPage)).body)('textarea#f-interpretation').text()).toBe('-');
    expect((await browser.submit(sessionPage, { interpretation: 'pt 5' }, { form: ADMIN_FORM })).statusCode).toBe(303);
    expect(await read()).toEqual([{ language: 'pt', channel: '5' }]);
    expect((await browser.submit(sessionPage, { interpretation: '' }, { form: ADMIN_FORM })).statusCode).toBe(303);
    expect(await read()).toBeNull();
  });
});
