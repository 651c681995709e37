// The outbox as organisers use it: read, edit, discard and send what the server drafted; the
// event's settings; the contacts of its people; and the link that stops messages to an address.
import type { Db } from '../../db/client.ts';
import { LANGUAGES, type Language, type MessageRow } from '../../db/schema.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../errors.ts';
import { recordWrite, type Actor } from '../audit/service.ts';
import type { EventRow } from '../programme/repository.ts';
import { findRow } from '../programme/items.ts';
import {
  countMessagesByState, deleteContact, findContact, findMessage, findMessageByStopToken, findSettings, insertOptOut, listContactsOfEvent,
  listMessagesOfEvent, queueDrafts, updateWaitingMessage, upsertContact, upsertSettings,
} from './repository.ts';

export interface OutboxContext {
  db: Db;
  event: EventRow;
  actor: Actor;
  now: Date;
}

export function messageOut(m: MessageRow) {
  const last = m.log.at(-1) ?? null;
  return {
    id: m.publicId, kind: m.kind, state: m.state, to: { name: m.toName, email: m.toAddress }, language: m.language,
    subject: m.subject, body: m.body, attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: Buffer.byteLength(a.content) })),
    attempts: m.attempts, nextAttemptAt: m.state === 'queued' ? m.nextAttemptAt?.toISOString() ?? null : null,
    lastAnswer: last?.detail ?? null, log: m.log, createdAt: m.createdAt.toISOString(), sentAt: m.doneAt?.toISOString() ?? null, version: m.version,
  };
}

export const OUTBOX_PAGE = 500;

export function listOutbox(db: Db, event: EventRow) {
  return { messages: listMessagesOfEvent(db, event.id, OUTBOX_PAGE), counts: countMessagesByState(db, event.id) };
}

export function messageOf(db: Db, event: EventRow, publicId: string): MessageRow {
  const m = findMessage(db, event.id, publicId);
  if (!m) throw new NotFoundError('message', publicId);
  return m;
}

const EMAIL = /^[^\s@<>"(),;:\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** An address as stored: trimmed and lower-cased; refused unless it is a plain address (no display name, no header break). */
export function checkedEmail(raw: string, pointer: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw new UnprocessableError([{ pointer, code: 'email' }]);
  return email;
}

function changed(ctx: OutboxContext, before: MessageRow, ok: boolean, what: string) {
  if (!ok) {
    const now = findMessage(ctx.db, ctx.event.id, before.publicId)!;
    throw new ConflictError(`This message is now ${now.state} at version ${now.version}, not ${before.state} at the version you ${what}: read it again`, 'stale-version', { state: now.state, version: now.version });
  }
  const after = findMessage(ctx.db, ctx.event.id, before.publicId)!;
  recordWrite(ctx.db, {
    eventId: ctx.event.id, actor: ctx.actor, at: ctx.now, action: 'update', entity: 'message', entityId: before.publicId,
    before: { state: before.state, subject: before.subject, to: before.toAddress }, after: { state: after.state, subject: after.subject, to: after.toAddress },
  });
  return after;
}

/** Changes a draft's subject, text or address; a message a sender has taken can no longer be changed. */
export function editMessage(ctx: OutboxContext, publicId: string, version: number, input: { subject?: string; body?: string; to?: string }) {
  return ctx.db.transaction(() => {
    const m = messageOf(ctx.db, ctx.event, publicId);
    if (m.state !== 'draft') throw new ConflictError(`Only a draft can be edited; this message is ${m.state}`, 'invalid-transition', { state: m.state });
    const subject = input.subject === undefined ? m.subject : input.subject.replace(/[\r\n\t]+/g, ' ').trim();
    if (subject === '') throw new UnprocessableError([{ pointer: '#/subject', code: 'blank' }]);
    const body = input.body === undefined ? m.body : input.body.replace(/\r\n?/g, '\n');
    if (body.trim() === '') throw new UnprocessableError([{ pointer: '#/body', code: 'blank' }]);
    const toAddress = input.to === undefined ? m.toAddress : checkedEmail(input.to, '#/to');
    return changed(ctx, m, updateWaitingMessage(ctx.db, m.id, version, { subject, body, toAddress, updatedAt: ctx.now }), 'read');
  }, { behavior: 'immediate' });
}

/** Queues a draft (or a failed message, again); it leaves once a sender takes it. */
export function sendMessage(ctx: OutboxContext, publicId: string, version: number) {
  return ctx.db.transaction(() => {
    const m = messageOf(ctx.db, ctx.event, publicId);
    if (m.state !== 'draft' && m.state !== 'failed') throw new ConflictError(`Only a draft or a failed message can be sent; this message is ${m.state}`, 'invalid-transition', { state: m.state });
    return changed(ctx, m, updateWaitingMessage(ctx.db, m.id, version, { state: 'queued', nextAttemptAt: ctx.now, updatedAt: ctx.now }), 'read');
  }, { behavior: 'immediate' });
}

export function discardMessage(ctx: OutboxContext, publicId: string, version: number) {
  return ctx.db.transaction(() => {
    const m = messageOf(ctx.db, ctx.event, publicId);
    if (m.state !== 'draft' && m.state !== 'queued' && m.state !== 'failed') throw new ConflictError(`This message is ${m.state}: it can no longer be discarded`, 'invalid-transition', { state: m.state });
    return changed(ctx, m, updateWaitingMessage(ctx.db, m.id, version, { state: 'discarded', nextAttemptAt: null, updatedAt: ctx.now }), 'read');
  }, { behavior: 'immediate' });
}

/** Queues every draft of the event at once. */
export function sendAllDrafts(ctx: OutboxContext): number {
  return ctx.db.transaction(() => {
    const count = queueDrafts(ctx.db, ctx.event.id, ctx.now);
    if (count > 0) recordWrite(ctx.db, { eventId: ctx.event.id, actor: ctx.actor, at: ctx.now, action: 'update', entity: 'outbox', entityId: ctx.event.publicId, before: null, after: { queued: count } });
    return count;
  }, { behavior: 'immediate' });
}

// ---- Settings

export function messageSettingsOf(db: Db, event: EventRow) {
  const row = findSettings(db, event.id);
  return { releaseWithoutReview: row?.releaseWithoutReview ?? false, rapporteurWithoutReview: row?.rapporteurWithoutReview ?? true };
}

export function updateMessageSettings(ctx: OutboxContext, input: { releaseWithoutReview: boolean; rapporteurWithoutReview: boolean }) {
  return ctx.db.transaction(() => {
    const before = messageSettingsOf(ctx.db, ctx.event);
    upsertSettings(ctx.db, ctx.event.id, input);
    recordWrite(ctx.db, {
      eventId: ctx.event.id, actor: ctx.actor, at: ctx.now, action: 'update', entity: 'message-settings', entityId: ctx.event.publicId,
      before: { releaseWithoutReview: before.releaseWithoutReview, rapporteurWithoutReview: before.rapporteurWithoutReview }, after: input,
    });
    return messageSettingsOf(ctx.db, ctx.event);
  }, { behavior: 'immediate' });
}

// ---- Contacts

export function contactsOf(db: Db, event: EventRow) {
  return listContactsOfEvent(db, event.id).map((c) => ({ person: c.personPublicId, name: c.name, email: c.email, language: c.language }));
}

/** Sets (or, with neither, removes) a person's e-mail and language. Recorded in the audit log without the address itself. */
export function setContact(ctx: OutboxContext, personPublicId: string, input: { email: string | null; language: Language | null }) {
  return ctx.db.transaction(() => {
    const person = findRow(ctx.db, 'person', ctx.event.id, personPublicId);
    if (!person) throw new NotFoundError('person', personPublicId);
    const email = input.email === null || input.email.trim() === '' ? null : checkedEmail(input.email, '#/email');
    if (input.language !== null && !(LANGUAGES as readonly string[]).includes(input.language)) throw new UnprocessableError([{ pointer: '#/language', code: 'language-not-listed' }]);
    const before = findContact(ctx.db, person.id);
    if (email === null && input.language === null) deleteContact(ctx.db, person.id);
    else upsertContact(ctx.db, { personId: person.id, email, language: input.language, updatedAt: ctx.now });
    recordWrite(ctx.db, {
      eventId: ctx.event.id, actor: ctx.actor, at: ctx.now, action: before ? 'update' : 'create', entity: 'contact', entityId: person.publicId,
      before: before ? { hasEmail: before.email !== null, language: before.language } : null, after: { hasEmail: email !== null, language: input.language },
    });
    return { person: person.publicId, name: person.name, email, language: input.language };
  }, { behavior: 'immediate' });
}

// ---- The stop link

/** The address a stop link is for, or null when the token is unknown. */
export function stopTarget(db: Db, token: string): { email: string; language: Language } | null {
  const m = findMessageByStopToken(db, token);
  return m ? { email: m.toAddress, language: m.language } : null;
}

/** Stops every message to the address of that link, from now on; queued ones are not sent. */
export function stopMessages(db: Db, token: string, now: Date): { email: string; language: Language } | null {
  return db.transaction(() => {
    const target = stopTarget(db, token);
    if (target) insertOptOut(db, target.email, now);
    return target;
  }, { behavior: 'immediate' });
}
