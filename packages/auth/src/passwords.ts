/** Reading a user's stored credentials and checking a password against them. */
import type { DatabaseAdapter } from "@lucent/core";
import { sql } from "drizzle-orm";
import type { AuthRuntime } from "./runtime.ts";

export interface StoredCredentials {
  id: string;
  hash: string | null;
  /** False when the collection keeps no verified state (`verify` off): Lucent has not verified the address. */
  emailVerified: boolean;
}

/** The lower-cased, trimmed form emails are stored and counted in. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findCredentials(
  rt: AuthRuntime,
  email: string,
): Promise<StoredCredentials | null> {
  const { collection } = rt;
  const emailColumn = collection.fieldMap.get("email")!.column;
  const passwordColumn = collection.fieldMap.get("password")!.column;
  const verified = collection.fieldMap.get("emailVerified")?.column;
  const rows = await rt.ctx.db.execute<{
    id: string;
    hash: string | null;
    verified: boolean | null;
  }>(sql`
    select id, ${sql.identifier(passwordColumn)} as hash,
      ${verified ? sql.identifier(verified) : sql`false`} as verified
    from ${sql.identifier(collection.table)} where ${sql.identifier(emailColumn)} = ${normalizeEmail(email)} limit 1`);
  const row = rows[0];
  return row ? { id: row.id, hash: row.hash, emailVerified: row.verified === true } : null;
}

/** The stored hash of a user's password; `db` may be a write's transaction. */
export async function storedPasswordHash(
  rt: AuthRuntime,
  db: DatabaseAdapter,
  userId: string,
): Promise<string | null> {
  const column = rt.collection.fieldMap.get("password")!.column;
  const rows = await db.execute<{ hash: string | null }>(
    sql`select ${sql.identifier(column)} as hash from ${sql.identifier(rt.collection.table)} where id = ${userId}::uuid`,
  );
  return rows[0]?.hash ?? null;
}

/**
 * Checks a password. With no stored hash (unknown email, OAuth-only
 * account) the dummy hash is verified instead, so the answer takes as long
 * either way, and is false.
 */
export async function checkPassword(
  rt: AuthRuntime,
  password: string,
  stored: StoredCredentials | null,
): Promise<boolean> {
  const hash = stored?.hash ?? rt.dummyHash;
  let ok = false;
  try {
    ok = await Bun.password.verify(password, hash);
  } catch {
    ok = false;
  }
  return ok && stored?.hash != null;
}

export async function makeDummyHash(): Promise<string> {
  const random = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
  return Bun.password.hash(random, { algorithm: "argon2id" });
}
