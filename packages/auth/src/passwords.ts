/** Reading a user's stored credentials and checking a password against them. */
import { sql } from "drizzle-orm";
import type { AuthRuntime } from "./runtime.ts";

export interface StoredCredentials {
  id: string;
  hash: string | null;
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
      ${verified ? sql.identifier(verified) : sql`true`} as verified
    from ${sql.identifier(collection.table)} where ${sql.identifier(emailColumn)} = ${normalizeEmail(email)} limit 1`);
  const row = rows[0];
  return row ? { id: row.id, hash: row.hash, emailVerified: row.verified === true } : null;
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
