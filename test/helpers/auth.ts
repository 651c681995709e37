// Accounts for tests, made through the real services (scrypt hashes, hashed tokens).
import type { FastifyInstance } from 'fastify';
import { createApiToken, createUser } from '../../server/domains/accounts/service.ts';
import type { UserRole } from '../../server/db/schema.ts';
import { findEventBySlug } from '../../server/domains/programme/repository.ts';

export interface TestUser {
  id: number;
  publicId: string;
  email: string;
  password: string;
  /** Headers that authenticate an API request with this user's token. */
  bearer: { authorization: string };
}

let counter = 0;

export async function addUser(app: FastifyInstance, role: UserRole, eventSlug?: string, name?: string): Promise<TestUser> {
  counter += 1;
  const email = `${role}${counter}@example.org`;
  const password = `correct horse ${counter} battery`;
  const eventId = eventSlug ? findEventBySlug(app.db, eventSlug)!.id : null;
  const user = await createUser(app.db, { email, name: name ?? `${role} ${counter}`, password, role, eventId }, new Date());
  const { token } = createApiToken(app.db, user.id, 'tests', new Date());
  return { id: user.id, publicId: user.publicId, email, password, bearer: { authorization: `Bearer ${token}` } };
}
