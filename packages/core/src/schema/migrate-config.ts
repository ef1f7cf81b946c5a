/** Migrations for a config without starting the system: what `lucent migrate` runs. */

import { openDatabase } from "../drivers/db-adapter.ts";
import type { LucentModule } from "../kernel/kernel.ts";
import type { Logger } from "../kernel/logger.ts";
import { UPLOADS_TABLE } from "../operations/upload-table.ts";
import { resolveWithModules } from "./config.ts";
import { type MigrateResult, migrate } from "./migrate.ts";
import { type ResolvedCollection, resolveCollection } from "./schema.ts";
import { expandSiteConfig, type LucentSiteConfig } from "./site-config.ts";
import type { TableSpec } from "./table-spec.ts";

/**
 * Every table the migrator manages: one per collection, core's upload state
 * when a collection has an upload field, then the modules' own.
 */
export function tableSpecsOf(
  collections: Iterable<ResolvedCollection>,
  modules: readonly LucentModule[],
): TableSpec[] {
  const list = [...collections];
  const uploads = list.some((c) => c.fields.some((f) => f.config.type === "upload"));
  return [
    ...list.map((c) => c.spec),
    ...(uploads ? [UPLOADS_TABLE] : []),
    ...modules.flatMap((m) => m.tables ?? []),
  ];
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
