/**
 * A revoked bearer token is refused at once on the instance where it was
 * revoked, at once on another sharing the event bus, and within
 * `callerCacheMs` on one that shares nothing but the database; and a
 * signed-in request asks the database nothing about its token while nothing
 * changed.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type DatabaseAdapter, type LucentModule, memoryBus, renderSql } from "@lucent/core";
import {
  bearer,
  openShared,
  PASSWORD,
  type Shared,
  startApp,
  type TestApp,
} from "../test/harness.ts";

let shared: Shared;
beforeAll(async () => {
  shared = await openShared();
});
afterAll(() => shared.close());

const me = (app: TestApp, token: string) => app.handle("/api/auth/me", { headers: bearer(token) });

describe("one instance", () => {
  let app: TestApp;
  beforeAll(async () => {
    // A bound far longer than the test: only news can make a refusal happen.
    app = await startApp(shared, { auth: { callerCacheMs: 60_000 } });
  });
  afterAll(() => app.close());

  test("a logout refuses the token on the next request", async () => {
    const { accessToken } = await app.signUp("logout@example.com");
    expect((await me(app, accessToken)).status).toBe(200);
    expect((await app.post("/api/auth/logout", {}, bearer(accessToken))).status).toBe(200);
    expect((await me(app, accessToken)).status).toBe(401);
  });

  test("a password change refuses the user's other tokens on the next request", async () => {
    const first = await app.signUp("change@example.com");
    const second = await app.signIn("change@example.com");
    expect((await me(app, second.accessToken)).status).toBe(200);
    const changed = await app.handle(`/api/users/${first.user.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", ...bearer(first.accessToken) },
      body: JSON.stringify({ password: "a brand new password", currentPassword: PASSWORD }),
    });
    expect(changed.status).toBe(200);
    expect((await me(app, second.accessToken)).status).toBe(401);
    expect((await me(app, first.accessToken)).status).toBe(200);
  });

  test("a deleted user's token is refused on the next request", async () => {
    const { accessToken, user } = await app.signUp("gone@example.com");
    expect((await me(app, accessToken)).status).toBe(200);
    await app.kernel.lucent.delete({ collection: "users", id: user.id, overrideAccess: true });
    expect((await me(app, accessToken)).status).toBe(401);
  });

  test("a changed role applies to the next request", async () => {
    const { accessToken, user } = await app.signUp("role@example.com");
    const roleOf = async () =>
      ((await (await me(app, accessToken)).json()) as { user: { role: string } }).user.role;
    expect(await roleOf()).toBe("user");
    await app.kernel.lucent.update({
      collection: "users",
      id: user.id,
      data: { role: "admin" },
      overrideAccess: true,
    });
    expect(await roleOf()).toBe("admin");
  });

  test("signing out everywhere refuses every token of the user", async () => {
    const { accessToken, user } = await app.signUp("everywhere@example.com");
    expect((await me(app, accessToken)).status).toBe(200);
    await (
      app.kernel.lucent as unknown as { auth: { revokeAll(i: { userId: string }): Promise<void> } }
    ).auth.revokeAll({
      userId: user.id,
    });
    expect((await me(app, accessToken)).status).toBe(401);
  });
});

describe("two instances", () => {
  test("sharing the event bus: a logout on one refuses the token on the other at once", async () => {
    const bus = memoryBus();
    const sharedBus: LucentModule = { name: "shared-bus", drivers: { bus: () => bus } };
    const a = await startApp(shared, { auth: { callerCacheMs: 60_000 }, modules: [sharedBus] });
    const b = await startApp(shared, { auth: { callerCacheMs: 60_000 }, modules: [sharedBus] });
    try {
      const { accessToken } = await a.signUp("two-bus@example.com");
      expect((await me(b, accessToken)).status).toBe(200);
      expect((await a.post("/api/auth/logout", {}, bearer(accessToken))).status).toBe(200);
      expect((await me(b, accessToken)).status).toBe(401);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("sharing only the database: the token is refused on the other within callerCacheMs", async () => {
    const a = await startApp(shared, { auth: { callerCacheMs: 200 } });
    const b = await startApp(shared, { auth: { callerCacheMs: 200 } });
    try {
      const { accessToken } = await a.signUp("two-db@example.com");
      expect((await me(b, accessToken)).status).toBe(200);
      expect((await a.post("/api/auth/logout", {}, bearer(accessToken))).status).toBe(200);
      await Bun.sleep(250);
      expect((await me(b, accessToken)).status).toBe(401);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("statements", () => {
  test("a signed-in request asks nothing about its token while nothing changed", async () => {
    const statements: string[] = [];
    const counting = (inner: DatabaseAdapter): DatabaseAdapter =>
      new Proxy(inner, {
        get(target, key, receiver) {
          if (key === "execute")
            return (query: Parameters<DatabaseAdapter["execute"]>[0]) => {
              statements.push(renderSql(query).sql);
              return target.execute(query);
            };
          if (key === "transaction")
            return <T>(fn: (tx: DatabaseAdapter) => Promise<T>) =>
              target.transaction((tx) => fn(counting(tx)));
          return Reflect.get(target, key, receiver);
        },
      });
    const app = await startApp(shared, { db: counting(shared.db) });
    try {
      const { accessToken } = await app.signUp("count@example.com");
      await me(app, accessToken);
      statements.length = 0;
      for (let i = 0; i < 10; i++) expect((await me(app, accessToken)).status).toBe(200);
      expect(statements.filter((s) => s.includes("lucent_refresh_tokens"))).toEqual([]);
      // What is left is /auth/me's own read of the caller's document: one per request.
      expect(statements.length).toBe(10);
    } finally {
      await app.close();
    }
  });
});
