// The public programme as an installable web app that keeps working offline.
import type { FastifyInstance } from 'fastify';

export default async function offlineRoutes(_fastify: FastifyInstance, _options: { publicUrl: string }) {
}
