/** `lucent(config)`: the Elysia plugin that serves a config's REST API and its modules. */
import { Elysia } from "elysia";
import type { LucentConfig } from "./config.ts";
import { NotFoundError } from "./errors.ts";
import { errorResponse, toLucentError } from "./http-errors.ts";
import { beginRequest, requestState } from "./http-request.ts";
import { createKernel, type Kernel } from "./kernel-create.ts";
import { allCollectionRoutes } from "./routes-collections.ts";
import { healthRoutes } from "./routes-health.ts";
import { SECURITY_HEADERS } from "./security-headers.ts";

export interface LucentPluginOptions {
  /** Stop gracefully on SIGTERM and SIGINT: finish requests, drain jobs, close connections. @default true */
  handleSignals?: boolean;
}

let instances = 0;

/** Builds the kernel, migrates, and returns the plugin; `kernel` is attached for tests and tools. */
export async function lucent(config: LucentConfig, options: LucentPluginOptions = {}) {
  const kernel = await createKernel(config);
  return lucentPlugin(kernel, options);
}

export function lucentPlugin(kernel: Kernel, options: LucentPluginOptions = {}) {
  const { logger } = kernel.ctx;
  const prefix = kernel.config.api.prefix;
  let shuttingDown = false;

  const api = new Elysia({ prefix })
    .use(healthRoutes(kernel))
    .use(allCollectionRoutes(kernel));
  for (const module of kernel.modules) {
    if (module.routes) api.use(module.routes(kernel.ctx));
  }
  api.all("/*", () => {
    throw new NotFoundError("no such route");
  });

  const app = new Elysia({ name: "@lucent/core", seed: ++instances })
    .decorate("lucentKernel", kernel)
    .onRequest(({ request, set }) => {
      const state = beginRequest(request, logger);
      set.headers["x-request-id"] = state.id;
      Object.assign(set.headers, SECURITY_HEADERS);
    })
    .onError(({ error, code, request, set }) => {
      const state = requestState(request) ?? beginRequest(request, logger);
      const lucentError = toLucentError(error, code, state.logger);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(set.headers)) if (typeof v === "string") headers[k] = v;
      headers["x-request-id"] = state.id;
      return errorResponse(lucentError, state.id, headers);
    })
    .onAfterResponse(({ request, set }) => {
      const state = requestState(request);
      if (!state) return;
      const url = new URL(request.url);
      state.logger.info(
        { method: request.method, path: url.pathname, status: set.status, ms: Math.round(performance.now() - state.start) },
        "request",
      );
    })
    .use(api)
    .onStart(async ({ server }) => {
      await kernel.start();
      if (options.handleSignals === false) return;
      const shutdown = async (signal: string) => {
        if (shuttingDown) return;
        shuttingDown = true;
        logger.info({ signal }, "shutting down");
        await server?.stop();
        await kernel.stop();
        process.exit(0);
      };
      process.once("SIGTERM", () => void shutdown("SIGTERM"));
      process.once("SIGINT", () => void shutdown("SIGINT"));
    })
    .onStop(async () => {
      await kernel.stop();
    });
  return app;
}
