/**
 * The demo as it is configured (auth, secrets, openapi at /api/docs) for the
 * openapi-*.test.ts files, on an in-memory database and a temporary data folder.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kernel, LucentConfig, LucentModule } from "@lucent/core";
import { createLogger, lucent } from "@lucent/core";
import { Elysia } from "elysia";
import { createConfig } from "../src/config.ts";

export interface DocsApp {
  app: Elysia;
  kernel: Kernel;
  /** `app.handle` on `http://localhost<path>`. */
  handle(path: string, init?: RequestInit): Promise<Response>;
  /** Listens on a free loopback port; returns the origin. */
  listen(): string;
  close(): Promise<void>;
}

export interface StartDocsOptions {
  /** Extra modules next to the demo's. */
  modules?: readonly LucentModule[];
}

export async function startDocsDemo(options: StartDocsOptions = {}): Promise<DocsApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "lucent-openapi-"));
  const demoConfig = createConfig();
  const config: LucentConfig = {
    ...demoConfig,
    db: { url: "memory://" },
    dataDir,
    logger: createLogger({ level: Bun.env.LOG_LEVEL ?? "silent" }),
    typegen: { output: false },
    modules: [...(demoConfig.modules ?? []), ...(options.modules ?? [])],
  };
  const app = new Elysia().use(await lucent(config, { handleSignals: false }));
  const kernel = (app.decorator as { lucentKernel: Kernel }).lucentKernel;
  return {
    app: app as unknown as Elysia,
    kernel,
    handle: (path, init) => app.handle(new Request(`http://localhost${path}`, init)),
    listen() {
      app.listen({ port: 0, hostname: "127.0.0.1" });
      return `http://127.0.0.1:${app.server!.port}`;
    },
    async close() {
      if (app.server) await app.stop();
      await kernel.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
