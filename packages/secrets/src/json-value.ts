/**
 * Secret values are JSON. Anything JSON would silently change (undefined
 * dropped, NaN turned into null, a Date into a string, a Map into `{}`) is
 * refused instead, so what `get` returns is what `set` was given.
 */
import { InvalidSecretValueError } from "./errors.ts";

/** A value that survives JSON unchanged. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

const MAX_DEPTH = 64;

function problem(value: unknown, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return `is nested deeper than ${MAX_DEPTH} levels`;
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : "is a non-finite number, which JSON cannot hold";
    case "object": {
      if (value === null) return undefined;
      if (Array.isArray(value)) return undefined;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        const name = (value as object).constructor?.name ?? "object";
        return `is a ${name}, not plain JSON; convert it first`;
      }
      return undefined;
    }
    default:
      return `is ${typeof value === "undefined" ? "undefined" : `a ${typeof value}`}, which JSON cannot hold`;
  }
}

function check(key: string, value: unknown, path: string, depth: number, seen: Set<object>): void {
  const found = problem(value, depth);
  if (found) throw new InvalidSecretValueError(key, path, found);
  if (typeof value !== "object" || value === null) return;
  if (seen.has(value)) throw new InvalidSecretValueError(key, path, "refers to itself");
  seen.add(value);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) check(key, item, `${path}[${i}]`, depth + 1, seen);
  } else {
    for (const [name, item] of Object.entries(value)) {
      check(key, item, path ? `${path}.${name}` : name, depth + 1, seen);
    }
  }
  seen.delete(value);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Checks `value` and returns its UTF-8 JSON bytes. */
export function encodeJson(key: string, value: unknown): Uint8Array<ArrayBuffer> {
  check(key, value, "", 0, new Set());
  return encoder.encode(JSON.stringify(value));
}

export function decodeJson(bytes: Uint8Array): unknown {
  return JSON.parse(decoder.decode(bytes));
}
