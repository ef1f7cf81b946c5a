import { afterAll } from "bun:test";
import { jobsDriverSuite } from "@lucent/conformance";
import { Redis } from "ioredis";
import { bullmqJobs } from "./bullmq-driver.ts";

const url = Bun.env.REDIS_URL || "redis://127.0.0.1:6379";
// Every driver gets its own prefix under this run's, so tests share nothing and cleanup finds it all.
const run = `lucent-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
let n = 0;

afterAll(async () => {
  const redis = new Redis(url);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${run}-*`, "COUNT", 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await redis.quit();
});

jobsDriverSuite("bullmq", () => bullmqJobs({ url, prefix: `${run}-${n++}` }));
