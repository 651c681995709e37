// An event's webhooks: the addresses of other systems told of its news (a release published,
// conclusions published, a session cancelled), each with its secret, whether it is enabled, and
// the log of its last deliveries. Addresses of this server's own networks are refused unless
// the operator allows them (WEBHOOK_ALLOW_PRIVATE): the domain checks, this page says why.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { findEndpoint, listDeliveriesOfEndpoint, listEndpointsOfEvent } from '../../domains/messaging/repository.ts';
import { createEndpoint, removeEndpoint, updateWebhookEndpoint, type EndpointContext } from '../../domains/messaging/webhooks.ts';
import { WEBHOOK_KINDS, type Language, type WebhookEndpointRow, type WebhookKind } from '../../db/schema.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../errors.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import { fieldErrorMessage } from '../shared/forms/check.ts';
import { EventParams, ItemParams } from '../shared/schemas.ts';
import { instantOf, STATE_WORDS } from './outbox.ts';
import { render, scopeOf } from './kit.ts';
import { LangOnly, PageQuery } from './schemas.ts';

/** The last deliveries an endpoint's page lists. */
const DELIVERIES_SHOWN = 100;

const Csrf = Type.String({ maxLength: 200 });
const Version = Type.String({ pattern: '^[0-9]{1,9}$', maxLength: 9 });
/** A ticked box is sent once, several are sent as a list. */
const Kinds = Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })]));

const CreateForm = Type.Object({ _csrf: Csrf, url: Type.String({ maxLength: 2000 }), kinds: Kinds }, { additionalProperties: false });
const UpdateForm = Type.Object({ _csrf: Csrf, version: Version, url: Type.String({ maxLength: 2000 }), kinds: Kinds }, { additionalProperties: false });
const StateForm = Type.Object({ _csrf: Csrf, version: Version, enabled: Type.Enum(['yes', 'no']) }, { additionalProperties: false });
const DeleteForm = Type.Object({ _csrf: Csrf }, { additionalProperties: false });

/** What each kind of news is, in a sentence beside its name. */
const KIND_SENTENCES: Record<WebhookKind, MessageKey> = {
  'release.published': 'webhooks.kind.release',
  'conclusions.published': 'webhooks.kind.conclusions',
  'session.cancelled': 'webhooks.kind.cancelled',
};

const listOf = (kinds: string | string[] | undefined) => (kinds === undefined ? [] : Array.isArray(kinds) ? kinds : [kinds]);

function errorsOf(locale: Language, error: UnprocessableError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const e of error.errors) errors[e.pointer === '#/kinds' ? 'kinds' : 'url'] ??= fieldErrorMessage(locale, e);
  return errors;
}

const summaryOf = (errors: Record<string, string>) =>
  Object.entries(errors).map(([field, text]) => ({ href: field === 'kinds' ? '#kind-release-published' : '#field-url', text }));

function endpointContext(request: FastifyRequest): EndpointContext {
  const { event, user } = scopeOf(request);
  return { db: request.server.db, event, actor: { id: user.id, name: user.name }, now: request.server.now(), allowPrivate: request.server.webhookAllowPrivate };
}

interface FormState {
  status: number;
  values?: { url: string; kinds: string[] };
  errors?: Record<string, string>;
}

/** The address field and the kinds' boxes, as both forms show them. */
function fieldsOf(locale: Language, values: { url: string; kinds: string[] }, errors: Record<string, string>) {
  return {
    url: values.url,
    urlError: errors.url ?? null,
    kindsError: errors.kinds ?? null,
    kinds: WEBHOOK_KINDS.map((kind) => ({ value: kind, id: `kind-${kind.replace('.', '-')}`, checked: values.kinds.includes(kind), sentence: translate(locale, KIND_SENTENCES[kind]) })),
  };
}

function statusOf(request: FastifyRequest, e: WebhookEndpointRow): string {
  const scope = scopeOf(request);
  return e.disabledAt === null ? translate(scope.locale, 'webhooks.enabled') : translate(scope.locale, 'webhooks.disabledSince', { at: instantOf(scope, e.disabledAt).label });
}

function webhooksPage(request: FastifyRequest, reply: FastifyReply, state: FormState) {
  const { locale, base, event } = scopeOf(request);
  const errors = state.errors ?? {};
  return render(request, reply, 'workspace/webhooks', state.status, {
    title: translate(locale, 'webhooks.title'),
    section: 'webhooks',
    allowPrivate: request.server.webhookAllowPrivate,
    errorSummary: summaryOf(errors),
    endpoints: listEndpointsOfEvent(request.server.db, event.id).map((e) => ({
      href: `${base}/webhooks/${e.publicId}`, url: e.url, kinds: e.kinds.join(', '), enabled: e.disabledAt === null, status: statusOf(request, e), failures: e.failures,
    })),
    form: { action: `${base}/webhooks`, ...fieldsOf(locale, state.values ?? { url: '', kinds: [...WEBHOOK_KINDS] }, errors) },
  });
}

function endpointPage(request: FastifyRequest, reply: FastifyReply, id: string, state: FormState & { stale?: boolean }) {
  const scope = scopeOf(request);
  const { locale, base, event } = scope;
  const e = findEndpoint(request.server.db, event.id, id);
  if (!e) throw new NotFoundError('webhook', id);
  const url = `${base}/webhooks/${e.publicId}`;
  return render(request, reply, 'workspace/webhook', state.status, {
    title: translate(locale, 'webhooks.endpoint.title', { url: e.url }),
    section: 'webhooks',
    backUrl: `${base}/webhooks`,
    alert: state.stale ? translate(locale, 'webhooks.stale') : null,
    errorSummary: summaryOf(state.errors ?? {}),
    endpoint: {
      url: e.url, enabled: e.disabledAt === null, status: statusOf(request, e), failures: e.failures, secret: e.secret, created: instantOf(scope, e.createdAt),
    },
    form: { action: url, version: e.version, ...fieldsOf(locale, state.values ?? { url: e.url, kinds: e.kinds }, state.errors ?? {}) },
    toggle: { action: `${url}/state`, version: e.version, enabled: e.disabledAt === null ? 'no' : 'yes', label: translate(locale, e.disabledAt === null ? 'webhooks.disable' : 'webhooks.enable') },
    remove: { action: `${url}/delete`, confirm: translate(locale, 'webhooks.deleteConfirm', { url: e.url }) },
    deliveries: listDeliveriesOfEndpoint(request.server.db, e.id, DELIVERIES_SHOWN).map((d) => ({
      kind: d.kind, state: d.state, stateWord: translate(locale, STATE_WORDS[d.state]), attempts: d.attempts,
      lastAnswer: d.log.at(-1)?.detail ?? null, at: instantOf(scope, d.createdAt),
    })),
  });
}

export default async function webhookRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/events/:slug/webhooks', { schema: { params: EventParams, querystring: PageQuery } }, async (request, reply) => webhooksPage(request, reply, { status: 200 }));

  app.post('/events/:slug/webhooks', { schema: { params: EventParams, querystring: LangOnly, body: CreateForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    const { locale, base } = scopeOf(request);
    const values = { url: request.body.url, kinds: listOf(request.body.kinds) };
    let created: { id: string };
    try {
      created = await createEndpoint(endpointContext(request), values as { url: string; kinds: WebhookKind[] });
    } catch (error) {
      if (error instanceof UnprocessableError) return webhooksPage(request, reply, { status: 422, values, errors: errorsOf(locale, error) });
      throw error;
    }
    return reply.redirect(`${base}/webhooks/${created.id}?saved=webhookCreated`, 303);
  });

  app.get('/events/:slug/webhooks/:id', { schema: { params: ItemParams, querystring: PageQuery } }, async (request, reply) => endpointPage(request, reply, request.params.id, { status: 200 }));

  app.post('/events/:slug/webhooks/:id', { schema: { params: ItemParams, querystring: LangOnly, body: UpdateForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    const { locale, base } = scopeOf(request);
    const { id } = request.params;
    const values = { url: request.body.url, kinds: listOf(request.body.kinds) };
    try {
      await updateWebhookEndpoint(endpointContext(request), id, Number(request.body.version), values as { url: string; kinds: WebhookKind[] });
    } catch (error) {
      if (error instanceof UnprocessableError) return endpointPage(request, reply, id, { status: 422, values, errors: errorsOf(locale, error) });
      if (error instanceof ConflictError) return endpointPage(request, reply, id, { status: 409, values, stale: true });
      throw error;
    }
    return reply.redirect(`${base}/webhooks/${id}?saved=updated`, 303);
  });

  app.post('/events/:slug/webhooks/:id/state', { schema: { params: ItemParams, querystring: LangOnly, body: StateForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    const { id } = request.params;
    const enabled = request.body.enabled === 'yes';
    try {
      await updateWebhookEndpoint(endpointContext(request), id, Number(request.body.version), { enabled });
    } catch (error) {
      if (error instanceof ConflictError) return endpointPage(request, reply, id, { status: 409, stale: true });
      throw error;
    }
    return reply.redirect(`${scopeOf(request).base}/webhooks/${id}?saved=${enabled ? 'webhookEnabled' : 'webhookDisabled'}`, 303);
  });

  app.post('/events/:slug/webhooks/:id/delete', { schema: { params: ItemParams, querystring: LangOnly, body: DeleteForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    removeEndpoint(endpointContext(request), request.params.id);
    return reply.redirect(`${scopeOf(request).base}/webhooks?saved=webhookDeleted`, 303);
  });

  // The pages of refused forms have these addresses; their language links lead back to the endpoint.
  for (const action of ['state', 'delete']) {
    app.get(`/events/:slug/webhooks/:id/${action}`, { schema: { params: ItemParams, querystring: LangOnly }, config: { access: 'anyone' } }, async (request, reply) => {
      const { slug, id } = request.params;
      return reply.redirect(`/admin/events/${slug}/webhooks/${id}${request.query.lang ? `?lang=${request.query.lang}` : ''}`, 303);
    });
  }
}
