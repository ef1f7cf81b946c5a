/**
 * News that ends what an instance knows of a caller (caller-cache.ts): a
 * revoked refresh family or "everything of this user". Applied here at once,
 * and sent on the event bus to the other instances. A change to a user's
 * document (password, role, deletion, a reset) needs no news of its own: the
 * change feed brings it, here and on the other instances.
 */
import type { AuthRuntime } from "./runtime.ts";

export const REVOCATIONS_CHANNEL = "lucent:auth:revocations";

export interface RevocationNews {
  familyId?: string;
  userId?: string;
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function apply(rt: AuthRuntime, news: RevocationNews): void {
  if (news.familyId) rt.callers.forgetFamily(news.familyId);
  if (news.userId) rt.callers.forgetUser(news.userId);
}

/** Call after the revocation committed. */
export async function announceRevocation(rt: AuthRuntime, news: RevocationNews): Promise<void> {
  apply(rt, news);
  await rt.ctx.bus
    .publish(REVOCATIONS_CHANNEL, news)
    .catch((err) => rt.ctx.logger.error({ err }, "@lucent/auth: could not send revocation news"));
}

/** Listens for revocations and user changes; returns the function that stops listening. */
export function listenForRevocations(rt: AuthRuntime): () => void {
  const fromBus = rt.ctx.bus.subscribe(REVOCATIONS_CHANNEL, (message) => {
    // From another instance: read only what has the right shape.
    if (typeof message !== "object" || message === null) return;
    const { familyId, userId } = message as Record<string, unknown>;
    apply(rt, {
      ...(typeof familyId === "string" && ID.test(familyId) ? { familyId } : {}),
      ...(typeof userId === "string" && ID.test(userId) ? { userId } : {}),
    });
  });
  const fromFeed = rt.ctx.changes.subscribe((event) => {
    if (event.collection === rt.collection.slug) rt.callers.forgetUser(event.id);
  });
  return () => {
    fromBus();
    fromFeed();
  };
}
