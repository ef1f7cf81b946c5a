/**
 * zod fields the auth routes' bodies share. Lengths are capped so a body
 * cannot make argon2 or a lookup hash megabytes; `format` only documents
 * (an unknown address answers like a wrong password, never as malformed).
 */
import { z } from "zod";
import type { AuthRuntime } from "./runtime.ts";

export const emailField = z.string().max(320).meta({ format: "email" });

/** A reset, verification or refresh token as the client got it. */
export const tokenField = z.string().min(1).max(256);

/** The auth collection's minimum password length. */
export function passwordMinLength(rt: AuthRuntime): number {
  const field = rt.collection.fieldMap.get("password")!.config;
  return field.type === "password" ? (field.minLength ?? 8) : 8;
}

/** A new password, held to the collection's minimum length. */
export function newPasswordField(rt: AuthRuntime) {
  const min = passwordMinLength(rt);
  return z
    .string()
    .min(min, `must be at least ${min} characters`)
    .max(1024)
    .meta({ format: "password" });
}
