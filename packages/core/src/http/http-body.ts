/**
 * Reads a write's body: JSON, or multipart with files under their field
 * names and the other fields as JSON in `_payload` (or as plain text fields).
 * Sizes are checked while the body streams (http-body-limit.ts).
 */

import { DEFAULT_MAX_UPLOAD } from "../operations/uploads.ts";
import { parseJsonInput } from "../query/json-input.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { fieldKind } from "../schema/value-kinds.ts";
import { invalid, ValidationError } from "./errors.ts";
import { readBodyBytes, readBodyText } from "./http-body-limit.ts";

export interface WriteBody {
  data: unknown;
  files?: Record<string, File>;
}

export async function readWriteBody(
  request: Request,
  collection: ResolvedCollection,
  bodyLimit: number,
): Promise<WriteBody> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "multipart/form-data") return readMultipart(request, collection, bodyLimit);
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new ValidationError(
      [{ path: "", message: "unsupported content type" }],
      "send application/json (or multipart/form-data for uploads)",
    );
  }
  const text = await readBodyText(request, bodyLimit);
  if (!text.trim()) throw invalid("", "the body must be a JSON object");
  return { data: parseJsonInput(text) };
}

async function readMultipart(
  request: Request,
  collection: ResolvedCollection,
  bodyLimit: number,
): Promise<WriteBody> {
  const uploadLimit = collection.fields.reduce(
    (sum, f) => sum + (f.config.type === "upload" ? (f.config.maxSize ?? DEFAULT_MAX_UPLOAD) : 0),
    0,
  );
  // Multipart framing adds a little per part; the per-field limits are checked exactly later.
  const limit = bodyLimit + uploadLimit + 64 * 1024;
  const bytes = await readBodyBytes(request, limit);
  let form: FormData;
  try {
    const type = request.headers.get("content-type") ?? "";
    form = await new Response(bytes, { headers: { "content-type": type } }).formData();
  } catch {
    throw new ValidationError(
      [{ path: "", message: "malformed multipart body" }],
      "the body could not be parsed",
    );
  }
  // Maps, then own properties: a part or a `_payload` key named `__proto__` or
  // `constructor` stays an ordinary (unknown) name, as it is in a JSON body.
  const files = new Map<string, File>();
  const data = new Map<string, unknown>();
  const add = (name: string, value: unknown) => {
    if (data.has(name)) throw invalid(name, "may appear only once");
    data.set(name, value);
  };
  for (const [name, value] of form) {
    if (typeof value !== "string") {
      if (files.has(name)) throw invalid(name, "one file per field");
      files.set(name, value);
      continue;
    }
    if (name === "_payload") {
      const payload = parseJsonInput(value, "_payload");
      if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
        throw invalid("_payload", "must be a JSON object");
      }
      for (const [key, v] of Object.entries(payload)) add(key, v);
      continue;
    }
    add(name, coerceFormValue(collection, name, value));
  }
  return { data: Object.fromEntries(data), files: Object.fromEntries(files) };
}

/**
 * Plain text form fields carry strings. A field whose column holds one text,
 * id or date takes the text as it is; any other takes its JSON reading
 * (`5`, `true`, `["a","b"]`), as it would arrive in a JSON body.
 */
function coerceFormValue(collection: ResolvedCollection, name: string, value: string): unknown {
  const field = collection.fieldMap.get(name);
  if (!field) return value;
  const kind = fieldKind(field.config);
  const textual = kind.base === "text" || kind.base === "uuid" || kind.base === "timestamptz";
  return textual && !kind.array ? value : parseJsonOr(value);
}

function parseJsonOr(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
