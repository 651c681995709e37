// What a release changed for participants, session by session, and the parts and outputs
// renamed. Pure functions of two assembled programmes: easy to test exhaustively, cheap to run
// on every preview.
import type { LocalizedText } from '../../db/schema.ts';
import type { Programme, ProgrammeSession } from '../programme/assemble.ts';
import { SESSION_VISIBLE, type VisibleField } from '../programme/resources/session.ts';

/** Where and when a session takes place; instants as ISO strings in UTC. */
export interface Placement {
  start: string | null;
  end: string | null;
  room: { id: string; name: LocalizedText } | null;
}

export interface SessionSummary extends Placement {
  id: string;
  title: LocalizedText;
}

/** What participants see of a session, apart from its time and room: the session's visible fields, and the name of its room. */
export const CHANGED_FIELDS = [...(Object.keys(SESSION_VISIBLE) as VisibleField[]), 'roomName'] as const;
export type ChangedField = VisibleField | 'roomName';

/** What changed about a session's part and outputs, beyond naming the field (absent in releases made before it was recorded). */
export interface ChangeDetails {
  /** The part's label before and after (null: no part). */
  part?: { before: LocalizedText | null; after: LocalizedText | null };
  /** The expected outputs the session serves now and no longer, by public id. */
  outputs?: { added: string[]; removed: string[] };
}

export type ReleaseChange =
  | { type: 'new'; session: SessionSummary }
  | { type: 'moved'; session: SessionSummary; before: Placement; fields: ChangedField[]; details?: ChangeDetails }
  | { type: 'changed'; session: SessionSummary; fields: ChangedField[]; details?: ChangeDetails }
  | { type: 'cancelled'; session: SessionSummary };

export const CHANGE_TYPES = ['new', 'moved', 'changed', 'cancelled'] as const;

/**
 * A part renamed or an expected output reworded: told once, instead of as a change of every
 * session that shows it. Stored in a release's changes beside the sessions' (see splitChanges).
 */
export type ItemEdit =
  | { type: 'renamed'; kind: 'part'; id: string; before: { label: LocalizedText; title: LocalizedText }; after: { label: LocalizedText; title: LocalizedText } }
  | { type: 'renamed'; kind: 'output'; id: string; before: { statement: LocalizedText }; after: { statement: LocalizedText } };

/** A release's stored changes, read back: the sessions' changes, and the edits of parts and outputs. */
export function splitChanges(stored: unknown[]): { changes: ReleaseChange[]; edits: ItemEdit[] } {
  const all = stored as (ReleaseChange | ItemEdit)[];
  return { changes: all.filter((c): c is ReleaseChange => c.type !== 'renamed'), edits: all.filter((c): c is ItemEdit => c.type === 'renamed') };
}

export function placementOf(s: ProgrammeSession): Placement {
  return {
    start: s.slot?.startsAt.toISOString() ?? null,
    end: s.slot?.endsAt.toISOString() ?? null,
    room: s.room ? { id: s.room.publicId, name: s.room.name } : null,
  };
}

function summaryOf(s: ProgrammeSession): SessionSummary {
  return { id: s.publicId, title: s.row.title, ...placementOf(s) };
}

/** How participants read each visible field: names, not row ids. Typed by the session's descriptor, so none is forgotten. */
const READ: Record<VisibleField, (s: ProgrammeSession) => unknown> = {
  title: (s) => s.row.title,
  subtitle: (s) => s.row.subtitle,
  description: (s) => s.row.description,
  abstract: (s) => s.row.abstract,
  kind: (s) => s.row.kind,
  part: (s) => (s.part ? [s.part.publicId, s.part.label, s.part.title] : null),
  contributors: (s) => s.contributors.map((c) => [c.role, c.person?.publicId ?? null, c.person?.name ?? null, c.organisation?.publicId ?? null, c.organisation?.name ?? null]),
  outputs: (s) => s.outputs.map((o) => [o.publicId, o.statement]),
  status: (s) => s.row.status,
  language: (s) => s.row.language,
  // What participants get: a room's interpretation changed is a change of each session that inherits it.
  interpretation: (s) => s.interpretation,
  links: (s) => s.row.links,
};

function visibleFields(s: ProgrammeSession, only?: 'calendar'): Partial<Record<ChangedField, unknown>> {
  const fields: Partial<Record<ChangedField, unknown>> = {};
  for (const field of Object.keys(SESSION_VISIBLE) as VisibleField[]) {
    if (only === undefined || SESSION_VISIBLE[field] === only) fields[field] = READ[field](s);
  }
  // A renamed room: the session is where it was, but its calendar entry shows another name.
  fields.roomName = s.room?.name ?? null;
  return fields;
}

/** When and in which room: what makes a session "moved" (a room renamed is not a move). */
const whereAndWhen = (s: ProgrammeSession) => [s.slot?.startsAt.getTime() ?? null, s.slot?.endsAt.getTime() ?? null, s.room?.publicId ?? null];

/**
 * Everything a calendar entry of the session shows. When it differs between two releases,
 * the session's SEQUENCE goes up, so that calendar apps take the new version.
 */
export function calendarFingerprint(s: ProgrammeSession): string {
  return JSON.stringify([placementOf(s), visibleFields(s, 'calendar')]);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What a session's changelog entry compares: its visible fields, except that its part and
 * outputs count by which ones they are. A part renamed or an output reworded is an edit of its
 * own (diffItems), not a change of each session that shows it.
 */
function comparedFields(s: ProgrammeSession): Partial<Record<ChangedField, unknown>> {
  return { ...visibleFields(s), part: s.part?.publicId ?? null, outputs: s.outputs.map((o) => o.publicId).sort() };
}

function detailsOf(was: ProgrammeSession, now: ProgrammeSession, fields: ChangedField[]): { details?: ChangeDetails } {
  const details: ChangeDetails = {};
  if (fields.includes('part')) details.part = { before: was.part?.label ?? null, after: now.part?.label ?? null };
  if (fields.includes('outputs')) {
    const before = new Set(was.outputs.map((o) => o.publicId));
    const after = new Set(now.outputs.map((o) => o.publicId));
    details.outputs = { added: [...after].filter((id) => !before.has(id)), removed: [...before].filter((id) => !after.has(id)) };
  }
  return Object.keys(details).length > 0 ? { details } : {};
}

/** The parts renamed (label or title) and the outputs reworded from one release to the next, in the new programme's order. */
export function diffItems(previous: Programme | null, next: Programme): ItemEdit[] {
  if (!previous) return [];
  const edits: ItemEdit[] = [];
  const parts = new Map(previous.parts.map((p) => [p.publicId, p]));
  for (const part of next.parts) {
    const was = parts.get(part.publicId);
    if (was && (!same(was.label, part.label) || !same(was.title, part.title))) {
      edits.push({ type: 'renamed', kind: 'part', id: part.publicId, before: { label: was.label, title: was.title }, after: { label: part.label, title: part.title } });
    }
  }
  const outputs = new Map(previous.outputs.map((o) => [o.publicId, o]));
  for (const output of next.outputs) {
    const was = outputs.get(output.publicId);
    if (was && !same(was.statement, output.statement)) {
      edits.push({ type: 'renamed', kind: 'output', id: output.publicId, before: { statement: was.statement }, after: { statement: output.statement } });
    }
  }
  return edits;
}

/**
 * The changes from one release to the next, in the order of the new programme (time, then
 * room). A first release has every session new. A session both moved and otherwise changed
 * is listed once, as moved, with the other fields named.
 */
export function diffReleases(previous: Programme | null, next: Programme): ReleaseChange[] {
  const before = new Map((previous?.sessions ?? []).map((s) => [s.publicId, s]));
  const changes: ReleaseChange[] = [];
  for (const session of next.sessions) {
    const was = before.get(session.publicId);
    if (!was) {
      if (session.row.status !== 'cancelled') changes.push({ type: 'new', session: summaryOf(session) });
      continue;
    }
    if (was.row.status !== 'cancelled' && session.row.status === 'cancelled') {
      changes.push({ type: 'cancelled', session: summaryOf(session) });
      continue;
    }
    const oldFields = comparedFields(was);
    const newFields = comparedFields(session);
    const fields = CHANGED_FIELDS.filter((f) => !same(oldFields[f], newFields[f]));
    if (!same(whereAndWhen(was), whereAndWhen(session))) {
      const moved = fields.filter((f) => f !== 'roomName');
      changes.push({ type: 'moved', session: summaryOf(session), before: placementOf(was), fields: moved, ...detailsOf(was, session, moved) });
    }
    else if (fields.length > 0) changes.push({ type: 'changed', session: summaryOf(session), fields, ...detailsOf(was, session, fields) });
  }
  return changes;
}

/** How many changes of each type: what a release's summary line says. */
export function countChanges(changes: ReleaseChange[]): Record<ReleaseChange['type'], number> {
  const counts = { new: 0, moved: 0, changed: 0, cancelled: 0 };
  for (const change of changes) counts[change.type] += 1;
  return counts;
}
