/** Helpers every storage driver shares: which keys are core's, and a body as one stream. */
import type { StorageBody } from "./drivers.ts";

/**
 * Core's keys: `<collection>/<uuid>`, optionally `.<variant>` for a stored
 * image size (`posts/0190…-…-….thumb`). Nothing else reaches a store.
 */
const KEY =
  /^[a-z0-9][a-z0-9-]{0,63}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.[A-Za-z0-9_-]{1,64})?$/;

export function isStorageKey(key: string): boolean {
  return KEY.test(key);
}

/** Throws unless `key` is one core would generate. */
export function assertStorageKey(key: string): void {
  if (!KEY.test(key)) throw new Error("invalid storage key");
}

/** Any accepted body as a stream of bytes. */
export function bodyStream(body: StorageBody): ReadableStream<Uint8Array> {
  if (body instanceof ReadableStream) return body;
  if (body instanceof Blob) return body.stream();
  return new Blob([body as Uint8Array<ArrayBuffer>]).stream();
}
