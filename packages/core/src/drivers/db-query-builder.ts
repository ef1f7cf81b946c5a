/**
 * A drizzle query builder over one adapter's connection. It goes through
 * drizzle's proxy driver rather than drizzle's postgres.js or PGlite drivers:
 * those mutate the client's type parsers (dates would come back as strings
 * for every other query) and cannot be built on an open transaction.
 */
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** Runs text + params on the adapter's connection; `arrays` asks for rows as value arrays. */
export type RunQuery = (sql: string, params: unknown[], arrays: boolean) => Promise<unknown[]>;

export function queryBuilderOn(run: RunQuery): PgDatabase<PgQueryResultHKT> {
  // Loaded lazily: most installs never touch the query builder.
  const { drizzle } = require("drizzle-orm/pg-proxy") as typeof import("drizzle-orm/pg-proxy");
  const db = drizzle(async (sql, params, method) => ({
    rows: await run(sql, params, method === "all"),
  }));
  return db as unknown as PgDatabase<PgQueryResultHKT>;
}
