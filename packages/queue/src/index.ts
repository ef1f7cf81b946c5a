/**
 * `@lucent/queue`: Lucent's jobs on BullMQ and Redis. Install it as a module
 * and `lucent.jobs` runs on Redis instead of the built-in SQLite queue.
 */
import type { LucentModule } from "@lucent/core";
import { bullmqJobs } from "./bullmq-driver.ts";
import type { QueueOptions } from "./options.ts";
import { queueOptionsSchema } from "./options.ts";

export type { BullmqJobsOptions } from "./bullmq-driver.ts";
export { bullmqJobs } from "./bullmq-driver.ts";
export type { QueueOptions } from "./options.ts";
export { QueueOptionsError, queueOptionsSchema } from "./options.ts";

export function queue(options: QueueOptions = {}) {
  return {
    name: "@lucent/queue",
    optionsSchema: queueOptionsSchema,
    options,
    // One driver per kernel: its jobs and its health check share one connection.
    drivers: { jobs: () => bullmqJobs(options) },
    setup: (ctx) => ({
      health: {
        redis: async () => {
          await ctx.jobs.check?.();
        },
      },
    }),
  } satisfies LucentModule;
}
