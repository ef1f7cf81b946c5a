/** What a successful sign-in (register, login, OAuth, refresh) hands out. */
import type { Doc, LucentUser } from "@lucent/core";
import { signAccessToken } from "./jwt.ts";
import { issueRefreshToken } from "./refresh-tokens.ts";
import type { AuthRuntime } from "./runtime.ts";
import { createSession, type SessionOwner, sessionCookie } from "./sessions.ts";

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface SignIn {
  /** Present when the jwt strategy is on. */
  tokens?: TokenPair;
  /** A `Set-Cookie` value, when the session strategy is on. */
  cookie?: string;
}

/** An access token and a refresh token in `familyId` (a new family when omitted). */
export async function issueTokenPair(
  rt: AuthRuntime,
  owner: SessionOwner,
  familyId?: string,
): Promise<TokenPair> {
  const refresh = await issueRefreshToken(rt.ctx.db, {
    ...owner,
    ttlSeconds: rt.options.refreshTokenTtl,
    ...(familyId ? { familyId } : {}),
  });
  const accessToken = await signAccessToken({
    key: rt.jwtKey,
    claims: { sub: owner.userId, col: owner.collection, fid: refresh.familyId },
    ttlSeconds: rt.options.accessTokenTtl,
  });
  return { accessToken, refreshToken: refresh.token, expiresIn: rt.options.accessTokenTtl };
}

export function sessionCookieFor(rt: AuthRuntime, token: string | null): string {
  return sessionCookie({
    token,
    maxAgeSeconds: rt.options.sessionMaxAge,
    secure: rt.ctx.production,
    path: "/",
  });
}

export async function signIn(rt: AuthRuntime, owner: SessionOwner): Promise<SignIn> {
  const out: SignIn = {};
  if (rt.options.strategies.has("jwt")) out.tokens = await issueTokenPair(rt, owner);
  if (rt.options.strategies.has("session")) {
    out.cookie = sessionCookieFor(
      rt,
      await createSession(rt.sessions, owner, rt.options.sessionIdleTtl),
    );
  }
  return out;
}

/**
 * The user as they may see themselves: their own read access applies, so a
 * field hidden from them (an admin's note) stays hidden in `me` and login.
 */
/** `caller`: the user as the request's credentials already loaded them, saving a read. */
export async function selfView(rt: AuthRuntime, userId: string, caller?: LucentUser): Promise<Doc> {
  const { lucent } = rt.ctx;
  const collection = rt.collection.slug;
  const doc =
    caller?.id === userId
      ? caller
      : await lucent.findById({ collection, id: userId, overrideAccess: true });
  const self: LucentUser = { ...doc, id: doc.id, collection };
  try {
    return await lucent.findById({ collection, id: userId, user: self });
  } catch {
    // A collection whose read rule hides users from themselves still tells them who they are.
    return { id: doc.id, email: doc.email };
  }
}
