/**
 * The S3 storage driver on `Bun.S3Client`: any S3-compatible endpoint. Streams
 * are sent as multipart uploads (part by part, so memory stays at about
 * `partSize * queueSize` per upload and no 5 GiB single-request limit applies);
 * reads are streamed, with ranges; presigned URLs serve direct uploads.
 */
import { assertStorageKey, bodyStream, type StorageDriver } from "@lucent/core";
import { resolveS3Options, type StorageS3Options } from "./options.ts";

/** S3 answers a missing key with NoSuchKey (GET) or a bare 404 (HEAD). */
function isMissing(error: unknown): boolean {
  const e = error as { code?: string; name?: string; message?: string } | null;
  return (
    e?.code === "NoSuchKey" ||
    e?.code === "NotFound" ||
    e?.name === "NoSuchKey" ||
    /\b404\b|NoSuchKey|Not ?Found/i.test(e?.message ?? "")
  );
}

/** Passes at most `limit` bytes, then ends the stream. */
function limitBytes(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let left = limit;
  return new TransformStream({
    transform(chunk, controller) {
      if (left <= 0) return;
      const part = chunk.byteLength > left ? chunk.subarray(0, left) : chunk;
      left -= part.byteLength;
      controller.enqueue(part);
      if (left === 0) controller.terminate();
    },
  });
}

/** At most `limit` holders at once; the rest wait in order. */
function semaphore(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export function s3Storage(options: StorageS3Options = {}): StorageDriver {
  const o = resolveS3Options(options);
  // Each streamed upload buffers its parts in memory; bounding how many run at once bounds
  // the process's memory, and the waiting ones are held back by TCP, not buffered.
  const uploadSlot = semaphore(o.maxConcurrentUploads);
  let client: Bun.S3Client | undefined;
  // Created on first use, as every external client is (STYLE: clients are lazy).
  const s3 = () => {
    client ??= new Bun.S3Client({
      bucket: o.bucket,
      region: o.region,
      virtualHostedStyle: !o.pathStyle,
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      ...(o.accessKeyId ? { accessKeyId: o.accessKeyId } : {}),
      ...(o.secretAccessKey ? { secretAccessKey: o.secretAccessKey } : {}),
    });
    return client;
  };
  const path = (key: string) => {
    assertStorageKey(key);
    return o.prefix + key;
  };
  const head = async (key: string) => {
    const target = path(key);
    try {
      const stat = await s3().stat(target);
      return { size: stat.size, ...(stat.type ? { contentType: stat.type } : {}) };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  };

  return {
    name: "s3",
    capabilities: { presign: true, multipart: true },
    signedUrlExpiry: o.signedUrlExpiry,
    async put(key, body, { contentType }) {
      const target = path(key);
      if (
        !(body instanceof ReadableStream) &&
        (body instanceof Blob ? body.size : body.byteLength) < o.partSize
      ) {
        // Small and whole: one request.
        const size = await s3().write(target, body as Blob | Uint8Array<ArrayBuffer>, {
          type: contentType,
        });
        return { size };
      }
      // A Response body is sent as a multipart upload, part by part as the stream yields,
      // and aborted when the stream errors: nothing is left under the key, and what it held
      // stays. (`writer().end(error)` completes the object instead.)
      let size = 0;
      const counted = bodyStream(body).pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            size += chunk.byteLength;
            controller.enqueue(chunk);
          },
        }),
      );
      await uploadSlot(() =>
        s3().write(target, new Response(counted), {
          type: contentType,
          partSize: o.partSize,
          queueSize: o.queueSize,
          retry: 3,
        }),
      );
      return { size };
    },
    async get(key, options = {}) {
      const info = await head(key);
      if (!info) return null;
      const file = s3().file(path(key));
      const range = options.range;
      if (!range) return { ...info, body: file.stream() };
      // Cut at the range's length: a server that answers part of a range with more bytes
      // (s3rver sends the whole object for `bytes=0-0`) must not make a response longer
      // than the Content-Length it announced.
      const body = file
        .slice(range.start, range.end + 1)
        .stream()
        .pipeThrough(limitBytes(range.end - range.start + 1));
      return { ...info, body, range };
    },
    head,
    async delete(key) {
      const target = path(key);
      try {
        await s3().delete(target);
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },
    async presign(key, { method, expiresIn, contentType }) {
      return s3().presign(path(key), {
        method,
        expiresIn,
        ...(contentType ? { type: contentType } : {}),
      });
    },
    async check() {
      // A GET of a key nobody writes: NoSuchKey proves the endpoint, the credentials and the
      // bucket (a HEAD cannot tell a missing bucket from a missing key; a listing needs a
      // wider grant than reading and writing objects).
      try {
        await s3().file(`${o.prefix}.lucent-health-check`).text();
      } catch (error) {
        if ((error as { code?: string }).code !== "NoSuchKey") throw error;
      }
    },
    async stop() {
      client = undefined;
    },
  };
}
