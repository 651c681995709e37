// The stop link of a message (/stop/<token>): its page names the address in the message's
// language with one button; the button, and a mail program's RFC 8058 one-click post (no cookie,
// no CSRF token, nothing but "List-Unsubscribe=One-Click"), stop every message to that address;
// an unknown link is a 404. Nothing of it is kept by a cache or indexed.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listOutbox, setContact } from '../../../server/domains/messaging/outbox.ts';
import { listOptOuts } from '../../../server/domains/messaging/repository.ts';
import { moveSessions } from '../../../server/domains/programme/bulk.ts';
import { createEvent } from '../../../server/domains/programme/events.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { releaseProgramme } from '../../../server/domains/releases/service.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { $, Browser, formOf, texts } from '../../helpers/browser.ts';
import { domainOf } from '../../helpers/domain.ts';

const SLUG = 'forum-des-liens';

describe('the stop link of the messages', () => {
  let t: TestApp;
  let event: EventRow;
  const ids: Record<string, string> = {};
  const actor = { id: null, name: 'tests' };
  const ctx = () => ({ db: t.app.db, event, actor, now: new Date() });
  const tokenOf = (name: string) => listOutbox(t.app.db, event).messages.find((m) => m.toName === name)!.stopToken;
  const optedOut = (...emails: string[]) => [...listOptOuts(t.app.db, emails)].sort();

  /** Moves every session by an hour and releases with the messages drafted, as the release page does. */
  function moveAndRelease(name: string) {
    const d = domainOf(t.app);
    const selection = [ids.opening!, ids.workshop!].map((id) => ({ id, version: (d.item(event, 'session', id) as { version: number }).version }));
    moveSessions(ctx(), selection, 60);
    releaseProgramme(t.app.db, event, actor, { name }, new Date(), { notify: { publicUrl: t.app.publicUrl } });
  }

  beforeAll(async () => {
    t = await buildTestApp();
    createEvent(t.app.db, actor, {
      slug: SLUG, title: { fr: 'Forum des liens' }, timezone: 'Europe/Paris', defaultLanguage: 'fr', languages: ['fr', 'en'],
      startDate: '2027-05-04', endDate: '2027-05-05',
    }, new Date());
    event = findEventBySlug(t.app.db, SLUG)!;
    const d = domainOf(t.app);
    ids.lina = d.createItem(ctx(), 'person', { name: 'Lina Haddad' }).data.id as string;
    ids.omar = d.createItem(ctx(), 'person', { name: 'Omar Ba' }).data.id as string;
    ids.opening = d.createSession(ctx(), { title: { fr: 'Ouverture' }, start: '2027-05-04T09:00', end: '2027-05-04T10:00', contributors: [{ role: 'speaker', person: ids.lina }] }).data.id as string;
    ids.workshop = d.createSession(ctx(), { title: { fr: 'Atelier' }, start: '2027-05-04T11:00', end: '2027-05-04T12:00', contributors: [{ role: 'speaker', person: ids.omar }] }).data.id as string;
    releaseProgramme(t.app.db, event, actor, { name: '1' }, new Date());
    setContact(ctx(), ids.lina, { email: 'lina.haddad@example.org', language: 'en' });
    setContact(ctx(), ids.omar, { email: 'omar.ba@example.org', language: null });
    moveAndRelease('2');
  });
  afterAll(async () => { await t.close(); });

  test('the page names the address in the message\'s language, with one button that posts to the same address, and is neither kept nor indexed', async () => {
    const token = tokenOf('Lina Haddad');
    const page = await t.app.inject(`/stop/${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-robots-tag']).toBe('noindex');
    expect($(page.body)('html').attr('lang')).toBe('en');
    expect(texts(page.body, 'main h1')).toEqual(['Stop the messages']);
    expect(texts(page.body, '.stop-page__intro')[0]).toContain('lina.haddad@example.org');
    expect(texts(page.body, 'main button')).toEqual(['Stop these messages']);
    const form = formOf(page.body, 'main form.stop-form');
    expect(form.action).toBe(`/stop/${token}`);
    expect(form.fields).toEqual({ 'List-Unsubscribe': 'One-Click' });
    // Nothing to remember: no cookie is set.
    expect(page.headers['set-cookie']).toBeUndefined();
    // The message to Omar, in the event's language, opens the page in French.
    const french = await t.app.inject(`/stop/${tokenOf('Omar Ba')}`);
    expect($(french.body)('html').attr('lang')).toBe('fr');
    expect(texts(french.body, 'main button')).toEqual(['Arrêter ces messages']);
    expect(optedOut('lina.haddad@example.org', 'omar.ba@example.org')).toEqual([]);
  });

  test('the page\'s button, from a browser that holds no cookie, stops the messages to that address and says so', async () => {
    const token = tokenOf('Lina Haddad');
    const browser = new Browser(t.app);
    const done = await browser.submit(`/stop/${token}`, {});
    expect(done.statusCode).toBe(200);
    expect(done.headers['cache-control']).toBe('no-store');
    expect($(done.body)('html').attr('lang')).toBe('en');
    expect(texts(done.body, '.stop-page__done')).toEqual(['No more messages will be sent to lina.haddad@example.org.']);
    expect(optedOut('lina.haddad@example.org', 'omar.ba@example.org')).toEqual(['lina.haddad@example.org']);
    // Pressed twice, it says the same.
    expect((await browser.submit(`/stop/${token}`, {})).statusCode).toBe(200);
  });

  test('a mail program\'s one-click post, with nothing but List-Unsubscribe=One-Click, stops them too', async () => {
    const response = await t.app.inject({
      method: 'POST', url: `/stop/${tokenOf('Omar Ba')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click',
    });
    expect(response.statusCode, response.body.slice(0, 1000)).toBe(200);
    expect(texts(response.body, '.stop-page__done')).toEqual(['Plus aucun message ne sera envoyé à omar.ba@example.org.']);
    expect(optedOut('lina.haddad@example.org', 'omar.ba@example.org')).toEqual(['lina.haddad@example.org', 'omar.ba@example.org']);
  });

  test('a one-click post as multipart/form-data, as RFC 8058 also allows, is taken the same way', async () => {
    const boundary = 'xYzZY';
    const response = await t.app.inject({
      method: 'POST', url: `/stop/${tokenOf('Omar Ba')}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    expect(response.statusCode, response.body.slice(0, 1000)).toBe(200);
    expect(texts(response.body, '.stop-page__done')).toEqual(['Plus aucun message ne sera envoyé à omar.ba@example.org.']);
  });

  test('a post with no body at all stops them as well', async () => {
    const response = await t.app.inject({ method: 'POST', url: `/stop/${tokenOf('Lina Haddad')}` });
    expect(response.statusCode, response.body.slice(0, 1000)).toBe(200);
    expect(texts(response.body, '.stop-page__done')).toEqual(['No more messages will be sent to lina.haddad@example.org.']);
  });

  test('after that, a release that moves their sessions again drafts nothing to them', async () => {
    const before = listOutbox(t.app.db, event).messages.length;
    moveAndRelease('3');
    expect(listOutbox(t.app.db, event).messages.length).toBe(before);
  });

  test('an unknown or malformed link is a 404, for the page and for the post, and stops nothing', async () => {
    for (const url of [`/stop/${'A'.repeat(43)}`, '/stop/short', `/stop/${'a'.repeat(101)}`, '/stop/not%20a%20token%20at%20all%21%21']) {
      const page = await t.app.inject(url);
      expect(page.statusCode, url).toBe(404);
      const post = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
      expect(post.statusCode, url).toBe(404);
    }
    const unknown = await t.app.inject(`/stop/${'A'.repeat(43)}`);
    expect(unknown.headers['cache-control']).toBe('no-store');
    expect(unknown.headers['x-robots-tag']).toBe('noindex');
  });
});
