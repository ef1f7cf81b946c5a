/**
 * Storing one incoming file before the write that will hold it: its type is
 * judged from its first bytes (refused before anything is stored), its size
 * is counted as it streams (413 the moment it passes `maxSize`), and its row
 * in `lucent_uploads` exists before its first byte does, so a crash at any
 * point leaves something the sweeper finds.
 */
import { bodyStream } from "../drivers/storage-keys.ts";
import { LucentError, ValidationError } from "../http/errors.ts";
import type { Engine } from "../kernel/engine.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { noteStreamed } from "./memory-pressure.ts";
import { judgeType, SNIFF_BYTES } from "./mime-sniff.ts";
import { forgetUploads, recordUpload } from "./upload-table.ts";
import { cleanName, DEFAULT_MAX_UPLOAD, mimeAllowed, uploadField } from "./upload-values.ts";

/** A file stored under its key, not yet held by a document. */
export interface StagedFile {
  field: string;
  key: string;
  filename: string;
  mimeType: string;
  size: number;
}

/** How long a staged file may wait for its write before the sweeper removes it. */
export const STAGE_EXPIRES_IN = 3600;

export function tooLarge(field: string, maxSize: number): LucentError {
  return new LucentError("PAYLOAD_TOO_LARGE", `${field} is larger than ${maxSize} bytes`, {
    details: [{ path: field, message: `at most ${maxSize} bytes` }],
  });
}

/** Reads up to `count` bytes from the front of a stream; returns them and a stream of everything. */
export async function peek(
  stream: ReadableStream<Uint8Array>,
  count: number,
): Promise<{ head: Uint8Array; body: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  while (size < count) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const head = Buffer.concat(chunks, size);
  let sentHead = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!sentHead) {
          sentHead = true;
          if (head.byteLength) controller.enqueue(new Uint8Array(head));
          if (ended) controller.close();
          return;
        }
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return { head: head.subarray(0, Math.min(count, head.byteLength)), body };
}

/** Passes bytes on and errors with `error()` once more than `limit` went through. */
export function byteLimit(
  limit: number,
  error: () => Error,
): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      noteStreamed(chunk.byteLength);
      if (seen > limit) controller.error(error());
      else controller.enqueue(chunk);
    },
  });
}

export interface StageInput {
  engine: Engine;
  collection: ResolvedCollection;
  field: string;
  body: ReadableStream<Uint8Array> | Blob;
  filename: string | undefined;
  /** The client's claim; only trusted where the bytes cannot prove a type. */
  declaredType: string | undefined;
  owner: string | null;
}

export async function stageFile(input: StageInput): Promise<StagedFile> {
  const { engine, collection, field: name } = input;
  const field = uploadField(collection, name);
  const maxSize = field.maxSize ?? DEFAULT_MAX_UPLOAD;
  if (input.body instanceof Blob && input.body.size > maxSize) throw tooLarge(name, maxSize);
  const { head, body } = await peek(bodyStream(input.body), SNIFF_BYTES);
  const mimeType = await judgeType(head, input.declaredType ?? "", field.mimeTypes);
  if (!mimeAllowed(mimeType, field.mimeTypes)) {
    await body.cancel().catch(() => {});
    throw new ValidationError([
      { path: name, message: `type ${mimeType} is not accepted (${field.mimeTypes?.join(", ")})` },
    ]);
  }
  const key = `${collection.slug}/${Bun.randomUUIDv7()}`;
  await recordUpload(engine.db, {
    key,
    collection: collection.slug,
    field: name,
    kind: "stream",
    owner: input.owner,
    expiresIn: STAGE_EXPIRES_IN,
  });
  try {
    const { size } = await engine.storage.put(
      key,
      body.pipeThrough(byteLimit(maxSize, () => tooLarge(name, maxSize))),
      { contentType: mimeType },
    );
    return { field: name, key, filename: cleanName(input.filename ?? "file"), mimeType, size };
  } catch (error) {
    await engine.storageDelete([key]);
    await forgetUploads(engine.db, [key]).catch(() => {});
    throw error;
  }
}
