// Participants' feedback on the sessions they attended: a rating (1–5), "useful for my work"
// yes or no, and a comment that organisers moderate before anyone else reads it. No account:
// one answer per browser and session, known by a hash of the browser's own token (a cookie,
// or its personal agenda's); a second answer from the same browser replaces the first.
import type { Db } from '../../db/client.ts';
import { GenerationMemo } from '../../db/generation.ts';
import { perDatabaseValue } from '../../cache.ts';
import type { CommentState, SessionKind } from '../../db/schema.ts';
import { ConflictError, NotFoundError, StaleVersionError } from '../../errors.ts';
import { hashToken } from '../../secret-tokens.ts';
import type { Actor } from '../audit/service.ts';
import { recordWrite } from '../audit/service.ts';
import type { Programme, ProgrammeSession } from '../programme/assemble.ts';
import type { EventRow, OutputRow, PartRow } from '../programme/repository.ts';
import {
  findFeedback, findFeedbackOfBrowser, findFeedbackWord, insertFeedback, listFeedbackOfEvent, updateCommentState, updateFeedbackAnswer,
  type FeedbackRow,
} from './repository.ts';

export type { FeedbackRow };

export const FEEDBACK_LIMITS = {
  /** Characters of a comment. */
  comment: 2000,
  /**
   * Answers per client address in a window. Generous, because a whole forum may share the
   * venue's one public address; enough to stop a script from stuffing the figures.
   */
  answersPerWindow: 20,
  windowMinutes: 10,
} as const;

// ---- Who may answer, and when

/** Breaks and registration desks are not sessions anyone rates. */
const NOT_ATTENDED: readonly SessionKind[] = ['break', 'registration'];

export type FeedbackOpening = 'open' | 'not-ended' | 'cancelled' | 'not-attended';

/**
 * Whether a session of the released programme takes answers now: once its slot has ended and
 * unless it is cancelled. A session without a time never ends; breaks and registration desks
 * are never asked about.
 */
export function feedbackOpening(session: ProgrammeSession, now: Date): FeedbackOpening {
  if (NOT_ATTENDED.includes(session.row.kind)) return 'not-attended';
  if (session.row.status === 'cancelled') return 'cancelled';
  if (!session.slot || session.slot.endsAt.getTime() > now.getTime()) return 'not-ended';
  return 'open';
}

/** Whether the session's page links to the form. */
export function offersFeedback(session: ProgrammeSession, now: Date): boolean {
  return feedbackOpening(session, now) === 'open';
}

/** How a browser is known: by its feedback cookie, or by its personal agenda's token. Never the token itself. */
export function browserHashOf(kind: 'cookie' | 'agenda', token: string): string {
  return kind === 'cookie' ? hashToken(token) : hashToken(`agenda:${token}`);
}

// ---- Answers

export interface FeedbackAnswer {
  rating: number;
  useful: boolean | null;
  comment: string | null;
}

export interface GiveFeedback {
  db: Db;
  event: EventRow;
  session: ProgrammeSession;
  browserHash: string;
  now: Date;
}

/** This browser's answer about the session, or null. */
export function findOwnAnswer(db: Db, session: ProgrammeSession, browserHash: string | null): FeedbackRow | null {
  return browserHash === null ? null : findFeedbackOfBrowser(db, session.row.id, browserHash);
}

/**
 * Records a browser's answer, or replaces the one it gave before, in one transaction. A new or
 * changed comment waits for an organiser again (the database sees to it, migrations/0011).
 */
export function giveFeedback(ctx: GiveFeedback, answer: FeedbackAnswer): { row: FeedbackRow; created: boolean } {
  const opening = feedbackOpening(ctx.session, ctx.now);
  if (opening === 'not-attended') throw new ConflictError(`Session ${ctx.session.publicId} is a ${ctx.session.row.kind}: it takes no feedback`, 'conflict');
  if (opening === 'cancelled') throw new ConflictError(`Session ${ctx.session.publicId} was cancelled: it takes no feedback`, 'conflict');
  if (opening === 'not-ended') throw new ConflictError(`Session ${ctx.session.publicId} has not ended yet: its feedback opens when it ends`, 'conflict');
  // Cut by characters, never inside one: a lone half of a surrogate pair is not text.
  const comment = answer.comment === null ? null : Array.from(answer.comment.trim()).slice(0, FEEDBACK_LIMITS.comment).join('');
  const text = comment === '' ? null : comment;
  const values = { rating: answer.rating, useful: answer.useful, comment: text, updatedAt: ctx.now };
  return ctx.db.transaction(() => {
    const existing = findFeedbackOfBrowser(ctx.db, ctx.session.row.id, ctx.browserHash);
    // The state the database would force anyway, written with the comment: one version per change.
    if (existing) {
      const state = text === existing.comment ? existing.commentState : text === null ? null : 'pending';
      return { row: updateFeedbackAnswer(ctx.db, existing.id, { ...values, commentState: state }), created: false };
    }
    return {
      row: insertFeedback(ctx.db, {
        ...values, commentState: text === null ? null : 'pending', eventId: ctx.event.id, sessionId: ctx.session.row.id, browserHash: ctx.browserHash, createdAt: ctx.now,
      }),
      created: true,
    };
  });
}

// ---- Moderation

export interface ModerationContext {
  db: Db;
  event: EventRow;
  actor: Actor;
  now: Date;
}

/**
 * An organiser approves a comment (then everyone reads it), hides it, or sets it back to
 * pending; audited, in one transaction. `versions`, when given, are those the organiser read
 * (If-Match): a comment changed since is refused, so nobody approves words they have not read.
 */
export function moderateComment(ctx: ModerationContext, answerId: number, state: CommentState, versions: number[] | null): FeedbackRow {
  return ctx.db.transaction(() => {
    const row = findFeedback(ctx.db, ctx.event.id, answerId);
    if (!row) throw new NotFoundError('answer', String(answerId));
    if (versions !== null && !versions.includes(row.version)) throw new StaleVersionError('answer', { ...answerOut(row, true), version: row.version });
    if (row.comment === null) throw new ConflictError(`Answer ${answerId} has no comment to moderate`, 'conflict');
    if (row.commentState === state) return row;
    const after = updateCommentState(ctx.db, row.id, state);
    recordWrite(ctx.db, {
      eventId: ctx.event.id, actor: ctx.actor, at: ctx.now, action: 'update', entity: 'feedback', entityId: String(row.id),
      before: { commentState: row.commentState }, after: { commentState: after.commentState },
    });
    return after;
  });
}

// ---- Figures

export interface FeedbackFigures {
  answers: number;
  /** How many answers gave each rating, 1 to 5. */
  ratings: [number, number, number, number, number];
  /** The mean rating to one decimal, or null without answers. */
  mean: number | null;
  useful: { yes: number; no: number };
  /** Of those who said, the share who found it useful (0 to 1, two decimals), or null. */
  usefulShare: number | null;
}

/** The figures of a set of answers. Pure. */
export function figuresOf(answers: readonly Pick<FeedbackRow, 'rating' | 'useful'>[]): FeedbackFigures {
  const ratings: FeedbackFigures['ratings'] = [0, 0, 0, 0, 0];
  let sum = 0;
  let yes = 0;
  let no = 0;
  for (const a of answers) {
    ratings[a.rating - 1]! += 1;
    sum += a.rating;
    if (a.useful === true) yes += 1;
    else if (a.useful === false) no += 1;
  }
  return {
    answers: answers.length,
    ratings,
    mean: answers.length === 0 ? null : Math.round((sum / answers.length) * 10) / 10,
    useful: { yes, no },
    usefulShare: yes + no === 0 ? null : Math.round((yes / (yes + no)) * 100) / 100,
  };
}

export interface FeedbackComment {
  id: number;
  text: string;
  state: CommentState;
  at: Date;
  version: number;
}

export interface SessionFeedback {
  session: ProgrammeSession;
  figures: FeedbackFigures;
  /** Approved comments only, unless the reader moderates them. */
  comments: FeedbackComment[];
}

export interface EventFeedback {
  /** Sessions of the released programme with at least one answer, in its order. */
  sessions: SessionFeedback[];
  /** Parts in order, then the sessions of no part; only groups with answers. */
  parts: { part: PartRow | null; figures: FeedbackFigures }[];
  /** The expected outputs in order, each with the answers about the sessions that serve it. */
  outputs: { output: OutputRow; figures: FeedbackFigures }[];
  total: FeedbackFigures;
}

/** The feedback of an event's released programme, grouped. Pure: the programme and its answers in. */
export function groupFeedback(programme: Programme, rows: readonly FeedbackRow[], options: { moderator: boolean }): EventFeedback {
  const bySession = new Map<number, FeedbackRow[]>();
  for (const row of rows) bySession.set(row.sessionId, [...(bySession.get(row.sessionId) ?? []), row]);
  const answered = programme.sessions.filter((s) => bySession.has(s.row.id));
  const sessions = answered.map((session) => {
    const own = bySession.get(session.row.id)!;
    return {
      session,
      figures: figuresOf(own),
      comments: own.filter((r) => r.comment !== null && r.commentState !== null && (options.moderator || r.commentState === 'approved'))
        .map((r) => ({ id: r.id, text: r.comment!, state: r.commentState!, at: r.updatedAt, version: r.version })),
    };
  });
  const rowsOf = (list: ProgrammeSession[]) => list.flatMap((s) => bySession.get(s.row.id) ?? []);
  const parts = [...[...programme.parts].sort((a, b) => a.position - b.position), null]
    .map((part) => ({ part, figures: figuresOf(rowsOf(answered.filter((s) => (s.part?.id ?? null) === (part?.id ?? null)))) }))
    .filter((g) => g.figures.answers > 0);
  const outputs = [...programme.outputs].sort((a, b) => a.position - b.position)
    .map((output) => ({ output, figures: figuresOf(rowsOf(answered.filter((s) => s.outputs.some((o) => o.id === output.id)))) }));
  return { sessions, parts, outputs, total: figuresOf(rowsOf(answered)) };
}

/** The feedback of the released programme: approved comments only, unless the reader moderates. */
export function getFeedback(db: Db, programme: Programme, options: { moderator: boolean }): EventFeedback {
  return groupFeedback(programme, listFeedbackOfEvent(db, programme.event.id), options);
}

/** The figures of each session of the programme that has answers, by session row id (sessions.csv). */
export function figuresBySession(db: Db, programme: Programme): Map<number, FeedbackFigures> {
  return new Map(getFeedback(db, programme, { moderator: false }).sessions.map((s) => [s.session.row.id, s.figures]));
}

const feedbackWords = perDatabaseValue((db: Db) => new GenerationMemo<string, { word: string; updatedAt: Date | null }>(db));

/**
 * A word that changes whenever an answer of the event is given, changed or moderated, and
 * when the latest one was: asked of the database once until anything in it changes.
 */
export function feedbackStateOf(db: Db, slug: string): { word: string; updatedAt: Date | null } {
  return feedbackWords(db).get(slug, () => findFeedbackWord(db, slug));
}

// ---- The API's representation

/** An answer's comment as the API shows it: its state and version to moderators only. */
export function answerOut(row: Pick<FeedbackRow, 'id' | 'comment' | 'commentState' | 'updatedAt' | 'version'>, moderator: boolean) {
  return {
    id: row.id,
    comment: row.comment,
    at: row.updatedAt.toISOString(),
    ...(moderator ? { state: row.commentState, version: row.version } : {}),
  };
}
