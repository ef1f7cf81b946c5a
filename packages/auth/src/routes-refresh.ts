/** `POST /auth/refresh`: a refresh token for a new pair, with reuse detection (CONTRACT §8). */
import { defineRoute, UnauthorizedError } from "@lucent/core";
import { z } from "zod";
import { tokenField } from "./body-fields.ts";
import { tokens } from "./openapi-schemas.ts";
import { consumeRefreshToken, revokeFamily } from "./refresh-tokens.ts";
import { loadUser } from "./resolve-user.ts";
import { announceRevocation } from "./revocations.ts";
import type { AuthRuntime } from "./runtime.ts";
import { issueTokenPair } from "./sign-in.ts";

const refreshBody = z.strictObject({ refreshToken: tokenField });

/** `POST /auth/refresh`, served when the jwt strategy is on. */
export function refreshDefinition(rt: AuthRuntime) {
  const { ctx } = rt;
  return defineRoute({
    method: "POST",
    path: "/auth/refresh",
    operationId: "refreshTokens",
    summary: "Exchange a refresh token for a new pair; reusing a rotated one revokes its family",
    body: refreshBody,
    response: { status: 200, description: "new pair", schema: tokens },
    errors: { 400: "invalid body", 401: "invalid, expired, revoked or reused token" },
    rateLimit: "sensitive",
    async handler({ body: { refreshToken } }) {
      const result = await consumeRefreshToken(ctx.db, refreshToken);
      if (!result.ok) {
        if (result.reason === "reused") {
          ctx.logger.warn("a rotated refresh token was presented again; its family is revoked");
          await announceRevocation(rt, { familyId: result.familyId });
        }
        throw new UnauthorizedError("invalid or expired refresh token");
      }
      if (!(await loadUser(rt, result.owner))) {
        await revokeFamily(ctx.db, result.familyId);
        await announceRevocation(rt, { familyId: result.familyId });
        throw new UnauthorizedError("the account no longer exists");
      }
      return issueTokenPair(rt, result.owner, result.familyId);
    },
  });
}
