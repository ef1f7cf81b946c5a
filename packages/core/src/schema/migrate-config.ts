/** Migrations for a config without starting the system: what `lucent migrate` runs. */

import { openDatabase } from "../drivers/db-adapter.ts";
import type { LucentModule } from "../kernel/kernel.ts";
import type { Logger } from "../kernel/logger.ts";
import { resolveWithModules } from "./config.ts";
import { type MigrateResult, migrate } from "./migrate.ts";
import { type ResolvedCollection, resolveCollection } from "./schema.ts";
import { expandSiteConfig, type LucentSiteConfig } from "./site-config.ts";
import type { TableSpec } from "./table-spec.ts";

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
  input: LucentSiteConfig,
  options: MigrateConfigOptions = {},
): Promise<MigrateResult> {
  const config = resolveWithModules(await expandSiteConfig(input));
  const { db, owned } = await openDatabase(config, { poolSize: 1 });
  try {
    return await migrate({
      db,
      specs: tableSpecsOf(config.collections.map(resolveCollection), config.modules),
      dropOrphaned: options.dropOrphaned ?? config.migrations.dropOrphaned,
      dryRun: options.dryRun ?? false,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  } finally {
    if (owned) await db.close();
  }
}
