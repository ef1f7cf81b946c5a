/**
 * Cookie sessions: an opaque random id in the `lucent_session` cookie, kept
 * as its hash, with a sliding idle expiry capped by an absolute lifetime.
 */
import type { DatabaseAdapter } from "@lucent/core";
import { sql } from "drizzle-orm";
import { keyedHash, randomToken } from "./secure-random.ts";
import { TABLES } from "./tables.ts";

export const SESSION_COOKIE = "lucent_session";

const table = sql.identifier(TABLES.sessions);

/** Where sessions live and the key their ids are hashed with (SESSION_SECRET). */
export interface SessionStore {
  db: DatabaseAdapter;
  key: Uint8Array;
}

export interface SessionOwner {
  userId: string;
  collection: string;
}

export async function createSession(
  store: SessionStore,
  owner: SessionOwner,
  idleSeconds: number,
): Promise<string> {
  const token = randomToken();
  await store.db.execute(sql`insert into ${table} (token_hash, user_id, collection, expires_at)
    values (${keyedHash(store.key, token)}, ${owner.userId}::uuid, ${owner.collection}, now() + make_interval(secs => ${idleSeconds}))`);
  return token;
}

/**
 * The owner of a live session, or null. Each use pushes the idle expiry
 * forward (at most once a minute, to spare writes), never past `maxAgeSeconds` after sign-in.
 */
export async function useSession(
  store: SessionStore,
  token: string,
  limits: { idleSeconds: number; maxAgeSeconds: number },
): Promise<SessionOwner | null> {
  const rows = await store.db.execute<{ user_id: string; collection: string }>(sql`
    update ${table} set last_used_at = now(),
      expires_at = least(now() + make_interval(secs => ${limits.idleSeconds}), created_at + make_interval(secs => ${limits.maxAgeSeconds}))
    where token_hash = ${keyedHash(store.key, token)} and revoked_at is null and expires_at > now()
      and created_at + make_interval(secs => ${limits.maxAgeSeconds}) > now()
    returning user_id, collection`);
  const row = rows[0];
  return row ? { userId: row.user_id, collection: row.collection } : null;
}

export async function revokeSession(store: SessionStore, token: string): Promise<void> {
  await store.db.execute(
    sql`update ${table} set revoked_at = now() where token_hash = ${keyedHash(store.key, token)} and revoked_at is null`,
  );
}

/** Revokes a user's sessions, except the one whose token is `keep`. */
export async function revokeUserSessions(
  store: SessionStore,
  userId: string,
  keep?: string,
): Promise<void> {
  const except = keep ? sql` and token_hash <> ${keyedHash(store.key, keep)}` : sql``;
  await store.db.execute(
    sql`update ${table} set revoked_at = now() where user_id = ${userId}::uuid and revoked_at is null${except}`,
  );
}

/** The `Set-Cookie` value for a session (or its removal, with `token` null). */
export function sessionCookie(input: {
  token: string | null;
  maxAgeSeconds: number;
  secure: boolean;
  path: string;
}): string {
  const parts = [
    `${SESSION_COOKIE}=${input.token ?? ""}`,
    `Path=${input.path}`,
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${input.token ? input.maxAgeSeconds : 0}`,
  ];
  if (input.secure) parts.push("Secure");
  return parts.join("; ");
}
