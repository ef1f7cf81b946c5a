/**
 * A changed email address (CONTRACT §8): the account is unverified again,
 * links mailed to the old address stop working, the new address gets a
 * verification link and the old one a notice, so its owner learns of a
 * change they did not make.
 */
import type { ChangeHookArgs, Doc } from "@lucent/core";
import { mailUser } from "./mailer.ts";
import { createOneTimeToken, revokeOneTimeTokens } from "./one-time-tokens.ts";
import { VERIFY_TOKEN_TTL } from "./routes-credentials.ts";
import type { AuthRuntime } from "./runtime.ts";

/** Inside the write's transaction: what the new address changes in the stored account. */
export async function unverifyChangedEmail(
  rt: AuthRuntime,
  args: ChangeHookArgs & { originalDoc: Doc },
): Promise<Record<string, unknown>> {
  const data = { ...args.data };
  // Only server code can send `emailVerified: true` (its field access denies every caller):
  // the verify route does, to mark the very address its link was sent to.
  if (rt.collection.fieldMap.has("emailVerified") && data.emailVerified !== true) {
    data.emailVerified = false;
  }
  await revokeOneTimeTokens(args.lucent.db, args.originalDoc.id);
  return data;
}

/** After the commit: the verification link to the new address and the notice to the old one. */
export async function mailEmailChange(
  rt: AuthRuntime,
  input: { doc: Doc; originalDoc: Doc },
): Promise<void> {
  const { doc, originalDoc } = input;
  if (doc.emailVerified === true) return;
  if (rt.collection.fieldMap.has("emailVerified")) {
    const token = await createOneTimeToken(rt.ctx.db, {
      userId: doc.id,
      collection: rt.collection.slug,
      purpose: "email-change",
      ttlSeconds: VERIFY_TOKEN_TTL,
      email: String(doc.email),
    });
    await mailUser(rt, { kind: "verify", user: doc, token });
  }
  await mailUser(rt, { kind: "emailChanged", user: doc, to: String(originalDoc.email) });
}
