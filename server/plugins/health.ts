import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { pingDatabase } from '../domains/programme/repository.ts';

export default async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', {
    schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async (_request, reply) => {
    reply.header('Cache-Control', 'no-store');
    if (!pingDatabase(app.db)) throw new Error('database did not answer');
    return { status: 'ok' as const };
  });
}
