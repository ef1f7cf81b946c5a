import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  bearer,
  cookie,
  openShared,
  type Shared,
  sessionFrom,
  startApp,
  type TestApp,
} from "../test/harness.ts";

let shared: Shared;
let app: TestApp;

beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared);
});
afterAll(async () => {
  await app.close();
  await shared.close();
});

const register = (email: string, extra: Record<string, unknown> = {}) =>
  app.post("/api/auth/register", { email, password: "correct horse battery", ...extra });

describe("register", () => {
  test("creates the user, lower-cases the email, signs them in and never returns the password", async () => {
    const res = await register("Ada@Example.com", { name: "Ada" });
    expect(res.status).toBe(201);
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body.user).toMatchObject({ email: "ada@example.com", name: "Ada", role: "user" });
    expect(typeof body.accessToken).toBe("string");
    expect(typeof body.refreshToken).toBe("string");
    expect(body.expiresIn).toBe(900);
    expect(text).not.toContain("correct horse battery");
    expect(text).not.toContain("argon2");
    expect(sessionFrom(res)).toBeDefined();
    expect(res.headers.get("set-cookie")).toContain("HttpOnly");
    expect(res.headers.get("set-cookie")).toContain("SameSite=Lax");
  });

  test("drops a field an anonymous caller may not create, such as role", async () => {
    const res = await register("mallory@example.com", { role: "admin" });
    expect(res.status).toBe(201);
    expect((await res.json()).user.role).toBe("user");
  });

  test("refuses a taken email with 409 and a short password with 400", async () => {
    expect((await register("ada@example.com")).status).toBe(409);
    const short = await app.post("/api/auth/register", {
      email: "short@example.com",
      password: "1234567",
    });
    expect(short.status).toBe(400);
    expect((await short.json()).error.code).toBe("VALIDATION_ERROR");
  });

  test("refuses an unknown field with 400 rather than ignoring it", async () => {
    const res = await register("extra@example.com", { nickname: "x" });
    expect(res.status).toBe(400);
  });
});

describe("login, me, refresh, logout", () => {
  test("login answers the same shape as register and me returns the caller by token, cookie and API key", async () => {
    await register("grace@example.com");
    const res = await app.post("/api/auth/login", {
      email: "GRACE@example.com",
      password: "correct horse battery",
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user.email).toBe("grace@example.com");
    const me = await app.handle("/api/auth/me", { headers: bearer(body.accessToken) });
    expect((await me.json()).user.email).toBe("grace@example.com");
    const session = sessionFrom(res)!;
    const byCookie = await app.handle("/api/auth/me", { headers: cookie(session) });
    expect((await byCookie.json()).user.email).toBe("grace@example.com");
    const created = await app.post("/api/auth/api-keys", { name: "ci" }, bearer(body.accessToken));
    expect(created.status).toBe(201);
    const key = await created.json();
    expect(key.key.startsWith(key.prefix)).toBe(true);
    const byKey = await app.handle("/api/auth/me", { headers: { "x-api-key": key.key } });
    expect((await byKey.json()).user.email).toBe("grace@example.com");
  });

  test("me without credentials is 401 in the contract's envelope", async () => {
    const res = await app.handle("/api/auth/me");
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.error.code).toBe("UNAUTHORIZED");
    expect(typeof body.error.requestId).toBe("string");
  });

  test("a wrong password is 401 and the body is the same for an unknown email", async () => {
    const known = await app.post("/api/auth/login", {
      email: "grace@example.com",
      password: "wrong password",
    });
    const unknown = await app.post("/api/auth/login", {
      email: "nobody@example.com",
      password: "wrong password",
    });
    expect(known.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = async (r: Response) => ({ ...(await r.json()).error, requestId: undefined });
    expect(await strip(known)).toEqual(await strip(unknown));
  });

  test("refresh rotates, and the rotated token is refused afterwards", async () => {
    const login = await app.signIn("grace@example.com");
    const first = await app.post("/api/auth/refresh", { refreshToken: login.refreshToken });
    expect(first.status).toBe(200);
    const pair = await first.json();
    expect(pair.refreshToken).not.toBe(login.refreshToken);
    expect((await app.post("/api/auth/refresh", { refreshToken: login.refreshToken })).status).toBe(
      401,
    );
    // Reuse revoked the family: the newest token and its access token are dead too.
    expect((await app.post("/api/auth/refresh", { refreshToken: pair.refreshToken })).status).toBe(
      401,
    );
    expect((await app.handle("/api/auth/me", { headers: bearer(pair.accessToken) })).status).toBe(
      401,
    );
  });

  test("logout revokes the session cookie and the token's refresh family", async () => {
    const res = await app.post("/api/auth/login", {
      email: "grace@example.com",
      password: "correct horse battery",
    });
    const body = await res.json();
    const session = sessionFrom(res)!;
    expect((await app.post("/api/auth/logout", {}, cookie(session))).status).toBe(200);
    expect((await app.handle("/api/auth/me", { headers: cookie(session) })).status).toBe(401);
    expect((await app.post("/api/auth/logout", {}, bearer(body.accessToken))).status).toBe(200);
    expect((await app.handle("/api/auth/me", { headers: bearer(body.accessToken) })).status).toBe(
      401,
    );
    expect((await app.post("/api/auth/refresh", { refreshToken: body.refreshToken })).status).toBe(
      401,
    );
  });
});

describe("API keys", () => {
  test("the list never carries keys, a revoked key is 401, and a key cannot manage keys", async () => {
    const login = await app.signIn("grace@example.com");
    const created = await (
      await app.post("/api/auth/api-keys", { name: "deploy" }, bearer(login.accessToken))
    ).json();
    const list = await app.handle("/api/auth/api-keys", { headers: bearer(login.accessToken) });
    const text = await list.text();
    expect(text).not.toContain(created.key);
    const docs = JSON.parse(text).docs as Array<{
      id: string;
      lastUsedAt: string | null;
      key?: string;
    }>;
    expect(docs.find((d) => d.id === created.id)).toMatchObject({ lastUsedAt: null });
    expect(docs.every((d) => d.key === undefined)).toBe(true);
    expect(
      (await app.post("/api/auth/api-keys", { name: "x" }, { "x-api-key": created.key })).status,
    ).toBe(403);
    const del = await app.handle(`/api/auth/api-keys/${created.id}`, {
      method: "DELETE",
      headers: bearer(login.accessToken),
    });
    expect(del.status).toBe(200);
    expect(
      (await app.handle("/api/auth/me", { headers: { "x-api-key": created.key } })).status,
    ).toBe(401);
  });

  test("another user's key id is a 404", async () => {
    const a = await app.signIn("grace@example.com");
    const b = await (await register("other@example.com")).json();
    const key = await (
      await app.post("/api/auth/api-keys", { name: "mine" }, bearer(a.accessToken))
    ).json();
    const res = await app.handle(`/api/auth/api-keys/${key.id}`, {
      method: "DELETE",
      headers: bearer(b.accessToken),
    });
    expect(res.status).toBe(404);
  });

  test("regression: revoking a key by an id that is not a UUID is a 400, as on core's routes (it was a 404)", async () => {
    const a = await app.signIn("grace@example.com");
    const res = await app.handle("/api/auth/api-keys/not-a-uuid", {
      method: "DELETE",
      headers: bearer(a.accessToken),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({
      code: "VALIDATION_ERROR",
      details: [{ path: "id", message: "must be a UUID" }],
    });
  });
});

describe("core routes", () => {
  test("collection routes see the caller resolved by the module", async () => {
    const login = await app.signIn("grace@example.com");
    expect((await app.post("/api/notes", { title: "anon" })).status).toBe(401);
    expect(
      (await app.post("/api/notes", { title: "mine" }, bearer(login.accessToken))).status,
    ).toBe(201);
  });
});
