/** One adapter over postgres.js and PGlite: drizzle `sql` templates in, plain rows out. */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { PGlite, Transaction as PGliteTransaction } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import { ConfigError } from "../http/errors.ts";
import type { Logger } from "../kernel/logger.ts";
import { queryBuilderOn } from "./db-query-builder.ts";
import type { DatabaseAdapter, Row } from "./drivers.ts";

const dialect = new PgDialect();

/** Renders a drizzle `sql` template to text and parameters. */
export function renderSql(query: SQL): { sql: string; params: unknown[] } {
  return dialect.sqlToQuery(query);
}

type PostgresClient = postgres.Sql | postgres.TransactionSql;

function postgresAdapter(
  client: PostgresClient,
  root: postgres.Sql,
  inTransaction: boolean,
): DatabaseAdapter {
  let drizzleDb: PgDatabase<PgQueryResultHKT> | undefined;
  const adapter: DatabaseAdapter = {
    kind: "postgres",
    inTransaction,
    get drizzle() {
      drizzleDb ??= queryBuilderOn((text, params, arrays) => {
        const query = client.unsafe(text, params as postgres.ParameterOrJSON<never>[], {
          prepare: true,
        });
        return arrays ? query.values() : query;
      });
      return drizzleDb;
    },
    async execute<T extends Row = Row>(query: SQL): Promise<T[]> {
      const { sql, params } = renderSql(query);
      const rows = await client.unsafe(sql, params as postgres.ParameterOrJSON<never>[], {
        prepare: true,
      });
      return rows as unknown as T[];
    },
    async transaction<T>(fn: (tx: DatabaseAdapter) => Promise<T>): Promise<T> {
      if (inTransaction) return fn(adapter);
      return (await root.begin((tx) => fn(postgresAdapter(tx, root, true)))) as T;
    },
    async close() {
      if (!inTransaction) await root.end({ timeout: 5 });
    },
  };
  return adapter;
}

type PGliteClient = PGlite | PGliteTransaction;

function pgliteAdapter(
  client: PGliteClient,
  root: PGlite,
  inTransaction: boolean,
  owned: boolean,
): DatabaseAdapter {
  let drizzleDb: PgDatabase<PgQueryResultHKT> | undefined;
  const adapter: DatabaseAdapter = {
    kind: "pglite",
    inTransaction,
    get drizzle() {
      drizzleDb ??= queryBuilderOn(async (text, params, arrays) => {
        const result = await client.query(text, params, { rowMode: arrays ? "array" : "object" });
        return result.rows;
      });
      return drizzleDb;
    },
    async execute<T extends Row = Row>(query: SQL): Promise<T[]> {
      const { sql, params } = renderSql(query);
      const result = await client.query<T>(sql, params);
      return result.rows;
    },
    async transaction<T>(fn: (tx: DatabaseAdapter) => Promise<T>): Promise<T> {
      if (inTransaction) return fn(adapter);
      return root.transaction((tx) => fn(pgliteAdapter(tx, root, true, false)));
    },
    async close() {
      if (owned && !inTransaction && !root.closed) await root.close();
    },
  };
  return adapter;
}

export interface CreateDatabaseOptions {
  /** `postgres://…`, `memory://` (in-memory PGlite) or undefined (PGlite under `dataDir`). */
  url: string | undefined;
  dataDir: string;
  /** @default 10 */
  poolSize?: number;
  /** Postgres `statement_timeout` in ms, 0 for none; PGlite cannot interrupt a statement. @default 10000 */
  statementTimeout?: number;
  /** Told when the embedded database is created or opened: both take seconds, and say so. */
  logger?: Logger;
}

/** Opens the database the config names. */
export async function createDatabase(options: CreateDatabaseOptions): Promise<DatabaseAdapter> {
  const { url } = options;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const { default: postgres } = await import("postgres");
    const sql = postgres(url, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      // Keep numeric exact and let the serializer decide how to present it.
      types: {},
      // A runaway statement is cancelled by the server (57014, a 503), and its connection reused.
      connection: { statement_timeout: options.statementTimeout ?? 10_000 },
    });
    await probe(sql);
    return postgresAdapter(sql, sql, false);
  }
  const { PGlite } = await import("@electric-sql/pglite");
  if (url === "memory://") {
    const pg = await PGlite.create();
    return pgliteAdapter(pg, pg, false, true);
  }
  const dir = join(options.dataDir, "db");
  const fresh = !existsSync(join(dir, "PG_VERSION"));
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  options.logger?.info(
    { dir },
    fresh ? "creating the embedded database…" : "opening the embedded database…",
  );
  const pg = await PGlite.create(dir);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  options.logger?.info(
    { dir },
    fresh ? `embedded database created in ${seconds} s` : `embedded database ready in ${seconds} s`,
  );
  return pgliteAdapter(pg, pg, false, true);
}

/**
 * Fails startup at once, in one line naming the setting and the host, when
 * the server cannot be reached: postgres.js connects lazily, so the first
 * query (deep in migrations) would otherwise fail with a stack.
 */
async function probe(sql: postgres.Sql): Promise<void> {
  try {
    await sql`select 1`;
  } catch (error) {
    await sql.end({ timeout: 0 });
    const { host, port, pass } = sql.options;
    const where = host.map((h, i) => `${h}:${port[i] ?? port[0]}`).join(", ");
    const e = error as { code?: string; message?: string; severity?: string };
    // A server's own refusal (no such database, bad credentials) says what it is; a socket error its code.
    let reason = (e.severity ? e.message : e.code) ?? e.message ?? String(error);
    if (pass) reason = reason.replaceAll(String(pass), "***");
    throw new ConfigError(
      [`db.url: cannot connect to Postgres at ${where} (${reason})`],
      "Lucent cannot reach its database",
    );
  }
}

/** Wraps a PGlite instance the caller owns (tests share one per file). */
export function pgliteDatabase(pg: PGlite): DatabaseAdapter {
  return pgliteAdapter(pg, pg, false, false);
}

/** Wraps a postgres.js client; `close()` ends it. */
export function postgresDatabase(sql: postgres.Sql): DatabaseAdapter {
  return postgresAdapter(sql, sql, false);
}

/** The config's database: the adapter it was given (the caller's to close) or a new one (ours). */
export async function openDatabase(
  config: {
    db: {
      url: string | undefined;
      poolSize: number;
      statementTimeout: number;
      adapter: DatabaseAdapter | undefined;
    };
    dataDir: string;
  },
  options: { poolSize?: number; logger?: Logger } = {},
): Promise<{ db: DatabaseAdapter; owned: boolean }> {
  if (config.db.adapter) return { db: config.db.adapter, owned: false };
  const db = await createDatabase({
    url: config.db.url,
    dataDir: config.dataDir,
    poolSize: options.poolSize ?? config.db.poolSize,
    statementTimeout: config.db.statementTimeout,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { db, owned: true };
}
