/** The running phase: job workers and modules' background work, health, and the one way down. */
import { sql } from "drizzle-orm";
import type { DatabaseAdapter } from "../drivers/drivers.ts";
import type { DriverJobDefinitions, JobDefinitions } from "../jobs/jobs-types.ts";
import type { UploadSweeper } from "../operations/upload-sweeper.ts";
import type { ResolvedLucentConfig } from "../schema/config.ts";
import type { ChangeFeedEmitter } from "./change-feed.ts";
import type { KernelContext } from "./kernel.ts";
import type { Drivers } from "./kernel-drivers.ts";
import type { ModuleSet } from "./kernel-modules.ts";
import type { LocalApi } from "./local-api-types.ts";

export interface LifecycleInput {
  config: ResolvedLucentConfig;
  ctx: KernelContext;
  db: DatabaseAdapter;
  ownsDb: boolean;
  drivers: Drivers;
  modules: ModuleSet;
  changes: ChangeFeedEmitter;
  /** Removes expired uploads (operations/upload-sweeper.ts). */
  uploadSweeper?: UploadSweeper;
}

/** Config handlers get the Local API; modules' handlers the kernel too; drivers only know the run. */
export function jobDefinitions(input: LifecycleInput): DriverJobDefinitions {
  const { ctx, config } = input;
  const lucent = ctx.lucent as unknown as LocalApi;
  const definitions: DriverJobDefinitions = {};
  for (const { module } of input.modules.installed) {
    for (const [name, def] of Object.entries(module.jobs ?? {})) {
      definitions[name] = {
        ...def,
        handler: (data: never, run) => def.handler(data, { ...run, lucent, kernel: ctx }),
      };
    }
  }
  for (const [name, def] of Object.entries(config.jobs as JobDefinitions)) {
    definitions[name] = {
      ...def,
      handler: (data: never, run) => def.handler(data, { ...run, lucent }),
    };
  }
  return definitions;
}

export function healthChecks(input: LifecycleInput): Record<string, () => Promise<void>> {
  const checks: Record<string, () => Promise<void>> = {
    db: async () => {
      await input.db.execute(sql`select 1`);
    },
    storage: () => input.drivers.storage.check(),
  };
  for (const instance of input.modules.instances()) Object.assign(checks, instance.health);
  return checks;
}

export async function startKernel(input: LifecycleInput): Promise<void> {
  await input.drivers.jobs.start({ definitions: jobDefinitions(input), logger: input.ctx.logger });
  for (const instance of input.modules.instances()) await instance.start?.();
  input.uploadSweeper?.start();
}

/** Stops once, however often it is called: jobs, modules in reverse order, drivers, the database. */
export function stopper(input: LifecycleInput): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  const { logger } = input.ctx;
  const run = async () => {
    await input.drivers.jobs
      .stop({ timeoutMs: 10_000 })
      .catch((err) => logger.error({ err }, "stopping jobs failed"));
    for (const { module, instance } of [...input.modules.installed].reverse()) {
      await Promise.resolve(instance?.stop?.()).catch((err) =>
        logger.error({ err, module: module.name }, "stopping module failed"),
      );
    }
    await input.uploadSweeper?.stop();
    input.changes.stop();
    const { storage, bus, mail, rateLimitStore } = input.drivers;
    for (const driver of [storage, bus, mail, rateLimitStore]) await driver.stop?.();
    if (input.ownsDb) await input.db.close();
  };
  return () => {
    stopping ??= run();
    return stopping;
  };
}
