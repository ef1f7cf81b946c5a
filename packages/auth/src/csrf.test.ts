/**
 * Login CSRF (CONTRACT §8): a page on another site must not sign the
 * browser in to an account of the attacker's choosing, nor sign it up.
 * Sign-in routes refuse cross-site requests by the Origin / Sec-Fetch-Site
 * rule, and every auth route reads `application/json` bodies only, the one
 * kind a foreign page cannot send without a CORS preflight.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import {
  bearer,
  openShared,
  PASSWORD,
  type Shared,
  sessionFrom,
  startApp,
  type TestApp,
} from "../test/harness.ts";

let shared: Shared;
let app: TestApp;
let accessToken: string;

beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared, {
    api: { rateLimit: false, cors: { origin: ["https://app.example.com"], credentials: true } },
  });
  accessToken = (await app.signUp("attacker@example.com")).accessToken;
});
afterAll(async () => {
  await app.close();
  await shared.close();
});

const credentials = JSON.stringify({ email: "attacker@example.com", password: PASSWORD });
const CROSS_SITE: Array<{ name: string; headers: Record<string, string> }> = [
  { name: "a foreign Origin", headers: { origin: "https://evil.example" } },
  { name: "Origin null (a sandboxed frame)", headers: { origin: "null" } },
  { name: "Sec-Fetch-Site cross-site without Origin", headers: { "sec-fetch-site": "cross-site" } },
];

async function usersNamed(email: string): Promise<number> {
  const rows = await shared.db.execute<{ n: number | string }>(
    sql`select count(*) as n from users where email = ${email}`,
  );
  return Number(rows[0]!.n);
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect((await res.json()).error.code).toBe(code);
  expect(sessionFrom(res)).toBeUndefined();
}

describe("login CSRF: a cross-site sign-in is refused and sets no session cookie", () => {
  test("a cross-site text/plain form POST to /api/auth/login (the attack as a browser sends it)", async () => {
    const res = await app.handle("/api/auth/login", {
      method: "POST",
      headers: {
        "content-type": "text/plain",
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      },
      body: credentials,
    });
    await expectError(res, 403, "FORBIDDEN");
  });

  for (const { name, headers } of CROSS_SITE) {
    test(`login from ${name} is 403, even with a JSON body`, async () => {
      await expectError(
        await app.post(
          "/api/auth/login",
          { email: "attacker@example.com", password: PASSWORD },
          headers,
        ),
        403,
        "FORBIDDEN",
      );
    });

    test(`register from ${name} is 403 and creates no account`, async () => {
      const email = `csrf-${Bun.randomUUIDv7().slice(-8)}@example.com`;
      await expectError(
        await app.post("/api/auth/register", { email, password: PASSWORD }, headers),
        403,
        "FORBIDDEN",
      );
      expect(await usersNamed(email)).toBe(0);
    });
  }

  test("the app's own origin, an allowed CORS origin, a same-site page and a non-browser client sign in", async () => {
    const passing: Array<Record<string, string>> = [
      { origin: "http://localhost" },
      { origin: "https://app.example.com" },
      { "sec-fetch-site": "same-origin" },
      {},
    ];
    for (const headers of passing) {
      const res = await app.post(
        "/api/auth/login",
        { email: "attacker@example.com", password: PASSWORD },
        headers,
      );
      expect(res.status).toBe(200);
      expect(sessionFrom(res)).toBeDefined();
    }
  });
});

describe("auth routes take application/json bodies only", () => {
  const ROUTES = [
    "/api/auth/login",
    "/api/auth/register",
    "/api/auth/refresh",
    "/api/auth/logout",
    "/api/auth/forgot",
    "/api/auth/reset",
    "/api/auth/verify",
    "/api/auth/api-keys",
  ];
  const BODIES = [
    { type: "text/plain", body: credentials },
    { type: "application/x-www-form-urlencoded", body: `email=attacker%40example.com` },
    { type: "multipart/form-data; boundary=x", body: "--x--\r\n" },
  ];

  for (const route of ROUTES) {
    test(`${route} answers a text/plain, form or multipart body with 400, same-site or not`, async () => {
      for (const { type, body } of BODIES) {
        const res = await app.handle(route, {
          method: "POST",
          headers: { "content-type": type, ...bearer(accessToken) },
          body,
        });
        const envelope = await res.json();
        expect({ type, status: res.status, code: envelope.error.code }).toEqual({
          type,
          status: 400,
          code: "VALIDATION_ERROR",
        });
        expect(envelope.error.details).toEqual([{ path: "", message: "unsupported content type" }]);
        expect(sessionFrom(res)).toBeUndefined();
      }
    });
  }

  test("a body without a Content-Type is refused too", async () => {
    // Bytes get no Content-Type from fetch (a string would be labelled text/plain).
    const res = await app.handle("/api/auth/login", {
      method: "POST",
      body: new TextEncoder().encode(credentials),
    });
    expect(res.headers.get("content-type")).toContain("application/json");
    await expectError(res, 400, "VALIDATION_ERROR");
  });

  test("a bare POST without body or Content-Type still logs out (a body of {})", async () => {
    const { refreshToken, accessToken: token } = await app.signIn("attacker@example.com");
    const res = await app.handle("/api/auth/logout", { method: "POST", headers: bearer(token) });
    expect(res.status).toBe(200);
    expect((await app.post("/api/auth/refresh", { refreshToken })).status).toBe(401);
  });

  test("application/json with a charset, and a +json type, are JSON", async () => {
    for (const type of ["application/json; charset=utf-8", "application/vnd.api+json"]) {
      const res = await app.handle("/api/auth/login", {
        method: "POST",
        headers: { "content-type": type },
        body: credentials,
      });
      expect(res.status).toBe(200);
    }
  });
});
