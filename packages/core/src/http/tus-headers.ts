/**
 * The tus 1.0 request headers, read strictly: a value that is not exactly
 * what the protocol allows is a 400 naming the header, never a guess.
 */
import { invalid } from "./errors.ts";

export const TUS_VERSION = "1.0.0";

/** Checks `Tus-Resumable` (every request but OPTIONS must send it). */
export function checkTusResumable(headers: Headers): void {
  if (headers.get("tus-resumable") !== TUS_VERSION)
    throw invalid("Tus-Resumable", `must be ${TUS_VERSION}`);
}

/** A non-negative integer header (`Upload-Length`, `Upload-Offset`): digits only, within 2^53. */
export function byteCount(headers: Headers, name: string): number {
  const raw = headers.get(name);
  if (raw === null) throw invalid(name, "required");
  if (!/^\d{1,16}$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw invalid(name, "must be a non-negative integer");
  return Number(raw);
}

/**
 * `Upload-Metadata`: comma-separated `key base64value` pairs (value
 * optional); keys are ASCII without spaces or commas and unique. At most 4 KiB.
 */
export function uploadMetadata(raw: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === null || raw.trim() === "") return out;
  if (raw.length > 4096) throw invalid("Upload-Metadata", "is longer than 4096 characters");
  for (const pair of raw.split(",")) {
    const m = /^\s*([!#-+\--~]{1,64})(?: ([A-Za-z0-9+/]*={0,2}))?\s*$/.exec(pair);
    if (!m) throw invalid("Upload-Metadata", "must be comma-separated `key base64value` pairs");
    const key = m[1]!;
    if (Object.hasOwn(out, key)) throw invalid("Upload-Metadata", `${key} appears twice`);
    const value = m[2] ?? "";
    if (value.length % 4 !== 0) throw invalid("Upload-Metadata", `${key} is not base64`);
    const decoded = Buffer.from(value, "base64");
    const text = new TextDecoder("utf-8", { fatal: false }).decode(decoded);
    Object.defineProperty(out, key, {
      value: text,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
