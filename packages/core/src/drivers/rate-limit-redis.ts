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
  /** How long a hit waits for Redis before it fails (every API request waits on one). @default 1000 */
  timeoutMs?: number;
}

export function redisRateLimitStore(options: RedisRateLimitOptions): RateLimitStore {
  let client: RedisClient | undefined;
  const prefix = options.prefix ?? "lucent:rl:";
  const timeoutMs = options.timeoutMs ?? 1000;
  const redis = () => {
    client ??= new RedisClient(options.url, {
      enableOfflineQueue: true,
      connectionTimeout: timeoutMs,
    });
    return client;
  };
  // Bun's client queues a command while it reconnects, and gives up for good after its retries:
  // a hit that fails drops the client, so the next one connects afresh once Redis is back.
  const drop = (failed: RedisClient) => {
    if (client !== failed) return;
    client = undefined;
    failed.close();
  };
  return {
    name: "redis",
    async hit(key, windowMs) {
      const c = redis();
      let timer: Timer | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`rate-limit store: Redis did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        const [count, ttl] = (await Promise.race([
          c.eval(HIT, 1, prefix + key, windowMs),
          timeout,
        ])) as [number, number];
        return { count, resetAt: Date.now() + ttl };
      } catch (error) {
        drop(c);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      client?.close();
      client = undefined;
    },
  };
}
