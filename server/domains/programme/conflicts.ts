// Clashes in a programme, for organisers: pure functions of an assembled programme.
// They are warnings, not refusals: a programme is often inconsistent while being built.
import { toZonedIso } from '../../time.ts';
import { eventWindow, spanFits } from './bounds.ts';
import type { Programme, ProgrammeSession } from './assemble.ts';
import type { Language, LocalizedText } from '../../db/schema.ts';

export type ConflictType = 'contributor-double-booked' | 'room-double-booked' | 'slot-outside-event' | 'session-outside-part';

export interface Conflict {
  type: ConflictType;
  message: string;
  sessions: { id: string; title: LocalizedText }[];
  contributor?: { kind: 'person' | 'organisation'; id: string; name: string };
  room?: { id: string; name: LocalizedText };
  slot?: { id: string; start: string; end: string };
  part?: { id: string; label: LocalizedText };
}

/** A stable identity for a conflict, to tell which ones a write has just caused. */
export function conflictKey(conflict: Conflict): string {
  const subject = conflict.contributor?.id ?? conflict.room?.id ?? conflict.slot?.id ?? conflict.part?.id ?? '';
  return [conflict.type, subject, ...conflict.sessions.map((s) => s.id).sort()].join('|');
}


function overlaps(a: ProgrammeSession, b: ProgrammeSession): boolean {
  return a.slot!.startsAt.getTime() < b.slot!.endsAt.getTime() && b.slot!.startsAt.getTime() < a.slot!.endsAt.getTime();
}

/** Each pair of overlapping sessions in a group, once, in time order. */
function overlappingPairs(group: ProgrammeSession[]): [ProgrammeSession, ProgrammeSession][] {
  const sorted = [...group].sort((a, b) => a.slot!.startsAt.getTime() - b.slot!.startsAt.getTime() || a.row.id - b.row.id);
  const pairs: [ProgrammeSession, ProgrammeSession][] = [];
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i + 1; j < sorted.length; j += 1) {
      // Sorted by start: once one starts after this one ends, none later overlaps it.
      if (sorted[j]!.slot!.startsAt.getTime() >= sorted[i]!.slot!.endsAt.getTime()) break;
      if (sorted[i]!.row.id !== sorted[j]!.row.id && overlaps(sorted[i]!, sorted[j]!)) pairs.push([sorted[i]!, sorted[j]!]);
    }
  }
  return pairs;
}

function groupBy<K>(sessions: ProgrammeSession[], keysOf: (s: ProgrammeSession) => K[]): Map<K, ProgrammeSession[]> {
  const groups = new Map<K, ProgrammeSession[]>();
  for (const session of sessions) {
    for (const key of new Set(keysOf(session))) {
      const list = groups.get(key) ?? [];
      list.push(session);
      groups.set(key, list);
    }
  }
  return groups;
}

const sessionRef = (s: ProgrammeSession) => ({ id: s.publicId, title: s.row.title });

/** Every clash in the programme. Cancelled and unscheduled sessions clash with nothing. */
export function findConflicts(programme: Programme): Conflict[] {
  const zone = programme.event.timezone;
  // Messages are for the organisers' logs and scripts; they quote names in the event's own language.
  const language: Language = programme.event.defaultLanguage;
  const text = (value: LocalizedText, fallback: string) => value[language] ?? value.fr ?? value.en ?? value.es ?? fallback;
  const sessionName = (s: ProgrammeSession) => `"${text(s.row.title, s.publicId)}"`;
  const live = programme.sessions.filter((s) => s.slot !== null && s.row.status !== 'cancelled');
  const conflicts: Conflict[] = [];

  const people = new Map(programme.people.map((p) => [p.id, p]));
  const organisations = new Map(programme.organisations.map((o) => [o.id, o]));
  const byContributor = groupBy(live, (s) => s.contributors.flatMap((c) => [
    ...(c.person ? [`person:${c.person.id}`] : []),
    ...(c.organisation ? [`organisation:${c.organisation.id}`] : []),
  ]));
  for (const [key, group] of byContributor) {
    const [kind, rawId] = key.split(':') as ['person' | 'organisation', string];
    const id = Number(rawId);
    const contributor = kind === 'person'
      ? { kind, id: people.get(id)!.publicId, name: people.get(id)!.name }
      : { kind, id: organisations.get(id)!.publicId, name: text(organisations.get(id)!.name, '') };
    for (const [a, b] of overlappingPairs(group)) {
      conflicts.push({
        type: 'contributor-double-booked',
        message: `${contributor.name} is in two sessions at once: ${sessionName(a)} and ${sessionName(b)}`,
        sessions: [sessionRef(a), sessionRef(b)],
        contributor,
      });
    }
  }

  const byRoom = groupBy(live.filter((s) => s.room !== null), (s) => [s.room!.id]);
  for (const group of byRoom.values()) {
    const room = group[0]!.room!;
    for (const [a, b] of overlappingPairs(group)) {
      conflicts.push({
        type: 'room-double-booked',
        message: `${text(room.name, room.publicId)} holds two sessions at once: ${sessionName(a)} and ${sessionName(b)}`,
        sessions: [sessionRef(a), sessionRef(b)],
        room: { id: room.publicId, name: room.name },
      });
    }
  }

  const { startDate, endDate } = programme.event;
  // Writes refuse such slots (bounds.ts); one stored before they did, or by hand, is reported.
  const window = eventWindow(programme.event);
  for (const slot of programme.slots) {
    if (spanFits(window, slot.startsAt, slot.endsAt)) continue;
    const inSlot = programme.sessions.filter((s) => s.slot?.id === slot.id);
    conflicts.push({
      type: 'slot-outside-event',
      message: `The time slot ${toZonedIso(slot.startsAt, zone)} – ${toZonedIso(slot.endsAt, zone)} is outside the event's dates (${startDate} to ${endDate})`,
      sessions: inSlot.map(sessionRef),
      slot: { id: slot.publicId, start: toZonedIso(slot.startsAt, zone), end: toZonedIso(slot.endsAt, zone) },
    });
  }

  for (const session of live) {
    const part = session.part;
    if (!part || (part.startsAt === null && part.endsAt === null)) continue;
    const before = part.startsAt !== null && session.slot!.startsAt.getTime() < part.startsAt.getTime();
    const after = part.endsAt !== null && session.slot!.endsAt.getTime() > part.endsAt.getTime();
    if (!before && !after) continue;
    conflicts.push({
      type: 'session-outside-part',
      message: `${sessionName(session)} is outside the hours of its part, ${text(part.label, part.publicId)}`,
      sessions: [sessionRef(session)],
      part: { id: part.publicId, label: part.label },
    });
  }
  return conflicts;
}

/** The conflicts of `after` that were not in `before`: what a write has just caused. */
export function newConflicts(before: Conflict[], after: Conflict[]): Conflict[] {
  const known = new Set(before.map(conflictKey));
  return after.filter((c) => !known.has(conflictKey(c)));
}
