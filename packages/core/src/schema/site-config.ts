/**
 * The short form of a config, as the Lucent site writes it (CONTRACT §1):
 * `db: { adapter: "postgres" | "pglite", url }`, `collections` as an object,
 * and a top-level key per module (`auth: { strategies }`, `openapi: { path }`)
 * that loads that package with those options, exactly as if it were in
 * `modules`. `expandSiteConfig` turns it into the plain form; a key whose
 * package is not installed is one line naming the package to add.
 */

import { ConfigError } from "../http/errors.ts";
import type { LucentModule, ShortFormOptions } from "../kernel/kernel.ts";
import type { CollectionConfig } from "./collection.ts";
import type { DbOptions, LucentConfig } from "./config.ts";

/** Top-level keys and the package and factory each loads. */
export const SHORT_FORM_MODULES = {
  auth: { pkg: "@lucent/auth", factory: "auth" },
  openapi: { pkg: "@lucent/openapi", factory: "openapi" },
  realtime: { pkg: "@lucent/realtime", factory: "realtime" },
  secrets: { pkg: "@lucent/secrets", factory: "secrets" },
  queue: { pkg: "@lucent/queue", factory: "queue" },
  webhooks: { pkg: "@lucent/webhooks", factory: "webhooks" },
  audit: { pkg: "@lucent/audit", factory: "audit" },
} as const;

export type ShortFormKey = keyof typeof SHORT_FORM_MODULES;

/** `true`, `{ enabled: false }`, or the module's options (plus `enabled`). */
export type ShortForm<K extends ShortFormKey> =
  | boolean
  | ((K extends keyof ShortFormOptions ? ShortFormOptions[K] : Record<string, unknown>) & {
      /** `false` leaves the module out. @default true */
      enabled?: boolean;
    });

export interface SiteDbOptions extends Omit<DbOptions, "adapter"> {
  /** `"postgres"` needs `url`; `"pglite"` is the embedded database (`url` may be `memory://`). */
  adapter: "postgres" | "pglite";
}

/** What `lucent()`, `createKernel()` and `getLucent()` accept: the plain form or the short one. */
export type LucentSiteConfig = Omit<LucentConfig, "db" | "collections"> & {
  db?: DbOptions | SiteDbOptions;
  collections: readonly CollectionConfig[] | Readonly<Record<string, CollectionConfig>>;
} & { [K in ShortFormKey]?: ShortForm<K> };

/** Finds a package from the app's folder first (where it is installed), else from here. */
export type PackageLoader = (pkg: string) => Promise<Record<string, unknown>>;

const loadPackage: PackageLoader = async (pkg) => {
  let path = pkg;
  try {
    path = Bun.resolveSync(pkg, process.cwd());
  } catch {
    // Not under the app's folder: a monorepo or a global install may still find it from here.
  }
  return (await import(path)) as Record<string, unknown>;
};

function isSiteDb(db: LucentSiteConfig["db"]): db is SiteDbOptions {
  return typeof db?.adapter === "string";
}

function plainDb(db: SiteDbOptions, problems: string[]): DbOptions {
  const { adapter, ...rest } = db;
  if (adapter === "postgres" && !rest.url)
    problems.push('db.url: required with adapter "postgres" (e.g. Bun.env.DATABASE_URL)');
  if (adapter === "pglite" && rest.url && rest.url !== "memory://")
    problems.push('db.url: with adapter "pglite" leave it out (or use memory://)');
  if (adapter !== "postgres" && adapter !== "pglite")
    problems.push(`db.adapter: must be "postgres", "pglite" or a DatabaseAdapter`);
  return rest;
}

/** The plain form of a config; loads the packages its module keys name. */
export async function expandSiteConfig(
  input: LucentSiteConfig,
  load: PackageLoader = loadPackage,
): Promise<LucentConfig> {
  const problems: string[] = [];
  const { db, collections, ...rest } = input;
  const plain: Record<string, unknown> = { ...rest };
  const modules: LucentModule[] = [...(input.modules ?? [])];
  for (const [key, { pkg, factory }] of Object.entries(SHORT_FORM_MODULES)) {
    if (!Object.hasOwn(plain, key)) continue;
    const value = plain[key];
    delete plain[key];
    if (value === false || value === undefined) continue;
    if (value !== true && (typeof value !== "object" || value === null)) {
      problems.push(`${key}: must be true, false or the options of ${pkg}`);
      continue;
    }
    const { enabled, ...options } = value === true ? {} : (value as Record<string, unknown>);
    if (enabled === false) continue;
    if (modules.some((m) => m.name === pkg)) {
      problems.push(`${key}: ${pkg} is in modules too; configure it in one place`);
      continue;
    }
    let mod: Record<string, unknown>;
    try {
      mod = await load(pkg);
    } catch {
      problems.push(`${key}: needs the package ${pkg}, which is not installed (bun add ${pkg})`);
      continue;
    }
    const make = mod[factory];
    if (typeof make !== "function") {
      problems.push(`${key}: ${pkg} has no ${factory}() to call; is it an older version?`);
      continue;
    }
    modules.push((make as (options: unknown) => LucentModule)(options));
  }
  const list = Array.isArray(collections)
    ? (collections as readonly CollectionConfig[])
    : Object.values(collections as Readonly<Record<string, CollectionConfig>>);
  const dbOptions = db === undefined ? undefined : isSiteDb(db) ? plainDb(db, problems) : db;
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...(plain as Omit<LucentConfig, "db" | "collections">),
    ...(dbOptions ? { db: dbOptions } : {}),
    collections: list,
    modules,
  };
}
