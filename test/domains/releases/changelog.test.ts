// The pure core of releases (server/domains/releases/changelog.ts and snapshot.ts), on the real rows of
// the bundled 2019 forum: read once from a test app's database, then cloned and edited in
// memory as organisers would edit the working copy, and released in sequence.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalizedText } from '../../../server/db/schema.ts';
import { findEventBySlug, listProgrammeRows, type ProgrammeRows, type SessionRow } from '../../../server/domains/programme/repository.ts';
import { assembleProgramme, type ProgrammeSession } from '../../../server/domains/programme/assemble.ts';
import { calendarFingerprint, countChanges, diffReleases, type ReleaseChange } from '../../../server/domains/releases/changelog.ts';
import { releaseNote } from '../../../server/domains/releases/service.ts';
import { composeRelease, parseSnapshot, publicContent, serializeSnapshot } from '../../../server/domains/releases/snapshot.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';

const PLENARY = { fr: 'Salle plénière', en: 'Plenary room', es: 'Sala plenaria' };
/** The ten sessions of the 2019 forum, in time order, with their local hours. */
const BUNDLED = [
  ['Arrivée des participants', '08:30', '09:00'],
  ['Ouverture et bienvenue', '09:00', '09:20'],
  ['Objectifs et attentes des participants', '09:20', '09:55'],
  ['Bilan du travail effectué', '10:00', '11:00'],
  ["Apprendre d'un exemple : localiser le cadre de Sendai", '11:00', '11:40'],
  ['Evolution des modules et méthodologies', '11:40', '13:00'],
  ['Déjeuner', '13:00', '15:00'],
  ["Composants clés pour nourrir le programme d'apprentissage", '15:00', '16:00'],
  ['Dialogue entre mécanismes : comment assurer la transférabilité ?', '16:00', '17:00'],
  ['La voie à suivre ?', '17:00', '18:00'],
] as const;
const BILAN = 'Bilan du travail effectué';
const OBJECTIFS = 'Objectifs et attentes des participants';
const COMPOSANTS = "Composants clés pour nourrir le programme d'apprentissage";

/** An instant of 12 November 2019 in Durban (UTC+2), as the ISO string in UTC that changes carry. */
const utc = (local: string) => new Date(`2019-11-12T${local}:00+02:00`).toISOString();
const T1 = new Date('2026-01-10T09:00:00.000Z');
const T2 = new Date('2026-01-11T09:00:00.000Z');
const T3 = new Date('2026-01-12T09:00:00.000Z');
const T4 = new Date('2026-01-13T09:00:00.000Z');

/** A deep copy: editing it leaves the rows read from the database as they are (Dates stay Dates). */
const clone = (rows: ProgrammeRows): ProgrammeRows => structuredClone(rows);
/** What is stored and read back: a release's rows go through releases.snapshot. */
const stored = (rows: ProgrammeRows): ProgrammeRows => parseSnapshot(serializeSnapshot(rows));

function session(rows: ProgrammeRows, fr: string): SessionRow {
  const found = rows.sessions.filter((s) => s.title.fr === fr);
  if (found.length !== 1) throw new Error(`${found.length} sessions titled "${fr}"`);
  return found[0]!;
}

function assembled(rows: ProgrammeRows, fr: string): ProgrammeSession {
  return assembleProgramme(rows).sessions.find((s) => s.row.title.fr === fr)!;
}

/** Releases a working copy after a previous release, as the service does: composed, stored, compared. */
function releaseOf(previous: ProgrammeRows | null, working: ProgrammeRows, at: Date) {
  const rows = stored(composeRelease(previous, working, at));
  return { rows, changes: diffReleases(previous ? assembleProgramme(previous) : null, assembleProgramme(rows)) };
}

/** A change in a few words: type, French title, and (for moved and changed) the fields. */
function brief(change: ReleaseChange): unknown[] {
  if (change.type === 'moved' || change.type === 'changed') return [change.type, change.session.title.fr, change.fields];
  return [change.type, change.session.title.fr];
}

describe('changes between releases, on the 2019 forum', () => {
  let t: TestApp;
  /** The working copy as the bundled loader left it. */
  let base: ProgrammeRows;
  /** The first release of it, as stored. */
  let first: ProgrammeRows;
  const plenaryId = () => base.rooms[0]!.publicId;
  const plenary = () => ({ id: plenaryId(), name: PLENARY });

  beforeAll(async () => {
    t = await buildTestApp();
    base = listProgrammeRows(t.app.db, findEventBySlug(t.app.db, FORUM_2019)!);
    first = releaseOf(null, base, T1).rows;
  });
  afterAll(async () => { await t.close(); });

  test('the bundled working copy has the ten sessions these tests rely on, in one room', () => {
    expect(assembleProgramme(base).sessions.map((s) => [s.row.title.fr, s.slot!.startsAt.toISOString(), s.slot!.endsAt.toISOString()]))
      .toEqual(BUNDLED.map(([title, start, end]) => [title, utc(start), utc(end)]));
    expect(base.rooms.map((r) => r.name)).toEqual([PLENARY]);
  });

  test('a snapshot read back equals the rows stored, Dates included', () => {
    expect(stored(base)).toEqual(base);
    expect(stored(base).slots[0]!.startsAt).toBeInstanceOf(Date);
    expect(stored(base).sessions[0]!.updatedAt).toBeInstanceOf(Date);
  });

  test('a first release has every session new, in time order, with its times and room', () => {
    const { changes } = releaseOf(null, base, T1);
    expect(changes).toEqual(assembleProgramme(base).sessions.map((s) => ({
      type: 'new',
      session: { id: s.publicId, title: s.row.title, start: s.slot!.startsAt.toISOString(), end: s.slot!.endsAt.toISOString(), room: plenary() },
    })));
    expect(changes.map((c) => [c.type, c.session.title.fr, c.session.start, c.session.end])).toEqual(
      BUNDLED.map(([title, start, end]) => ['new', title, utc(start), utc(end)]),
    );
    expect(countChanges(changes)).toEqual({ new: 10, moved: 0, changed: 0, cancelled: 0 });
  });

  test('a first release starts every SEQUENCE at 0 and dates every session at the release, whatever the working copy counted', () => {
    const working = clone(base);
    session(working, BILAN).revision = 7;
    const { rows } = releaseOf(null, working, T1);
    expect(rows.sessions.map((s) => [s.title.fr, s.revision, s.updatedAt.toISOString()]))
      .toEqual(base.sessions.map((s) => [s.title.fr, 0, T1.toISOString()]));
  });

  test('the same programme released again changes nothing', () => {
    const { rows, changes } = releaseOf(first, clone(base), T2);
    expect(changes).toEqual([]);
    expect(publicContent(rows)).toBe(publicContent(first));
    expect(rows.sessions.map((s) => [s.revision, s.updatedAt.toISOString()])).toEqual(first.sessions.map(() => [0, T1.toISOString()]));
  });

  test('a session put in another time slot is moved, with its time and room before and after, and no other field', () => {
    const working = clone(base);
    const bilan = session(working, BILAN);
    working.slots.push({ ...working.slots[0]!, id: 1000, publicId: '00000000-0000-4000-8000-000000001000', startsAt: new Date(utc('18:00')), endsAt: new Date(utc('18:45')) });
    bilan.slotId = 1000;
    const { changes } = releaseOf(first, working, T2);
    expect(changes).toEqual([{
      type: 'moved',
      session: { id: bilan.publicId, title: bilan.title, start: utc('18:00'), end: utc('18:45'), room: plenary() },
      before: { start: utc('10:00'), end: utc('11:00'), room: plenary() },
      fields: [],
    }]);
  });

  test('changing the hours of a time slot moves the session in it', () => {
    const working = clone(base);
    const slot = working.slots.find((s) => s.id === session(working, BILAN).slotId)!;
    slot.startsAt = new Date(utc('10:15'));
    slot.endsAt = new Date(utc('11:15'));
    const { changes } = releaseOf(first, working, T2);
    expect(changes.map((c) => c.type === 'moved' ? [c.session.title.fr, c.before.start, c.before.end, c.session.start, c.session.end] : c))
      .toEqual([[BILAN, utc('10:00'), utc('11:00'), utc('10:15'), utc('11:15')]]);
  });

  test('a session put in another room alone is moved, with the room before and after', () => {
    const working = clone(base);
    const salle2 = { ...working.rooms[0]!, id: 1000, publicId: '00000000-0000-4000-8000-000000002000', position: 1, name: { fr: 'Salle 2', en: 'Room 2' } };
    working.rooms.push(salle2);
    const bilan = session(working, BILAN);
    bilan.roomId = 1000;
    const { changes } = releaseOf(first, working, T2);
    expect(changes).toEqual([{
      type: 'moved',
      session: { id: bilan.publicId, title: bilan.title, start: utc('10:00'), end: utc('11:00'), room: { id: salle2.publicId, name: salle2.name } },
      before: { start: utc('10:00'), end: utc('11:00'), room: plenary() },
      fields: [],
    }]);
    // Out of any room: moved, to no room.
    const roomless = clone(base);
    session(roomless, BILAN).roomId = null;
    expect(releaseOf(first, roomless, T2).changes.map((c) => c.type === 'moved' ? [c.type, c.before.room, c.session.room] : c))
      .toEqual([['moved', plenary(), null]]);
  });

  test('a renamed room moves nobody: each of its sessions is `changed` (roomName), and its SEQUENCE rises', () => {
    const working = clone(base);
    working.rooms[0]!.name = { fr: 'Grande salle', en: 'Main hall' };
    const { rows, changes } = releaseOf(first, working, T2);
    expect(changes.map(brief)).toEqual(BUNDLED.map(([title]) => ['changed', title, ['roomName']]));
    for (const s of assembleProgramme(rows).sessions) {
      expect(s.row.revision, s.row.title.fr).toBe(assembled(first, s.row.title.fr!).row.revision + 1);
    }
  });

  describe('a change of what participants read of a session is `changed`, naming exactly the fields changed', () => {
    const edits: [string, (w: ProgrammeRows, s: SessionRow) => void, string[], ((b: ProgrammeRows) => object)?][] = [
      ['title', (_w, s) => { s.title = { ...s.title, fr: 'Bilan des travaux' }; }, ['title']],
      ['title in one other language only', (_w, s) => { s.title = { ...s.title, es: 'Balance' }; }, ['title']],
      ['description', (_w, s) => { s.description = { fr: 'Un nouvel ordre du jour' }; }, ['description']],
      ['kind', (_w, s) => { s.kind = 'panel'; }, ['kind']],
      ['part', (w, s) => { s.partId = w.parts[2]!.id; }, ['part'], (b) => ({ part: { before: b.parts[1]!.label, after: b.parts[2]!.label } })],
      ['contributors: one added', (w, s) => {
        w.contributors.push({ id: 1000, sessionId: s.id, role: 'speaker', personId: null, organisationId: w.organisations[0]!.id, position: 0 });
      }, ['contributors']],
      ['outputs: one removed', (w, s) => { w.sessionOutputs = w.sessionOutputs.filter((o) => o.sessionId !== s.id); }, ['outputs'], (b) => ({
        outputs: { added: [], removed: assembled(b, BILAN).outputs.map((o) => o.publicId) },
      })],
      ['title, description, kind, part, contributors and outputs at once', (w, s) => {
        s.title = { fr: 'Bilan' };
        s.description = { fr: 'Ordre du jour' };
        s.kind = 'workshop';
        s.partId = null;
        w.contributors.push({ id: 1000, sessionId: s.id, role: 'moderator', personId: null, organisationId: w.organisations[0]!.id, position: 0 });
        w.sessionOutputs.push({ sessionId: s.id, outputId: w.outputs.find((o) => !w.sessionOutputs.some((l) => l.sessionId === s.id && l.outputId === o.id))!.id });
      }, ['title', 'description', 'kind', 'part', 'contributors', 'outputs'], (b) => ({
        part: { before: b.parts[1]!.label, after: null },
        outputs: { added: [b.outputs.find((o) => !b.sessionOutputs.some((l) => l.sessionId === session(b, BILAN).id && l.outputId === o.id))!.publicId], removed: [] },
      })],
    ];
    test.each(edits)('%s', (_name, edit, fields, details) => {
      const working = clone(base);
      const bilan = session(working, BILAN);
      edit(working, bilan);
      const { changes } = releaseOf(first, working, T2);
      expect(changes).toEqual([{
        type: 'changed',
        session: { id: bilan.publicId, title: bilan.title, start: utc('10:00'), end: utc('11:00'), room: plenary() },
        fields,
        ...(details ? { details: details(base) } : {}),
      }]);
    });
  });

  test('an organisation renamed changes the contributors of the sessions it presents, and only theirs', () => {
    const working = clone(base);
    const opening = assembled(working, 'Ouverture et bienvenue');
    const cglu = working.organisations.find((o) => o.id === opening.contributors[0]!.organisation!.id)!;
    cglu.name = { ...cglu.name, fr: 'CGLU mondiale' };
    const users = assembleProgramme(working).sessions.filter((s) => s.contributors.some((c) => c.organisation?.id === cglu.id)).map((s) => s.row.title.fr);
    expect(users).toEqual(['Ouverture et bienvenue', "Apprendre d'un exemple : localiser le cadre de Sendai"]);
    expect(releaseOf(first, working, T2).changes.map(brief)).toEqual(users.map((title) => ['changed', title, ['contributors']]));
  });

  test('a session both moved and retitled is listed once, as moved, with fields [title]', () => {
    const working = clone(base);
    const bilan = session(working, BILAN);
    working.slots.find((s) => s.id === bilan.slotId)!.endsAt = new Date(utc('10:45'));
    bilan.title = { ...bilan.title, fr: 'Bilan' };
    const { changes } = releaseOf(first, working, T2);
    expect(changes).toEqual([{
      type: 'moved',
      session: { id: bilan.publicId, title: bilan.title, start: utc('10:00'), end: utc('10:45'), room: plenary() },
      before: { start: utc('10:00'), end: utc('11:00'), room: plenary() },
      fields: ['title'],
    }]);
  });

  test('a cancelled session is `cancelled`, even if it was changed too; restored, it is changed [status]', () => {
    const working = clone(base);
    const bilan = session(working, BILAN);
    bilan.status = 'cancelled';
    bilan.title = { ...bilan.title, fr: 'Bilan (annulé)' };
    const second = releaseOf(first, working, T2);
    expect(second.changes).toEqual([{
      type: 'cancelled',
      session: { id: bilan.publicId, title: bilan.title, start: utc('10:00'), end: utc('11:00'), room: plenary() },
    }]);
    // Cancelled again, or changed while cancelled: nothing new to tell of it as a cancellation.
    const still = clone(working);
    session(still, 'Bilan (annulé)').title = { ...bilan.title, fr: 'Bilan (toujours annulé)' };
    expect(releaseOf(second.rows, still, T3).changes.map(brief)).toEqual([['changed', 'Bilan (toujours annulé)', ['title']]]);

    const restored = clone(working);
    session(restored, 'Bilan (annulé)').status = 'confirmed';
    expect(releaseOf(second.rows, restored, T3).changes.map(brief)).toEqual([['changed', 'Bilan (annulé)', ['status']]]);
  });

  test('several changes are listed in the order of the new programme, each once', () => {
    const working = clone(base);
    session(working, 'La voie à suivre ?').kind = 'panel';
    session(working, 'Déjeuner').status = 'cancelled';
    working.slots.find((s) => s.id === session(working, BILAN).slotId)!.startsAt = new Date(utc('09:55'));
    working.slots.push({ ...working.slots[0]!, id: 1000, publicId: '00000000-0000-4000-8000-000000001000', startsAt: new Date(utc('08:00')), endsAt: new Date(utc('08:30')) });
    working.sessions.push({ ...session(working, OBJECTIFS), id: 1000, publicId: '00000000-0000-4000-8000-000000003000', slotId: 1000, title: { fr: 'Café' }, description: null });
    const { changes } = releaseOf(first, working, T2);
    expect(changes.map(brief)).toEqual([
      ['new', 'Café'],
      ['moved', BILAN, []],
      ['cancelled', 'Déjeuner'],
      ['changed', 'La voie à suivre ?', ['kind']],
    ]);
    expect(countChanges(changes)).toEqual({ new: 1, moved: 1, changed: 1, cancelled: 1 });
  });

  test('a session cancelled before it was ever released is left out of the release and of its changes', () => {
    const working = clone(base);
    working.slots.push({ ...working.slots[0]!, id: 1000, publicId: '00000000-0000-4000-8000-000000001000', startsAt: new Date(utc('18:00')), endsAt: new Date(utc('18:30')) });
    working.sessions.push({ ...session(working, OBJECTIFS), id: 1000, publicId: '00000000-0000-4000-8000-000000003000', slotId: 1000, title: { fr: 'Brouillon annulé' }, status: 'cancelled' });
    const { rows, changes } = releaseOf(first, working, T2);
    expect(rows.sessions.map((s) => s.title.fr)).toEqual(first.sessions.map((s) => s.title.fr));
    expect(changes).toEqual([]);
    expect(publicContent(rows)).toBe(publicContent(first));
    // Nor in a first release.
    const firstWithDraft = releaseOf(null, working, T1);
    expect(firstWithDraft.rows.sessions.map((s) => s.title.fr)).not.toContain('Brouillon annulé');
    expect(firstWithDraft.changes.map((c) => c.session.title.fr)).toEqual(BUNDLED.map(([title]) => title));
  });

  describe('a released session the working copy no longer has', () => {
    let before: ProgrammeRows;
    let working: ProgrammeRows;
    let lost: SessionRow;
    let after: ReturnType<typeof releaseOf>;
    const SALLE_2: LocalizedText = { fr: 'Salle 2', en: 'Room 2' };

    beforeAll(() => {
      // Released with the session in a second room, presented by two organisations.
      const start = clone(base);
      start.rooms.push({ ...start.rooms[0]!, id: 1000, publicId: '00000000-0000-4000-8000-000000002000', position: 1, name: SALLE_2 });
      session(start, COMPOSANTS).roomId = 1000;
      before = releaseOf(first, start, T2).rows;
      lost = session(before, COMPOSANTS);

      // Then deleted with its time slot and its room; one of its organisations deleted too.
      working = clone(start);
      const lrga = assembled(working, COMPOSANTS).contributors[1]!.organisation!;
      working.sessions = working.sessions.filter((s) => s.id !== lost.id);
      working.slots = working.slots.filter((s) => s.id !== lost.slotId);
      working.rooms = working.rooms.filter((r) => r.id !== 1000);
      working.organisations = working.organisations.filter((o) => o.id !== lrga.id);
      working.contributors = working.contributors.filter((c) => c.sessionId !== lost.id && c.organisationId !== lrga.id);
      working.sessionOutputs = working.sessionOutputs.filter((o) => o.sessionId !== lost.id);
      after = releaseOf(before, working, T3);
    });

    test('the release before had it in Salle 2 with two presenting organisations and two outputs', () => {
      const s = assembled(before, COMPOSANTS);
      expect([s.room!.name, s.contributors.map((c) => c.organisation!.name.fr), s.outputs.length]).toEqual([SALLE_2, ['CGLU-Afrique', 'LRGA'], 2]);
    });

    test('stays, cancelled, at its time (its slot row kept), without the deleted room and organisation', () => {
      const s = assembled(after.rows, COMPOSANTS);
      expect({
        status: s.row.status, slotId: s.row.slotId, start: s.slot?.startsAt.toISOString(), end: s.slot?.endsAt.toISOString(),
        room: s.room, roomId: s.row.roomId, part: s.part?.label.fr,
        contributors: s.contributors.map((c) => [c.role, c.organisation?.name.fr]), outputs: s.outputs.map((o) => o.id),
      }).toEqual({
        status: 'cancelled', slotId: lost.slotId, start: utc('15:00'), end: utc('16:00'), room: null, roomId: null, part: 'Troisième partie',
        contributors: [['presenter', 'CGLU-Afrique']], outputs: assembled(before, COMPOSANTS).outputs.map((o) => o.id),
      });
      expect(after.rows.rooms.map((r) => r.name)).toEqual([PLENARY]);
      expect(after.rows.slots.map((s) => s.startsAt.toISOString())).toEqual(BUNDLED.map(([, start]) => utc(start)));
      expect(after.rows.sessions.map((s) => s.id)).toEqual(before.sessions.map((s) => s.id));
    });

    test('is listed as cancelled, at its time, and its SEQUENCE goes up by one', () => {
      expect(after.changes).toEqual([{
        type: 'cancelled',
        session: { id: lost.publicId, title: lost.title, start: utc('15:00'), end: utc('16:00'), room: null },
      }]);
      expect([session(after.rows, COMPOSANTS).revision, session(after.rows, COMPOSANTS).updatedAt]).toEqual([lost.revision + 1, T3]);
    });

    test('stays in every later release, unchanged: releasing the same working copy again publishes nothing new', () => {
      const again = releaseOf(after.rows, clone(working), T4);
      expect(again.changes).toEqual([]);
      expect(publicContent(again.rows)).toBe(publicContent(after.rows));
      expect(again.rows).toEqual(after.rows);
    });
  });

  describe('SEQUENCE (the session\'s revision) and update time follow releases', () => {
    /** [title, revision, updatedAt] of every session of a release. */
    const revisions = (rows: ProgrammeRows) => rows.sessions.map((s) => [s.title.fr, s.revision, s.updatedAt.toISOString()]);

    test('rise by exactly one per release that changed what a calendar shows, however many edits it took, and only for that session', () => {
      // Release 2: Bilan retitled three times (the working copy counts each edit); Objectifs edited and reverted.
      const w2 = clone(base);
      const bilan = session(w2, BILAN);
      bilan.title = { ...bilan.title, fr: 'Bilan' };
      bilan.revision += 3;
      bilan.version += 3;
      const objectifs = session(w2, OBJECTIFS);
      objectifs.revision += 2;
      objectifs.version += 2;
      objectifs.updatedAt = new Date('2026-01-11T08:00:00.000Z');
      const r2 = releaseOf(first, w2, T2);
      expect(r2.changes.map(brief)).toEqual([['changed', 'Bilan', ['title']]]);
      expect(revisions(r2.rows)).toEqual(first.sessions.map((s) => s.title.fr === BILAN ? ['Bilan', 1, T2.toISOString()] : [s.title.fr, 0, T1.toISOString()]));

      // Release 3: Bilan moved and described (two kinds of change): one step more.
      const w3 = clone(w2);
      const bilan3 = session(w3, 'Bilan');
      w3.slots.find((s) => s.id === bilan3.slotId)!.startsAt = new Date(utc('10:10'));
      bilan3.description = { fr: 'Tour de table' };
      bilan3.revision += 2;
      const r3 = releaseOf(r2.rows, w3, T3);
      expect(r3.changes.map(brief)).toEqual([['moved', 'Bilan', ['description']]]);
      expect(revisions(r3.rows)).toEqual(first.sessions.map((s) => s.title.fr === BILAN ? ['Bilan', 2, T3.toISOString()] : [s.title.fr, 0, T1.toISOString()]));

      // Edits reverted before a release: nothing to publish, the SEQUENCE stays.
      const w4 = clone(w3);
      const bilan4 = session(w4, 'Bilan');
      bilan4.revision += 4;
      bilan4.version += 4;
      bilan4.updatedAt = T4;
      const r4 = releaseOf(r3.rows, w4, T4);
      expect(r4.changes).toEqual([]);
      expect(publicContent(r4.rows)).toBe(publicContent(r3.rows));
      expect(revisions(r4.rows)).toEqual(revisions(r3.rows));
    });

    test('a cancellation and a restoration are one step each', () => {
      const cancelled = clone(base);
      session(cancelled, BILAN).status = 'cancelled';
      const r2 = releaseOf(first, cancelled, T2);
      const restored = clone(base);
      const r3 = releaseOf(r2.rows, restored, T3);
      expect([session(r2.rows, BILAN).revision, session(r3.rows, BILAN).revision]).toEqual([1, 2]);
      expect([session(r2.rows, BILAN).updatedAt, session(r3.rows, BILAN).updatedAt]).toEqual([T2, T3]);
    });

    test('a session new in a later release starts at 0, dated at that release', () => {
      const working = clone(base);
      working.slots.push({ ...working.slots[0]!, id: 1000, publicId: '00000000-0000-4000-8000-000000001000', startsAt: new Date(utc('18:00')), endsAt: new Date(utc('18:30')) });
      working.sessions.push({ ...session(working, OBJECTIFS), id: 1000, publicId: '00000000-0000-4000-8000-000000003000', slotId: 1000, title: { fr: 'Café' }, revision: 5 });
      const { rows } = releaseOf(first, working, T2);
      expect([session(rows, 'Café').revision, session(rows, 'Café').updatedAt]).toEqual([0, T2]);
    });
  });

  describe('calendarFingerprint and publicContent', () => {
    test('the fingerprint ignores edit versions, revisions and update times, and follows time, room, title, status', () => {
      const working = clone(base);
      const bilan = session(working, BILAN);
      const original = calendarFingerprint(assembled(base, BILAN));
      Object.assign(bilan, { version: 99, revision: 42, updatedAt: T4 });
      expect(calendarFingerprint(assembled(working, BILAN))).toBe(original);
      const variants: ((w: ProgrammeRows, s: SessionRow) => void)[] = [
        (w, s) => { w.slots.find((x) => x.id === s.slotId)!.endsAt = new Date(utc('10:59')); },
        (w) => { w.rooms[0]!.name = { ...w.rooms[0]!.name, en: 'Main hall' }; },
        (_w, s) => { s.title = { ...s.title, en: 'Review' }; },
        (_w, s) => { s.status = 'cancelled'; },
        (w) => { w.outputs.find((o) => w.sessionOutputs.some((l) => l.sessionId === bilan.id && l.outputId === o.id))!.statement = { fr: 'Autre résultat' }; },
      ];
      for (const change of variants) {
        const edited = clone(working);
        change(edited, session(edited, BILAN));
        expect(calendarFingerprint(assembled(edited, BILAN))).not.toBe(original);
      }
    });

    test('publicContent is the same when only versions, revisions, update times, contributor ids or link order differ', () => {
      const working = clone(base);
      for (const list of [working.parts, working.rooms, working.slots, working.sessions, working.organisations, working.people, working.outputs]) {
        for (const row of list as { version: number }[]) row.version += 3;
      }
      working.event = { ...working.event, version: 8, revision: 99, updatedAt: T4 };
      for (const s of working.sessions) Object.assign(s, { revision: s.revision + 2, updatedAt: T4 });
      working.contributors = working.contributors.map((c) => ({ ...c, id: c.id + 500 }));
      working.sessionOutputs = [...working.sessionOutputs].reverse();
      expect(publicContent(working)).toBe(publicContent(base));

      const retitled = clone(working);
      session(retitled, BILAN).title = { fr: 'Bilan' };
      expect(publicContent(retitled)).not.toBe(publicContent(base));
      // Something no session shows, such as the event's subtitle, is still a change to publish.
      const subtitled = clone(working);
      subtitled.event.subtitle = { fr: 'Durban, Afrique du Sud' };
      expect(publicContent(subtitled)).not.toBe(publicContent(base));
    });
  });
});

describe('release notes', () => {
  test('are trimmed, blank texts dropped, in fr/en/es order; all blank is no note; without the default language, 422 at it', () => {
    expect(releaseNote({ es: '  Nota ', fr: ' Note\n', en: '   ' }, 'fr')).toEqual({ fr: 'Note', es: 'Nota' });
    expect(Object.keys(releaseNote({ es: 'Nota', en: 'Note', fr: 'Note' }, 'fr')!)).toEqual(['fr', 'en', 'es']);
    expect(releaseNote({ fr: ' ', en: '' }, 'fr')).toBeNull();
    expect(releaseNote(null, 'fr')).toBeNull();
    expect(() => releaseNote({ en: 'Only English' }, 'fr')).toThrow(expect.objectContaining({
      statusCode: 422,
      errors: [{ pointer: '#/note/fr', code: 'default-language', params: { language: 'fr' } }],
      extensions: { errors: [{ pointer: '#/note/fr', detail: "is required: fr is the event's default language" }] },
    }));
    expect(releaseNote({ en: 'Only English' }, 'en')).toEqual({ en: 'Only English' });
  });
});
