/** Which bus carries the change feed between instances (option `bus`). */
import { type DriverContext, type EventBus, memoryBus } from "@lucent/core";
import { postgresBus } from "./bus-postgres.ts";
import { redisBus } from "./bus-redis.ts";
import type { ResolvedRealtimeOptions } from "./options.ts";

const POSTGRES_URL = /^postgres(ql)?:\/\//;

export function selectBus(ctx: DriverContext, options: ResolvedRealtimeOptions): EventBus {
  const dbUrl = ctx.config.db.url;
  const kind =
    options.bus !== "auto"
      ? options.bus
      : options.redisUrl
        ? "redis"
        : dbUrl && POSTGRES_URL.test(dbUrl)
          ? "postgres"
          : "memory";
  if (kind === "redis") {
    if (!options.redisUrl) throw new Error("realtime bus `redis` needs `redisUrl` or REDIS_URL");
    return redisBus({ url: options.redisUrl, logger: ctx.logger });
  }
  if (kind === "postgres") {
    if (!dbUrl || !POSTGRES_URL.test(dbUrl))
      throw new Error("realtime bus `postgres` needs db.url to be a postgres:// URL");
    return postgresBus({ url: dbUrl, logger: ctx.logger });
  }
  return memoryBus({ logger: ctx.logger });
}
