/** What an instance keeps of bearer callers: trusted within the bound, forgotten on news, never stale after it. */
import { expect, test } from "bun:test";
import { createCallerCache } from "./caller-cache.ts";

const USER = "01900000-0000-7000-8000-000000000001";
const FAMILY = "01900000-0000-7000-8000-0000000000f1";

test("a live family is asked for once within the bound", async () => {
  const cache = createCallerCache({ ttlMs: 60_000, maxEntries: 10 });
  let asked = 0;
  const load = async () => {
    asked++;
    return true;
  };
  expect(await cache.familyLive(FAMILY, USER, load)).toBe(true);
  expect(await cache.familyLive(FAMILY, USER, load)).toBe(true);
  expect(asked).toBe(1);
});

test("with a bound of 0 the database is asked every time", async () => {
  const cache = createCallerCache({ ttlMs: 0, maxEntries: 10 });
  let asked = 0;
  for (let i = 0; i < 3; i++)
    await cache.familyLive(FAMILY, USER, async () => {
      asked++;
      return true;
    });
  expect(asked).toBe(3);
});

test("a forgotten family is revoked for good, whatever a late load says", async () => {
  const cache = createCallerCache({ ttlMs: 60_000, maxEntries: 10 });
  let release!: (live: boolean) => void;
  const slow = cache.familyLive(FAMILY, USER, () => new Promise((r) => (release = r)));
  cache.forgetFamily(FAMILY);
  release(true);
  // The load began before the news: its answer is its caller's, and is not kept.
  expect(await slow).toBe(true);
  expect(await cache.familyLive(FAMILY, USER, async () => true)).toBe(false);
});

test("news of a user drops their user document and live families, and a load in flight is not kept", async () => {
  const cache = createCallerCache({ ttlMs: 60_000, maxEntries: 10 });
  await cache.familyLive(FAMILY, USER, async () => true);
  await cache.user(USER, async () => ({ id: USER, collection: "users", role: "admin" }));
  let release!: (v: { id: string; collection: string; role: string }) => void;
  const inFlight = cache.user(USER, async () => ({ id: USER, collection: "users", role: "admin" }));
  expect((await inFlight)?.role).toBe("admin");
  const late = new Promise<{ id: string; collection: string; role: string }>((r) => (release = r));
  cache.forgetUser(USER);
  const reloading = cache.user(USER, () => late);
  cache.forgetUser(USER);
  release({ id: USER, collection: "users", role: "admin" });
  await reloading;
  expect(
    (await cache.user(USER, async () => ({ id: USER, collection: "users", role: "user" })))?.role,
  ).toBe("user");
  let asked = 0;
  await cache.familyLive(FAMILY, USER, async () => {
    asked++;
    return true;
  });
  expect(asked).toBe(1);
});

test("a cached user cannot be changed by one request for the others", async () => {
  const cache = createCallerCache({ ttlMs: 60_000, maxEntries: 10 });
  const user = await cache.user(USER, async () => ({
    id: USER,
    collection: "users",
    role: "user",
  }));
  expect(() => {
    (user as Record<string, unknown>).role = "admin";
  }).toThrow();
});

test("the oldest entries go once the bound on size is reached", async () => {
  const cache = createCallerCache({ ttlMs: 60_000, maxEntries: 2 });
  let asked = 0;
  const load = async () => {
    asked++;
    return true;
  };
  for (const f of ["a", "b", "c", "a"]) await cache.familyLive(f, USER, load);
  expect(asked).toBe(4);
});
