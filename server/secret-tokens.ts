// Secrets handed to people (agenda addresses, sign-in cookies, API tokens): 256 random bits,
// of which the database keeps only the SHA-256, so a copy of the database opens nothing.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters that nobody can guess or enumerate. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
