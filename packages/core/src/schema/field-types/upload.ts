/**
 * `upload`: a file sent as multipart, kept by the storage driver; the column
 * holds its description (`StoredFile`). A JSON body may clear it (null) or
 * name a finished direct or tus upload by `{ key }`.
 */
import { z } from "zod";
import type { UploadField } from "../fields.ts";
import type { FieldTypeDefinition, JsonSchema } from "./types.ts";

/** The stored value, as responses carry it (and `UploadValue` in `lucent-types.ts`). */
export const STORED_FILE_SCHEMA: JsonSchema = {
  type: "object",
  description: "An upload field's value; `url` serves the file with the collection's read access.",
  properties: {
    key: { type: "string" },
    filename: { type: "string" },
    mimeType: { type: "string" },
    size: { type: "integer", minimum: 0 },
    url: { type: "string" },
  },
  required: ["key", "filename", "mimeType", "size", "url"],
};

const IMAGE_SIZE = z
  .object({
    width: z.int().min(1).max(8192).optional(),
    height: z.int().min(1).max(8192).optional(),
    fit: z.enum(["cover", "contain", "fill", "inside", "outside"]).optional(),
    format: z.enum(["webp", "avif", "png", "jpeg"]).optional(),
  })
  .strict()
  .refine((s) => s.width !== undefined || s.height !== undefined, "needs a width or a height");

export const uploadType: FieldTypeDefinition<UploadField> = {
  type: "upload",
  options: () => ({
    maxSize: z.int().positive().optional(),
    mimeTypes: z.array(z.string().min(1)).optional(),
    signedUrls: z.boolean().optional(),
    signedUrlExpiry: z.int().min(1).max(604_800).optional(),
    imageSizes: z
      .record(
        z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "size names are letters, digits, _ and -"),
        IMAGE_SIZE,
      )
      .optional(),
  }),
  file: true,
  column: () => ({ type: "jsonb" }),
  // Files arrive as multipart; a JSON body clears the field (null) or names an upload by key.
  input: () =>
    z
      .object(
        { key: z.string().min(1).max(200) },
        { message: "send the file as multipart/form-data, or { key } of an upload" },
      )
      .strict(),
  typescript: () => "UploadValue",
  responseSchema: (_field, { ref }) => ref("StoredFile"),
  // Kept as zod writes it (`anyOf: [not {}, null]`): a property typed as only `null` is
  // dropped by openapi-fetch's Writable<T>, which then refuses every body.
  annotateInput: (schema) => ({
    ...schema,
    description:
      "send the file as multipart/form-data, or { key } of a finished direct or tus upload; null clears the field",
  }),
};
