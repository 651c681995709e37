// Webhooks: organisers register endpoints per event; each news kind they chose is posted to
// them as JSON, signed as the Standard Webhooks specification says, by the durable queue
// (sender.ts). Addresses of this server's own networks are refused (see addressProblem).
import { createHmac, randomBytes } from 'node:crypto';
import dns from 'node:dns/promises';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { v4 as uuidv4 } from 'uuid';
import { WEBHOOK_KINDS, type LocalizedText, type WebhookEndpointRow, type WebhookKind } from '../../db/schema.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../errors.ts';
import { eventPath, sessionAddress } from '../../addresses.ts';
import { recordWrite, type Actor } from '../audit/service.ts';
import type { Placement } from './compose.ts';
import { toZonedIso } from '../../time.ts';
import type { MessageContext } from './drafts.ts';
import { deleteEndpoint, findEndpoint, insertDelivery, insertEndpoint, listEndpointsOfEvent, updateEndpoint } from './repository.ts';

// ---- Payloads

export const eventRef = (ctx: Pick<MessageContext, 'event' | 'publicUrl'>) => ({
  id: ctx.event.publicId, slug: ctx.event.slug, title: ctx.event.title, url: `${ctx.publicUrl}${eventPath(ctx.event)}`,
});

export const releaseRef = (ctx: Pick<MessageContext, 'event' | 'publicUrl'>, release: { publicId: string; sequence: number; name: string }) => ({
  id: release.publicId, sequence: release.sequence, name: release.name, changes: `${ctx.publicUrl}${eventPath(ctx.event, '/changes')}`,
});

export const sessionRef = (ctx: Pick<MessageContext, 'event' | 'publicUrl'>, session: { id: string; title: LocalizedText } & Placement) => ({
  id: session.id, title: session.title,
  start: session.start === null ? null : toZonedIso(new Date(session.start), ctx.event.timezone),
  end: session.end === null ? null : toZonedIso(new Date(session.end), ctx.event.timezone),
  url: sessionAddress(ctx.publicUrl, ctx.event, ctx.event.defaultLanguage, session.id),
});

/** Queues one delivery of `kind` to every enabled endpoint of the event that asked for it, in the caller's transaction. */
export function enqueueWebhooks(ctx: MessageContext, kind: WebhookKind, data: Record<string, unknown>): number {
  let queued = 0;
  for (const endpoint of listEndpointsOfEvent(ctx.db, ctx.event.id)) {
    if (endpoint.disabledAt || !endpoint.kinds.includes(kind)) continue;
    const id = `msg_${uuidv4().replaceAll('-', '')}`;
    // The body names itself as the specification's envelope does: type, timestamp, data.
    const payload = JSON.stringify({ type: kind, timestamp: ctx.now.toISOString(), data });
    insertDelivery(ctx.db, {
      publicId: id, endpointId: endpoint.id, eventId: ctx.event.id, kind, payload, state: 'queued',
      nextAttemptAt: ctx.now, createdAt: ctx.now, updatedAt: ctx.now,
    });
    queued += 1;
  }
  return queued;
}

// ---- Signatures (Standard Webhooks, "Signature scheme")

/** A new secret: whsec_ and the base64 of 24 random bytes, as the specification's libraries make them. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * The headers of one try. Written with node:crypto rather than the standardwebhooks package,
 * so that the tests can check it against that package, an implementation independent of this one.
 */
export function signatureHeaders(secret: string, id: string, timestamp: Date, payload: string): Record<string, string> {
  const seconds = Math.floor(timestamp.getTime() / 1000);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${seconds}.${payload}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(seconds), 'webhook-signature': `v1,${signature}` };
}

// ---- Which addresses may be called

/**
 * Why this IP may not be called, or null: only public unicast addresses may, unless the
 * operator allows private ones (WEBHOOK_ALLOW_PRIVATE), so that an organiser cannot point the
 * server at its own network (its admin ports, a cloud's metadata address).
 */
export function addressProblem(ip: string, allowPrivate: boolean): string | null {
  if (!ipaddr.isValid(ip)) return `${ip} is not an IP address`;
  let address = ipaddr.parse(ip);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
  const range = address.range();
  if (range === 'unicast') return null;
  if (allowPrivate && ['private', 'loopback', 'linkLocal', 'uniqueLocal'].includes(range)) return null;
  return `${ip} is ${RANGE_NAMES[range] ?? `a ${range}`} address`;
}

const RANGE_NAMES: Record<string, string> = {
  private: 'a private', loopback: 'a loopback', linkLocal: 'a link-local', uniqueLocal: 'a unique local', unspecified: 'an unspecified',
  multicast: 'a multicast', broadcast: 'a broadcast', carrierGradeNat: 'a carrier-grade NAT', reserved: 'a reserved',
};

/** Every address the host name resolves to, each checked; throws with the reason when one may not be called. */
export async function resolveCallable(host: string, allowPrivate: boolean): Promise<{ address: string; family: number }[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const found = net.isIP(bare) ? [{ address: bare, family: net.isIP(bare) }] : await dns.lookup(bare, { all: true, verbatim: true });
  if (found.length === 0) throw new Error(`${host} has no address`);
  for (const { address } of found) {
    const problem = addressProblem(address, allowPrivate);
    if (problem) throw new Error(`${host}: ${problem}; private, loopback and link-local addresses are refused (WEBHOOK_ALLOW_PRIVATE)`);
  }
  return found;
}

// ---- Endpoints, as organisers manage them

export interface EndpointInput {
  url: string;
  kinds: WebhookKind[];
}

async function checkedUrl(raw: string, allowPrivate: boolean): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UnprocessableError([{ pointer: '#/url', code: 'webhook-url', params: { reason: 'not an absolute address' } }]);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.hash) {
    throw new UnprocessableError([{ pointer: '#/url', code: 'webhook-url', params: { reason: 'only http(s) addresses without credentials or fragment' } }]);
  }
  try {
    await resolveCallable(url.hostname, allowPrivate);
  } catch (error) {
    throw new UnprocessableError([{ pointer: '#/url', code: 'webhook-url', params: { reason: (error as Error).message } }]);
  }
  return url.href;
}

function checkedKinds(kinds: string[]): WebhookKind[] {
  const chosen = WEBHOOK_KINDS.filter((k) => kinds.includes(k));
  if (chosen.length === 0) throw new UnprocessableError([{ pointer: '#/kinds', code: 'webhook-kinds', params: { kinds: WEBHOOK_KINDS.join(', ') } }]);
  return chosen;
}

export interface EndpointContext {
  db: MessageContext['db'];
  event: MessageContext['event'];
  actor: Actor;
  now: Date;
  allowPrivate: boolean;
}

export function endpointOut(e: WebhookEndpointRow) {
  return {
    id: e.publicId, url: e.url, kinds: e.kinds, enabled: e.disabledAt === null,
    disabledAt: e.disabledAt?.toISOString() ?? null, failures: e.failures, createdAt: e.createdAt.toISOString(), version: e.version,
  };
}

const audited = (e: WebhookEndpointRow) => ({ url: e.url, kinds: e.kinds, enabled: e.disabledAt === null });

export async function createEndpoint(ctx: EndpointContext, input: EndpointInput) {
  const url = await checkedUrl(input.url, ctx.allowPrivate);
  const kinds = checkedKinds(input.kinds);
  return ctx.db.transaction(() => {
    const row = insertEndpoint(ctx.db, { publicId: uuidv4(), eventId: ctx.event.id, url, secret: newWebhookSecret(), kinds, createdAt: ctx.now, updatedAt: ctx.now });
    recordWrite(ctx.db, { eventId: ctx.event.id, actor: ctx.actor, at: ctx.now, action: 'create', entity: 'webhook', entityId: row.publicId, before: null, after: audited(row) });
    // The secret is shown here, and on the endpoint's page to its organisers: the receiver needs it.
    return { ...endpointOut(row), secret: row.secret };
  }, { behavior: 'immediate' });
}

function endpointOf(ctx: EndpointContext, publicId: string): WebhookEndpointRow {
  const row = findEndpoint(ctx.db, ctx.event.id, publicId);
  if (!row) throw new NotFoundError('webhook', publicId);
  return row;
}

export async function updateWebhookEndpoint(ctx: EndpointContext, publicId: string, version: number, input: Partial<EndpointInput> & { enabled?: boolean }) {
  const url = input.url === undefined ? undefined : await checkedUrl(input.url, ctx.allowPrivate);
  const kinds = input.kinds === undefined ? undefined : checkedKinds(input.kinds);
  return ctx.db.transaction(() => {
    const row = endpointOf(ctx, publicId);
    const disabledAt = input.enabled === undefined ? row.disabledAt : input.enabled ? null : row.disabledAt ?? ctx.now;
    // Enabled again: its count of failures starts over.
    const failures = input.enabled === true ? 0 : row.failures;
    if (!updateEndpoint(ctx.db, row.id, version, { url: url ?? row.url, kinds: kinds ?? row.kinds, disabledAt, failures, updatedAt: ctx.now })) {
      throw new ConflictError(`This webhook is now at version ${row.version}, not ${version}: read it again`, 'stale-version');
    }
    const after = endpointOf(ctx, publicId);
    recordWrite(ctx.db, { eventId: ctx.event.id, actor: ctx.actor, at: ctx.now, action: 'update', entity: 'webhook', entityId: row.publicId, before: audited(row), after: audited(after) });
    return endpointOut(after);
  }, { behavior: 'immediate' });
}

export function removeEndpoint(ctx: EndpointContext, publicId: string): void {
  ctx.db.transaction(() => {
    const row = endpointOf(ctx, publicId);
    deleteEndpoint(ctx.db, row.id);
    recordWrite(ctx.db, { eventId: ctx.event.id, actor: ctx.actor, at: ctx.now, action: 'delete', entity: 'webhook', entityId: row.publicId, before: audited(row), after: null });
  }, { behavior: 'immediate' });
}
