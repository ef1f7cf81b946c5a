import { afterAll } from "bun:test";
import { join } from "node:path";
import { jobsCrashSuite } from "@lucent/conformance";
import { dropPrefix, redisUrl, runPrefix } from "../test/redis-prefix.ts";

const prefix = runPrefix("crash");
afterAll(() => dropPrefix(prefix));

jobsCrashSuite("bullmq", {
  driverModule: join(import.meta.dir, "../test/fixtures/crash-jobs-driver.ts"),
  env: (run) => ({ LUCENT_CRASH_PREFIX: `${prefix}-${run}`, REDIS_URL: redisUrl }),
});
