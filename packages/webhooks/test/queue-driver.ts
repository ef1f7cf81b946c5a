/**
 * The job driver the tests run on: core's SQLite queue by default, BullMQ
 * (`@lucent/queue`) with WEBHOOKS_TEST_QUEUE=bullmq and REDIS_URL, under a
 * prefix of its own so runs never share jobs.
 */
import type { LucentModule } from "@lucent/core";
import { queue } from "@lucent/queue";

export function queueModules(
  prefix = `wh${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
): LucentModule[] {
  if (Bun.env.WEBHOOKS_TEST_QUEUE !== "bullmq") return [];
  return [queue({ url: Bun.env.REDIS_URL ?? "redis://127.0.0.1:6379", prefix })];
}
