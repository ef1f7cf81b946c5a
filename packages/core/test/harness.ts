/**
 * One way for core's tests to run a kernel: a fresh database (PGlite, or
 * Postgres with TEST_DATABASE_URL), a temp data folder, the plugin around
 * it, and requests through `app.handle`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@lucent/test-utils";
import { lucentPlugin } from "../src/http/lucent.ts";
import { createKernel, type Kernel } from "../src/kernel/kernel-create.ts";
import type { LucentConfig } from "../src/schema/config.ts";

export interface Harness {
  kernel: Kernel;
  app: ReturnType<typeof lucentPlugin>;
  db: TestDatabase;
  dir: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  /** A JSON request. */
  json(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  close(): Promise<void>;
}

export type HarnessConfig = Omit<LucentConfig, "db" | "dataDir">;

/** Starts a kernel for one test file (beforeAll). */
export async function startHarness(config: HarnessConfig): Promise<Harness> {
  const db = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), "lucent-core-test-"));
  const kernel = await createKernel({
    typegen: { output: false },
    ...config,
    db: { url: db.url },
    dataDir: dir,
  });
  const app = lucentPlugin(kernel, { handleSignals: false });
  const request = (path: string, init?: RequestInit) =>
    app.handle(new Request(`http://localhost${path}`, init));
  return {
    kernel,
    app,
    db,
    dir,
    request,
    json: (method, path, body, headers = {}) =>
      request(path, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    async close() {
      await kernel.stop();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
