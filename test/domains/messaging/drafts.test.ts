// What the server drafts, read back from the real database: one message per contributor whose
// sessions a release changes, in their language, with exactly the words and the calendar files
// they get; none for someone without an address or who asked for no more; none from the bundled
// programmes' own release; and the rapporteurs' notices, each once.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, ok, sessionTitled, type Api, type Written } from '../../helpers/api.ts';
import { parseWithIcalJs, uidOf } from '../../helpers/ical.ts';
import { messages } from '../../../server/db/schema.ts';
import { insertOptOut, setUserLanguage } from '../../../server/domains/messaging/repository.ts';
import { assign, content, saveLatest, steps } from '../../helpers/conclusions.ts';
import { setContact } from '../../../server/domains/messaging/outbox.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';

const API = eventPath(FORUM_2019);
const SENDAI = "Apprendre d'un exemple : localiser le cadre de Sendai";
const MODULES = 'Evolution des modules et méthodologies';

describe('messages drafted by a release', () => {
  let t: TestApp;
  let api: Api;
  let olga: TestUser;
  const clock = new Date('2019-11-01T08:00:00.000Z');
  const people: Record<string, string> = {};

  const outbox = () => t.app.db.select().from(messages).all();

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    api = apiAs(t.app, olga.bearer);
    const event = findEventBySlug(t.app.db, FORUM_2019)!;
    const ctx = { db: t.app.db, event, actor: { id: olga.id, name: 'Olga Organiser' }, now: clock };
    for (const [name, email, language] of [['Amina Diallo', 'AMINA@example.org ', 'fr'], ['John Smith', 'john@example.org', 'en'], ['Nadia Sin Correo', null, 'es'], ['Pablo Stopped', 'pablo@example.org', 'es']] as const) {
      const person = ok<Written<{ id: string }>>(await api.post(`${API}/people`, { name }), 201).data;
      people[name] = person.id;
      if (email || language) setContact(ctx, person.id, { email, language });
    }
    insertOptOut(t.app.db, 'pablo@example.org', clock);
  });
  afterAll(async () => { await t.close(); });

  test('the bundled programmes\' own first release drafted nothing, and contributors added then released are told of the sessions they are now on', async () => {
    expect(outbox()).toEqual([]);
    const sendai = await sessionTitled(api, FORUM_2019, SENDAI);
    ok(await api.patch(`${API}/sessions/${sendai.id}`, {
      contributors: [...sendai.contributors, { role: 'speaker', person: people['Amina Diallo'] }, { role: 'moderator', person: people['John Smith'] }, { role: 'speaker', person: people['Nadia Sin Correo'] }, { role: 'speaker', person: people['Pablo Stopped'] }],
    }, sendai.version));
    ok(await api.post(`${API}/releases`, { name: '1.1' }), 201);
    expect(outbox().map((m) => [m.toAddress, m.language, m.state, m.kind, m.subject, m.attachments.length])).toEqual([
      ['amina@example.org', 'fr', 'draft', 'release', 'Le forum d\'apprentissage de CGLU : vos sessions dans la version 1.1 du programme', 1],
      ['john@example.org', 'en', 'draft', 'release', 'The UCLG Learning Forum: your sessions in release 1.1 of the programme', 1],
    ]);
  });

  test('moving one session and cancelling another drafts one message per contributor, listing each with its old and new time and room, and its .ics with the feed\'s UID and SEQUENCE', async () => {
    const before = outbox().length;
    const sendai = await sessionTitled(api, FORUM_2019, SENDAI);
    const modules = await sessionTitled(api, FORUM_2019, MODULES);
    ok(await api.patch(`${API}/sessions/${modules.id}`, { contributors: [...modules.contributors, { role: 'speaker', person: people['Amina Diallo'] }] }, modules.version));
    ok(await api.post(`${API}/releases`, { name: '1.2' }), 201);
    const afterAdding = outbox().length;
    const moved = await sessionTitled(api, FORUM_2019, SENDAI);
    ok(await api.patch(`${API}/sessions/${sendai.id}`, { start: '2019-11-12T16:00', end: '2019-11-12T17:00' }, moved.version));
    const cancelled = await sessionTitled(api, FORUM_2019, MODULES);
    ok(await api.patch(`${API}/sessions/${modules.id}`, { status: 'cancelled' }, cancelled.version));
    ok(await api.post(`${API}/releases`, { name: '2' }), 201);
    const drafted = outbox().slice(afterAdding);
    expect(afterAdding - before).toBe(1);
    expect(drafted.map((m) => [m.toAddress, m.subject])).toEqual([
      ['amina@example.org', 'Le forum d\'apprentissage de CGLU : vos sessions dans la version 2 du programme'],
      ['john@example.org', 'The UCLG Learning Forum: your sessions in release 2 of the programme'],
    ]);
    const [amina, john] = drafted;
    expect(amina!.body).toBe([
      'Bonjour Amina Diallo,', '',
      "« Le forum d'apprentissage de CGLU » : la version 2 du programme vient d'être publiée. Elle change 2 de vos sessions :", '',
      '* Session annulée : Evolution des modules et méthodologies',
      '  Était prévue : mardi 12 novembre 2019, 11:40–13:00 (UTC+02:00), Salle plénière',
      '  Votre rôle : intervention',
      `  ${t.config.publicUrl}/events/${FORUM_2019}/sessions/${modules.id}`, '',
      "* Session déplacée : Apprendre d'un exemple : localiser le cadre de Sendai",
      '  Avant : mardi 12 novembre 2019, 11:00–11:40 (UTC+02:00), Salle plénière',
      '  Désormais : mardi 12 novembre 2019, 16:00–17:00 (UTC+02:00), Salle plénière',
      '  Ce qui change : partie',
      '  Votre rôle : intervention',
      `  ${t.config.publicUrl}/events/${FORUM_2019}/sessions/${sendai.id}`, '',
      'Chaque fichier .ics joint met la session à jour dans votre agenda.',
      `Le programme : ${t.config.publicUrl}/events/${FORUM_2019}`, '',
      "— L'équipe d'organisation · Le forum d'apprentissage de CGLU",
    ].join('\n'));
    expect(john!.body).toBe([
      'Dear John Smith,', '',
      'Release 2 of the programme of “The UCLG Learning Forum” has just been published. It changes one of your sessions:', '',
      '* Session moved: Learning from an example: localising the Sendai Framework',
      '  Before: Tuesday, 12 November 2019, 11:00–11:40 (UTC+02:00), Plenary room',
      '  Now: Tuesday, 12 November 2019, 16:00–17:00 (UTC+02:00), Plenary room',
      '  What changes: part',
      '  Your role: moderator',
      `  ${t.config.publicUrl}/events/${FORUM_2019}/sessions/${sendai.id}?lang=en`, '',
      'Each attached .ics file updates the session in your calendar.',
      `The programme: ${t.config.publicUrl}/events/${FORUM_2019}?lang=en`, '',
      '— The organisers · The UCLG Learning Forum',
    ].join('\n'));
    const feed = parseWithIcalJs((await t.app.inject(`/events/${FORUM_2019}/calendar.ics`)).body).events;
    const sequences = new Map(feed.map((e) => [e.uid, e.sequence]));
    for (const m of [amina!, john!]) {
      for (const attachment of m.attachments) {
        const [vevent] = parseWithIcalJs(attachment.content).events;
        expect(vevent!.sequence, attachment.filename).toBe(sequences.get(vevent!.uid));
      }
    }
    expect(amina!.attachments.map((a) => a.filename)).toEqual([`session-${modules.id}.ics`, `session-${sendai.id}.ics`]);
    expect(amina!.attachments.map((a) => parseWithIcalJs(a.content).events.map((e) => [e.uid, e.status]))).toEqual([
      [[uidOf(modules.id, t.config.publicUrl), 'CANCELLED']], [[uidOf(sendai.id, t.config.publicUrl), 'CONFIRMED']],
    ]);
    expect(john!.attachments.map((a) => a.filename)).toEqual([`session-${sendai.id}.ics`]);
  });
});

describe('messages to a rapporteur', () => {
  let t: TestApp;
  let organiser: Api;
  let rapporteur: TestUser;
  const clock = new Date('2019-11-12T12:00:00.000Z');

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    organiser = apiAs(t.app, (await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser')).bearer);
    rapporteur = await addUser(t.app, 'rapporteur', undefined, 'Rosa Rapporteur');
    setUserLanguage(t.app.db, rapporteur.id, 'es', clock);
  });
  afterAll(async () => { await t.close(); });

  test('assignment, return with its comment, validation and publication: one message each, in the account\'s language, queued at once by default', async () => {
    const session = await sessionTitled(organiser, FORUM_2019, SENDAI);
    await assign(organiser, FORUM_2019, session.id, rapporteur);
    // Assigning again changes nothing, and tells nobody again.
    await assign(organiser, FORUM_2019, session.id, rapporteur);
    const asRapporteur = apiAs(t.app, rapporteur.bearer);
    await saveLatest(asRapporteur, FORUM_2019, session.id, content(), { submit: true });
    await steps(organiser, FORUM_2019, session.id, ['return'], { comment: 'Añadir las recomendaciones, por favor.' });
    await saveLatest(asRapporteur, FORUM_2019, session.id, content(), { submit: true });
    await steps(organiser, FORUM_2019, session.id, ['validate', 'publish']);
    const sent = t.app.db.select().from(messages).all();
    expect(sent.map((m) => [m.kind, m.state, m.toAddress, m.language, m.subject])).toEqual([
      ['assigned', 'queued', rapporteur.email, 'es', 'El foro de aprendizaje de CGLU: usted es relator/a de «Aprender de un ejemplo: localizar el Marco de Sendai»'],
      ['returned', 'queued', rapporteur.email, 'es', 'El foro de aprendizaje de CGLU: se le devuelven sus conclusiones sobre «Aprender de un ejemplo: localizar el Marco de Sendai»'],
      ['validated', 'queued', rapporteur.email, 'es', 'El foro de aprendizaje de CGLU: sus conclusiones sobre «Aprender de un ejemplo: localizar el Marco de Sendai» están validadas'],
      ['published', 'queued', rapporteur.email, 'es', 'El foro de aprendizaje de CGLU: sus conclusiones sobre «Aprender de un ejemplo: localizar el Marco de Sendai» están publicadas'],
    ]);
    const returned = sent.find((m) => m.kind === 'returned')!;
    expect(returned.body).toContain('Su comentario:\nAñadir las recomendaciones, por favor.');
    expect(returned.body).toContain(`${t.config.publicUrl}/rapporteur/events/${FORUM_2019}/sessions/${session.id}`);
    expect(sent.find((m) => m.kind === 'published')!.body).toContain(`${t.config.publicUrl}/events/${FORUM_2019}/sessions/${session.id}?lang=es`);
  });
});
