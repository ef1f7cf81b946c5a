/** `sort=-createdAt,title`: checked against the collection, with id as the tie-breaker. */
import { type SQL, sql } from "drizzle-orm";
import { invalid } from "../http/errors.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { canReadFieldBlind, type QueryContext } from "./query-context.ts";
import { queryFields } from "./query-fields.ts";

export interface SortKey {
  column: string;
  desc: boolean;
}

export async function parseSort(
  input: string | readonly string[] | undefined,
  collection: ResolvedCollection,
  ctx: QueryContext,
): Promise<SortKey[]> {
  const parts =
    input === undefined
      ? [collection.timestamps ? "-createdAt" : "-id"]
      : (typeof input === "string" ? input.split(",") : [...input]).map((s) => s.trim());
  const keys: SortKey[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    const desc = part.startsWith("-");
    const name = desc ? part.slice(1) : part;
    if (!name) throw invalid("sort", "empty sort key");
    if (seen.has(name)) throw invalid("sort", `"${name}" appears twice`);
    seen.add(name);
    const found = queryFields(collection).get(name);
    if (!found || (found.field && !(await canReadFieldBlind(ctx, collection, found.field)))) {
      throw invalid("sort", `unknown field "${name}"`);
    }
    if (!found.sortable) throw invalid("sort", `cannot sort by "${name}"`);
    keys.push({ column: found.column, desc });
  }
  return keys;
}

/** ORDER BY with ties broken by id in the direction of the last key. */
export function orderBySql(keys: readonly SortKey[], alias: string): SQL {
  const last = keys[keys.length - 1];
  const all = keys.some((k) => k.column === "id")
    ? keys
    : [...keys, { column: "id", desc: last?.desc ?? true }];
  return sql.join(
    all.map(
      (k) =>
        sql`${sql.identifier(alias)}.${sql.identifier(k.column)} ${sql.raw(k.desc ? "desc" : "asc")}`,
    ),
    sql`, `,
  );
}

/** `select=title,status`: known, readable field names. */
export async function parseSelect(
  input: readonly string[] | undefined,
  collection: ResolvedCollection,
  ctx: QueryContext,
): Promise<string[] | undefined> {
  if (input === undefined) return undefined;
  const out: string[] = [];
  for (const name of input) {
    if (name === "id") continue;
    if ((name === "createdAt" || name === "updatedAt") && collection.timestamps) {
      out.push(name);
      continue;
    }
    const field = collection.fieldMap.get(name);
    if (!field || !(await canReadFieldBlind(ctx, collection, field))) {
      throw invalid("select", `unknown field "${name}"`);
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
