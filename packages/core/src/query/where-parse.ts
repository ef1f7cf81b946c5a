/**
 * Checks a `where` value against a collection and turns it into a tree whose
 * fields are resolved and whose values are typed. Anything it does not
 * understand is a 400: unknown fields and operators, wrong value types,
 * fields the caller may not read, too deep nesting, too long lists, more
 * conditions or dotted paths than one query may cost.
 */

import { invalid } from "../http/errors.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { WHERE_OPERATORS } from "../schema/value-kinds.ts";
import type { Operator } from "./access-types.ts";
import { canReadFieldBlind, type QueryContext } from "./query-context.ts";
import { type QueryField, queryFields } from "./query-fields.ts";
import { QueryText } from "./query-text.ts";
import { MAX_IN_VALUES, parseCondition } from "./where-condition.ts";
import { and, type WhereNode } from "./where-node.ts";

export { MAX_IN_VALUES } from "./where-condition.ts";
// The tree and its helpers are where-node.ts's; importers of the parser find them here too.
export { and, FALSE, TRUE, type WhereNode } from "./where-node.ts";

export const MAX_WHERE_DEPTH = 16;
/** Field tests (one per operator) in one where; each dotted one is a subquery. */
export const MAX_CONDITIONS = 100;
/** Different dotted paths in one where. */
export const MAX_PATHS = 10;
const MAX_PATH_SEGMENTS = 4;
const OPERATORS: ReadonlySet<string> = new Set(WHERE_OPERATORS);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof QueryText);
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
