// Writes a whole programme, from whatever source (data/, our JSON format, frab XML), into the
// database in one transaction. Rows are matched on their public ids and updated in place, so
// ids, links, calendar UIDs and everything that points at a row survive a new import; rows the
// source no longer has are removed. Either all of it is written or none of it.
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  conclusions, events, expectedOutputs, organisations, parts, people, rooms, sessionContributors, sessionOutputs, sessions, timeSlots,
  type ContributorRole, type Language, type LocalizedText, type SessionKind, type SessionLink, type SessionStatus,
} from '../../db/schema.ts';
import { HttpError } from '../../errors.ts';

/** A programme ready to be written: every row named by its public id, every time an instant. */
export interface ProgrammeImport {
  event: {
    publicId: string;
    slug: string;
    timezone: string;
    defaultLanguage: Language;
    languages: Language[];
    title: LocalizedText;
    subtitle: LocalizedText | null;
    description: LocalizedText | null;
    venue: LocalizedText | null;
    city: string | null;
    country: string | null;
    startDate: string;
    endDate: string;
  };
  /** Rooms, parts and outputs in their order. */
  rooms: { publicId: string; name: LocalizedText }[];
  parts: { publicId: string; label: LocalizedText; title: LocalizedText; startsAt: Date | null; endsAt: Date | null }[];
  organisations: { publicId: string; name: LocalizedText; fullName: LocalizedText | null; description: LocalizedText | null }[];
  people: { publicId: string; name: string; organisation: string | null; bio: LocalizedText | null }[];
  outputs: { publicId: string; statement: LocalizedText }[];
  slots: { publicId: string; startsAt: Date; endsAt: Date }[];
  sessions: ImportedSession[];
}

export interface ImportedSession {
  publicId: string;
  part: string | null;
  slot: string | null;
  room: string | null;
  kind: SessionKind;
  status: SessionStatus;
  title: LocalizedText;
  subtitle: LocalizedText | null;
  abstract: LocalizedText | null;
  description: LocalizedText | null;
  language: string | null;
  links: SessionLink[] | null;
  contributors: { role: ContributorRole; person: string | null; organisation: string | null }[];
  outputs: string[];
}

/** What an import did, for the operator. */
export interface WriteSummary {
  eventId: number;
  slug: string;
  /** Whether the event was new. */
  created: boolean;
  counts: { sessions: number; rooms: number; people: number; organisations: number; parts: number; outputs: number; slots: number };
}

/** The file cannot be imported as it is: told in one sentence naming the problem. Nothing was written. */
export class ImportError extends HttpError {
  override name = 'ImportError';
  constructor(message: string, statusCode = 422) {
    super(statusCode, statusCode === 409 ? 'errors.conflict.title' : 'errors.unprocessable.title', message, 'invalid-import');
  }
}

const firstText = (text: LocalizedText) => Object.values(text)[0] ?? '';

/** Every cross-reference of the programme points at a row it has, and no public id is listed twice. */
function checkReferences(input: ProgrammeImport): void {
  const all = new Set<string>([input.event.publicId]);
  const listed = (kind: string, rows: { publicId: string }[]) => {
    const ids = new Set<string>();
    for (const row of rows) {
      if (all.has(row.publicId)) throw new ImportError(`the id ${row.publicId} is given to more than one thing (a ${kind} among them)`);
      all.add(row.publicId);
      ids.add(row.publicId);
    }
    return ids;
  };
  const roomIds = listed('room', input.rooms);
  const partIds = listed('part', input.parts);
  const organisationIds = listed('organisation', input.organisations);
  const personIds = listed('person', input.people);
  const outputIds = listed('expected output', input.outputs);
  const slotIds = listed('time slot', input.slots);
  listed('session', input.sessions);
  const missing = (what: string, id: string, where: string) => new ImportError(`${where} names ${what} ${id}, which the file does not have`);
  for (const person of input.people) {
    if (person.organisation !== null && !organisationIds.has(person.organisation)) throw missing('the organisation', person.organisation, `person "${person.name}"`);
  }
  for (const slot of input.slots) {
    if (!(slot.startsAt < slot.endsAt)) throw new ImportError(`time slot ${slot.publicId} ends before it starts (${slot.startsAt.toISOString()} to ${slot.endsAt.toISOString()})`);
  }
  for (const part of input.parts) {
    if (part.startsAt && part.endsAt && !(part.startsAt < part.endsAt)) throw new ImportError(`part "${firstText(part.label)}" ends before it starts`);
  }
  for (const session of input.sessions) {
    const where = `session "${firstText(session.title)}"`;
    if (session.part !== null && !partIds.has(session.part)) throw missing('the part', session.part, where);
    if (session.slot !== null && !slotIds.has(session.slot)) throw missing('the time slot', session.slot, where);
    if (session.room !== null && !roomIds.has(session.room)) throw missing('the room', session.room, where);
    for (const output of session.outputs) if (!outputIds.has(output)) throw missing('the expected output', output, where);
    for (const c of session.contributors) {
      if (c.person === null && c.organisation === null) throw new ImportError(`${where} has a contributor with neither person nor organisation`);
      if (c.person !== null && !personIds.has(c.person)) throw missing('the person', c.person, where);
      if (c.organisation !== null && !organisationIds.has(c.organisation)) throw missing('the organisation', c.organisation, where);
    }
  }
}

type SyncedTable = typeof rooms | typeof parts | typeof organisations | typeof people | typeof expectedOutputs | typeof timeSlots | typeof sessions;

/**
 * Writes the programme in one transaction (BEGIN IMMEDIATE: no other writer can slip in between
 * the checks and the writes). Throws an ImportError, having written nothing, when the programme
 * cannot be written as it is.
 */
export function writeProgramme(db: Db, input: ProgrammeImport, now: Date = new Date()): WriteSummary {
  checkReferences(input);
  const { event: source } = input;

  return db.transaction((tx) => {
    const existing = tx.select({ id: events.id, slug: events.slug }).from(events).where(eq(events.publicId, source.publicId)).get();
    if (existing && existing.slug !== source.slug) {
      throw new ImportError(`this programme was imported before as the event "${existing.slug}"; import it again under that address (it cannot be renamed by an import)`, 409);
    }
    if (!existing) {
      const taken = tx.select({ id: events.id }).from(events).where(eq(events.slug, source.slug)).get();
      if (taken) throw new ImportError(`another event already has the address "${source.slug}"; choose another (--slug)`, 409);
    }

    // A public id is unique across the database: one already used by another event's row
    // means the file claims something that is not its own.
    const foreign = (table: SyncedTable, ids: string[], what: string) => {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const clash = tx.select({ publicId: table.publicId }).from(table)
          .where(and(inArray(table.publicId, chunk), existing ? ne(table.eventId, existing.id) : undefined)).limit(1).get();
        if (clash) throw new ImportError(`the ${what} ${clash.publicId} belongs to another event; an import cannot take it over`, 409);
      }
    };
    foreign(rooms, input.rooms.map((r) => r.publicId), 'room');
    foreign(parts, input.parts.map((r) => r.publicId), 'part');
    foreign(organisations, input.organisations.map((r) => r.publicId), 'organisation');
    foreign(people, input.people.map((r) => r.publicId), 'person');
    foreign(expectedOutputs, input.outputs.map((r) => r.publicId), 'expected output');
    foreign(timeSlots, input.slots.map((r) => r.publicId), 'time slot');
    foreign(sessions, input.sessions.map((r) => r.publicId), 'session');

    const eventValues = {
      slug: source.slug,
      timezone: source.timezone,
      defaultLanguage: source.defaultLanguage,
      languages: source.languages,
      title: source.title,
      subtitle: source.subtitle,
      description: source.description,
      venue: source.venue,
      city: source.city,
      country: source.country,
      startDate: source.startDate,
      endDate: source.endDate,
    };
    // Revisions, versions and update times are the database's business (migrations 0002, 0004):
    // they move only when a value really changes, so importing an unchanged file changes nothing.
    let eventId: number;
    if (existing) {
      tx.update(events).set(eventValues).where(eq(events.id, existing.id)).run();
      eventId = existing.id;
    } else {
      eventId = tx.insert(events).values({ ...eventValues, publicId: source.publicId, updatedAt: now }).returning({ id: events.id }).get().id;
    }

    function sync<Row extends { publicId: string }>(table: SyncedTable, rows: Row[]): Map<string, number> {
      // Rows already there are updated in place (an upsert would burn an AUTOINCREMENT value
      // each time, even when it ends up updating).
      const present = new Map(tx.select({ id: table.id, publicId: table.publicId }).from(table).where(eq(table.eventId, eventId)).all()
        .map((row) => [row.publicId, row.id]));
      const ids = new Map<string, number>();
      for (const row of rows) {
        const values = { ...row, eventId };
        const id = present.get(row.publicId);
        if (id === undefined) {
          const inserted = table === sessions ? { ...values, updatedAt: now } : values;
          ids.set(row.publicId, tx.insert(table).values(inserted as never).returning({ id: table.id }).get().id);
        } else {
          tx.update(table).set(values as never).where(eq(table.id, id)).run();
          ids.set(row.publicId, id);
        }
      }
      // Deleted by row id, in chunks: SQLite limits the parameters of one statement.
      const gone = [...present].filter(([publicId]) => !ids.has(publicId)).map(([, id]) => id);
      for (let i = 0; i < gone.length; i += 500) tx.delete(table).where(inArray(table.id, gone.slice(i, i + 500))).run();
      return ids;
    }

    const roomIds = sync(rooms, input.rooms.map((r, position) => ({ publicId: r.publicId, position, name: r.name })));
    const partIds = sync(parts, input.parts.map((p, position) => ({
      publicId: p.publicId, position, label: p.label, title: p.title, startsAt: p.startsAt, endsAt: p.endsAt,
    })));
    const outputIds = sync(expectedOutputs, input.outputs.map((o, position) => ({ publicId: o.publicId, position, statement: o.statement })));
    const organisationIds = sync(organisations, input.organisations.map((o) => ({
      publicId: o.publicId, name: o.name, fullName: o.fullName, description: o.description,
    })));
    const personIds = sync(people, input.people.map((p) => ({
      publicId: p.publicId,
      name: p.name,
      organisationId: p.organisation === null ? null : organisationIds.get(p.organisation)!,
      bio: p.bio,
    })));
    const slotIds = sync(timeSlots, input.slots.map((s) => ({ publicId: s.publicId, startsAt: s.startsAt, endsAt: s.endsAt })));

    const knownSessions = new Set(tx.select({ publicId: sessions.publicId }).from(sessions)
      .where(eq(sessions.eventId, eventId)).all().map((s) => s.publicId));

    // A session rapporteurs have written conclusions for is never deleted by an import: that
    // would lose their words. The source must keep it (cancelled, if it no longer takes place).
    const inSource = new Set(input.sessions.map((s) => s.publicId));
    const kept = tx.select({ publicId: sessions.publicId, title: sessions.title }).from(sessions)
      .innerJoin(conclusions, eq(conclusions.sessionId, sessions.id))
      .where(eq(sessions.eventId, eventId)).all().filter((s) => !inSource.has(s.publicId));
    if (kept.length > 0) {
      throw new ImportError(`${source.slug}: the source no longer has ${kept.map((s) => `"${firstText(s.title)}" (${s.publicId})`).join(', ')}, which has conclusions written by rapporteurs. Keep it in the source, cancelled if it no longer takes place.`, 409);
    }

    const sessionIds = sync(sessions, input.sessions.map((s) => ({
      publicId: s.publicId,
      partId: s.part === null ? null : partIds.get(s.part)!,
      slotId: s.slot === null ? null : slotIds.get(s.slot)!,
      roomId: s.room === null ? null : roomIds.get(s.room)!,
      kind: s.kind,
      status: s.status,
      title: s.title,
      subtitle: s.subtitle,
      abstract: s.abstract,
      description: s.description,
      language: s.language,
      links: s.links,
    })));

    // Links are rewritten only for sessions whose list differs: every rewrite raises the
    // session's revision, and with it the SEQUENCE that calendars see.
    const allSessionIds = [...sessionIds.values()];
    const existingContributors = new Map<number, string>();
    const existingOutputs = new Map<number, Set<number>>();
    for (let i = 0; i < allSessionIds.length; i += 500) {
      const chunk = allSessionIds.slice(i, i + 500);
      for (const c of tx.select().from(sessionContributors).where(inArray(sessionContributors.sessionId, chunk))
        .orderBy(sessionContributors.sessionId, sessionContributors.position).all()) {
        const before = existingContributors.get(c.sessionId);
        existingContributors.set(c.sessionId, `${before === undefined ? '' : `${before}|`}${contributorKey(c)}`);
      }
      for (const o of tx.select().from(sessionOutputs).where(inArray(sessionOutputs.sessionId, chunk)).all()) {
        const set = existingOutputs.get(o.sessionId) ?? new Set<number>();
        set.add(o.outputId);
        existingOutputs.set(o.sessionId, set);
      }
    }
    for (const s of input.sessions) {
      const sessionId = sessionIds.get(s.publicId)!;
      const contributorRows = s.contributors.map((c, position) => ({
        sessionId,
        role: c.role,
        personId: c.person === null ? null : personIds.get(c.person)!,
        organisationId: c.organisation === null ? null : organisationIds.get(c.organisation)!,
        position,
      }));
      if ((existingContributors.get(sessionId) ?? '') !== contributorRows.map(contributorKey).join('|')) {
        tx.delete(sessionContributors).where(eq(sessionContributors.sessionId, sessionId)).run();
        if (contributorRows.length > 0) tx.insert(sessionContributors).values(contributorRows).run();
      }

      const wanted = new Set(s.outputs.map((o) => outputIds.get(o)!));
      const have = existingOutputs.get(sessionId) ?? new Set<number>();
      const removed = [...have].filter((id) => !wanted.has(id));
      const added = [...wanted].filter((id) => !have.has(id));
      if (removed.length > 0) {
        tx.delete(sessionOutputs).where(and(eq(sessionOutputs.sessionId, sessionId), inArray(sessionOutputs.outputId, removed))).run();
      }
      if (added.length > 0) tx.insert(sessionOutputs).values(added.map((outputId) => ({ sessionId, outputId }))).run();
    }

    // Linking a new session's contributors and outputs raised its revision; a session
    // published for the first time starts at SEQUENCE 0 all the same.
    const created = [...sessionIds].filter(([publicId]) => !knownSessions.has(publicId)).map(([, id]) => id);
    for (let i = 0; i < created.length; i += 500) {
      tx.update(sessions).set({ revision: 0 }).where(inArray(sessions.id, created.slice(i, i + 500))).run();
    }

    return {
      eventId,
      slug: source.slug,
      created: !existing,
      counts: {
        sessions: sessionIds.size, rooms: roomIds.size, people: personIds.size, organisations: organisationIds.size,
        parts: partIds.size, outputs: outputIds.size, slots: slotIds.size,
      },
    };
  }, { behavior: 'immediate' });
}

function contributorKey(c: { role: string; personId: number | null; organisationId: number | null; position: number }): string {
  return `${c.position}:${c.role}:${c.personId}:${c.organisationId}`;
}
