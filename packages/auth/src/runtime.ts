/** What the module's parts share once the kernel is assembled. */
import type { KernelContext, ResolvedCollection } from "@lucent/core";
import type { CallerCache } from "./caller-cache.ts";
import type { ResolvedAuthOptions } from "./options.ts";
import type { SessionStore } from "./sessions.ts";

export interface AuthRuntime {
  readonly ctx: KernelContext;
  readonly options: ResolvedAuthOptions;
  /** The auth collection. */
  readonly collection: ResolvedCollection;
  /** The HS256 key from JWT_SECRET. */
  readonly jwtKey: Uint8Array;
  /** Sessions and the SESSION_SECRET key their ids are hashed with. */
  readonly sessions: SessionStore;
  /** An argon2id hash of a random password, verified against when an email is unknown so both paths cost the same. */
  readonly dummyHash: string;
  /** Work started after a response (mail for `forgot`), awaited when the module stops. */
  readonly background: Set<Promise<unknown>>;
  /** What this instance knows of bearer callers (caller-cache.ts); `announce` spreads a revocation. */
  readonly callers: CallerCache;
}

/** Runs `task` without holding up the response; failures are logged, never thrown. */
export function inBackground(rt: AuthRuntime, task: () => Promise<unknown>): void {
  const run: Promise<unknown> = task()
    .catch((err: unknown) => rt.ctx.logger.error({ err }, "@lucent/auth background task failed"))
    .finally(() => rt.background.delete(run));
  rt.background.add(run);
}

/** The auth collection of a config: the named one, else the only one with `auth: true`. */
export function authCollectionSlug(
  slugs: readonly { slug: string; auth?: unknown }[],
  wanted: string | undefined,
): string {
  const auth = slugs.filter((c) => c.auth);
  if (wanted) {
    if (!slugs.some((c) => c.slug === wanted))
      throw new Error(`@lucent/auth collection: no collection has the slug "${wanted}"`);
    return wanted;
  }
  if (auth.length !== 1) {
    throw new Error(
      auth.length === 0
        ? "@lucent/auth: no collection has `auth: true`; mark one, or name it in auth({ collection })"
        : `@lucent/auth: several collections have \`auth: true\` (${auth.map((c) => c.slug).join(", ")}); name one in auth({ collection })`,
    );
  }
  return auth[0]!.slug;
}
