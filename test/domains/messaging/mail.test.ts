// E-mail to speakers and rapporteurs, end to end against a real SMTP server on loopback
// (test/helpers/smtp.ts): what a release drafts (one message per affected contributor, in their
// language, with the session's .ics as the feed has it), that drafts wait for review unless the
// event sends them at once, what a rapporteur is told at each step, a refusal then a retry, a
// permanent refusal, and that without SMTP_URL no connection is even tried.
import { pause, until } from '../../helpers/wait.ts';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ParsedMail } from 'mailparser';
import type { MessageRow } from '../../../server/db/schema.ts';
import { sendAllDrafts, setContact, updateMessageSettings, type OutboxContext } from '../../../server/domains/messaging/outbox.ts';
import { listMessagesOfEvent, setUserLanguage } from '../../../server/domains/messaging/repository.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, ok, sessionTitled, type Api, type SessionOut, type Written } from '../../helpers/api.ts';
import { assign, content, current, saveLatest, steps } from '../../helpers/conclusions.ts';
import { parseWithIcalJs, resetIcalTimezones, uidOf } from '../../helpers/ical.ts';
import { release } from '../../helpers/releases.ts';
import { mailEnv, startSmtp, type ReceivedMail, type TestSmtp } from '../../helpers/smtp.ts';

const EVENT = eventPath(FORUM_2019);
const SESSIONS = `${EVENT}/sessions`;
const EVENT_TITLE = { fr: "Le forum d'apprentissage de CGLU", en: 'The UCLG Learning Forum', es: 'El foro de aprendizaje de CGLU' };
const RELEASE_SUBJECT = {
  fr: (release: string) => `${EVENT_TITLE.fr} : vos sessions dans la version ${release} du programme`,
  en: (release: string) => `${EVENT_TITLE.en}: your sessions in release ${release} of the programme`,
  es: (release: string) => `${EVENT_TITLE.es}: sus sesiones en la versión ${release} del programa`,
};



interface World {
  t: TestApp;
  smtp: TestSmtp | null;
  organiser: TestUser;
  api: Api;
  ctx: () => OutboxContext;
  messages: () => MessageRow[];
}

async function world(env: Record<string, string>, smtp: TestSmtp | null): Promise<World> {
  const t = await buildTestApp({ env: { DELIVERY_RETRY_DELAY: '200ms', ...(smtp ? mailEnv(smtp) : {}), ...env } });
  const organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
  const event = findEventBySlug(t.app.db, FORUM_2019)!;
  return {
    t, smtp, organiser, api: apiAs(t.app, organiser.bearer),
    ctx: () => ({ db: t.app.db, event: findEventBySlug(t.app.db, FORUM_2019)!, actor: { id: organiser.id, name: 'Olga Organiser' }, now: new Date() }),
    messages: () => listMessagesOfEvent(t.app.db, event.id, 500).reverse(),
  };
}

/** Lets the sender look at the queue and finish what it found. */
async function settle(w: World): Promise<void> {
  w.t.app.deliveries.wake();
  await w.t.app.deliveries.idle();
}

interface Cast {
  amelie: string;
  john: string;
  sofia: string;
  benoit: string;
  zoe: string;
  nobody: string;
  /** Moved from 09:20–10:00 to 14:00–14:40: Amélie (fr) speaks, John (en) moderates. */
  moved: SessionOut;
  /** Cancelled: John, Sofía (es) and Benoît (fr) speak, and someone without an address. */
  cancelled: SessionOut;
  /** Unchanged: Zoe (en) speaks. */
  unchanged: SessionOut;
}

const ADDRESSES = { amelie: 'amelie.martin@example.org', john: 'john.smith@example.org', sofia: 'sofia.garcia@example.org', benoit: 'benoit.dupont@example.org', zoe: 'zoe.unchanged@example.org' };

/**
 * Gives the 2019 forum (which lists no people) five people on three sessions, releases that
 * (without telling anyone: nobody has an address yet), gives four of them an address and a
 * language, then moves one session and cancels another in the working copy.
 */
async function cast(w: World): Promise<Cast> {
  const person = async (name: string) => ok<Written<{ id: string }>>(await w.api.post(`${EVENT}/people`, { name }), 201).data.id;
  const amelie = await person('Amélie Martin');
  const john = await person('John Smith');
  const sofia = await person('Sofía García');
  const benoit = await person('Benoît Dupont');
  const zoe = await person('Zoe Unchanged');
  const nobody = await person('Nobody Without Address');
  const withContributors = async (title: string, contributors: { role: string; person: string }[]) => {
    const s = await sessionTitled(w.api, FORUM_2019, title);
    return ok<Written<SessionOut>>(await w.api.patch(`${SESSIONS}/${s.id}`, { contributors }, s.version)).data;
  };
  let moved = await withContributors('Objectifs et attentes des participants', [{ role: 'speaker', person: amelie }, { role: 'moderator', person: john }]);
  let cancelled = await withContributors('Bilan du travail effectué', [{ role: 'speaker', person: john }, { role: 'speaker', person: sofia }, { role: 'speaker', person: benoit }, { role: 'speaker', person: nobody }]);
  const unchanged = await withContributors('Evolution des modules et méthodologies', [{ role: 'speaker', person: zoe }]);
  release(w.t.app, FORUM_2019, 'Contributeurs');
  setContact(w.ctx(), amelie, { email: ADDRESSES.amelie, language: 'fr' });
  setContact(w.ctx(), john, { email: ADDRESSES.john, language: 'en' });
  setContact(w.ctx(), sofia, { email: ADDRESSES.sofia, language: 'es' });
  setContact(w.ctx(), benoit, { email: ADDRESSES.benoit, language: 'fr' });
  setContact(w.ctx(), zoe, { email: ADDRESSES.zoe, language: 'en' });
  moved = ok<Written<SessionOut>>(await w.api.patch(`${SESSIONS}/${moved.id}`, { start: '2019-11-12T14:00', end: '2019-11-12T14:40' }, moved.version)).data;
  cancelled = ok<Written<SessionOut>>(await w.api.patch(`${SESSIONS}/${cancelled.id}`, { status: 'cancelled' }, cancelled.version)).data;
  return { amelie, john, sofia, benoit, zoe, nobody, moved, cancelled, unchanged };
}

async function releaseThroughApi(w: World, name: string) {
  return ok<Written<{ sequence: number }>>(await w.api.post(`${EVENT}/releases`, { name }), 201).data;
}

const header = (mail: ParsedMail, name: string) => {
  const value = mail.headers.get(name);
  return typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value);
};

/** The raw value of a header line (mailparser turns some into objects). */
function rawHeader(mail: ReceivedMail, name: string): string | undefined {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}

function byAddress(received: ReceivedMail[]): Map<string, ReceivedMail[]> {
  const map = new Map<string, ReceivedMail[]>();
  for (const mail of received) for (const to of mail.to) map.set(to, [...(map.get(to) ?? []), mail]);
  return map;
}

describe('release messages', () => {
  let w: World;
  let smtp: TestSmtp;
  beforeEach(async () => {
    smtp = await startSmtp();
    w = await world({}, smtp);
  });
  afterEach(async () => {
    await w.t.close();
    await smtp.close();
    resetIcalTimezones();
  });

  test('moving one session and cancelling another drafts one message per affected contributor, in their language, with .ics files as the feed has them; they wait for review, then the SMTP server gets exactly those', async () => {
    const c = await cast(w);
    const released = await releaseThroughApi(w, 'Durban');

    // Drafted in the release's transaction: one each for Amélie, John, Sofía and Benoît; none for Zoe
    // (her session did not change) nor for the speaker without an address.
    const drafts = w.messages();
    expect(drafts.map((m) => [m.toAddress, m.language, m.kind, m.state]).sort()).toEqual([
      [ADDRESSES.amelie, 'fr', 'release', 'draft'],
      [ADDRESSES.benoit, 'fr', 'release', 'draft'],
      [ADDRESSES.john, 'en', 'release', 'draft'],
      [ADDRESSES.sofia, 'es', 'release', 'draft'],
    ]);

    // Drafts wait for review: the sender sends nothing, and does not even connect.
    await settle(w);
    await pause(300);
    expect(smtp.connections()).toBe(0);
    expect(w.messages().map((m) => m.state)).toEqual(['draft', 'draft', 'draft', 'draft']);

    expect(sendAllDrafts(w.ctx())).toBe(4);
    w.t.app.deliveries.wake();
    await smtp.waitFor(4);
    await settle(w);
    await pause(300);
    expect(smtp.received).toHaveLength(4);
    const sent = w.messages();
    expect(sent.map((m) => [m.state, m.attempts])).toEqual([['sent', 1], ['sent', 1], ['sent', 1], ['sent', 1]]);

    const mails = byAddress(smtp.received);
    expect([...mails.keys()].sort()).toEqual([ADDRESSES.amelie, ADDRESSES.benoit, ADDRESSES.john, ADDRESSES.sofia]);
    for (const list of mails.values()) expect(list).toHaveLength(1);
    const amelie = mails.get(ADDRESSES.amelie)![0]!;
    const john = mails.get(ADDRESSES.john)![0]!;
    const sofia = mails.get(ADDRESSES.sofia)![0]!;
    const benoit = mails.get(ADDRESSES.benoit)![0]!;

    // Envelope, headers, subject in the recipient's language.
    const host = new URL(w.t.config.publicUrl).hostname;
    const ids = new Set<string>();
    for (const [mail, language, name] of [[amelie, 'fr', 'Amélie Martin'], [john, 'en', 'John Smith'], [sofia, 'es', 'Sofía García'], [benoit, 'fr', 'Benoît Dupont']] as const) {
      const row = sent.find((m) => m.toAddress === mail.to[0])!;
      expect(mail.from).toBe('forum@example.org');
      expect(mail.parsed.from?.value).toEqual([{ name: 'Forum', address: 'forum@example.org' }]);
      expect(mail.parsed.to && !Array.isArray(mail.parsed.to) ? mail.parsed.to.value : null).toEqual([{ name, address: mail.to[0] }]);
      expect(mail.parsed.subject).toBe(RELEASE_SUBJECT[language]('Durban'));
      expect(header(mail.parsed, 'content-language')).toBe(language);
      expect(header(mail.parsed, 'auto-submitted')).toBe('auto-generated');
      expect(mail.parsed.messageId).toBe(`<${row.publicId}@${host}>`);
      ids.add(mail.parsed.messageId!);
      // The stop link: in the List-Unsubscribe header (one click, RFC 8058) and below the text.
      const stopUrl = `${w.t.config.publicUrl}/stop/${row.stopToken}`;
      expect(rawHeader(mail, 'List-Unsubscribe')).toBe(`<${stopUrl}>`);
      expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(mail.parsed.text).toContain(stopUrl);
      expect(mail.parsed.text!.startsWith(language === 'fr' ? `Bonjour ${name},` : language === 'en' ? `Dear ${name},` : `Hola, ${name}:`)).toBe(true);
    }
    expect(ids.size).toBe(4);

    // The words: the moved session with its old and new times, the cancelled one as cancelled.
    const lines = (mail: ReceivedMail) => mail.parsed.text!.split('\n');
    expect(lines(amelie)).toEqual(expect.arrayContaining([
      `* Session déplacée : ${c.moved.title.fr}`,
      '  Avant : mardi 12 novembre 2019, 09:20–09:55 (UTC+02:00), Salle plénière',
      '  Désormais : mardi 12 novembre 2019, 14:00–14:40 (UTC+02:00), Salle plénière',
      '  Votre rôle : intervention',
    ]));
    expect(amelie.parsed.text).not.toContain(c.cancelled.title.fr!);
    expect(lines(john)).toEqual(expect.arrayContaining([
      'Release Durban of the programme of “The UCLG Learning Forum” has just been published. It changes 2 of your sessions:',
      `* Session moved: ${c.moved.title.en}`,
      '  Before: Tuesday, 12 November 2019, 09:20–09:55 (UTC+02:00), Plenary room',
      '  Now: Tuesday, 12 November 2019, 14:00–14:40 (UTC+02:00), Plenary room',
      '  Your role: moderator',
      `* Session cancelled: ${c.cancelled.title.en}`,
      '  Was planned: Tuesday, 12 November 2019, 10:00–11:00 (UTC+02:00), Plenary room',
      '  Your role: speaker',
    ]));
    expect(lines(sofia)).toEqual(expect.arrayContaining([
      `* Sesión cancelada: ${c.cancelled.title.es}`,
      '  Estaba prevista: martes, 12 de noviembre de 2019, 10:00–11:00 (UTC+02:00), Sala plenaria',
    ]));
    expect(sofia.parsed.text).not.toContain(c.moved.title.es!);
    expect(lines(benoit)).toEqual(expect.arrayContaining([
      `* Session annulée : ${c.cancelled.title.fr}`,
      '  Était prévue : mardi 12 novembre 2019, 10:00–11:00 (UTC+02:00), Salle plénière',
    ]));

    // Each .ics: the session's VEVENT with the UID and SEQUENCE of the public feed.
    const feed = await w.t.app.inject(`/events/${FORUM_2019}/calendar.ics`);
    expect(feed.statusCode).toBe(200);
    const feedEvents = new Map(parseWithIcalJs(feed.body).events.map((e) => [e.uid, e]));
    const movedUid = uidOf(c.moved.id, w.t.config.publicUrl);
    const cancelledUid = uidOf(c.cancelled.id, w.t.config.publicUrl);
    const calendars = (mail: ReceivedMail) => mail.parsed.attachments.map((a) => {
      expect(a.contentType).toBe('text/calendar');
      expect(a.filename).toMatch(/^session-[0-9a-f-]{36}\.ics$/);
      const events = parseWithIcalJs(a.content.toString('utf8')).events;
      expect(events).toHaveLength(1);
      return events[0]!;
    });
    const expectAsFeed = (event: ReturnType<typeof calendars>[number]) => {
      const inFeed = feedEvents.get(event.uid);
      expect(inFeed, event.uid).toBeDefined();
      expect(event.sequence).toBe(inFeed!.sequence);
      expect(event.status).toBe(inFeed!.status);
      expect(event.start.toISOString()).toBe(inFeed!.start.toISOString());
    };
    const [amelieIcs] = calendars(amelie);
    expect(calendars(amelie).map((e) => e.uid)).toEqual([movedUid]);
    expectAsFeed(amelieIcs!);
    expect(amelieIcs!.start.toISOString()).toBe('2019-11-12T12:00:00.000Z');
    expect(amelieIcs!.sequence).toBeGreaterThan(0);
    const johnIcs = calendars(john);
    expect(johnIcs.map((e) => e.uid).sort()).toEqual([movedUid, cancelledUid].sort());
    for (const e of johnIcs) expectAsFeed(e);
    const [sofiaIcs] = calendars(sofia);
    expect(sofiaIcs!.uid).toBe(cancelledUid);
    expect(sofiaIcs!.status).toBe('CANCELLED');
    expectAsFeed(sofiaIcs!);
    expect(calendars(benoit).map((e) => [e.uid, e.status, e.sequence])).toEqual([[cancelledUid, 'CANCELLED', sofiaIcs!.sequence]]);
    expect(released.sequence).toBe(3);
  });

  test('with releaseWithoutReview the messages of a release go at once', async () => {
    await cast(w);
    updateMessageSettings(w.ctx(), { releaseWithoutReview: true, rapporteurWithoutReview: true });
    await releaseThroughApi(w, 'Durban');
    expect(w.messages().every((m) => m.state === 'queued' || m.state === 'sending' || m.state === 'sent')).toBe(true);
    // The API's write woke the sender: nothing else is asked of it.
    await smtp.waitFor(4);
    await until('every message sent', () => w.messages().every((m) => m.state === 'sent'));
    await pause(300);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([ADDRESSES.amelie, ADDRESSES.benoit, ADDRESSES.john, ADDRESSES.sofia]);
  });

  test('the link of List-Unsubscribe, posted as a mail program does (RFC 8058), stops every later message to that address: one drafted before is discarded, and the next release drafts none', async () => {
    const c = await cast(w);
    await releaseThroughApi(w, 'Durban');
    expect(sendAllDrafts(w.ctx())).toBe(4);
    w.t.app.deliveries.wake();
    await smtp.waitFor(4);
    const fromJohn = smtp.received.find((m) => m.to[0] === ADDRESSES.john)!;
    const link = /^<(.+)>$/.exec(rawHeader(fromJohn, 'List-Unsubscribe')!)![1]!;

    // Moved back, released: Amélie and John are drafted a message; then John follows his link.
    const moveTo = async (start: string, end: string) => {
      const session = await sessionTitled(w.api, FORUM_2019, c.moved.title.fr!);
      ok(await w.api.patch(`${SESSIONS}/${session.id}`, { start, end }, session.version));
    };
    await moveTo('2019-11-12T09:20', '2019-11-12T09:55');
    await releaseThroughApi(w, 'Durban 2');
    expect(w.messages().filter((m) => m.state === 'draft').map((m) => m.toAddress).sort()).toEqual([ADDRESSES.amelie, ADDRESSES.john]);
    const stop = await w.t.app.inject({
      method: 'POST', url: new URL(link).pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click',
    });
    expect(stop.statusCode, stop.body).toBe(200);

    expect(sendAllDrafts(w.ctx())).toBe(2);
    w.t.app.deliveries.wake();
    await smtp.waitFor(5);
    await until('every message done', () => w.messages().every((m) => m.state === 'sent' || m.state === 'discarded'));
    expect(w.messages().slice(4).map((m) => [m.toAddress, m.state]).sort()).toEqual([[ADDRESSES.amelie, 'sent'], [ADDRESSES.john, 'discarded']]);

    // Moved again: only Amélie is drafted a message.
    await moveTo('2019-11-12T14:00', '2019-11-12T14:40');
    await releaseThroughApi(w, 'Durban 3');
    expect(w.messages().filter((m) => m.state === 'draft').map((m) => m.toAddress)).toEqual([ADDRESSES.amelie]);
    expect(sendAllDrafts(w.ctx())).toBe(1);
    w.t.app.deliveries.wake();
    await smtp.waitFor(6);
    await settle(w);
    await pause(200);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([ADDRESSES.amelie, ADDRESSES.amelie, ADDRESSES.amelie, ADDRESSES.benoit, ADDRESSES.john, ADDRESSES.sofia]);
  });
});

describe('rapporteur messages', () => {
  let w: World;
  let smtp: TestSmtp;
  beforeEach(async () => {
    smtp = await startSmtp();
    w = await world({}, smtp);
  });
  afterEach(async () => {
    await w.t.close();
    await smtp.close();
  });

  test('a rapporteur gets the assignment, the return (with its comment), the validation and the publication, each once, in their language', async () => {
    const rapporteur = await addUser(w.t.app, 'rapporteur', undefined, 'Rita Relatora');
    setUserLanguage(w.t.app.db, rapporteur.id, 'es', new Date());
    const session = await sessionTitled(w.api, FORUM_2019, 'Bilan du travail effectué');
    const mine = apiAs(w.t.app, rapporteur.bearer);

    await assign(w.api, FORUM_2019, session.id, rapporteur);
    // Assigning again changes nothing, and tells nobody again.
    ok(await w.api.post(`${SESSIONS}/${session.id}/rapporteurs`, { user: rapporteur.publicId }), 201);
    await smtp.waitFor(1);
    await saveLatest(mine, FORUM_2019, session.id, content(), { submit: true });
    await steps(w.api, FORUM_2019, session.id, ['return'], { comment: 'Añada las recomendaciones, por favor.' });
    await saveLatest(mine, FORUM_2019, session.id, content({ summary: 'Résumé complété' }), { submit: true });
    await steps(w.api, FORUM_2019, session.id, ['validate', 'publish']);
    expect((await current(w.api, FORUM_2019, session.id)).state).toBe('published');

    await smtp.waitFor(4);
    await until('every message sent', () => w.messages().length === 4 && w.messages().every((m) => m.state === 'sent'));
    await pause(300);
    expect(smtp.received).toHaveLength(4);
    const title = session.title.es!;
    expect(smtp.received.map((m) => [m.to, m.parsed.subject, m.parsed.headers.get('content-language')])).toEqual([
      [[rapporteur.email], `${EVENT_TITLE.es}: usted es relator/a de «${title}»`, 'es'],
      [[rapporteur.email], `${EVENT_TITLE.es}: se le devuelven sus conclusiones sobre «${title}»`, 'es'],
      [[rapporteur.email], `${EVENT_TITLE.es}: sus conclusiones sobre «${title}» están validadas`, 'es'],
      [[rapporteur.email], `${EVENT_TITLE.es}: sus conclusiones sobre «${title}» están publicadas`, 'es'],
    ]);
    expect(new Set(smtp.received.map((m) => m.parsed.messageId)).size).toBe(4);
    const [assigned, returned, validated, published] = smtp.received.map((m) => m.parsed.text!);
    expect(assigned).toContain(`/rapporteur/events/${FORUM_2019}/sessions/${session.id}`);
    expect(returned).toContain('Su comentario:\nAñada las recomendaciones, por favor.');
    expect(validated).toContain('Se publicarán próximamente.');
    expect(published).toContain(`${w.t.config.publicUrl}/events/${FORUM_2019}/sessions/${session.id}?lang=es`);
    expect(w.messages().map((m) => m.kind)).toEqual(['assigned', 'returned', 'validated', 'published']);
  });
});

describe('refusals and retries', () => {
  let w: World;
  let smtp: TestSmtp;
  beforeEach(async () => {
    smtp = await startSmtp();
    w = await world({ DELIVERY_RETRY_DELAY: '200ms' }, smtp);
  });
  afterEach(async () => {
    await w.t.close();
    await smtp.close();
  });

  async function assignOne(): Promise<TestUser> {
    const rapporteur = await addUser(w.t.app, 'rapporteur', undefined, 'Rolf Rapporteur');
    const session = await sessionTitled(w.api, FORUM_2019, 'Bilan du travail effectué');
    await assign(w.api, FORUM_2019, session.id, rapporteur);
    return rapporteur;
  }

  test('a 451 is retried after DELIVERY_RETRY_DELAY: the log shows the refusal then the sending, and the SMTP server has the message once', async () => {
    smtp.refuseNext(1, 451);
    const rapporteur = await assignOne();
    await smtp.waitFor(1);
    const message = await until('the message sent', () => w.messages().find((m) => m.state === 'sent'));
    expect(smtp.refusals).toEqual([{ code: 451, to: rapporteur.email }]);
    expect(message.attempts).toBe(2);
    expect(message.log.map((a) => a.ok)).toEqual([false, true]);
    expect(message.log[0]!.detail).toMatch(/^451 .*Try again later \(test refusal\)/);
    expect(message.log[1]!.detail).toMatch(/^250 /);
    const waited = Date.parse(message.log[1]!.at) - Date.parse(message.log[0]!.at);
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(5_000);
    await pause(500);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual([rapporteur.email]);
    expect(smtp.connections()).toBe(2);
  });

  test('a 5xx is permanent: the message is failed at once, with the server\'s answer, and not tried again', async () => {
    smtp.refuseNext(1, 550);
    await assignOne();
    const message = await until('the message failed', () => w.messages().find((m) => m.state === 'failed'));
    expect(message.attempts).toBe(1);
    expect(message.nextAttemptAt).toBeNull();
    expect(message.log).toEqual([{ at: expect.any(String), ok: false, detail: expect.stringMatching(/^550 .*Mailbox unavailable \(test refusal\)/) }]);
    await pause(800);
    expect(w.messages()[0]!.attempts).toBe(1);
    expect(smtp.connections()).toBe(1);
    expect(smtp.received).toHaveLength(0);
  });
});

describe('without SMTP_URL', () => {
  const listeners: net.Server[] = [];
  let connections = 0;
  let w: World;
  beforeEach(async () => {
    connections = 0;
    // Where a mail library would go by default: the SMTP ports of this machine, where the test may bind them.
    for (const host of ['127.0.0.1', '::1']) {
      for (const port of [25, 465, 587, 2525]) {
        const server = net.createServer((socket) => { connections += 1; socket.destroy(); });
        const bound = await new Promise<boolean>((resolve) => {
          server.once('error', () => resolve(false));
          server.listen(port, host, () => resolve(true));
        });
        if (bound) listeners.push(server);
      }
    }
    w = await world({}, null);
  });
  afterEach(async () => {
    await w.t.close();
    await Promise.all(listeners.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  test('no connection is attempted, and the messages stay queued', async () => {
    expect(listeners.length, 'the test could not listen on any SMTP port').toBeGreaterThan(0);
    expect(w.t.app.mailEnabled).toBe(false);
    await cast(w);
    updateMessageSettings(w.ctx(), { releaseWithoutReview: true, rapporteurWithoutReview: true });
    await releaseThroughApi(w, 'Durban');
    const rapporteur = await addUser(w.t.app, 'rapporteur');
    await assign(w.api, FORUM_2019, (await sessionTitled(w.api, FORUM_2019, 'Bilan du travail effectué')).id, rapporteur);
    await settle(w);
    await pause(700);
    await settle(w);
    expect(connections).toBe(0);
    const messages = w.messages();
    expect(messages).toHaveLength(5);
    expect(messages.map((m) => [m.state, m.attempts, m.log.length])).toEqual(messages.map(() => ['queued', 0, 0]));
  });
});
