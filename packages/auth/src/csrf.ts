/**
 * Cross-site request forgery guard for cookie sessions (CONTRACT §8): a
 * state-changing request carried by the cookie alone must come from the
 * app's own origin or an allowed CORS origin. Browsers always send one of
 * `Origin` or `Sec-Fetch-Site` on such requests; a client sending neither
 * is not a browser, so no third-party page can be riding its cookie.
 */
import { type CorsOptions, isAllowedOrigin } from "@lucent/core";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function crossSiteRefusal(request: Request, cors: CorsOptions | undefined): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const origin = request.headers.get("origin");
  if (origin !== null) {
    if (isAllowedOrigin(cors, origin, new URL(request.url).origin)) return null;
    return `requests from ${origin} may not use the session cookie`;
  }
  if (request.headers.get("sec-fetch-site") === "cross-site")
    return "cross-site requests may not use the session cookie";
  return null;
}
