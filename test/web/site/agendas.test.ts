// Personal agendas: created from the programme page without an account, edited at a private
// address, subscribed to as a feed that follows every change.
import * as cheerio from 'cheerio';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { personalAgendas, sessions } from '../../../server/db/schema.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { Browser } from '../../helpers/browser.ts';
import { release } from '../../helpers/releases.ts';

interface ApiSession { id: string; title: { fr?: string }; kind: string }

/** UIDs of a feed, without the host part. */
function feedSessionIds(ics: string): string[] {
  return [...ics.matchAll(/^UID:([0-9a-f-]{36})@/gm)].map((m) => m[1]!).sort();
}

describe('personal agendas', () => {
  let t: TestApp;
  let forum: ApiSession[];
  let seminar: ApiSession[];

  async function sessionsOf(slug: string): Promise<ApiSession[]> {
    const programme = (await t.app.inject(`/api/v1/events/${slug}/programme`)).json();
    return programme.parts.flatMap((p: { slots: { sessions: ApiSession[] }[] }) => p.slots.flatMap((s) => s.sessions))
      .concat(programme.outsideParts.flatMap((s: { sessions: ApiSession[] }) => s.sessions));
  }
  const titled = (list: ApiSession[], title: string) => list.find((s) => s.title.fr === title)!;

  beforeAll(async () => {
    t = await buildTestApp();
    forum = await sessionsOf(FORUM_2019);
    seminar = await sessionsOf(SEMINAR_2015);
  });
  afterAll(async () => { await t.close(); });

  /** Creates an agenda from the programme page's form, in a browser of its own that keeps the agenda's cookie. */
  async function createAgenda(sessionIds: string[]): Promise<{ token: string; browser: Browser }> {
    const browser = new Browser(t.app);
    const response = await browser.post('/my', { event: FORUM_2019, session: sessionIds });
    expect(response.statusCode).toBe(303);
    const location = response.headers.location as string;
    const match = /^\/my\/([A-Za-z0-9_-]{43})\?saved=1$/.exec(location);
    expect(match, location).not.toBeNull();
    const cookie = response.cookies.find((c) => c.name.startsWith('agenda-'))!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    return { token: match![1]!, browser };
  }

  test('create, add, remove: the private page and the feed follow each change', async () => {
    const opening = titled(forum, 'Ouverture et bienvenue');
    const review = titled(forum, 'Bilan du travail effectué');
    const wayForward = titled(forum, 'La voie à suivre ?');
    const { token } = await createAgenda([opening.id]);

    const page = await t.app.inject(`/my/${token}?saved=1`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    const $ = cheerio.load(page.body);
    expect($('meta[name="robots"]').attr('content')).toBe('noindex');
    expect($('.notice').text()).toBe('Agenda enregistré. Sessions choisies : 1.');
    // Switching language shows the agenda, not the confirmation again.
    expect($('.language-switch a[hreflang="en"]').attr('href')).toBe(`/my/${token}?lang=en`);
    expect($('.agenda-chosen .session__title').toArray().map((e) => $(e).text().trim())).toEqual(['Ouverture et bienvenue']);
    expect($('#feed-address').val()).toBe(`${t.config.publicUrl}/my/${token}/calendar.ics`);

    const feed = async () => {
      const response = await t.app.inject(`/my/${token}/calendar.ics`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(response.headers['cache-control']).toBe('private, no-cache');
      return response;
    };
    const first = await feed();
    expect(feedSessionIds(first.body)).toEqual([opening.id]);
    expect(first.body).toMatch(/^X-WR-CALNAME:Le forum d'apprentissage de CGLU – Mon agenda\r$/m);

    // Add two sessions from the whole-programme form (no `listed`: the form showed everything).
    const added = await new Browser(t.app).post(`/my/${token}`, { session: [opening.id, review.id, wayForward.id] });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`/my/${token}?saved=1`);
    const second = await feed();
    expect(feedSessionIds(second.body)).toEqual([opening.id, review.id, wayForward.id].sort());
    expect(second.headers.etag).not.toBe(first.headers.etag);

    // Remove one: a page that listed only it, unticked.
    const removed = await new Browser(t.app).post(`/my/${token}`, { listed: review.id });
    expect(removed.statusCode).toBe(303);
    const third = await feed();
    expect(feedSessionIds(third.body)).toEqual([opening.id, wayForward.id].sort());
    expect(third.headers.etag).not.toBe(second.headers.etag);

    // The unchanged agenda revalidates.
    const again = await t.app.inject({ url: `/my/${token}/calendar.ics`, headers: { 'if-none-match': third.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });

  test('a filtered programme page changes only the sessions it showed', async () => {
    const opening = titled(forum, 'Ouverture et bienvenue');
    const review = titled(forum, 'Bilan du travail effectué');
    const { token } = await createAgenda([opening.id, review.id]);
    // The page listed "Bilan" only (say, filtered on the second part) and it was left ticked.
    const response = await new Browser(t.app).post(`/my/${token}`, { listed: review.id, session: review.id });
    expect(response.statusCode).toBe(303);
    const ics = (await t.app.inject(`/my/${token}/calendar.ics`)).body;
    expect(feedSessionIds(ics)).toEqual([opening.id, review.id].sort());
  });

  test('the programme page remembers the agenda of this browser and ticks its sessions', async () => {
    const review = titled(forum, 'Bilan du travail effectué');
    const { token, browser } = await createAgenda([review.id]);
    const $ = cheerio.load((await browser.get(`/events/${FORUM_2019}`)).body);
    expect(new Set($('form.agenda-toggle').toArray().map((e) => $(e).attr('action')))).toEqual(new Set([`/my/${token}`]));
    expect($('form.agenda-toggle input[name="event"]').length).toBe(0);
    expect($('form.agenda-toggle[data-in-agenda] input[name="listed"]').toArray().map((e) => $(e).val())).toEqual([review.id]);

    const fresh = cheerio.load((await t.app.inject(`/events/${FORUM_2019}`)).body);
    expect(new Set(fresh('form.agenda-toggle').toArray().map((e) => fresh(e).attr('action')))).toEqual(new Set(['/my']));
    expect(fresh('form.agenda-toggle input[name="event"]').first().val()).toBe(FORUM_2019);
    expect(fresh('form.agenda-toggle[data-in-agenda]').length).toBe(0);
    // Every choosable session has a labelled toggle of its own; breaks have none.
    const buttons = fresh('form.agenda-toggle button').toArray();
    expect(buttons.length).toBe(forum.filter((s) => s.kind !== 'break' && s.kind !== 'registration').length);
    for (const button of buttons) expect(fresh(button).text()).toMatch(/^Ajouter à mon agenda : ./);
  });

  test('JavaScript clients get JSON, and the agenda is the same as with the form', async () => {
    const opening = titled(forum, 'Ouverture et bienvenue');
    const created = await t.app.inject({
      method: 'POST', url: '/my', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([['event', FORUM_2019], ['listed', opening.id], ['session', opening.id]]).toString(),
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.sessions).toEqual([opening.id]);
    expect(body.message).toBe('Ajoutée à mon agenda.');
    const feed = await t.app.inject(body.calendar);
    expect(feedSessionIds(feed.body)).toEqual([opening.id]);
  });

  test('a wrong token gives the same 404 as any missing page, whether well-formed or not', async () => {
    const { token } = await createAgenda([]);
    const lookalike = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const main = (html: string) => cheerio.load(html)('main').html();
    const notFound = main((await t.app.inject('/no/such/page')).body);
    for (const url of [`/my/${lookalike}`, `/my/${lookalike}/calendar.ics`, '/my/short', '/my/short/calendar.ics', `/my/${'x'.repeat(43)}`]) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(404);
      expect(main(response.body), url).toBe(notFound);
    }
    const post = await new Browser(t.app).post(`/my/${lookalike}`, { listed: forum[0]!.id });
    expect(post.statusCode).toBe(404);
  });

  test('only the token\'s hash is stored', async () => {
    const { token } = await createAgenda([]);
    const stored = t.app.db.select().from(personalAgendas).all().map((a) => a.tokenHash);
    expect(stored.some((hash) => hash.includes(token))).toBe(false);
    expect(stored.every((hash) => /^[0-9a-f]{64}$/.test(hash))).toBe(true);
  });

  test('bad input is refused with a clear error and changes nothing', async () => {
    const opening = titled(forum, 'Ouverture et bienvenue');
    const { token } = await createAgenda([opening.id]);
    const before = (await t.app.inject(`/my/${token}/calendar.ics`)).body;

    // A session of another event.
    const foreign = await new Browser(t.app).post(`/my/${token}`, { session: seminar[0]!.id });
    expect(foreign.statusCode).toBe(400);
    expect(cheerio.load(foreign.body)('.error-page__detail').text()).toContain(seminar[0]!.id);
    // Not an id at all.
    expect((await new Browser(t.app).post(`/my/${token}`, { session: 'x' })).statusCode).toBe(400);
    expect((await new Browser(t.app).post(`/my/${token}`, { listed: opening.id, session: `${opening.id}x` })).statusCode).toBe(400);
    // Another site's form.
    const crossSite = await t.app.inject({
      method: 'POST', url: `/my/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      payload: new URLSearchParams([['listed', opening.id]]).toString(),
    });
    expect(crossSite.statusCode).toBe(403);
    // An unknown event when creating.
    expect((await new Browser(t.app).post('/my', { event: 'no-such-event' })).statusCode).toBe(404);

    expect((await t.app.inject(`/my/${token}/calendar.ics`)).body).toBe(before);
  });

  test('a session cancelled and released stays in the agenda, and its feed says CANCELLED', async () => {
    const panel = t.app.db.select().from(sessions).all().find((s) => s.title.fr === 'Composants clés pour nourrir le programme d\'apprentissage')!;
    const { token } = await createAgenda([panel.publicId, titled(forum, 'Ouverture et bienvenue').id]);
    const before = await t.app.inject(`/my/${token}/calendar.ics`);
    t.app.db.update(sessions).set({ status: 'cancelled' }).where(eq(sessions.id, panel.id)).run();
    // Not released yet: subscribers still get the same feed.
    const unreleased = await t.app.inject({ url: `/my/${token}/calendar.ics`, headers: { 'if-none-match': before.headers.etag as string } });
    expect(unreleased.statusCode).toBe(304);
    release(t.app, FORUM_2019);
    const after = await t.app.inject({ url: `/my/${token}/calendar.ics`, headers: { 'if-none-match': before.headers.etag as string } });
    expect(after.statusCode).toBe(200);
    expect(feedSessionIds(after.body)).toEqual(feedSessionIds(before.body));
    const vevent = after.body.split('BEGIN:VEVENT').find((block) => block.includes(`UID:${panel.publicId}@`))!;
    expect(vevent).toContain('STATUS:CANCELLED');
  });
});

describe('agenda creation is rate-limited per client address', () => {
  let t: TestApp;
  beforeAll(async () => { t = await buildTestApp(); });
  afterAll(async () => { await t.close(); });

  test('the 121st new agenda within a minute gets a 429 page saying to wait; editing is not limited', async () => {
    const create = () => new Browser(t.app).post('/my', { event: FORUM_2019 });
    let last = await create();
    const token = /^\/my\/([^?]+)/.exec(last.headers.location as string)![1]!;
    for (let i = 1; i < 120; i += 1) last = await create();
    expect(last.statusCode).toBe(303);
    const refused = await create();
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const $ = cheerio.load(refused.body);
    expect($('h1').text()).toBe('Trop de demandes');
    expect($('main').text()).toContain('Attendez une minute');
    const edit = await new Browser(t.app).post(`/my/${token}`, {});
    expect(edit.statusCode).toBe(303);
  });
});
