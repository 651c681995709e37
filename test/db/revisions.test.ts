// Revisions are kept by the database (migrations/0002): whichever table a change is written
// to, the sessions whose calendar entry it changes get a higher revision (their SEQUENCE),
// and the event's revision (the feeds' ETag) moves; nothing else does.
import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../server/db/client.ts';
import { applyMigrations } from '../../server/db/migrate.ts';
import {
  events, expectedOutputs, organisations, parts, people, rooms, sessionContributors, sessionOutputs, sessions,
} from '../../server/db/schema.ts';
import { loadAllBundledProgrammes } from '../../server/domains/interop/bundled.ts';
import { FORUM_2019, makeTempDir } from '../helpers/app.ts';

describe('revision tracking', () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(path.join(dir, 'forum.db'));
    applyMigrations(db);
    loadAllBundledProgrammes(db);
  });
  afterEach(() => {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const forum = () => db.select().from(events).where(eq(events.slug, FORUM_2019)).get()!;
  const revisions = () => new Map(db.select().from(sessions).where(eq(sessions.eventId, forum().id)).all().map((s) => [s.title.fr!, s.revision]));
  const session = (title: string) => db.select().from(sessions).all().find((s) => s.title.fr === title)!;

  /** Runs a change; returns the titles of the sessions whose revision rose, and whether the event's did. */
  function effectOf(change: () => void): { raised: string[]; eventRaised: boolean } {
    const before = revisions();
    const eventBefore = forum();
    change();
    const after = revisions();
    const raised = [...after].filter(([title, revision]) => revision > (before.get(title) ?? -1)).map(([title]) => title).sort();
    for (const [title, revision] of after) expect(revision, title).toBeGreaterThanOrEqual(before.get(title) ?? 0);
    return { raised, eventRaised: forum().revision > eventBefore.revision };
  }

  test('a session published for the first time starts at revision 0', () => {
    expect(new Set(revisions().values())).toEqual(new Set([0]));
  });

  test('a change to a session\'s own calendar fields raises that session only', () => {
    const opening = session('Ouverture et bienvenue');
    expect(effectOf(() => db.update(sessions).set({ title: { fr: 'Ouverture', en: 'Opening' } }).where(eq(sessions.id, opening.id)).run()))
      .toEqual({ raised: ['Ouverture'], eventRaised: true });
    const updatedAt = db.select().from(sessions).where(eq(sessions.id, opening.id)).get()!.updatedAt;
    expect(updatedAt.getTime()).toBeGreaterThan(opening.updatedAt.getTime());
  });

  test('writing the same values again raises nothing', () => {
    const opening = session('Ouverture et bienvenue');
    expect(effectOf(() => db.update(sessions).set({ title: opening.title, status: opening.status }).where(eq(sessions.id, opening.id)).run()))
      .toEqual({ raised: [], eventRaised: false });
  });

  test('renaming a room raises every session held in it', () => {
    const room = db.select().from(rooms).where(eq(rooms.eventId, forum().id)).get()!;
    const inRoom = [...db.select().from(sessions).where(eq(sessions.roomId, room.id)).all().map((s) => s.title.fr!)].sort();
    expect(inRoom.length).toBeGreaterThan(0);
    expect(effectOf(() => db.update(rooms).set({ name: { fr: 'Salle Albert Luthuli' } }).where(eq(rooms.id, room.id)).run()))
      .toEqual({ raised: inRoom, eventRaised: true });
  });

  test('a contributor added, a person renamed, an organisation renamed, an output reworded: the sessions that show them', () => {
    const review = session('Bilan du travail effectué');
    const lrga = db.select().from(organisations).all().find((o) => o.name.fr === 'LRGA')!;
    expect(effectOf(() => db.insert(sessionContributors).values({ sessionId: review.id, role: 'speaker', organisationId: lrga.id, position: 99 }).run()))
      .toEqual({ raised: ['Bilan du travail effectué'], eventRaised: true });

    const withLrga = () => [...new Set(db.select().from(sessionContributors).where(eq(sessionContributors.organisationId, lrga.id)).all()
      .map((c) => db.select().from(sessions).where(eq(sessions.id, c.sessionId)).get()!.title.fr!))].sort();
    expect(effectOf(() => db.update(organisations).set({ name: { fr: 'LRGA (Gauteng)' } }).where(eq(organisations.id, lrga.id)).run()).raised)
      .toEqual(withLrga());

    const output = db.select().from(expectedOutputs).where(eq(expectedOutputs.eventId, forum().id)).get()!;
    const serving = db.select().from(sessionOutputs).where(eq(sessionOutputs.outputId, output.id)).all()
      .map((link) => db.select().from(sessions).where(eq(sessions.id, link.sessionId)).get()!.title.fr!).sort();
    expect(serving.length).toBeGreaterThan(0);
    expect(effectOf(() => db.update(expectedOutputs).set({ statement: { fr: 'Un résultat reformulé.' } }).where(eq(expectedOutputs.id, output.id)).run()).raised)
      .toEqual(serving);
  });

  test('a person renamed, or moved to another organisation, raises the sessions they contribute to', () => {
    // The bundled programmes name organisations only: add a person to two sessions.
    const [cglu, lrga] = ['CGLU', 'LRGA'].map((name) => db.select().from(organisations).all().find((o) => o.name.fr === name && o.eventId === forum().id)!);
    const person = db.insert(people).values({ publicId: crypto.randomUUID(), eventId: forum().id, name: 'Emilia Saiz', organisationId: cglu!.id }).returning().get();
    for (const title of ['Ouverture et bienvenue', 'La voie à suivre ?']) {
      db.insert(sessionContributors).values({ sessionId: session(title).id, role: 'speaker', personId: person.id, position: 10 }).run();
    }
    const theirs = ['La voie à suivre ?', 'Ouverture et bienvenue'];
    expect(effectOf(() => db.update(people).set({ name: 'Emilia Saiz Carrancedo' }).where(eq(people.id, person.id)).run()).raised).toEqual(theirs);
    expect(effectOf(() => db.update(people).set({ organisationId: lrga!.id }).where(eq(people.id, person.id)).run()).raised).toEqual(theirs);
    expect(effectOf(() => db.update(people).set({ bio: { fr: 'Secrétaire générale.' } }).where(eq(people.id, person.id)).run()))
      .toEqual({ raised: [], eventRaised: true });
  });

  test('a part renamed or deleted raises its sessions; the venue changed raises them all', () => {
    const part = db.select().from(parts).where(eq(parts.eventId, forum().id)).all()[1]!;
    const inPart = db.select().from(sessions).where(eq(sessions.partId, part.id)).all().map((s) => s.title.fr!).sort();
    expect(effectOf(() => db.update(parts).set({ label: { fr: 'Partie 2' } }).where(eq(parts.id, part.id)).run()).raised).toEqual(inPart);
    // ON DELETE SET NULL is an update of the sessions, and raises them too.
    expect(effectOf(() => db.delete(parts).where(eq(parts.id, part.id)).run()).raised).toEqual(inPart);
    expect(effectOf(() => db.update(events).set({ city: 'eThekwini' }).where(eq(events.id, forum().id)).run()).raised)
      .toEqual([...revisions().keys()].sort());
  });

  test('the event\'s own title raises the event but no session; other events are untouched', () => {
    const seminar = db.select().from(events).where(sql`${events.slug} <> ${FORUM_2019}`).get()!;
    expect(effectOf(() => db.update(events).set({ title: { fr: 'Forum 2019' } }).where(eq(events.id, forum().id)).run()))
      .toEqual({ raised: [], eventRaised: true });
    expect(db.select().from(events).where(eq(events.id, seminar.id)).get()!.revision).toBe(seminar.revision);
  });
});
