import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/client.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    /** The clock of the app: tests set it to see the programme as it is during the event. */
    now: () => Date;
  }
}

async function dbPlugin(app: FastifyInstance, options: { db: Db; now: () => Date }) {
  app.decorate('db', options.db);
  app.decorate('now', options.now);
  app.addHook('onClose', async () => {
    options.db.$client.close();
  });
}

export default fp(dbPlugin, { name: 'db' });
