/** `lucent.auth`: the module's Local API, for server code, scripts and tests. */
import { type ApiKeyInfo, createApiKey, revokeUserApiKeys } from "./api-keys.ts";
import { type AccessClaims, verifyAccessToken } from "./jwt.ts";
import { revokeUserFamilies } from "./refresh-tokens.ts";
import { announceRevocation } from "./revocations.ts";
import type { AuthRuntime } from "./runtime.ts";
import { revokeUserSessions } from "./sessions.ts";
import { issueTokenPair, type TokenPair } from "./sign-in.ts";

export interface AuthApi {
  /** The claims of a valid access token, or null. */
  verifyAccessToken(token: string): Promise<AccessClaims | null>;
  /** Signs a user in from server code: a new refresh family and an access token. */
  issueTokens(input: { userId: string }): Promise<TokenPair>;
  /** Creates an API key for a user; the key is in the result only. */
  createApiKey(input: { userId: string; name: string }): Promise<ApiKeyInfo & { key: string }>;
  /** Ends every session, refresh family and API key of a user (an admin's "sign out everywhere"). */
  revokeAll(input: { userId: string }): Promise<void>;
}

export function createAuthApi(rt: AuthRuntime): AuthApi {
  return {
    verifyAccessToken: (token) => verifyAccessToken({ key: rt.jwtKey, token }),
    issueTokens: ({ userId }) => issueTokenPair(rt, { userId, collection: rt.collection.slug }),
    createApiKey: ({ userId, name }) =>
      createApiKey(rt.ctx.db, { userId, collection: rt.collection.slug, name }),
    async revokeAll({ userId }) {
      await revokeUserSessions(rt.sessions, userId);
      await revokeUserFamilies(rt.ctx.db, userId);
      await revokeUserApiKeys(rt.ctx.db, userId);
      await announceRevocation(rt, { userId });
    },
  };
}
