/**
 * Re-encryption under a new master key. Progress lives in the data: each
 * record carries its key version, a run only touches records not yet on the
 * target version, and each batch is one statement, so it commits whole or
 * not at all. A killed run is finished by running it again.
 */
import type { DatabaseAdapter } from "@lucent/core";
import { ConflictError } from "@lucent/core";
import { encodeBase64 } from "@oslojs/encoding";
import { sql } from "drizzle-orm";
import { open, type Sealed, seal } from "./cipher.ts";
import { SecretNotFoundError, SecretsOptionsError } from "./errors.ts";
import type { Keyring } from "./keyring.ts";
import { openRow, type StoredRow } from "./record.ts";
import type { RotateAllOptions, RotationResult } from "./types.ts";

export interface RotationSide {
  db: DatabaseAdapter;
  keyring: Keyring;
}

interface RotatingRow extends StoredRow {
  created_at: Date;
}

const PROBE = new TextEncoder().encode("lucent-secrets key probe");

/**
 * A version must name one key: rotating "to version 2" with a key that is
 * not the store's version 2 would leave records no single key opens.
 */
async function checkTarget(source: RotationSide, target: RotationSide): Promise<void> {
  const version = target.keyring.current.version;
  if (!source.keyring.versions().includes(version)) return;
  const probe = await seal(target.keyring.current, "probe", PROBE);
  const opened = await open(source.keyring.forRecord("probe", version), "probe", probe);
  if (!opened) {
    throw new SecretsOptionsError([
      `rotation target keyVersion ${version} already names a different master key in this store; pick a new version`,
    ]);
  }
}

async function reseal(source: RotationSide, target: RotationSide, row: StoredRow): Promise<Sealed> {
  const plain = await openRow(source.keyring, row);
  try {
    return await seal(target.keyring.current, row.key, plain);
  } finally {
    plain.fill(0);
  }
}

/** Writes one batch in one statement; returns the keys it changed. */
async function writeBatch(
  source: RotationSide,
  target: RotationSide,
  rows: readonly RotatingRow[],
  sealed: readonly Sealed[],
): Promise<number> {
  // Arrays travel as text[] (bytea as base64): the one array shape both drivers bind alike.
  const keys = sql.param(rows.map((r) => r.key));
  const ciphertexts = sql.param(sealed.map((s) => encodeBase64(s.ciphertext)));
  const nonces = sql.param(sealed.map((s) => encodeBase64(s.nonce)));
  const version = target.keyring.current.version;
  if (target.db === source.db) {
    // The old nonce is unique to the write that produced it: a record set again meanwhile is left alone.
    const oldNonces = sql.param(rows.map((r) => encodeBase64(new Uint8Array(r.nonce))));
    const changed = await source.db.execute(sql`
      update lucent_secrets as s
      set ciphertext = decode(v.c, 'base64'), nonce = decode(v.n, 'base64'),
        key_version = ${version}, updated_at = now()
      from unnest(${keys}::text[], ${ciphertexts}::text[], ${nonces}::text[], ${oldNonces}::text[])
        as v(k, c, n, o)
      where s.key = v.k and s.nonce = decode(v.o, 'base64')
      returning s.key`);
    return changed.length;
  }
  const created = sql.param(rows.map((r) => new Date(r.created_at).toISOString()));
  const written = await target.db.execute(sql`
    insert into lucent_secrets (key, ciphertext, nonce, key_version, created_at)
    select v.k, decode(v.c, 'base64'), decode(v.n, 'base64'), ${version}, v.t::timestamptz
    from unnest(${keys}::text[], ${ciphertexts}::text[], ${nonces}::text[], ${created}::text[])
      as v(k, c, n, t)
    on conflict (key) do update set ciphertext = excluded.ciphertext, nonce = excluded.nonce,
      key_version = excluded.key_version, updated_at = now()
    returning key`);
  return written.length;
}

export async function rotateOne(
  source: RotationSide,
  target: RotationSide,
  key: string,
): Promise<boolean> {
  await checkTarget(source, target);
  const version = target.keyring.current.version;
  // A concurrent set between read and write makes the write miss; read again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const [row] = await source.db.execute<RotatingRow>(sql`
      select key, ciphertext, nonce, key_version, created_at from lucent_secrets where key = ${key}`);
    if (!row) throw new SecretNotFoundError(key);
    if (row.key_version === version && target.db === source.db) return false;
    const sealed = await reseal(source, target, row);
    if ((await writeBatch(source, target, [row], [sealed])) === 1) return true;
  }
  throw new ConflictError(`secret "${key}" kept changing while being rotated; try again`);
}

export async function rotateMany(
  source: RotationSide,
  target: RotationSide,
  options: RotateAllOptions,
): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new SecretsOptionsError(["rotateAll: batchSize must be an integer from 1 to 10000"]);
  }
  await checkTarget(source, target);
  const version = target.keyring.current.version;
  const prefix = options.prefix ?? "";
  const result: RotationResult = { rotated: 0, skipped: 0, batches: 0 };
  // Walking by key keeps every pass moving forward, even past records it skipped.
  let after = "";
  for (;;) {
    const rows = await source.db.execute<RotatingRow>(sql`
      select key, ciphertext, nonce, key_version, created_at from lucent_secrets
      where key_version <> ${version} and key > ${after} and starts_with(key, ${prefix})
      order by key limit ${batchSize}`);
    if (rows.length === 0) break;
    const sealed = await Promise.all(rows.map((row) => reseal(source, target, row)));
    const written = await writeBatch(source, target, rows, sealed);
    result.batches += 1;
    result.rotated += written;
    result.skipped += rows.length - written;
    after = rows[rows.length - 1]!.key;
    await options.onBatch?.({
      batch: result.batches,
      rotated: result.rotated,
      skipped: result.skipped,
    });
    if (rows.length < batchSize) break;
  }
  return result;
}
