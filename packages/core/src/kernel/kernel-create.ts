/**
 * `createKernel(config)`, phase by phase: the config is checked and extended
 * by the modules' declarations; drivers open; the kernel context is built;
 * migrations run; each module's `setup` returns its instance; the kernel
 * assembles hooks, resolvers and APIs from them. Starting and stopping live
 * in kernel-lifecycle.ts.
 */

import { openDatabase } from "../drivers/db-adapter.ts";
import { createResponseCache, type ResponseCache } from "../http/response-cache.ts";
import { createUploadServices } from "../operations/upload-services.ts";
import type { CollectionHooks } from "../query/access-types.ts";
import type { Registry } from "../query/query-context.ts";
import { type ResolvedLucentConfig, resolveWithModules } from "../schema/config.ts";
import { type MigrateResult, migrate } from "../schema/migrate.ts";
import { tableSpecsOf } from "../schema/migrate-config.ts";
import { type ResolvedCollection, resolveCollection } from "../schema/schema.ts";
import { expandSiteConfig, type LucentSiteConfig } from "../schema/site-config.ts";
import type { TableSpec } from "../schema/table-spec.ts";
import { generateTypes, writeTypes } from "../schema/typegen.ts";
import { createCallerResolver } from "./caller.ts";
import { createChangeFeed } from "./change-feed.ts";
import { collectionHooks } from "./collection-hooks.ts";
import { secretSource } from "./dev-secrets.ts";
import type { Engine, Scope } from "./engine.ts";
import { createEventHub } from "./event-hub.ts";
import type { InstalledModule, KernelContext } from "./kernel.ts";
import { createDrivers } from "./kernel-drivers.ts";
import { healthChecks, type LifecycleInput, startKernel, stopper } from "./kernel-lifecycle.ts";
import { createModuleSet } from "./kernel-modules.ts";
import { createLocalApi, moduleApiPrototype } from "./local-api.ts";
import type { UntypedLocalApi } from "./local-api-types.ts";
import { createLogger, type Logger } from "./logger.ts";
import { orderModules } from "./module-order.ts";

/** The text of `lucent-types.ts` for an assembled system. */
export function kernelTypes(
  collections: Iterable<ResolvedCollection>,
  installed: readonly InstalledModule[],
): string {
  const fragments = installed.flatMap((m) => (m.instance?.typegen ? [m.instance.typegen()] : []));
  return generateTypes({ collections, fragments });
}

export interface Kernel {
  ctx: KernelContext;
  config: ResolvedLucentConfig;
  engine: Engine;
  /** The Local API, untyped: the kernel and modules name collections at run time. */
  lucent: UntypedLocalApi;
  /** Modules in dependency order, each with this kernel's instance of it. */
  modules: readonly InstalledModule[];
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
  input: LucentSiteConfig,
  options: CreateKernelOptions = {},
): Promise<Kernel> {
  // Declarations: the config (its short form expanded) with every module's collection extensions, checked.
  const config = resolveWithModules(await expandSiteConfig(input));
  const logger: Logger = config.logger ?? createLogger();
  const production = Bun.env.NODE_ENV === "production";
  const modules = createModuleSet(orderModules(config.modules));

  // Drivers, before anything that may use them.
  const { db, owned: ownsDb } = await openDatabase(config, { logger });
  const drivers = await createDrivers(
    modules.installed.map((m) => m.module),
    { config, logger, dataDir: config.dataDir, production, db },
  );

  // The context every module's setup gets.
  const collections = new Map<string, ResolvedCollection>(
    config.collections.map((c) => [c.slug, resolveCollection(c)]),
  );
  const registry: Registry = {
    collections,
    authSlugs: new Set(config.collections.filter((c) => c.auth).map((c) => c.slug)),
  };
  const changes = createChangeFeed({ bus: drivers.bus, logger });
  // Each collection's hooks with the modules' merged in, once their setups have returned.
  let hooks = new Map<string, CollectionHooks>();
  let stop: () => Promise<void> = async () => {};
  const localParts = {
    jobs: drivers.jobs,
    modules: moduleApiPrototype(modules.apiKeys, modules.apis),
    close: () => stop(),
  };
  const secrets = secretSource({ dataDir: config.dataDir, production, logger });
  const engine: Engine = {
    registry,
    db,
    logger,
    storage: drivers.storage,
    uploads: await createUploadServices({
      collections: collections.values(),
      db,
      storage: drivers.storage,
      logger,
      secret: () => secrets.get("SESSION_SECRET"),
    }),
    prefix: config.api.prefix,
    emit: (event) => changes.publish(event),
    hooks: (collection) => hooks.get(collection.slug) ?? collection.config.hooks ?? {},
    localApi: (scope: Scope) => createLocalApi(engine, scope, localParts),
    async storageDelete(keys) {
      for (const key of keys) {
        await drivers.storage
          .delete(key)
          .catch((err) => logger.warn({ err, key }, "could not delete a stored file"));
      }
    },
  };
  const lucent = engine.localApi({ db, pending: null }) as unknown as UntypedLocalApi;
  const ctx: KernelContext = {
    config,
    collections,
    db,
    logger,
    lucent,
    jobs: drivers.jobs,
    storage: drivers.storage,
    bus: drivers.bus,
    mail: drivers.mail,
    rateLimitStore: drivers.rateLimitStore,
    changes,
    events: createEventHub(logger),
    production,
    dataDir: config.dataDir,
    prefix: config.api.prefix,
    secret: (name, opts) => secrets.get(name, opts),
    getModule: (name) => modules.find(name),
    resolveCaller: createCallerResolver(() => modules.instances()),
  };
  const lifecycle: LifecycleInput = {
    config,
    ctx,
    db,
    ownsDb,
    drivers,
    modules,
    changes,
    uploadSweeper: engine.uploads.sweeper,
  };
  stop = stopper(lifecycle);

  const tableSpecs = tableSpecsOf(
    collections.values(),
    modules.installed.map((m) => m.module),
  );
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
    // Setup, then assembly: nothing is served before both are done.
    await modules.setUp(ctx);
    hooks = collectionHooks(
      collections.values(),
      modules.instances().flatMap((i) => (i.hooks ? [i.hooks] : [])),
    );
    const env = Bun.env.NODE_ENV ?? "development";
    if (env === "development" && config.typegen.output) {
      const output = config.typegen.output;
      if (await writeTypes(output, kernelTypes(collections.values(), modules.installed))) {
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
    modules: modules.installed,
    migration,
    tableSpecs,
    responseCache,
    healthChecks: () => healthChecks(lifecycle),
    start: () => startKernel(lifecycle),
    stop,
  };
}
