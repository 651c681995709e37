// What a release changed for participants, session by session. Pure functions of two
// assembled programmes: easy to test exhaustively, cheap to run on every preview.
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

export type ReleaseChange =
  | { type: 'new'; session: SessionSummary }
  | { type: 'moved'; session: SessionSummary; before: Placement; fields: ChangedField[] }
  | { type: 'changed'; session: SessionSummary; fields: ChangedField[] }
  | { type: 'cancelled'; session: SessionSummary };

export const CHANGE_TYPES = ['new', 'moved', 'changed', 'cancelled'] as const;

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
    const oldFields = visibleFields(was);
    const newFields = visibleFields(session);
    const fields = CHANGED_FIELDS.filter((f) => !same(oldFields[f], newFields[f]));
    if (!same(whereAndWhen(was), whereAndWhen(session))) {
      changes.push({ type: 'moved', session: summaryOf(session), before: placementOf(was), fields: fields.filter((f) => f !== 'roomName') });
    }
    else if (fields.length > 0) changes.push({ type: 'changed', session: summaryOf(session), fields });
  }
  return changes;
}

/** How many changes of each type: what a release's summary line says. */
export function countChanges(changes: ReleaseChange[]): Record<ReleaseChange['type'], number> {
  const counts = { new: 0, moved: 0, changed: 0, cancelled: 0 };
  for (const change of changes) counts[change.type] += 1;
  return counts;
}
