/**
 * Key versions as users write them: a label such as `"v1"` (the documented
 * form) or the number it stands for. Records store the number, so `"v2"` and
 * `2` name the same key, and records written with numbers read with labels.
 */
import { SecretsOptionsError } from "./errors.ts";

/** `"v1"`, `"v2"`, … or the plain number. */
export type KeyVersionInput = number | `v${number}`;

const MAX_VERSION = 2_147_483_647;
const LABEL = /^v([1-9]\d{0,9})$/;

/** The stored number of a version, or undefined when `value` is not one. */
export function keyVersionNumber(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(LABEL.exec(value)?.[1]) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= MAX_VERSION ? n : undefined;
}

/**
 * A version written as an object key (`previousKeys: { v1: …, 2: … }`): keys
 * are strings, so `"2"` stands for the number 2 here.
 */
export function keyVersionOfName(name: string): number | undefined {
  return keyVersionNumber(/^\d+$/.test(name) ? Number(name) : name);
}

/** Like `keyVersionNumber`, but a bad value is a startup error naming `label`. */
export function parseKeyVersion(value: unknown, label: string): number {
  const n = keyVersionNumber(value);
  if (n === undefined) {
    throw new SecretsOptionsError([
      `${label} must be a label such as "v1" or "v2" (or a positive integer)`,
    ]);
  }
  return n;
}
