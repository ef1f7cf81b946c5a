/**
 * A rate-limit store on Redis, so instances share counts. It uses Bun's
 * built-in Redis client: core needs no Redis dependency for this.
 */
import { RedisClient } from "bun";
import type { RateLimitStore } from "./drivers.ts";

// One round trip: count the hit, start the window on the first one, report what is left of it.
const HIT = `local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {c, ttl}`;

export interface RedisRateLimitOptions {
  url: string;
  /** @default "lucent:rl:" */
  prefix?: string;
}

export function redisRateLimitStore(options: RedisRateLimitOptions): RateLimitStore {
  let client: RedisClient | undefined;
  const prefix = options.prefix ?? "lucent:rl:";
  const redis = () => {
    client ??= new RedisClient(options.url, { enableOfflineQueue: true });
    return client;
  };
  return {
    name: "redis",
    async hit(key, windowMs) {
      const [count, ttl] = (await redis().eval(HIT, 1, prefix + key, windowMs)) as [number, number];
      return { count, resetAt: Date.now() + ttl };
    },
    async stop() {
      client?.close();
      client = undefined;
    },
  };
}
