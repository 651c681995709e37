// The follow-up of published recommendations and actions through the API: the status workflow
// (allowed moves, reopening, refused and no-op moves), owners of the event only, bounded due
// dates, notes with links, versions (If-Match, stale writes), who may write (the assigned
// rapporteur and organisers, nobody else) and the audit entries each write leaves, exactly.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiAs, eventPath, expectInvalid, expectProblem, ok, sessionsByTitle, type Api } from '../../helpers/api.ts';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { assign, content, outputIds, publish } from '../../helpers/conclusions.ts';

const API = eventPath(FORUM_2019);
const REVIEW = 'Bilan du travail effectué';
const OPENING = 'Ouverture et bienvenue';

interface Item {
  id: string; status: string; version: number; due: string | null; overdue: boolean;
  owner: { kind: string; id: string; name: string } | null;
  notes: { id: string; at: string; statusFrom: string | null; statusTo: string | null; note: string | null; links: { url: string; title: string }[]; author: string }[];
}

describe('the follow-up API', () => {
  let t: TestApp;
  const clock = new Date('2026-03-02T08:00:00.000Z');
  let olga: TestUser;
  let rita: TestUser;
  let other: TestUser;
  let asOlga: Api;
  let asRita: Api;
  let review: string;
  let opening: string;
  let ada: string;
  let uclg: string;
  let foreignPerson: string;

  const url = (session: string, ref: string) => `${API}/sessions/${session}/follow-up/${ref}`;
  const patch = (api: Api, session: string, ref: string, body: unknown, version: number | null) =>
    api.send('PATCH', url(session, ref), body, version === null ? {} : { 'if-match': `"${version}"` });

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    olga = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    rita = await addUser(t.app, 'rapporteur', undefined, 'Rita Rapporteur');
    other = await addUser(t.app, 'rapporteur', undefined, 'Omar Other');
    asOlga = apiAs(t.app, olga.bearer);
    asRita = apiAs(t.app, rita.bearer);
    const ids = await sessionsByTitle(asOlga, FORUM_2019);
    review = ids[REVIEW]!;
    opening = ids[OPENING]!;
    await assign(asOlga, FORUM_2019, review, rita);
    await assign(asOlga, FORUM_2019, opening, other);
    ada = ok<{ data: { id: string } }>(await asOlga.post(`${API}/people`, { name: 'Ada Lovelace' }), 201).data.id;
    uclg = ok<{ items: { id: string }[] }>(await asOlga.get(`${API}/organisations`)).items[0]!.id;
    const asAll = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    foreignPerson = ok<{ data: { id: string } }>(await asAll.post(`${eventPath(SEMINAR_2015)}/people`, { name: 'Grace Hopper' }), 201).data.id;
    const [o1] = await outputIds(asOlga, FORUM_2019);
    await publish(asOlga, FORUM_2019, review, content({
      recommendations: [{ text: 'Mesurer', outputs: [o1!] }, { text: 'Documenter', outputs: [o1!] }],
      followUps: [{ action: 'Envoyer le questionnaire', owner: 'Secrétariat', due: '2020-01-15' }],
    }));
  });
  afterAll(async () => { await t.close(); });

  test('the workflow: proposed → in-progress → done, reopened; a no-op or a move not allowed is 409 invalid-transition', async () => {
    let item = ok<{ data: Item }>(await patch(asRita, review, 'r1', { status: 'in-progress', note: 'Commencé' }, 0));
    expect([item.data.status, item.data.version]).toEqual(['in-progress', 1]);
    expectProblem(await patch(asRita, review, 'r1', { status: 'in-progress' }, 1), t.config.publicUrl, 409, 'invalid-transition', {
      detail: 'This recommendation is already in-progress: nothing to move', status: 'in-progress',
    });
    item = ok<{ data: Item }>(await patch(asRita, review, 'r1', { status: 'done' }, 1));
    expectProblem(await patch(asRita, review, 'r1', { status: 'dropped' }, 2), t.config.publicUrl, 409, 'invalid-transition', {
      detail: 'A recommendation that is done cannot become dropped: it may become in-progress', status: 'done', allowed: ['in-progress'],
    });
    // Reopened.
    item = ok<{ data: Item }>(await patch(asOlga, review, 'r1', { status: 'in-progress', note: 'Rouvert : il reste des villes' }, 2));
    expect(item.data.notes.map((n) => [n.statusFrom, n.statusTo, n.note, n.author])).toEqual([
      ['proposed', 'in-progress', 'Commencé', 'Rita Rapporteur'],
      ['in-progress', 'done', null, 'Rita Rapporteur'],
      ['done', 'in-progress', 'Rouvert : il reste des villes', 'Olga Organiser'],
    ]);
    expect(item.data.version).toBe(3);
  });

  test('versions: If-Match is required (428), a stale one is 409 stale-version with the item as it is, and nothing is written', async () => {
    const before = ok<{ data: Item }>(await patch(asOlga, review, 'r2', { note: 'Première note' }, 0));
    expect(before.data.version).toBe(1);
    expect(before.data.status).toBe('proposed');
    expectProblem(await patch(asOlga, review, 'r2', { status: 'adopted' }, null), t.config.publicUrl, 428, 'version-required', {
      detail: 'Send If-Match with the ETag of the version you started from (read it first with GET)',
    });
    const stale = await patch(asOlga, review, 'r2', { status: 'adopted' }, 0);
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ type: `${t.config.publicUrl}/api/docs#problem-stale-version`, current: { id: `${review}-r2`, version: 1, status: 'proposed' } });
    const list = ok<{ items: Item[] }>(await t.app.inject(`${API}/follow-up`)).items;
    expect(list.find((i) => i.id === `${review}-r2`)!.notes.map((n) => n.note)).toEqual(['Première note']);
    const note = await asOlga.send('POST', `${url(review, 'r2')}/notes`, { note: 'Deuxième note', links: [{ url: 'https://example.org/preuve', title: 'Preuve' }] }, { 'if-match': '"1"' });
    expect(note.statusCode).toBe(201);
    expect(note.headers.etag).toBe('"2"');
    expect((note.json() as { data: Item }).data.notes.at(-1)).toMatchObject({ statusFrom: null, statusTo: null, note: 'Deuxième note', links: [{ url: 'https://example.org/preuve', title: 'Preuve' }] });
  });

  test('owners are a person or an organisation of the event; a foreign one is 422; due dates are bounded', async () => {
    const first = ok<{ data: Item }>(await patch(asOlga, review, 'a1', { owner: { person: ada } }, 0));
    // An action keeps the date its rapporteur wrote until someone changes it.
    expect([first.data.owner, first.data.due, first.data.overdue]).toEqual([{ kind: 'person', id: ada, name: 'Ada Lovelace' }, '2020-01-15', true]);
    const org = ok<{ data: Item }>(await patch(asOlga, review, 'a1', { owner: { organisation: uclg }, due: '2027-06-30' }, 1));
    expect([org.data.owner?.kind, org.data.owner?.id, org.data.due, org.data.overdue]).toEqual(['organisation', uclg, '2027-06-30', false]);
    expectInvalid(await patch(asOlga, review, 'a1', { owner: { person: foreignPerson } }, 2), t.config.publicUrl, [
      { pointer: '#/owner/person', detail: `this event has no person ${foreignPerson}` },
    ]);
    expectInvalid(await patch(asOlga, review, 'a1', { due: '1999-12-31' }, 2), t.config.publicUrl, [
      { pointer: '#/due', detail: '1999-12-31 is not between 2000-01-01 and 2100-12-31' },
    ]);
    // Both at once, or a link that is not http(s): refused by the schema.
    for (const body of [{ owner: { person: ada, organisation: uclg } }, { note: 'x', links: [{ url: 'javascript:alert(1)', title: 'x' }] }, { due: '2027-02-30' }, {}]) {
      const response = await patch(asOlga, review, 'a1', body, 2);
      expect(response.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, JSON.stringify(body)).toBeLessThan(500);
    }
    expect(ok<{ items: Item[] }>(await t.app.inject(`${API}/follow-up`)).items.find((i) => i.id === `${review}-a1`)!.version).toBe(2);
  });

  test('who may write: 401 anonymous, 403 a rapporteur not assigned to the session and an organiser of another event; 404 an item that is not there', async () => {
    expectProblem(await patch(apiAs(t.app), review, 'r1', { note: 'x' }, 3), t.config.publicUrl, 401, 'unauthorized', {
      detail: 'Sign in, or send an API token as "Authorization: Bearer …"',
    });
    const refused = 'Only the rapporteurs assigned to this session and the organisers of the event may update the follow-up of its conclusions';
    expectProblem(await patch(apiAs(t.app, other.bearer), review, 'r1', { note: 'x' }, 3), t.config.publicUrl, 403, 'forbidden', { detail: refused });
    const seminar = await addUser(t.app, 'organiser', SEMINAR_2015);
    expectProblem(await patch(apiAs(t.app, seminar.bearer), review, 'r1', { note: 'x' }, 3), t.config.publicUrl, 403, 'forbidden', { detail: refused });
    expectProblem(await patch(asRita, review, 'r9', { note: 'x' }, 0), t.config.publicUrl, 404, 'not-found');
    // Nothing was written by the refused callers.
    expect(ok<{ items: Item[] }>(await t.app.inject(`${API}/follow-up`)).items.find((i) => i.id === `${review}-r1`)!.version).toBe(3);
  });

  test('every write leaves an audit entry with the values before and after', async () => {
    const audit = ok<{ entries: { action: string; entity: string; entityId: string; actor: { name: string }; before: unknown; after: unknown }[] }>(
      await asOlga.get(`${API}/audit?entity=follow-up`));
    expect(audit.entries.reverse().map((e) => [e.action, e.entityId, e.actor.name, e.before, e.after])).toEqual([
      ['create', `${review}-r1`, 'Rita Rapporteur', null, { status: 'in-progress', owner: null, due: null, version: 1, note: 'Commencé' }],
      ['update', `${review}-r1`, 'Rita Rapporteur', { status: 'in-progress', owner: null, due: null, version: 1 }, { status: 'done', owner: null, due: null, version: 2 }],
      ['update', `${review}-r1`, 'Olga Organiser', { status: 'done', owner: null, due: null, version: 2 }, { status: 'in-progress', owner: null, due: null, version: 3, note: 'Rouvert : il reste des villes' }],
      ['create', `${review}-r2`, 'Olga Organiser', null, { status: 'proposed', owner: null, due: null, version: 1, note: 'Première note' }],
      ['update', `${review}-r2`, 'Olga Organiser', { status: 'proposed', owner: null, due: null, version: 1 },
        { status: 'proposed', owner: null, due: null, version: 2, note: 'Deuxième note', links: [{ url: 'https://example.org/preuve', title: 'Preuve' }] }],
      ['create', `${review}-a1`, 'Olga Organiser', null, { status: 'proposed', owner: { person: ada }, due: '2020-01-15', version: 1 }],
      ['update', `${review}-a1`, 'Olga Organiser', { status: 'proposed', owner: { person: ada }, due: '2020-01-15', version: 1 }, { status: 'proposed', owner: { organisation: uclg }, due: '2027-06-30', version: 2 }],
    ]);
  });
});
