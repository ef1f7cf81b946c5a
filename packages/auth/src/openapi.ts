/** The module's part of the OpenAPI document: every auth route, its body, success and error payloads. */

import type { OpenApiFragment } from "@lucent/core";
import { buildProviders } from "./oauth-providers.ts";
import { withOperationIds } from "./openapi-ids.ts";
import { obj, ok, op, string } from "./openapi-parts.ts";
import type { AuthRuntime } from "./runtime.ts";

export function authOpenApi(rt: AuthRuntime): OpenApiFragment {
  const { strategies } = rt.options;
  const slug = rt.collection.slug;
  // The collection's own schema belongs to core's part of the document; here the fields every auth user has.
  const user = {
    type: "object",
    description: `the signed-in ${slug} document, as its read access shows it to the user`,
    properties: { id: string({ format: "uuid" }), email: string({ format: "email" }) },
    required: ["id"],
    additionalProperties: true,
  };
  const tokens = {
    accessToken: string({ description: "HS256 JWT" }),
    refreshToken: string(),
    expiresIn: { type: "integer", description: "seconds until the access token expires" },
  };
  const signedIn = obj({ user, ...tokens }, ["user"]);
  const email = string({ format: "email" });
  const password = string({ minLength: 8, format: "password" });
  const keyInfo = {
    id: string({ format: "uuid" }),
    name: string(),
    prefix: string(),
    createdAt: string({ format: "date-time" }),
  };
  const paths: Record<string, Record<string, unknown>> = {
    "/auth/register": {
      post: op({
        summary: "Create an account (tokens only when no email verification is required)",
        body: {
          type: "object",
          properties: { email, password },
          required: ["email", "password"],
          additionalProperties: true,
        },
        success: { status: "201", description: "registered", schema: signedIn },
        errors: {
          "400": "invalid body, or not application/json (VALIDATION_ERROR)",
          "403": "a cross-site request (FORBIDDEN)",
          "409": "the email is taken (CONFLICT)",
        },
      }),
    },
    "/auth/login": {
      post: op({
        summary: "Sign in with email and password; sets the session cookie when sessions are on",
        body: obj({ email, password: string() }),
        success: { status: "200", description: "signed in", schema: signedIn },
        errors: {
          "400": "invalid body, or not application/json (VALIDATION_ERROR)",
          "401": "wrong email or password (UNAUTHORIZED)",
          "403": "email not verified (EMAIL_NOT_VERIFIED), or a cross-site request (FORBIDDEN)",
          "423": "too many failed logins (ACCOUNT_LOCKED)",
        },
      }),
    },
    "/auth/me": {
      get: op({
        summary: "The caller",
        success: { status: "200", description: "the caller", schema: obj({ user }) },
        errors: { "401": "not signed in" },
        secured: true,
      }),
    },
    "/auth/logout": {
      post: op({
        summary: "Revoke the caller's session and refresh family",
        body: obj({ refreshToken: string() }, []),
        success: {
          status: "200",
          description: "signed out",
          schema: ok.content["application/json"].schema,
        },
        errors: { "401": "not signed in", "403": "cross-site request with the session cookie" },
        secured: true,
      }),
    },
    "/auth/forgot": {
      post: op({
        summary: "Mail a password-reset link (200 whether or not the email exists)",
        body: obj({ email }),
        success: {
          status: "200",
          description: "accepted",
          schema: ok.content["application/json"].schema,
        },
        errors: { "400": "invalid body" },
      }),
    },
    "/auth/reset": {
      post: op({
        summary: "Set a new password with a reset token; other sessions end",
        body: obj({ token: string(), password }),
        success: {
          status: "200",
          description: "password changed",
          schema: ok.content["application/json"].schema,
        },
        errors: { "400": "invalid body, or an invalid, used or expired token" },
      }),
    },
    "/auth/verify": {
      post: op({
        summary: "Confirm an email address with a verification token",
        body: obj({ token: string() }),
        success: {
          status: "200",
          description: "verified",
          schema: ok.content["application/json"].schema,
        },
        errors: { "400": "invalid, used or expired token" },
      }),
    },
  };
  if (strategies.has("jwt")) {
    paths["/auth/refresh"] = {
      post: op({
        summary:
          "Exchange a refresh token for a new pair; reusing a rotated one revokes its family",
        body: obj({ refreshToken: string() }),
        success: { status: "200", description: "new pair", schema: obj(tokens) },
        errors: { "400": "invalid body", "401": "invalid, expired, revoked or reused token" },
      }),
    };
  }
  if (strategies.has("apiKey")) {
    const apiKeyErrors = { "401": "not signed in", "403": "API keys cannot manage API keys" };
    paths["/auth/api-keys"] = {
      post: op({
        summary: "Create an API key (the key is shown only here)",
        body: obj({ name: string({ minLength: 1, maxLength: 100 }) }),
        success: {
          status: "201",
          description: "created",
          schema: obj({ ...keyInfo, key: string() }),
        },
        errors: { "400": "invalid body", ...apiKeyErrors },
        secured: true,
      }),
      get: op({
        summary: "The caller's live API keys, without the keys",
        success: {
          status: "200",
          description: "keys",
          schema: obj({
            docs: {
              type: "array",
              items: obj({
                ...keyInfo,
                lastUsedAt: { type: ["string", "null"], format: "date-time" },
              }),
            },
          }),
        },
        errors: apiKeyErrors,
        secured: true,
      }),
    };
    paths["/auth/api-keys/{id}"] = {
      parameters: [{ name: "id", in: "path", required: true, schema: string({ format: "uuid" }) }],
      delete: op({
        summary: "Revoke an API key",
        success: {
          status: "200",
          description: "revoked",
          schema: obj({ id: string({ format: "uuid" }), revoked: { type: "boolean" } }),
        },
        errors: { ...apiKeyErrors, "400": "the id is not a UUID", "404": "no such key" },
        secured: true,
      }),
    };
  }
  for (const name of buildProviders(rt.options.oauth).keys()) {
    paths[`/auth/oauth/${name}`] = {
      get: op({
        summary: `Start signing in with ${name} (302 to the provider)`,
        success: { status: "302", description: "redirect to the provider" },
        errors: {},
      }),
    };
    paths[`/auth/oauth/${name}/callback`] = {
      get: op({
        summary: `Finish signing in with ${name}`,
        success: {
          status: "200",
          description: "signed in (302 to successRedirect when set)",
          schema: signedIn,
        },
        errors: {
          "401": "the provider refused",
          "403": "state mismatch, or the address is not verified yet",
          "409": "an account has this email, not verified on both sides: sign in with its password",
        },
      }),
    };
  }
  return {
    paths: withOperationIds(paths),
    tags: [{ name: "auth", description: "Accounts, sign-in, tokens and API keys (@lucent/auth)" }],
    components: {
      securitySchemes: {
        ...(strategies.has("jwt")
          ? { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } }
          : {}),
        ...(strategies.has("apiKey")
          ? { apiKey: { type: "apiKey", in: "header", name: "x-api-key" } }
          : {}),
        ...(strategies.has("session")
          ? { sessionCookie: { type: "apiKey", in: "cookie", name: "lucent_session" } }
          : {}),
      },
    },
  };
}
