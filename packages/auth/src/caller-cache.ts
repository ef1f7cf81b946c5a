/**
 * What a signed-in request by bearer JWT would otherwise ask the database
 * every time: is the token's refresh family still live, and who is the
 * user. Both are kept per instance and forgotten:
 * - at once on this instance, when a revocation commits here (logout, reuse
 *   of a refresh token, "sign out everywhere") or the user's document changes
 *   (a password or role change, a reset, a deletion: the change feed);
 * - on the other instances as soon as the same news reaches them through the
 *   event bus (a shared bus, such as Redis, carries it in milliseconds);
 * - and in any case after `ttlMs`, the bound on staleness when no shared bus
 *   links the instances.
 * A revoked family never comes back, so "revoked" is remembered for good
 * (within the size bound). A load that started before a revocation does not
 * store its answer: a per-user generation number says the news came in between.
 */
import type { LucentUser } from "@lucent/core";

export interface CallerCacheOptions {
  /** How long a "live" family or a loaded user is trusted without news. */
  ttlMs: number;
  /** Entries kept per kind; the oldest go first. */
  maxEntries: number;
}

interface Held<T> {
  value: T;
  userId: string;
  until: number;
}

export interface CallerCache {
  familyLive(familyId: string, userId: string, load: () => Promise<boolean>): Promise<boolean>;
  user(userId: string, load: () => Promise<LucentUser | null>): Promise<LucentUser | null>;
  /** A family ended (logout, reuse). */
  forgetFamily(familyId: string): void;
  /** Everything known of a user: their document changed or every sign-in ended. */
  forgetUser(userId: string): void;
}

export function createCallerCache(options: CallerCacheOptions): CallerCache {
  const families = new Map<string, Held<boolean>>();
  const users = new Map<string, Held<LucentUser | null>>();
  const generations = new Map<string, number>();
  const generation = (userId: string) => generations.get(userId) ?? 0;

  const keep = <T>(map: Map<string, Held<T>>, key: string, held: Held<T>) => {
    map.delete(key);
    map.set(key, held);
    if (map.size > options.maxEntries) map.delete(map.keys().next().value!);
  };

  async function through<T>(
    map: Map<string, Held<T>>,
    key: string,
    userId: string,
    load: () => Promise<T>,
    forever: (value: T) => boolean,
  ): Promise<T> {
    const held = map.get(key);
    if (held && held.until > performance.now()) return held.value;
    const before = generation(userId);
    const value = await load();
    // News that came in while loading wins: a revocation, or a family remembered as revoked.
    if (generation(userId) === before && map.get(key)?.until !== Number.POSITIVE_INFINITY) {
      const until = forever(value) ? Number.POSITIVE_INFINITY : performance.now() + options.ttlMs;
      keep(map, key, { value, userId, until });
    }
    return value;
  }

  return {
    familyLive: (familyId, userId, load) =>
      through(families, familyId, userId, load, (live) => !live),
    user: (userId, load) =>
      // Frozen: one object answers many requests, and none may change it for the others.
      through(
        users,
        userId,
        userId,
        async () => Object.freeze(await load()),
        () => false,
      ),
    forgetFamily(familyId) {
      const held = families.get(familyId);
      if (held) generations.set(held.userId, generation(held.userId) + 1);
      // Remembered as revoked, not merely dropped: a late "live" answer cannot come back.
      keep(families, familyId, {
        value: false,
        userId: held?.userId ?? "",
        until: Number.POSITIVE_INFINITY,
      });
    },
    forgetUser(userId) {
      generations.set(userId, generation(userId) + 1);
      users.delete(userId);
      for (const [familyId, held] of families) {
        if (held.userId === userId && held.value) families.delete(familyId);
      }
    },
  };
}
