/** CORS from config: allowed origins only, credentials only with listed origins (checked at startup). */
import type { CorsOptions } from "../schema/config.ts";

const ALLOWED_HEADERS =
  "content-type, authorization, x-api-key, x-request-id, if-none-match, last-event-id";
const METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
const EXPOSED =
  "x-request-id, etag, ratelimit-limit, ratelimit-remaining, ratelimit-reset, retry-after";

export function corsHeaders(
  cors: CorsOptions | undefined,
  origin: string | null,
): Record<string, string> {
  if (!cors || !origin) return {};
  const any = cors.origin === "*";
  if (!any && !cors.origin.includes(origin)) return { vary: "Origin" };
  return {
    "access-control-allow-origin": any ? "*" : origin,
    ...(cors.credentials ? { "access-control-allow-credentials": "true" } : {}),
    "access-control-expose-headers": EXPOSED,
    vary: "Origin",
  };
}

/** The answer to a preflight request. */
export function preflight(cors: CorsOptions | undefined, request: Request): Response {
  const headers = corsHeaders(cors, request.headers.get("origin"));
  if (headers["access-control-allow-origin"]) {
    headers["access-control-allow-methods"] = METHODS;
    headers["access-control-allow-headers"] = ALLOWED_HEADERS;
    headers["access-control-max-age"] = "600";
  }
  return new Response(null, { status: 204, headers });
}

/** Origins a cookie-authenticated write may come from: the app's own and the allowed CORS ones. */
export function isAllowedOrigin(
  cors: CorsOptions | undefined,
  origin: string,
  self: string,
): boolean {
  if (origin === self) return true;
  if (!cors || cors.origin === "*") return false;
  return cors.origin.includes(origin);
}
