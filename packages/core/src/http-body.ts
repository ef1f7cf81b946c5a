/**
 * Reads a write's body: JSON, or multipart with files under their field
 * names and the other fields as JSON in `_payload` (or as plain text fields).
 * Sizes are checked before anything is buffered when the client says them.
 */
import { invalid, LucentError, ValidationError } from "./errors.ts";
import type { ResolvedCollection } from "./schema.ts";
import { DEFAULT_MAX_UPLOAD } from "./uploads.ts";

export interface WriteBody {
  data: unknown;
  files?: Record<string, File>;
}

function tooLarge(limit: number): LucentError {
  return new LucentError("PAYLOAD_TOO_LARGE", `the request body is larger than ${limit} bytes`);
}

function declaredLength(request: Request): number | undefined {
  const raw = request.headers.get("content-length");
  return raw && /^\d+$/.test(raw) ? Number(raw) : undefined;
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
  const length = declaredLength(request);
  if (length !== undefined && length > bodyLimit) throw tooLarge(bodyLimit);
  const text = await request.text();
  if (Buffer.byteLength(text) > bodyLimit) throw tooLarge(bodyLimit);
  if (!text.trim()) throw invalid("", "the body must be a JSON object");
  try {
    return { data: JSON.parse(text) };
  } catch {
    throw new ValidationError(
      [{ path: "", message: "malformed JSON" }],
      "the body is not valid JSON",
    );
  }
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
  const length = declaredLength(request);
  if (length !== undefined && length > limit) throw tooLarge(limit);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new ValidationError(
      [{ path: "", message: "malformed multipart body" }],
      "the body could not be parsed",
    );
  }
  const files: Record<string, File> = {};
  const data: Record<string, unknown> = {};
  for (const [name, value] of form) {
    if (typeof value !== "string") {
      if (name in files) throw invalid(name, "one file per field");
      files[name] = value;
      continue;
    }
    if (name === "_payload") {
      let payload: unknown;
      try {
        payload = JSON.parse(value);
      } catch {
        throw invalid("_payload", "must be JSON");
      }
      if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
        throw invalid("_payload", "must be a JSON object");
      }
      Object.assign(data, payload);
      continue;
    }
    if (name in data) throw invalid(name, "may appear only once");
    data[name] = coerceFormValue(collection, name, value);
  }
  return { data, files };
}

/** Plain text form fields carry strings; fields of other types take their JSON reading. */
function coerceFormValue(collection: ResolvedCollection, name: string, value: string): unknown {
  const field = collection.fieldMap.get(name);
  if (!field) return value;
  switch (field.config.type) {
    case "text":
    case "email":
    case "password":
    case "select":
    case "date":
      return value;
    case "relationship":
      return field.config.hasMany ? parseJsonOr(value) : value;
    default:
      return parseJsonOr(value);
  }
}

function parseJsonOr(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
