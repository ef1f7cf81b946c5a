/**
 * One condition of a where tree judged against one document value, as
 * where-sql.ts compiles it: a NULL column fails every test but `neq`, `nin`
 * and `exists: false`; on multiselect and hasMany, `in` is overlap, `nin` no
 * overlap, and `eq`/`neq` are the same set (a list) or contains (one value).
 */

import type { ColumnKind } from "../schema/value-kinds.ts";
import type { Operator } from "./access-types.ts";
import { compareCodePoints, ilikeContains, wellFormed } from "./text-match.ts";
import type { MatchOptions, MatchResult } from "./where-match.ts";
import type { WhereNode } from "./where-parse.ts";

type Tri = MatchResult;
type Cond = Extract<WhereNode, { kind: "cond" }>;
const UNKNOWN = "unknown";

/** `value` is the document's (null for SQL NULL); `microseconds` marks createdAt/updatedAt. */
export function matchCondition(
  node: Cond,
  value: unknown,
  microseconds: boolean,
  options: MatchOptions,
): Tri {
  return node.type.array
    ? arrayMatch(node, value)
    : scalarMatch(node, value, microseconds, options);
}

function not3(a: Tri): Tri {
  return a === UNKNOWN ? UNKNOWN : !a;
}

/** A relationship id, also when populated (`{ id, ... }`). */
function idOf(value: unknown): string | undefined {
  if (typeof value === "string") return value.toLowerCase();
  if (typeof value === "object" && value !== null && "id" in value && typeof value.id === "string")
    return value.id.toLowerCase();
  return undefined;
}

/** A non-null document value in comparable form, or undefined when its column cannot hold it. */
function scalarOf(kind: ColumnKind, value: unknown): string | number | boolean | undefined {
  switch (kind.base) {
    case "text":
      return typeof value === "string" ? value : undefined;
    case "uuid":
      return idOf(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value) ? value : undefined;
    case "numeric":
      return typeof value === "number" && Number.isFinite(value) ? value : undefined;
    case "boolean":
      return typeof value === "boolean" ? value : undefined;
    case "timestamptz": {
      const time =
        value instanceof Date
          ? value.getTime()
          : typeof value === "string"
            ? Date.parse(value)
            : NaN;
      return Number.isNaN(time) ? undefined : time;
    }
    case "jsonb":
      return undefined;
  }
}

/** A parsed condition value in the same form (numerics arrive as decimal strings, dates as ISO). */
function paramOf(kind: ColumnKind, value: unknown): string | number | boolean {
  switch (kind.base) {
    case "numeric":
      return Number(value);
    case "timestamptz":
      return Date.parse(value as string);
    case "text":
      return wellFormed(value as string);
    default:
      return value as string | number | boolean;
  }
}

/** Sign of `stored - param`, or "unknown". */
function compare(
  kind: ColumnKind,
  stored: string | number | boolean,
  param: string | number | boolean,
  microseconds: boolean,
  options: MatchOptions,
  ordering: boolean,
): number | "unknown" {
  if (typeof stored === "string" && typeof param === "string") {
    if (!ordering) return wellFormed(stored) === param ? 0 : 1;
    if (kind.base !== "text" || options.codePointTextOrder !== true) return UNKNOWN;
    return compareCodePoints(wellFormed(stored), param);
  }
  if (typeof stored === "number" && typeof param === "number") {
    // The stored instant lies in [stored, stored + 1 ms): a tie could go either way.
    if (microseconds && stored === param) return UNKNOWN;
    return Math.sign(stored - param);
  }
  return stored === param ? 0 : 1;
}

function scalarMatch(
  node: Cond,
  value: unknown,
  microseconds: boolean,
  options: MatchOptions,
): Tri {
  const { type, op } = node;
  if (op === "exists") return (value !== null) === node.value;
  if (node.value === null) {
    if (op === "eq") return value === null;
    if (op === "neq") return value !== null;
    return false;
  }
  if (value === null) return op === "neq" || op === "nin";
  if (type.base === "jsonb") return UNKNOWN;
  const stored = scalarOf(type, value);
  if (stored === undefined) return UNKNOWN;
  if (op === "like") {
    return typeof stored === "string" ? ilikeContains(stored, node.value as string) : UNKNOWN;
  }
  const cmp = (param: unknown, ordering: boolean) =>
    compare(type, stored, paramOf(type, param), microseconds, options, ordering);
  switch (op) {
    case "eq":
      return signIs(cmp(node.value, false), (s) => s === 0);
    case "neq":
      return signIs(cmp(node.value, false), (s) => s !== 0);
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return ordered(cmp(node.value, true), op, microseconds);
    case "in":
    case "nin": {
      let found: Tri = false;
      for (const item of node.value as unknown[]) {
        const hit = signIs(cmp(item, false), (s) => s === 0);
        if (hit === true) {
          found = true;
          break;
        }
        if (hit === UNKNOWN) found = UNKNOWN;
      }
      return op === "in" ? found : not3(found);
    }
  }
}

function signIs(sign: number | "unknown", test: (s: number) => boolean): Tri {
  return sign === UNKNOWN ? UNKNOWN : test(sign);
}

/**
 * A millisecond tie on a microsecond column: the stored instant is at or
 * after the compared one, so `gte` holds and `lt` fails; `gt` and `lte`
 * depend on the microseconds.
 */
function ordered(sign: number | "unknown", op: Operator, microseconds: boolean): Tri {
  if (sign !== UNKNOWN) {
    if (op === "gt") return sign > 0;
    if (op === "gte") return sign >= 0;
    if (op === "lt") return sign < 0;
    return sign <= 0;
  }
  if (microseconds && op === "gte") return true;
  if (microseconds && op === "lt") return false;
  return UNKNOWN;
}

/** Multiselect and hasMany, as arrayConditionSql compiles them. */
function arrayMatch(node: Cond, value: unknown): Tri {
  const { op } = node;
  let items: string[] | null;
  if (value === null) items = null;
  else if (!Array.isArray(value)) return UNKNOWN;
  else {
    items = [];
    for (const v of value) {
      const item =
        node.type.base === "uuid" ? idOf(v) : typeof v === "string" ? wellFormed(v) : undefined;
      if (item === undefined) return UNKNOWN;
      items.push(item);
    }
  }
  if (op === "exists") return (items !== null && items.length > 0) === node.value;
  const list = Array.isArray(node.value)
    ? (node.value as string[]).map((v) => (node.type.base === "text" ? wellFormed(v) : v))
    : node.value === null
      ? null
      : [node.value as string];
  if (list === null) {
    if (op === "eq") return items === null;
    if (op === "neq") return items !== null;
    return false;
  }
  if (op === "in" && list.length === 0) return false;
  if (op === "nin" && list.length === 0) return true;
  if (items === null) return op === "neq" || op === "nin";
  const have = new Set(items);
  const contains = list.every((v) => have.has(v));
  const sameSet = contains && items.every((v) => list.includes(v));
  const overlaps = list.some((v) => have.has(v));
  switch (op) {
    case "eq":
      return Array.isArray(node.value) ? sameSet : contains;
    case "neq":
      return !(Array.isArray(node.value) ? sameSet : contains);
    case "in":
      return overlaps;
    case "nin":
      return !overlaps;
    default:
      return false;
  }
}
