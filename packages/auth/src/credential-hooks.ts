/**
 * The hooks the module adds to the auth collection: every change of a
 * password or an email goes through them, whichever route or Local API call
 * made it (CONTRACT §8, "Changing credentials"). The kernel runs a module's
 * `beforeValidate` before the collection's own (the guard sees the body as
 * the client sent it) and the rest after (they see the data as it will be stored).
 */
import type { CollectionHooks } from "@lucent/core";
import { changesEmail, guardCredentialChange } from "./credential-guard.ts";
import { mailEmailChange, unverifyChangedEmail } from "./email-change.ts";
import { revokeOtherSignIns } from "./password-change.ts";
import type { AuthRuntime } from "./runtime.ts";

export type CredentialHooks = Required<
  Pick<CollectionHooks, "beforeValidate" | "beforeChange" | "afterCommit">
>;

export function credentialHooks(rt: AuthRuntime): CredentialHooks {
  return {
    beforeValidate: [
      async (args) => {
        const { originalDoc } = args;
        if (args.operation !== "update" || !originalDoc) return undefined;
        return guardCredentialChange(rt, { ...args, originalDoc });
      },
    ],
    beforeChange: [
      async (args) => {
        const { originalDoc } = args;
        if (args.operation !== "update" || !originalDoc) return undefined;
        if (typeof args.data.password === "string")
          await revokeOtherSignIns(rt, { ...args, originalDoc });
        if (!changesEmail(args.data, originalDoc)) return undefined;
        return unverifyChangedEmail(rt, { ...args, originalDoc });
      },
    ],
    afterCommit: [
      async ({ operation, doc, originalDoc }) => {
        if (operation !== "update" || !originalDoc || !changesEmail(doc, originalDoc)) return;
        await mailEmailChange(rt, { doc, originalDoc });
      },
    ],
  };
}
