/** Verification and password-reset tokens: random, stored hashed, single use, expiring. */
import type { DatabaseAdapter } from "@lucent/core";
import { sql } from "drizzle-orm";
import { hashToken, randomToken } from "./secure-random.ts";
import type { SessionOwner } from "./sessions.ts";
import { TABLES } from "./tables.ts";

/** `verify` confirms the address of a new account, `email-change` a changed one (no welcome mail follows). */
export type TokenPurpose = "verify" | "email-change" | "reset";

const table = sql.identifier(TABLES.oneTimeTokens);

export interface OneTimeTokenOwner extends SessionOwner {
  purpose: TokenPurpose;
  /** The address a verification link was sent to. */
  email: string | null;
}

export async function createOneTimeToken(
  db: DatabaseAdapter,
  input: SessionOwner & { purpose: TokenPurpose; ttlSeconds: number; email?: string },
): Promise<string> {
  const token = randomToken();
  // A new link replaces the older ones: only the latest mail works.
  await db.execute(sql`update ${table} set used_at = now()
    where user_id = ${input.userId}::uuid and purpose = ${input.purpose} and used_at is null`);
  await db.execute(sql`insert into ${table} (token_hash, purpose, user_id, collection, email, expires_at)
    values (${hashToken(token)}, ${input.purpose}, ${input.userId}::uuid, ${input.collection}, ${input.email ?? null},
            now() + make_interval(secs => ${input.ttlSeconds}))`);
  return token;
}

/** Uses the token up and returns its owner; null when unknown, used, expired or for another purpose. */
export async function consumeOneTimeToken(
  db: DatabaseAdapter,
  input: { token: string; purposes: readonly TokenPurpose[] },
): Promise<OneTimeTokenOwner | null> {
  const rows = await db.execute<{
    user_id: string;
    collection: string;
    purpose: TokenPurpose;
    email: string | null;
  }>(sql`update ${table} set used_at = now()
    where token_hash = ${hashToken(input.token)} and purpose = any(${sql.param([...input.purposes])}::text[])
      and used_at is null and expires_at > now()
    returning user_id, collection, purpose, email`);
  const row = rows[0];
  return row
    ? { userId: row.user_id, collection: row.collection, purpose: row.purpose, email: row.email }
    : null;
}

/** Ends every pending link of a user (their address changed: links sent to the old one must stop working). */
export async function revokeOneTimeTokens(db: DatabaseAdapter, userId: string): Promise<void> {
  await db.execute(
    sql`update ${table} set used_at = now() where user_id = ${userId}::uuid and used_at is null`,
  );
}
