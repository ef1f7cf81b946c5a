/** forgot, reset and verify: the flows that run on a token sent by mail. */
import { type Doc, ValidationError } from "@lucent/core";
import { Elysia } from "elysia";
import { z } from "zod";
import { readBody } from "./body.ts";
import { clearFailures } from "./lockout.ts";
import { mailUser, sendAuthMail } from "./mailer.ts";
import { consumeOneTimeToken, createOneTimeToken } from "./one-time-tokens.ts";
import { findCredentials, normalizeEmail } from "./passwords.ts";
import { type AuthRuntime, inBackground } from "./runtime.ts";

export const RESET_TOKEN_TTL = 3600;

const forgotBody = z.strictObject({ email: z.string().max(320) });
const tokenField = z.string().min(1).max(256);

const badToken = () =>
  new ValidationError(
    [{ path: "token", message: "invalid, used or expired" }],
    "the link is invalid or has expired",
  );

export function recoveryRoutes(rt: AuthRuntime) {
  const { ctx } = rt;
  const slug = rt.collection.slug;
  const passwordField = rt.collection.fieldMap.get("password")!.config;
  const minLength = passwordField.type === "password" ? (passwordField.minLength ?? 8) : 8;
  const resetBody = z.strictObject({
    token: tokenField,
    password: z.string().min(minLength, `must be at least ${minLength} characters`).max(1024),
  });

  return new Elysia({ name: "@lucent/auth/recovery" })
    .post(
      "/auth/forgot",
      async ({ request }) => {
        const { email } = await readBody(request, forgotBody);
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
      { parse: "none" },
    )
    .post(
      "/auth/reset",
      async ({ request }) => {
        // The password is checked before the token is spent, so a too-short one does not burn the link.
        const { token, password } = await readBody(request, resetBody);
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
        await mailUser(rt, { kind: "resetSuccess", user });
        return { ok: true };
      },
      { parse: "none" },
    )
    .post(
      "/auth/verify",
      async ({ request }) => {
        const { token } = await readBody(request, z.strictObject({ token: tokenField }));
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
      { parse: "none" },
    );
}
