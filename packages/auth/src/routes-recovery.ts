/** forgot, reset and verify: the flows that run on a token sent by mail. */

import { type Doc, defineRoute, ValidationError } from "@lucent/core";
import { z } from "zod";
import { tellAuthEvent } from "./auth-events.ts";
import { emailField, newPasswordField, tokenField } from "./body-fields.ts";
import { clearFailures } from "./lockout.ts";
import { mailUser, sendAuthMail } from "./mailer.ts";
import { consumeOneTimeToken, createOneTimeToken } from "./one-time-tokens.ts";
import { ok } from "./openapi-schemas.ts";
import { findCredentials, normalizeEmail } from "./passwords.ts";
import { type AuthRuntime, inBackground } from "./runtime.ts";

export const RESET_TOKEN_TTL = 3600;

const forgotBody = z.strictObject({ email: emailField });
const verifyBody = z.strictObject({ token: tokenField });

const badToken = () =>
  new ValidationError(
    [{ path: "token", message: "invalid, used or expired" }],
    "the link is invalid or has expired",
  );

export function recoveryDefinitions(rt: AuthRuntime) {
  const { ctx } = rt;
  const slug = rt.collection.slug;
  // The password is checked before the token is spent, so a too-short one does not burn the link.
  const resetBody = z.strictObject({ token: tokenField, password: newPasswordField(rt) });

  const forgot = defineRoute({
    method: "POST",
    path: "/auth/forgot",
    operationId: "forgotPassword",
    summary: "Mail a password-reset link (200 whether or not the email exists)",
    body: forgotBody,
    response: { status: 200, description: "accepted", schema: ok },
    errors: { 400: "invalid body" },
    rateLimit: "sensitive",
    handler({ body: { email } }) {
      // The lookup, the token and the mail run after the answer, so neither the
      // answer nor its timing tells whether the address has an account.
      inBackground(rt, async () => {
        const stored = await findCredentials(rt, normalizeEmail(email));
        if (!stored) return;
        const user = await ctx.lucent.findById({
          collection: slug,
          id: stored.id,
          overrideAccess: true,
        });
        const token = await createOneTimeToken(ctx.db, {
          userId: stored.id,
          collection: slug,
          purpose: "reset",
          ttlSeconds: RESET_TOKEN_TTL,
        });
        await sendAuthMail(rt, { kind: "forgot", user, token });
      });
      return { ok: true };
    },
  });

  const reset = defineRoute({
    method: "POST",
    path: "/auth/reset",
    operationId: "resetPassword",
    summary: "Set a new password with a reset token; other sessions end",
    body: resetBody,
    response: { status: 200, description: "password changed", schema: ok },
    errors: { 400: "invalid body, or an invalid, used or expired token" },
    rateLimit: "sensitive",
    async handler({ request, body: { token, password } }) {
      const owner = await consumeOneTimeToken(ctx.db, { token, purposes: ["reset"] });
      if (!owner || owner.collection !== slug) throw badToken();
      // No `req`: the change is the server's, not the caller's, so the collection's hook
      // keeps no session of this request and revokes every session, refresh family and API key.
      const user: Doc = await ctx.lucent.update({
        collection: slug,
        id: owner.userId,
        data: { password },
        overrideAccess: true,
      });
      await clearFailures(ctx.db, normalizeEmail(String(user.email ?? "")));
      // The token's holder proved to be the account's owner: the reset is theirs.
      await tellAuthEvent(rt, request, {
        type: "password_reset",
        user: { id: owner.userId, collection: slug },
      });
      await mailUser(rt, { kind: "resetSuccess", user });
      return { ok: true };
    },
  });

  const verify = defineRoute({
    method: "POST",
    path: "/auth/verify",
    operationId: "verifyEmail",
    summary: "Confirm an email address with a verification token",
    body: verifyBody,
    response: { status: 200, description: "verified", schema: ok },
    errors: { 400: "invalid, used or expired token" },
    rateLimit: "sensitive",
    async handler({ body: { token } }) {
      const owner = await consumeOneTimeToken(ctx.db, {
        token,
        purposes: ["verify", "email-change"],
      });
      if (!owner || owner.collection !== slug) throw badToken();
      // The link verifies the address it was sent to, in the same write that marks it
      // verified: an address changed in between is not verified by a link it never got.
      const data = rt.collection.fieldMap.has("emailVerified")
        ? { emailVerified: true, ...(owner.email ? { email: owner.email } : {}) }
        : {};
      const user = await ctx.lucent.update({
        collection: slug,
        id: owner.userId,
        data,
        overrideAccess: true,
      });
      if (rt.options.mail.welcome && owner.purpose === "verify")
        await mailUser(rt, { kind: "welcome", user });
      return { ok: true };
    },
  });

  return [forgot, reset, verify];
}
