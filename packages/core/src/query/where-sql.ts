/** Compiles a checked where tree to parameterised SQL. Identifiers come only from the config. */
import { type SQL, sql } from "drizzle-orm";
import type { ColumnKind } from "../schema/value-kinds.ts";
import type { WhereNode } from "./where-parse.ts";

const ident = (name: string) => sql.identifier(name);

function cast(kind: ColumnKind): SQL {
  return sql.raw(kind.array ? `${kind.base}[]` : kind.base);
}

function arrayCast(kind: ColumnKind): SQL {
  return sql.raw(`${kind.base}[]`);
}

/** `%` and `_` in a like value are literal (CONTRACT §4). */
function likePattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Compiles `node` against the table aliased `alias`. */
export function whereSql(node: WhereNode, alias: string): SQL {
  switch (node.kind) {
    case "const":
      return node.value ? sql`true` : sql`false`;
    case "and":
    case "or": {
      if (node.children.length === 0) return node.kind === "and" ? sql`true` : sql`false`;
      const joined = sql.join(
        node.children.map((c) => whereSql(c, alias)),
        sql.raw(node.kind === "and" ? " and " : " or "),
      );
      return sql`(${joined})`;
    }
    case "path": {
      const inner = `${alias}_${node.target.table}`.slice(0, 63);
      const sub = sql`select ${ident(inner)}.id from ${ident(node.target.table)} as ${ident(inner)} where ${whereSql(node.inner, inner)}`;
      const column = sql`${ident(alias)}.${ident(node.column)}`;
      return node.many ? sql`(${column} && array(${sub}))` : sql`(${column} in (${sub}))`;
    }
    case "cond":
      return conditionSql(node, alias);
  }
}

function conditionSql(node: Extract<WhereNode, { kind: "cond" }>, alias: string): SQL {
  const column = sql`${ident(alias)}.${ident(node.column)}`;
  const { type, value } = node;
  const param = (v: unknown) => sql`${sql.param(v)}::${cast(type)}`;
  if (type.array) return arrayConditionSql(node, column);
  switch (node.op) {
    case "eq":
      return value === null ? sql`${column} is null` : sql`${column} = ${param(value)}`;
    case "neq":
      return value === null
        ? sql`${column} is not null`
        : sql`(${column} <> ${param(value)} or ${column} is null)`;
    case "gt":
      return sql`${column} > ${param(value)}`;
    case "gte":
      return sql`${column} >= ${param(value)}`;
    case "lt":
      return sql`${column} < ${param(value)}`;
    case "lte":
      return sql`${column} <= ${param(value)}`;
    case "in": {
      const list = value as unknown[];
      if (list.length === 0) return sql`false`;
      return sql`${column} = any(${sql.param(list)}::${arrayCast(type)})`;
    }
    case "nin": {
      const list = value as unknown[];
      if (list.length === 0) return sql`true`;
      return sql`(not (${column} = any(${sql.param(list)}::${arrayCast(type)})) or ${column} is null)`;
    }
    case "exists":
      return value ? sql`${column} is not null` : sql`${column} is null`;
    case "like":
      return sql`${column}::text ilike ${likePattern(value as string)}`;
  }
}

/** Multiselect and hasMany: `in` is overlap, `nin` no overlap, `eq`/`neq` the same set. */
function arrayConditionSql(node: Extract<WhereNode, { kind: "cond" }>, column: SQL): SQL {
  const { type, value, op } = node;
  const list = Array.isArray(value) ? value : value === null ? null : [value];
  const arr = () => sql`${sql.param(list)}::${arrayCast(type)}`;
  switch (op) {
    case "exists":
      return value
        ? sql`(${column} is not null and cardinality(${column}) > 0)`
        : sql`(${column} is null or cardinality(${column}) = 0)`;
    case "eq":
      if (list === null) return sql`${column} is null`;
      // A single value on an array field means "contains it"; a list means "the same set".
      return Array.isArray(value)
        ? sql`(${column} @> ${arr()} and ${column} <@ ${arr()})`
        : sql`${column} @> ${arr()}`;
    case "neq":
      if (list === null) return sql`${column} is not null`;
      return Array.isArray(value)
        ? sql`(not (${column} @> ${arr()} and ${column} <@ ${arr()}) or ${column} is null)`
        : sql`(not (${column} @> ${arr()}) or ${column} is null)`;
    case "in":
      if (!list || list.length === 0) return sql`false`;
      return sql`${column} && ${arr()}`;
    case "nin":
      if (!list || list.length === 0) return sql`true`;
      return sql`(not (${column} && ${arr()}) or ${column} is null)`;
    default:
      return sql`false`;
  }
}
