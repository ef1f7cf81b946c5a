/**
 * `bun run demo` that cannot start (CONTRACT §2): a JWT_SECRET shorter than 32
 * bytes in production stops it with one line per problem, no code frame, no
 * stack and no secret, and exit code 1.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@lucent/test-utils";

const root = join(import.meta.dir, "../../..");
const dataDir = mkdtempSync(join(tmpdir(), "lucent-demo-startup-"));
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test("regression: a short JWT_SECRET in production prints one line, not a code frame, a problems dump and a stack", async () => {
  const proc = Bun.spawn(["bun", "run", "demo"], {
    cwd: root,
    env: {
      ...Bun.env,
      NODE_ENV: "production",
      JWT_SECRET: "short-secret-value",
      SESSION_SECRET: "s".repeat(40),
      SMTP_URL: "smtp://127.0.0.1:2525",
      MAIL_FROM: "demo@example.com",
      DATABASE_URL: db.url,
      LUCENT_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      PORT: "0",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  expect(code).toBe(1);
  expect(stderr).toContain(
    "ConfigError: Invalid Lucent configuration:\n  - JWT_SECRET: must be at least 32 bytes in production\n",
  );
  expect(stderr).not.toMatch(/^\s+at /m); // a stack frame
  expect(stderr).not.toMatch(/^\s*\d+ \| /m); // a code frame
  expect(stderr).not.toContain("problems");
  expect(stderr).not.toContain("short-secret-value");
}, 60_000);
