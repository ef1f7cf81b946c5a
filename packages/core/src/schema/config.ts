/** `defineLucentConfig` and its startup validation (one clear line per problem). */
import type { z } from "zod";
import type { DatabaseAdapter } from "../drivers/drivers.ts";
import { ConfigError } from "../http/errors.ts";
import type { RateLimitOptions } from "../http/rate-limit.ts";
import type { CacheOptions } from "../http/response-cache.ts";
import type { JobDefinitions } from "../jobs/jobs-types.ts";
import type { LucentModule } from "../kernel/kernel.ts";
import type { Logger } from "../kernel/logger.ts";
import type { CollectionConfig } from "./collection.ts";
import { defaultValueProblems } from "./config-defaults.ts";
import { configSchema } from "./config-schema.ts";
import { pgIdentifier, snakeCase } from "./naming.ts";
import type { LucentSiteConfig } from "./site-config.ts";

export interface CorsOptions {
  /** Allowed origins; `"*"` is refused together with `credentials`. */
  origin: readonly string[] | "*";
  /** @default false */
  credentials?: boolean;
}

export interface ApiOptions {
  /** @default "/api" */
  prefix?: string;
  cors?: CorsOptions;
  /** Largest accepted request body in bytes (JSON); uploads are bounded by their fields. @default 1 MiB */
  bodyLimit?: number;
  /**
   * Reverse proxies in front of the app whose X-Forwarded-For is believed: the
   * client IP is taken that many entries from its right. 0: the socket's address.
   * @default 0
   */
  trustProxy?: number;
  /** Per-client limits; `false` turns them off. @default RATE_LIMIT_API / RATE_LIMIT_AUTH per minute */
  rateLimit?: RateLimitOptions | false;
  /** Cache collection GETs in memory, cleared by every write. @default false */
  cache?: CacheOptions | false;
}

export interface DbOptions {
  /** `postgres://…`; `memory://` for an in-memory PGlite. Without it, embedded PGlite under `<dataDir>/db`. */
  url?: string;
  /** An adapter the caller opened and keeps ownership of (tests share one per file). */
  adapter?: DatabaseAdapter;
  /** postgres.js pool size. @default 10 */
  poolSize?: number;
  /**
   * Longest a statement may run on Postgres, in milliseconds; past it the
   * request ends with 503 UNAVAILABLE. 0: no limit. PGlite cannot interrupt a
   * statement and ignores it. @default 10000
   */
  statementTimeout?: number;
}

export interface MigrationOptions {
  /** Apply migrations on startup. @default true */
  auto?: boolean;
  /** Drop columns and tables that no longer have a field or collection. @default false */
  dropOrphaned?: boolean;
}

export interface LucentConfig {
  db?: DbOptions;
  api?: ApiOptions;
  collections: readonly CollectionConfig[];
  modules?: readonly LucentModule[];
  /** Job handlers by name (CONTRACT §10). */
  jobs?: JobDefinitions;
  migrations?: MigrationOptions;
  /** Embedded state: PGlite data, job store, uploads, dev secrets. @default ".lucent" */
  dataDir?: string;
  /** A pino logger to use instead of Lucent's own. */
  logger?: Logger;
  /** Where `lucent-types.ts` is written in development; `false` turns it off. @default "lucent-types.ts" */
  typegen?: { output?: string | false };
}

export interface ResolvedLucentConfig {
  db: {
    url: string | undefined;
    poolSize: number;
    statementTimeout: number;
    adapter: DatabaseAdapter | undefined;
  };
  api: {
    prefix: string;
    cors: CorsOptions | undefined;
    bodyLimit: number;
    trustProxy: number;
    rateLimit: RateLimitOptions | false;
    cache: CacheOptions | false;
  };
  collections: readonly CollectionConfig[];
  modules: readonly LucentModule[];
  jobs: JobDefinitions;
  migrations: { auto: boolean; dropOrphaned: boolean };
  dataDir: string;
  logger: Logger | undefined;
  typegen: { output: string | false };
}

/**
 * Declares a config, in the plain form or the site's short form
 * (site-config.ts); it is validated when `lucent(config)` or `getLucent(config)` starts.
 */
export function defineLucentConfig<const C extends LucentSiteConfig>(config: C): C {
  return config;
}

/** Validates and fills defaults; throws a ConfigError listing every problem. */
export function resolveConfig(config: LucentConfig): ResolvedLucentConfig {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map(formatIssue));
  }
  const problems = [...crossCheck(config), ...checkModules(config.modules ?? [])];
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    db: {
      url: config.db?.url || undefined,
      poolSize: config.db?.poolSize ?? 10,
      statementTimeout: config.db?.statementTimeout ?? 10_000,
      adapter: config.db?.adapter,
    },
    api: {
      prefix: normalizePrefix(config.api?.prefix ?? "/api"),
      cors: config.api?.cors,
      bodyLimit: config.api?.bodyLimit ?? 1024 * 1024,
      trustProxy: config.api?.trustProxy ?? 0,
      rateLimit: config.api?.rateLimit ?? {},
      cache: config.api?.cache ?? false,
    },
    collections: config.collections,
    modules: config.modules ?? [],
    jobs: config.jobs ?? {},
    migrations: {
      auto: config.migrations?.auto ?? true,
      dropOrphaned: config.migrations?.dropOrphaned ?? false,
    },
    dataDir: config.dataDir ?? ".lucent",
    logger: config.logger,
    typegen: { output: config.typegen?.output ?? "lucent-types.ts" },
  };
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, "");
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((part, i) =>
      typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`,
    )
    .join("");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * Field names become snake_case columns: `createdAT` would land on the system
 * column `created_at`, and `firstName` beside `first_name` on one column.
 */
function columnClashes(fields: Record<string, unknown>, path: string): string[] {
  const owners = new Map<string, string>([
    ["id", "id"],
    ["created_at", "createdAt"],
    ["updated_at", "updatedAt"],
  ]);
  const problems: string[] = [];
  for (const name of Object.keys(fields)) {
    const column = pgIdentifier(snakeCase(name));
    const owner = owners.get(column);
    if (owner !== undefined) {
      problems.push(
        `${path}.${name}: its column "${column}" is already ${owner}'s; rename the field`,
      );
    } else owners.set(column, name);
  }
  return problems;
}

/** Checks that need the whole config: slug uniqueness, relation targets, defaults, CORS. */
function crossCheck(config: LucentConfig): string[] {
  const problems: string[] = [];
  const slugs = new Set<string>();
  config.collections.forEach((collection, i) => {
    if (slugs.has(collection.slug)) {
      problems.push(`collections[${i}].slug: "${collection.slug}" is used by two collections`);
    }
    slugs.add(collection.slug);
  });
  config.collections.forEach((collection, i) => {
    problems.push(...defaultValueProblems(collection.fields, `collections[${i}].fields`));
    for (const [name, field] of Object.entries(collection.fields)) {
      if (field.type === "relationship" && !slugs.has(field.relationTo)) {
        problems.push(
          `collections[${i}].fields.${name}.relationTo: no collection has the slug "${field.relationTo}"`,
        );
      }
    }
    problems.push(...columnClashes(collection.fields, `collections[${i}].fields`));
    for (const [j, index] of (collection.indexes ?? []).entries()) {
      for (const f of index.fields) {
        if (!Object.hasOwn(collection.fields, f) && !["createdAt", "updatedAt", "id"].includes(f)) {
          problems.push(`collections[${i}].indexes[${j}]: unknown field "${f}"`);
        }
      }
    }
  });
  const cors = config.api?.cors;
  if (cors?.credentials && (cors.origin === "*" || cors.origin.includes("*"))) {
    problems.push(
      "api.cors: a wildcard origin cannot be combined with credentials; list the allowed origins",
    );
  }
  return problems;
}

/** Validates each module's options against its own schema, and its dependencies. */
function checkModules(modules: readonly LucentModule[]): string[] {
  const problems: string[] = [];
  const names = new Set(modules.map((m) => m.name));
  modules.forEach((module, i) => {
    for (const dep of module.dependsOn ?? []) {
      if (!names.has(dep))
        problems.push(`modules[${i}] (${module.name}): requires ${dep} in modules`);
    }
    if (module.optionsSchema) {
      const result = module.optionsSchema.safeParse(module.options ?? {});
      if (!result.success) {
        for (const issue of result.error.issues) {
          problems.push(`modules[${i}] (${module.name}).${formatIssue(issue)}`);
        }
      }
    }
  });
  return problems;
}

/** Collections after every module's `extendCollections`, in module order. */
export function extendedCollections(config: LucentConfig): readonly CollectionConfig[] {
  let collections = config.collections;
  for (const module of config.modules ?? []) {
    if (module.extendCollections) collections = module.extendCollections(collections);
  }
  return collections;
}

/**
 * Validates a config, applies every module's `extendCollections`, and
 * validates the result: the plain shape is checked first so a module never
 * sees a malformed one.
 */
export function resolveWithModules(input: LucentConfig): ResolvedLucentConfig {
  resolveConfig(input);
  return resolveConfig({ ...input, collections: extendedCollections(input) });
}
