import { afterAll } from "bun:test";
import { rateLimitStoreSuite, startTcpProxy, uniqueName } from "@lucent/conformance";
import { RedisClient } from "bun";
import { redisRateLimitStore } from "./rate-limit-redis.ts";

const url = Bun.env.REDIS_URL || "redis://127.0.0.1:6379";
// Every store of this run shares one prefix, so they count together and cleanup finds it all.
const prefix = `${uniqueName("lucent-test-rl")}:`;

afterAll(async () => {
  const redis = new RedisClient(url);
  let cursor = "0";
  do {
    const [next, keys] = (await redis.send("SCAN", [
      cursor,
      "MATCH",
      `${prefix}*`,
      "COUNT",
      "1000",
    ])) as [string, string[]];
    if (keys.length > 0) await redis.send("DEL", keys);
    cursor = next;
  } while (cursor !== "0");
  redis.close();
});

rateLimitStoreSuite("redis", {
  make: () => redisRateLimitStore({ url, prefix }),
  shared: true,
  outage: () => {
    const target = new URL(url);
    const proxy = startTcpProxy({ hostname: target.hostname, port: Number(target.port || 6379) });
    target.port = String(proxy.port);
    return {
      store: redisRateLimitStore({ url: target.href, prefix }),
      down: () => proxy.down(),
      up: () => proxy.up(),
      close: () => proxy.close(),
    };
  },
});
