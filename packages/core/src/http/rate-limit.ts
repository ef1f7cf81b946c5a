/**
 * Per-client rate limits with `RateLimit-*` headers and 429 + `Retry-After`.
 * Routes a module marks sensitive get their own, tighter budget. A request is
 * judged by the route the router matched, not by how its path was spelled:
 * `/auth/login/` runs the login handler, so it spends the login budget.
 */
import type { RateLimitStore } from "../drivers/drivers.ts";
import { LucentError } from "./errors.ts";

export interface RateLimitOptions {
  /** Requests per window per client IP on API routes. @default RATE_LIMIT_API or 1000 */
  api?: number;
  /** Requests per window per client IP on sensitive routes. @default RATE_LIMIT_AUTH or 60 */
  sensitive?: number;
  /** @default 60000 (one minute) */
  windowMs?: number;
  /** Prefixes counter keys, so apps sharing one Redis keep separate counts. @default "" */
  keyPrefix?: string;
  /**
   * Who a request counts against: a stable string per client (a tenant, an
   * API key's id...). `ip` is the client IP as `api.trustProxy` reads it.
   * @default the client IP
   */
  key?: (input: { request: Request; ip: string }) => string | Promise<string>;
}

/** The request as the limiter judges it: who sent it, and which route the router matched. */
export interface RateLimitInput {
  request: Request;
  /** The client IP (`api.trustProxy` applied). */
  ip: string;
  /** The matched route with its parameters filled in (`/api/auth/oauth/github`). */
  path: string;
  /** The matched route as declared (`/api/auth/oauth/:provider`). */
  route: string;
}

export interface RateLimiter {
  /** Counts the request; throws a 429 LucentError past the limit; returns the headers to send. */
  check(input: RateLimitInput): Promise<Record<string, string>>;
}

function envNumber(name: string, fallback: number): number {
  const raw = Bun.env[name];
  const n = raw ? Number(raw) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function createRateLimiter(input: {
  store: RateLimitStore;
  options: RateLimitOptions;
  /** Full paths (prefix included), concrete or as declared routes, with the sensitive budget. */
  sensitivePaths: ReadonlySet<string>;
  /** Routes that are never limited (health checks). */
  exempt: ReadonlySet<string>;
}): RateLimiter {
  const windowMs = input.options.windowMs ?? 60_000;
  const apiLimit = input.options.api ?? envNumber("RATE_LIMIT_API", 1000);
  const sensitiveLimit = input.options.sensitive ?? envNumber("RATE_LIMIT_AUTH", 60);
  return {
    async check({ request, ip, path, route }) {
      if (input.exempt.has(route)) return {};
      const sensitive = input.sensitivePaths.has(route) || input.sensitivePaths.has(path);
      const limit = sensitive ? sensitiveLimit : apiLimit;
      const client = input.options.key ? await input.options.key({ request, ip }) : ip;
      const { count, resetAt } = await input.store.hit(
        `${input.options.keyPrefix ?? ""}${sensitive ? "s" : "a"}:${client}`,
        windowMs,
      );
      const reset = Math.max(0, Math.ceil((resetAt - Date.now()) / 1000));
      const headers = {
        "ratelimit-limit": String(limit),
        "ratelimit-remaining": String(Math.max(0, limit - count)),
        "ratelimit-reset": String(reset),
      };
      if (count > limit) {
        throw new LucentError("RATE_LIMITED", "too many requests; retry later", {
          headers: { ...headers, "retry-after": String(Math.max(1, reset)) },
        });
      }
      return headers;
    },
  };
}
