// The follow-up of what the forum concluded: each recommendation and follow-up action of a
// session's PUBLISHED conclusions, with where it stands (proposed, adopted, in progress, done,
// dropped), who carries it, by when, and a dated history of notes with links to evidence.
//
// An item is named by its place in the published revision: the session, the kind, the position
// ("<session>-r1" is the first recommendation). Nothing is stored until its first update: an item
// with no row is "proposed", carried by nobody, and (an action) due on the date its rapporteur
// wrote. Conclusions that are not published have no items at all, anywhere.
//
// Who writes: the event's organisers and the rapporteurs assigned to the item's session; every
// write is one transaction, starts from the version the writer read (0 before the first), and
// leaves an audit entry. Notes are never rewritten (a trigger refuses it).
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client.ts';
import type { ConclusionContent, FollowUpKind, FollowUpStatus, Language, SessionLink } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, StaleVersionError, UnprocessableError, type FieldError } from '../../errors.ts';
import { localDate, toZonedIso } from '../../time.ts';
import type { AuthUser } from '../accounts/service.ts';
import { recordWrite } from '../audit/service.ts';
import type { Programme, ProgrammeSession } from '../programme/assemble.ts';
import { findRow, listRows, type RowOf } from '../programme/items.ts';
import type { EventRow, OrganisationRow, OutputRow, PersonRow } from '../programme/repository.ts';
import { readProgramme } from '../releases/reader.ts';
import {
  findItem, findOwnerPublicId, findPublishedConclusionId, insertItem, insertNote, listItemsOfEvent, listNotesOfEvent, listPublishedWithIds, updateItem,
  type FollowUpItemRow, type FollowUpNoteRow,
} from './repository.ts';
import { FOLLOW_UP_LIMITS, ITEM_PATTERN, type FollowUpNoteBody, type FollowUpPatchBody } from './follow-up-schemas.ts';
import { mayWrite } from './views.ts';

type SessionRow = RowOf<'session'>;

/**
 * Where an item may go from where it stands. Reopening is allowed (done → in progress, dropped →
 * proposed or adopted): a year later, what was thought done may not be. Staying put is not a move.
 */
export const STATUS_MOVES: Record<FollowUpStatus, readonly FollowUpStatus[]> = {
  proposed: ['adopted', 'in-progress', 'done', 'dropped'],
  adopted: ['in-progress', 'done', 'dropped', 'proposed'],
  'in-progress': ['done', 'dropped', 'adopted'],
  done: ['in-progress'],
  dropped: ['proposed', 'adopted'],
};

/** Statuses an item no longer waits in: never overdue. */
const CLOSED: readonly FollowUpStatus[] = ['done', 'dropped'];

// ---- Names of items

/** "r1", "a2": an item's place among its session's published recommendations or actions. */
export function itemRef(kind: FollowUpKind, position: number): string {
  return `${kind === 'recommendation' ? 'r' : 'a'}${position + 1}`;
}

export function parseItemRef(ref: string): { kind: FollowUpKind; position: number } | null {
  if (!new RegExp(ITEM_PATTERN).test(ref)) return null;
  return { kind: ref[0] === 'r' ? 'recommendation' : 'action', position: Number(ref.slice(1)) - 1 };
}

/** The id of an item in the API and the anchor of its entry on the follow-up page. */
export const itemId = (sessionPublicId: string, kind: FollowUpKind, position: number) => `${sessionPublicId}-${itemRef(kind, position)}`;

// ---- The items as they stand

export type FollowUpOwner = { kind: 'person'; row: PersonRow } | { kind: 'organisation'; row: OrganisationRow };

export interface FollowUpNote {
  /** The row's id: what orders notes written in the same millisecond. */
  seq: number;
  publicId: string;
  at: Date;
  statusFrom: FollowUpStatus | null;
  statusTo: FollowUpStatus | null;
  note: string | null;
  links: SessionLink[];
  author: string;
}

export interface FollowUpItem {
  /** "<session>-r1" */
  id: string;
  ref: string;
  session: ProgrammeSession;
  kind: FollowUpKind;
  position: number;
  text: string;
  language: Language;
  /** A recommendation's outputs, or an action's session's, that the programme has, in their order. */
  outputs: OutputRow[];
  status: FollowUpStatus;
  owner: FollowUpOwner | null;
  /** What the rapporteur wrote an action's owner was (free text), or null. */
  proposedOwner: string | null;
  due: string | null;
  overdue: boolean;
  publishedAt: Date;
  statusChangedAt: Date | null;
  /** The published wording is no longer the one the follow-up started on. */
  textChanged: boolean;
  /** 0 before the first update. */
  version: number;
  /** Oldest first. */
  notes: FollowUpNote[];
}

export interface FollowUpInput {
  programme: Programme;
  published: { conclusionId: number; sessionId: number; publishedAt: Date | null; content: ConclusionContent }[];
  rows: FollowUpItemRow[];
  notes: FollowUpNoteRow[];
  people: PersonRow[];
  organisations: OrganisationRow[];
  /** Today in the event's zone (YYYY-MM-DD): what is due before it is overdue. */
  today: string;
}

/**
 * Every item of the published conclusions of the programme's sessions, in the programme's
 * order, each session's recommendations before its actions. Pure.
 */
export function buildFollowUp(input: FollowUpInput): FollowUpItem[] {
  const { programme } = input;
  const bySession = new Map(input.published.map((p) => [p.sessionId, p]));
  const outputsById = new Map(programme.outputs.map((o) => [o.publicId, o]));
  const rowOf = new Map(input.rows.map((r) => [`${r.conclusionId}/${r.kind}/${r.position}`, r]));
  const notesOf = new Map<number, FollowUpNoteRow[]>();
  for (const n of input.notes) notesOf.set(n.itemId, [...(notesOf.get(n.itemId) ?? []), n]);
  const people = new Map(input.people.map((p) => [p.id, p]));
  const organisations = new Map(input.organisations.map((o) => [o.id, o]));
  const byPosition = (a: OutputRow, b: OutputRow) => a.position - b.position;

  const items: FollowUpItem[] = [];
  for (const session of programme.sessions) {
    const published = bySession.get(session.row.id);
    if (!published || !published.publishedAt) continue;
    const entries: { kind: FollowUpKind; position: number; text: string; outputs: OutputRow[]; proposedOwner: string | null; due: string | null }[] = [
      ...published.content.recommendations.map((r, position) => ({
        kind: 'recommendation' as const, position, text: r.text, proposedOwner: null, due: null,
        outputs: r.outputs.map((id) => outputsById.get(id)).filter((o): o is OutputRow => o !== undefined).sort(byPosition),
      })),
      ...published.content.followUps.map((f, position) => ({
        kind: 'action' as const, position, text: f.action, proposedOwner: f.owner.trim() === '' ? null : f.owner, due: f.due,
        outputs: [...session.outputs].sort(byPosition),
      })),
    ];
    for (const entry of entries) {
      const row = rowOf.get(`${published.conclusionId}/${entry.kind}/${entry.position}`) ?? null;
      const status = row?.status ?? 'proposed';
      const due = row ? row.due : entry.due;
      const owner: FollowUpOwner | null = row?.ownerPersonId != null && people.has(row.ownerPersonId)
        ? { kind: 'person', row: people.get(row.ownerPersonId)! }
        : row?.ownerOrganisationId != null && organisations.has(row.ownerOrganisationId)
          ? { kind: 'organisation', row: organisations.get(row.ownerOrganisationId)! }
          : null;
      items.push({
        id: itemId(session.publicId, entry.kind, entry.position),
        ref: itemRef(entry.kind, entry.position),
        session, kind: entry.kind, position: entry.position, text: entry.text, language: published.content.language,
        outputs: entry.outputs, status, owner, proposedOwner: entry.proposedOwner, due,
        overdue: due !== null && due < input.today && !CLOSED.includes(status),
        publishedAt: published.publishedAt, statusChangedAt: row?.statusChangedAt ?? null,
        textChanged: row !== null && row.text !== entry.text,
        version: row?.version ?? 0,
        notes: (row ? notesOf.get(row.id) ?? [] : []).map((n) => ({
          seq: n.id, publicId: n.publicId, at: n.at, statusFrom: n.statusFrom, statusTo: n.statusTo, note: n.note, links: n.links ?? [], author: n.author,
        })),
      });
    }
  }
  return items;
}

/** The items of an event's published conclusions, over this programme (released for the public). */
export function getFollowUp(db: Db, programme: Programme, now: Date): FollowUpItem[] {
  const eventId = programme.event.id;
  return buildFollowUp({
    programme,
    published: listPublishedWithIds(db, eventId),
    rows: listItemsOfEvent(db, eventId).map((r) => r.item),
    notes: listNotesOfEvent(db, eventId),
    people: listRows(db, 'person', eventId),
    organisations: listRows(db, 'organisation', eventId),
    today: localDate(now, programme.event.timezone),
  });
}

/** Where each item of the event's published conclusions stands, by "<session row id>/<kind>/<position>": for the report. */
export function followUpStatuses(db: Db, eventId: number): Map<string, FollowUpStatus> {
  return new Map(listItemsOfEvent(db, eventId).map(({ item, sessionId }) => [`${sessionId}/${item.kind}/${item.position}`, item.status]));
}

/** The last note of an item (a status change or a note), or null. */
export function lastNote(item: FollowUpItem): FollowUpNote | null {
  return item.notes.at(-1) ?? null;
}

/** The status changes of these items, newest first: the entries of the follow-up's Atom feed. */
export function statusChanges(items: FollowUpItem[], limit: number): { item: FollowUpItem; note: FollowUpNote }[] {
  return items.flatMap((item) => item.notes.filter((n) => n.statusTo !== null).map((note) => ({ item, note })))
    .sort((a, b) => b.note.at.getTime() - a.note.at.getTime() || b.note.seq - a.note.seq)
    .slice(0, limit);
}

/** Whole days since the item's status last changed, or since publication if it never did. */
export function ageInDays(item: FollowUpItem, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - (item.statusChangedAt ?? item.publishedAt).getTime()) / 86_400_000));
}

export const ownerId = (owner: FollowUpOwner | null): string | null => owner?.row.publicId ?? null;

// ---- Filters and groups of the follow-up page

export interface FollowUpFilters {
  status?: FollowUpStatus | undefined;
  /** An expected output's public id. */
  output?: string | undefined;
  /** A person's or an organisation's public id. */
  owner?: string | undefined;
}

export function filterFollowUp(items: FollowUpItem[], filters: FollowUpFilters): FollowUpItem[] {
  return items.filter((i) => (filters.status === undefined || i.status === filters.status)
    && (filters.output === undefined || i.outputs.some((o) => o.publicId === filters.output))
    && (filters.owner === undefined || ownerId(i.owner) === filters.owner));
}

/**
 * The page's groups: each expected output (in order) with the recommendations that serve it (a
 * recommendation serving two outputs is under each), then the recommendations tied to none, then
 * the follow-up actions under a heading of their own. Actions are the sessions' decisions about
 * who does what, not answers to an output: grouping them by their session's outputs would repeat
 * most of them under every output.
 */
export function groupFollowUp(items: FollowUpItem[], outputs: readonly OutputRow[]) {
  const recommendations = items.filter((i) => i.kind === 'recommendation');
  return {
    outputs: [...outputs].sort((a, b) => a.position - b.position)
      .map((output) => ({ output, items: recommendations.filter((r) => r.outputs.includes(output)) })),
    untied: recommendations.filter((r) => r.outputs.length === 0),
    actions: items.filter((i) => i.kind === 'action'),
  };
}

/** The owners named in these items, for the owner filter, by name. */
export function ownersOf(items: FollowUpItem[]): FollowUpOwner[] {
  const found = new Map<string, FollowUpOwner>();
  for (const i of items) if (i.owner) found.set(i.owner.row.publicId, i.owner);
  return [...found.values()];
}

// ---- The organisers' view of what stalls

/**
 * For the coverage panel: the outputs whose recommendations, all of them, are still "proposed"
 * `months` months after they were published, and the actions past their due date.
 */
export function stalledFollowUp(items: FollowUpItem[], outputs: readonly OutputRow[], now: Date, months: number) {
  const groups = groupFollowUp(items, outputs);
  const old = (i: FollowUpItem) => DateTime.fromJSDate(i.publishedAt).plus({ months }).toMillis() <= now.getTime();
  return {
    months,
    outputs: groups.outputs.filter((g) => g.items.length > 0 && g.items.every((i) => i.status === 'proposed' && old(i))),
    overdueActions: groups.actions.filter((a) => a.overdue),
  };
}

// ---- What the API answers

export function followUpItemOut(item: FollowUpItem, event: EventRow) {
  const zone = event.timezone;
  return {
    id: item.id,
    session: { id: item.session.publicId, title: item.session.row.title },
    kind: item.kind,
    number: item.position + 1,
    text: item.text,
    language: item.language,
    outputs: item.outputs.map((o) => o.publicId),
    status: item.status,
    owner: item.owner
      ? { kind: item.owner.kind, id: item.owner.row.publicId, name: item.owner.kind === 'person' ? item.owner.row.name : ownerName(item.owner, event.defaultLanguage) }
      : null,
    proposedOwner: item.proposedOwner,
    due: item.due,
    overdue: item.overdue,
    publishedAt: toZonedIso(item.publishedAt, zone),
    statusChangedAt: item.statusChangedAt ? toZonedIso(item.statusChangedAt, zone) : null,
    textChanged: item.textChanged,
    version: item.version,
    url: `/events/${encodeURIComponent(event.slug)}/follow-up#${item.id}`,
    notes: item.notes.map((n) => ({
      id: n.publicId, at: toZonedIso(n.at, zone), statusFrom: n.statusFrom, statusTo: n.statusTo, note: n.note, links: n.links, author: n.author,
    })),
  };
}

/** An owner's name in a language, the event's default one else, else any. */
export function ownerName(owner: FollowUpOwner, language: Language): string {
  if (owner.kind === 'person') return owner.row.name;
  const name = owner.row.name as Partial<Record<Language, string>>;
  return name[language] ?? Object.values(name).find((v) => v !== undefined && v !== '') ?? '—';
}

// ---- Writing

/** Who writes, when, on which event. */
export interface FollowUpContext {
  db: Db;
  event: EventRow;
  user: AuthUser;
  now: Date;
}

export function requireFollowUpWriter(db: Db, user: AuthUser, event: EventRow, session: SessionRow): void {
  if (!mayWrite(db, user, event, session)) {
    throw new ForbiddenError('Only the rapporteurs assigned to this session and the organisers of the event may update the follow-up of its conclusions');
  }
}

/** The programme an item is read in: as released when the session is in it, else as it stands. */
function programmeFor(db: Db, event: EventRow, session: SessionRow): Programme {
  try {
    const released = readProgramme(db, { id: event.id }, 'released');
    if (released.sessions.some((s) => s.row.id === session.id)) return released;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  return readProgramme(db, { id: event.id }, 'working');
}

/** One item of a session's published conclusions, as it stands; 404 when there is none at that place. */
export function getFollowUpItem(db: Db, event: EventRow, session: SessionRow, ref: string, now: Date): FollowUpItem {
  const place = parseItemRef(ref);
  const programme = programmeFor(db, event, session);
  const found = place ? getFollowUp(db, { ...programme, sessions: programme.sessions.filter((s) => s.row.id === session.id) }, now)
    .find((i) => i.kind === place.kind && i.position === place.position) : undefined;
  if (!found) throw new NotFoundError('follow-up item', `${session.publicId}-${ref}`);
  return found;
}

/** What the audit log keeps of an item. */
function auditState(item: { status: FollowUpStatus; due: string | null; version: number }, owner: { person: string } | { organisation: string } | null) {
  return { status: item.status, owner, due: item.due, version: item.version };
}

function ownerRefOf(owner: FollowUpOwner | null): { person: string } | { organisation: string } | null {
  if (!owner) return null;
  return owner.kind === 'person' ? { person: owner.row.publicId } : { organisation: owner.row.publicId };
}

/** A due date that is a real calendar date of the years accepted, or its field error. */
function dueProblem(due: string): FieldError | null {
  const date = DateTime.fromISO(due, { zone: 'UTC' });
  if (!date.isValid) return { pointer: '#/due', code: 'invalid-date', params: { value: due } };
  if (date.year < FOLLOW_UP_LIMITS.firstYear || date.year > FOLLOW_UP_LIMITS.lastYear) {
    return { pointer: '#/due', code: 'date-out-of-range', params: { value: due, first: `${FOLLOW_UP_LIMITS.firstYear}-01-01`, last: `${FOLLOW_UP_LIMITS.lastYear}-12-31` } };
  }
  return null;
}

/**
 * Changes an item's status, owner or due date, and adds a note (with links to evidence) in the
 * same step; `versions` are those the writer read (If-Match), 0 for an item never updated.
 * A move the workflow does not allow, or to the status it already has, is 409
 * `invalid-transition`; a stale version is 409 `stale-version`; an owner of another event 422.
 * A change that changes nothing writes nothing.
 */
export function updateFollowUp(ctx: FollowUpContext, session: SessionRow, ref: string, versions: number[], body: FollowUpPatchBody): FollowUpItem {
  requireFollowUpWriter(ctx.db, ctx.user, ctx.event, session);
  return ctx.db.transaction(() => {
    const item = getFollowUpItem(ctx.db, ctx.event, session, ref, ctx.now);
    if (!versions.includes(item.version)) throw new StaleVersionError('follow-up item', followUpItemOut(item, ctx.event));

    const problems: FieldError[] = [];
    let ownerPersonId: number | null | undefined;
    let ownerOrganisationId: number | null | undefined;
    if (body.owner === null) {
      ownerPersonId = null;
      ownerOrganisationId = null;
    } else if (body.owner !== undefined) {
      if ('person' in body.owner) {
        const person = findRow(ctx.db, 'person', ctx.event.id, body.owner.person);
        if (!person) problems.push({ pointer: '#/owner/person', code: 'unknown-reference', params: { noun: 'person', id: body.owner.person } });
        ownerPersonId = person?.id ?? null;
        ownerOrganisationId = null;
      } else {
        const organisation = findRow(ctx.db, 'organisation', ctx.event.id, body.owner.organisation);
        if (!organisation) problems.push({ pointer: '#/owner/organisation', code: 'unknown-reference', params: { noun: 'organisation', id: body.owner.organisation } });
        ownerOrganisationId = organisation?.id ?? null;
        ownerPersonId = null;
      }
    }
    if (body.due != null) {
      const problem = dueProblem(body.due);
      if (problem) problems.push(problem);
    }
    if (problems.length > 0) throw new UnprocessableError(problems);

    if (body.status !== undefined) {
      if (body.status === item.status) {
        throw new ConflictError(`This ${item.kind} is already ${item.status}: nothing to move`, 'invalid-transition', { status: item.status });
      }
      if (!STATUS_MOVES[item.status].includes(body.status)) {
        throw new ConflictError(`A ${item.kind} that is ${item.status} cannot become ${body.status}: it may become ${STATUS_MOVES[item.status].join(', ')}`,
          'invalid-transition', { status: item.status, allowed: [...STATUS_MOVES[item.status]] });
      }
    }
    return write(ctx, session, item, {
      status: body.status, ownerPersonId, ownerOrganisationId, due: body.due, note: body.note, links: body.links,
    });
  }, { behavior: 'immediate' });
}

/** Adds a progress note (with links to evidence) to an item, from the version the writer read. */
export function addFollowUpNote(ctx: FollowUpContext, session: SessionRow, ref: string, versions: number[], body: FollowUpNoteBody): FollowUpItem {
  requireFollowUpWriter(ctx.db, ctx.user, ctx.event, session);
  return ctx.db.transaction(() => {
    const item = getFollowUpItem(ctx.db, ctx.event, session, ref, ctx.now);
    if (!versions.includes(item.version)) throw new StaleVersionError('follow-up item', followUpItemOut(item, ctx.event));
    return write(ctx, session, item, { note: body.note, links: body.links });
  }, { behavior: 'immediate' });
}

interface Change {
  status?: FollowUpStatus | undefined;
  ownerPersonId?: number | null | undefined;
  ownerOrganisationId?: number | null | undefined;
  due?: string | null | undefined;
  note?: string | undefined;
  links?: SessionLink[] | undefined;
}

function write(ctx: FollowUpContext, session: SessionRow, item: FollowUpItem, change: Change): FollowUpItem {
  const { db, now } = ctx;
  const place = { conclusionId: conclusionIdOf(db, session.id), kind: item.kind, position: item.position };
  const row = findItem(db, place.conclusionId, place.kind, place.position);
  const before = {
    ownerPersonId: row?.ownerPersonId ?? null, ownerOrganisationId: row?.ownerOrganisationId ?? null, due: item.due,
  };
  const after = {
    ownerPersonId: change.ownerPersonId === undefined ? before.ownerPersonId : change.ownerPersonId,
    ownerOrganisationId: change.ownerOrganisationId === undefined ? before.ownerOrganisationId : change.ownerOrganisationId,
    due: change.due === undefined ? before.due : change.due,
  };
  const note = change.note?.replace(/\r\n?/g, '\n').trim() || null;
  const links = change.links && change.links.length > 0 ? change.links : null;
  const moves = change.status !== undefined;
  const changed = moves || note !== null || links !== null
    || after.ownerPersonId !== before.ownerPersonId || after.ownerOrganisationId !== before.ownerOrganisationId || after.due !== before.due;
  if (!changed) return item;

  const status = change.status ?? item.status;
  const values = {
    status, ...after, text: item.text, updatedAt: now,
    statusChangedAt: moves ? now : row?.statusChangedAt ?? null,
  };
  let saved: FollowUpItemRow;
  if (row) {
    // One write, one version: set here, so that the trigger (which bumps only when nobody did) adds nothing.
    if (!updateItem(db, row.id, row.version, { ...values, version: row.version + 1 })) {
      throw new StaleVersionError('follow-up item', followUpItemOut(item, ctx.event));
    }
    saved = findItem(db, place.conclusionId, place.kind, place.position)!;
  } else {
    saved = insertItem(db, { eventId: ctx.event.id, ...place, ...values, version: 1 });
  }
  if (moves || note !== null || links !== null) {
    insertNote(db, {
      publicId: randomUUID(), itemId: saved.id, at: now,
      statusFrom: moves ? item.status : null, statusTo: moves ? status : null,
      note, links, userId: ctx.user.id, author: ctx.user.name,
    });
  }
  const ownerOf = (ids: { ownerPersonId: number | null; ownerOrganisationId: number | null }) => {
    if (ids.ownerPersonId !== null) return { person: publicIdOf(db, 'person', ids.ownerPersonId) };
    if (ids.ownerOrganisationId !== null) return { organisation: publicIdOf(db, 'organisation', ids.ownerOrganisationId) };
    return null;
  };
  recordWrite(db, {
    eventId: ctx.event.id, actor: { id: ctx.user.id, name: ctx.user.name }, at: now,
    action: row ? 'update' : 'create', entity: 'follow-up', entityId: item.id,
    before: row ? auditState(item, ownerRefOf(item.owner)) : null,
    after: {
      ...auditState({ status, due: saved.due, version: saved.version }, ownerOf(saved)),
      ...(note !== null ? { note } : {}), ...(links !== null ? { links } : {}),
    },
  });
  return getFollowUpItem(db, ctx.event, session, item.ref, now);
}

function conclusionIdOf(db: Db, sessionId: number): number {
  const found = findPublishedConclusionId(db, sessionId);
  if (found === null) throw new NotFoundError('published conclusions', String(sessionId));
  return found;
}

function publicIdOf(db: Db, kind: 'person' | 'organisation', id: number): string {
  return findOwnerPublicId(db, kind, id) ?? String(id);
}
