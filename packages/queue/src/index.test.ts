import { afterEach, describe, expect, test } from "bun:test";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKernel } from "@lucent/core";
import { queue } from "./index.ts";
import { QueueOptionsError } from "./options.ts";

const url = Bun.env.REDIS_URL || "redis://127.0.0.1:6379";
const saved = Bun.env.REDIS_URL;
const tmpDir = () => mkdtemp(join(tmpdir(), "lucent-queue-"));

afterEach(() => {
  if (saved === undefined) delete Bun.env.REDIS_URL;
  else Bun.env.REDIS_URL = saved;
});

describe("queue()", () => {
  test("without a url or REDIS_URL, creating the driver names the option and the variable", () => {
    delete Bun.env.REDIS_URL;
    const module = queue();
    expect(() => module.drivers.jobs()).toThrow(QueueOptionsError);
    expect(() => module.drivers.jobs()).toThrow(/`url`.*REDIS_URL/);
  });

  test("its options schema reports a missing url on the url path", () => {
    delete Bun.env.REDIS_URL;
    const result = queue().optionsSchema.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["url"]);
    expect(result.error?.issues[0]?.message).toContain("REDIS_URL");
  });

  test("its options schema refuses a url that is not a Redis url", () => {
    expect(queue().optionsSchema.safeParse({ url: "http://localhost:6379" }).success).toBe(false);
    expect(queue().optionsSchema.safeParse({ url }).success).toBe(true);
  });

  test("REDIS_URL stands in for a missing url", async () => {
    Bun.env.REDIS_URL = url;
    const module = queue({ prefix: "lucent-test-env" });
    const driver = module.drivers.jobs();
    expect(driver.name).toBe("bullmq");
    await driver.stop();
  });

  test("the redis health check passes against a live Redis and fails against a closed port", async () => {
    const live = await createKernel({
      collections: [],
      db: { url: "memory://" },
      dataDir: await tmpDir(),
      typegen: { output: false },
      modules: [queue({ url, prefix: "lucent-test-health" })],
    });
    try {
      await live.healthChecks().redis!();
    } finally {
      await live.stop();
    }

    const dead = await createKernel({
      collections: [],
      db: { url: "memory://" },
      dataDir: await tmpDir(),
      typegen: { output: false },
      modules: [queue({ url: "redis://127.0.0.1:1", prefix: "lucent-test-health" })],
    });
    const check = dead.healthChecks().redis!();
    const failed = await Promise.race([
      check.then(
        () => false,
        () => true,
      ),
      Bun.sleep(3000).then(() => "hung"),
    ]);
    await dead.stop();
    expect(failed).toBe(true);
  });
});
