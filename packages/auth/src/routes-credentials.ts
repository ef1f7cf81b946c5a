/** register, login, refresh, me and logout (CONTRACT §8). */
import { LucentError, UnauthorizedError } from "@lucent/core";
import { Elysia } from "elysia";
import { z } from "zod";
import { readBody, readJsonObject } from "./body.ts";
import { refuseCrossSite } from "./csrf.ts";
import { clearFailures, lockedFor, recordFailure } from "./lockout.ts";
import { mailUser } from "./mailer.ts";
import { createOneTimeToken } from "./one-time-tokens.ts";
import { checkPassword, findCredentials, normalizeEmail } from "./passwords.ts";
import { consumeRefreshToken, revokeFamily, revokeFamilyOf } from "./refresh-tokens.ts";
import { callerOf, cookiesOf, loadUser, requireCaller } from "./resolve-user.ts";
import type { AuthRuntime } from "./runtime.ts";
import { revokeSession, SESSION_COOKIE } from "./sessions.ts";
import { issueTokenPair, selfView, sessionCookieFor, signIn } from "./sign-in.ts";

export const VERIFY_TOKEN_TTL = 24 * 3600;

const loginBody = z.strictObject({ email: z.string().max(320), password: z.string().max(1024) });
const refreshBody = z.strictObject({ refreshToken: z.string().min(1).max(256) });
const logoutBody = z.strictObject({ refreshToken: z.string().min(1).max(256).optional() });

/**
 * Registration writes with overrideAccess, so it works whatever the
 * collection's own `create` rule says (often "admins only" for the REST
 * route), after dropping every field whose field-level `create` access
 * denies an anonymous caller: a newcomer can set `name`, never `role`.
 */
async function registrationData(
  rt: AuthRuntime,
  request: Request,
): Promise<Record<string, unknown>> {
  const body = await readJsonObject(request);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    const rule = rt.collection.fieldMap.get(name)?.config.access?.create;
    if (rule && (await rule({ user: null, req: request, data: body })) !== true) continue;
    out[name] = value;
  }
  return out;
}

export function credentialRoutes(rt: AuthRuntime) {
  const { ctx, options } = rt;
  const slug = rt.collection.slug;
  const policy = { attempts: options.lockoutAttempts, windowSeconds: options.lockoutWindow };

  const app = new Elysia({ name: "@lucent/auth/credentials" })
    .post(
      "/auth/register",
      async ({ request, set }) => {
        refuseCrossSite(request, ctx.config.api.cors, "signing up");
        const data = await registrationData(rt, request);
        const created = await ctx.lucent.create({
          collection: slug,
          data,
          overrideAccess: true,
          req: request,
        });
        const owner = { userId: created.id, collection: slug };
        const user = await selfView(rt, created.id);
        set.status = 201;
        if (options.verify) {
          const token = await createOneTimeToken(ctx.db, {
            ...owner,
            purpose: "verify",
            ttlSeconds: VERIFY_TOKEN_TTL,
            email: String(created.email),
          });
          await mailUser(rt, { kind: "verify", user: created, token });
          return { user };
        }
        if (options.mail.welcome) await mailUser(rt, { kind: "welcome", user: created });
        const session = await signIn(rt, owner);
        if (session.cookie) set.headers["set-cookie"] = session.cookie;
        return { user, ...session.tokens };
      },
      { parse: "none" },
    )
    .post(
      "/auth/login",
      async ({ request, set }) => {
        // Login CSRF: a foreign page must not sign the browser in to an account of its choosing.
        refuseCrossSite(request, ctx.config.api.cors, "signing in");
        const body = await readBody(request, loginBody);
        const account = normalizeEmail(body.email);
        const locked = await lockedFor(ctx.db, account);
        if (locked > 0) {
          throw new LucentError("ACCOUNT_LOCKED", "too many failed logins; try again later", {
            headers: { "retry-after": String(locked) },
          });
        }
        // Known or not, the email costs one lookup and one argon2 verification: the same time and the same answer.
        const stored = await findCredentials(rt, account);
        const ok = await checkPassword(rt, body.password, stored);
        if (!ok || !stored) {
          if (await recordFailure(ctx.db, account, policy))
            ctx.logger.warn("an account was locked after repeated failed logins");
          throw new UnauthorizedError("invalid email or password");
        }
        await clearFailures(ctx.db, account);
        if (options.verify && !stored.emailVerified) {
          throw new LucentError(
            "EMAIL_NOT_VERIFIED",
            "confirm your email address before signing in",
          );
        }
        const owner = { userId: stored.id, collection: slug };
        const session = await signIn(rt, owner);
        if (session.cookie) set.headers["set-cookie"] = session.cookie;
        return { user: await selfView(rt, stored.id), ...session.tokens };
      },
      { parse: "none" },
    )
    .get("/auth/me", async ({ request }) => {
      const caller = await requireCaller(rt, request);
      return { user: await selfView(rt, caller.user.id) };
    })
    .post(
      "/auth/logout",
      async ({ request, set }) => {
        const cookies = cookiesOf(request);
        const caller = await callerOf(rt, { request, cookies });
        const { refreshToken } = await readBody(request, logoutBody);
        // A cookie whose session already ended still gets cleared: that is what the browser needs.
        if (!caller && !refreshToken && !cookies[SESSION_COOKIE])
          throw new UnauthorizedError("sign in first");
        const { sessionToken, familyId } = caller?.credentials ?? {};
        if (sessionToken) await revokeSession(rt.sessions, sessionToken);
        if (familyId) await revokeFamily(ctx.db, familyId);
        if (refreshToken) await revokeFamilyOf(ctx.db, refreshToken);
        if (options.strategies.has("session"))
          set.headers["set-cookie"] = sessionCookieFor(rt, null);
        return { ok: true };
      },
      { parse: "none" },
    );

  if (!options.strategies.has("jwt")) return app;
  return app.post(
    "/auth/refresh",
    async ({ request }) => {
      const { refreshToken } = await readBody(request, refreshBody);
      const result = await consumeRefreshToken(ctx.db, refreshToken);
      if (!result.ok) {
        if (result.reason === "reused")
          ctx.logger.warn("a rotated refresh token was presented again; its family is revoked");
        throw new UnauthorizedError("invalid or expired refresh token");
      }
      if (!(await loadUser(rt, result.owner))) {
        await revokeFamily(ctx.db, result.familyId);
        throw new UnauthorizedError("the account no longer exists");
      }
      return issueTokenPair(rt, result.owner, result.familyId);
    },
    { parse: "none" },
  );
}
