/** Key prefixes of one test run on the shared Redis, and their cleanup. */
import { Redis } from "ioredis";

export const redisUrl = Bun.env.REDIS_URL || "redis://127.0.0.1:6379";

/** A prefix no other run uses: tests share nothing and cleanup finds it all. */
export function runPrefix(name: string): string {
  return `lucent-${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Deletes every key that starts with `prefix`. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await redis.quit();
}
