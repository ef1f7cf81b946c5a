/**
 * Cross-site request forgery guard (CONTRACT §8): a state-changing request
 * carried by the session cookie, and every sign-in (login, register), must
 * come from the app's own origin or an allowed CORS origin. Browsers always
 * send one of `Origin` or `Sec-Fetch-Site` on such requests; a client sending
 * neither is not a browser, so no third-party page can be behind it.
 */
import { type CorsOptions, ForbiddenError, isAllowedOrigin } from "@lucent/core";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Where a cross-site state-changing request comes from, or null when it is not one. */
export function crossSiteSource(request: Request, cors: CorsOptions | undefined): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const origin = request.headers.get("origin");
  if (origin !== null) {
    return isAllowedOrigin(cors, origin, new URL(request.url).origin) ? null : origin;
  }
  return request.headers.get("sec-fetch-site") === "cross-site" ? "a cross-site page" : null;
}

/** 403 when `request` is cross-site; `what` names what it tried ("the session cookie", "signing in"). */
export function refuseCrossSite(
  request: Request,
  cors: CorsOptions | undefined,
  what: string,
): void {
  const source = crossSiteSource(request, cors);
  if (source !== null) throw new ForbiddenError(`${what} is refused from ${source}`);
}
