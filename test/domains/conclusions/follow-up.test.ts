// The pure core of the follow-up (follow-up.ts): the status workflow's table, items built from
// published conclusions and follow-up rows (status, owner, due date, overdue, changed wording),
// the page's filters and groups, the stalled outputs of the coverage panel, and the feed's order.
// Programmes come from the bundled 2019 forum, read with programmeOf.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  buildFollowUp, filterFollowUp, groupFollowUp, itemRef, parseItemRef, stalledFollowUp, statusChanges, STATUS_MOVES, type FollowUpInput,
} from '../../../server/domains/conclusions/follow-up.ts';
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from '../../../server/db/schema.ts';
import { findEventBySlug } from '../../../server/domains/programme/repository.ts';
import { programmeOf, type Programme, type ProgrammeSession } from '../../../server/domains/programme/assemble.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';
import { content } from '../../helpers/conclusions.ts';

let t: TestApp;
let programme: Programme;

beforeAll(async () => {
  t = await buildTestApp();
  programme = programmeOf(t.app.db, findEventBySlug(t.app.db, FORUM_2019)!);
});
afterAll(async () => { await t.close(); });

const session = (fr: string): ProgrammeSession => programme.sessions.find((s) => s.row.title.fr === fr)!;
const output = (n: number) => [...programme.outputs].sort((a, b) => a.position - b.position)[n - 1]!;
const PUBLISHED = new Date('2026-03-02T08:00:00.000Z');

function input(overrides: Partial<FollowUpInput> = {}): FollowUpInput {
  const bilan = session('Bilan du travail effectué');
  const ouverture = session('Ouverture et bienvenue');
  return {
    programme,
    published: [
      { conclusionId: 10, sessionId: bilan.row.id, publishedAt: PUBLISHED, content: content({
        recommendations: [{ text: 'R1', outputs: [output(3).publicId, output(1).publicId] }, { text: 'R2', outputs: [] }],
        followUps: [{ action: 'A1', owner: 'Secrétariat', due: '2020-01-15' }],
      }) },
      { conclusionId: 11, sessionId: ouverture.row.id, publishedAt: PUBLISHED, content: content({ recommendations: [{ text: 'O1', outputs: [output(1).publicId] }] }) },
    ],
    rows: [],
    notes: [],
    people: [],
    organisations: [],
    today: '2026-03-05',
    ...overrides,
  };
}

const row = (conclusionId: number, kind: 'recommendation' | 'action', position: number, values: { status: FollowUpStatus; text: string; due?: string | null; id?: number }) => ({
  id: values.id ?? position + 1, eventId: 1, conclusionId, kind, position, text: values.text, status: values.status, ownerPersonId: null, ownerOrganisationId: null,
  due: values.due ?? null, statusChangedAt: new Date('2026-03-04T08:00:00.000Z'), updatedAt: new Date('2026-03-04T08:00:00.000Z'), version: 2,
});

describe('the follow-up workflow and items', () => {
  test('the moves: no status moves to itself; reopening is allowed; every move names a real status', () => {
    for (const from of FOLLOW_UP_STATUSES) {
      expect(STATUS_MOVES[from]).not.toContain(from);
      for (const to of STATUS_MOVES[from]) expect(FOLLOW_UP_STATUSES).toContain(to);
    }
    expect(STATUS_MOVES.done).toEqual(['in-progress']);
    expect(STATUS_MOVES.dropped).toEqual(['proposed', 'adopted']);
    expect([itemRef('recommendation', 0), itemRef('action', 11)]).toEqual(['r1', 'a12']);
    expect([parseItemRef('r1'), parseItemRef('a12'), parseItemRef('x1'), parseItemRef('r0')]).toEqual([
      { kind: 'recommendation', position: 0 }, { kind: 'action', position: 11 }, null, null,
    ]);
  });

  test('with no row, an item is proposed, owned by nobody, and an action is due on its rapporteur\'s date (overdue when past)', () => {
    const items = buildFollowUp(input());
    const bilan = session('Bilan du travail effectué').publicId;
    expect(items.map((i) => [i.id, i.status, i.owner, i.due, i.overdue, i.version, i.proposedOwner])).toEqual([
      [`${session('Ouverture et bienvenue').publicId}-r1`, 'proposed', null, null, false, 0, null],
      [`${bilan}-r1`, 'proposed', null, null, false, 0, null],
      [`${bilan}-r2`, 'proposed', null, null, false, 0, null],
      [`${bilan}-a1`, 'proposed', null, '2020-01-15', true, 0, 'Secrétariat'],
    ]);
    expect(items[1]!.outputs.map((o) => o.position)).toEqual([0, 2]);
  });

  test('a row sets status and due date; done is never overdue; a changed published wording is said', () => {
    const items = buildFollowUp(input({ rows: [row(10, 'action', 0, { status: 'done', text: 'A1' }), row(10, 'recommendation', 0, { status: 'adopted', text: 'R1 as it was', id: 5 })] }));
    const bilan = session('Bilan du travail effectué').publicId;
    const byId = new Map(items.map((i) => [i.id, i]));
    expect([byId.get(`${bilan}-a1`)!.status, byId.get(`${bilan}-a1`)!.due, byId.get(`${bilan}-a1`)!.overdue]).toEqual(['done', null, false]);
    expect([byId.get(`${bilan}-r1`)!.status, byId.get(`${bilan}-r1`)!.textChanged, byId.get(`${bilan}-r2`)!.textChanged]).toEqual(['adopted', true, false]);
  });

  test('groups by output (a recommendation under each of its outputs), untied ones, actions apart; filters by status and output', () => {
    const items = buildFollowUp(input());
    const groups = groupFollowUp(items, programme.outputs);
    expect(groups.outputs.map((g) => [g.output.position + 1, g.items.map((i) => i.text)])).toEqual([[1, ['O1', 'R1']], [2, []], [3, ['R1']], [4, []]]);
    expect([groups.untied.map((i) => i.text), groups.actions.map((i) => i.text)]).toEqual([['R2'], ['A1']]);
    // An action passes an output's filter when its session serves that output.
    const served = new Set(session('Bilan du travail effectué').outputs.map((o) => o.position + 1));
    expect(filterFollowUp(items, { output: output(3).publicId }).map((i) => i.text)).toEqual(served.has(3) ? ['R1', 'A1'] : ['R1']);
    const bilanOutput = session('Bilan du travail effectué').outputs[0];
    if (bilanOutput) expect(filterFollowUp(items, { output: bilanOutput.publicId }).map((i) => i.text)).toContain('A1');
    expect(filterFollowUp(items, { status: 'done' })).toEqual([]);
  });

  test('stalled outputs: every recommendation still proposed N months after publication; actions past due', () => {
    const items = buildFollowUp(input({ rows: [row(11, 'recommendation', 0, { status: 'in-progress', text: 'O1' })] }));
    const june = new Date('2026-06-02T08:00:00.000Z');
    expect(stalledFollowUp(items, programme.outputs, june, 3).outputs.map((g) => g.output.position + 1)).toEqual([3]);
    expect(stalledFollowUp(items, programme.outputs, new Date('2026-06-01T08:00:00.000Z'), 3).outputs).toEqual([]);
    expect(stalledFollowUp(items, programme.outputs, june, 3).overdueActions.map((a) => a.text)).toEqual(['A1']);
  });

  test('the feed\'s entries: status changes only, newest first, the later row first within one instant', () => {
    const at = new Date('2026-03-04T08:00:00.000Z');
    const note = (id: number, itemId: number, when: Date, moved: boolean) => ({
      id, publicId: `00000000-0000-4000-8000-00000000000${id}`, itemId, at: when, statusFrom: moved ? 'proposed' as const : null, statusTo: moved ? 'adopted' as const : null,
      note: null, links: null, userId: null, author: 'Olga',
    });
    const items = buildFollowUp(input({
      rows: [row(10, 'recommendation', 0, { status: 'adopted', text: 'R1', id: 1 }), row(10, 'recommendation', 1, { status: 'adopted', text: 'R2', id: 2 })],
      notes: [note(1, 1, new Date('2026-03-03T08:00:00.000Z'), true), note(2, 2, at, true), note(3, 1, at, true), note(4, 1, new Date('2026-03-05T08:00:00.000Z'), false)],
    }));
    expect(statusChanges(items, 10).map((e) => e.note.seq)).toEqual([3, 2, 1]);
    expect(statusChanges(items, 2).map((e) => e.note.seq)).toEqual([3, 2]);
  });
});
