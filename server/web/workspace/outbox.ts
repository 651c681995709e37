// The outbox of an event: every message the server drafted (a release that changed someone's
// sessions, a rapporteur's news), what the organisers do with them (read, correct, send,
// discard), whether e-mail can leave this server at all, and the event's two settings that let
// messages leave without review. Nothing here sends: a queued message is the sender's
// (domains/messaging/sender.ts), which the deliveries plugin wakes after every write.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  discardMessage, editMessage, listOutbox, messageOf, messageSettingsOf, sendAllDrafts, sendMessage, updateMessageSettings, type OutboxContext,
} from '../../domains/messaging/outbox.ts';
import { DELIVERY_STATES, type DeliveryAttempt, type DeliveryState, type MessageKind, type MessageRow } from '../../db/schema.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../errors.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import { localClock, localDate, longDate, toZonedIso } from '../../time.ts';
import { fieldErrorMessage } from '../shared/forms/check.ts';
import { EventParams, ItemParams } from '../shared/schemas.ts';
import { render, scopeOf, type Scope } from './kit.ts';
import { LangOnly, PageQuery } from './schemas.ts';

const Csrf = Type.String({ maxLength: 200 });
const Version = Type.String({ pattern: '^[0-9]{1,9}$', maxLength: 9 });

const SettingsForm = Type.Object({
  _csrf: Csrf,
  releaseWithoutReview: Type.Optional(Type.Enum(['yes'])),
  rapporteurWithoutReview: Type.Optional(Type.Enum(['yes'])),
}, { additionalProperties: false });

const CsrfForm = Type.Object({ _csrf: Csrf }, { additionalProperties: false });
const VersionForm = Type.Object({ _csrf: Csrf, version: Version }, { additionalProperties: false });

const SUBJECT_MAX = 500;
const BODY_MAX = 50_000;

const EditForm = Type.Object({
  _csrf: Csrf,
  version: Version,
  to: Type.String({ maxLength: 254 }),
  subject: Type.String({ maxLength: SUBJECT_MAX }),
  body: Type.String({ maxLength: BODY_MAX }),
}, { additionalProperties: false });

const AttachmentParams = Type.Object({ ...ItemParams.properties, n: Type.String({ pattern: '^[0-9]{1,3}$', maxLength: 3 }) });

/** A state's word: a message's state is never told by a colour alone. */
export const STATE_WORDS: Record<DeliveryState, MessageKey> = {
  draft: 'outbox.state.draft', queued: 'outbox.state.queued', sending: 'outbox.state.sending',
  sent: 'outbox.state.sent', failed: 'outbox.state.failed', discarded: 'outbox.state.discarded',
};

const KIND_WORDS: Record<MessageKind, MessageKey> = {
  release: 'outbox.kind.release', assigned: 'outbox.kind.assigned', returned: 'outbox.kind.returned',
  validated: 'outbox.kind.validated', published: 'outbox.kind.published', 'endpoint-disabled': 'outbox.kind.endpointDisabled',
};

/** An instant as the workspace shows it: the event's day and clock, with the ISO form for <time>. */
export function instantOf(scope: Pick<Scope, 'event' | 'locale'>, at: Date | string) {
  const instant = typeof at === 'string' ? new Date(at) : at;
  const zone = scope.event.timezone;
  return {
    iso: toZonedIso(instant, zone),
    label: translate(scope.locale, 'admin.audit.instant', { day: longDate(localDate(instant, zone), scope.locale), time: localClock(instant, zone) }),
  };
}

/** One try of a delivery as a log's row shows it. */
export function attemptView(scope: Pick<Scope, 'event' | 'locale'>, attempt: DeliveryAttempt) {
  return {
    at: instantOf(scope, attempt.at), ok: attempt.ok,
    outcome: translate(scope.locale, attempt.ok ? 'outbox.attempt.ok' : 'outbox.attempt.failed'), detail: attempt.detail,
  };
}

export function outboxContext(request: FastifyRequest): OutboxContext {
  const scope = scopeOf(request);
  return { db: request.server.db, event: scope.event, actor: { id: scope.user.id, name: scope.user.name }, now: request.server.now() };
}

function outboxPage(request: FastifyRequest, reply: FastifyReply) {
  const scope = scopeOf(request);
  const { locale, base, event } = scope;
  const db = request.server.db;
  const { messages, counts } = listOutbox(db, event);
  const settings = messageSettingsOf(db, event);
  const drafts = counts.draft ?? 0;
  return render(request, reply, 'workspace/outbox', 200, {
    title: translate(locale, 'outbox.title'),
    section: 'outbox',
    mailEnabled: request.server.mailEnabled,
    counts: DELIVERY_STATES.map((state) => ({
      state, text: translate(locale, 'outbox.count', { state: translate(locale, STATE_WORDS[state]), count: counts[state] ?? 0 }),
    })),
    settings: { action: `${base}/outbox/settings`, release: settings.releaseWithoutReview, rapporteur: settings.rapporteurWithoutReview },
    sendAll: { action: `${base}/outbox/send-all`, label: translate(locale, 'outbox.sendAll', { count: drafts }), disabled: drafts === 0 },
    messages: messages.map((m) => {
      const last = m.log.at(-1) ?? null;
      return {
        href: `${base}/outbox/${m.publicId}`, toName: m.toName, toAddress: m.toAddress, kind: translate(locale, KIND_WORDS[m.kind]),
        language: translate(locale, `language.${m.language}`), subject: m.subject, state: m.state, stateWord: translate(locale, STATE_WORDS[m.state]),
        attempts: m.attempts, lastAnswer: last?.detail ?? null, created: instantOf(scope, m.createdAt),
      };
    }),
  });
}

interface MessageFormState {
  status: number;
  values?: { to: string; subject: string; body: string };
  errors?: Record<string, string>;
  /** Set when what the organiser acted on had changed meanwhile. */
  stale?: boolean;
}

function messagePage(request: FastifyRequest, reply: FastifyReply, id: string, state: MessageFormState) {
  const scope = scopeOf(request);
  const { locale, base, event } = scope;
  const m = messageOf(request.server.db, event, id);
  const url = `${base}/outbox/${m.publicId}`;
  const errors = state.errors ?? {};
  const values = m.state === 'draft' && state.values ? state.values : { to: m.toAddress, subject: m.subject, body: m.body };
  const send = m.state === 'draft' || m.state === 'failed'
    ? { action: `${url}/send`, version: m.version, label: translate(locale, m.state === 'failed' ? 'outbox.sendAgain' : 'outbox.send') } : null;
  const discard = m.state === 'draft' || m.state === 'queued' || m.state === 'failed'
    ? { action: `${url}/discard`, version: m.version, confirm: translate(locale, 'outbox.discardConfirm') } : null;
  return render(request, reply, 'workspace/outbox-message', state.status, {
    title: translate(locale, 'outbox.message.title', { name: m.toName }),
    section: 'outbox',
    backUrl: `${base}/outbox`,
    mailEnabled: request.server.mailEnabled,
    alert: state.stale ? translate(locale, 'outbox.stale', { state: translate(locale, STATE_WORDS[m.state]) }) : null,
    errorList: Object.entries(errors).map(([field, message]) => ({ field, message })),
    message: {
      toName: m.toName, toAddress: m.toAddress, subject: m.subject, body: m.body, state: m.state, stateWord: translate(locale, STATE_WORDS[m.state]),
      kind: translate(locale, KIND_WORDS[m.kind]), language: m.language, languageName: translate(locale, `language.${m.language}`),
      created: instantOf(scope, m.createdAt), sent: m.doneAt ? instantOf(scope, m.doneAt) : null,
      nextAttempt: m.state === 'queued' && m.nextAttemptAt ? instantOf(scope, m.nextAttemptAt) : null,
      attempts: m.attempts,
    },
    attachments: m.attachments.map((a, n) => ({
      href: `${url}/attachments/${n}`, filename: a.filename, contentType: a.contentType,
      size: translate(locale, 'outbox.attachment.size', { size: Buffer.byteLength(a.content) }),
    })),
    log: m.log.map((a) => attemptView(scope, a)),
    edit: m.state === 'draft' ? {
      action: url, version: m.version, values,
      errors: { to: errors.to ?? null, subject: errors.subject ?? null, body: errors.body ?? null },
    } : null,
    send, discard, actions: send !== null || discard !== null,
  });
}

/** The field of the edit form a domain's pointer names. */
const FIELD_OF: Record<string, string> = { '#/to': 'to', '#/subject': 'subject', '#/body': 'body' };

type Act = (ctx: OutboxContext, id: string, version: number) => unknown;

export default async function outboxRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const page = { schema: { params: ItemParams, querystring: PageQuery } };

  app.get('/events/:slug/outbox', { schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) => outboxPage(request, reply));

  app.post('/events/:slug/outbox/settings', { schema: { params: EventParams, body: SettingsForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    updateMessageSettings(outboxContext(request), {
      releaseWithoutReview: request.body.releaseWithoutReview === 'yes', rapporteurWithoutReview: request.body.rapporteurWithoutReview === 'yes',
    });
    return reply.redirect(`${scopeOf(request).base}/outbox?saved=updated`, 303);
  });

  app.post('/events/:slug/outbox/send-all', { schema: { params: EventParams, body: CsrfForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    sendAllDrafts(outboxContext(request));
    return reply.redirect(`${scopeOf(request).base}/outbox?saved=draftsQueued`, 303);
  });

  app.get('/events/:slug/outbox/:id', page, async (request, reply) => messagePage(request, reply, request.params.id, { status: 200 }));

  app.post('/events/:slug/outbox/:id', { schema: { params: ItemParams, body: EditForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    const { locale, base } = scopeOf(request);
    const { id } = request.params;
    const values = { to: request.body.to, subject: request.body.subject, body: request.body.body };
    try {
      editMessage(outboxContext(request), id, Number(request.body.version), values);
    } catch (error) {
      if (error instanceof UnprocessableError) {
        const errors: Record<string, string> = {};
        for (const e of error.errors) errors[FIELD_OF[e.pointer] ?? 'body'] ??= fieldErrorMessage(locale, e);
        return messagePage(request, reply, id, { status: 422, values, errors });
      }
      if (error instanceof ConflictError) return messagePage(request, reply, id, { status: 409, values, stale: true });
      throw error;
    }
    return reply.redirect(`${base}/outbox/${id}?saved=draftSaved`, 303);
  });

  const act = (action: 'send' | 'discard', run: Act, saved: string) => {
    app.post(`/events/:slug/outbox/:id/${action}`, { schema: { params: ItemParams, body: VersionForm }, preValidation: app.csrfProtection }, async (request, reply) => {
      const { id } = request.params;
      try {
        run(outboxContext(request), id, Number(request.body.version));
      } catch (error) {
        if (error instanceof ConflictError) return messagePage(request, reply, id, { status: 409, stale: true });
        throw error;
      }
      return reply.redirect(`${scopeOf(request).base}/outbox/${id}?saved=${saved}`, 303);
    });
    // The refused form's page has this address; its language links lead back to the message.
    app.get(`/events/:slug/outbox/:id/${action}`, { schema: { params: ItemParams, querystring: LangOnly }, config: { access: 'anyone' } }, async (request, reply) => {
      const { slug, id } = request.params;
      return reply.redirect(`/admin/events/${slug}/outbox/${id}${request.query.lang ? `?lang=${request.query.lang}` : ''}`, 303);
    });
  };
  act('send', sendMessage, 'messageQueued');
  act('discard', discardMessage, 'messageDiscarded');

  // An attachment as the recipient will get it (a calendar file, most often), to check it before sending.
  app.get('/events/:slug/outbox/:id/attachments/:n', { schema: { params: AttachmentParams, querystring: LangOnly } }, async (request, reply) => {
    const { event } = scopeOf(request);
    const m: MessageRow = messageOf(app.db, event, request.params.id);
    const attachment = m.attachments[Number(request.params.n)];
    if (!attachment) throw new NotFoundError('attachment', request.params.n);
    return reply
      .header('Cache-Control', 'private, no-store').header('X-Robots-Tag', 'noindex')
      .header('Content-Disposition', contentDisposition(attachment.filename))
      .type(attachment.contentType)
      .send(attachment.content);
  });
}
