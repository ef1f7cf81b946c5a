/**
 * Hooks on the endpoints collection: URLs, filters and secrets are checked
 * as the admin sent them (400 with the contract's envelope), a new secret is
 * sealed before it is stored and shown once, in the response of the write
 * that set it, and an endpoint declared in config keeps its URL, filters and
 * secret (it may only be disabled and enabled).
 */
import { type ChangeHookArgs, type CollectionHooks, type Doc, ValidationError } from "@lucent/core";
import { filterProblems } from "./event-filter.ts";
import { deleteDeliveriesOf } from "./outbox.ts";
import type { Runtime } from "./runtime.ts";
import { generateSigningSecret, signingSecretProblem } from "./signing-secret.ts";
import { checkEndpointUrl } from "./target.ts";

const CONFIG_FIELDS = ["url", "events", "secret"] as const;
const STALE_MS = 60_000;

function check(rt: Runtime, { data, originalDoc }: ChangeHookArgs): undefined {
  const problems: Array<{ path: string; message: string }> = [];
  if (originalDoc?.source === "config") {
    for (const field of CONFIG_FIELDS)
      if (Object.hasOwn(data, field))
        problems.push({ path: field, message: "is declared in config: change it there" });
    if (problems.length) throw new ValidationError(problems);
  }
  if (Object.hasOwn(data, "url") && data.url != null) {
    try {
      checkEndpointUrl(data.url, rt.policy);
    } catch (error) {
      problems.push({ path: "url", message: (error as Error).message });
    }
  }
  if (Object.hasOwn(data, "events"))
    problems.push(...filterProblems(data.events, rt.eventCollections));
  if (Object.hasOwn(data, "secret")) {
    const problem = signingSecretProblem(data.secret);
    if (problem) problems.push({ path: "secret", message: problem });
  }
  if (problems.length) throw new ValidationError(problems);
  return undefined;
}

export function endpointHooks(rt: Runtime): CollectionHooks {
  // Secrets set by writes not yet committed, by sealed value; then by endpoint id until shown.
  const fresh = new Map<string, { plain: string; replaced: string | null; at: number }>();
  const shown = new Map<string, { plain: string; at: number }>();
  const forgetStale = () => {
    const now = Date.now();
    for (const [k, v] of fresh) if (now - v.at > STALE_MS) fresh.delete(k);
    for (const [k, v] of shown) if (now - v.at > STALE_MS) shown.delete(k);
  };

  return {
    beforeValidate: [(args) => check(rt, args)],
    beforeChange: [
      async ({ data, operation, originalDoc }) => {
        const next = { ...data };
        const given = typeof data.secret === "string" ? data.secret : undefined;
        if (operation === "create" || given !== undefined) {
          const plain = given ?? generateSigningSecret();
          next.secret = await rt.keeper.seal(plain);
          forgetStale();
          fresh.set(next.secret as string, {
            plain,
            replaced: typeof originalDoc?.secret === "string" ? originalDoc.secret : null,
            at: Date.now(),
          });
        }
        // Enabling an endpoint again gives it a fresh run of failures.
        if (data.enabled === true && originalDoc?.enabled === false) {
          next.failures = 0;
          next.disabledReason = null;
        }
        return next;
      },
    ],
    beforeRead: [
      ({ doc, operation }) => {
        if (operation !== "create" && operation !== "update") return undefined;
        const entry = typeof doc.secret === "string" ? fresh.get(doc.secret) : undefined;
        if (entry) shown.set(String(doc.id), { plain: entry.plain, at: Date.now() });
        return undefined;
      },
    ],
    afterRead: [
      ({ doc }): Doc | undefined => {
        const entry = shown.get(String(doc.id));
        if (!entry) return undefined;
        shown.delete(String(doc.id));
        return { ...doc, secret: entry.plain };
      },
    ],
    afterDelete: [
      async ({ doc, lucent }) => {
        await deleteDeliveriesOf(rt, lucent.db, String(doc.id));
        return undefined;
      },
    ],
    afterCommit: [
      async ({ doc, operation }) => {
        const sealed = typeof doc.secret === "string" ? doc.secret : null;
        if (operation === "delete") {
          if (sealed) await rt.keeper.discard(sealed);
          return undefined;
        }
        const entry = sealed ? fresh.get(sealed) : undefined;
        if (!sealed || !entry) return undefined;
        fresh.delete(sealed);
        await rt.keeper.commit(sealed, entry.plain);
        if (entry.replaced) await rt.keeper.discard(entry.replaced);
        return undefined;
      },
    ],
  };
}
