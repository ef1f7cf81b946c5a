/**
 * API keys: `lk_<prefix>_<secret>`, shown once, stored as a hash. The
 * prefix is kept in clear so a user can tell keys apart in a list.
 */
import type { DatabaseAdapter } from "@lucent/core";
import { sql } from "drizzle-orm";
import { hashToken, randomToken } from "./secure-random.ts";
import type { SessionOwner } from "./sessions.ts";
import { TABLES } from "./tables.ts";

const table = sql.identifier(TABLES.apiKeys);
const KEY_SHAPE = /^lk_[a-z0-9]{8}_[a-z0-9]{40,64}$/;

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  created_at: Date | string;
  last_used_at: Date | string | null;
};

const iso = (v: Date | string | null): string | null =>
  v === null ? null : new Date(v).toISOString();
const toInfo = (r: ApiKeyRow): ApiKeyInfo => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  createdAt: iso(r.created_at)!,
  lastUsedAt: iso(r.last_used_at),
});

export async function createApiKey(
  db: DatabaseAdapter,
  input: SessionOwner & { name: string },
): Promise<ApiKeyInfo & { key: string }> {
  const prefix = `lk_${randomToken(5)}`;
  const key = `${prefix}_${randomToken(32)}`;
  const [row] =
    await db.execute<ApiKeyRow>(sql`insert into ${table} (id, user_id, collection, name, prefix, key_hash)
    values (${Bun.randomUUIDv7()}::uuid, ${input.userId}::uuid, ${input.collection}, ${input.name}, ${prefix}, ${hashToken(key)})
    returning id, name, prefix, created_at, last_used_at`);
  return { ...toInfo(row!), key };
}

export async function listApiKeys(db: DatabaseAdapter, userId: string): Promise<ApiKeyInfo[]> {
  const rows =
    await db.execute<ApiKeyRow>(sql`select id, name, prefix, created_at, last_used_at from ${table}
    where user_id = ${userId}::uuid and revoked_at is null order by created_at desc, id desc`);
  return rows.map(toInfo);
}

/** Revokes the caller's own key; false when there is no such live key. */
export async function revokeApiKey(
  db: DatabaseAdapter,
  userId: string,
  id: string,
): Promise<boolean> {
  const rows = await db.execute(sql`update ${table} set revoked_at = now()
    where id = ${id}::uuid and user_id = ${userId}::uuid and revoked_at is null returning id`);
  return rows.length > 0;
}

/** Revokes every live key of a user (a password change or reset: a leaked key dies with the old password). */
export async function revokeUserApiKeys(db: DatabaseAdapter, userId: string): Promise<void> {
  await db.execute(
    sql`update ${table} set revoked_at = now() where user_id = ${userId}::uuid and revoked_at is null`,
  );
}

/** The owner of a live key, recording when it was used. */
export async function useApiKey(db: DatabaseAdapter, key: string): Promise<SessionOwner | null> {
  if (!KEY_SHAPE.test(key)) return null;
  const rows = await db.execute<{
    user_id: string;
    collection: string;
  }>(sql`update ${table} set last_used_at = now()
    where key_hash = ${hashToken(key)} and revoked_at is null returning user_id, collection`);
  const row = rows[0];
  return row ? { userId: row.user_id, collection: row.collection } : null;
}
