/** JSON bodies of the auth routes: small, an object, checked with zod into the contract's 400. */
import { parseJsonInput, readBodyText, ValidationError } from "@lucent/core";
import type { z } from "zod";

const MAX_BYTES = 64 * 1024;

function isJson(contentType: string | null): boolean {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
}

const unsupported = () =>
  new ValidationError(
    [{ path: "", message: "unsupported content type" }],
    "send the body as application/json",
  );

/**
 * JSON only (CONTRACT §8): a page on another site can send `text/plain` or a
 * form without a preflight, but never `application/json`. A request with no
 * body and no Content-Type (a bare `POST /auth/logout`) reads as `{}`.
 */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const contentType = request.headers.get("content-type");
  if (contentType !== null && !isJson(contentType)) throw unsupported();
  // Refused (413) as soon as it passes the limit: an oversized body is never read whole.
  const text = await readBodyText(request, MAX_BYTES);
  if (contentType === null && text !== "") throw unsupported();
  // Core's reader refuses NUL bytes (Postgres cannot store them) and deep nesting.
  const value = text === "" ? {} : parseJsonInput(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError([{ path: "", message: "the body must be a JSON object" }]);
  }
  return value as Record<string, unknown>;
}

/** Parses with `schema`; issues become details, and never echo the input (it may be a password). */
export async function readBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse(await readJsonObject(request));
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join("."),
      message: issue.message,
    })),
  );
}
