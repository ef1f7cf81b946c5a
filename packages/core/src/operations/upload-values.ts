/** Small facts about upload fields and their values, shared by staging, writes and serving. */
import type { StoredFile } from "../drivers/drivers.ts";
import { ValidationError } from "../http/errors.ts";
import type { UploadField } from "../schema/fields.ts";
import type { ResolvedCollection } from "../schema/schema.ts";

export const DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024;

export function mimeAllowed(type: string, allowed: readonly string[] | undefined): boolean {
  if (!allowed) return true;
  return allowed.some((a) => (a.endsWith("/*") ? type.startsWith(a.slice(0, -1)) : a === type));
}

/** A display name with no path and no control characters. */
export function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "file";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, "").slice(0, 255);
  return clean || "file";
}

/** The upload field `name` of a collection, or a 400 naming it. */
export function uploadField(collection: ResolvedCollection, name: string): UploadField {
  const field = collection.fieldMap.get(name);
  if (field?.config.type !== "upload")
    throw new ValidationError([{ path: name, message: "unknown upload field" }]);
  return field.config;
}

/** A stored value's key, when the value is one. */
export function keyOf(value: unknown): string | undefined {
  const key = (value as { key?: unknown } | null | undefined)?.key;
  return typeof key === "string" ? key : undefined;
}

/** Every object a stored file owns: the file and its stored image sizes. */
export function objectKeys(field: UploadField, key: string): string[] {
  return [key, ...Object.keys(field.imageSizes ?? {}).map((size) => `${key}.${size}`)];
}

/** Objects of every upload in a document. */
export function documentObjectKeys(
  collection: ResolvedCollection,
  doc: Record<string, unknown>,
): string[] {
  return collection.fields.flatMap((f) => {
    const key = f.config.type === "upload" ? keyOf(doc[f.name]) : undefined;
    return key && f.config.type === "upload" ? objectKeys(f.config, key) : [];
  });
}

export function fileUrl(prefix: string, slug: string, id: string, field: string): string {
  return `${prefix}/${slug}/${id}/${field}`;
}

export function storedValue(file: Omit<StoredFile, "url">, url: string): StoredFile {
  return { key: file.key, filename: file.filename, mimeType: file.mimeType, size: file.size, url };
}
