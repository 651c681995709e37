// The consolidated report, as data: for each expected output the recommendations that serve
// it, then each part's sessions with their published conclusions, the follow-up actions, and
// what is still missing. Pure: the programme as released and the published conclusions in.
import type { ConclusionContent, ConclusionState, FollowUpStatus, Language, SessionKind } from '../../db/schema.ts';
import { itemId } from './follow-up.ts';
import type { OutputRow, PartRow } from '../programme/repository.ts';
import type { Programme, ProgrammeSession } from '../programme/assemble.ts';

/** Published conclusions of a session (see repository.ts). */
export interface PublishedConclusions {
  sessionId: number;
  revision: number;
  publishedAt: Date;
  content: ConclusionContent;
}

export interface ReportRecommendation {
  text: string;
  language: Language;
  session: ProgrammeSession;
  /** The outputs it serves that the released programme has, in their order. */
  outputs: OutputRow[];
  /** Its item on the follow-up page ("<session>-r1") and where it stands. */
  followUp: ReportFollowUpState;
}

export interface ReportFollowUpState {
  id: string;
  status: FollowUpStatus;
}

export interface ReportSession {
  session: ProgrammeSession;
  conclusions: PublishedConclusions;
}

export interface ReportFollowUp {
  action: string;
  owner: string;
  due: string | null;
  language: Language;
  session: ProgrammeSession;
  followUp: ReportFollowUpState;
}

export interface Report {
  /** When the latest of the conclusions in the report was published. */
  publishedUpTo: Date | null;
  outputs: { output: OutputRow; recommendations: ReportRecommendation[] }[];
  /** Recommendations that name no output of the released programme. */
  otherRecommendations: ReportRecommendation[];
  /** Parts in order, then the sessions that belong to none; only sessions with conclusions. */
  parts: { part: PartRow | null; sessions: ReportSession[] }[];
  /** By due date, undated last. */
  followUps: ReportFollowUp[];
  coverage: {
    outputsWithout: OutputRow[];
    /** Sessions expected to report, with where their conclusions stand. */
    sessionsWithout: { session: ProgrammeSession; state: ConclusionState | 'none' }[];
  };
}

/**
 * Published conclusions as the public reads them: ties to expected outputs that the released
 * programme does not have are dropped. An output created since the latest release is not
 * public yet, nor is its id; a recommendation tied only to such outputs reads as tied to none.
 */
export function publicContent(content: ConclusionContent, released: ReadonlySet<string>): ConclusionContent {
  if (content.recommendations.every((r) => r.outputs.every((id) => released.has(id)))) return content;
  return { ...content, recommendations: content.recommendations.map((r) => ({ ...r, outputs: r.outputs.filter((id) => released.has(id)) })) };
}

/** Breaks and registration desks have nothing to conclude. */
const NOT_REPORTING: readonly SessionKind[] = ['break', 'registration'];

export function expectsConclusions(session: ProgrammeSession): boolean {
  return !NOT_REPORTING.includes(session.row.kind) && session.row.status !== 'cancelled';
}

/**
 * @param states where the conclusions of each session stand (by session id), for the coverage
 *   panel; sessions absent have none.
 * @param statuses where the follow-up of each item stands, by "<session row id>/<kind>/<position>"
 *   (follow-up.ts); items absent are still proposed.
 */
export function buildReport(programme: Programme, published: PublishedConclusions[], states: Map<number, ConclusionState> = new Map(), statuses: Map<string, FollowUpStatus> = new Map()): Report {
  const followUpOf = (session: ProgrammeSession, kind: 'recommendation' | 'action', position: number): ReportFollowUpState => ({
    id: itemId(session.publicId, kind, position), status: statuses.get(`${session.row.id}/${kind}/${position}`) ?? 'proposed',
  });
  const released = new Set(programme.outputs.map((o) => o.publicId));
  const bySession = new Map(published.map((p) => [p.sessionId, { ...p, content: publicContent(p.content, released) }]));
  // The programme's order: sessions in time order, and only those released.
  const reported = programme.sessions.filter((s) => bySession.has(s.row.id)).map((session) => ({ session, conclusions: bySession.get(session.row.id)! }));
  const outputsByPublicId = new Map(programme.outputs.map((o) => [o.publicId, o]));
  const outputs = [...programme.outputs].sort((a, b) => a.position - b.position);

  const recommendations: ReportRecommendation[] = reported.flatMap(({ session, conclusions }) => conclusions.content.recommendations.map((r, position) => ({
    text: r.text,
    followUp: followUpOf(session, 'recommendation', position),
    language: conclusions.content.language,
    session,
    outputs: r.outputs.map((id) => outputsByPublicId.get(id)).filter((o): o is OutputRow => o !== undefined).sort((a, b) => a.position - b.position),
  })));

  const parts = [...programme.parts].sort((a, b) => a.position - b.position);
  const partGroups: Report['parts'] = [...parts, null]
    .map((part) => ({ part, sessions: reported.filter(({ session }) => (session.part?.id ?? null) === (part?.id ?? null)) }))
    .filter((group) => group.sessions.length > 0);

  const order = new Map(programme.sessions.map((s, index) => [s.row.id, index]));
  const followUps: ReportFollowUp[] = reported.flatMap(({ session, conclusions }) => conclusions.content.followUps.map((f, position) => ({
    ...f, language: conclusions.content.language, session, followUp: followUpOf(session, 'action', position),
  })));
  const byDue = (a: ReportFollowUp, b: ReportFollowUp) => (a.due === b.due ? 0 : a.due === null ? 1 : b.due === null ? -1 : a.due.localeCompare(b.due));
  followUps.sort((a, b) => byDue(a, b) || order.get(a.session.row.id)! - order.get(b.session.row.id)!);

  const outputGroups = outputs.map((output) => ({ output, recommendations: recommendations.filter((r) => r.outputs.includes(output)) }));
  const latest = published.filter((p) => order.has(p.sessionId)).reduce<Date | null>((max, p) => (max === null || p.publishedAt > max ? p.publishedAt : max), null);
  return {
    publishedUpTo: latest,
    outputs: outputGroups,
    otherRecommendations: recommendations.filter((r) => r.outputs.length === 0),
    parts: partGroups,
    followUps,
    coverage: {
      outputsWithout: outputGroups.filter((g) => g.recommendations.length === 0).map((g) => g.output),
      sessionsWithout: programme.sessions
        .filter((s) => expectsConclusions(s) && !bySession.has(s.row.id))
        .map((session) => ({ session, state: states.get(session.row.id) ?? 'none' })),
    },
  };
}
