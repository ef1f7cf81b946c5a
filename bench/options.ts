/** Command-line options of the CRUD benchmark. */
import { parseArgs } from "node:util";
import { ENDPOINT_KEYS, type EndpointKey } from "./endpoints.ts";

export type LoadTool = "auto" | "wrk" | "fetch";
export type Side = "baseline" | "lucent";

export interface CrudOptions {
  /** Posts seeded. @default 100000 */
  posts: number;
  /** Users seeded as post authors. @default 100 */
  authors: number;
  /** Seconds of measured load per endpoint and server. @default 10 */
  duration: number;
  /** Seconds of unmeasured load before each measurement. @default 2 */
  warmup: number;
  /** Measurements per endpoint and server, alternating which server goes first. @default 1 */
  rounds: number;
  /** Concurrent connections of the load generator. @default 32 */
  connections: number;
  /** wrk threads. @default 1 */
  threads: number;
  /** Endpoints to run, in order. @default list,get,depth,create */
  endpoints: EndpointKey[];
  /** Servers to measure. @default both */
  sides: Side[];
  /** wrk, the built-in fetch loop, or wrk when installed. @default auto */
  tool: LoadTool;
  /** Admin connection used to create and drop the benchmark database. @default postgres://postgres@127.0.0.1:5432/postgres */
  pgUrl: string;
  /** Name of the throwaway database. @default lucent_bench */
  database: string;
  /** LOG_LEVEL of the Lucent child. @default warn */
  logLevel: string;
  /** postgres.js pool size of the baseline; Lucent's default `db.poolSize` is 10. @default 10 */
  pool: number;
  /** Ids the get-by-id endpoint rotates over. @default 1000 */
  ids: number;
  /** Extra request headers for both servers (`Name: value`), e.g. credentials once the demo needs them. */
  headers: Record<string, string>;
  /** Keep the database after the run instead of dropping it. @default false */
  keepDatabase: boolean;
  /** `rules`: the demo as configured; `open`: every access rule replaced by true. @default rules */
  access: "rules" | "open";
  /** Send no credentials (reads only: the demo refuses anonymous writes). @default false */
  anonymous: boolean;
}

const USAGE = `bun run bench/crud.ts [options]
  --posts N          posts to seed (100000)
  --authors N        users to seed as authors (100)
  --duration S       measured seconds per endpoint and server (10)
  --warmup S         unmeasured seconds before each measurement (2)
  --rounds N         measurements per endpoint and server, order alternating (1)
  --connections N    concurrent connections (32)
  --threads N        wrk threads (1)
  --endpoints LIST   comma-separated: ${ENDPOINT_KEYS.join(",")} (all)
  --only SIDE        baseline | lucent (both)
  --tool T           auto | wrk | fetch (auto)
  --pg-url URL       admin connection (postgres://postgres@127.0.0.1:5432/postgres)
  --db NAME          benchmark database, created and dropped (lucent_bench)
  --log-level L      LOG_LEVEL of the Lucent server (warn)
  --pool N           baseline postgres.js pool size (10, Lucent's default)
  --ids N            ids the get-by-id endpoint rotates over (1000)
  --header "K: V"    extra request header, repeatable
  --token T          shorthand for --header "Authorization: Bearer T"
  --keep-db          keep the database afterwards
  --access A         rules (the demo as configured) | open (every access rule true) (rules)
  --anonymous        send no credentials (use with --endpoints list,get,depth)`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--${name} must be a positive number, got "${value}"`);
  return n;
}

function parseHeaders(raw: readonly string[], token: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of raw) {
    const colon = line.indexOf(":");
    if (colon < 1) throw new Error(`--header must look like "Name: value", got "${line}"`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

export function parseCrudOptions(argv: readonly string[]): CrudOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      posts: { type: "string" },
      authors: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      rounds: { type: "string" },
      connections: { type: "string" },
      threads: { type: "string" },
      endpoints: { type: "string" },
      only: { type: "string" },
      tool: { type: "string" },
      "pg-url": { type: "string" },
      db: { type: "string" },
      "log-level": { type: "string" },
      pool: { type: "string" },
      ids: { type: "string" },
      header: { type: "string", multiple: true },
      token: { type: "string" },
      "keep-db": { type: "boolean" },
      access: { type: "string" },
      anonymous: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const endpoints = (values.endpoints ?? ENDPOINT_KEYS.join(",")).split(",").map((s) => s.trim());
  for (const e of endpoints) {
    if (!ENDPOINT_KEYS.includes(e as EndpointKey)) {
      throw new Error(`--endpoints: unknown "${e}" (${ENDPOINT_KEYS.join(", ")})`);
    }
  }
  const only = values.only;
  if (only !== undefined && only !== "baseline" && only !== "lucent") {
    throw new Error(`--only must be baseline or lucent, got "${only}"`);
  }
  const tool = values.tool ?? "auto";
  if (tool !== "auto" && tool !== "wrk" && tool !== "fetch") {
    throw new Error(`--tool must be auto, wrk or fetch, got "${tool}"`);
  }
  const access = values.access ?? "rules";
  if (access !== "rules" && access !== "open") {
    throw new Error(`--access must be rules or open, got "${access}"`);
  }
  const database = values.db ?? "lucent_bench";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database))
    throw new Error(`--db must be a plain lower-case name, got "${database}"`);
  return {
    posts: Math.floor(positive("posts", values.posts, 100_000)),
    authors: Math.floor(positive("authors", values.authors, 100)),
    duration: positive("duration", values.duration, 10),
    warmup: values.warmup === "0" ? 0 : positive("warmup", values.warmup, 2),
    rounds: Math.floor(positive("rounds", values.rounds, 1)),
    connections: Math.floor(positive("connections", values.connections, 32)),
    threads: Math.floor(positive("threads", values.threads, 1)),
    endpoints: endpoints as EndpointKey[],
    sides: only ? [only] : ["baseline", "lucent"],
    tool,
    pgUrl: values["pg-url"] ?? "postgres://postgres@127.0.0.1:5432/postgres",
    database,
    logLevel: values["log-level"] ?? "warn",
    pool: Math.floor(positive("pool", values.pool, 10)),
    ids: Math.floor(positive("ids", values.ids, 1000)),
    headers: parseHeaders(values.header ?? [], values.token),
    keepDatabase: values["keep-db"] ?? false,
    access,
    anonymous: values.anonymous ?? false,
  };
}
