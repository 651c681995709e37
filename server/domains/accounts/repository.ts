// Queries of the auth domain: users, sign-in sessions and API tokens.
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { preparedPerDatabase, type Db } from '../../db/client.ts';
import { apiTokens, loginSessions, users } from '../../db/schema.ts';

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
export type LoginSessionRow = typeof loginSessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

export function countUsers(db: Db): number {
  return db.select({ n: sql<number>`count(*)` }).from(users).get()?.n ?? 0;
}

export function listUsers(db: Db): UserRow[] {
  return db.select().from(users).orderBy(asc(users.name), asc(users.id)).all();
}

export function findUserByEmail(db: Db, email: string): UserRow | null {
  return db.select().from(users).where(eq(users.email, email.toLowerCase())).get() ?? null;
}

export function findUserById(db: Db, id: number): UserRow | null {
  return db.select().from(users).where(eq(users.id, id)).get() ?? null;
}

export function findUserByPublicId(db: Db, publicId: string): UserRow | null {
  return db.select().from(users).where(eq(users.publicId, publicId)).get() ?? null;
}

export function insertUser(db: Db, row: NewUserRow): UserRow {
  return db.insert(users).values(row).returning().get();
}

export function updateUserPassword(db: Db, userId: number, passwordHash: string, now: Date): void {
  db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId)).run();
}

export function insertLoginSession(db: Db, row: typeof loginSessions.$inferInsert): void {
  db.insert(loginSessions).values(row).run();
}

// Every request of a signed-in user or a script looks its credential up: prepared once per database.
const lookups = preparedPerDatabase((db) => ({
  loginSession: db.select({ session: loginSessions, user: users }).from(loginSessions)
    .innerJoin(users, eq(users.id, loginSessions.userId))
    .where(and(eq(loginSessions.tokenHash, sql.placeholder('tokenHash')), gt(loginSessions.expiresAt, sql.placeholder('now')))).prepare(),
  apiToken: db.select({ token: apiTokens, user: users }).from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, sql.placeholder('tokenHash')), isNull(apiTokens.revokedAt))).prepare(),
}));

/** The live sign-in session behind a cookie token's hash, with its user. */
export function findLiveLoginSession(db: Db, tokenHash: string, now: Date): { session: LoginSessionRow; user: UserRow } | null {
  return lookups(db).loginSession.get({ tokenHash, now: now.getTime() }) ?? null;
}

export function touchLoginSession(db: Db, id: number, lastSeenAt: Date, expiresAt: Date): void {
  db.update(loginSessions).set({ lastSeenAt, expiresAt }).where(eq(loginSessions.id, id)).run();
}

export function deleteLoginSession(db: Db, tokenHash: string): void {
  db.delete(loginSessions).where(eq(loginSessions.tokenHash, tokenHash)).run();
}

/** Signs a user out everywhere but the session given (after a password change). */
export function deleteOtherLoginSessions(db: Db, userId: number, keepId: number | null): void {
  db.delete(loginSessions)
    .where(keepId === null ? eq(loginSessions.userId, userId) : and(eq(loginSessions.userId, userId), sql`${loginSessions.id} <> ${keepId}`)).run();
}

export function deleteExpiredLoginSessions(db: Db, now: Date): void {
  db.delete(loginSessions).where(sql`${loginSessions.expiresAt} <= ${now.getTime()}`).run();
}

export function insertApiToken(db: Db, row: typeof apiTokens.$inferInsert): ApiTokenRow {
  return db.insert(apiTokens).values(row).returning().get();
}

/** The unrevoked token behind a hash, with its user. */
export function findActiveApiToken(db: Db, tokenHash: string): { token: ApiTokenRow; user: UserRow } | null {
  return lookups(db).apiToken.get({ tokenHash }) ?? null;
}

export function listApiTokens(db: Db, userId: number | null): (ApiTokenRow & { userEmail: string })[] {
  const rows = db.select({ token: apiTokens, userEmail: users.email }).from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(userId === null ? undefined : eq(apiTokens.userId, userId))
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id)).all();
  return rows.map((r) => ({ ...r.token, userEmail: r.userEmail }));
}

export function findApiTokenByPublicId(db: Db, publicId: string): ApiTokenRow | null {
  return db.select().from(apiTokens).where(eq(apiTokens.publicId, publicId)).get() ?? null;
}

export function revokeApiToken(db: Db, id: number, now: Date): void {
  db.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).run();
}

/** Revokes every unrevoked token of a user (after a password change); how many were. */
export function revokeApiTokensOf(db: Db, userId: number, now: Date): number {
  return db.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt))).run().changes;
}

export function touchApiToken(db: Db, id: number, now: Date): void {
  db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, id)).run();
}
