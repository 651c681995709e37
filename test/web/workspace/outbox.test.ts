// Issue 20 through the organisers' pages: the contacts of an event's people (private, saved with
// one form), the messages a release drafts for the speakers whose sessions it moves, and what the
// outbox does with them (read, correct, download the calendar file, discard, send), while this
// server cannot send e-mail at all (no SMTP_URL, no MAIL_FROM): messages then wait, queued.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findUserById } from '../../../server/domains/accounts/repository.ts';
import { assignRapporteur } from '../../../server/domains/conclusions/assignments.ts';
import { contactsOf, listOutbox, messageOf, messageSettingsOf } from '../../../server/domains/messaging/outbox.ts';
import { moveSessions } from '../../../server/domains/programme/bulk.ts';
import { createEvent } from '../../../server/domains/programme/events.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { translate } from '../../../server/i18n/index.ts';
import { buildTestApp, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { $, texts, type Browser } from '../../helpers/browser.ts';
import { domainOf } from '../../helpers/domain.ts';
import { release } from '../../helpers/releases.ts';

const SLUG = 'forum-des-messages';
const BASE = `/admin/events/${SLUG}`;

describe('the outbox and the contacts, through the pages', () => {
  let t: TestApp;
  let organiser: TestUser;
  let browser: Browser;
  let event: EventRow;
  const ids: Record<string, string> = {};
  const ctx = () => ({ db: t.app.db, event, actor: { id: organiser.id, name: 'Aminata Diallo' }, now: new Date() });
  const messages = () => listOutbox(t.app.db, event).messages;
  const messageTo = (name: string) => messages().find((m) => m.toName === name)!;

  beforeAll(async () => {
    t = await buildTestApp();
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    createEvent(t.app.db, { id: organiser.id, name: 'Aminata Diallo' }, {
      slug: SLUG, title: { fr: 'Forum des messages', en: 'Messages forum' }, timezone: 'Africa/Johannesburg', defaultLanguage: 'fr', languages: ['fr', 'en'],
      startDate: '2027-03-02', endDate: '2027-03-03',
    }, new Date());
    event = findEventBySlug(t.app.db, SLUG)!;
    const d = domainOf(t.app);
    ids.lina = d.createItem(ctx(), 'person', { name: 'Lina Haddad' }).data.id as string;
    ids.omar = d.createItem(ctx(), 'person', { name: 'Omar Ba' }).data.id as string;
    ids.opening = d.createSession(ctx(), {
      title: { fr: 'Ouverture', en: 'Opening' }, kind: 'plenary', start: '2027-03-02T09:00', end: '2027-03-02T10:00',
      contributors: [{ role: 'speaker', person: ids.lina }],
    }).data.id as string;
    ids.workshop = d.createSession(ctx(), {
      title: { fr: 'Atelier eau' }, kind: 'workshop', start: '2027-03-02T11:00', end: '2027-03-02T12:00',
      contributors: [{ role: 'moderator', person: ids.omar }],
    }).data.id as string;
    release(t.app, SLUG, '1');
    browser = await signIn(t.app, organiser);
  });
  afterAll(async () => { await t.close(); });

  test('the outbox says that nothing leaves this server without SMTP_URL and MAIL_FROM, counts nothing, and offers no draft to send', async () => {
    const page = await browser.open(`${BASE}/outbox`);
    expect(t.app.mailEnabled).toBe(false);
    expect(texts(page, '.outbox-mail--off')).toEqual(['L\'envoi est désactivé sur ce serveur : SMTP_URL et MAIL_FROM ne sont pas définis. Les messages restent ici, en file d\'attente, jusqu\'à ce qu\'ils le soient.']);
    expect(texts(page, '.outbox-count')).toEqual(['Brouillon : 0', 'En file d\'attente : 0', 'En cours d\'envoi : 0', 'Envoyé : 0', 'Échec : 0', 'Écarté : 0']);
    expect($(page)('.outbox-send-all button').text()).toBe('Envoyer tous les brouillons (0)');
    expect($(page)('.outbox-send-all button').attr('disabled')).toBeDefined();
    expect(texts(page, '.outbox-messages p')).toEqual([translate('fr', 'outbox.empty')]);
    expect(texts(page, '.admin-nav a[aria-current="page"]')).toEqual(['Boîte d\'envoi']);
    // In English, the same banner in English.
    expect(texts(await browser.open(`${BASE}/outbox?lang=en`), '.outbox-mail--off'))
      .toEqual(['Sending is off on this server: SMTP_URL and MAIL_FROM are not set. Messages stay here, queued, until they are.']);
    await browser.open(`${BASE}/outbox?lang=fr`);
  });

  test('the contacts page lists every person with a labelled address and language, says they are private, and saves the changed rows', async () => {
    const page = await browser.open(`${BASE}/contacts`);
    expect(texts(page, '.contacts-private')).toEqual([translate('fr', 'contacts.private')]);
    expect(texts(page, '.contacts-table tbody th')).toEqual(['Lina Haddad', 'Omar Ba']);
    expect($(page)(`label[for="email-${ids.lina}"]`).text()).toBe('Adresse électronique de Lina Haddad');
    expect($(page)(`#email-${ids.lina}`).attr('type')).toBe('email');
    expect($(page)(`label[for="language-${ids.omar}"]`).text()).toBe('Langue de Omar Ba');
    expect($(page)(`#language-${ids.omar} option`).map((_, o) => $(page)(o).text()).get())
      .toEqual(['Langue de l\'événement (Français)', 'Français', 'English', 'Español']);

    const saved = await browser.send(page, { [`email.${ids.lina}`]: ' Lina.Haddad@Example.org ', [`language.${ids.lina}`]: 'en', [`email.${ids.omar}`]: 'omar.ba@example.org' }, { form: 'main form.contacts-form' });
    expect(saved.statusCode, saved.body.slice(0, 2000)).toBe(303);
    expect(saved.headers.location).toBe(`${BASE}/contacts?saved=contactsSaved`);
    const after = await browser.open(saved.headers.location as string);
    expect(texts(after, 'main .notice')).toEqual(['Contacts enregistrés.']);
    expect($(after)(`#email-${ids.lina}`).attr('value')).toBe('lina.haddad@example.org');
    expect($(after)(`#language-${ids.lina} option[selected]`).attr('value')).toBe('en');
    expect(contactsOf(t.app.db, event)).toEqual([
      { person: ids.lina, name: 'Lina Haddad', email: 'lina.haddad@example.org', language: 'en' },
      { person: ids.omar, name: 'Omar Ba', email: 'omar.ba@example.org', language: null },
    ]);
  });

  test('the contacts page refuses an address that is not one, beside its row, keeps what was typed, and saves nothing', async () => {
    const refused = await browser.submit(`${BASE}/contacts`, { [`email.${ids.omar}`]: 'omar at example', [`language.${ids.lina}`]: 'es' }, { form: 'main form.contacts-form' });
    expect(refused.statusCode).toBe(422);
    expect(texts(refused.body, `#email-${ids.omar}-error`)).toEqual([translate('fr', 'admin.error.email')]);
    expect($(refused.body)(`#email-${ids.omar}`).attr('aria-invalid')).toBe('true');
    expect($(refused.body)(`#email-${ids.omar}`).attr('value')).toBe('omar at example');
    expect(texts(refused.body, '.admin-error-summary li')).toEqual([`Omar Ba : ${translate('fr', 'admin.error.email')}`]);
    expect(contactsOf(t.app.db, event).map((c) => [c.email, c.language])).toEqual([['lina.haddad@example.org', 'en'], ['omar.ba@example.org', null]]);
  });

  test('a row changed by someone else since the page was read is not replaced: 409, their value shown, nothing saved', async () => {
    const page = await browser.open(`${BASE}/contacts`);
    const other = await signIn(t.app, await addUser(t.app, 'organiser', SLUG, 'Thandi Nkosi'));
    expect((await other.submit(`${BASE}/contacts`, { [`language.${ids.omar}`]: 'es' }, { form: 'main form.contacts-form' })).statusCode).toBe(303);
    const stale = await browser.send(page, { [`language.${ids.omar}`]: 'en' }, { form: 'main form.contacts-form' });
    expect(stale.statusCode).toBe(409);
    expect(texts(stale.body, '.admin-alert[role="alert"]')[0]).toContain('Omar Ba');
    expect($(stale.body)(`#language-${ids.omar} option[selected]`).attr('value')).toBe('es');
    expect(contactsOf(t.app.db, event)[1]!.language).toBe('es');
    // Back to the event's language, for the messages below.
    expect((await browser.submit(`${BASE}/contacts`, { [`language.${ids.omar}`]: '' }, { form: 'main form.contacts-form' })).statusCode).toBe(303);
  });

  test('a release after moving their sessions drafts one message to each speaker with an address, in their language, listed newest first', async () => {
    const d = domainOf(t.app);
    const version = (id: string) => (d.item(event, 'session', id) as { version: number }).version;
    const selection = [ids.opening!, ids.workshop!].map((id) => ({ id, version: version(id) }));
    moveSessions(ctx(), selection, 60);
    const released = await browser.submit(`${BASE}/releases`, { name: '2' }, { form: 'main .release-form form' });
    expect(released.statusCode, released.body.slice(0, 2000)).toBe(303);
    // The release page says the drafts wait, and leads to them.
    const after = $(await browser.open(String(released.headers.location)));
    expect(after('.release-drafts').text().replace(/\s+/g, ' ').trim()).toBe("2 messages attendent d'être relus avant d'être envoyés. Les relire dans la boîte d'envoi");
    expect(after('.release-drafts a').attr('href')).toBe(`${BASE}/outbox`);

    const page = await browser.open(`${BASE}/outbox`);
    const rows = $(page)('.outbox-table tbody tr').map((_, tr) => {
      const cells = $(page)(tr).children().map((__, cell) => $(page)(cell).text().replace(/\s+/g, ' ').trim()).get();
      return [[cells[0], cells[1], cells[2], $(page)(tr).find('td a').text(), cells[4], cells[5], cells[6]]];
    }).get();
    const lina = messageTo('Lina Haddad');
    const omar = messageTo('Omar Ba');
    expect([lina.subject, omar.subject]).toEqual(['Messages forum: your sessions in release 2 of the programme', 'Forum des messages : vos sessions dans la version 2 du programme']);
    // Newest first: the drafts are written in the order of the contacts, by name.
    expect(rows).toEqual([
      ['Omar Ba · omar.ba@example.org', 'Message de version', 'Français', omar.subject, 'Brouillon', '0', '—'],
      ['Lina Haddad · lina.haddad@example.org', 'Message de version', 'English', lina.subject, 'Brouillon', '0', '—'],
    ]);
    expect($(page)('.outbox-table a').map((_, a) => $(page)(a).attr('href')).get()).toEqual([`${BASE}/outbox/${omar.publicId}`, `${BASE}/outbox/${lina.publicId}`]);
    expect(texts(page, '.outbox-count')[0]).toBe('Brouillon : 2');
    expect($(page)('.outbox-send-all button').text()).toBe('Envoyer tous les brouillons (2)');
  });

  test('the message page shows the draft as it will leave, escaped, with its calendar file, and the file downloads as text/calendar', async () => {
    const lina = messageTo('Lina Haddad');
    const page = await browser.open(`${BASE}/outbox/${lina.publicId}`);
    expect($(page)('.outbox-message__body').text()).toBe(lina.body);
    expect($(page)('.outbox-message__body').attr('lang')).toBe('en');
    expect(lina.body).toContain('Opening');
    expect(texts(page, '.outbox-message__facts dd').slice(0, 5)).toEqual(['Lina Haddad · lina.haddad@example.org', 'Message de version', 'English', 'Brouillon', '0']);
    const link = $(page)('.outbox-attachments a');
    expect(link.map((_, a) => $(page)(a).text()).get()).toEqual([`session-${ids.opening}.ics`]);
    expect(texts(page, '.outbox-log p')).toEqual(['Aucune tentative pour l\'instant.']);
    expect($(page)('form.outbox-send button').text()).toBe('Envoyer ce message');
    expect($(page)('form.outbox-discard').attr('data-confirm')).toBe('Écarter ce message ? Il ne sera pas envoyé.');

    const file = await browser.get(link.attr('href')!);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/calendar; charset=utf-8; method=PUBLISH');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="session-${ids.opening}.ics"`);
    expect(file.headers['cache-control']).toBe('private, no-store');
    expect(file.body).toBe(lina.attachments[0]!.content);
    expect(file.body.split('\r\n').slice(0, 1)).toEqual(['BEGIN:VCALENDAR']);
    expect((await browser.get(`${BASE}/outbox/${lina.publicId}/attachments/1`)).statusCode).toBe(404);
  });

  test('a subject or a text made blank is refused beside its field; a correction is saved, and an old page then says the draft changed', async () => {
    const lina = messageTo('Lina Haddad');
    const url = `${BASE}/outbox/${lina.publicId}`;
    const before = await browser.open(url);
    const blank = await browser.send(before, { subject: '  ' }, { form: 'main form.outbox-edit__form' });
    expect(blank.statusCode).toBe(422);
    expect(texts(blank.body, '#field-subject-error')).toEqual([translate('fr', 'admin.error.required')]);
    expect(messageOf(t.app.db, event, lina.publicId).subject).toBe(lina.subject);

    const edited = await browser.send(before, { subject: 'Your opening moves to 10:00', body: 'Dear Lina,\r\n\r\nThe opening now starts at 10:00.' }, { form: 'main form.outbox-edit__form' });
    expect(edited.statusCode).toBe(303);
    expect(edited.headers.location).toBe(`${url}?saved=draftSaved`);
    const after = await browser.open(edited.headers.location as string);
    expect(texts(after, 'main .notice')).toEqual(['Brouillon enregistré.']);
    const saved = messageOf(t.app.db, event, lina.publicId);
    expect([saved.state, saved.subject, saved.body]).toEqual(['draft', 'Your opening moves to 10:00', 'Dear Lina,\n\nThe opening now starts at 10:00.']);
    expect($(after)('.outbox-message__body').text()).toBe('Dear Lina,\n\nThe opening now starts at 10:00.');

    // The page read before the correction names the old version.
    const stale = await browser.send(before, { subject: 'Another subject' }, { form: 'main form.outbox-edit__form' });
    expect(stale.statusCode).toBe(409);
    expect(texts(stale.body, '.admin-alert[role="alert"]')).toEqual(['Ce message a changé depuis que vous l\'avez ouvert : il est maintenant « Brouillon ». Rien n\'a été fait ; le voici tel qu\'il est.']);
    expect(messageOf(t.app.db, event, lina.publicId).subject).toBe('Your opening moves to 10:00');
  });

  test('a text is escaped: markup typed into a draft is shown as text', async () => {
    const lina = messageTo('Lina Haddad');
    const url = `${BASE}/outbox/${lina.publicId}`;
    const edited = await browser.submit(url, { body: 'See <b>you</b> & <script>alert(1)</script>' }, { form: 'main form.outbox-edit__form' });
    expect(edited.statusCode).toBe(303);
    const page = await browser.open(url);
    expect(page).toContain('See &lt;b&gt;you&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;');
    expect($(page)('.outbox-message__body b').length).toBe(0);
  });

  test('a discarded draft stays listed as discarded, with nothing left to do', async () => {
    const omar = messageTo('Omar Ba');
    const page = await browser.open(`${BASE}/outbox/${omar.publicId}`);
    const discarded = await browser.send(page, {}, { form: 'main form.outbox-discard' });
    expect(discarded.statusCode).toBe(303);
    expect(discarded.headers.location).toBe(`${BASE}/outbox/${omar.publicId}?saved=messageDiscarded`);
    const after = await browser.open(discarded.headers.location as string);
    expect(texts(after, 'main .notice')).toEqual(['Message écarté : il ne sera pas envoyé.']);
    expect(texts(after, '.outbox-message .outbox-state')).toEqual(['Écarté']);
    expect($(after)('form.outbox-send, form.outbox-discard, form.outbox-edit__form').length).toBe(0);
    expect(messageOf(t.app.db, event, omar.publicId).state).toBe('discarded');
    // Sent again from the old page: refused, the page says what it is now.
    const again = await browser.send(page, {}, { form: 'main form.outbox-send' });
    expect(again.statusCode).toBe(409);
    expect(texts(again.body, '.admin-alert[role="alert"]')[0]).toContain('« Écarté »');
  });

  test('sending every draft queues them; without SMTP they stay queued, and a queued one can still be discarded but not edited', async () => {
    const page = await browser.open(`${BASE}/outbox`);
    const sent = await browser.send(page, {}, { form: 'main form.outbox-send-all' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${BASE}/outbox?saved=draftsQueued`);
    await t.app.deliveries.idle();
    const after = await browser.open(sent.headers.location as string);
    expect(texts(after, 'main .notice')).toEqual(['Tous les brouillons sont en file d\'attente.']);
    expect(texts(after, '.outbox-table tbody .outbox-state')).toEqual(['Écarté', 'En file d\'attente']);
    expect(texts(after, '.outbox-count')).toEqual(['Brouillon : 0', 'En file d\'attente : 1', 'En cours d\'envoi : 0', 'Envoyé : 0', 'Échec : 0', 'Écarté : 1']);
    const lina = messageTo('Lina Haddad');
    expect([lina.state, lina.attempts]).toEqual(['queued', 0]);
    const message = await browser.open(`${BASE}/outbox/${lina.publicId}`);
    expect($(message)('form.outbox-edit__form, form.outbox-send').length).toBe(0);
    expect($(message)('form.outbox-discard').length).toBe(1);
    expect(texts(message, '.outbox-mail--off').length).toBe(1);
  });

  test('the settings form saves whether release and rapporteur messages leave without review', async () => {
    expect(messageSettingsOf(t.app.db, event)).toMatchObject({ releaseWithoutReview: false, rapporteurWithoutReview: true });
    const page = await browser.open(`${BASE}/outbox`);
    expect($(page)('#setting-release').attr('checked')).toBeUndefined();
    expect($(page)('#setting-rapporteur').attr('checked')).toBeDefined();
    expect($(page)('label[for="setting-release"]').text()).toBe('Envoyer sans relecture les messages des versions publiées (aux intervenants)');
    const saved = await browser.send(page, { releaseWithoutReview: 'yes', rapporteurWithoutReview: [] }, { form: 'main form.outbox-settings__form' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${BASE}/outbox?saved=updated`);
    expect(messageSettingsOf(t.app.db, event)).toMatchObject({ releaseWithoutReview: true, rapporteurWithoutReview: false });
    const after = await browser.open(saved.headers.location as string);
    expect($(after)('#setting-release').attr('checked')).toBeDefined();
    expect($(after)('#setting-rapporteur').attr('checked')).toBeUndefined();
  });

  test('the accounts page saves the language of each account, and a rapporteur\'s message is then written in it (a draft: review is now asked)', async () => {
    const sipho = await addUser(t.app, 'rapporteur', undefined, 'Sipho Dlamini');
    const page = await browser.open('/admin/users');
    expect($(page)(`label[for="language-${sipho.publicId}"]`).text()).toBe('Langue de Sipho Dlamini');
    expect($(page)(`#language-${sipho.publicId} option`).map((_, o) => $(page)(o).text()).get()).toEqual(['Langue de l\'événement', 'Français', 'English', 'Español']);
    const saved = await browser.send(page, { [`language.${sipho.publicId}`]: 'es' }, { form: 'main form.users-languages__form' });
    expect(saved.statusCode, saved.body.slice(0, 2000)).toBe(303);
    expect(saved.headers.location).toBe('/admin/users?saved=languagesSaved');
    const after = await browser.open(saved.headers.location as string);
    expect(texts(after, 'main .notice')).toEqual(['Langues enregistrées.']);
    expect($(after)(`#language-${sipho.publicId} option[selected]`).attr('value')).toBe('es');
    expect(findUserById(t.app.db, sipho.id)!.language).toBe('es');
    // Only the changed row is written: the organiser's own stays the event's language.
    expect(findUserById(t.app.db, organiser.id)!.language).toBeNull();

    assignRapporteur({ ...ctx(), publicUrl: t.app.publicUrl }, ids.workshop!, sipho.publicId);
    const message = messageTo('Sipho Dlamini');
    expect([message.kind, message.language, message.state, message.toAddress]).toEqual(['assigned', 'es', 'draft', sipho.email]);
    const outbox = await browser.open(`${BASE}/outbox`);
    expect(texts(outbox, '.outbox-table tbody tr:first-child td').slice(0, 2)).toEqual(['Rapporteur désigné', 'Español']);
  });

  test('a rapporteur, and an organiser of another event, get 403 on the outbox, a message, its file and the contacts', async () => {
    const lina = messageTo('Lina Haddad');
    const pages = [`${BASE}/outbox`, `${BASE}/outbox/${lina.publicId}`, `${BASE}/outbox/${lina.publicId}/attachments/0`, `${BASE}/contacts`];
    for (const user of [await addUser(t.app, 'rapporteur'), await addUser(t.app, 'organiser', SEMINAR_2015)]) {
      const other = await signIn(t.app, user);
      for (const url of pages) expect((await other.get(url)).statusCode, url).toBe(403);
      // Refused before the body is read: a post that would change something changes nothing.
      expect((await other.post(`${BASE}/contacts`, { [`email.${ids.lina}`]: 'someone@example.org' })).statusCode).toBe(403);
      expect((await other.post(`${BASE}/outbox/send-all`, {})).statusCode).toBe(403);
    }
    expect(contactsOf(t.app.db, event)[0]!.email).toBe('lina.haddad@example.org');
    // Nobody signed in is sent to sign in.
    const anonymous = await t.app.inject(`${BASE}/outbox`);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(`${BASE}/outbox`)}`);
  });
});
