/**
 * The rules every rate-limit store keeps, run by each store's own tests:
 * `rateLimitStoreSuite("memory", { make: () => memoryRateLimitStore(), shared: false })`.
 * The limiter (core's rate-limit.ts) calls `hit` once per request on every
 * API route, sends `count` and `resetAt` back as `RateLimit-*` headers and
 * refuses the request once `count` passes its limit. Each test below is named
 * after the rule it checks.
 *
 * 1. A window starts on the first hit. A key's first hit, or its first after
 *    a window ended, counts 1 and ends at `resetAt` = now + `windowMs` (epoch
 *    milliseconds).
 * 2. Each hit counts exactly one, even when hits race: n hits at once on one
 *    key answer 1 to n, each count once.
 * 3. Fixed windows. Every hit in a window reports the same `resetAt`: hits do
 *    not push the end of the window back.
 * 4. A new window after `resetAt`. Once `resetAt` has passed, the next hit
 *    counts 1 again, with a new `resetAt`.
 * 5. Keys are independent and taken as given. Any string is a key (an IPv6
 *    address, a tenant's name, Unicode); a key that begins another shares
 *    nothing with it; keys with different windows do not affect each other.
 * 6. Shared (capability `shared`). Stores on one backend (instances on one
 *    Redis) count together: hits on either add to one count, in one window.
 *    A store in process memory counts for its process alone.
 * 7. Bounded failure, then recovery (when the suite is given an `outage`). A
 *    hit the backend does not answer rejects within `FAIL_WITHIN_MS` instead of
 *    holding the request; once the backend answers again, hits count again.
 * 8. Lifecycle. `stop`, when present, closes what the store opened and
 *    resolves whether the store was used or not.
 */
import { afterEach, describe, expect, test } from "bun:test";
// Core's own tests run this suite: it reads the contract from core's source (see jobs.ts).
import type { RateLimitStore } from "../../../packages/core/src/drivers/drivers.ts";
import { waitFor } from "./jobs.ts";
import { uniqueName } from "./unique-name.ts";

/** A store whose backend does not answer must give up within this (rule 7). */
export const FAIL_WITHIN_MS = 3000;

/** A store on a backend the test can take down and bring back. */
export interface StoreOutage {
  store: RateLimitStore;
  /** The backend stops answering (connections dropped, new ones never answered). */
  down(): void | Promise<void>;
  /** The backend answers again. */
  up(): void | Promise<void>;
  close(): void | Promise<void>;
}

export interface RateLimitStoreSuiteOptions {
  /** A new store. With `shared`, every store it returns is on the same backend. */
  make: () => RateLimitStore | Promise<RateLimitStore>;
  /** Stores from `make` count together (rule 6); false for a store in process memory. */
  shared: boolean;
  /** A store whose backend can fail (rule 7); absent for a store with no backend. */
  outage?: () => StoreOutage | Promise<StoreOutage>;
}

/** Clocks are read on both sides of a round trip: allow this much between them. */
const SLACK_MS = 25;

export function rateLimitStoreSuite(name: string, options: RateLimitStoreSuiteOptions) {
  describe(`rate-limit store: ${name}`, () => {
    let made: RateLimitStore[] = [];
    afterEach(async () => {
      await Promise.all(made.map((s) => s.stop?.()));
      made = [];
    });
    const store = async () => {
      const s = await options.make();
      made.push(s);
      return s;
    };

    test("(1) the first hit on a key counts 1 and ends its window windowMs from now", async () => {
      const s = await store();
      const before = Date.now();
      const first = await s.hit(uniqueName("first"), 60_000);
      const after = Date.now();
      expect(first.count).toBe(1);
      expect(Number.isInteger(first.resetAt)).toBe(true);
      expect(first.resetAt).toBeGreaterThanOrEqual(before + 60_000 - SLACK_MS);
      expect(first.resetAt).toBeLessThanOrEqual(after + 60_000 + SLACK_MS);
    });

    test("(2) hits racing on one key count 1 to n, each count once", async () => {
      const s = await store();
      const key = uniqueName("race");
      const results = await Promise.all(Array.from({ length: 50 }, () => s.hit(key, 60_000)));
      const counts = results.map((r) => r.count).sort((a, b) => a - b);
      expect(counts).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect((await s.hit(key, 60_000)).count).toBe(51);
    });

    test("(3) every hit in a window reports the same resetAt", async () => {
      const s = await store();
      const key = uniqueName("fixed");
      const first = await s.hit(key, 2_000);
      for (let i = 0; i < 3; i++) {
        await Bun.sleep(100);
        const later = await s.hit(key, 2_000);
        expect(Math.abs(later.resetAt - first.resetAt)).toBeLessThanOrEqual(SLACK_MS);
      }
    });

    test("(4) once resetAt has passed, the next hit starts a new window at 1", async () => {
      const s = await store();
      const key = uniqueName("reset");
      await s.hit(key, 300);
      const second = await s.hit(key, 300);
      expect(second.count).toBe(2);
      await Bun.sleep(Math.max(0, second.resetAt - Date.now()) + SLACK_MS);
      const next = await s.hit(key, 300);
      expect(next.count).toBe(1);
      expect(next.resetAt).toBeGreaterThan(second.resetAt);
    });

    test("(5) keys are counted apart, whatever they hold, and a window's length is its key's own", async () => {
      const s = await store();
      const base = uniqueName("keys");
      const keys = [
        `${base}:a:2001:db8::1`,
        `${base}:a:2001:db8::1:extra`,
        `${base}:s:tenant with spaces`,
        `${base}:s:Ünïcødé 🎉`,
        `${base}:*`,
      ];
      for (const [i, key] of keys.entries()) {
        for (let n = 0; n <= i; n++) await s.hit(key, 60_000);
      }
      for (const [i, key] of keys.entries()) expect((await s.hit(key, 60_000)).count).toBe(i + 2);
      const short = `${base}:short`;
      const long = `${base}:long`;
      await s.hit(short, 200);
      await s.hit(long, 60_000);
      await Bun.sleep(250);
      expect((await s.hit(short, 200)).count).toBe(1);
      expect((await s.hit(long, 60_000)).count).toBe(2);
    });

    test.skipIf(!options.shared)(
      "(6) stores on one backend add to one count in one window",
      async () => {
        const [a, b] = [await store(), await store()];
        const key = uniqueName("shared");
        const first = await a.hit(key, 60_000);
        const second = await b.hit(key, 60_000);
        const third = await a.hit(key, 60_000);
        expect([first.count, second.count, third.count]).toEqual([1, 2, 3]);
        expect(Math.abs(second.resetAt - first.resetAt)).toBeLessThanOrEqual(SLACK_MS);
      },
    );

    test.skipIf(!options.outage)(
      `(7) a hit the backend does not answer rejects within ${FAIL_WITHIN_MS} ms, and hits count again once it answers`,
      async () => {
        const outage = await options.outage!();
        try {
          const key = uniqueName("outage");
          expect((await outage.store.hit(key, 60_000)).count).toBe(1);
          await outage.down();
          // Right as the backend goes, and again once a client had time to reconnect to the silence.
          for (const wait of [0, 500]) {
            await Bun.sleep(wait);
            const startedAt = Date.now();
            const failed = await outage.store.hit(key, 60_000).then(
              () => false,
              (error: unknown) => error instanceof Error,
            );
            expect(failed).toBe(true);
            expect(Date.now() - startedAt).toBeLessThanOrEqual(FAIL_WITHIN_MS);
          }
          await outage.up();
          await waitFor(
            "a hit to count again",
            () =>
              outage.store.hit(key, 60_000).then(
                (r) => r.count >= 1,
                () => false,
              ),
            FAIL_WITHIN_MS * 3,
          );
        } finally {
          await outage.store.stop?.();
          await outage.close();
        }
      },
      FAIL_WITHIN_MS * 6,
    );

    test("(8) stop resolves on a store that was never used and on one that was", async () => {
      const unused = await options.make();
      await unused.stop?.();
      const used = await options.make();
      await used.hit(uniqueName("stop"), 1_000);
      await used.stop?.();
    });
  });
}
