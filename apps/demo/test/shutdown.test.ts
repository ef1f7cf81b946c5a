import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitForHealthy } from "@lucent/test-utils";

const dir = mkdtempSync(join(tmpdir(), "lucent-shutdown-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("SIGTERM stops the demo gracefully: in-flight work finishes and the process exits 0", async () => {
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
  const inFlight = fetch(`http://127.0.0.1:${port}/api/posts`);
  proc.kill("SIGTERM");
  expect((await inFlight).status).toBe(200);
  expect(await proc.exited).toBe(0);
  const log = await new Response(proc.stdout).text();
  expect(log).toContain('"msg":"shutting down"');
}, 60_000);
