/** What a finished job leaves in Redis, read from Redis itself. */
import { afterAll, afterEach, expect, test } from "bun:test";
import { waitFor } from "@lucent/conformance";
import { createLogger, type JobsDriver } from "@lucent/core";
import { Redis } from "ioredis";
import { dropPrefix, redisUrl, runPrefix } from "../test/redis-prefix.ts";
import { bullmqJobs } from "./bullmq-driver.ts";

const run = runPrefix("finished");
const logger = createLogger({ level: "silent" });
const redis = new Redis(redisUrl);
let driver: JobsDriver | undefined;

afterEach(() => driver?.stop({ timeoutMs: 2000 }));
afterAll(async () => {
  await redis.quit();
  await dropPrefix(run);
});

/** Every string Redis holds under `prefix`, whatever the key's type. */
async function everything(prefix: string): Promise<string> {
  const keys = await redis.keys(`${prefix}*`);
  const values = await Promise.all(
    keys.map(async (key) => {
      const type = await redis.type(key);
      if (type === "hash") return JSON.stringify(await redis.hgetall(key));
      if (type === "stream") return JSON.stringify(await redis.xrange(key, "-", "+"));
      if (type === "list") return JSON.stringify(await redis.lrange(key, 0, -1));
      if (type === "zset") return JSON.stringify(await redis.zrange(key, "0", "-1"));
      if (type === "set") return JSON.stringify(await redis.smembers(key));
      return (await redis.get(key)) ?? "";
    }),
  );
  return values.join("\n");
}

test("regression: a completed mail job leaves its link nowhere in Redis, not even as the handler's return value", async () => {
  const prefix = `${run}-mail`;
  driver = bullmqJobs({ url: redisUrl, prefix });
  const link = "https://example.com/reset?token=one-time-secret";
  // A transport that answers with the message it sent, as some mail APIs do.
  await driver.start({ logger, definitions: { mail: { handler: (data) => ({ sent: data }) } } });
  const { id } = await driver.enqueue("mail", { link });
  await waitFor("the job to complete with its data cleared", async () => {
    const info = await driver?.get(id);
    return info?.state === "completed" && info.data === null;
  });
  expect(await everything(prefix)).not.toContain("one-time-secret");
});

test("regression: Redis keeps the last 1,000 completed jobs of a name, not every one", async () => {
  const prefix = `${run}-many`;
  driver = bullmqJobs({ url: redisUrl, prefix });
  let ran = 0;
  await driver.start({
    logger,
    definitions: { tick: { concurrency: 50, handler: () => void ran++ } },
  });
  for (let i = 0; i < 1010; i++) await driver.enqueue("tick", { i });
  await waitFor("every job to run", () => ran === 1010, 30_000);
  await waitFor("the last completions to be recorded", async () => {
    const counts = await driver?.counts("tick");
    return counts?.active === 0 && counts.waiting === 0;
  });
  expect((await driver.counts("tick")).completed).toBe(1000);
}, 60_000);
