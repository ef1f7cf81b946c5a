/**
 * Checks a `where` value against a collection and turns it into a tree whose
 * fields are resolved and whose values are typed. Anything it does not
 * understand is a 400: unknown fields and operators, wrong value types,
 * fields the caller may not read, too deep nesting, too long lists, more
 * conditions or dotted paths than one query may cost.
 */

import { invalid } from "../http/errors.ts";
import { fieldTypeOf } from "../schema/field-types/registry.ts";
import { INT4_MAX, INT4_MIN } from "../schema/field-types/zod-rules.ts";
import { DATE_RULE, parseIsoDate } from "../schema/iso-date.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { type ColumnKind, WHERE_OPERATORS } from "../schema/value-kinds.ts";
import type { Operator } from "./access-types.ts";
import { canReadFieldBlind, type QueryContext } from "./query-context.ts";
import { type QueryField, queryFields } from "./query-fields.ts";

export const MAX_WHERE_DEPTH = 16;
export const MAX_IN_VALUES = 1000;
/** Field tests (one per operator) in one where; each dotted one is a subquery. */
export const MAX_CONDITIONS = 100;
/** Different dotted paths in one where. */
export const MAX_PATHS = 10;
const MAX_PATH_SEGMENTS = 4;
const OPERATORS: ReadonlySet<string> = new Set(WHERE_OPERATORS);

export type WhereNode =
  | { kind: "and" | "or"; children: WhereNode[] }
  | { kind: "const"; value: boolean }
  | { kind: "cond"; column: string; type: ColumnKind; op: Operator; value: unknown }
  | {
      kind: "path";
      column: string;
      many: boolean;
      target: ResolvedCollection;
      inner: WhereNode;
    };

export const TRUE: WhereNode = { kind: "const", value: true };
export const FALSE: WhereNode = { kind: "const", value: false };

export function and(...nodes: WhereNode[]): WhereNode {
  const children = nodes.filter((n) => !(n.kind === "const" && n.value));
  if (children.some((n) => n.kind === "const" && !n.value)) return FALSE;
  if (children.length === 0) return TRUE;
  return children.length === 1 ? children[0]! : { kind: "and", children };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** What one where has spent so far. */
interface Budget {
  root: string;
  relatedAccess: RelatedAccess;
  conditions: number;
  paths: Set<string>;
}

/**
 * The read access of a related collection, which narrows what a dotted path
 * may match. access.ts passes it in (`parseWhereWithAccess`), so the parser
 * stays below access rules instead of importing them.
 */
export type RelatedAccess = (target: ResolvedCollection, ctx: QueryContext) => Promise<WhereNode>;

/** Parses and checks `where` for `collection`; `path` names where it came from in errors. */
export function parseWhere(
  where: unknown,
  collection: ResolvedCollection,
  ctx: QueryContext,
  relatedAccess: RelatedAccess,
  path = "where",
): Promise<WhereNode> {
  return parseNode(where, collection, ctx, path, 0, {
    root: path,
    relatedAccess,
    conditions: 0,
    paths: new Set(),
  });
}

async function parseNode(
  where: unknown,
  collection: ResolvedCollection,
  ctx: QueryContext,
  path: string,
  depth: number,
  budget: Budget,
): Promise<WhereNode> {
  if (depth > MAX_WHERE_DEPTH) {
    throw invalid(path, `and/or may be nested at most ${MAX_WHERE_DEPTH} levels deep`);
  }
  if (!isPlainObject(where)) throw invalid(path, "must be an object");
  const nodes: WhereNode[] = [];
  for (const [key, value] of Object.entries(where)) {
    const here = `${path}.${key}`;
    if (key === "and" || key === "or") {
      if (!Array.isArray(value)) throw invalid(here, "must be an array of conditions");
      if (value.length > MAX_IN_VALUES) throw invalid(here, `at most ${MAX_IN_VALUES} conditions`);
      const children: WhereNode[] = [];
      for (const [i, child] of value.entries()) {
        children.push(await parseNode(child, collection, ctx, `${here}[${i}]`, depth + 1, budget));
      }
      nodes.push(key === "and" ? and(...children) : { kind: "or", children });
      continue;
    }
    if (key.includes(".")) {
      budget.paths.add(key);
      if (budget.paths.size > MAX_PATHS) {
        throw invalid(budget.root, `at most ${MAX_PATHS} different dotted paths`);
      }
    }
    nodes.push(await parseField(key, value, collection, ctx, here, budget));
  }
  return and(...nodes);
}

async function parseField(
  key: string,
  condition: unknown,
  collection: ResolvedCollection,
  ctx: QueryContext,
  path: string,
  budget: Budget,
): Promise<WhereNode> {
  const segments = key.split(".");
  if (segments.length > MAX_PATH_SEGMENTS) throw invalid(path, "path is too long");
  const [head, ...rest] = segments as [string, ...string[]];
  if (rest.length > 0) {
    const field = collection.fieldMap.get(head);
    if (
      field?.config.type !== "relationship" ||
      !(await canReadFieldBlind(ctx, collection, field))
    ) {
      throw invalid(path, `unknown field "${head}" (a dotted path must start with a relationship)`);
    }
    const target = ctx.registry.collections.get(field.config.relationTo)!;
    const inner = await parseField(rest.join("."), condition, target, ctx, path, budget);
    // The related collection's read access narrows what the path may match.
    const access = await budget.relatedAccess(target, ctx);
    return {
      kind: "path",
      column: field.column,
      many: field.config.hasMany === true,
      target,
      inner: and(inner, access),
    };
  }
  const resolved = await resolveField(head, collection, ctx, path);
  if (!isPlainObject(condition)) {
    throw invalid(path, 'must be an object of operators, e.g. { "eq": value }');
  }
  const entries = Object.entries(condition);
  if (entries.length === 0) throw invalid(path, "needs at least one operator");
  const nodes: WhereNode[] = [];
  for (const [op, value] of entries) {
    if (++budget.conditions > MAX_CONDITIONS) {
      throw invalid(budget.root, `at most ${MAX_CONDITIONS} conditions`);
    }
    if (!OPERATORS.has(op)) {
      throw invalid(`${path}.${op}`, `unknown operator (${[...OPERATORS].join(", ")})`);
    }
    nodes.push(parseCondition(resolved, op as Operator, value, ctx, `${path}.${op}`));
  }
  return and(...nodes);
}

/** A field a where may name, once the caller may read it (a password never is). */
async function resolveField(
  name: string,
  collection: ResolvedCollection,
  ctx: QueryContext,
  path: string,
): Promise<QueryField> {
  const found = queryFields(collection).get(name);
  if (!found || (found.field && !(await canReadFieldBlind(ctx, collection, found.field)))) {
    throw invalid(path, `unknown field "${name}"`);
  }
  return found;
}

function parseCondition(
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
    if (typeof value !== "boolean") throw invalid(path, "must be true or false");
    return { kind: "cond", column, type, op, value };
  }
  if (op === "like") {
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
  value: unknown,
  path: string,
  me: string | typeof ME_ABSENT | undefined,
): unknown {
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
