/**
 * The input of a route made with `defineRoute`: a small JSON object body read
 * under a byte limit, and values checked with zod into the contract's 400
 * (CONTRACT §5). Issues become details and never echo the input: a body may
 * carry a password.
 */
import type { ZodType } from "zod";
import { parseJsonInput } from "../query/json-input.ts";
import { ValidationError } from "./errors.ts";
import { readBodyText } from "./http-body-limit.ts";

/** Largest JSON body a route reads unless it sets its own `bodyLimit`. */
export const ROUTE_BODY_LIMIT = 64 * 1024;

function isJson(contentType: string): boolean {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
}

const unsupported = () =>
  new ValidationError(
    [{ path: "", message: "unsupported content type" }],
    "send the body as application/json",
  );

/**
 * JSON only: a page on another site can send `text/plain` or a form without
 * a preflight, never `application/json`. A request with no body and no
 * Content-Type (a bare `POST /auth/logout`) reads as `{}`.
 */
export async function readJsonObject(
  request: Request,
  limit: number = ROUTE_BODY_LIMIT,
): Promise<Record<string, unknown>> {
  const contentType = request.headers.get("content-type");
  if (contentType !== null && !isJson(contentType)) throw unsupported();
  // Refused (413) as soon as it passes the limit: an oversized body is never read whole.
  const text = await readBodyText(request, limit);
  if (contentType === null && text !== "") throw unsupported();
  // NUL bytes (Postgres cannot store them) and deep nesting are refused here too.
  const value = text === "" ? {} : parseJsonInput(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError([{ path: "", message: "the body must be a JSON object" }]);
  }
  return value as Record<string, unknown>;
}

/** `value` checked by `schema`: its output, or a 400 listing every issue by path. */
export async function parseInput<T>(schema: ZodType<T>, value: unknown): Promise<T> {
  const result = await schema.safeParseAsync(value);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join("."),
      message: issue.message,
    })),
  );
}
