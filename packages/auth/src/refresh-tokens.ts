/**
 * Refresh tokens rotate on every use. Each sign-in starts a family; a token
 * presented after it was exchanged means it leaked, so the whole family
 * (and the access tokens issued with it) is revoked.
 */
import type { DatabaseAdapter } from "@lucent/core";
import { sql } from "drizzle-orm";
import { hashToken, randomToken } from "./secure-random.ts";
import type { SessionOwner } from "./sessions.ts";
import { TABLES } from "./tables.ts";

const table = sql.identifier(TABLES.refreshTokens);

export interface IssuedRefresh {
  token: string;
  familyId: string;
}

export async function issueRefreshToken(
  db: DatabaseAdapter,
  input: SessionOwner & { familyId?: string; ttlSeconds: number },
): Promise<IssuedRefresh> {
  const token = randomToken();
  const familyId = input.familyId ?? Bun.randomUUIDv7();
  await db.execute(sql`insert into ${table} (token_hash, family_id, user_id, collection, expires_at)
    values (${hashToken(token)}, ${familyId}::uuid, ${input.userId}::uuid, ${input.collection},
            now() + make_interval(secs => ${input.ttlSeconds}))`);
  return { token, familyId };
}

export type RotateResult =
  | { ok: true; owner: SessionOwner; familyId: string }
  | { ok: false; reason: "unknown" | "expired" | "revoked" }
  | { ok: false; reason: "reused"; familyId: string };

/**
 * Marks the token used and returns its owner. The `rotated_at is null`
 * condition in the update makes two concurrent exchanges of one token end
 * with one success and one reuse.
 */
export async function consumeRefreshToken(
  db: DatabaseAdapter,
  token: string,
): Promise<RotateResult> {
  const hash = hashToken(token);
  const used = await db.execute<{ user_id: string; collection: string; family_id: string }>(sql`
    update ${table} set rotated_at = now()
    where token_hash = ${hash} and rotated_at is null and revoked_at is null and expires_at > now()
    returning user_id, collection, family_id`);
  const row = used[0];
  if (row)
    return {
      ok: true,
      owner: { userId: row.user_id, collection: row.collection },
      familyId: row.family_id,
    };
  const [stored] = await db.execute<{
    family_id: string;
    rotated_at: Date | null;
    revoked_at: Date | null;
  }>(sql`select family_id, rotated_at, revoked_at from ${table} where token_hash = ${hash}`);
  if (!stored) return { ok: false, reason: "unknown" };
  if (stored.rotated_at) {
    await revokeFamily(db, stored.family_id);
    return { ok: false, reason: "reused", familyId: stored.family_id };
  }
  return { ok: false, reason: stored.revoked_at ? "revoked" : "expired" };
}

export async function revokeFamily(db: DatabaseAdapter, familyId: string): Promise<void> {
  await db.execute(
    sql`update ${table} set revoked_at = now() where family_id = ${familyId}::uuid and revoked_at is null`,
  );
}

/** Revokes every family of a user, except `keepFamily`. */
export async function revokeUserFamilies(
  db: DatabaseAdapter,
  userId: string,
  keepFamily?: string,
): Promise<void> {
  const except = keepFamily ? sql` and family_id <> ${keepFamily}::uuid` : sql``;
  await db.execute(
    sql`update ${table} set revoked_at = now() where user_id = ${userId}::uuid and revoked_at is null${except}`,
  );
}

/** True while some token of the family is neither revoked nor past its lifetime. */
export async function familyIsLive(db: DatabaseAdapter, familyId: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from ${table}
    where family_id = ${familyId}::uuid and revoked_at is null and expires_at > now() limit 1`);
  return rows.length > 0;
}

/**
 * Revokes the family a refresh token belongs to (logout with only a refresh
 * token in hand); returns the family's id, or null for an unknown token.
 */
export async function revokeFamilyOf(db: DatabaseAdapter, token: string): Promise<string | null> {
  const [row] = await db.execute<{ family_id: string }>(
    sql`select family_id from ${table} where token_hash = ${hashToken(token)}`,
  );
  if (!row) return null;
  await revokeFamily(db, row.family_id);
  return row.family_id;
}
