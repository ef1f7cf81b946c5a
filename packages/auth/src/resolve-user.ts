/**
 * Who is calling: the credentials of CONTRACT §8, tried in order (Bearer JWT,
 * `x-api-key`, the session cookie), each only when its strategy is on. A
 * bearer token or API key that is present but invalid is a 401, not an
 * anonymous call, so a client with a stale token learns it at once. A session
 * cookie that no longer works is different: the browser sends it by itself
 * and only a response can remove it, so the call is anonymous and the
 * response clears the cookie.
 */
import type { LucentUser } from "@lucent/core";
import { parseCookies, UnauthorizedError } from "@lucent/core";
import { useApiKey } from "./api-keys.ts";
import { refuseCrossSite } from "./csrf.ts";
import { verifyAccessToken } from "./jwt.ts";
import { familyIsLive } from "./refresh-tokens.ts";
import { setResponseHeader } from "./response-headers.ts";
import type { AuthRuntime } from "./runtime.ts";
import { SESSION_COOKIE, type SessionOwner, useSession } from "./sessions.ts";
import { sessionCookieFor } from "./sign-in.ts";

export interface Credentials {
  owner: SessionOwner;
  via: "jwt" | "apiKey" | "session";
  /** The refresh family of a JWT. */
  familyId?: string;
  /** The raw session token of a cookie session. */
  sessionToken?: string;
  /** The user, when it was loaded while the credentials were checked. */
  user?: LucentUser | null;
}

export interface CallerInput {
  request: Request;
  cookies: Record<string, string>;
}

function bearerOf(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthorizedError("the Authorization header must be `Bearer <token>`");
  return match[1]!;
}

export async function readCredentials(
  rt: AuthRuntime,
  input: CallerInput,
): Promise<Credentials | null> {
  const { strategies } = rt.options;
  const { db } = rt.ctx;
  if (strategies.has("jwt")) {
    const token = bearerOf(input.request);
    if (token !== null) {
      const claims = await verifyAccessToken({ key: rt.jwtKey, token });
      if (!claims || claims.col !== rt.collection.slug) {
        throw new UnauthorizedError("invalid or expired access token");
      }
      const owner = { userId: claims.sub, collection: claims.col };
      // Usually answered from what this instance knows (caller-cache.ts); otherwise the two
      // lookups are independent: one round trip's wait, not two.
      const [live, user] = await Promise.all([
        rt.callers.familyLive(claims.fid, owner.userId, () => familyIsLive(db, claims.fid)),
        rt.callers.user(owner.userId, () => loadUser(rt, owner)),
      ]);
      if (!live) throw new UnauthorizedError("invalid or expired access token");
      return { owner, via: "jwt", familyId: claims.fid, user };
    }
  }
  if (strategies.has("apiKey")) {
    const key = input.request.headers.get("x-api-key");
    if (key !== null) {
      const owner = await useApiKey(db, key.trim());
      if (!owner) throw new UnauthorizedError("invalid or revoked API key");
      return { owner, via: "apiKey" };
    }
  }
  if (strategies.has("session")) {
    const token = input.cookies[SESSION_COOKIE];
    if (token) {
      refuseCrossSite(input.request, rt.ctx.config.api.cors, "the session cookie");
      const session = await liveSession(rt, token);
      if (session) return session;
      setResponseHeader(input.request, "set-cookie", sessionCookieFor(rt, null));
    }
  }
  return null;
}

/** The credentials of a session that is live and whose user still exists, or null. */
async function liveSession(rt: AuthRuntime, token: string): Promise<Credentials | null> {
  const owner = await useSession(rt.sessions, token, {
    idleSeconds: rt.options.sessionIdleTtl,
    maxAgeSeconds: rt.options.sessionMaxAge,
  });
  if (!owner) return null;
  const user = await loadUser(rt, owner);
  return user ? { owner, via: "session", sessionToken: token, user } : null;
}

/** The user document behind credentials, as access rules see it (every field but the password). */
export async function loadUser(rt: AuthRuntime, owner: SessionOwner): Promise<LucentUser | null> {
  if (owner.collection !== rt.collection.slug) return null;
  try {
    const doc = await rt.ctx.lucent.findById({
      collection: owner.collection,
      id: owner.userId,
      overrideAccess: true,
    });
    return { ...doc, id: doc.id, collection: owner.collection };
  } catch {
    return null;
  }
}

export interface Caller {
  user: LucentUser;
  credentials: Credentials;
}

const callers = new WeakMap<Request, Promise<Caller | null>>();

/** The caller of a request, resolved once per request (core's routes and ours share it). */
export function callerOf(rt: AuthRuntime, input: CallerInput): Promise<Caller | null> {
  let caller = callers.get(input.request);
  if (!caller) {
    caller = (async () => {
      const credentials = await readCredentials(rt, input);
      if (!credentials) return null;
      const user =
        credentials.user !== undefined ? credentials.user : await loadUser(rt, credentials.owner);
      // A deleted user's credentials are as bad as forged ones.
      if (!user) throw new UnauthorizedError("the account no longer exists");
      return { user, credentials };
    })();
    callers.set(input.request, caller);
  }
  return caller;
}

/** The request's cookies, parsed as core parses them for resolvers. */
export function cookiesOf(request: Request): Record<string, string> {
  return parseCookies(request.headers.get("cookie"));
}

/** The caller of one of our routes, or a 401. */
export async function requireCaller(rt: AuthRuntime, request: Request): Promise<Caller> {
  const caller = await callerOf(rt, { request, cookies: cookiesOf(request) });
  if (!caller) throw new UnauthorizedError("sign in first");
  return caller;
}
