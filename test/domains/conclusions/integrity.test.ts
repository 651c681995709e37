// Conclusions outlive what they refer to being edited: neither the API nor a reload of the
// bundled programmes can delete a session or an expected output they depend on.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { conclusionRevisions, conclusions } from '../../../server/db/schema.ts';
import { loadBundledProgramme, readBundledProgrammes } from '../../../server/domains/interop/bundled.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { apiAs, type Api } from '../../helpers/api.ts';
import { addUser } from '../../helpers/auth.ts';
import { content, save as saveConclusions } from '../../helpers/conclusions.ts';

const BASE = `/api/v1/events/${FORUM_2019}`;

describe('what conclusions depend on stays', () => {
  let t: TestApp;
  let organiser: Api;
  let outputs: { id: string; version: number }[];
  let sessionIds: string[];

  beforeAll(async () => {
    t = await buildTestApp();
    // Its token alone, as a script sends it: no Accept-Language.
    organiser = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer, { language: null });
    outputs = (await organiser.get(`${BASE}/outputs`)).json().items;
    sessionIds = (await organiser.get(`${BASE}/sessions`)).json().items
      .filter((s: { kind: string }) => s.kind === 'plenary' || s.kind === 'session').map((s: { id: string }) => s.id);
  });
  afterAll(async () => { await t.close(); });

  /** Saves conclusions whose one recommendation serves these outputs. */
  const save = (sessionId: string, outputIds: string[], baseRevision = 0) => saveConclusions(organiser, FORUM_2019, sessionId, baseRevision,
    content({ summary: 'Résumé', recommendations: [{ text: 'Une recommandation', outputs: outputIds }] }));

  test('an expected output that a recommendation serves cannot be deleted (409 in-use, naming the session); once untied it can', async () => {
    // A new output, tied to nothing in the programme, so that only the conclusions hold it.
    const created = await organiser.post(`${BASE}/outputs`, { statement: { fr: 'Un résultat de plus' } });
    expect(created.statusCode).toBe(201);
    const output = created.json().data as { id: string; version: number };
    expect((await save(sessionIds[0]!, [output.id])).statusCode).toBe(201);

    const refused = await organiser.delete(`${BASE}/outputs/${output.id}`, output.version);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ type: expect.stringContaining('#problem-in-use'), sessions: [sessionIds[0]] });

    expect((await save(sessionIds[0]!, [outputs[0]!.id], 1)).statusCode).toBe(200);
    const deleted = await organiser.delete(`${BASE}/outputs/${output.id}`, output.version);
    expect(deleted.statusCode).toBe(204);
  });

  test('restoring a revision that served an output deleted since restores its text without that tie', async () => {
    const created = await organiser.post(`${BASE}/outputs`, { statement: { fr: 'Un résultat éphémère' } });
    const output = created.json().data as { id: string; version: number };
    const sessionId = sessionIds[2]!;
    expect((await save(sessionId, [output.id, outputs[0]!.id])).statusCode).toBe(201);
    expect((await save(sessionId, [outputs[0]!.id], 1)).statusCode).toBe(200);
    const deleted = await organiser.delete(`${BASE}/outputs/${output.id}`, output.version);
    expect(deleted.statusCode).toBe(204);

    const restored = await organiser.post(`${BASE}/sessions/${sessionId}/conclusions/revisions/1/restore`, { baseRevision: 2 });
    expect(restored.statusCode).toBe(200);
    expect(restored.json().data).toMatchObject({ revision: 3, content: { recommendations: [{ text: 'Une recommandation', outputs: [outputs[0]!.id] }] } });
    const third = (await organiser.get(`${BASE}/sessions/${sessionId}/conclusions/revisions/3`)).json();
    expect(third.restoredFrom).toBe(1);
  });

  test('reloading a bundled programme that no longer has a session with conclusions is refused, naming it, and changes nothing', async () => {
    const [forum] = readBundledProgrammes().filter((p) => p.event.slug === FORUM_2019);
    const all = (await organiser.get(`${BASE}/sessions`)).json().items as { id: string; title: { fr: string } }[];
    const sessionId = all.find((s) => s.title.fr.startsWith('Apprendre d\'un exemple'))!.id;
    expect((await save(sessionId, [outputs[1]!.id])).statusCode).toBe(201);
    const dropped = { ...forum!, sessions: forum!.sessions.filter((s) => !s.title.fr?.startsWith('Apprendre d\'un exemple')) };
    expect(dropped.sessions.length).toBe(forum!.sessions.length - 1);
    const before = { conclusions: t.app.db.select().from(conclusions).all(), revisions: t.app.db.select().from(conclusionRevisions).all() };
    const listBefore = (await organiser.get(`${BASE}/sessions`)).json().items.length;

    expect(() => loadBundledProgramme(t.app.db, dropped)).toThrow(/no longer has "Apprendre d'un exemple[^"]*" \([0-9a-f-]{36}\), which has conclusions/);
    expect((await organiser.get(`${BASE}/sessions`)).json().items.length).toBe(listBefore);
    expect({ conclusions: t.app.db.select().from(conclusions).all(), revisions: t.app.db.select().from(conclusionRevisions).all() }).toEqual(before);
  });

  test('a session with conclusions that was never released cannot be deleted either (409 cancel-instead)', async () => {
    const created = await organiser.post(`${BASE}/sessions`, { title: { fr: 'Session ajoutée' }, kind: 'workshop', start: '2019-11-12T18:00', end: '2019-11-12T18:30' });
    expect(created.statusCode).toBe(201);
    const session = created.json().data as { id: string; version: number };
    expect((await save(session.id, [outputs[0]!.id])).statusCode).toBe(201);
    const refused = await organiser.delete(`${BASE}/sessions/${session.id}`, session.version);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/conclusions/);
    expect((await organiser.get(`${BASE}/sessions/${session.id}/conclusions`)).json().revision).toBe(1);
  });
});
