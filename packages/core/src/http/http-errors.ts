/** Every error, from every route, as the contract's envelope (CONTRACT §5). */
import { mapDatabaseError } from "../drivers/db-errors.ts";
import type { Logger } from "../kernel/logger.ts";
import { LucentError } from "./errors.ts";

function isElysiaCode(code: unknown): code is string {
  return typeof code === "string";
}

/** Maps an error to a LucentError; unknown errors become a bare 500 and are logged in full. */
export function toLucentError(error: unknown, code: unknown, logger: Logger): LucentError {
  if (error instanceof LucentError) return error;
  if (isElysiaCode(code)) {
    switch (code) {
      case "NOT_FOUND":
        return new LucentError("NOT_FOUND", "no such route");
      case "PARSE":
        return new LucentError("VALIDATION_ERROR", "the body could not be parsed", {
          details: [{ path: "", message: "malformed body" }],
        });
      case "VALIDATION":
        return new LucentError("VALIDATION_ERROR", "invalid request");
      case "INVALID_COOKIE_SIGNATURE":
        return new LucentError("UNAUTHORIZED", "invalid cookie");
    }
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 413) return new LucentError("PAYLOAD_TOO_LARGE", "the request body is too large");
  const database = mapDatabaseError(error);
  if (database) {
    // Logged: a value Postgres refused got past validation, or the database is struggling.
    logger.warn({ err: error }, database.message);
    return database;
  }
  logger.error({ err: error }, "unhandled error");
  return new LucentError("INTERNAL", "internal error");
}

export function errorResponse(
  error: LucentError,
  requestId: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(error.toEnvelope(requestId)), {
    status: error.status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers, ...error.headers },
  });
}
