/**
 * `lucent_uploads`: every stored object no document holds yet. A streamed
 * file gets its row before its first byte is stored and loses it in the
 * transaction of the write that keeps it; direct and tus uploads keep theirs
 * (with the tus offset) until a write claims the key. Whatever a crash or a
 * rollback leaves behind is still listed here, and the sweeper removes it
 * once `expires_at` passes. Any instance can read it, so any instance can
 * resume a tus upload or accept a direct one.
 */
import { sql } from "drizzle-orm";
import type { DatabaseAdapter } from "../drivers/drivers.ts";
import type { TableSpec } from "../schema/table-spec.ts";

export const UPLOADS_TABLE_NAME = "lucent_uploads";

export const UPLOADS_TABLE: TableSpec = {
  name: UPLOADS_TABLE_NAME,
  columns: [
    { name: "key", type: "text", primaryKey: true },
    { name: "collection", type: "text", notNull: true },
    { name: "field", type: "text", notNull: true },
    /** `stream` (multipart, being stored), `direct` (presigned or one-time PUT) or `tus`. */
    { name: "kind", type: "text", notNull: true },
    /** The user who started it; only they may claim it (null: anonymous). */
    { name: "owner", type: "text" },
    { name: "filename", type: "text" },
    { name: "mime_type", type: "text" },
    /** The declared total size (tus Upload-Length, direct upload `size`). */
    { name: "size", type: "bigint" },
    /** tus: bytes received so far; its chunks are `parts`, in order. */
    { name: "received", type: "bigint", notNull: true, default: "0" },
    { name: "parts", type: "jsonb" },
    { name: "metadata", type: "jsonb" },
    /** tus: true once every byte arrived and the object under `key` is whole. */
    { name: "complete", type: "boolean", notNull: true, default: "false" },
    { name: "expires_at", type: "timestamptz", notNull: true },
    { name: "created_at", type: "timestamptz", notNull: true, default: "now()" },
  ],
  indexes: [{ columns: ["expires_at"] }],
};

export interface UploadRow {
  key: string;
  collection: string;
  field: string;
  kind: "stream" | "direct" | "tus";
  owner: string | null;
  filename: string | null;
  mime_type: string | null;
  size: string | number | null;
  received: string | number;
  parts: Array<{ key: string; size: number }> | null;
  metadata: Record<string, string> | null;
  complete: boolean;
  expires_at: Date | string;
}

export interface NewUpload {
  key: string;
  collection: string;
  field: string;
  kind: UploadRow["kind"];
  owner: string | null;
  filename?: string | undefined;
  mimeType?: string | undefined;
  size?: number | undefined;
  metadata?: Record<string, string> | undefined;
  /** Seconds from now. */
  expiresIn: number;
}

const T = sql.identifier(UPLOADS_TABLE_NAME);

export async function recordUpload(db: DatabaseAdapter, u: NewUpload): Promise<void> {
  await db.execute(
    sql`insert into ${T} (key, collection, field, kind, owner, filename, mime_type, size, metadata, expires_at)
        values (${u.key}, ${u.collection}, ${u.field}, ${u.kind}, ${u.owner}, ${u.filename ?? null},
                ${u.mimeType ?? null}, ${u.size ?? null}, ${u.metadata ? JSON.stringify(u.metadata) : null}::text::jsonb,
                now() + make_interval(secs => ${u.expiresIn}))`,
  );
}

export async function findUpload(
  db: DatabaseAdapter,
  key: string,
  options: { lock?: boolean } = {},
): Promise<UploadRow | null> {
  const rows = await db.execute<UploadRow & Record<string, unknown>>(
    options.lock
      ? sql`select * from ${T} where key = ${key} and expires_at > now() for update`
      : sql`select * from ${T} where key = ${key} and expires_at > now()`,
  );
  return (rows[0] as UploadRow | undefined) ?? null;
}

/** Removes rows: a write that keeps their objects runs this in its own transaction. */
export async function forgetUploads(db: DatabaseAdapter, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.execute(sql`delete from ${T} where key = any(${sql.param([...keys])}::text[])`);
}
