// A session moved to another part's hours follows them: a write that changes its time without
// naming its part moves it to the one other part whose hours hold the new time (a part's own
// hours, else the span of its other sessions). When no part fits it keeps its part, and a part
// with hours of its own reports the session outside them (session-outside-part).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { addUser } from '../../helpers/auth.ts';
import { apiAs, eventPath, listOf, ok, sessionTitled, type Api, type SessionOut, type Written } from '../../helpers/api.ts';

const base = eventPath(FORUM_2019);

describe('a session\'s part follows its new time', () => {
  let t: TestApp;
  let api: Api;
  let parts: Record<string, string>;

  beforeEach(async () => {
    t = await buildTestApp();
    api = apiAs(t.app, (await addUser(t.app, 'organiser')).bearer);
    parts = Object.fromEntries((await listOf<{ id: string; version: number; label: { fr: string } }>(api, FORUM_2019, 'parts')).map((p) => [p.label.fr, p.id]));
  });
  afterEach(async () => { await t.close(); });

  // Out of the plenary room, so that no room is double-booked.
  const move = async (title: string, body: Record<string, unknown>) => {
    const session = await sessionTitled(api, FORUM_2019, title);
    return ok<Written<SessionOut>>(await api.patch(`${base}/sessions/${session.id}`, { room: null, ...body }, session.version));
  };
  const conflicts = async () => ok<{ conflicts: { type: string; sessions: { id: string }[] }[] }>(await api.get(`${base}/conflicts`)).conflicts;

  test('parts without hours of their own: moved into the span of another part\'s sessions, the session joins it', async () => {
    // "Bilan du travail effectué" (Deuxième partie, 10:00) moved to 16:00, among the Troisième partie's sessions (15:00–18:00).
    const moved = await move('Bilan du travail effectué', { start: '2019-11-12T16:00', end: '2019-11-12T17:00' });
    expect(moved.data.part).toBe(parts['Troisième partie']);
    expect(moved.warnings).toEqual([]);
    // Moved back by its slot, among its old part's sessions: it follows again.
    const slot = (await sessionTitled(api, FORUM_2019, "Apprendre d'un exemple : localiser le cadre de Sendai")).slot;
    const back = await move('Bilan du travail effectué', { slot });
    expect(back.data.part).toBe(parts['Deuxième partie']);
    // Outside every part's span: it keeps its part.
    expect((await move('Bilan du travail effectué', { start: '2019-11-12T19:00', end: '2019-11-12T20:00' })).data.part).toBe(parts['Deuxième partie']);
  });

  test('parts with hours: the part follows; named in the write, it stays; no part fits: it stays, reported outside its part', async () => {
    const hours = async (label: string, start: string, end: string) => {
      const part = ok<{ version: number }>(await api.get(`${base}/parts/${parts[label]}`));
      ok(await api.patch(`${base}/parts/${parts[label]}`, { start, end }, part.version));
    };
    await hours('Deuxième partie', '2019-11-12T10:00', '2019-11-12T15:00');
    await hours('Troisième partie', '2019-11-12T15:00', '2019-11-12T18:00');
    expect(await conflicts()).toEqual([]);

    const followed = await move('Bilan du travail effectué', { start: '2019-11-12T15:00', end: '2019-11-12T15:30' });
    expect(followed.data.part).toBe(parts['Troisième partie']);
    expect(followed.warnings).toEqual([]);

    const named = await move('Bilan du travail effectué', { start: '2019-11-12T11:00', end: '2019-11-12T11:30', part: parts['Troisième partie'] });
    expect(named.data.part).toBe(parts['Troisième partie']);
    expect(named.warnings.map((w) => w.type)).toEqual(['session-outside-part']);

    const nowhere = await move('Bilan du travail effectué', { start: '2019-11-12T19:00', end: '2019-11-12T20:00' });
    expect(nowhere.data.part).toBe(parts['Troisième partie']);
    expect((await conflicts()).map((c) => [c.type, c.sessions.map((s) => s.id)])).toEqual([['session-outside-part', [nowhere.data.id]]]);

    // A change that leaves the time as it is does not move the session.
    const same = await move('Bilan du travail effectué', { start: '2019-11-12T19:00', end: '2019-11-12T20:00', title: { fr: 'Bilan du travail effectué' } });
    expect(same.data.part).toBe(parts['Troisième partie']);
  });
});
