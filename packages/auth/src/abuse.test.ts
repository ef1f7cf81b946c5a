import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { ConfigError } from "@lucent/core";
import { sql } from "drizzle-orm";
import {
  openShared,
  type Shared,
  startApp,
  TEST_JWT_SECRET,
  type TestApp,
} from "../test/harness.ts";

let shared: Shared;
let app: TestApp;
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared, { api: { rateLimit: { api: 100_000, sensitive: 100_000 } } });
  await app.post("/api/auth/register", { email: "locked@example.com", password: PASSWORD });
});
afterAll(async () => {
  await app.close();
  await shared.close();
});

const login = (email: string, password: string) => app.post("/api/auth/login", { email, password });
const strip = async (r: Response) => ({
  status: r.status,
  ...(await r.json()),
  requestId: undefined,
  error: undefined,
  code: undefined,
});

describe("lockout", () => {
  test("five failures lock the account: the right password then gets 423 with Retry-After", async () => {
    for (let i = 0; i < 5; i++)
      expect((await login("locked@example.com", "wrong password")).status).toBe(401);
    const res = await login("locked@example.com", PASSWORD);
    expect(res.status).toBe(423);
    expect((await res.json()).error.code).toBe("ACCOUNT_LOCKED");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(800);
  });

  test("the lock lifts after its 15 minutes and the right password works again", async () => {
    await shared.db.execute(
      sql`update lucent_auth_lockouts set locked_until = now() - interval '1 second'`,
    );
    await shared.db.execute(
      sql`update lucent_auth_login_failures set created_at = now() - interval '16 minutes'`,
    );
    expect((await login("locked@example.com", PASSWORD)).status).toBe(200);
  });

  test("an email without an account locks the same way, so a 423 does not reveal existence", async () => {
    for (let i = 0; i < 5; i++) await login("ghost@example.com", "wrong password");
    expect((await login("ghost@example.com", "whatever1")).status).toBe(423);
  });

  test("failures older than the window do not count towards a lock", async () => {
    for (let i = 0; i < 4; i++) await login("locked@example.com", "wrong password");
    await shared.db.execute(
      sql`update lucent_auth_login_failures set created_at = now() - interval '16 minutes'`,
    );
    await login("locked@example.com", "wrong password");
    expect((await login("locked@example.com", PASSWORD)).status).toBe(200);
  });
});

describe("enumeration resistance", () => {
  test("login gives the same answer for a known email with a wrong password and an unknown email", async () => {
    const known = await login("locked@example.com", "not the password");
    const unknown = await login("nobody-here@example.com", "not the password");
    expect(known.status).toBe(401);
    const [a, b] = [await known.json(), await unknown.json()];
    expect({ ...a.error, requestId: 0 }).toEqual({ ...b.error, requestId: 0 });
  });

  test("forgot gives the same answer for a known and an unknown email", async () => {
    const known = await app.post("/api/auth/forgot", { email: "locked@example.com" });
    const unknown = await app.post("/api/auth/forgot", { email: "nobody-here@example.com" });
    expect(known.status).toBe(200);
    expect(await strip(known)).toEqual(await strip(unknown));
  });
});

describe("rate limits", () => {
  test("auth routes are declared sensitive, so they get the tighter budget", async () => {
    const tight = await startApp(shared, { api: { rateLimit: { api: 1000, sensitive: 2 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await tight.post("/api/auth/forgot", { email: "a@example.com" })).status);
      expect(statuses).toEqual([200, 200, 429]);
      expect((await tight.handle("/api/notes")).status).toBe(200);
    } finally {
      await tight.close();
    }
  });
});

describe("secrets in production", () => {
  const saved = { ...Bun.env };
  afterEach(() => {
    Bun.env.NODE_ENV = saved.NODE_ENV;
    Bun.env.JWT_SECRET = TEST_JWT_SECRET;
    Bun.env.SESSION_SECRET = saved.SESSION_SECRET;
  });

  test.each(["JWT_SECRET", "SESSION_SECRET"])(
    "a %s shorter than 32 bytes stops startup",
    async (name) => {
      Bun.env.NODE_ENV = "production";
      Bun.env[name] = "too-short-secret";
      // Mail is configured, so the secret is the only problem (production refuses the implicit console transport).
      const error = await startApp(shared, { auth: { mail: { transport: async () => {} } } }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain(name);
      expect((error as ConfigError).message).not.toContain("too-short-secret");
    },
  );
});
