/**
 * `@lucent/queue`: Lucent's jobs on BullMQ and Redis. Install it as a module
 * and `lucent.jobs` runs on Redis instead of the built-in SQLite queue.
 */
import type { JobsDriver, LucentModule } from "@lucent/core";
import { bullmqJobs } from "./bullmq-driver.ts";
import type { QueueOptions } from "./options.ts";
import { queueOptionsSchema } from "./options.ts";

export type { BullmqJobsOptions } from "./bullmq-driver.ts";
export { bullmqJobs } from "./bullmq-driver.ts";
export type { QueueOptions } from "./options.ts";
export { QueueOptionsError, queueOptionsSchema } from "./options.ts";

export function queue(options: QueueOptions = {}) {
  // One driver per module instance: the kernel's jobs and the health check share its connection.
  let driver: JobsDriver | undefined;
  const jobs = (): JobsDriver => {
    driver ??= bullmqJobs(options);
    return driver;
  };
  return {
    name: "@lucent/queue",
    optionsSchema: queueOptionsSchema,
    options,
    drivers: { jobs },
    health: () => ({
      redis: async () => {
        await jobs().check?.();
      },
    }),
  } satisfies LucentModule;
}
