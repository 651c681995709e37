// Whose e-mail an organiser sees when assigning rapporteurs. Accounts are shared by every event:
// an organiser of one event sees the e-mails of the rapporteurs working on their event only
// (assigned to one of its sessions), never those of the others; an organiser of every event,
// who creates the accounts, sees them all.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { $, texts } from '../../helpers/browser.ts';
import { apiAs, listOf, ok } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { assign } from '../../helpers/conclusions.ts';

describe("rapporteurs' e-mails in the workspace", () => {
  let t: TestApp;
  let forumOrganiser: TestUser;
  let everyEvent: TestUser;
  /** Assigned to the session of the page, to another session of the forum, to a session of the 2015 seminar only, to nothing. */
  let onThisSession: TestUser;
  let onTheForum: TestUser;
  let onTheSeminar: TestUser;
  let unassigned: TestUser;
  let page: string;

  beforeAll(async () => {
    t = await buildTestApp();
    forumOrganiser = await addUser(t.app, 'organiser', FORUM_2019, 'Fatou Forum');
    everyEvent = await addUser(t.app, 'organiser', undefined, 'Olga All');
    onThisSession = await addUser(t.app, 'rapporteur', undefined, 'Ana This');
    onTheForum = await addUser(t.app, 'rapporteur', undefined, 'Ben Forum');
    onTheSeminar = await addUser(t.app, 'rapporteur', undefined, 'Carla Seminar');
    unassigned = await addUser(t.app, 'rapporteur', undefined, 'Dan Nowhere');
    const admin = apiAs(t.app, everyEvent.bearer);
    const [first, second] = await listOf(admin, FORUM_2019, 'sessions');
    await assign(admin, FORUM_2019, first!.id, onThisSession);
    await assign(admin, FORUM_2019, second!.id, onTheForum);
    await assign(admin, SEMINAR_2015, (await listOf(admin, SEMINAR_2015, 'sessions'))[0]!.id, onTheSeminar);
    page = `/admin/events/${FORUM_2019}/sessions/${first!.id}`;
  });
  afterAll(async () => { await t.close(); });

  /** The accounts the assign form offers, as labelled (the first option, with no value, asks to choose). */
  const candidates = (html: string) => {
    const doc = $(html);
    return doc('form.admin-assign select option').toArray().filter((o) => doc(o).attr('value')).map((o) => doc(o).text().trim());
  };

  test('an organiser of one event sees the e-mails of the rapporteurs of their event only, and no other anywhere on the page', async () => {
    const browser = await signIn(t.app, forumOrganiser);
    const html = await browser.open(page);
    expect(texts(html, '.admin-rapporteurs__name')).toEqual([`Ana This (${onThisSession.email})`]);
    expect(candidates(html)).toEqual([`Ben Forum (${onTheForum.email})`, 'Carla Seminar', 'Dan Nowhere']);
    // The options still name the accounts to assign.
    expect($(html)('form.admin-assign select option').map((_, o) => $(html)(o).attr('value')).get().filter(Boolean))
      .toEqual(expect.arrayContaining([onTheSeminar.publicId, unassigned.publicId]));
    expect(html).not.toContain(onTheSeminar.email);
    expect(html).not.toContain(unassigned.email);
  });

  test('an organiser of every event sees every rapporteur\'s e-mail', async () => {
    const browser = await signIn(t.app, everyEvent);
    const html = await browser.open(page);
    expect(candidates(html)).toEqual([
      `Ben Forum (${onTheForum.email})`, `Carla Seminar (${onTheSeminar.email})`, `Dan Nowhere (${unassigned.email})`,
    ]);
  });

  test('once assigned to a session of the event, a rapporteur\'s e-mail is shown to its organisers; the API lists a session\'s own rapporteurs only', async () => {
    const api = apiAs(t.app, forumOrganiser.bearer);
    const url = page.replace('/admin/events', '/api/v1/events');
    const assigned = ok<{ data: { user: { id: string; name: string; email: string } } }>(await api.post(`${url}/rapporteurs`, { user: unassigned.publicId }), 201);
    expect(assigned.data.user).toEqual({ id: unassigned.publicId, name: 'Dan Nowhere', email: unassigned.email });
    const listed = ok<{ items: { user: { email: string } }[] }>(await api.get(`${url}/rapporteurs`));
    expect(listed.items.map((item) => item.user.email).sort()).toEqual([onThisSession.email, unassigned.email].sort());
    const html = await (await signIn(t.app, forumOrganiser)).open(page);
    expect(candidates(html)).toEqual([`Ben Forum (${onTheForum.email})`, 'Carla Seminar']);
    expect(html).not.toContain(onTheSeminar.email);
  });
});
