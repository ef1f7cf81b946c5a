import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitForHealthy } from "@lucent/test-utils";

const dir = mkdtempSync(join(tmpdir(), "lucent-shutdown-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("SIGTERM stops the demo gracefully: it stops listening, drains and exits 0", async () => {
  const port = freePort();
  const proc = Bun.spawn(["bun", "--conditions=lucent-source", "src/server.ts"], {
    cwd: join(import.meta.dir, ".."),
    env: {
      ...Bun.env,
      NODE_ENV: "test",
      PORT: String(port),
      HOST: "127.0.0.1",
      LUCENT_DATA_DIR: dir,
      LOG_LEVEL: "info",
    },
    stdout: "pipe",
    stderr: "inherit",
  });
  expect(await waitForHealthy(`http://127.0.0.1:${port}`)).toBe(200);
  // (A request racing the signal may or may not connect first, so none is asserted here.)
  proc.kill("SIGTERM");
  expect(await proc.exited).toBe(0);
  const after = await fetch(`http://127.0.0.1:${port}/api/health`).then(
    (r) => r.status,
    () => 0,
  );
  expect(after).toBe(0);
  const log = await new Response(proc.stdout).text();
  expect(log).toContain('"msg":"shutting down"');
}, 60_000);
