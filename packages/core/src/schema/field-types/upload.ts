/**
 * `upload`: a file sent as multipart, kept by the storage driver; the column
 * holds its description (`StoredFile`), and a JSON body may only clear it.
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

export const uploadType: FieldTypeDefinition<UploadField> = {
  type: "upload",
  options: () => ({
    maxSize: z.int().positive().optional(),
    mimeTypes: z.array(z.string().min(1)).optional(),
  }),
  file: true,
  column: () => ({ type: "jsonb" }),
  // Files arrive as multipart; a JSON body may only clear the field (null).
  input: () => z.never({ message: "send the file as multipart/form-data" }),
  typescript: () => "UploadValue",
  responseSchema: (_field, { ref }) => ref("StoredFile"),
  // Kept as zod writes it (`anyOf: [not {}, null]`): a property typed as only `null` is
  // dropped by openapi-fetch's Writable<T>, which then refuses every body.
  annotateInput: (schema) => ({
    ...schema,
    description: "send the file as multipart/form-data; null clears the field",
  }),
};
