/**
 * The credentials a connection was opened with, kept so they can be
 * checked again while it is open (CONTRACT §9: expired or revoked
 * credentials end the connection). Only the headers the caller resolvers
 * read are kept.
 */

export type Credentials = Readonly<Record<string, string>>;

const CREDENTIAL_HEADERS = ["authorization", "x-api-key", "cookie"] as const;

/** The credential headers of a request; null when it carries none. */
export function credentialsOf(request: Request): Credentials | null {
  const out: Record<string, string> = {};
  for (const name of CREDENTIAL_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) out[name] = value;
  }
  return Object.keys(out).length ? out : null;
}

/** A fresh request carrying `credentials`, for the kernel's caller resolver. */
export function requestWith(credentials: Credentials | null): Request {
  return new Request("http://localhost/", { headers: credentials ?? {} });
}

/**
 * When a bearer JWT in `credentials` expires (ms since epoch), read without
 * verifying: it only schedules the next check, which verifies.
 */
export function bearerExpiry(credentials: Credentials | null): number | null {
  const match = /^Bearer\s+[^.\s]+\.([^.\s]+)\.[^.\s]+\s*$/i.exec(credentials?.authorization ?? "");
  if (!match) return null;
  try {
    const claims = JSON.parse(Buffer.from(match[1]!, "base64url").toString("utf8")) as {
      exp?: unknown;
    };
    return typeof claims.exp === "number" && Number.isFinite(claims.exp) ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * A browser sends cookies with a WebSocket upgrade from any page, and no
 * CORS check applies to it: a connection carried by the session cookie
 * alone must come from the app's own origin or an allowed one (as
 * cookie-authenticated writes must, CONTRACT §8). True when it may not.
 */
export function crossSiteCookie(
  request: Request,
  credentials: Credentials | null,
  allowed: (origin: string, self: string) => boolean,
): boolean {
  if (!credentials?.cookie || credentials.authorization || credentials["x-api-key"]) return false;
  const origin = request.headers.get("origin");
  if (origin !== null) return !allowed(origin, new URL(request.url).origin);
  return request.headers.get("sec-fetch-site") === "cross-site";
}
