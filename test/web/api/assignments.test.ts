// Rapporteurs assigned to sessions by the organisers: assign, list, withdraw.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, SEMINAR_2015, type TestApp } from '../../helpers/app.ts';
import { addUser, type TestUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, expectInvalid, expectProblem, listOf, ok, sessionTitled, type Api, type Written } from '../../helpers/api.ts';

interface Assignment {
  session: string;
  user: { id: string; name: string; email: string };
  assignedAt: string;
}

describe('rapporteur assignments', () => {
  let t: TestApp;
  let clock = new Date('2026-03-02T08:00:00.000Z');
  let organiser: TestUser;
  let rita: TestUser;
  let bruno: TestUser;
  let api: Api;
  let url: string;

  const assignment = (user: TestUser, name: string, assignedAt: string): Assignment => ({
    session: url.split('/')[6]!, user: { id: user.publicId, name, email: user.email }, assignedAt,
  });
  const list = async () => ok<{ items: Assignment[] }>(await api.get(url)).items;

  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock });
    organiser = await addUser(t.app, 'organiser', FORUM_2019, 'Olga Organiser');
    rita = await addUser(t.app, 'rapporteur', undefined, 'Rita Rapporteur');
    bruno = await addUser(t.app, 'rapporteur', undefined, 'Bruno Rapporteur');
    api = apiAs(t.app, organiser.bearer);
    url = `${eventPath(FORUM_2019)}/sessions/${(await sessionTitled(api, FORUM_2019, 'Bilan du travail effectué')).id}/rapporteurs`;
  });
  afterAll(async () => { await t.close(); });

  test('a session starts with no rapporteur', async () => {
    expect(await list()).toEqual([]);
  });

  test('assigning a rapporteur answers 201 with the assignment; assigning again changes nothing', async () => {
    clock = new Date('2026-03-02T08:01:00.000Z');
    const response = await api.post(url, { user: rita.publicId });
    expect(ok<Written<Assignment>>(response, 201)).toEqual({ data: assignment(rita, 'Rita Rapporteur', '2026-03-02T08:01:00.000Z'), warnings: [] });

    clock = new Date('2026-03-02T08:02:00.000Z');
    expect(ok<Written<Assignment>>(await api.post(url, { user: rita.publicId }), 201).data)
      .toEqual(assignment(rita, 'Rita Rapporteur', '2026-03-02T08:01:00.000Z'));
    expect(await list()).toEqual([assignment(rita, 'Rita Rapporteur', '2026-03-02T08:01:00.000Z')]);
    const audit = ok<{ entries: { action: string; entity: string }[] }>(await api.get(`${eventPath(FORUM_2019)}/audit?entity=assignment`)).entries;
    expect(audit.map((e) => `${e.action} ${e.entity}`)).toEqual(['create assignment']);
  });

  test('the list holds every rapporteur of the session, by name', async () => {
    clock = new Date('2026-03-02T08:03:00.000Z');
    ok(await api.post(url, { user: bruno.publicId }), 201);
    expect(await list()).toEqual([
      assignment(bruno, 'Bruno Rapporteur', '2026-03-02T08:03:00.000Z'),
      assignment(rita, 'Rita Rapporteur', '2026-03-02T08:01:00.000Z'),
    ]);
  });

  test('assigning an organiser, or an account that does not exist, is refused 422 naming #/user', async () => {
    const before = await list();
    expectInvalid(await api.post(url, { user: organiser.publicId }), t.config.publicUrl,
      [{ pointer: '#/user', detail: 'Olga Organiser is not a rapporteur' }]);
    const nobody = '6c1f3a4e-2b7d-4e8f-9a0b-1c2d3e4f5a6b';
    expectInvalid(await api.post(url, { user: nobody }), t.config.publicUrl,
      [{ pointer: '#/user', detail: `there is no account ${nobody}` }]);
    expect(await list()).toEqual(before);
  });

  test('a session of another event is not found (404), even with a real id', async () => {
    const seminarSession = (await listOf(apiAs(t.app, (await addUser(t.app, 'organiser')).bearer), SEMINAR_2015, 'sessions'))[0]!.id;
    expectProblem(await api.post(`${eventPath(FORUM_2019)}/sessions/${seminarSession}/rapporteurs`, { user: rita.publicId }), t.config.publicUrl, 404, 'not-found');
  });

  test('withdrawing a rapporteur answers 204; withdrawing again 404', async () => {
    const response = await api.delete(`${url}/${rita.publicId}`);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(await list()).toEqual([assignment(bruno, 'Bruno Rapporteur', '2026-03-02T08:03:00.000Z')]);
    expectProblem(await api.delete(`${url}/${rita.publicId}`), t.config.publicUrl, 404, 'not-found');
    expect(await list()).toEqual([assignment(bruno, 'Bruno Rapporteur', '2026-03-02T08:03:00.000Z')]);
  });
});
