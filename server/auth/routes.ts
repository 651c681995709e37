// Sign-in pages and the auth API. (Being written.)
import type { FastifyInstance } from 'fastify';

export default async function authRoutes(_app: FastifyInstance) {}

export async function authApiRoutes(_app: FastifyInstance) {}
