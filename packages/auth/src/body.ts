/** JSON bodies of the auth routes: small, an object, checked with zod into the contract's 400. */
import { LucentError, ValidationError } from "@lucent/core";
import type { z } from "zod";

const MAX_BYTES = 64 * 1024;

export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.length > MAX_BYTES)
    throw new LucentError("PAYLOAD_TOO_LARGE", "the request body is too large");
  let value: unknown;
  try {
    value = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new ValidationError(
      [{ path: "", message: "malformed JSON" }],
      "the body could not be parsed",
    );
  }
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
