/**
 * A changed password ends every other sign-in of the user: their sessions,
 * refresh families and API keys, except the session and refresh family of
 * the request making the change (a user changing their own password stays
 * signed in where they are). A reset has no such request (the route passes
 * none), so it ends them all.
 */
import type { ChangeHookArgs, Doc } from "@lucent/core";
import { revokeUserApiKeys } from "./api-keys.ts";
import { revokeUserFamilies } from "./refresh-tokens.ts";
import { type PresentedCredential, presentedCredential } from "./request-credentials.ts";
import type { AuthRuntime } from "./runtime.ts";
import { revokeUserSessions } from "./sessions.ts";

export async function revokeOtherSignIns(
  rt: AuthRuntime,
  args: ChangeHookArgs & { originalDoc: Doc },
): Promise<void> {
  const keep: PresentedCredential = args.req
    ? await presentedCredential(rt, args.req)
    : { via: null };
  // Inside the write's transaction: a rolled-back change revokes nothing.
  const db = args.lucent.db;
  const userId = args.originalDoc.id;
  await revokeUserSessions({ db, key: rt.sessions.key }, userId, keep.sessionToken);
  await revokeUserFamilies(db, userId, keep.familyId);
  await revokeUserApiKeys(db, userId);
  rt.ctx.logger.info({ userId }, "password changed; other sessions and API keys revoked");
}
