import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import {
  bearer,
  cookie,
  openShared,
  type Shared,
  sessionFrom,
  startApp,
  TEST_JWT_SECRET,
  type TestApp,
} from "../test/harness.ts";

let shared: Shared;
let app: TestApp;
let victim: { id: string; accessToken: string; familyId: string };

const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const claims = () => ({ col: "users", fid: victim.familyId, typ: "access" });

beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared, {
    api: { rateLimit: false, cors: { origin: ["https://app.example.com"], credentials: true } },
  });
  const body = await app.signUp("victim@example.com");
  const payload = JSON.parse(Buffer.from(body.accessToken.split(".")[1]!, "base64url").toString());
  victim = { id: body.user.id, accessToken: body.accessToken, familyId: payload.fid };
});
afterAll(async () => {
  await app.close();
  await shared.close();
});

const me = (headers: Record<string, string>) => app.handle("/api/auth/me", { headers });
async function expect401(res: Response) {
  expect(res.status).toBe(401);
  expect((await res.json()).error.code).toBe("UNAUTHORIZED");
}

describe("forged and stale access tokens are all 401", () => {
  test("the genuine token works (the control)", async () => {
    expect((await me(bearer(victim.accessToken))).status).toBe(200);
  });

  test("alg none", async () => {
    const token = new UnsecuredJWT(claims())
      .setSubject(victim.id)
      .setIssuer("lucent")
      .setIssuedAt()
      .setExpirationTime("10m")
      .encode();
    await expect401(await me(bearer(token)));
  });

  test("an RS256 token (HS/RS confusion: the server never lets a token pick an asymmetric algorithm)", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: "RS256" })
      .setSubject(victim.id)
      .setIssuer("lucent")
      .setExpirationTime("10m")
      .sign(privateKey);
    await expect401(await me(bearer(token)));
  });

  test("HS512 with the right secret (only HS256 is accepted)", async () => {
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: "HS512" })
      .setSubject(victim.id)
      .setIssuer("lucent")
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(`${TEST_JWT_SECRET}${TEST_JWT_SECRET}`));
    await expect401(await me(bearer(token)));
  });

  test("a signature made with another secret", async () => {
    const other = new TextEncoder().encode("another-secret-of-sufficient-length-0123456789");
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(victim.id)
      .setIssuer("lucent")
      .setExpirationTime("10m")
      .sign(other);
    await expect401(await me(bearer(token)));
  });

  test("an expired token signed with the right secret", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(victim.id)
      .setIssuer("lucent")
      .setIssuedAt(now - 3600)
      .setExpirationTime(now - 60)
      .sign(secret);
    await expect401(await me(bearer(token)));
  });

  test("a malformed Authorization header", async () => {
    await expect401(await me({ authorization: "Basic dXNlcjpwYXNz" }));
  });

  test("a token of a deleted user", async () => {
    const body = await app.signUp("gone@example.com");
    await shared.db.execute(sql`delete from users where id = ${body.user.id}::uuid`);
    await expect401(await me(bearer(body.accessToken)));
    await expect401(await app.post("/api/auth/refresh", { refreshToken: body.refreshToken }));
  });

  test("a revoked session", async () => {
    const res = await app.post("/api/auth/login", {
      email: "victim@example.com",
      password: "correct horse battery",
    });
    const session = sessionFrom(res)!;
    expect((await me(cookie(session))).status).toBe(200);
    await app.post("/api/auth/logout", {}, cookie(session));
    await expect401(await me(cookie(session)));
  });

  test("a made-up session id", async () => {
    await expect401(await me(cookie("a".repeat(52))));
  });

  test("a revoked API key, and a made-up one", async () => {
    const key = await (
      await app.post("/api/auth/api-keys", { name: "k" }, bearer(victim.accessToken))
    ).json();
    expect((await me({ "x-api-key": key.key })).status).toBe(200);
    await app.handle(`/api/auth/api-keys/${key.id}`, {
      method: "DELETE",
      headers: bearer(victim.accessToken),
    });
    await expect401(await me({ "x-api-key": key.key }));
    await expect401(await me({ "x-api-key": `${key.prefix}_${"b".repeat(52)}` }));
  });
});

describe("cross-site requests riding the session cookie", () => {
  let session: string;
  beforeAll(async () => {
    session = sessionFrom(
      await app.post("/api/auth/login", {
        email: "victim@example.com",
        password: "correct horse battery",
      }),
    )!;
  });
  const write = (headers: Record<string, string>) =>
    app.post("/api/notes", { title: "t" }, { ...cookie(session), ...headers });

  test("a write from a foreign Origin is 403 in the contract's envelope", async () => {
    const res = await write({ origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("FORBIDDEN");
  });

  test("a write with Sec-Fetch-Site cross-site and no Origin is 403", async () => {
    expect((await write({ "sec-fetch-site": "cross-site" })).status).toBe(403);
  });

  test("the app's own origin, an allowed CORS origin, and a non-browser client pass", async () => {
    expect((await write({ origin: "http://localhost" })).status).toBe(201);
    expect((await write({ origin: "https://app.example.com" })).status).toBe(201);
    expect((await write({})).status).toBe(201);
  });

  test("a read from a foreign origin and a bearer-authenticated write are not refused", async () => {
    expect(
      (
        await app.handle("/api/auth/me", {
          headers: { ...cookie(session), origin: "https://evil.example" },
        })
      ).status,
    ).toBe(200);
    const res = await app.post(
      "/api/notes",
      { title: "t" },
      { ...bearer(victim.accessToken), origin: "https://evil.example" },
    );
    expect(res.status).toBe(201);
  });

  test("logout from a foreign origin is refused, so the session survives", async () => {
    expect(
      (
        await app.post(
          "/api/auth/logout",
          {},
          { ...cookie(session), origin: "https://evil.example" },
        )
      ).status,
    ).toBe(403);
    expect((await me(cookie(session))).status).toBe(200);
  });
});
