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
  // Registered before every plugin that uses the database, so its onClose runs after theirs
  // (hooks close in reverse order) and after the server has stopped: the database closes last.
  app.addHook('onClose', async () => {
    if (!options.db.$client.open) return;
    options.db.$client.close();
    app.log.info('database closed');
  });
}

export default fp(dbPlugin, { name: 'db' });
