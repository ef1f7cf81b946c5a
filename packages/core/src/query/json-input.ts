/**
 * JSON from clients, checked once before anything reads it: Postgres can
 * store no NUL character in text or jsonb, and a value nested thousands of
 * levels deep overflows every recursive reader after this one (zod's
 * included). Both are 400s here, with the path of the offending value.
 */
import { ValidationError } from "../http/errors.ts";

/** Deepest nesting of objects and arrays a request may send. */
export const MAX_JSON_DEPTH = 64;

interface Entry {
  value: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Entry | undefined;
}

/** The path of an entry, built only when there is a problem to name. */
function pathOf(entry: Entry, root: string): string {
  const keys: Array<string | number> = [];
  for (let e: Entry | undefined = entry; e?.key !== undefined; e = e.parent) keys.unshift(e.key);
  return keys.reduce<string>((path, key) => (path ? `${path}.${key}` : String(key)), root);
}

/** The first problem in a parsed value, found without recursion; undefined when it is fine. */
export function jsonInputProblem(
  value: unknown,
  root = "",
): { path: string; message: string } | undefined {
  const stack: Entry[] = [{ value, depth: 0, key: undefined, parent: undefined }];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const { value: v, depth } = entry;
    if (typeof v === "string") {
      if (v.includes("\u0000")) {
        return { path: pathOf(entry, root), message: "must not contain NUL bytes" };
      }
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      return {
        path: pathOf(entry, root),
        message: `must not nest deeper than ${MAX_JSON_DEPTH} levels`,
      };
    }
    const children: Array<[string | number, unknown]> = Array.isArray(v)
      ? v.map((child, i) => [i, child])
      : Object.entries(v);
    for (const [key, child] of children) {
      if (typeof key === "string" && key.includes("\u0000")) {
        return { path: pathOf(entry, root), message: "keys must not contain NUL bytes" };
      }
      stack.push({ value: child, depth: depth + 1, key, parent: entry });
    }
  }
  return undefined;
}

/** Throws a 400 naming the first NUL character or too deep value in `value`. */
export function checkJsonInput(value: unknown, root = ""): void {
  const problem = jsonInputProblem(value, root);
  if (problem) throw new ValidationError([problem]);
}

/** Parses client JSON text and checks it; `root` is the path errors name (`""` for a body). */
export function parseJsonInput(text: string, root = ""): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError(
      [{ path: root, message: "malformed JSON" }],
      `${root || "the body"} is not valid JSON`,
    );
  }
  checkJsonInput(value, root);
  return value;
}
