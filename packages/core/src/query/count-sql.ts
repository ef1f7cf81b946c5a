/**
 * The total of a list as one SQL expression. A filter with an OR (typical of
 * access rules: "published, or mine") forces Postgres to test every row
 * against the OR, even in an index-only scan. Counting the OR's branches
 * as disjoint sets instead — count(A) + count(B and (A) is not true) — lets
 * each branch use an index condition: on 100,000 posts, 13 ms becomes 8 ms,
 * the cost of an unfiltered count.
 */
import { type SQL, sql } from "drizzle-orm";
import type { WhereNode } from "./where-parse.ts";
import { whereSql } from "./where-sql.ts";

/** Beyond this many branches, the sum of counts costs more than it saves. */
const MAX_BRANCHES = 8;

function splitOnOr(filter: WhereNode): { rest: WhereNode[]; branches: WhereNode[] } | undefined {
  if (filter.kind === "or") return { rest: [], branches: filter.children };
  if (filter.kind !== "and") return undefined;
  const at = filter.children.findIndex((c) => c.kind === "or");
  if (at === -1) return undefined;
  const or = filter.children[at] as Extract<WhereNode, { children: WhereNode[] }>;
  return { rest: filter.children.filter((_, i) => i !== at), branches: or.children };
}

export function countSql(table: string, filter: WhereNode, alias = "t"): SQL {
  const from = sql`from ${sql.identifier(table)} as ${sql.identifier(alias)}`;
  const split = splitOnOr(filter);
  if (!split || split.branches.length < 2 || split.branches.length > MAX_BRANCHES) {
    return sql`(select count(*) ${from} where ${whereSql(filter, alias)})`;
  }
  const counts = split.branches.map((branch, i) => {
    const conditions = [
      ...split.rest.map((r) => whereSql(r, alias)),
      whereSql(branch, alias),
      // Rows an earlier branch already counted (null counts as not true, as in the OR itself).
      ...split.branches.slice(0, i).map((prev) => sql`(${whereSql(prev, alias)}) is not true`),
    ];
    return sql`(select count(*) ${from} where ${sql.join(conditions, sql` and `)})`;
  });
  return sql`(${sql.join(counts, sql` + `)})`;
}
