// What the server writes when something happens: called inside the transaction of what caused
// it (a release, an assignment, a step of the conclusions), so that a message and its cause are
// stored together or not at all. Each message is in its recipient's language.
import { v4 as uuidv4 } from 'uuid';
import type { Db } from '../../db/client.ts';
import { LANGUAGES, type Language, type LocalizedText, type MessageInsert, type MessageKind } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';
import { newSecretToken } from '../../secret-tokens.ts';
import type { Programme, ProgrammeSession } from '../programme/assemble.ts';
import type { EventRow } from '../programme/repository.ts';
import { composeEndpointDisabled, composeRapporteurMessage, composeReleaseMessage, type Composed, type Placement, type RapporteurNotice, type ReleaseItem, type SessionChange } from './compose.ts';
import { refreshPolicy } from '../calendar/ical.ts';
import { findSessionPlacement, findSettings, insertMessages, listContactsOfEvent, listOptOuts, listOrganisersOf, listRapporteursOfSession } from './repository.ts';
import { enqueueWebhooks, eventRef, releaseRef, sessionRef } from './webhooks.ts';

/** What every draft needs to know beyond its cause: the site's address (links, UIDs) and the time. */
export interface MessageContext {
  db: Db;
  event: EventRow;
  publicUrl: string;
  now: Date;
}

const languageOf = (chosen: string | null | undefined, event: EventRow): Language =>
  (LANGUAGES as readonly string[]).includes(chosen ?? '') ? chosen as Language : event.defaultLanguage;

type Recipient = { personId?: number; userId?: number; name: string; email: string; language: Language };

function row(ctx: MessageContext, kind: MessageKind, queued: boolean, to: Recipient, composed: Composed, releaseId: number | null = null): MessageInsert {
  return {
    publicId: uuidv4(), eventId: ctx.event.id, kind, state: queued ? 'queued' : 'draft', releaseId,
    personId: to.personId ?? null, userId: to.userId ?? null, toName: to.name, toAddress: to.email, language: to.language,
    subject: composed.subject, body: composed.body, attachments: composed.attachments, stopToken: newSecretToken(),
    nextAttemptAt: queued ? ctx.now : null, createdAt: ctx.now, updatedAt: ctx.now,
  };
}

function store(ctx: MessageContext, kind: MessageKind, queued: boolean, to: Recipient, composed: Composed): void {
  insertMessages(ctx.db, [row(ctx, kind, queued, to, composed)]);
}

export interface ReleaseFacts {
  id: number;
  publicId: string;
  sequence: number;
  name: string;
  note: LocalizedText | null;
  changes: SessionChange[];
  before: Programme | null;
  next: Programme;
}

/**
 * One message per contributor (a person of the programme with an e-mail) whose sessions the
 * release makes new, moves, changes or cancels; someone taken off a changed session is told too.
 * Then the webhooks of the release and of each session it cancels.
 */
export function draftReleaseMessages(ctx: MessageContext, release: ReleaseFacts): number {
  const { event } = ctx;
  const nextById = new Map(release.next.sessions.map((s) => [s.publicId, s]));
  const beforeById = new Map((release.before?.sessions ?? []).map((s) => [s.publicId, s]));
  const byPerson = new Map<string, { change: SessionChange; session: ProgrammeSession; roles: Set<string> }[]>();
  for (const change of release.changes) {
    const session = nextById.get(change.session.id);
    if (!session) continue;
    const people = [...session.contributors, ...(beforeById.get(session.publicId)?.contributors ?? [])];
    for (const c of people) {
      if (!c.person) continue;
      const items = byPerson.get(c.person.publicId) ?? [];
      let item = items.find((i) => i.session === session);
      if (!item) {
        item = { change, session, roles: new Set() };
        items.push(item);
      }
      // Roles as the session has them now; someone no longer on it has none to show.
      if (session.contributors.includes(c)) item.roles.add(c.role);
      byPerson.set(c.person.publicId, items);
    }
  }
  let drafted = 0;
  if (byPerson.size > 0) {
    const contacts = listContactsOfEvent(ctx.db, event.id).filter((c) => c.email && byPerson.has(c.personPublicId));
    const stopped = listOptOuts(ctx.db, contacts.map((c) => c.email!));
    const queued = findSettings(ctx.db, event.id)?.releaseWithoutReview ?? false;
    const refreshSeconds = refreshPolicy(event, ctx.now).seconds;
    const rows: MessageInsert[] = [];
    for (const contact of contacts) {
      if (stopped.has(contact.email!)) continue;
      const language = languageOf(contact.language, event);
      const items: ReleaseItem[] = byPerson.get(contact.personPublicId)!.map((i) => ({
        change: i.change, session: i.session, roles: [...i.roles].map((r) => translate(language, `role.${r}` as never)),
      }));
      const composed = composeReleaseMessage({
        event, programme: release.next, publicUrl: ctx.publicUrl, release, recipientName: contact.name, language, items, refreshSeconds,
      });
      rows.push(row(ctx, 'release', queued, { personId: contact.personId, name: contact.name, email: contact.email!, language }, composed, release.id));
    }
    insertMessages(ctx.db, rows);
    drafted = rows.length;
  }
  enqueueWebhooks(ctx, 'release.published', {
    event: eventRef(ctx), release: releaseRef(ctx, release),
  });
  for (const change of release.changes) {
    if (change.type !== 'cancelled') continue;
    enqueueWebhooks(ctx, 'session.cancelled', { event: eventRef(ctx), release: releaseRef(ctx, release), session: sessionRef(ctx, change.session) });
  }
  return drafted;
}

export interface RapporteurFacts {
  kind: RapporteurNotice;
  user: { id: number; name: string; email: string; language: string | null };
  session: { publicId: string; title: LocalizedText; placement: Placement };
  comment?: string | null;
}

/** Tells a rapporteur of an assignment, or of where their conclusions stand. */
export function draftRapporteurMessage(ctx: MessageContext, facts: RapporteurFacts): void {
  const email = facts.user.email.toLowerCase();
  if (listOptOuts(ctx.db, [email]).size > 0) return;
  const language = languageOf(facts.user.language, ctx.event);
  const composed = composeRapporteurMessage({
    event: ctx.event, publicUrl: ctx.publicUrl, kind: facts.kind, recipientName: facts.user.name, language, session: facts.session, comment: facts.comment ?? null,
  });
  const queued = findSettings(ctx.db, ctx.event.id)?.rapporteurWithoutReview ?? true;
  store(ctx, facts.kind, queued, { userId: facts.user.id, name: facts.user.name, email, language }, composed);
}

/** Tells the event's organisers that an endpoint was disabled; queued at once, as nobody else would review it. */
export function draftEndpointDisabled(ctx: MessageContext, endpointUrl: string): void {
  const organisers = listOrganisersOf(ctx.db, ctx.event.id);
  const stopped = listOptOuts(ctx.db, organisers.map((o) => o.email));
  for (const organiser of organisers) {
    if (stopped.has(organiser.email)) continue;
    const language = languageOf(organiser.language, ctx.event);
    store(ctx, 'endpoint-disabled', true, { userId: organiser.id, name: organiser.name, email: organiser.email, language },
      composeEndpointDisabled({ event: ctx.event, publicUrl: ctx.publicUrl, language, recipientName: organiser.name, endpointUrl }));
  }
}

/** Tells every rapporteur of a session where its conclusions stand (returned, validated, published). */
export function draftConclusionsNotice(ctx: MessageContext, kind: Exclude<RapporteurNotice, 'assigned'>, session: { id: number; publicId: string; title: LocalizedText }, comment: string | null): void {
  const placement = findSessionPlacement(ctx.db, session.id);
  for (const user of listRapporteursOfSession(ctx.db, session.id)) {
    draftRapporteurMessage(ctx, { kind, user, session: { publicId: session.publicId, title: session.title, placement }, comment });
  }
  if (kind === 'published') {
    enqueueWebhooks(ctx, 'conclusions.published', {
      event: eventRef(ctx),
      session: sessionRef(ctx, { id: session.publicId, title: session.title, ...placement }),
      conclusions: { url: `${ctx.publicUrl}/events/${encodeURIComponent(ctx.event.slug)}/report#session-${session.publicId}`, publishedAt: ctx.now.toISOString() },
    });
  }
}

/** Tells a rapporteur that a session was assigned to them. */
export function draftAssignmentNotice(ctx: MessageContext, session: { id: number; publicId: string; title: LocalizedText }, user: RapporteurFacts['user']): void {
  draftRapporteurMessage(ctx, { kind: 'assigned', user, session: { publicId: session.publicId, title: session.title, placement: findSessionPlacement(ctx.db, session.id) } });
}
