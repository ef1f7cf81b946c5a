/** find, findById and count: access-filtered in SQL, one statement for the rows. */
import { sql } from "drizzle-orm";
import { invalid, NotFoundError } from "../http/errors.ts";
import { type Engine, getCollection, type Scope } from "../kernel/engine.ts";
import type {
  CountArgs,
  FindArgs,
  FindByIdArgs,
  PaginatedDocs,
} from "../kernel/local-api-types.ts";
import type { Doc } from "../query/access-types.ts";
import { countSql } from "../query/count-sql.ts";
import { createQueryContext } from "../query/query-context.ts";
import { callerReadFilter } from "../query/read-filter.ts";
import { orderBySql, parseSelect, parseSort } from "../query/sort-parse.ts";
import { whereSql } from "../query/where-sql.ts";
import { MAX_DEPTH, readDocs } from "./read-pipeline.ts";

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not a UUID is a 400, as the OpenAPI document's `format: uuid` says (CONTRACT §4). */
export function checkId(id: string): string {
  if (!UUID.test(id)) throw invalid("id", "must be a UUID");
  return id.toLowerCase();
}

function checkPositive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw invalid(name, "must be a positive integer");
  return value;
}

export function clampDepth(depth: number | undefined): number {
  if (depth === undefined) return 0;
  if (!Number.isSafeInteger(depth) || depth < 0)
    throw invalid("depth", "must be a non-negative integer");
  return Math.min(depth, MAX_DEPTH);
}

export async function find(
  engine: Engine,
  scope: Scope,
  args: FindArgs<string>,
): Promise<PaginatedDocs<Doc>> {
  const collection = getCollection(engine, args.collection);
  const ctx = createQueryContext(engine.registry, args);
  const page = checkPositive("page", args.page, 1);
  const limit = Math.min(checkPositive("limit", args.limit, DEFAULT_LIMIT), MAX_LIMIT);
  const depth = clampDepth(args.depth);
  const [filter, sort, select] = await Promise.all([
    callerReadFilter(collection, ctx, args.where),
    parseSort(args.sort, collection, ctx),
    parseSelect(args.select, collection, ctx),
  ]);
  const table = sql.identifier(collection.table);
  const where = whereSql(filter, "t");
  const offset = (page - 1) * limit;
  // One statement: the total is an uncorrelated subquery Postgres runs once,
  // and the page itself can still walk an index and stop at the limit.
  const rows = await scope.db.execute(
    sql`select t.*, ${countSql(collection.table, filter)} as "__total" from ${table} as t where ${where} order by ${orderBySql(sort, "t")} limit ${limit} offset ${offset}`,
  );
  // A page past the end has no row to carry the total: ask for it alone.
  const totalRows =
    rows.length > 0
      ? [{ n: rows[0]!.__total as number | string }]
      : page === 1
        ? [{ n: 0 }]
        : await scope.db.execute<{ n: number | string }>(
            sql`select ${countSql(collection.table, filter)} as n`,
          );
  for (const row of rows) delete row.__total;
  const totalDocs = Number(totalRows[0]?.n ?? 0);
  const docs = await readDocs(engine, scope, collection, rows, ctx, { depth, select });
  const totalPages = Math.ceil(totalDocs / limit);
  return {
    docs,
    totalDocs,
    page,
    limit,
    totalPages,
    hasNextPage: page < totalPages,
    hasPrevPage: page > 1,
  };
}

export async function findById(
  engine: Engine,
  scope: Scope,
  args: FindByIdArgs<string>,
): Promise<Doc> {
  const collection = getCollection(engine, args.collection);
  const ctx = createQueryContext(engine.registry, args);
  const id = checkId(args.id);
  const depth = clampDepth(args.depth);
  const [filter, select] = await Promise.all([
    callerReadFilter(collection, ctx, undefined),
    parseSelect(args.select, collection, ctx),
  ]);
  const rows = await scope.db.execute(
    sql`select t.* from ${sql.identifier(collection.table)} as t where t.id = ${id}::uuid and ${whereSql(filter, "t")}`,
  );
  if (rows.length === 0) throw new NotFoundError(`no ${collection.slug} with id ${id}`);
  const [doc] = await readDocs(engine, scope, collection, rows, ctx, { depth, select });
  return doc!;
}

export async function count(
  engine: Engine,
  scope: Scope,
  args: CountArgs<string>,
): Promise<{ totalDocs: number }> {
  const collection = getCollection(engine, args.collection);
  const ctx = createQueryContext(engine.registry, args);
  const filter = await callerReadFilter(collection, ctx, args.where);
  const rows = await scope.db.execute<{ n: number | string }>(
    sql`select ${countSql(collection.table, filter)} as n`,
  );
  return { totalDocs: Number(rows[0]?.n ?? 0) };
}
