// The outbox in the API, for an event's organisers: contacts of the programme's people, the
// message a release drafts for each of them (with the session's calendar file), editing,
// sending and discarding it, sending every draft, and what is queued without review. The 2019
// forum's speakers are organisations: the tests add a person, Ada Lovelace, to one of its sessions.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { translate } from '../../../server/i18n/index.ts';
import { contentLines, parseWithIcalJs, resetIcalTimezones, uidOf } from '../../helpers/ical.ts';
import {
  apiAs, eventPath, expectInvalid, expectProblem, ok, sessionTitled, UUID, type Api, type Headers, type Method, type SessionOut, type Written,
} from '../../helpers/api.ts';

const EVENT = eventPath(FORUM_2019);
const OUTBOX = `${EVENT}/outbox`;
const BILAN = 'Bilan du travail effectué';
const SIGN_IN = { detail: 'Sign in, or send an API token as "Authorization: Bearer …"' };
const NOT_ORGANISER = { detail: 'Only the organisers of this event may do this' };
const STATES = { draft: 0, queued: 0, sending: 0, sent: 0, failed: 0, discarded: 0 };

interface MessageOut {
  id: string;
  kind: string;
  state: string;
  to: { name: string; email: string };
  language: string;
  subject: string;
  body: string;
  attachments: { filename: string; contentType: string; size: number }[];
  attempts: number;
  nextAttemptAt: string | null;
  lastAnswer: string | null;
  log: unknown[];
  createdAt: string;
  sentAt: string | null;
  version: number;
}

interface Outbox { data: { mailEnabled: boolean; counts: typeof STATES; messages: MessageOut[] } }

interface World {
  t: TestApp;
  api: Api;
  ada: { id: string };
  bilan: SessionOut;
}

/** Ada Lovelace, a person of the 2019 forum, speaks at "Bilan du travail effectué"; released as "2", with no address yet. */
async function adaSpeaks(t: TestApp, organiser: TestUser): Promise<World> {
  const api = apiAs(t.app, organiser.bearer);
  const ada = ok<Written<{ id: string }>>(await api.post(`${EVENT}/people`, { name: 'Ada Lovelace' }), 201).data;
  const session = await sessionTitled(api, FORUM_2019, BILAN);
  const bilan = ok<Written<SessionOut>>(await api.patch(`${EVENT}/sessions/${session.id}`, {
    contributors: [...session.contributors, { role: 'speaker', person: ada.id }],
  }, session.version)).data;
  ok(await api.post(`${EVENT}/releases`, { name: '2' }), 201);
  return { t, api, ada, bilan };
}

/** Moves the session to this local time and releases: what a speaker is told about. */
async function moveAndRelease(world: World, start: string, end: string, name: string): Promise<void> {
  world.bilan = ok<Written<SessionOut>>(await world.api.patch(`${EVENT}/sessions/${world.bilan.id}`, { start, end }, world.bilan.version)).data;
  ok(await world.api.post(`${EVENT}/releases`, { name }), 201);
}

const postWith = (api: Api, url: string, ifMatch: string | null, body?: unknown) =>
  api.send('POST', url, body, ifMatch === null ? {} : { 'if-match': ifMatch });

describe('contacts, the outbox and its settings, for an event\'s organisers', () => {
  let t: TestApp;
  let clock = new Date('2026-03-02T08:00:00.000Z');
  let world: World;
  let api: Api;
  let message: MessageOut;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    world = await adaSpeaks(t, await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser'));
    api = world.api;
  });
  afterAll(async () => {
    resetIcalTimezones();
    await t.close();
  });

  test('the contacts list every person of the event, with no address until one is set', async () => {
    expect(ok(await api.get(`${EVENT}/contacts`))).toEqual({ data: [{ person: world.ada.id, name: 'Ada Lovelace', email: null, language: null }] });
  });

  test('PUT sets a person\'s address, trimmed and lower-cased, and language; both null remove them', async () => {
    const url = `${EVENT}/people/${world.ada.id}/contact`;
    const set = { data: { person: world.ada.id, name: 'Ada Lovelace', email: 'ada@example.org', language: 'en' } };
    expect(ok(await api.put(url, { email: ' Ada@Example.ORG ', language: 'en' }))).toEqual(set);
    expect(ok(await api.get(`${EVENT}/contacts`))).toEqual({ data: [set.data] });

    // A second person: set, then removed with both null; a blank address is none.
    const grace = ok<Written<{ id: string }>>(await api.post(`${EVENT}/people`, { name: 'Grace Hopper' }), 201).data;
    const graceUrl = `${EVENT}/people/${grace.id}/contact`;
    expect(ok(await api.put(graceUrl, { email: '   ', language: 'es' }))).toEqual({ data: { person: grace.id, name: 'Grace Hopper', email: null, language: 'es' } });
    expect(ok(await api.put(graceUrl, { email: 'grace@example.org', language: null }))).toEqual({ data: { person: grace.id, name: 'Grace Hopper', email: 'grace@example.org', language: null } });
    expect(ok(await api.put(graceUrl, { email: null, language: null }))).toEqual({ data: { person: grace.id, name: 'Grace Hopper', email: null, language: null } });
    expect(ok(await api.get(`${EVENT}/contacts`))).toEqual({
      data: [set.data, { person: grace.id, name: 'Grace Hopper', email: null, language: null }],
    });
    expect((await api.delete(`${EVENT}/people/${grace.id}`, 1)).statusCode).toBe(204);

    // The audit log records that an address was set, never the address.
    const audit = ok<{ entries: { entity: string; entityId: string; before: unknown; after: unknown }[] }>(await api.get(`${EVENT}/audit?entityId=${world.ada.id}`));
    expect(audit.entries.filter((e) => e.entity === 'contact').map(({ entityId, before, after }) => ({ entityId, before, after }))).toEqual([
      { entityId: world.ada.id, before: null, after: { hasEmail: true, language: 'en' } },
    ]);
  });

  test('a bad contact is refused 422 at the field, an unknown person 404, and nothing changes', async () => {
    const url = `${EVENT}/people/${world.ada.id}/contact`;
    const { publicUrl } = t.config;
    expectInvalid(await api.put(url, { email: 'not an address', language: 'en' }), publicUrl, [{ pointer: '#/email', detail: 'is not an e-mail address' }]);
    expectInvalid(await api.put(url, { email: 'Ada <ada@example.org>', language: 'en' }), publicUrl, [{ pointer: '#/email', detail: 'is not an e-mail address' }]);
    expectInvalid(await api.put(url, { email: 'ada@example.org\r\nBcc: eve@example.org', language: 'en' }), publicUrl, [{ pointer: '#/email', detail: 'is not an e-mail address' }]);
    expectInvalid(await api.put(url, { email: `${'a'.repeat(250)}@b.org`, language: 'en' }), publicUrl,
      [{ pointer: '#/email', detail: 'must NOT have more than 254 characters' }], 'The request body is not valid: email must NOT have more than 254 characters');
    expectInvalid(await api.put(url, { email: 'ada@example.org', language: 'de' }), publicUrl,
      [{ pointer: '#/language', detail: 'must be one of fr, en, es, null' }], 'The request body is not valid: language must be one of fr, en, es, null');
    expectInvalid(await api.put(url, { email: 42, language: 'en' }), publicUrl,
      [{ pointer: '#/email', detail: 'must be string,null' }], 'The request body is not valid: email must be string,null');
    expectInvalid(await api.put(url, { email: 'ada@example.org' }), publicUrl,
      [{ pointer: '#/language', detail: 'is required' }], 'The request body is not valid: language is required');
    expectInvalid(await api.put(url, { email: 'ada@example.org', language: 'en', phone: '+27' }), publicUrl,
      [{ pointer: '#/phone', detail: 'is not a field of this resource' }], 'The request body is not valid: phone is not a field of this resource');
    expectProblem(await api.put(`${EVENT}/people/00000000-0000-4000-8000-000000000000/contact`, { email: 'x@example.org', language: null }), publicUrl, 404, 'not-found');
    expect(ok(await api.get(`${EVENT}/contacts`))).toEqual({ data: [{ person: world.ada.id, name: 'Ada Lovelace', email: 'ada@example.org', language: 'en' }] });
  });

  test('the settings say what is queued without review: by default rapporteurs\' messages, not releases\'', async () => {
    expect(ok(await api.get(`${EVENT}/message-settings`))).toEqual({ data: { releaseWithoutReview: false, rapporteurWithoutReview: true } });
    const { publicUrl } = t.config;
    const url = `${EVENT}/message-settings`;
    expectInvalid(await api.put(url, { releaseWithoutReview: true }), publicUrl,
      [{ pointer: '#/rapporteurWithoutReview', detail: 'is required' }], 'The request body is not valid: rapporteurWithoutReview is required');
    expectInvalid(await api.put(url, { releaseWithoutReview: 'yes', rapporteurWithoutReview: true }), publicUrl,
      [{ pointer: '#/releaseWithoutReview', detail: 'must be boolean' }], 'The request body is not valid: releaseWithoutReview must be boolean');
    expectInvalid(await api.put(url, { releaseWithoutReview: true, rapporteurWithoutReview: true, sms: true }), publicUrl,
      [{ pointer: '#/sms', detail: 'is not a field of this resource' }], 'The request body is not valid: sms is not a field of this resource');
    expect(ok(await api.get(url))).toEqual({ data: { releaseWithoutReview: false, rapporteurWithoutReview: true } });
  });

  test('a release that moves Ada\'s session drafts one message to her address, in her language, with the session\'s calendar file', async () => {
    clock = new Date('2026-03-03T07:00:00.000Z');
    await moveAndRelease(world, '2019-11-12T16:00', '2019-11-12T17:00', '3');
    const outbox = ok<Outbox>(await api.get(OUTBOX));
    const sessionUrl = `${t.config.publicUrl}/events/${FORUM_2019}/sessions/${world.bilan.id}?lang=en`;
    expect(outbox).toEqual({
      data: {
        mailEnabled: false,
        counts: { ...STATES, draft: 1 },
        messages: [{
          id: expect.stringMatching(UUID),
          kind: 'release',
          state: 'draft',
          to: { name: 'Ada Lovelace', email: 'ada@example.org' },
          language: 'en',
          subject: 'The UCLG Learning Forum: your sessions in release 3 of the programme',
          body: [
            'Dear Ada Lovelace,',
            '',
            'Release 3 of the programme of “The UCLG Learning Forum” has just been published. It changes one of your sessions:',
            '',
            '* Session moved: Review of the work done',
            '  Before: Tuesday, 12 November 2019, 10:00–11:00 (UTC+02:00), Plenary room',
            '  Now: Tuesday, 12 November 2019, 16:00–17:00 (UTC+02:00), Plenary room',
            '  What changes: part',
            '  Your role: speaker',
            `  ${sessionUrl}`,
            '',
            'Each attached .ics file updates the session in your calendar.',
            `The programme: ${t.config.publicUrl}/events/${FORUM_2019}?lang=en`,
            '',
            translate('en', 'mail.signature', { event: 'The UCLG Learning Forum' }),
          ].join('\n'),
          attachments: [{ filename: `session-${world.bilan.id}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', size: expect.any(Number) }],
          attempts: 0,
          nextAttemptAt: null,
          lastAnswer: null,
          log: [],
          createdAt: '2026-03-03T07:00:00.000Z',
          sentAt: null,
          version: 1,
        }],
      },
    });
    message = outbox.data.messages[0]!;

    const one = await api.get(`${OUTBOX}/${message.id}`);
    expect(ok(one)).toEqual({ data: message });
    expect(one.headers.etag).toBe('"1"');

    // The attachment is the session's VEVENT as the event's feed has it: same UID, same SEQUENCE, the new time.
    const file = await api.get(`${OUTBOX}/${message.id}/attachments/0`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/calendar; charset=utf-8; method=PUBLISH');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="session-${world.bilan.id}.ics"`);
    expect(file.rawPayload.length).toBe(message.attachments[0]!.size);
    const attached = parseWithIcalJs(file.body);
    expect(attached.events.map((e) => [e.uid, e.startLocal, e.endLocal, e.startTzid, e.summary])).toEqual([
      [uidOf(world.bilan.id, t.config.publicUrl), '2019-11-12T16:00:00', '2019-11-12T17:00:00', 'Africa/Johannesburg', 'Review of the work done'],
    ]);
    const feed = await t.app.inject(`/events/${FORUM_2019}/calendar.ics?lang=en`);
    expect(feed.statusCode).toBe(200);
    const inFeed = parseWithIcalJs(feed.body).events.filter((e) => e.uid === uidOf(world.bilan.id, t.config.publicUrl));
    expect(inFeed.map((e) => [e.sequence, e.startLocal])).toEqual([[attached.events[0]!.sequence, '2019-11-12T16:00:00']]);
    expect(attached.events[0]!.sequence).toBeGreaterThan(0);
    expect(contentLines(file.body).filter((l) => l.startsWith('SEQUENCE:'))).toEqual([`SEQUENCE:${inFeed[0]!.sequence}`]);

    expectProblem(await api.get(`${OUTBOX}/${message.id}/attachments/1`), t.config.publicUrl, 404, 'not-found');
  });

  test('Ada\'s address is in no public answer: the read API, the feed, the pages, the release history', async () => {
    const anonymous = apiAs(t.app);
    const addresses = [
      `${EVENT}/programme`, `${EVENT}/releases`, `/events/${FORUM_2019}`, `/events/${FORUM_2019}/speakers`, `/events/${FORUM_2019}/changes`,
      `/events/${FORUM_2019}/calendar.ics`, `/events/${FORUM_2019}/sessions/${world.bilan.id}`,
    ];
    const found: string[] = [];
    for (const url of addresses) {
      const response = await anonymous.get(url);
      expect(response.statusCode, url).toBe(200);
      if (response.body.toLowerCase().includes('ada@example.org')) found.push(url);
    }
    // Nor the organisers' own representation of the person: the contact is its own resource.
    const person = await api.get(`${EVENT}/people/${world.ada.id}`);
    expect(person.statusCode).toBe(200);
    if (person.body.includes('ada@example.org')) found.push(`${EVENT}/people/${world.ada.id}`);
    expect(found).toEqual([]);
  });

  test('a change without If-Match, or with If-Match: *, is refused 428; from another version 409 with the message as it is', async () => {
    const { publicUrl } = t.config;
    const url = `${OUTBOX}/${message.id}`;
    const required = { detail: 'Send If-Match with the ETag of the version you started from (read it first with GET)' };
    for (const ifMatch of [null, '*', '']) {
      expectProblem(await api.patch(url, { subject: 'Sans version' }, ifMatch), publicUrl, 428, 'version-required', required);
      expectProblem(await postWith(api, `${url}/send`, ifMatch), publicUrl, 428, 'version-required', required);
      expectProblem(await postWith(api, `${url}/discard`, ifMatch), publicUrl, 428, 'version-required', required);
    }
    const stale = {
      detail: 'This message was changed by someone else since you read it (it is now at version 1). Nothing was saved: start again from the current state.',
      current: message,
    };
    for (const ifMatch of ['"2"', 'W/"1"']) {
      const patched = await api.patch(url, { subject: 'Ancienne version' }, ifMatch);
      expectProblem(patched, publicUrl, 409, 'stale-version', stale);
      expect(patched.headers.etag).toBe('"1"');
      expectProblem(await postWith(api, `${url}/send`, ifMatch), publicUrl, 409, 'stale-version', stale);
      expectProblem(await postWith(api, `${url}/discard`, ifMatch), publicUrl, 409, 'stale-version', stale);
    }
    expect(ok(await api.get(url))).toEqual({ data: message });
  });

  test('a bad edit is refused 422 at the field, and the draft stays as it was', async () => {
    const { publicUrl } = t.config;
    const url = `${OUTBOX}/${message.id}`;
    expectInvalid(await api.patch(url, { to: 'not an address' }, 1), publicUrl, [{ pointer: '#/to', detail: 'is not an e-mail address' }]);
    expectInvalid(await api.patch(url, { subject: ' \t ' }, 1), publicUrl, [{ pointer: '#/subject', detail: 'must not be blank' }]);
    expectInvalid(await api.patch(url, { body: '\n\n' }, 1), publicUrl, [{ pointer: '#/body', detail: 'must not be blank' }]);
    expectInvalid(await api.patch(url, { subject: '' }, 1), publicUrl,
      [{ pointer: '#/subject', detail: 'must NOT have fewer than 1 characters' }], 'The request body is not valid: subject must NOT have fewer than 1 characters');
    expectInvalid(await api.patch(url, { subject: 'x'.repeat(301) }, 1), publicUrl,
      [{ pointer: '#/subject', detail: 'must NOT have more than 300 characters' }], 'The request body is not valid: subject must NOT have more than 300 characters');
    expectInvalid(await api.patch(url, { body: 'x'.repeat(20001) }, 1), publicUrl,
      [{ pointer: '#/body', detail: 'must NOT have more than 20000 characters' }], 'The request body is not valid: body must NOT have more than 20000 characters');
    expectInvalid(await api.patch(url, { to: `${'a'.repeat(250)}@b.org` }, 1), publicUrl,
      [{ pointer: '#/to', detail: 'must NOT have more than 254 characters' }], 'The request body is not valid: to must NOT have more than 254 characters');
    expectInvalid(await api.patch(url, { subject: 3 }, 1), publicUrl,
      [{ pointer: '#/subject', detail: 'must be string' }], 'The request body is not valid: subject must be string');
    expectInvalid(await api.patch(url, { cc: 'eve@example.org' }, 1), publicUrl,
      [{ pointer: '#/cc', detail: 'is not a field of this resource' }], 'The request body is not valid: cc is not a field of this resource');
    expect(ok(await api.get(url))).toEqual({ data: message });
  });

  test('PATCH edits the draft: a one-line subject, the text with its line ends made LF, another address', async () => {
    clock = new Date('2026-03-03T07:05:00.000Z');
    const response = await api.patch(`${OUTBOX}/${message.id}`, {
      subject: 'Your session\r\nmoves', body: 'Dear Ada,\r\n\r\nYour session moves to 16:00.\r\n', to: ' Ada.Lovelace@Example.ORG',
    }, 1);
    const expected = { ...message, subject: 'Your session moves', body: 'Dear Ada,\n\nYour session moves to 16:00.\n', to: { name: 'Ada Lovelace', email: 'ada.lovelace@example.org' }, version: 2 };
    expect(ok(response)).toEqual({ data: expected });
    expect(response.headers.etag).toBe('"2"');
    expect(ok(await api.get(`${OUTBOX}/${message.id}`))).toEqual({ data: expected });
    // Only what was given changes.
    const again = ok<{ data: MessageOut }>(await api.patch(`${OUTBOX}/${message.id}`, { subject: 'Your session moves to 16:00' }, '"1", "2"'));
    message = { ...expected, subject: 'Your session moves to 16:00', version: 3 };
    expect(again).toEqual({ data: message });
  });

  test('send queues it; with no e-mail set up here (mailEnabled false) it stays queued, and can no longer be edited', async () => {
    clock = new Date('2026-03-03T07:10:00.000Z');
    const response = await postWith(api, `${OUTBOX}/${message.id}/send`, '"3"');
    message = { ...message, state: 'queued', nextAttemptAt: '2026-03-03T07:10:00.000Z', version: 4 };
    expect(ok(response)).toEqual({ data: message });
    expect(response.headers.etag).toBe('"4"');
    await t.app.deliveries.idle();
    const outbox = ok<Outbox>(await api.get(OUTBOX));
    expect(outbox).toEqual({ data: { mailEnabled: false, counts: { ...STATES, queued: 1 }, messages: [message] } });

    expectProblem(await api.patch(`${OUTBOX}/${message.id}`, { subject: 'Trop tard' }, 4), t.config.publicUrl, 409, 'invalid-transition', {
      detail: 'Only a draft can be edited; this message is queued', state: 'queued',
    });
    expectProblem(await postWith(api, `${OUTBOX}/${message.id}/send`, '"4"'), t.config.publicUrl, 409, 'invalid-transition', {
      detail: 'Only a draft or a failed message can be sent; this message is queued', state: 'queued',
    });
    expect(ok(await api.get(`${OUTBOX}/${message.id}`))).toEqual({ data: message });
  });

  test('discard takes it out of the queue for good', async () => {
    clock = new Date('2026-03-03T07:15:00.000Z');
    const response = await postWith(api, `${OUTBOX}/${message.id}/discard`, '"4"');
    message = { ...message, state: 'discarded', nextAttemptAt: null, version: 5 };
    expect(ok(response)).toEqual({ data: message });
    expect(response.headers.etag).toBe('"5"');
    expectProblem(await postWith(api, `${OUTBOX}/${message.id}/discard`, '"5"'), t.config.publicUrl, 409, 'invalid-transition', {
      detail: 'This message is discarded: it can no longer be discarded', state: 'discarded',
    });
    expect(ok<Outbox>(await api.get(OUTBOX)).data.counts).toEqual({ ...STATES, discarded: 1 });
  });

  test('POST /outbox/send queues every draft at once and says how many', async () => {
    clock = new Date('2026-03-03T08:00:00.000Z');
    await moveAndRelease(world, '2019-11-12T10:00', '2019-11-12T11:00', '4');
    const drafts = ok<Outbox>(await api.get(OUTBOX)).data.messages.filter((m) => m.state === 'draft');
    expect(drafts.map((m) => [m.to.email, m.subject])).toEqual([['ada@example.org', 'The UCLG Learning Forum: your sessions in release 4 of the programme']]);
    expect(ok(await api.post(`${OUTBOX}/send`, {}))).toEqual({ data: { queued: 1 } });
    const outbox = ok<Outbox>(await api.get(OUTBOX));
    expect(outbox.data.counts).toEqual({ ...STATES, queued: 1, discarded: 1 });
    expect(outbox.data.messages.map((m) => [m.id, m.state, m.nextAttemptAt])).toEqual([
      [drafts[0]!.id, 'queued', '2026-03-03T08:00:00.000Z'], [message.id, 'discarded', null],
    ]);
    expect(ok(await postWith(api, `${OUTBOX}/send`, null))).toEqual({ data: { queued: 0 } });
  });

  test('with releases queued without review, the next release\'s message is queued at once', async () => {
    clock = new Date('2026-03-03T09:00:00.000Z');
    expect(ok(await api.put(`${EVENT}/message-settings`, { releaseWithoutReview: true, rapporteurWithoutReview: false }))).toEqual({
      data: { releaseWithoutReview: true, rapporteurWithoutReview: false },
    });
    expect(ok(await api.get(`${EVENT}/message-settings`))).toEqual({ data: { releaseWithoutReview: true, rapporteurWithoutReview: false } });
    await moveAndRelease(world, '2019-11-12T17:00', '2019-11-12T18:00', '5');
    const latest = ok<Outbox>(await api.get(OUTBOX)).data.messages[0]!;
    expect([latest.subject, latest.state, latest.nextAttemptAt]).toEqual(['The UCLG Learning Forum: your sessions in release 5 of the programme', 'queued', '2026-03-03T09:00:00.000Z']);
  });

  test('an unknown message, or one of another event, is 404', async () => {
    const { publicUrl } = t.config;
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectProblem(await api.get(`${OUTBOX}/${unknown}`), publicUrl, 404, 'not-found');
    expectProblem(await api.get(`${OUTBOX}/not-an-id`), publicUrl, 404, 'not-found');
    expectProblem(await api.get(`${OUTBOX}/${message.id}/attachments/x`), publicUrl, 404, 'not-found');
    // The seminar's organiser, in the seminar's outbox, does not find the forum's message.
    const seminar = apiAs(t.app, (await addUser(t.app, 'organiser', SEMINAR_2015)).bearer);
    expectProblem(await seminar.get(`${eventPath(SEMINAR_2015)}/outbox/${message.id}`), publicUrl, 404, 'not-found');
    expectProblem(await postWith(seminar, `${eventPath(SEMINAR_2015)}/outbox/${message.id}/discard`, '"5"'), publicUrl, 404, 'not-found');
    expect(ok(await seminar.get(`${eventPath(SEMINAR_2015)}/outbox`))).toEqual({ data: { mailEnabled: false, counts: STATES, messages: [] } });
  });
});

describe('who may use the outbox, settings and contacts routes', () => {
  let t: TestApp;
  let world: World;
  let callers: Record<'anonymous' | 'rapporteur' | 'organiser of another event', Api>;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => new Date('2026-03-02T08:00:00.000Z') });
    world = await adaSpeaks(t, await addUser(t.app, 'organiser', FORUM_2019));
    ok(await world.api.put(`${EVENT}/people/${world.ada.id}/contact`, { email: 'ada@example.org', language: 'fr' }));
    await moveAndRelease(world, '2019-11-12T16:00', '2019-11-12T17:00', '3');
    callers = {
      anonymous: apiAs(t.app),
      rapporteur: apiAs(t.app, (await addUser(t.app, 'rapporteur')).bearer),
      'organiser of another event': apiAs(t.app, (await addUser(t.app, 'organiser', SEMINAR_2015)).bearer),
    };
  });
  afterAll(async () => { await t.close(); });

  /** Each route with what its organisers send and get, in an order in which each succeeds. */
  function routes(id: string): { method: Method; url: string; body?: unknown; headers?: Headers; status: number }[] {
    return [
      { method: 'GET', url: OUTBOX, status: 200 },
      { method: 'GET', url: `${OUTBOX}/${id}`, status: 200 },
      { method: 'GET', url: `${OUTBOX}/${id}/attachments/0`, status: 200 },
      { method: 'PATCH', url: `${OUTBOX}/${id}`, body: { subject: 'Votre session' }, headers: { 'if-match': '"1"' }, status: 200 },
      { method: 'POST', url: `${OUTBOX}/${id}/send`, headers: { 'if-match': '"2"' }, status: 200 },
      { method: 'POST', url: `${OUTBOX}/${id}/discard`, headers: { 'if-match': '"3"' }, status: 200 },
      { method: 'POST', url: `${OUTBOX}/send`, body: {}, status: 200 },
      { method: 'GET', url: `${EVENT}/message-settings`, status: 200 },
      { method: 'PUT', url: `${EVENT}/message-settings`, body: { releaseWithoutReview: true, rapporteurWithoutReview: true }, status: 200 },
      { method: 'GET', url: `${EVENT}/contacts`, status: 200 },
      { method: 'PUT', url: `${EVENT}/people/${world.ada.id}/contact`, body: { email: 'ada@example.net', language: 'es' }, status: 200 },
    ];
  }

  test('anonymous callers are refused 401, rapporteurs and another event\'s organisers 403, before the body is read; nothing changes', async () => {
    const outbox = ok<Outbox>(await world.api.get(OUTBOX));
    const contacts = ok(await world.api.get(`${EVENT}/contacts`));
    const id = outbox.data.messages[0]!.id;
    for (const [who, api] of Object.entries(callers)) {
      for (const route of routes(id)) {
        // A body the route would refuse: a caller without the right hears only that.
        const body = route.body === undefined ? undefined : { unknown: 'field' };
        const response = await api.send(route.method, route.url, body, route.headers);
        const label = `${who}: ${route.method} ${route.url}`;
        if (who === 'anonymous') {
          expect(response.statusCode, label).toBe(401);
          expectProblem(response, t.config.publicUrl, 401, 'unauthorized', SIGN_IN);
        } else {
          expect(response.statusCode, label).toBe(403);
          expectProblem(response, t.config.publicUrl, 403, 'forbidden', NOT_ORGANISER);
        }
      }
    }
    expect(ok(await world.api.get(OUTBOX))).toEqual(outbox);
    expect(ok(await world.api.get(`${EVENT}/contacts`))).toEqual(contacts);
    expect(ok(await world.api.get(`${EVENT}/message-settings`))).toEqual({ data: { releaseWithoutReview: false, rapporteurWithoutReview: true } });
  });

  test('the event\'s organisers, and organisers of every event, are let through', async () => {
    const id = ok<Outbox>(await world.api.get(OUTBOX)).data.messages[0]!.id;
    const answers = [];
    for (const route of routes(id)) answers.push([route.method, route.url, (await world.api.send(route.method, route.url, route.body, route.headers)).statusCode]);
    expect(answers).toEqual(routes(id).map((r) => [r.method, r.url, r.status]));
    const everyEvent = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    for (const url of [OUTBOX, `${OUTBOX}/${id}`, `${EVENT}/message-settings`, `${EVENT}/contacts`]) expect((await everyEvent.get(url)).statusCode, url).toBe(200);
  });
});
