// The durable queue's sender: takes one due message or webhook delivery at a time from the
// database, tries it, and records how it went. Messages are queued by the transaction of what
// caused them (drafts.ts), so nothing is lost to a crash; one taken and not finished when the
// process died is queued again at the next start (requeueInterrupted), and in any case once its
// lease runs out. A message keeps its Message-ID and a delivery its webhook-id across tries, so
// that a receiver who did get a try the sender could not record sees the same one again.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../../db/client.ts';
import type { DeliveryAttempt, MessageRow, WebhookDeliveryRow, WebhookEndpointRow } from '../../db/schema.ts';
import { findEventById } from '../programme/repository.ts';
import { stopLine } from './compose.ts';
import { draftEndpointDisabled } from './drafts.ts';
import {
  claimDelivery, claimMessage, listOptOuts, nextDueAt, recordDeliveryOutcome, recordMessageOutcome, setEndpointFailures,
} from './repository.ts';
import { resolveCallable, signatureHeaders } from './webhooks.ts';

/** Tries of one message or delivery before it is marked failed. */
export const MAX_ATTEMPTS = 10;
/** How long a sender owns what it took: longer than any try may last (the SMTP and HTTP timeouts below). */
const LEASE_MS = 5 * 60_000;
/** However quiet it is, the queue is looked at this often: another process (the command line, a worker) may have queued something. */
const IDLE_POLL_MS = 30_000;
const SMTP_TIMEOUT_MS = 30_000;
const WEBHOOK_TIMEOUT_MS = 15_000;
const MAX_DELAY_MS = 6 * 3_600_000;

export interface MailSettings {
  smtpUrl: string;
  from: string;
}

export interface SenderOptions {
  db: Db;
  publicUrl: string;
  /** Null: no e-mail leaves this server (no SMTP_URL); messages wait in the outbox, queued. */
  mail: MailSettings | null;
  allowPrivate: boolean;
  /** The wait before the second try; each later one waits twice the one before, up to 6 hours. */
  retryDelayMs: number;
  now: () => Date;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
}

export interface Sender {
  /** Looks at the queue now (after a write that may have queued something). */
  wake(): void;
  /**
   * Looks at the queue every 30 s besides: for what other processes queue (the command line, the
   * other workers of a cluster). Started once the server listens; an app only injected into
   * (tests) runs no query but those its own writes and due retries ask for.
   */
  poll(): void;
  /** Resolves once nothing due is left to try (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** The delay before try number `attempt + 1`. */
export function retryDelay(retryDelayMs: number, attempt: number): number {
  return Math.min(retryDelayMs * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
}

const clip = (text: string, length = 500) => (text.length > length ? `${text.slice(0, length)}…` : text);

export function createTransport(mail: MailSettings): Transporter {
  return nodemailer.createTransport(mail.smtpUrl, {
    from: mail.from,
    connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS,
    // One connection per try, closed after it: a queue of a few hundred messages needs no pool.
    pool: false,
  } as never);
}

/** An SMTP reply in the 5xx range is permanent: the same message would be refused again. */
const isPermanent = (error: { responseCode?: number }) => typeof error.responseCode === 'number' && error.responseCode >= 500 && error.responseCode < 600;

async function sendMessage(options: SenderOptions, transport: Transporter, message: MessageRow): Promise<{ ok: boolean; detail: string; permanent: boolean; discard?: boolean }> {
  if (listOptOuts(options.db, [message.toAddress]).size > 0) return { ok: false, detail: 'the address asked to receive no more messages', permanent: true, discard: true };
  const host = new URL(options.publicUrl).hostname;
  const stopUrl = `${options.publicUrl}/stop/${message.stopToken}`;
  try {
    const info = await transport.sendMail({
      from: options.mail!.from,
      to: { name: message.toName, address: message.toAddress },
      subject: message.subject,
      text: `${message.body}\n\n-- \n${stopLine(message.language, stopUrl)}\n`,
      attachments: message.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
      messageId: `<${message.publicId}@${host}>`,
      date: message.createdAt,
      headers: {
        // RFC 8058: one click in the mail program stops them, with a POST to the same address.
        'List-Unsubscribe': `<${stopUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'Auto-Submitted': 'auto-generated',
        'Content-Language': message.language,
      },
    });
    return { ok: true, detail: clip(String(info.response ?? 'accepted')), permanent: false };
  } catch (error) {
    const e = error as { message?: string; response?: string; responseCode?: number };
    return { ok: false, detail: clip(e.response ?? e.message ?? String(error)), permanent: isPermanent(e) };
  }
}

/** Posts one delivery; the connection goes only to an address just checked (no DNS rebinding between the check and the call). */
async function postDelivery(options: SenderOptions, delivery: WebhookDeliveryRow, endpoint: WebhookEndpointRow): Promise<{ ok: boolean; detail: string; permanent: boolean }> {
  const url = new URL(endpoint.url);
  let addresses: { address: string; family: number }[];
  try {
    addresses = await resolveCallable(url.hostname, options.allowPrivate);
  } catch (error) {
    return { ok: false, detail: clip((error as Error).message), permanent: false };
  }
  const pinned: LookupFunction = (_host, lookupOptions, callback) => {
    const first = addresses[0]!;
    if ((lookupOptions as { all?: boolean }).all) (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
    else callback(null, first.address, first.family);
  };
  const headers = {
    ...signatureHeaders(endpoint.secret, delivery.publicId, options.now(), delivery.payload),
    'content-type': 'application/json',
    'user-agent': 'forum-programme webhooks',
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(url, { method: 'POST', headers, lookup: pinned, timeout: WEBHOOK_TIMEOUT_MS }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { if (body.length < 1000) body += chunk; });
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const detail = clip(`${status} ${response.statusMessage ?? ''}${body ? `: ${body.trim()}` : ''}`.trim());
        resolve({ ok: status >= 200 && status < 300, detail, permanent: false });
      });
      response.on('error', (error) => resolve({ ok: false, detail: clip(error.message), permanent: false }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`)));
    request.on('error', (error) => resolve({ ok: false, detail: clip(error.message), permanent: false }));
    request.end(delivery.payload);
  });
}

function outcomeOf(options: SenderOptions, attempts: number, result: { ok: boolean; detail: string; permanent: boolean; discard?: boolean }) {
  const now = options.now();
  const attempt: DeliveryAttempt = { at: now.toISOString(), ok: result.ok, detail: result.detail };
  if (result.ok) return { state: 'sent' as const, attempt, nextAttemptAt: null, now };
  if (result.discard) return { state: 'discarded' as const, attempt, nextAttemptAt: null, now };
  if (result.permanent || attempts >= MAX_ATTEMPTS) return { state: 'failed' as const, attempt, nextAttemptAt: null, now };
  return { state: 'queued' as const, attempt, nextAttemptAt: new Date(now.getTime() + retryDelay(options.retryDelayMs, attempts)), now };
}

/** After a delivery is done: an endpoint whose delivery failed every try is disabled, and its organisers told. */
function afterDelivery(options: SenderOptions, endpoint: WebhookEndpointRow, state: string): void {
  const db = options.db;
  db.transaction(() => {
    if (state === 'sent') {
      if (endpoint.failures !== 0) setEndpointFailures(db, endpoint.id, 0, null, options.now());
      return;
    }
    if (state !== 'failed') return;
    const now = options.now();
    setEndpointFailures(db, endpoint.id, endpoint.failures + 1, now, now);
    const event = findEventById(db, endpoint.eventId);
    if (event) draftEndpointDisabled({ db, event, publicUrl: options.publicUrl, now }, endpoint.url);
    options.log.warn({ webhook: endpoint.publicId }, 'webhook endpoint disabled: a delivery failed every attempt');
  }, { behavior: 'immediate' });
}

export function startSender(options: SenderOptions): Sender {
  const transport = options.mail ? createTransport(options.mail) : null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let polling = false;

  const schedule = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = null;
    const due = nextDueAt(options.db, transport !== null);
    if (due === null && !polling) return;
    const untilDue = due === null ? Infinity : Math.max(due.getTime() - options.now().getTime(), 0);
    timer = setTimeout(wake, polling ? Math.min(untilDue, IDLE_POLL_MS) : untilDue);
    timer.unref();
  };

  /** One job, if one is due; false when nothing was. */
  const step = async (): Promise<boolean> => {
    const now = options.now();
    const lease = new Date(now.getTime() + LEASE_MS);
    const message = transport ? claimMessage(options.db, now, lease) : null;
    if (message) {
      const result = await sendMessage(options, transport!, message);
      const outcome = outcomeOf(options, message.attempts, result);
      recordMessageOutcome(options.db, message.id, outcome);
      if (!result.ok) options.log.warn({ message: message.publicId, attempt: message.attempts, state: outcome.state, detail: result.detail }, 'message not sent');
      return true;
    }
    const claimed = claimDelivery(options.db, now, lease);
    if (claimed) {
      const result = await postDelivery(options, claimed.delivery, claimed.endpoint);
      const outcome = outcomeOf(options, claimed.delivery.attempts, result);
      recordDeliveryOutcome(options.db, claimed.delivery.id, outcome);
      afterDelivery(options, claimed.endpoint, outcome.state);
      if (!result.ok) options.log.warn({ delivery: claimed.delivery.publicId, attempt: claimed.delivery.attempts, state: outcome.state, detail: result.detail }, 'webhook not delivered');
      return true;
    }
    return false;
  };

  const drain = async () => {
    do {
      again = false;
      while (!stopped && options.db.$client.open && await step()) { /* next */ }
    } while (again && !stopped);
  };

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain().catch((error: unknown) => {
      options.log.error({ err: error }, 'the sender stopped on an error; it starts again at the next wake');
    }).finally(() => {
      running = null;
      if (options.db.$client.open) schedule();
    });
  }

  wake();
  return {
    wake,
    poll() {
      polling = true;
      if (!running) schedule();
    },
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      transport?.close();
    },
  };
}
