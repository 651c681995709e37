// The feedback domain (domains/participants/feedback.ts) on the real database: when a session
// takes answers, one answer per browser and session (a second one replaces it), the comment's
// state as the database keeps it (a new or changed comment waits again), moderation audited and
// refused when stale, the figures and their groups exact, and a session with answers "in use".
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditLog, sessionFeedback } from '../../../server/db/schema.ts';
import {
  browserHashOf, feedbackOpening, feedbackStateOf, figuresOf, getFeedback, giveFeedback, moderateComment, type GiveFeedback,
} from '../../../server/domains/participants/feedback.ts';
import { programmeOf, type Programme, type ProgrammeSession } from '../../../server/domains/programme/assemble.ts';
import { sessionsWithConclusions } from '../../../server/domains/programme/items.ts';
import { findEventBySlug, type EventRow } from '../../../server/domains/programme/repository.ts';
import { ConflictError, NotFoundError, StaleVersionError } from '../../../server/errors.ts';
import { buildTestApp, FORUM_2019, type TestApp } from '../../helpers/app.ts';

let t: TestApp;
let programme: Programme;
let event: EventRow;
const AFTER = new Date('2019-11-13T12:00:00.000Z');
const ACTOR = { id: null, name: 'Olga Organiser' };

beforeAll(async () => {
  t = await buildTestApp();
  event = findEventBySlug(t.app.db, FORUM_2019)!;
  programme = programmeOf(t.app.db, event);
});
afterAll(async () => { await t.close(); });

const session = (fr: string): ProgrammeSession => programme.sessions.find((s) => s.row.title.fr === fr)!;
const ctx = (title: string, browser: string, now = AFTER): GiveFeedback => ({ db: t.app.db, event, session: session(title), browserHash: browserHashOf('cookie', browser), now });
const rows = () => t.app.db.select().from(sessionFeedback).all().map((r) => ({ id: r.id, rating: r.rating, useful: r.useful, comment: r.comment, state: r.commentState, version: r.version }));

describe('feedback', () => {
  test('figures: counts per rating, the mean to one decimal, the useful share of those who said', () => {
    expect(figuresOf([])).toEqual({ answers: 0, ratings: [0, 0, 0, 0, 0], mean: null, useful: { yes: 0, no: 0 }, usefulShare: null });
    expect(figuresOf([{ rating: 5, useful: true }, { rating: 4, useful: true }, { rating: 4, useful: false }, { rating: 1, useful: null }])).toEqual({
      answers: 4, ratings: [1, 0, 0, 2, 1], mean: 3.5, useful: { yes: 2, no: 1 }, usefulShare: 0.67,
    });
    expect(figuresOf([{ rating: 2, useful: null }, { rating: 2, useful: null }, { rating: 3, useful: null }]).mean).toBe(2.3);
  });

  test('a session takes answers once its slot has ended, unless cancelled; breaks and the arrival desk never', () => {
    const opening = session('Ouverture et bienvenue'); // ends 07:20 UTC
    expect(feedbackOpening(opening, new Date('2019-11-12T07:19:59.999Z'))).toBe('not-ended');
    expect(feedbackOpening(opening, new Date('2019-11-12T07:20:00.000Z'))).toBe('open');
    expect(feedbackOpening({ ...opening, row: { ...opening.row, status: 'cancelled' } }, AFTER)).toBe('cancelled');
    expect(feedbackOpening(session('Déjeuner'), AFTER)).toBe('not-attended');
    expect(feedbackOpening(session('Arrivée des participants'), AFTER)).toBe('not-attended');
    expect(() => giveFeedback(ctx('Ouverture et bienvenue', 'early', new Date('2019-11-12T07:00:00.000Z')), { rating: 3, useful: null, comment: null })).toThrow(ConflictError);
    expect(() => giveFeedback(ctx('Déjeuner', 'lunch'), { rating: 3, useful: null, comment: null })).toThrow(ConflictError);
    expect(rows()).toEqual([]);
  });

  test('one answer per browser and session: a second replaces it, another browser adds one; a changed comment waits again', () => {
    const first = giveFeedback(ctx('Ouverture et bienvenue', 'browser-a'), { rating: 4, useful: true, comment: '  Très bien  ' });
    expect(first.created).toBe(true);
    expect(rows()).toEqual([{ id: first.row.id, rating: 4, useful: true, comment: 'Très bien', state: 'pending', version: 1 }]);
    moderateComment({ db: t.app.db, event, actor: ACTOR, now: AFTER }, first.row.id, 'approved', [1]);
    // The rating changes, the comment does not: it stays approved.
    const second = giveFeedback(ctx('Ouverture et bienvenue', 'browser-a'), { rating: 2, useful: false, comment: 'Très bien' });
    expect(second.created).toBe(false);
    expect(rows()).toEqual([{ id: first.row.id, rating: 2, useful: false, comment: 'Très bien', state: 'approved', version: 3 }]);
    // The comment changes: it waits for an organiser again, whatever it was.
    giveFeedback(ctx('Ouverture et bienvenue', 'browser-a'), { rating: 2, useful: false, comment: 'Finalement moyen' });
    expect(rows()).toEqual([{ id: first.row.id, rating: 2, useful: false, comment: 'Finalement moyen', state: 'pending', version: 4 }]);
    // No comment, no state.
    giveFeedback(ctx('Ouverture et bienvenue', 'browser-a'), { rating: 2, useful: false, comment: '   ' });
    expect(rows()).toEqual([{ id: first.row.id, rating: 2, useful: false, comment: null, state: null, version: 5 }]);
    // Another browser, another session: answers of their own.
    giveFeedback(ctx('Ouverture et bienvenue', 'browser-b'), { rating: 5, useful: null, comment: 'Parfait' });
    giveFeedback(ctx('Bilan du travail effectué', 'browser-a'), { rating: 3, useful: true, comment: null });
    expect(rows().map((r) => r.rating)).toEqual([2, 5, 3]);
  });

  test('moderation: audited in the log, nothing written when the state is already that one, refused when stale or without a comment', () => {
    const [, withComment, without] = t.app.db.select().from(sessionFeedback).all();
    const before = t.app.db.select().from(auditLog).all().length;
    const moderation = { db: t.app.db, event, actor: ACTOR, now: AFTER };
    expect(() => moderateComment(moderation, withComment!.id, 'approved', [withComment!.version + 1])).toThrow(StaleVersionError);
    const approved = moderateComment(moderation, withComment!.id, 'approved', [withComment!.version]);
    expect(approved.commentState).toBe('approved');
    expect(moderateComment(moderation, withComment!.id, 'approved', null).version).toBe(approved.version);
    moderateComment(moderation, withComment!.id, 'hidden', null);
    const entries = t.app.db.select().from(auditLog).all().slice(before);
    expect(entries.map((e) => ({ entity: e.entity, entityId: e.entityId, actor: e.actor, action: e.action, before: e.before, after: e.after }))).toEqual([
      { entity: 'feedback', entityId: String(withComment!.id), actor: 'Olga Organiser', action: 'update', before: { commentState: 'pending' }, after: { commentState: 'approved' } },
      { entity: 'feedback', entityId: String(withComment!.id), actor: 'Olga Organiser', action: 'update', before: { commentState: 'approved' }, after: { commentState: 'hidden' } },
    ]);
    expect(() => moderateComment(moderation, without!.id, 'approved', null)).toThrow(ConflictError);
    expect(() => moderateComment(moderation, 999_999, 'approved', null)).toThrow(NotFoundError);
    // A comment is never approved behind the database's back.
    expect(() => t.app.db.update(sessionFeedback).set({ commentState: 'approved' }).where(eq(sessionFeedback.id, without!.id)).run()).toThrow();
  });

  test('the figures by session, part and output; comments approved only unless the reader moderates; the state word moves with each write', () => {
    const [first, second] = t.app.db.select().from(sessionFeedback).all();
    moderateComment({ db: t.app.db, event, actor: ACTOR, now: AFTER }, second!.id, 'approved', null);
    const word = feedbackStateOf(t.app.db, FORUM_2019).word;
    const feedback = getFeedback(t.app.db, programme, { moderator: false });
    expect(feedback.sessions.map((s) => [s.session.row.title.fr, s.figures.answers, s.figures.ratings, s.figures.mean, s.comments.map((c) => c.text)])).toEqual([
      ['Ouverture et bienvenue', 2, [0, 1, 0, 0, 1], 3.5, ['Parfait']],
      ['Bilan du travail effectué', 1, [0, 0, 1, 0, 0], 3, []],
    ]);
    expect(feedback.parts.map((p) => [p.part?.label.fr ?? null, p.figures.answers, p.figures.mean])).toEqual([['Première partie', 2, 3.5], ['Deuxième partie', 1, 3]]);
    expect(feedback.outputs.map((o) => [o.output.position + 1, o.figures.answers])).toEqual([[1, 1], [2, 0], [3, 0], [4, 0]]);
    expect(feedback.total).toEqual({ answers: 3, ratings: [0, 1, 1, 0, 1], mean: 3.3, useful: { yes: 1, no: 1 }, usefulShare: 0.5 });
    giveFeedback(ctx('Ouverture et bienvenue', 'browser-b'), { rating: 4, useful: null, comment: 'Parfait' });
    expect(feedbackStateOf(t.app.db, FORUM_2019).word).not.toBe(word);
    expect(getFeedback(t.app.db, programme, { moderator: true }).sessions[0]!.comments.map((c) => [c.text, c.state])).toEqual([['Parfait', 'approved']]);
    expect(first!.comment).toBeNull();
  });

  test('a session with answers is in use: deleting it would lose them', () => {
    const opening = session('Ouverture et bienvenue');
    const objectives = session('Objectifs et attentes des participants');
    expect(sessionsWithConclusions(t.app.db, [opening.row.id, objectives.row.id])).toEqual([opening.row.id]);
  });
});
