import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jobsDriverSuite, waitFor } from "@lucent/conformance";
import { createLogger } from "../kernel/logger.ts";
import { sqliteJobs } from "./jobs-sqlite.ts";

const dir = mkdtempSync(join(tmpdir(), "lucent-jobs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

jobsDriverSuite("sqlite (in memory)", () => sqliteJobs({ path: ":memory:", pollMs: 20 }));

let n = 0;
jobsDriverSuite("sqlite (file)", () =>
  sqliteJobs({ path: join(dir, `jobs-${n++}.sqlite`), pollMs: 50 }),
);

test("regression: a completed job's payload does not linger in the free space of the SQLite file", async () => {
  const path = join(dir, "scrubbed.sqlite");
  const driver = sqliteJobs({ path, pollMs: 20 });
  await driver.start({
    logger: createLogger({ level: "silent" }),
    definitions: { mail: { handler: () => {} } },
  });
  for (let i = 0; i < 3; i++) {
    await driver.enqueue("mail", { link: `https://example.com/reset?token=one-time-${i}` });
  }
  await waitFor("the jobs to complete", async () => (await driver.counts("mail")).completed === 3);
  // Closing the last connection checkpoints the WAL into the file and removes it.
  await driver.stop();
  expect(readFileSync(path).includes("one-time-")).toBe(false);
});
