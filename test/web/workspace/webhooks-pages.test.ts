// An event's webhooks through the organisers' pages: the list and the form that adds one, the
// endpoint's page (its secret and how to check a signature with it, enable and disable, the
// kinds of news, deletion), its delivery log after a real delivery to a receiver on loopback
// (allowed here by WEBHOOK_ALLOW_PRIVATE), and the refusal of that same address when the
// operator has not allowed private ones.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findEndpoint, listEndpointsOfEvent } from '../../../server/domains/messaging/repository.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { releaseProgramme } from '../../../server/domains/releases/service.ts';
import { translate } from '../../../server/i18n/index.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, signIn, type TestUser } from '../../helpers/auth.ts';
import { $, texts, type Browser } from '../../helpers/browser.ts';
import { domainOf } from '../../helpers/domain.ts';
import { startReceiver, verifyHook, type WebhookReceiver } from '../../helpers/webhook-receiver.ts';

const BASE = `/admin/events/${FORUM_2019}`;

describe('webhooks, through the pages, where the operator allows private addresses', () => {
  let t: TestApp;
  let organiser: TestUser;
  let browser: Browser;
  let event: EventRow;
  let receiver: WebhookReceiver;
  let endpointId: string;
  const endpointUrl = () => `${BASE}/webhooks/${endpointId}`;

  beforeAll(async () => {
    t = await buildTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    organiser = await addUser(t.app, 'organiser', undefined, 'Aminata Diallo');
    browser = await signIn(t.app, organiser);
    event = findEventBySlug(t.app.db, FORUM_2019)!;
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  test('the page lists no endpoint yet, and its form offers the three kinds of news by name, each with its sentence', async () => {
    const page = await browser.open(`${BASE}/webhooks`);
    expect(texts(page, '.webhooks-list p')).toEqual(['Aucun webhook pour l\'instant.']);
    expect(texts(page, '.admin-nav a[aria-current="page"]')).toEqual(['Webhooks']);
    expect($(page)('#field-url').attr('type')).toBe('url');
    expect($(page)('label[for="field-url"]').text()).toBe('Adresse (URL)');
    expect(texts(page, '.webhooks-new .admin-checkboxes__list li')).toEqual([
      'release.published Une version du programme est publiée.',
      'conclusions.published Les conclusions d\'une session sont publiées.',
      'session.cancelled Une version publiée annule une session.',
    ]);
    expect($(page)('.webhooks-new input[name="kinds"][checked]').length).toBe(3);
    expect(texts(page, '.webhooks-new .admin-muted')).toEqual([translate('fr', 'webhooks.privateAllowed')]);
  });

  test('a form without any kind is refused beside the kinds, and nothing is added', async () => {
    const refused = await browser.submit(`${BASE}/webhooks`, { url: receiver.url('/hooks/none'), kinds: [] }, { form: 'main form.webhook-form' });
    expect(refused.statusCode).toBe(422);
    expect(texts(refused.body, '#field-kinds-error')).toEqual(['Choisissez au moins un type de nouvelle.']);
    expect($(refused.body)('#field-url').attr('value')).toBe(receiver.url('/hooks/none'));
    expect(listEndpointsOfEvent(t.app.db, event.id)).toEqual([]);
  });

  test('adding a loopback endpoint leads to its page, which shows its secret and how a receiver checks a signature with it', async () => {
    const created = await browser.submit(`${BASE}/webhooks`, { url: receiver.url('/hooks/forum'), kinds: ['release.published', 'session.cancelled'] }, { form: 'main form.webhook-form' });
    expect(created.statusCode, created.body.slice(0, 2000)).toBe(303);
    const [endpoint] = listEndpointsOfEvent(t.app.db, event.id);
    endpointId = endpoint!.publicId;
    expect(created.headers.location).toBe(`${endpointUrl()}?saved=webhookCreated`);
    expect([endpoint!.url, endpoint!.kinds, endpoint!.disabledAt]).toEqual([receiver.url('/hooks/forum'), ['release.published', 'session.cancelled'], null]);

    const page = await browser.open(created.headers.location as string);
    expect(texts(page, 'main .notice')).toEqual(['Webhook ajouté. Donnez son secret, ci-dessous, au système qui reçoit.']);
    expect($(page)('h1').text()).toBe(`Webhook ${receiver.url('/hooks/forum')}`);
    expect($(page)('.webhook-secret__value').text()).toBe(endpoint!.secret);
    expect(endpoint!.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const verify = texts(page, '.webhook-secret p')[2]!;
    for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'Standard Webhooks']) expect(verify).toContain(header);
    expect(texts(page, '.webhook-status')).toEqual(['Activé']);
    expect($(page)('.webhook-edit input[name="kinds"][checked]').map((_, i) => $(page)(i).attr('value')).get()).toEqual(['release.published', 'session.cancelled']);
    expect(texts(page, '.webhook-deliveries p')).toEqual(['Aucune livraison pour l\'instant.']);

    const list = await browser.open(`${BASE}/webhooks`);
    expect($(list)('.webhooks-table tbody tr').map((_, tr) => [$(list)(tr).children().map((__, c) => $(list)(c).text().trim()).get()]).get())
      .toEqual([[receiver.url('/hooks/forum'), 'release.published, session.cancelled', 'Activé', '0']]);
    expect($(list)('.webhooks-table a').attr('href')).toBe(endpointUrl());
  });

  test('a release is delivered to it signed with the secret the page shows, and its page logs the delivery', async () => {
    const ctx = { db: t.app.db, event, actor: { id: organiser.id, name: 'Aminata Diallo' }, now: new Date() };
    domainOf(t.app).createSession(ctx, { title: { fr: 'Atelier des webhooks' }, start: '2019-11-12T19:00', end: '2019-11-12T19:30' });
    releaseProgramme(t.app.db, event, { id: organiser.id, name: 'Aminata Diallo' }, { name: 'webhooks 1' }, new Date(), { notify: { publicUrl: t.app.publicUrl } });
    t.app.deliveries.wake();
    const [hook] = await receiver.waitFor(1);
    await t.app.deliveries.idle();
    const secret = $(await browser.open(endpointUrl()))('.webhook-secret__value').text();
    const payload = verifyHook(secret, hook!);
    expect(payload.type).toBe('release.published');
    expect(hook!.path).toBe('/hooks/forum');

    const page = await browser.open(endpointUrl());
    const rows = $(page)('.webhook-deliveries tbody tr').map((_, tr) => [$(page)(tr).children().slice(1).map((__, c) => $(page)(c).text().trim()).get()]).get();
    expect(rows).toEqual([['release.published', 'Envoyé', '1', '200 OK: ok']]);
    // The time in the event's zone (Johannesburg).
    expect($(page)('.webhook-deliveries time').attr('datetime')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+02:00$/);
  });

  test('disabling it lists it as disabled since a date; enabling it again lists it as enabled', async () => {
    const disabled = await browser.submit(endpointUrl(), {}, { form: 'main form.webhook-toggle' });
    expect(disabled.statusCode).toBe(303);
    expect(disabled.headers.location).toBe(`${endpointUrl()}?saved=webhookDisabled`);
    const row = findEndpoint(t.app.db, event.id, endpointId)!;
    expect(row.disabledAt).toBeInstanceOf(Date);
    const page = await browser.open(disabled.headers.location as string);
    expect(texts(page, 'main .notice')).toEqual(['Webhook désactivé : rien ne lui est plus envoyé.']);
    expect(texts(page, '.webhook-status')[0]).toMatch(/^Désactivé depuis le \p{L}+ \d{1,2} \p{L}+ \d{4}, \d\d:\d\d$/u);
    expect($(page)('form.webhook-toggle button').text()).toBe('Réactiver');
    expect(texts(await browser.open(`${BASE}/webhooks`), '.webhooks-table tbody td')[1]).toMatch(/^Désactivé depuis le /);

    const enabled = await browser.send(page, {}, { form: 'main form.webhook-toggle' });
    expect(enabled.headers.location).toBe(`${endpointUrl()}?saved=webhookEnabled`);
    expect(findEndpoint(t.app.db, event.id, endpointId)!.disabledAt).toBeNull();
    expect(texts(await browser.open(endpointUrl()), '.webhook-status')).toEqual(['Activé']);
    // The page read while it was disabled is stale: its button is refused, and says so.
    const stale = await browser.send(page, {}, { form: 'main form.webhook-toggle' });
    expect(stale.statusCode).toBe(409);
    expect(texts(stale.body, '.admin-alert')).toEqual([translate('fr', 'webhooks.stale')]);
    expect(findEndpoint(t.app.db, event.id, endpointId)!.disabledAt).toBeNull();
  });

  test('its kinds of news are changed with its form; none at all is refused beside the kinds', async () => {
    const changed = await browser.submit(endpointUrl(), { kinds: 'conclusions.published' }, { form: 'main form.webhook-form' });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe(`${endpointUrl()}?saved=updated`);
    expect(findEndpoint(t.app.db, event.id, endpointId)!.kinds).toEqual(['conclusions.published']);
    const refused = await browser.submit(endpointUrl(), { kinds: [] }, { form: 'main form.webhook-form' });
    expect(refused.statusCode).toBe(422);
    expect(texts(refused.body, '#field-kinds-error')).toEqual(['Choisissez au moins un type de nouvelle.']);
    expect(findEndpoint(t.app.db, event.id, endpointId)!.kinds).toEqual(['conclusions.published']);
  });

  test('a rapporteur and an organiser of another event get 403 on the webhooks pages, and change nothing', async () => {
    for (const user of [await addUser(t.app, 'rapporteur'), await addUser(t.app, 'organiser', SEMINAR_2015)]) {
      const other = await signIn(t.app, user);
      for (const url of [`${BASE}/webhooks`, endpointUrl()]) expect((await other.get(url)).statusCode, url).toBe(403);
      expect((await other.post(`${endpointUrl()}/delete`, {})).statusCode).toBe(403);
    }
    expect(findEndpoint(t.app.db, event.id, endpointId)).not.toBeNull();
  });

  test('deleting it asks first, then removes it with its log', async () => {
    const page = await browser.open(endpointUrl());
    expect($(page)('form.webhook-delete').attr('data-confirm')).toBe(`Supprimer définitivement le webhook ${receiver.url('/hooks/forum')} ?`);
    const deleted = await browser.send(page, {}, { form: 'main form.webhook-delete' });
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe(`${BASE}/webhooks?saved=webhookDeleted`);
    expect(texts(await browser.open(deleted.headers.location as string), 'main .notice')).toEqual(['Webhook supprimé.']);
    expect(listEndpointsOfEvent(t.app.db, event.id)).toEqual([]);
    expect((await browser.get(endpointUrl())).statusCode).toBe(404);
  });
});

describe('webhooks, where the operator does not allow private addresses (the default)', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await buildTestApp();
    browser = await signIn(t.app, await addUser(t.app, 'organiser'));
  });
  afterAll(async () => { await t.close(); });

  test('a loopback address is refused beside the address field, with the reason, and nothing is added', async () => {
    const page = await browser.open(`${BASE}/webhooks`);
    expect(texts(page, '.webhooks-new .admin-muted')).toEqual([translate('fr', 'webhooks.privateRefused')]);
    const refused = await browser.send(page, { url: 'http://127.0.0.1:8080/hooks' }, { form: 'main form.webhook-form' });
    expect(refused.statusCode).toBe(422);
    expect(texts(refused.body, '#field-url-error')).toEqual([
      'Cette adresse ne peut pas recevoir de webhooks : 127.0.0.1: 127.0.0.1 is a loopback address; private, loopback and link-local addresses are refused (WEBHOOK_ALLOW_PRIVATE).',
    ]);
    expect($(refused.body)('#field-url').attr('aria-invalid')).toBe('true');
    expect(texts(refused.body, '.admin-error-summary a')).toEqual(texts(refused.body, '#field-url-error'));
    expect(listEndpointsOfEvent(t.app.db, findEventBySlug(t.app.db, FORUM_2019)!.id)).toEqual([]);
  });
});
