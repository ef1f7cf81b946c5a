/** Migrations for a config without starting the system: what `lucent migrate` runs. */

import type { CollectionConfig } from "./collection.ts";
import { type LucentConfig, resolveConfig } from "./config.ts";
import { createDatabase } from "./db-adapter.ts";
import type { LucentModule } from "./kernel.ts";
import type { Logger } from "./logger.ts";
import { type MigrateResult, migrate } from "./migrate.ts";
import { type ResolvedCollection, resolveCollection } from "./schema.ts";
import type { TableSpec } from "./table-spec.ts";

/** Collections after every module's `extendCollections`, in module order. */
export function extendedCollections(config: LucentConfig): readonly CollectionConfig[] {
  let collections = config.collections;
  for (const module of config.modules ?? []) {
    if (module.extendCollections) collections = module.extendCollections(collections);
  }
  return collections;
}

/** Every table the migrator manages: one per collection, then the modules' own. */
export function tableSpecsOf(
  collections: Iterable<ResolvedCollection>,
  modules: readonly LucentModule[],
): TableSpec[] {
  return [...[...collections].map((c) => c.spec), ...modules.flatMap((m) => m.tables ?? [])];
}

export interface MigrateConfigOptions {
  /** Plan only; change nothing. @default false */
  dryRun?: boolean;
  /** @default the config's `migrations.dropOrphaned` */
  dropOrphaned?: boolean;
  logger?: Logger;
}

export async function migrateConfig(
  input: LucentConfig,
  options: MigrateConfigOptions = {},
): Promise<MigrateResult> {
  resolveConfig(input);
  const config = resolveConfig({ ...input, collections: extendedCollections(input) });
  const db =
    config.db.adapter ??
    (await createDatabase({ url: config.db.url, dataDir: config.dataDir, poolSize: 1 }));
  try {
    return await migrate({
      db,
      specs: tableSpecsOf(config.collections.map(resolveCollection), config.modules),
      dropOrphaned: options.dropOrphaned ?? config.migrations.dropOrphaned,
      dryRun: options.dryRun ?? false,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  } finally {
    if (!config.db.adapter) await db.close();
  }
}
