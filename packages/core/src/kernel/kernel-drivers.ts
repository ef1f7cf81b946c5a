/**
 * The drivers of a running system: the module that provides one, else core's
 * embedded default. Two modules providing the same kind is a startup error:
 * which one "wins" must not depend on the order modules are listed in.
 */
import { join } from "node:path";
import { memoryBus } from "../drivers/bus-memory.ts";
import type { EventBus, MailTransport, RateLimitStore, StorageDriver } from "../drivers/drivers.ts";
import { consoleMail } from "../drivers/mail-console.ts";
import { memoryRateLimitStore } from "../drivers/rate-limit-memory.ts";
import { redisRateLimitStore } from "../drivers/rate-limit-redis.ts";
import { localStorage } from "../drivers/storage-local.ts";
import type { JobsDriver } from "../jobs/jobs-types.ts";
import type { DriverContext, LucentModule, ModuleDrivers } from "./kernel.ts";

export interface Drivers {
  jobs: JobsDriver;
  storage: StorageDriver;
  bus: EventBus;
  mail: MailTransport;
  rateLimitStore: RateLimitStore;
}

export async function createDrivers(
  modules: readonly LucentModule[],
  ctx: DriverContext,
): Promise<Drivers> {
  const provided = <K extends keyof ModuleDrivers>(kind: K): ModuleDrivers[K] => {
    const providers = modules.filter((m) => m.drivers?.[kind]);
    if (providers.length > 1)
      throw new Error(
        `modules ${providers.map((m) => m.name).join(" and ")} both provide the ${kind} driver; install one of them`,
      );
    return providers[0]?.drivers?.[kind];
  };
  const jobs =
    provided("jobs")?.(ctx) ??
    // Loaded only when needed: an install on BullMQ never opens a SQLite file.
    (await import("../jobs/jobs-sqlite.ts")).sqliteJobs({ path: join(ctx.dataDir, "jobs.sqlite") });
  return {
    jobs,
    storage: provided("storage")?.(ctx) ?? localStorage({ dir: join(ctx.dataDir, "uploads") }),
    bus: provided("bus")?.(ctx) ?? memoryBus({ logger: ctx.logger }),
    mail: provided("mail")?.(ctx) ?? consoleMail(ctx.logger),
    // Several instances on one Redis share their counts.
    rateLimitStore:
      provided("rateLimitStore")?.(ctx) ??
      (Bun.env.REDIS_URL
        ? redisRateLimitStore({ url: Bun.env.REDIS_URL })
        : memoryRateLimitStore()),
  };
}
