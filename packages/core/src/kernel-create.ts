import { sql } from "drizzle-orm";
import { createCallerResolver } from "./caller.ts";
import { createChangeFeed } from "./change-feed.ts";
import { type LucentConfig, type ResolvedLucentConfig, resolveWithModules } from "./config.ts";
import { openDatabase } from "./db-adapter.ts";
import { secretSource } from "./dev-secrets.ts";
import type { Engine, Scope } from "./engine.ts";
import type { DriverJobDefinitions } from "./jobs-types.ts";
import type { DriverContext, KernelContext, LucentModule } from "./kernel.ts";
import { createDrivers } from "./kernel-drivers.ts";
import { createLocalApi } from "./local-api.ts";
import type { LocalApi, UntypedLocalApi } from "./local-api-types.ts";
import { createLogger, type Logger } from "./logger.ts";
import { type MigrateResult, migrate } from "./migrate.ts";
import { tableSpecsOf } from "./migrate-config.ts";
import { orderModules } from "./module-order.ts";
import type { Registry } from "./query-context.ts";
import { createResponseCache, type ResponseCache } from "./response-cache.ts";
import { type ResolvedCollection, resolveCollection } from "./schema.ts";
import type { TableSpec } from "./table-spec.ts";
import { generateTypes, writeTypes } from "./typegen.ts";

/** The text of `lucent-types.ts` for an assembled system. */
export function kernelTypes(
  collections: Iterable<ResolvedCollection>,
  modules: readonly LucentModule[],
  ctx: KernelContext,
): string {
  const fragments = modules.flatMap((m) => (m.typegen ? [m.typegen(ctx)] : []));
  return generateTypes({ collections, fragments });
}

export interface Kernel {
  ctx: KernelContext;
  config: ResolvedLucentConfig;
  engine: Engine;
  /** The Local API, untyped: the kernel and modules name collections at run time. */
  lucent: UntypedLocalApi;
  modules: readonly LucentModule[];
  /** What startup migration did (undefined when `migrations.auto` is off). */
  migration: MigrateResult | undefined;
  /** Every table the migrator manages: collections and module tables. */
  tableSpecs: readonly TableSpec[];
  /** The collection GET cache, when `api.cache` is on. */
  responseCache: ResponseCache | undefined;
  /** Named checks for `/api/health`. */
  healthChecks(): Record<string, () => Promise<void>>;
  /** Starts job workers and modules' background work. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface CreateKernelOptions {
  /** Run migrations even when `migrations.auto` is off (the CLI passes its own choice). */
  migrate?: boolean;
}

export async function createKernel(
  input: LucentConfig,
  options: CreateKernelOptions = {},
): Promise<Kernel> {
  const config = resolveWithModules(input);
  const logger: Logger = config.logger ?? createLogger();
  const production = Bun.env.NODE_ENV === "production";
  const modules = orderModules(config.modules);
  const { db, owned: ownsDb } = await openDatabase(config);

  const driverCtx: DriverContext = { logger, dataDir: config.dataDir, production, db };
  const { jobs, storage, bus, mail, rateLimitStore } = await createDrivers(modules, driverCtx);

  const collections = new Map<string, ResolvedCollection>(
    config.collections.map((c) => [c.slug, resolveCollection(c)]),
  );
  const registry: Registry = {
    collections,
    authSlugs: new Set(config.collections.filter((c) => c.auth).map((c) => c.slug)),
  };
  const changes = createChangeFeed({ bus, logger });
  const moduleApis: Record<string, unknown> = {};
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await jobs
      .stop({ timeoutMs: 10_000 })
      .catch((err) => logger.error({ err }, "stopping jobs failed"));
    for (const m of [...modules].reverse()) {
      await Promise.resolve(m.stop?.(ctx)).catch((err) =>
        logger.error({ err, module: m.name }, "stopping module failed"),
      );
    }
    changes.stop();
    for (const driver of [storage, bus, mail, rateLimitStore]) await driver.stop?.();
    if (ownsDb) await db.close();
  };
  const localParts = { jobs, modules: moduleApis, close: stop };
  const engine: Engine = {
    registry,
    db,
    logger,
    storage,
    prefix: config.api.prefix,
    emit: (event) => changes.publish(event),
    localApi: (scope: Scope) => createLocalApi(engine, scope, localParts),
    async storageDelete(keys) {
      for (const key of keys) {
        await storage
          .delete(key)
          .catch((err) => logger.warn({ err, key }, "could not delete a stored file"));
      }
    },
  };
  const lucent = engine.localApi({ db, pending: null }) as unknown as UntypedLocalApi;
  const secrets = secretSource({ dataDir: config.dataDir, production, logger });
  const ctx: KernelContext = {
    config,
    collections,
    db,
    logger,
    lucent,
    jobs,
    storage,
    bus,
    mail,
    rateLimitStore,
    changes,
    production,
    dataDir: config.dataDir,
    prefix: config.api.prefix,
    secret: (name, opts) => secrets.get(name, opts),
    getModule: (name) => modules.find((m) => m.name === name),
    resolveCaller: createCallerResolver(modules),
  };

  const tableSpecs = tableSpecsOf(collections.values(), modules);
  const responseCache = config.api.cache ? createResponseCache(config.api.cache) : undefined;
  if (responseCache) {
    // Any committed write may change any list (depth populates across collections): clear all,
    // on every instance. The feed delivers local changes before the write answers.
    changes.subscribe(() => responseCache.clear());
  }
  let migration: MigrateResult | undefined;
  try {
    if (options.migrate ?? config.migrations.auto) {
      migration = await migrate({
        db,
        specs: tableSpecs,
        dropOrphaned: config.migrations.dropOrphaned,
        logger,
      });
    }
    for (const m of modules) {
      if (m.api) moduleApis[m.api.key] = m.api.create(ctx);
      await m.setup?.(ctx);
    }
    // The root Local API was built before the modules' APIs existed.
    Object.assign(lucent, moduleApis);
    const env = Bun.env.NODE_ENV ?? "development";
    if (env === "development" && config.typegen.output) {
      const output = config.typegen.output;
      if (await writeTypes(output, kernelTypes(collections.values(), modules, ctx))) {
        logger.info({ file: output }, "generated types written");
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    ctx,
    config,
    engine,
    lucent,
    modules,
    migration,
    tableSpecs,
    responseCache,
    healthChecks() {
      const checks: Record<string, () => Promise<void>> = {
        db: async () => {
          await db.execute(sql`select 1`);
        },
        storage: () => storage.check(),
      };
      for (const m of modules) Object.assign(checks, m.health?.(ctx));
      return checks;
    },
    async start() {
      // Handlers declared in config get the Local API; drivers only know the run context.
      const definitions: DriverJobDefinitions = {};
      const declared = {
        ...Object.assign({}, ...modules.map((m) => m.jobs ?? {})),
        ...config.jobs,
      } as typeof config.jobs;
      for (const [name, def] of Object.entries(declared)) {
        definitions[name] = {
          ...def,
          handler: (data: never, run) =>
            def.handler(data, { ...run, lucent: lucent as unknown as LocalApi }),
        };
      }
      await jobs.start({ definitions, logger });
      for (const m of modules) await m.start?.(ctx);
    },
    stop,
  };
}
