// The leak crawl. Secrets are written first, each with a marker of its own and its id
// remembered: in the 2019 forum, unreleased sessions, people, organisations, rooms, parts,
// expected outputs and time slots, unreleased edits of released ones, a session cancelled
// before it was ever released, conclusions at every unpublished stage (draft, submitted,
// validated, returned with a comment, a text set aside), published conclusions tied to an
// unreleased output; a personal agenda's token; API tokens, login sessions, the one-time setup
// token, account e-mails, names, passwords and their hashes. Then every public address is read
// anonymously and as each role (a rapporteur, an organiser of the other event, an organiser of
// this one, who sees drafts only in an explicit preview), in French, English and Spanish:
// every page, feed, export and read API answer reachable from the home page by a link, and
// every GET route the app registers, with the ids the released programmes hold. A secret found
// in any answer fails the test with the address and the secret.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../helpers/auth.ts';
import { apiAs, eventPath, ok, sessionTitled, type Api, type Written } from '../helpers/api.ts';
import { Browser } from '../helpers/browser.ts';
import { assign, content, current, publish, save, saveLatest, steps } from '../helpers/conclusions.ts';
import { instantiate, LeakCrawl, type RoleCrawl, type Secret } from '../helpers/crawl.ts';
import { release } from '../helpers/releases.ts';
import { apiTokens, people, sessionFeedback, users } from '../../server/db/schema.ts';
import { setContact } from '../../server/domains/messaging/outbox.ts';
import { insertEndpoint, insertMessage } from '../../server/domains/messaging/repository.ts';
import { findEventBySlug } from '../../server/domains/programme/repository.ts';
import type { ConclusionContent } from '../../server/db/schema.ts';

const API = eventPath(FORUM_2019);
/** At most this many addresses per role: the crawl is bounded, and the test fails if it reaches it. */
const MAX_ADDRESSES = 1500;

/**
 * The address segments that name a programme's ids, by the JSON keys that hold them: a speaker
 * is a person or an organisation (the 2019 forum's are organisations), and the private
 * routes of people are read with them too.
 */
const ALIASES: Record<string, string[]> = {
  person: ['speakers', 'people'], organisation: ['organisations', 'speakers', 'people'], organisations: ['organisations', 'speakers', 'people'],
};

/** GET routes whose parameters no public link supplies: each is someone's own (a token) or static. */
const NOT_CRAWLED = [
  '/assets/*', // static files, written from no database
  '/my/:token', '/my/:token/calendar.ics', // a participant's own agenda: its token is its owner's secret
  '/setup/:token', // the one-time setup link: its token is a secret
  '/api/v1/events/:slug/sessions/:id/conclusions/revisions/:number', // a writer's own history
  '/admin/events/:slug/sessions/:id/rapporteurs/:userId/delete', // organisers only
  '/admin/events/:slug/import/:token', '/admin/import/:token', // a staged import: its token is its uploader's, and only theirs
  '/stop/:token', // a message's stop link: its token is its recipient's
  // The outbox and the webhooks: the event's organisers' only
  '/api/v1/events/:slug/outbox/:id', '/api/v1/events/:slug/outbox/:id/attachments/:n', '/api/v1/events/:slug/webhooks/:id', '/api/v1/events/:slug/webhooks/:id/deliveries',
  '/admin/events/:slug/outbox/:id', '/admin/events/:slug/outbox/:id/attachments/:n', '/admin/events/:slug/outbox/:id/send', '/admin/events/:slug/outbox/:id/discard',
  '/admin/events/:slug/webhooks/:id', '/admin/events/:slug/webhooks/:id/state', '/admin/events/:slug/webhooks/:id/delete',
];

const REVIEW = 'Bilan du travail effectué';
const SENDAI = "Apprendre d'un exemple : localiser le cadre de Sendai";
const MODULES = 'Evolution des modules et méthodologies';
const COMPONENTS = "Composants clés pour nourrir le programme d'apprentissage";
const DIALOGUE = 'Dialogue entre mécanismes : comment assurer la transférabilité ?';

/** Conclusions with this marker in every field a rapporteur writes, tied to these outputs. */
function marked(marker: string, outputs: string[]): ConclusionContent {
  return content({
    summary: `${marker} summary`, keyPoints: [`${marker} key point`], challenges: `${marker} challenge`,
    recommendations: [{ text: `${marker} recommendation`, outputs }],
    followUps: [{ action: `${marker} action`, owner: `${marker} owner`, due: '2020-03-31' }], participants: 12,
  });
}

describe('the leak crawl: no secret on any public address, for any reader', () => {
  let t: TestApp;
  const secrets: Secret[] = [];
  const secret = (name: string, value: string, owner?: string) => { secrets.push({ name, value, ...(owner ? { owner } : {}) }); return value; };
  let routes: string[] = [];
  let organiser: TestUser;
  let asOrganiser: Api;
  const crawls: RoleCrawl[] = [];
  let crawler: LeakCrawl;
  let started = 0;
  let seeded = 0;
  let crawled = 0;

  /** Writes the programme's secrets: unreleased items and unreleased edits of released ones. */
  async function seedProgramme() {
    const created = async (collection: string, body: Record<string, unknown>) =>
      ok<Written<{ id: string; version: number; slot?: string | null }>>(await asOrganiser.post(`${API}/${collection}`, body), 201).data;
    const room = await created('rooms', { name: { fr: secret('draft room name', 'LeakDraftRoomQx') } });
    secret('draft room id', room.id);
    const organisation = await created('organisations', { name: { fr: secret('draft organisation name', 'LeakDraftOrgQx') } });
    secret('draft organisation id', organisation.id);
    const person = await created('people', { name: secret('draft person name', 'LeakDraftPersonQx'), organisation: organisation.id, bio: { fr: secret('draft person bio', 'LeakDraftBioQx') } });
    secret('draft person id', person.id);
    const part = await created('parts', { label: { fr: secret('draft part label', 'LeakDraftPartLabelQx') }, title: { fr: secret('draft part title', 'LeakDraftPartTitleQx') } });
    secret('draft part id', part.id);
    const output = await created('outputs', { statement: { fr: secret('draft output statement', 'LeakDraftOutputQx') } });
    secret('draft output id', output.id);
    const session = await created('sessions', {
      title: { fr: secret('draft session title', 'LeakDraftSessionQx') }, abstract: { fr: secret('draft session abstract', 'LeakDraftAbstractQx') },
      start: '2019-11-12T21:00', end: '2019-11-12T22:00', room: room.id, part: part.id, outputs: [output.id],
      contributors: [{ role: 'speaker', person: person.id }],
    });
    secret('draft session id', session.id);
    secret('draft time slot id', session.slot!);
    const cancelled = await created('sessions', { title: { fr: secret('title of a session cancelled before release', 'LeakCancelledQx') } });
    secret('id of a session cancelled before release', cancelled.id);
    ok(await asOrganiser.patch(`${API}/sessions/${cancelled.id}`, { status: 'cancelled' }, cancelled.version));
    // Unreleased edits of released items: a new title, a room's new name.
    const released = await sessionTitled(asOrganiser, FORUM_2019, REVIEW);
    ok(await asOrganiser.patch(`${API}/sessions/${released.id}`, { title: { fr: secret('unreleased new title of a released session', 'LeakRetitleQx') } }, released.version));
    const [plenary] = ok<{ items: { id: string; version: number }[] }>(await asOrganiser.get(`${API}/rooms`)).items;
    ok(await asOrganiser.patch(`${API}/rooms/${plenary!.id}`, { name: { fr: secret('unreleased new name of a released room', 'LeakRoomRenameQx') } }, plenary!.version));
    return output.id;
  }

  /** Writes conclusions at every unpublished stage, and published ones tied to an unreleased output. */
  async function seedConclusions(rapporteur: TestUser, unreleasedOutput: string) {
    const asRapporteur = apiAs(t.app, rapporteur.bearer);
    const ids = Object.fromEntries(await Promise.all([REVIEW, SENDAI, MODULES, COMPONENTS, DIALOGUE]
      .map(async (title) => [title, (await sessionTitled(asOrganiser, FORUM_2019, title === REVIEW ? 'LeakRetitleQx' : title)).id])));
    const o1 = ok<{ items: { id: string; position: number }[] }>(await asOrganiser.get(`${API}/outputs`)).items.find((o) => o.position === 0)!.id;
    for (const title of [REVIEW, SENDAI, MODULES, DIALOGUE]) await assign(asOrganiser, FORUM_2019, ids[title]!, rapporteur);
    await saveLatest(asRapporteur, FORUM_2019, ids[REVIEW]!, marked(secret('draft conclusions', 'LeakDraftConclusionsQx'), [o1]));
    await saveLatest(asRapporteur, FORUM_2019, ids[SENDAI]!, marked(secret('submitted conclusions', 'LeakSubmittedQx'), [o1]), { submit: true });
    await saveLatest(asRapporteur, FORUM_2019, ids[MODULES]!, marked(secret('validated conclusions', 'LeakValidatedQx'), [o1]), { submit: true });
    await steps(asOrganiser, FORUM_2019, ids[MODULES]!, ['validate']);
    await saveLatest(asRapporteur, FORUM_2019, ids[DIALOGUE]!, marked(secret('returned conclusions', 'LeakReturnedQx'), [o1]), { submit: true });
    await steps(asOrganiser, FORUM_2019, ids[DIALOGUE]!, ['return'], { comment: secret('return comment', 'LeakReturnCommentQx') });
    expect((await save(asRapporteur, FORUM_2019, ids[DIALOGUE]!, 0, marked(secret('set-aside text', 'LeakSetAsideQx'), [o1]))).statusCode).toBe(409);
    const copies = (await current(asOrganiser, FORUM_2019, ids[DIALOGUE]!) as unknown as { conflicts: { id: string }[] }).conflicts;
    expect(copies.length).toBe(1);
    secret('set-aside text id', copies[0]!.id);
    // Published, tied to a released output and to the unreleased one: only the first tie is public.
    await publish(asOrganiser, FORUM_2019, ids[COMPONENTS]!, marked('LeakPublishedQx', [o1, unreleasedOutput]));
    return ids;
  }

  /**
   * Contacts (a released person's and an unreleased one's, in both events), a message of the
   * outbox and a webhook endpoint with its secret: all private to the event's organisers.
   */
  function seedMessages() {
    const now = new Date();
    for (const slug of [FORUM_2019, SEMINAR_2015]) {
      const event = findEventBySlug(t.app.db, slug)!;
      const everyone = t.app.db.select().from(people).all().filter((p) => p.eventId === event.id);
      const chosen = [everyone.find((p) => p.name === 'LeakDraftPersonQx'), everyone.find((p) => p.name !== 'LeakDraftPersonQx')].filter((p) => p !== undefined);
      for (const [i, person] of chosen.entries()) {
        setContact({ db: t.app.db, event, actor: { id: organiser.id, name: 'organiser' }, now }, person.publicId,
          { email: secret(`contact e-mail of ${person.name} (${slug})`, `leak.contact${i}.${slug}@example.org`), language: 'en' });
      }
      const stop = secret(`stop token of a message (${slug})`, `LeakStopToken${slug.replaceAll('-', '')}Qx`);
      insertMessage(t.app.db, {
        publicId: secret(`message id (${slug})`, `leak-message-${slug}`), eventId: event.id, kind: 'release', state: 'draft',
        toName: 'Contact', toAddress: secret(`message address (${slug})`, `leak.outbox.${slug}@example.org`), language: 'fr',
        subject: secret(`message subject (${slug})`, `LeakMessageSubject${slug}Qx`), body: secret(`message body (${slug})`, `LeakMessageBody${slug}Qx`),
        attachments: [], stopToken: stop, createdAt: now, updatedAt: now,
      });
      insertEndpoint(t.app.db, {
        publicId: secret(`webhook id (${slug})`, `leak-webhook-${slug}`), eventId: event.id,
        url: secret(`webhook address (${slug})`, `https://leak-hook-${slug}.example.org/receive`),
        secret: secret(`webhook secret (${slug})`, `whsec_LeakWebhookSecret${slug.replaceAll('-', '')}Qx`), kinds: ['release.published'], createdAt: now, updatedAt: now,
      });
    }
  }

  /** Every GET route's addresses, with the ids of both released programmes; a route with other parameters must be in NOT_CRAWLED. */
  async function routeAddresses(): Promise<string[]> {
    const pools = new Map<string, Set<string>>();
    const add = (pool: string, id: unknown) => { if (typeof id === 'string') { if (!pools.has(pool)) pools.set(pool, new Set()); pools.get(pool)!.add(id); } };
    const walk = (value: unknown, key: string) => {
      if (Array.isArray(value)) for (const v of value) walk(v, key);
      else if (value && typeof value === 'object') {
        const object = value as Record<string, unknown>;
        for (const pool of [key, ...(ALIASES[key] ?? [])]) if (pool !== '') add(pool, object.id);
        for (const [field, aliases] of Object.entries(ALIASES)) for (const pool of aliases) add(pool, object[field]);
        for (const [k, v] of Object.entries(object)) walk(v, k);
      }
    };
    for (const slug of [FORUM_2019, SEMINAR_2015]) walk(ok(await t.app.inject(`${eventPath(slug)}/programme`)), '');
    const uncrawled: string[] = [];
    const addresses: string[] = [];
    for (const pattern of routes) {
      const values = (param: string, before: string) => (param === ':slug' ? [FORUM_2019, SEMINAR_2015]
        : param === ':id' && pools.has(before) ? [...pools.get(before)!] : null);
      const all = instantiate(pattern, values);
      if (all === null) { uncrawled.push(pattern); continue; }
      // A route that does not answer an anonymous reader is read with a few ids only.
      addresses.push(...(await crawler.isPublic(all[0]!) ? all : all.slice(0, 2)));
    }
    expect(uncrawled.sort()).toEqual([...NOT_CRAWLED].sort());
    return addresses;
  }

  beforeAll(async () => {
    started = Date.now();
    const log: string[] = [];
    const patterns = new Set<string>();
    t = await buildTestApp({
      env: { LOG_LEVEL: 'warn' },
      logStream: { write: (line) => { log.push(line); } },
      onRoute: (route) => { if ((Array.isArray(route.method) ? route.method : [route.method]).includes('GET')) patterns.add(route.url); },
    });
    routes = [...patterns];
    const setup = /\/setup\/([A-Za-z0-9_-]+)/.exec(log.join('\n'));
    expect(setup, 'the setup link is logged while no account exists').not.toBeNull();
    secret('one-time setup token', setup![1]!);

    organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Aminata LeakOrganiserNameQx');
    asOrganiser = apiAs(t.app, organiser.bearer);
    const rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Jean LeakRapporteurNameQx');
    const other = await addUser(t.app, 'organiser', SEMINAR_2015, 'Olga LeakOtherOrganiserQx');
    const unreleasedOutput = await seedProgramme();
    await seedConclusions(rapporteur, unreleasedOutput);
    seedMessages();

    // A participant's agenda, in a browser of its own.
    const agenda = await new Browser(t.app).post('/my', { event: FORUM_2019, session: [(await sessionTitled(asOrganiser, FORUM_2019, SENDAI)).id] });
    secret('personal agenda token', /^\/my\/([A-Za-z0-9_-]{43})/.exec(String(agenda.headers.location))![1]!);
    // Participants' comments that no organiser approved: one waiting, one hidden. The event's
    // organisers read both (the feedback API answers them with every comment); nobody else does.
    const participant = new Browser(t.app);
    const opening = (await sessionTitled(asOrganiser, FORUM_2019, 'Ouverture et bienvenue')).id;
    const waiting = await participant.post(`/events/${FORUM_2019}/sessions/${opening}/feedback`, { rating: '2', comment: secret('unapproved feedback comment', 'LeakPendingCommentQx', 'organiser of the event') });
    expect(waiting.statusCode, waiting.body).toBe(303);
    secret('feedback cookie of a browser', participant.cookies.get('feedback')!);
    const hidden = await new Browser(t.app).post(`/events/${FORUM_2019}/sessions/${opening}/feedback`, { rating: '5', comment: secret('hidden feedback comment', 'LeakHiddenCommentQx', 'organiser of the event') });
    expect(hidden.statusCode, hidden.body).toBe(303);
    const hiddenId = t.app.db.select().from(sessionFeedback).all().find((r) => r.comment === 'LeakHiddenCommentQx')!.id;
    ok(await asOrganiser.send('PATCH', `${API}/feedback/${hiddenId}`, { commentState: 'hidden' }, { 'if-match': '"1"' }));

    const browsers = { rapporteur: await signIn(t.app, rapporteur), 'organiser of the other event': await signIn(t.app, other), 'organiser of the event': await signIn(t.app, organiser) };
    for (const [role, browser] of Object.entries(browsers)) secret(`login session of the ${role}`, browser.cookies.get('forum_session')!);
    for (const [who, user] of Object.entries({ organiser, rapporteur, other })) {
      secret(`API token of ${who}`, user.bearer.authorization.slice('Bearer '.length));
      secret(`password of ${who}`, user.password);
      secret(`e-mail of ${who}`, user.email);
      secret(`account id of ${who}`, user.publicId);
    }
    for (const row of t.app.db.select().from(users).all()) secret(`password hash of ${row.email}`, row.passwordHash);
    for (const row of t.app.db.select().from(apiTokens).all()) secret(`API token id ${row.name}`, row.publicId);
    // Account names are in the audit log and the release history; each person sees their own in the page's header.
    secret('organiser name', 'LeakOrganiserNameQx', 'organiser of the event');
    secret('rapporteur name', 'LeakRapporteurNameQx', 'rapporteur');
    secret('other organiser name', 'LeakOtherOrganiserQx', 'organiser of the other event');

    seeded = Date.now();
    crawler = new LeakCrawl(t.app, t.config.publicUrl, secrets, MAX_ADDRESSES);
    const seeds = ['/', '/api/v1/events', '/api/docs', '/api/v1/openapi.json', ...await routeAddresses()];
    const anonymous = await crawler.crawl('anonymous', {}, seeds);
    crawls.push(anonymous);
    const found = [...crawler.publicAddresses];
    for (const [role, browser] of Object.entries(browsers)) {
      const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      crawls.push(await crawler.crawl(role, { cookie }, ['/', ...found]));
    }
    crawled = Date.now();
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  test('no secret shows on any public page, feed, export or API answer, anonymously or as any role, in any language', () => {
    // For the closing note: how much was read, and for how many secrets.
    console.log(`leak crawl: ${secrets.length} secrets looked for; ${crawls.map((c) => `${c.role} ${c.addresses.length} addresses (${c.skipped} private ones not read)`).join('; ')}; seeding ${seeded - started} ms, crawl ${crawled - seeded} ms`);
    expect(crawler.hits).toEqual([]);
    for (const crawl of crawls) {
      expect(crawl.bounded, `${crawl.role} reached the bound of ${MAX_ADDRESSES} addresses`).toBe(false);
      expect(crawl.addresses.length, crawl.role).toBeGreaterThan(300);
    }
    expect(secrets.length).toBeGreaterThanOrEqual(60);
  });

  test('positive control: the crawl read the published conclusions and the pages of both events, and once released the unreleased items are found by the same search', async () => {
    const anonymous = crawls[0]!;
    for (const slug of [FORUM_2019, SEMINAR_2015]) {
      for (const path of ['', '/report.json', '/calendar.ics', '/schedule.xml', '/sessions.csv']) expect(anonymous.addresses, slug + path).toContain(`/events/${slug}${path}`);
    }
    const report = await t.app.inject(`/events/${FORUM_2019}/report.json`);
    expect(report.body).toContain('LeakPublishedQx recommendation');
    release(t.app, FORUM_2019);
    const programme = (await t.app.inject(`${API}/programme`)).body;
    for (const name of ['draft room name', 'draft part title', 'draft output statement', 'draft session title', 'unreleased new title of a released session', 'draft output id', 'draft session id']) {
      expect(programme, name).toContain(secrets.find((s) => s.name === name)!.value);
    }
    expect((await t.app.inject(`/events/${FORUM_2019}/speakers`)).body).toContain('LeakDraftPersonQx');
    // The contacts, the outbox and the webhooks are real, and their organisers do see them.
    const contacts = (await asOrganiser.get(`${API}/contacts`)).body;
    for (const s of secrets.filter((x) => x.name.startsWith('contact e-mail') && x.name.endsWith(`(${FORUM_2019})`))) expect(contacts, s.name).toContain(s.value);
    expect((await asOrganiser.get(`${API}/outbox`)).body).toContain(`LeakMessageSubject${FORUM_2019}Qx`);
    expect((await asOrganiser.get(`${API}/webhooks`)).body).toContain(`https://leak-hook-${FORUM_2019}.example.org/receive`);
    // The comments nobody approved are real: the organisers read them, and the figures count their ratings publicly.
    const feedback = (await asOrganiser.get(`${API}/feedback`)).body;
    for (const marker of ['LeakPendingCommentQx', 'LeakHiddenCommentQx']) expect(feedback, marker).toContain(marker);
    expect((await t.app.inject(`${API}/feedback`)).json().total.answers).toBe(2);
    expect(crawls[0]!.addresses).toContain(`${API}/feedback`);
  });
});
