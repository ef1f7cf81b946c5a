/** Verification and password-reset tokens: random, stored hashed, single use, expiring. */
import type { DatabaseAdapter } from "@lucent/core";
import { sql } from "drizzle-orm";
import { hashToken, randomToken } from "./secure-random.ts";
import type { SessionOwner } from "./sessions.ts";
import { TABLES } from "./tables.ts";

export type TokenPurpose = "verify" | "reset";

const table = sql.identifier(TABLES.oneTimeTokens);

export async function createOneTimeToken(
  db: DatabaseAdapter,
  input: SessionOwner & { purpose: TokenPurpose; ttlSeconds: number },
): Promise<string> {
  const token = randomToken();
  // A new link replaces the older ones: only the latest mail works.
  await db.execute(sql`update ${table} set used_at = now()
    where user_id = ${input.userId}::uuid and purpose = ${input.purpose} and used_at is null`);
  await db.execute(sql`insert into ${table} (token_hash, purpose, user_id, collection, expires_at)
    values (${hashToken(token)}, ${input.purpose}, ${input.userId}::uuid, ${input.collection},
            now() + make_interval(secs => ${input.ttlSeconds}))`);
  return token;
}

/** Uses the token up and returns its owner; null when unknown, used, expired or for another purpose. */
export async function consumeOneTimeToken(
  db: DatabaseAdapter,
  input: { token: string; purpose: TokenPurpose },
): Promise<SessionOwner | null> {
  const rows = await db.execute<{
    user_id: string;
    collection: string;
  }>(sql`update ${table} set used_at = now()
    where token_hash = ${hashToken(input.token)} and purpose = ${input.purpose} and used_at is null and expires_at > now()
    returning user_id, collection`);
  const row = rows[0];
  return row ? { userId: row.user_id, collection: row.collection } : null;
}
