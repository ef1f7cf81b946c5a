import { afterAll } from "bun:test";
import { join } from "node:path";
import { jobsCrashSuite } from "@lucent/conformance";
import { Redis } from "ioredis";

const url = Bun.env.REDIS_URL || "redis://127.0.0.1:6379";
const prefix = `lucent-crash-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

afterAll(async () => {
  const redis = new Redis(url);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await redis.quit();
});

jobsCrashSuite("bullmq", {
  driverModule: join(import.meta.dir, "../test/fixtures/crash-jobs-driver.ts"),
  env: () => ({ LUCENT_CRASH_PREFIX: prefix, REDIS_URL: url }),
});
