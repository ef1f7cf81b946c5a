/** Record keys and the `scope:ownerId:provider:name` convention. */
import { InvalidSecretKeyError } from "./errors.ts";

export const KEY_SEPARATOR = ":";
const MAX_KEY_LENGTH = 1024;
// Postgres text cannot hold NUL, and control characters in a key are a mistake waiting to be logged.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u001f\u007f]/;

const PART_NAMES = ["scope", "ownerId", "provider", "name"] as const;

/**
 * Builds `scope:ownerId:provider:name`. Each part must be non-empty and free
 * of `:`, so a key splits back into exactly the parts it was built from.
 */
export function secretKey(scope: string, ownerId: string, provider: string, name: string): string {
  const parts = [scope, ownerId, provider, name];
  parts.forEach((part, i) => {
    const label = PART_NAMES[i]!;
    if (typeof part !== "string") throw new InvalidSecretKeyError(label, "must be a string");
    if (part.trim() === "") throw new InvalidSecretKeyError(label, "must not be empty");
    if (part.includes(KEY_SEPARATOR)) {
      throw new InvalidSecretKeyError(label, `must not contain "${KEY_SEPARATOR}"`);
    }
    if (CONTROL.test(part)) {
      throw new InvalidSecretKeyError(label, "must not contain control characters");
    }
  });
  return assertRecordKey(parts.join(KEY_SEPARATOR));
}

/** Checks a record key given to `set`, `get`, ...; any non-empty printable string is allowed. */
export function assertRecordKey(key: string): string {
  if (typeof key !== "string" || key === "") {
    throw new InvalidSecretKeyError("key", "must be a non-empty string");
  }
  if (key.length > MAX_KEY_LENGTH) {
    throw new InvalidSecretKeyError("key", `must be at most ${MAX_KEY_LENGTH} characters`);
  }
  if (CONTROL.test(key))
    throw new InvalidSecretKeyError("key", "must not contain control characters");
  return key;
}
