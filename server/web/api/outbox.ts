// The outbox in the API, for an event's organisers: the messages the server drafted (read,
// edit, send, discard, send every draft), their attachments, what is sent without review, and
// the contacts of the programme's people. Contacts' addresses are only ever answered here, to
// the organisers of the event: they live in their own table, which no public read touches.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DELIVERY_STATES, LANGUAGES, MESSAGE_KINDS, type Language, type MessageRow } from '../../db/schema.ts';
import {
  contactsOf, discardMessage, editMessage, listOutbox, messageOf, messageOut, messageSettingsOf, sendAllDrafts, sendMessage, setContact,
  updateMessageSettings, type OutboxContext,
} from '../../domains/messaging/outbox.ts';
import { Lang, Nullable, PublicId, Slug, strict, Version } from '../../domains/programme/schemas.ts';
import { NotFoundError, StaleVersionError } from '../../errors.ts';
import { organisedEvent } from '../shared/auth.ts';
import { EventParams, ItemParams } from '../shared/schemas.ts';
import { IfMatchHeaders } from './schemas.ts';
import { EVENT_BASE, guarded, idOf, SECURITY, versionsOf } from './writes.ts';

// ---- Schemas

const Instant = Type.String({ format: 'date-time', description: 'UTC' });

const Attempt = Type.Object({
  at: Instant,
  ok: Type.Boolean(),
  detail: Type.String({ description: 'The server\'s answer (an SMTP reply, an HTTP status line), or why there was none' }),
});

export const MessageOut = Type.Object({
  id: PublicId,
  kind: Type.Enum(MESSAGE_KINDS),
  state: Type.Enum(DELIVERY_STATES, { description: 'draft: waits for an organiser; queued: waits for the sender; sending; sent; failed; discarded' }),
  to: Type.Object({ name: Type.String(), email: Type.String() }),
  language: Lang,
  subject: Type.String(),
  body: Type.String({ description: 'Plain text; the line with the link that stops messages is added as it leaves' }),
  attachments: Type.Array(Type.Object({
    filename: Type.String(), contentType: Type.String(), size: Type.Integer({ minimum: 0, description: 'Bytes, in UTF-8' }),
  }), { description: 'Read each at attachments/{n}, n its position here from 0' }),
  attempts: Type.Integer({ minimum: 0 }),
  nextAttemptAt: Nullable(Instant),
  lastAnswer: Nullable(Type.String()),
  log: Type.Array(Attempt),
  createdAt: Instant,
  sentAt: Nullable(Instant),
  version: Version,
});

const Counts = Type.Object(Object.fromEntries(DELIVERY_STATES.map((s) => [s, Type.Integer({ minimum: 0 })])) as Record<(typeof DELIVERY_STATES)[number], ReturnType<typeof Type.Integer>>);

const OutboxOut = Type.Object({
  data: Type.Object({
    mailEnabled: Type.Boolean({ description: 'Whether e-mail can leave this server (SMTP_URL and MAIL_FROM are set); until then queued messages wait' }),
    counts: Counts,
    messages: Type.Array(MessageOut, { description: 'The latest 500, newest first' }),
  }),
});

const MessagePatch = Type.Object({
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  body: Type.Optional(Type.String({ minLength: 1, maxLength: 20000 })),
  to: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: 'A plain e-mail address' })),
}, strict);

const AttachmentParams = Type.Object({ slug: Slug, id: PublicId, n: Type.Integer({ minimum: 0, maximum: 99 }) });

const Settings = Type.Object({
  releaseWithoutReview: Type.Boolean({ description: 'Release messages are queued at once instead of waiting in the outbox as drafts' }),
  rapporteurWithoutReview: Type.Boolean({ description: 'Rapporteurs\' messages (assignment, return, validation, publication) are queued at once' }),
}, strict);

const ContactOut = Type.Object({
  person: PublicId,
  name: Type.String(),
  email: Nullable(Type.String()),
  language: Nullable(Lang),
});

// Type lists rather than anyOf: a value at fault is then told one thing, not one per branch.
const ContactPut = Type.Object({
  email: Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: 254, description: 'A plain e-mail address; null (or blank) for none' }),
  language: Type.Unsafe<Language | null>({
    type: ['string', 'null'], enum: [...LANGUAGES, null], description: 'The language messages are written in; null: the event\'s default language',
  }),
}, strict);

// ---- Routes

function outboxContext(request: FastifyRequest): OutboxContext {
  const { user, event } = organisedEvent(request);
  return { db: request.server.db, event, actor: { id: user.id, name: user.name }, now: request.server.now() };
}

/**
 * The message of the address and the version If-Match names, which must be its current one:
 * 428 without If-Match, 409 stale-version (with the message as it is now) otherwise.
 */
function expectedMessage(request: FastifyRequest): { message: MessageRow; version: number } {
  const versions = versionsOf(request);
  const message = messageOf(request.server.db, organisedEvent(request).event, idOf(request));
  if (!versions.includes(message.version)) throw new StaleVersionError('message', messageOut(message));
  return { message, version: message.version };
}

const dataOf = (message: MessageRow) => ({ data: messageOut(message) });

export default async function outboxApiRoutes(app: FastifyInstance) {
  const outbox = `${EVENT_BASE}/outbox`;
  const tags = ['outbox'];
  const one = Type.Object({ data: MessageOut });

  app.get(outbox, {
    ...guarded,
    schema: { tags, summary: 'The messages the server drafted, queued and sent for the event, with how many are in each state', security: SECURITY, params: EventParams, response: { 200: OutboxOut } },
  }, async (request) => {
    const { messages, counts } = listOutbox(app.db, organisedEvent(request).event);
    return {
      data: {
        mailEnabled: app.mailEnabled,
        counts: Object.fromEntries(DELIVERY_STATES.map((s) => [s, counts[s] ?? 0])),
        messages: messages.map(messageOut),
      },
    };
  });

  app.post(`${outbox}/send`, {
    ...guarded,
    schema: {
      tags, summary: 'Queue every draft of the event at once', security: SECURITY, params: EventParams,
      response: { 200: Type.Object({ data: Type.Object({ queued: Type.Integer({ minimum: 0, description: 'How many drafts were queued' }) }) }) },
    },
  }, async (request) => ({ data: { queued: sendAllDrafts(outboxContext(request)) } }));

  app.get(`${outbox}/:id`, {
    ...guarded,
    schema: { tags, summary: 'A message, with its version in the ETag', security: SECURITY, params: ItemParams, response: { 200: one } },
  }, async (request, reply) => {
    const message = messageOf(app.db, organisedEvent(request).event, idOf(request));
    return reply.header('ETag', `"${message.version}"`).send(dataOf(message));
  });

  app.patch(`${outbox}/:id`, {
    ...guarded,
    schema: {
      tags, summary: 'Change a draft\'s subject, text or address (If-Match required)',
      description: 'Only a draft can be changed (409 `invalid-transition` otherwise).',
      security: SECURITY, params: ItemParams, headers: IfMatchHeaders, body: MessagePatch, response: { 200: one },
    },
  }, async (request, reply) => {
    const { version } = expectedMessage(request);
    const message = editMessage(outboxContext(request), idOf(request), version, request.body as { subject?: string; body?: string; to?: string });
    return reply.header('ETag', `"${message.version}"`).send(dataOf(message));
  });

  app.post(`${outbox}/:id/send`, {
    ...guarded,
    schema: {
      tags, summary: 'Queue a draft, or a failed message again (If-Match required)',
      description: 'It leaves once the sender takes it, if e-mail is set up (`mailEnabled`); until then it waits, queued. Another state is 409 `invalid-transition`.',
      security: SECURITY, params: ItemParams, headers: IfMatchHeaders, response: { 200: one },
    },
  }, async (request, reply) => {
    const { version } = expectedMessage(request);
    const message = sendMessage(outboxContext(request), idOf(request), version);
    return reply.header('ETag', `"${message.version}"`).send(dataOf(message));
  });

  app.post(`${outbox}/:id/discard`, {
    ...guarded,
    schema: {
      tags, summary: 'Discard a draft, queued or failed message: it is never sent (If-Match required)',
      description: 'A message being sent or already sent is 409 `invalid-transition`.',
      security: SECURITY, params: ItemParams, headers: IfMatchHeaders, response: { 200: one },
    },
  }, async (request, reply) => {
    const { version } = expectedMessage(request);
    const message = discardMessage(outboxContext(request), idOf(request), version);
    return reply.header('ETag', `"${message.version}"`).send(dataOf(message));
  });

  app.get(`${outbox}/:id/attachments/:n`, {
    ...guarded,
    schema: {
      tags, summary: 'An attachment of a message, as it is sent (a session\'s calendar file: text/calendar)', security: SECURITY, params: AttachmentParams,
      response: { 200: { description: 'The attachment\'s bytes, in its own content type', content: { 'text/calendar': { schema: Type.String() } } } },
    },
  }, async (request, reply) => {
    const { n } = request.params as { n: number };
    const message = messageOf(app.db, organisedEvent(request).event, idOf(request));
    const attachment = message.attachments[n];
    if (!attachment) throw new NotFoundError('attachment', `${message.publicId}/${n}`);
    // Filenames are the server's own (session-<id>.ics); kept to safe characters all the same.
    const filename = attachment.filename.replace(/[^\w.-]/g, '_');
    return reply.type(attachment.contentType).header('Content-Disposition', `attachment; filename="${filename}"`).send(Buffer.from(attachment.content, 'utf8'));
  });

}

/** What is sent without review, and the contacts messages go to. */
export async function messageSettingsApiRoutes(app: FastifyInstance) {
  const tags = ['outbox'];
  const settings = `${EVENT_BASE}/message-settings`;
  const settingsOut = Type.Object({ data: Type.Object({ releaseWithoutReview: Settings.properties.releaseWithoutReview, rapporteurWithoutReview: Settings.properties.rapporteurWithoutReview }) });
  const settingsOf = (s: ReturnType<typeof messageSettingsOf>) => ({ data: { releaseWithoutReview: s.releaseWithoutReview, rapporteurWithoutReview: s.rapporteurWithoutReview } });

  app.get(settings, {
    ...guarded,
    schema: { tags, summary: 'Which messages are queued at once rather than kept as drafts for review', security: SECURITY, params: EventParams, response: { 200: settingsOut } },
  }, async (request) => settingsOf(messageSettingsOf(app.db, organisedEvent(request).event)));

  app.put(settings, {
    ...guarded,
    schema: { tags, summary: 'Choose which messages are queued at once rather than kept as drafts for review', security: SECURITY, params: EventParams, body: Settings, response: { 200: settingsOut } },
  }, async (request) => settingsOf(updateMessageSettings(outboxContext(request), request.body as { releaseWithoutReview: boolean; rapporteurWithoutReview: boolean })));

  app.get(`${EVENT_BASE}/contacts`, {
    ...guarded,
    schema: {
      tags: ['contacts'], summary: 'Every person of the event with the e-mail address and language messages use, by name',
      description: 'Addresses are private to the event\'s organisers: no public page, feed, export or release carries them.',
      security: SECURITY, params: EventParams, response: { 200: Type.Object({ data: Type.Array(ContactOut) }) },
    },
  }, async (request) => ({ data: contactsOf(app.db, organisedEvent(request).event) }));

  app.put(`${EVENT_BASE}/people/:id/contact`, {
    ...guarded,
    schema: {
      tags: ['contacts'], summary: 'Set a person\'s e-mail address and language; both null remove them',
      description: 'A release tells each person with an address what it changed in their sessions.',
      security: SECURITY, params: ItemParams, body: ContactPut, response: { 200: Type.Object({ data: ContactOut }) },
    },
  }, async (request) => ({ data: setContact(outboxContext(request), idOf(request), request.body as { email: string | null; language: Language | null }) }));
}
