import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jobsDriverSuite } from "@lucent/conformance";
import { sqliteJobs } from "./jobs-sqlite.ts";

const dir = mkdtempSync(join(tmpdir(), "lucent-jobs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

jobsDriverSuite("sqlite (in memory)", () => sqliteJobs({ path: ":memory:", pollMs: 20 }));

let n = 0;
jobsDriverSuite("sqlite (file)", () =>
  sqliteJobs({ path: join(dir, `jobs-${n++}.sqlite`), pollMs: 50 }),
);
