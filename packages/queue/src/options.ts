/** Options of the BullMQ driver, and the one place the Redis URL is resolved. */
import { ConfigError } from "@lucent/core";
import { z } from "zod";

export interface QueueOptions {
  /** The Redis connection URL (`redis://` or `rediss://`). @default the REDIS_URL environment variable */
  url?: string;
  /** Prefix of every Redis key the queue writes, so several apps can share one Redis. @default "lucent" */
  prefix?: string;
}

const MISSING_URL =
  "no Redis URL: pass `url` to queue({ url }) or set the REDIS_URL environment variable";

export const queueOptionsSchema = z
  .object({
    url: z
      .string()
      .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
      .optional(),
    prefix: z
      .string()
      .min(1)
      .regex(/^[^:]+$/, "must not contain ':'")
      .optional(),
  })
  .strict()
  .superRefine((options, ctx) => {
    if (!options.url && !Bun.env.REDIS_URL)
      ctx.addIssue({ code: "custom", path: ["url"], message: MISSING_URL });
  });

/** A problem with the options of `queue()` or `bullmqJobs()`, found when the driver is created. */
export class QueueOptionsError extends ConfigError {
  constructor(problems: string[]) {
    super(problems);
    this.name = "QueueOptionsError";
  }
}

export function resolveQueueOptions(options: QueueOptions): { url: string; prefix: string } {
  const url = options.url || Bun.env.REDIS_URL;
  if (!url) throw new QueueOptionsError([`@lucent/queue url: ${MISSING_URL}`]);
  return { url, prefix: options.prefix ?? "lucent" };
}
