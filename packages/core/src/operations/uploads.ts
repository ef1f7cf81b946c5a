/**
 * Upload fields in a write. Files are stored before the write's transaction
 * (upload-stage.ts); inside it, the write takes them (and any direct or tus
 * upload it names by `{ key }`) by deleting their `lucent_uploads` rows, so
 * the commit that keeps a file is the one that stops the sweeper from
 * removing it. A write that fails removes what it staged; files a write
 * replaced or cleared are removed after its commit.
 */
import type { StoredFile } from "../drivers/drivers.ts";
import { ForbiddenError, ValidationError } from "../http/errors.ts";
import type { Engine, Scope } from "../kernel/engine.ts";
import { fieldAllowed } from "../query/access.ts";
import type { Doc } from "../query/access-types.ts";
import type { QueryContext } from "../query/query-context.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { type StagedFile, stageFile } from "./upload-stage.ts";
import { findUpload, forgetUploads } from "./upload-table.ts";
import { fileUrl, keyOf, objectKeys, storedValue } from "./upload-values.ts";
import { verifyUploadedObject } from "./upload-verify.ts";

export { DEFAULT_MAX_UPLOAD, mimeAllowed } from "./upload-values.ts";

/** Files stored for one write, by field. */
export interface StagedUploads {
  files: ReadonlyMap<string, StagedFile>;
}

/** Stores the Local API's `files` (Blobs) before the write, as the REST route stores its stream. */
export async function stageBlobs(
  engine: Engine,
  collection: ResolvedCollection,
  files: Record<string, Blob> | undefined,
  owner: string | null,
): Promise<StagedUploads> {
  const staged = new Map<string, StagedFile>();
  try {
    for (const [field, blob] of Object.entries(files ?? {})) {
      staged.set(
        field,
        await stageFile({
          engine,
          collection,
          field,
          body: blob,
          filename: blob instanceof File ? blob.name : undefined,
          declaredType: (blob.type || "").split(";")[0]!.trim().toLowerCase(),
          owner,
        }),
      );
    }
  } catch (error) {
    await discardStaged(engine, { files: staged });
    throw error;
  }
  return { files: staged };
}

/** Removes staged files (the write failed, or did not take them) and their rows. */
export async function discardStaged(
  engine: Engine,
  staged: StagedUploads | undefined,
  keep: ReadonlySet<string> = new Set(),
): Promise<void> {
  const keys = [...(staged?.files.values() ?? [])].map((f) => f.key).filter((k) => !keep.has(k));
  if (keys.length === 0) return;
  await engine.storageDelete(keys);
  await forgetUploads(engine.db, keys).catch((err) =>
    engine.logger.warn({ err }, "could not forget staged uploads; the sweeper will"),
  );
}

export interface ApplyUploadsInput {
  engine: Engine;
  tx: Scope;
  collection: ResolvedCollection;
  ctx: QueryContext;
  id: string;
  mode: "create" | "update";
  data: Record<string, unknown>;
  staged: StagedUploads | undefined;
  originalDoc: Doc | undefined;
}

/**
 * Puts the write's files into `data`: staged files the caller may write, and
 * `{ key }` values checked against their upload. Returns the keys the write
 * took and the objects it replaces (to remove after commit).
 */
export async function applyUploads(
  p: ApplyUploadsInput,
): Promise<{ taken: Set<string>; replaced: string[] }> {
  const { engine, collection, data } = p;
  const taken = new Set<string>();
  for (const [name, file] of p.staged?.files ?? []) {
    const allowed = await fieldAllowed(collection, name, p.mode, p.ctx, {
      data,
      ...(p.originalDoc ? { doc: p.originalDoc } : {}),
    });
    if (!allowed) continue; // dropped like any field the caller may not write (CONTRACT §6)
    data[name] = storedValue(file, fileUrl(engine.prefix, collection.slug, p.id, name));
    taken.add(file.key);
  }
  for (const field of collection.fields) {
    if (field.config.type !== "upload") continue;
    const value = data[field.name];
    const key = keyOf(value);
    if (!key || taken.has(key) || (value as StoredFile).url !== undefined) continue;
    if (keyOf(p.originalDoc?.[field.name]) === key) {
      data[field.name] = p.originalDoc![field.name]; // the file it already holds
      continue;
    }
    const row = await findUpload(p.tx.db, key, { lock: true });
    if (
      !row ||
      row.kind === "stream" ||
      row.collection !== collection.slug ||
      row.field !== field.name
    )
      throw new ValidationError([{ path: field.name, message: "no such upload for this field" }]);
    if (row.owner !== (p.ctx.user?.id ?? null))
      throw new ForbiddenError(`the upload ${key} was started by another caller`);
    const file = await verifyUploadedObject(engine, collection, field.name, row);
    data[field.name] = storedValue(file, fileUrl(engine.prefix, collection.slug, p.id, field.name));
    taken.add(key);
  }
  await forgetUploads(p.tx.db, [...taken]);
  const replaced: string[] = [];
  if (p.originalDoc) {
    for (const field of collection.fields) {
      if (field.config.type !== "upload" || !Object.hasOwn(data, field.name)) continue;
      const old = keyOf(p.originalDoc[field.name]);
      if (old && old !== keyOf(data[field.name])) replaced.push(...objectKeys(field.config, old));
    }
  }
  return { taken, replaced };
}
