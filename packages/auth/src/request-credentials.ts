/**
 * The credential a request signed in with, read from its headers alone, in
 * the order of resolve-user.ts. Collection hooks use it: they run while the
 * write's transaction is open, so they must not query the database, and by
 * then the request has already been authenticated (a bad credential was a 401).
 */
import { verifyAccessToken } from "./jwt.ts";
import { cookiesOf } from "./resolve-user.ts";
import type { AuthRuntime } from "./runtime.ts";
import { SESSION_COOKIE } from "./sessions.ts";

export interface PresentedCredential {
  /** What authenticated the request. */
  via: "jwt" | "apiKey" | "session" | null;
  /** The refresh family of a bearer token, when one came along. */
  familyId?: string;
  /** The raw session token of the cookie, when one came along. */
  sessionToken?: string;
}

export async function presentedCredential(
  rt: AuthRuntime,
  request: Request,
): Promise<PresentedCredential> {
  const { strategies } = rt.options;
  const authorization = strategies.has("jwt") ? request.headers.get("authorization") : null;
  const bearer = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  const claims = bearer ? await verifyAccessToken({ key: rt.jwtKey, token: bearer }) : null;
  const apiKey = strategies.has("apiKey") ? request.headers.get("x-api-key") : null;
  const sessionToken = strategies.has("session") ? cookiesOf(request)[SESSION_COOKIE] : undefined;
  const via =
    authorization !== null ? "jwt" : apiKey !== null ? "apiKey" : sessionToken ? "session" : null;
  return {
    via,
    ...(claims ? { familyId: claims.fid } : {}),
    ...(sessionToken ? { sessionToken } : {}),
  };
}
