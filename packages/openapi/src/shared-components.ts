/** Components every document has: the error envelope, error responses, stored files, security. */
import type { ErrorCode } from "@lucent/core";
import { STORED_FILE_SCHEMA } from "@lucent/core";
import type { JsonSchema } from "./json-schema.ts";
import { ref } from "./naming.ts";

/** Every code of CONTRACT §5; the type check below fails when core adds one. */
const ERROR_CODES = [
  "VALIDATION_ERROR",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "EMAIL_NOT_VERIFIED",
  "NOT_FOUND",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "ACCOUNT_LOCKED",
  "RATE_LIMITED",
  "INTERNAL",
  "UNAVAILABLE",
] as const satisfies readonly ErrorCode[];
type Missing = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
const allCodesListed: [Missing] extends [never] ? true : false = true;

export const SHARED_SCHEMAS: Record<string, JsonSchema> = {
  ErrorDetail: {
    type: "object",
    properties: { path: { type: "string" }, message: { type: "string" } },
    required: ["path", "message"],
  },
  Error: {
    type: "object",
    description: "The one shape of every error (CONTRACT §5).",
    properties: {
      error: {
        type: "object",
        properties: {
          code: { type: "string", enum: allCodesListed ? [...ERROR_CODES] : [] },
          message: { type: "string" },
          details: { type: "array", items: ref("ErrorDetail") },
          requestId: { type: "string", description: "also in the X-Request-Id header" },
        },
        required: ["code", "message", "requestId"],
      },
    },
    required: ["error"],
  },
  // An upload field's value: its type in core says how it is stored.
  StoredFile: STORED_FILE_SCHEMA,
  Health: {
    type: "object",
    properties: {
      status: { type: "string", enum: ["ok", "down"] },
      checks: { type: "object", additionalProperties: { type: "string", enum: ["ok", "down"] } },
    },
    required: ["status", "checks"],
  },
};

/** Error statuses and the response component that describes each. */
export const ERROR_RESPONSES = {
  400: "ValidationError",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  413: "PayloadTooLarge",
  423: "AccountLocked",
  429: "RateLimited",
  500: "Internal",
  503: "Unavailable",
} as const;
export type ErrorStatus = keyof typeof ERROR_RESPONSES;

const ERROR_TEXT: Record<ErrorStatus, string> = {
  400: "VALIDATION_ERROR: the body, query or path is invalid",
  401: "UNAUTHORIZED: no or bad credentials",
  403: "FORBIDDEN or EMAIL_NOT_VERIFIED",
  404: "NOT_FOUND, also for a document that read access hides",
  409: "CONFLICT: a unique value is taken, or a related document still refers to this one",
  413: "PAYLOAD_TOO_LARGE",
  423: "ACCOUNT_LOCKED",
  429: "RATE_LIMITED; retry after the Retry-After header's seconds",
  500: "INTERNAL: no details are given",
  503: "UNAVAILABLE: the database or Redis is down, or a statement ran past its time limit; retry after the Retry-After header's seconds",
};

const JSON_ERROR = { "application/json": { schema: ref("Error") } };

export function sharedResponses(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [status, name] of Object.entries(ERROR_RESPONSES)) {
    const response: JsonSchema = {
      description: ERROR_TEXT[Number(status) as ErrorStatus],
      content: JSON_ERROR,
    };
    if (status === "429" || status === "503") {
      response.headers = {
        "Retry-After": { description: "seconds to wait", schema: { type: "integer" } },
      };
    }
    out[name] = response;
  }
  return out;
}

/** `responses` entries for these error statuses. */
export function errorResponses(statuses: readonly ErrorStatus[]): Record<string, JsonSchema> {
  return Object.fromEntries(
    statuses.map((s) => [String(s), { $ref: `#/components/responses/${ERROR_RESPONSES[s]}` }]),
  );
}

/**
 * Any one declared credential, or none: access rules decide what an anonymous
 * caller may do. The schemes themselves come from the module that reads
 * credentials (@lucent/auth declares those of its enabled strategies).
 */
export function defaultSecurity(
  schemes: Record<string, unknown> | undefined,
): Array<Record<string, string[]>> {
  const names = Object.keys(schemes ?? {});
  return names.length === 0 ? [] : [...names.map((name) => ({ [name]: [] })), {}];
}
