import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jobsCrashSuite } from "@lucent/conformance";

const dir = mkdtempSync(join(tmpdir(), "lucent-jobs-crash-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

jobsCrashSuite("sqlite", {
  driverModule: join(import.meta.dir, "../../test/fixtures/crash-jobs-driver.ts"),
  env: (run) => ({ LUCENT_CRASH_JOBS_PATH: join(dir, `${run}.sqlite`) }),
});
