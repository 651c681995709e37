import type { FastifyInstance } from 'fastify';

export default async function adminApiRoutes(_app: FastifyInstance) {}
