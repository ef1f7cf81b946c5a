/**
 * Upload fields: files are checked against the field's limits and stored
 * under a generated key; the client's file name is kept as metadata only.
 */

import type { StoredFile } from "../drivers/drivers.ts";
import { LucentError, ValidationError } from "../http/errors.ts";
import type { Engine } from "../kernel/engine.ts";
import type { Doc } from "../query/access-types.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { effectiveMime } from "./mime-sniff.ts";

export const DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024;

export interface StoredUploads {
  /** Upload field values to write. */
  values: Record<string, StoredFile>;
  /** Removes the stored files (the write failed). */
  discard(): Promise<void>;
  /** Keys of files this write replaces, deleted after commit. */
  replacedKeys(original: Doc): string[];
}

export function mimeAllowed(type: string, allowed: readonly string[] | undefined): boolean {
  if (!allowed) return true;
  return allowed.some((a) => (a.endsWith("/*") ? type.startsWith(a.slice(0, -1)) : a === type));
}

/** A display name with no path and no control characters. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "file";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, "").slice(0, 255);
  return clean || "file";
}

export async function storeUploads(
  engine: Engine,
  collection: ResolvedCollection,
  id: string,
  files: Record<string, File> | undefined,
): Promise<StoredUploads> {
  const values: Record<string, StoredFile> = {};
  const stored: string[] = [];
  const result: StoredUploads = {
    values,
    discard: () => engine.storageDelete(stored),
    replacedKeys: (original) =>
      Object.keys(values).flatMap((name) => {
        const old = original[name] as { key?: unknown } | null | undefined;
        return old && typeof old.key === "string" ? [old.key] : [];
      }),
  };
  if (!files) return result;
  for (const [name, file] of Object.entries(files)) {
    const field = collection.fieldMap.get(name);
    if (field?.config.type !== "upload") {
      throw new ValidationError([{ path: name, message: "unknown upload field" }]);
    }
    const maxSize = field.config.maxSize ?? DEFAULT_MAX_UPLOAD;
    if (file.size > maxSize) {
      throw new LucentError("PAYLOAD_TOO_LARGE", `${name} is larger than ${maxSize} bytes`, {
        details: [{ path: name, message: `at most ${maxSize} bytes` }],
      });
    }
    const declared = (file.type || "application/octet-stream").split(";")[0]!.trim().toLowerCase();
    const mimeType = await effectiveMime(file, declared, field.config.mimeTypes);
    if (!mimeAllowed(mimeType, field.config.mimeTypes)) {
      throw new ValidationError([
        {
          path: name,
          message: `type ${mimeType} is not accepted (${field.config.mimeTypes?.join(", ")})`,
        },
      ]);
    }
    const key = `${collection.slug}/${Bun.randomUUIDv7()}`;
    await engine.storage.put(key, file, { contentType: mimeType });
    stored.push(key);
    values[name] = {
      key,
      filename: cleanName(file.name),
      mimeType,
      size: file.size,
      url: `${engine.prefix}/${collection.slug}/${id}/${name}`,
    };
  }
  return result;
}
