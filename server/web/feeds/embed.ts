// The released programme for other sites: a web component and the public JSON it reads.
import type { FastifyInstance } from 'fastify';

export default async function embedRoutes(_fastify: FastifyInstance, _options: { publicUrl: string }) {
}
