/** `lucent(config)`: the Elysia plugin that serves a config's REST API and its modules. */
import { Elysia } from "elysia";
import { createKernel, type Kernel } from "../kernel/kernel-create.ts";
import type { LocalApi } from "../kernel/local-api-types.ts";
import type { LucentSiteConfig } from "../schema/site-config.ts";
import { corsHeaders, preflight } from "./cors.ts";
import { NotFoundError } from "./errors.ts";
import { errorResponse, toLucentError } from "./http-errors.ts";
import { beginRequest, requestState, resolveClientIp } from "./http-request.ts";
import { createRateLimiter } from "./rate-limit.ts";
import { allCollectionRoutes } from "./routes-collections.ts";
import { healthRoutes } from "./routes-health.ts";
import { SECURITY_HEADERS } from "./security-headers.ts";

export interface LucentPluginOptions {
  /** Stop gracefully on SIGTERM and SIGINT: finish requests, drain jobs, close connections. @default true */
  handleSignals?: boolean;
}

let instances = 0;

function stringHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (typeof v === "string") out[k] = v;
  return out;
}

function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  return start === -1 ? "/" : url.slice(start, end === -1 ? undefined : end);
}

/** Builds the kernel, migrates, and returns the plugin; `kernel` is attached for tests and tools. */
export async function lucent(config: LucentSiteConfig, options: LucentPluginOptions = {}) {
  const kernel = await createKernel(config);
  return lucentPlugin(kernel, options);
}

export function lucentPlugin(kernel: Kernel, options: LucentPluginOptions = {}) {
  const { logger } = kernel.ctx;
  const prefix = kernel.config.api.prefix;
  let shuttingDown = false;

  const api = new Elysia({ prefix }).use(healthRoutes(kernel)).use(allCollectionRoutes(kernel));
  for (const { instance } of kernel.modules) {
    if (instance?.routes) api.use(instance.routes);
  }
  // The bare prefix and everything below it that no route claims: 404 in the envelope.
  const noRoute = () => {
    throw new NotFoundError("no such route");
  };
  api.all("", noRoute).all("/*", noRoute);

  const { cors, rateLimit, trustProxy } = kernel.config.api;
  const limiter = rateLimit
    ? createRateLimiter({
        store: kernel.ctx.rateLimitStore,
        options: rateLimit,
        sensitivePaths: new Set(
          kernel.modules.flatMap(({ instance }) =>
            (instance?.sensitiveRoutes ?? []).map((p) => prefix + p),
          ),
        ),
        exempt: new Set([`${prefix}/health`]),
      })
    : undefined;

  const app = new Elysia({ name: "@lucent/core", seed: ++instances })
    .decorate("lucentKernel", kernel)
    .onRequest(({ request, set, server }) => {
      const socket = server?.requestIP(request)?.address;
      const state = beginRequest(request, logger, resolveClientIp({ request, socket, trustProxy }));
      set.headers["x-request-id"] = state.id;
      Object.assign(
        set.headers,
        SECURITY_HEADERS,
        corsHeaders(cors, request.headers.get("origin")),
      );
      const path = pathOf(request.url);
      if (!path.startsWith(prefix)) return;
      if (request.method === "OPTIONS") {
        const res = preflight(cors, request);
        res.headers.set("x-request-id", state.id);
        return res;
      }
    })
    // After routing and before any body is read (routes that take one read it themselves):
    // the limit follows the route the router matched, however the path was spelled.
    .onTransform(async ({ request, route, params, set }) => {
      if (!limiter) return;
      const state = requestState(request) ?? beginRequest(request, logger);
      const path = route.replace(/:(\w+)/g, (name, key: string) => {
        const value = (params as Record<string, string | undefined>)[key];
        return value === undefined ? name : value;
      });
      Object.assign(set.headers, await limiter.check({ request, ip: state.ip, path, route }));
    })
    .onError(({ error, code, request, set }) => {
      const state = requestState(request) ?? beginRequest(request, logger);
      const lucentError = toLucentError(error, code, state.logger);
      // Elysia appends `set-cookie` from `set.headers` to this Response itself: copying it
      // here too would send every cookie twice.
      const { "set-cookie": _appendedByElysia, ...headers } = stringHeaders(set.headers);
      return errorResponse(lucentError, state.id, { ...headers, "x-request-id": state.id });
    })
    .onAfterResponse(({ request, set }) => {
      const state = requestState(request);
      if (!state) return;
      state.logger.info(
        {
          method: request.method,
          path: pathOf(request.url),
          ip: state.ip,
          status: set.status,
          ms: Math.round(performance.now() - state.start),
        },
        "request",
      );
    })
    .use(api)
    // Registered after Lucent's routes, so it reaches only the app's own (Lucent's
    // routes resolve the caller where they need it, and keep their answers).
    // The app's routes get the caller and the Local API, typed: `({ user, lucent }) => …`,
    // resolved once per request and shared with Lucent's routes.
    .resolve({ as: "global" }, async ({ request }) => ({
      user: await kernel.ctx.resolveCaller(request),
      lucent: kernel.lucent as unknown as LocalApi,
    }))
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
