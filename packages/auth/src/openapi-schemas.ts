/**
 * What the auth routes answer, as JSON Schema for their `response`s: the
 * signed-in user and the token pair several routes share. These document
 * shapes; the request bodies are the zod schemas each route checks.
 */
import type { JsonSchema } from "@lucent/core";
import type { AuthRuntime } from "./runtime.ts";

export const string = (extra: JsonSchema = {}): JsonSchema => ({ type: "string", ...extra });

export const obj = (
  properties: Record<string, JsonSchema>,
  required: string[] = Object.keys(properties),
): JsonSchema => ({ type: "object", properties, required, additionalProperties: false });

/** `{ ok: true }`, the answer of routes that only report success. */
export const ok = obj({ ok: { type: "boolean", const: true } });

const tokenFields = {
  accessToken: string({ description: "HS256 JWT" }),
  refreshToken: string(),
  expiresIn: { type: "integer", description: "seconds until the access token expires" },
};

export const tokens = obj(tokenFields);

/** The collection's own schema belongs to core's part of the document; here the fields every auth user has. */
export function userSchema(rt: AuthRuntime): JsonSchema {
  return {
    type: "object",
    description: `the signed-in ${rt.collection.slug} document, as its read access shows it to the user`,
    properties: { id: string({ format: "uuid" }), email: string({ format: "email" }) },
    required: ["id"],
    additionalProperties: true,
  };
}

/** The user, with tokens unless none are issued (email verification pending, or no JWT strategy). */
export const signedIn = (rt: AuthRuntime) =>
  obj({ user: userSchema(rt), ...tokenFields }, ["user"]);
