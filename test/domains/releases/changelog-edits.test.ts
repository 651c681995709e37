// A part renamed or an output reworded is told once, by name, in the changelog (public page,
// workspace release page, API), instead of as "changed: part / outputs" for every session that
// shows it; a session moved to another part, or given other outputs, says what changed.
import * as cheerio from 'cheerio';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectedOutputs, parts, sessions } from '../../../server/db/schema.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { release } from '../../helpers/releases.ts';

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(() => t.close());

const eventId = () => findEventBySlug(t.app.db, FORUM_2019)!.id;
const partLabelled = (fr: string) => t.app.db.select().from(parts).where(and(eq(parts.eventId, eventId()), eq(parts.label, { fr } as never))).all()[0]
  ?? t.app.db.select().from(parts).where(eq(parts.eventId, eventId())).all().find((p) => p.label.fr === fr)!;

async function changesPage(lang = 'fr') {
  const $ = cheerio.load((await t.app.inject(`/events/${FORUM_2019}/changes?lang=${lang}`)).body);
  const latest = $('article.release').first();
  return {
    summary: latest.find('.release__summary').text(),
    edits: latest.find('.change--edit').map((_, e) => $(e).text()).get(),
    sessions: latest.find('.change:not(.change--edit)').map((_, e) => `${$(e).find('a').text()} | ${$(e).find('.change__fields').text()}`).get(),
  };
}

describe('the changelog names the edit of a part or an output', () => {
  test('a part renamed and an output reworded are one entry each; none of their sessions is listed', async () => {
    const second = partLabelled('Deuxième partie');
    t.app.db.update(parts).set({ label: { ...second.label, fr: 'Partie 2', en: 'Part 2' } }).where(eq(parts.id, second.id)).run();
    const output = t.app.db.select().from(expectedOutputs).where(eq(expectedOutputs.eventId, eventId())).all()[0]!;
    t.app.db.update(expectedOutputs).set({ statement: { ...output.statement, fr: 'Un résultat reformulé' } }).where(eq(expectedOutputs.id, output.id)).run();
    const data = release(t.app, FORUM_2019, '2');

    expect(data.counts).toEqual({ new: 0, moved: 0, changed: 0, cancelled: 0 });
    expect(data.changes).toEqual([]);
    expect(data.edits).toEqual([
      { type: 'renamed', kind: 'part', id: second.publicId, before: { label: second.label, title: second.title }, after: { label: { ...second.label, fr: 'Partie 2', en: 'Part 2' }, title: second.title } },
      { type: 'renamed', kind: 'output', id: output.publicId, before: { statement: output.statement }, after: { statement: { ...output.statement, fr: 'Un résultat reformulé' } } },
    ]);
    expect(await changesPage()).toEqual({
      summary: 'Parties ou résultats modifiés\u00a0: 2',
      edits: ['Partie «\u00a0Deuxième partie\u00a0» renommée «\u00a0Partie 2\u00a0»', `Résultat attendu «\u00a0${output.statement.fr}\u00a0» reformulé\u00a0: «\u00a0Un résultat reformulé\u00a0»`],
      sessions: [],
    });
    // In English only the part's label changed: the output, reworded in French, reads the same.
    expect(await changesPage('en')).toEqual({ summary: 'Parts or outputs edited: 1', edits: ['Part “Part two” renamed “Part 2”'], sessions: [] });
    // The API answers the same, with the machine keys.
    const api = (await t.app.inject(`/api/v1/events/${FORUM_2019}/releases`)).json() as { releases: { name: string; edits: unknown[] }[] };
    expect(api.releases[0]!.edits).toEqual(data.edits);
  });

  test('a session moved to another part names the part it left and the one it joined', async () => {
    const first = partLabelled('Première partie');
    const session = t.app.db.select().from(sessions).where(and(eq(sessions.eventId, eventId()), eq(sessions.partId, first.id))).all()[0]!;
    const third = partLabelled('Troisième partie');
    t.app.db.update(sessions).set({ partId: third.id }).where(eq(sessions.id, session.id)).run();
    const data = release(t.app, FORUM_2019, '3');
    expect(data.changes).toEqual([expect.objectContaining({
      type: 'changed', fields: ['part'], details: { part: { before: first.label, after: third.label } },
    })]);
    expect(await changesPage()).toEqual({
      summary: 'Modifiées\u00a0: 1',
      edits: [],
      sessions: [`${session.title.fr} | Modifié\u00a0: partie (Première partie → Troisième partie)`],
    });
  });
});
