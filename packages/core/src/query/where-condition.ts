/**
 * One field test of a `where` (`{ "gte": 5 }` on a field): the operator
 * checked against the field's type and the value typed for its column.
 */
import { invalid } from "../http/errors.ts";
import { fieldTypeOf } from "../schema/field-types/registry.ts";
import { INT4_MAX, INT4_MIN } from "../schema/field-types/zod-rules.ts";
import { DATE_RULE, parseIsoDate } from "../schema/iso-date.ts";
import type { ColumnKind } from "../schema/value-kinds.ts";
import type { Operator } from "./access-types.ts";
import type { QueryContext } from "./query-context.ts";
import type { QueryField } from "./query-fields.ts";
import { booleanOfText, QueryText, valueOfText } from "./query-text.ts";
import { FALSE, TRUE, type WhereNode } from "./where-node.ts";

export const MAX_IN_VALUES = 1000;

export function parseCondition(
  ref: QueryField,
  op: Operator,
  value: unknown,
  ctx: QueryContext,
  path: string,
): WhereNode {
  const { column, kind: type } = ref;
  if (!ref.operators.includes(op))
    throw invalid(path, `operator "${op}" does not apply to this field`);
  if (op === "exists") {
    if (value instanceof QueryText) value = booleanOfText(value, path);
    if (typeof value !== "boolean") throw invalid(path, "must be true or false");
    return { kind: "cond", column, type, op, value };
  }
  if (op === "like") {
    if (value instanceof QueryText) value = value.text;
    if (typeof value !== "string") throw invalid(path, "must be a string");
    checkString(value, path);
    return { kind: "cond", column, type, op, value };
  }
  const me = meValue(ref, ctx);
  if (op === "in" || op === "nin" || (type.array && Array.isArray(value))) {
    if (!Array.isArray(value)) throw invalid(path, "must be an array");
    if (value.length > MAX_IN_VALUES) throw invalid(path, `at most ${MAX_IN_VALUES} values`);
    const values: unknown[] = [];
    for (const [i, v] of value.entries()) {
      const coerced = coerceScalar(ref, v, `${path}[${i}]`, me);
      if (coerced === ME_ABSENT) continue;
      values.push(coerced);
    }
    return { kind: "cond", column, type, op, value: values };
  }
  if (value === null) {
    if (op !== "eq" && op !== "neq") throw invalid(path, "null is only allowed with eq and neq");
    return { kind: "cond", column, type, op, value: null };
  }
  const coerced = coerceScalar(ref, value, path, me);
  if (coerced === ME_ABSENT) return op === "neq" ? TRUE : FALSE;
  return { kind: "cond", column, type, op, value: coerced };
}

const ME_ABSENT = Symbol("me without a user");

/** `"me"` on a relationship to an auth collection: the caller's id, or absent without one. */
function meValue(ref: QueryField, ctx: QueryContext): string | typeof ME_ABSENT | undefined {
  const config = ref.field?.config;
  if (config?.type !== "relationship" || !ctx.registry.authSlugs.has(config.relationTo)) {
    return undefined;
  }
  return ctx.user?.id ?? ME_ABSENT;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkString(value: string, path: string): void {
  if (value.includes("\u0000")) throw invalid(path, "must not contain NUL bytes");
  if (value.length > 10_000) throw invalid(path, "is too long");
}

/** A value checked by its column kind, then by its field's type (select options, email case). */
function coerceScalar(
  ref: QueryField,
  value: unknown,
  path: string,
  me: string | typeof ME_ABSENT | undefined,
): unknown {
  const checked = coerceByKind(ref.kind, value, path, me);
  const config = ref.field?.config;
  const refine = config && fieldTypeOf(config).queryValue;
  if (!refine || checked === ME_ABSENT) return checked;
  return refine(config, checked, (message) => {
    throw invalid(path, message);
  });
}

function coerceByKind(
  kind: ColumnKind,
  input: unknown,
  path: string,
  me: string | typeof ME_ABSENT | undefined,
): unknown {
  const value = input instanceof QueryText ? valueOfText(kind, input, path) : input;
  switch (kind.base) {
    case "text":
      if (typeof value !== "string") throw invalid(path, "must be a string");
      checkString(value, path);
      return value;
    case "uuid":
      if (value === "me" && me !== undefined) return me;
      if (typeof value !== "string" || !UUID.test(value)) throw invalid(path, "must be a UUID");
      return value.toLowerCase();
    case "integer":
      if (
        typeof value !== "number" ||
        !Number.isInteger(value) ||
        value < INT4_MIN ||
        value > INT4_MAX
      ) {
        throw invalid(path, "must be an integer");
      }
      return value;
    case "numeric":
      if (typeof value !== "number" || !Number.isFinite(value))
        throw invalid(path, "must be a number");
      return String(value);
    case "boolean":
      if (typeof value !== "boolean") throw invalid(path, "must be true or false");
      return value;
    case "timestamptz": {
      const date = parseIsoDate(value);
      if (date === undefined) throw invalid(path, DATE_RULE);
      return date;
    }
    case "jsonb":
      throw invalid(path, "this field can only be tested with exists");
  }
}
