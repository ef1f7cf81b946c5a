/**
 * Reads a write's body: JSON, or multipart with files under their field
 * names and the other fields as JSON in `_payload` (or as plain text fields).
 * Multipart is read as a stream: each file goes to `stage` (stored as it
 * arrives) and is never held whole; text parts together stay under the body
 * limit. Sizes are checked while the body streams (http-body-limit.ts).
 */

import { byteLimit, type StagedFile } from "../operations/upload-stage.ts";
import { DEFAULT_MAX_UPLOAD } from "../operations/upload-values.ts";
import type { StagedUploads } from "../operations/uploads.ts";
import { parseJsonInput } from "../query/json-input.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { fieldKind } from "../schema/value-kinds.ts";
import { invalid, ValidationError } from "./errors.ts";
import { payloadTooLarge, readBodyText } from "./http-body-limit.ts";
import { type MultipartPart, multipartBoundary, multipartParts } from "./multipart-stream.ts";

export interface WriteBody {
  data: unknown;
  /** Files stored while the body was read, by field. */
  staged?: StagedUploads;
}

/** Stores one file part; the caller removes what was staged when reading fails later. */
export type StageFile = (field: string, part: MultipartPart) => Promise<StagedFile>;

export interface ReadWriteBodyInput {
  request: Request;
  collection: ResolvedCollection;
  bodyLimit: number;
  stage: StageFile;
  /** Removes staged files when the body turns out bad after some were stored. */
  discard: (staged: StagedUploads) => Promise<void>;
}

export async function readWriteBody(input: ReadWriteBodyInput): Promise<WriteBody> {
  const { request } = input;
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "multipart/form-data") return readMultipart(input);
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new ValidationError(
      [{ path: "", message: "unsupported content type" }],
      "send application/json (or multipart/form-data for uploads)",
    );
  }
  const text = await readBodyText(request, input.bodyLimit);
  if (!text.trim()) throw invalid("", "the body must be a JSON object");
  return { data: parseJsonInput(text) };
}

/** A text part's value, counted against what is left of the body limit. */
async function partText(
  part: MultipartPart,
  budget: { left: number; limit: number },
): Promise<string> {
  const reader = part.body.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    budget.left -= value.byteLength;
    if (budget.left < 0) {
      await reader.cancel().catch(() => {});
      throw payloadTooLarge(budget.limit);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** The most a multipart body may carry: text up to the body limit, each file its maxSize, framing. */
function multipartLimit(collection: ResolvedCollection, bodyLimit: number): number {
  const files = collection.fields.reduce(
    (sum, f) => sum + (f.config.type === "upload" ? (f.config.maxSize ?? DEFAULT_MAX_UPLOAD) : 0),
    0,
  );
  return bodyLimit + files + 64 * 1024;
}

async function readMultipart(input: ReadWriteBodyInput): Promise<WriteBody> {
  const { request, collection } = input;
  if (!request.body) throw invalid("", "the body is empty");
  const boundary = multipartBoundary(request.headers.get("content-type") ?? "");
  // The whole body is held to a limit too, so preamble, padding or part headers cannot
  // make it endless; each field's own limit is checked exactly as its file streams.
  const limit = multipartLimit(collection, input.bodyLimit);
  const declared = request.headers.get("content-length");
  if (declared && /^\d+$/.test(declared) && Number(declared) > limit) throw payloadTooLarge(limit);
  const stream = request.body.pipeThrough(byteLimit(limit, () => payloadTooLarge(limit)));
  // Maps, then own properties: a part or a `_payload` key named `__proto__` or
  // `constructor` stays an ordinary (unknown) name, as it is in a JSON body.
  const files = new Map<string, StagedFile>();
  const data = new Map<string, unknown>();
  const budget = { left: input.bodyLimit, limit: input.bodyLimit };
  const add = (name: string, value: unknown) => {
    if (data.has(name)) throw invalid(name, "may appear only once");
    data.set(name, value);
  };
  try {
    for await (const part of multipartParts(stream, boundary)) {
      if (part.filename !== undefined) {
        if (files.has(part.name)) throw invalid(part.name, "one file per field");
        files.set(part.name, await input.stage(part.name, part));
        continue;
      }
      const value = await partText(part, budget);
      if (part.name === "_payload") {
        const payload = parseJsonInput(value, "_payload");
        if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
          throw invalid("_payload", "must be a JSON object");
        }
        for (const [key, v] of Object.entries(payload)) add(key, v);
        continue;
      }
      add(part.name, coerceFormValue(collection, part.name, value));
    }
  } catch (error) {
    await input.discard({ files });
    throw error;
  }
  return { data: Object.fromEntries(data), staged: { files } };
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
