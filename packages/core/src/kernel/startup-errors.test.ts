/**
 * What a failed start looks like to the person running the app (CONTRACT §2):
 * one line per problem on stderr, no code frame, no stack, exit code 1.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@lucent/test-utils";

const dataDir = mkdtempSync(join(tmpdir(), "lucent-startup-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function start(env: Record<string, string>) {
  const proc = Bun.spawn(
    [
      "bun",
      "--conditions=lucent-source",
      join(import.meta.dir, "../../test/fixtures/startup-app.ts"),
    ],
    {
      cwd: join(import.meta.dir, ".."),
      env: { ...Bun.env, LOG_LEVEL: "silent", LUCENT_DATA_DIR: dataDir, ...env },
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  return { code, lines: stderr.split("\n").filter((line) => line.trim() !== "") };
}

/** Bun's own last line of an uncaught error: its version, not ours to remove. */
const BUN_TRAILER = /^Bun v\d/;

test("regression: a bad config prints one line per problem, no code frame and no stack (it printed all three), and exits 1", async () => {
  const { code, lines } = await start({ STARTUP_CASE: "config", DATABASE_URL: "memory://" });
  expect(code).toBe(1);
  expect(lines.filter((line) => !BUN_TRAILER.test(line))).toEqual([
    "ConfigError: Invalid Lucent configuration:",
    "  - collections[0].fields.status.defaultValue: must be one of draft, published",
    "  - collections[0].fields.views.defaultValue: must be at least 0",
  ]);
});

test("the same app with sound defaults starts", async () => {
  const { code, lines } = await start({ DATABASE_URL: "memory://" });
  expect({ code, lines }).toEqual({ code: 0, lines: [] });
});

test("regression: an unreachable database names db.url and the host it tried, never the password (it printed a stack)", async () => {
  const port = freePort();
  const { code, lines } = await start({
    DATABASE_URL: `postgres://lucent:s3cret-pw@127.0.0.1:${port}/app`,
  });
  expect(code).toBe(1);
  expect(lines.filter((line) => !BUN_TRAILER.test(line))).toEqual([
    "ConfigError: Lucent cannot reach its database:",
    `  - db.url: cannot connect to Postgres at 127.0.0.1:${port} (ECONNREFUSED)`,
  ]);
  expect(lines.join("\n")).not.toContain("s3cret-pw");
});
