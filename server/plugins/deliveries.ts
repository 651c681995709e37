// The sender of the outbox and of webhooks, running beside the server (domains/messaging/sender.ts).
// A write that may have queued something wakes it; otherwise it looks when the next try is due.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { requeueInterrupted } from '../domains/messaging/repository.ts';
import { startSender, type Sender } from '../domains/messaging/sender.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The site's public address, for the links and calendar UIDs of the messages drafted by writes. */
    publicUrl: string;
    deliveries: Sender;
    /** Whether e-mail can leave this server (SMTP_URL and MAIL_FROM are set). */
    mailEnabled: boolean;
    /** Webhooks may call private, loopback and link-local addresses (WEBHOOK_ALLOW_PRIVATE). */
    webhookAllowPrivate: boolean;
  }
}

export interface DeliveriesOptions {
  config: Pick<Config, 'publicUrl' | 'mail' | 'webhookAllowPrivate' | 'deliveryRetryDelayMs'>;
  /**
   * Return to the queue what was being sent when the last process died: only where no other
   * process sends (the single server, or the cluster's primary before its workers start).
   */
  recover: boolean;
}

async function deliveriesPlugin(app: FastifyInstance, options: DeliveriesOptions) {
  const { config } = options;
  app.decorate('publicUrl', config.publicUrl);
  app.decorate('mailEnabled', config.mail !== null);
  app.decorate('webhookAllowPrivate', config.webhookAllowPrivate);
  if (options.recover) {
    const requeued = requeueInterrupted(app.db, app.now());
    if (requeued > 0) app.log.warn({ requeued }, 'messages and webhooks interrupted by the last stop are queued again');
  }
  let sender: Sender | null = null;
  app.decorate('deliveries', {
    wake: () => sender?.wake(),
    poll: () => sender?.poll(),
    idle: async () => { await sender?.idle(); },
    stop: async () => { await sender?.stop(); },
  });
  // Started once the app is ready (its routes registered, the database migrated), stopped before the database closes.
  app.addHook('onReady', async () => {
    sender = startSender({
      db: app.db, publicUrl: config.publicUrl, mail: config.mail, allowPrivate: config.webhookAllowPrivate,
      retryDelayMs: config.deliveryRetryDelayMs, now: app.now, log: app.log,
    });
  });
  app.addHook('onListen', async () => { sender?.poll(); });
  app.addHook('onClose', async () => { await sender?.stop(); });
  // Writes are what queue messages and webhooks: after each, the sender looks at once.
  app.addHook('onResponse', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS') sender?.wake();
  });
}

export default fp(deliveriesPlugin, { name: 'deliveries', dependencies: ['db'] });
