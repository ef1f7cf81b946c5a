/** Cron runs as BullMQ job schedulers: Redis holds one schedule per name, whatever the process count. */
import type { DriverJobDefinitions } from "@lucent/core";
import type { JobsOptions, Queue } from "bullmq";
import { QueueOptionsError } from "./options.ts";

const SCHEDULER_ID = "lucent-cron";

/** Makes the queue's schedule match the definition, removing one left by an older config. */
export async function upsertCron(
  queue: Queue,
  name: string,
  def: DriverJobDefinitions[string],
  opts: JobsOptions,
): Promise<void> {
  if (!def.cron) {
    await queue.removeJobScheduler(SCHEDULER_ID);
    return;
  }
  try {
    await queue.upsertJobScheduler(
      SCHEDULER_ID,
      { pattern: def.cron },
      {
        name,
        data: def.cronData ?? {},
        opts: {
          attempts: opts.attempts,
          backoff: opts.backoff,
          removeOnComplete: opts.removeOnComplete,
        },
      },
    );
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new QueueOptionsError([
      `jobs.${name}.cron: "${def.cron}" could not be scheduled (${reason})`,
    ]);
  }
}
