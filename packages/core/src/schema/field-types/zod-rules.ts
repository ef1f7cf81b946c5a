/**
 * The building blocks of body schemas, shared by the field types: each
 * message says what is wrong in words a client can act on.
 */
import { z } from "zod";
import { DATE_RULE, parseIsoDate } from "../iso-date.ts";

export const INT4_MIN = -2147483648;
export const INT4_MAX = 2147483647;

/**
 * A message for a wrong type only: a schema-level `message` would also
 * replace the messages of its checks ("must be at most 5" read "must be a number").
 */
export const typeError = (message: string) => ({
  error: (issue: { code: string }) => (issue.code === "invalid_type" ? message : undefined),
});
export const atLeast = (n: number, unit = "") => `must be at least ${n}${unit}`;
export const atMost = (n: number, unit = "") => `must be at most ${n}${unit}`;

// NUL bytes and nesting depth are checked once for the whole body (json-input.ts).
export const text = () => z.string(typeError("must be a string"));
export const json = () => z.json(typeError("must be JSON"));

export const uuid = () => z.uuid({ message: "must be a UUID" }).transform((s) => s.toLowerCase());

export const isoDate = () =>
  z
    .string(typeError(DATE_RULE))
    .refine((s) => parseIsoDate(s) !== undefined, DATE_RULE)
    .transform((s) => parseIsoDate(s)!);

/** One of `options`, with the list in the message. */
export const oneOf = (options: readonly string[]) =>
  z.enum(options as [string, ...string[]], { message: `must be one of ${options.join(", ")}` });

/** zod options of a select or multiselect config: a non-empty list of distinct strings. */
export const optionList = () =>
  z
    .array(z.string().min(1))
    .min(1, "needs at least one option")
    .refine((o) => new Set(o).size === o.length, "options must be unique");
