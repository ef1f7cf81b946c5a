/**
 * Sign-ins, sign-outs, resets and API keys, told to the other modules on the
 * kernel's event hub (`ctx.events.on("auth", ...)`): the audit log records
 * them (CONTRACT §15). Never a password or a token.
 */
import { type AuthEvent, requestOrigin } from "@lucent/core";
import type { AuthRuntime } from "./runtime.ts";

export function tellAuthEvent(
  rt: AuthRuntime,
  request: Request,
  event: Omit<AuthEvent, "origin">,
  /** Who did it, when not the account itself (nobody, for a failed sign-in). */
  actor: AuthEvent["user"] = event.user,
): Promise<void> {
  return rt.ctx.events.emit("auth", { ...event, origin: requestOrigin(request, actor) });
}
