import { afterAll } from "bun:test";
import { jobsDriverSuite } from "@lucent/conformance";
import { dropPrefix, redisUrl, runPrefix } from "../test/redis-prefix.ts";
import { bullmqJobs } from "./bullmq-driver.ts";

// Every driver gets its own prefix under this run's.
const run = runPrefix("test");
let n = 0;
afterAll(() => dropPrefix(`${run}-`));

jobsDriverSuite("bullmq", () => bullmqJobs({ url: redisUrl, prefix: `${run}-${n++}` }));
