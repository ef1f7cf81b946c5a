/**
 * Who may change a password or an email through `PATCH /api/<auth>/:id`
 * (CONTRACT §8). The collection's access rules already said who may update
 * the account at all; this adds what credentials need on top:
 *
 * - never a request authenticated by an API key alone, whoever owns it: a
 *   leaked key must not be able to take the account;
 * - a user changing their own needs `currentPassword`, right, in the same body;
 * - someone else the rules let update the account (an admin) needs nothing more;
 * - server code (the Local API without a request: the reset route, scripts)
 *   is trusted; an anonymous request never is.
 *
 * `currentPassword` is taken out of the data before validation: it is never
 * stored, and core's unknown-field check never sees it.
 */
import { type ChangeHookArgs, type Doc, ForbiddenError, ValidationError } from "@lucent/core";
import { checkPassword, normalizeEmail, storedPasswordHash } from "./passwords.ts";
import { presentedCredential } from "./request-credentials.ts";
import type { AuthRuntime } from "./runtime.ts";

/** True when `data` gives the account another address than it has. */
export function changesEmail(data: Record<string, unknown>, originalDoc: Doc): boolean {
  if (!Object.hasOwn(data, "email")) return false;
  const before = normalizeEmail(String(originalDoc.email ?? ""));
  return typeof data.email !== "string" || normalizeEmail(data.email) !== before;
}

export async function guardCredentialChange(
  rt: AuthRuntime,
  args: ChangeHookArgs & { originalDoc: Doc },
): Promise<Record<string, unknown>> {
  const { currentPassword, ...data } = args.data;
  if (currentPassword !== undefined && typeof currentPassword !== "string") {
    throw new ValidationError([{ path: "currentPassword", message: "must be a string" }]);
  }
  const changing = [
    ...(Object.hasOwn(data, "password") ? ["password"] : []),
    ...(changesEmail(data, args.originalDoc) ? ["email"] : []),
  ].join(" and ");
  if (!changing || !args.req) return data;

  if ((await presentedCredential(rt, args.req)).via === "apiKey") {
    throw new ForbiddenError(`an API key cannot change a ${changing}; sign in with the password`);
  }
  const { user } = args;
  if (!user) throw new ForbiddenError(`sign in to change a ${changing}`);
  const self = user.id === args.originalDoc.id && user.collection === rt.collection.slug;
  if (!self) return data;
  if (currentPassword === undefined) {
    throw new ForbiddenError(`send currentPassword to change your ${changing}`);
  }
  // The row is locked by the write: read the hash through its transaction.
  const hash = await storedPasswordHash(rt, args.lucent.db, user.id);
  const ok = await checkPassword(rt, currentPassword, { id: user.id, hash, emailVerified: false });
  if (!ok) throw new ForbiddenError("currentPassword is wrong");
  return data;
}
