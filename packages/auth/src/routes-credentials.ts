/** register, login, me and logout (CONTRACT §8). */
import { defineRoute, LucentError, UnauthorizedError } from "@lucent/core";
import { z } from "zod";
import { tellAuthEvent } from "./auth-events.ts";
import { emailField, passwordMinLength, tokenField } from "./body-fields.ts";
import { refuseCrossSite } from "./csrf.ts";
import { clearFailures, lockedFor, recordFailure } from "./lockout.ts";
import { mailUser } from "./mailer.ts";
import { createOneTimeToken } from "./one-time-tokens.ts";
import { obj, ok, signedIn, string, userSchema } from "./openapi-schemas.ts";
import { checkPassword, findCredentials, normalizeEmail } from "./passwords.ts";
import { revokeFamily, revokeFamilyOf } from "./refresh-tokens.ts";
import { callerOf, cookiesOf, requireCaller } from "./resolve-user.ts";
import { announceRevocation } from "./revocations.ts";
import type { AuthRuntime } from "./runtime.ts";
import { revokeSession, SESSION_COOKIE } from "./sessions.ts";
import { selfView, sessionCookieFor, signIn } from "./sign-in.ts";

export const VERIFY_TOKEN_TTL = 24 * 3600;

const loginBody = z.strictObject({ email: emailField, password: z.string().max(1024) });
const logoutBody = z.strictObject({ refreshToken: tokenField.optional() });
const invalidBody = "invalid body, or not application/json (VALIDATION_ERROR)";

/**
 * Registration writes with overrideAccess, so it works whatever the
 * collection's own `create` rule says (often "admins only" for the REST
 * route), after dropping every field whose field-level `create` access
 * denies an anonymous caller: a newcomer can set `name`, never `role`.
 */
async function registrationData(
  rt: AuthRuntime,
  request: Request,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    const rule = rt.collection.fieldMap.get(name)?.config.access?.create;
    if (rule && (await rule({ user: null, req: request, data: body })) !== true) continue;
    out[name] = value;
  }
  return out;
}

/** register, login, me and logout. */
export function credentialDefinitions(rt: AuthRuntime) {
  const { ctx, options } = rt;
  const slug = rt.collection.slug;
  const policy = { attempts: options.lockoutAttempts, windowSeconds: options.lockoutWindow };

  const register = defineRoute({
    method: "POST",
    path: "/auth/register",
    operationId: "register",
    summary: "Create an account (tokens only when no email verification is required)",
    // Any of the collection's fields: the collection checks them, once field access has
    // dropped those a newcomer may not set. This schema documents the two every account needs.
    body: {
      type: "object",
      properties: {
        email: string({ format: "email" }),
        password: string({ minLength: passwordMinLength(rt), format: "password" }),
      },
      required: ["email", "password"],
      additionalProperties: true,
    },
    response: { status: 201, description: "registered", schema: signedIn(rt) },
    errors: {
      400: invalidBody,
      403: "a cross-site request (FORBIDDEN)",
      409: "the email is taken (CONFLICT)",
    },
    rateLimit: "sensitive",
    before: ({ request }) => refuseCrossSite(request, ctx.config.api.cors, "signing up"),
    async handler({ request, body, set }) {
      const created = await ctx.lucent.create({
        collection: slug,
        data: await registrationData(rt, request, body),
        overrideAccess: true,
        req: request,
      });
      const owner = { userId: created.id, collection: slug };
      const user = await selfView(rt, created.id);
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
  });

  const login = defineRoute({
    method: "POST",
    path: "/auth/login",
    operationId: "login",
    summary: "Sign in with email and password; sets the session cookie when sessions are on",
    body: loginBody,
    response: { status: 200, description: "signed in", schema: signedIn(rt) },
    errors: {
      400: invalidBody,
      401: "wrong email or password (UNAUTHORIZED)",
      403: "email not verified (EMAIL_NOT_VERIFIED), or a cross-site request (FORBIDDEN)",
      423: "too many failed logins (ACCOUNT_LOCKED)",
    },
    rateLimit: "sensitive",
    // Login CSRF: a foreign page must not sign the browser in to an account of its choosing.
    before: ({ request }) => refuseCrossSite(request, ctx.config.api.cors, "signing in"),
    async handler({ request, body, set }) {
      const account = normalizeEmail(body.email);
      const locked = await lockedFor(ctx.db, account);
      if (locked > 0) {
        throw new LucentError("ACCOUNT_LOCKED", "too many failed logins; try again later", {
          headers: { "retry-after": String(locked) },
        });
      }
      // Known or not, the email costs one lookup and one argon2 verification: the same time and the same answer.
      const stored = await findCredentials(rt, account);
      const valid = await checkPassword(rt, body.password, stored);
      if (!valid || !stored) {
        if (await recordFailure(ctx.db, account, policy))
          ctx.logger.warn("an account was locked after repeated failed logins");
        const tried = stored ? { id: stored.id, collection: slug } : null;
        await tellAuthEvent(
          rt,
          request,
          { type: "login_failed", user: tried, email: account },
          null,
        );
        throw new UnauthorizedError("invalid email or password");
      }
      await clearFailures(ctx.db, account);
      if (options.verify && !stored.emailVerified) {
        throw new LucentError("EMAIL_NOT_VERIFIED", "confirm your email address before signing in");
      }
      const session = await signIn(rt, { userId: stored.id, collection: slug });
      if (session.cookie) set.headers["set-cookie"] = session.cookie;
      const user = { id: stored.id, collection: slug };
      await tellAuthEvent(rt, request, { type: "login", user, email: account });
      return { user: await selfView(rt, stored.id), ...session.tokens };
    },
  });

  const me = defineRoute({
    method: "GET",
    path: "/auth/me",
    operationId: "getMe",
    summary: "The caller",
    response: { status: 200, description: "the caller", schema: obj({ user: userSchema(rt) }) },
    errors: { 401: "not signed in" },
    secured: true,
    async handler({ request }) {
      const caller = await requireCaller(rt, request);
      return { user: await selfView(rt, caller.user.id, caller.user) };
    },
  });

  const logout = defineRoute({
    method: "POST",
    path: "/auth/logout",
    operationId: "logout",
    summary: "Revoke the caller's session and refresh family",
    body: logoutBody,
    response: { status: 200, description: "signed out", schema: ok },
    errors: { 401: "not signed in", 403: "cross-site request with the session cookie" },
    secured: true,
    // A bad bearer token or API key is a 401 before the body is looked at.
    before: async ({ request }) => {
      await callerOf(rt, { request, cookies: cookiesOf(request) });
    },
    async handler({ request, body: { refreshToken }, set }) {
      const cookies = cookiesOf(request);
      const caller = await callerOf(rt, { request, cookies });
      // A cookie whose session already ended still gets cleared: that is what the browser needs.
      if (!caller && !refreshToken && !cookies[SESSION_COOKIE])
        throw new UnauthorizedError("sign in first");
      const { sessionToken, familyId } = caller?.credentials ?? {};
      if (sessionToken) await revokeSession(rt.sessions, sessionToken);
      if (familyId) {
        await revokeFamily(ctx.db, familyId);
        await announceRevocation(rt, { familyId });
      }
      const ofToken = refreshToken ? await revokeFamilyOf(ctx.db, refreshToken) : null;
      if (ofToken) await announceRevocation(rt, { familyId: ofToken });
      if (options.strategies.has("session")) set.headers["set-cookie"] = sessionCookieFor(rt, null);
      if (caller) {
        const user = { id: caller.user.id, collection: caller.credentials.owner.collection };
        await tellAuthEvent(rt, request, { type: "logout", user });
      }
      return { ok: true };
    },
  });

  return [register, login, me, logout];
}
