/**
 * The whole account story against a real SMTP sink (and real Postgres with
 * TEST_DATABASE_URL): register → verify → login → refresh → reuse detection →
 * forgot → reset → old password fails → sessions revoked. Every log line and
 * every response body is kept, then searched for secrets.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import {
  bearer,
  cookie,
  openShared,
  type Shared,
  sessionFrom,
  startApp,
  type TestApp,
} from "../test/harness.ts";
import { type SmtpSink, startSmtpSink, tokenIn } from "../test/smtp-sink.ts";

let shared: Shared;
let sink: SmtpSink;
let app: TestApp;
const lines: string[] = [];
/** Every response body, with the route that produced it. */
const bodies: Array<{ route: string; text: string }> = [];
const savedSmtp = Bun.env.SMTP_URL;

beforeAll(async () => {
  shared = await openShared();
  sink = await startSmtpSink();
  Bun.env.SMTP_URL = sink.url;
  app = await startApp(shared, {
    auth: {
      verify: true,
      mail: { from: "Lucent <auth@lucent.test>" },
      appUrl: "https://app.lucent.test",
    },
    lines,
    jobs: true,
  });
});
afterAll(async () => {
  await app.close();
  await sink.close();
  await shared.close();
  if (savedSmtp === undefined) delete Bun.env.SMTP_URL;
  else Bun.env.SMTP_URL = savedSmtp;
});

async function call(
  route: string,
  init: { body?: unknown; headers?: Record<string, string>; method?: string } = {},
) {
  const [method, path] = route.split(" ") as [string, string];
  const res = await app.handle(path, {
    method,
    headers: { ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  bodies.push({ route, text });
  return { status: res.status, body: text ? JSON.parse(text) : null, session: sessionFrom(res) };
}

test("an account's life, from registration to a reset that ends every old sign-in, leaks no secret", async () => {
  const email = "story@example.com";
  const first = "first password 1";
  const second = "second password 2";

  // Register: no tokens while the address is unconfirmed, and login is refused.
  const registered = await call("POST /api/auth/register", {
    body: { email, password: first, name: "Story" },
  });
  expect(registered.status).toBe(201);
  expect(registered.body.accessToken).toBeUndefined();
  expect(registered.body.user.emailVerified).toBe(false);
  const early = await call("POST /api/auth/login", { body: { email, password: first } });
  expect(early.status).toBe(403);
  expect(early.body.error.code).toBe("EMAIL_NOT_VERIFIED");

  // Verify with the token from the mail; the token works once.
  const verifyMail = await sink.next(email, "Confirm");
  expect(verifyMail.raw).toContain("auth@lucent.test");
  const verifyToken = tokenIn(verifyMail);
  expect(verifyMail.text).toContain("https://app.lucent.test/verify-email?token=");
  expect((await call("POST /api/auth/verify", { body: { token: verifyToken } })).status).toBe(200);
  expect((await call("POST /api/auth/verify", { body: { token: verifyToken } })).status).toBe(400);
  await sink.next(email, "Welcome");

  // Two sign-ins: one with the cookie session, one whose refresh token leaks.
  const login = await call("POST /api/auth/login", { body: { email, password: first } });
  expect(login.status).toBe(200);
  const { accessToken, refreshToken } = login.body;
  const session = login.session!;
  expect((await call("GET /api/auth/me", { headers: cookie(session) })).body.user.email).toBe(
    email,
  );
  const apiKey = await call("POST /api/auth/api-keys", {
    body: { name: "story" },
    headers: bearer(accessToken),
  });
  expect(apiKey.status).toBe(201);
  expect((await call("GET /api/auth/api-keys", { headers: bearer(accessToken) })).status).toBe(200);

  const rotated = await call("POST /api/auth/refresh", { body: { refreshToken } });
  expect(rotated.status).toBe(200);
  // Reuse detection: the old token again kills the family, the new token included.
  expect((await call("POST /api/auth/refresh", { body: { refreshToken } })).status).toBe(401);
  expect(
    (await call("POST /api/auth/refresh", { body: { refreshToken: rotated.body.refreshToken } }))
      .status,
  ).toBe(401);
  expect(
    (await call("GET /api/auth/me", { headers: bearer(rotated.body.accessToken) })).status,
  ).toBe(401);

  // Another sign-in that the reset must end.
  const later = await call("POST /api/auth/login", { body: { email, password: first } });

  // Forgot → reset with the mailed token.
  const forgot = await call("POST /api/auth/forgot", { body: { email } });
  expect(forgot.status).toBe(200);
  const resetMail = await sink.next(email, "Reset your password");
  const resetToken = tokenIn(resetMail);
  expect(
    (await call("POST /api/auth/reset", { body: { token: resetToken, password: "short" } })).status,
  ).toBe(400);
  expect(
    (await call("POST /api/auth/reset", { body: { token: resetToken, password: second } })).status,
  ).toBe(200);
  expect(
    (
      await call("POST /api/auth/reset", {
        body: { token: resetToken, password: "third password 3" },
      })
    ).status,
  ).toBe(400);
  await sink.next(email, "password was changed");

  // The old password fails, the new one works, and every earlier sign-in is over.
  expect((await call("POST /api/auth/login", { body: { email, password: first } })).status).toBe(
    401,
  );
  const fresh = await call("POST /api/auth/login", { body: { email, password: second } });
  expect(fresh.status).toBe(200);
  expect((await call("GET /api/auth/me", { headers: cookie(session) })).status).toBe(401);
  expect((await call("GET /api/auth/me", { headers: bearer(later.body.accessToken) })).status).toBe(
    401,
  );
  expect(
    (await call("POST /api/auth/refresh", { body: { refreshToken: later.body.refreshToken } }))
      .status,
  ).toBe(401);
  expect((await call("GET /api/auth/me", { headers: bearer(fresh.body.accessToken) })).status).toBe(
    200,
  );

  // Revoking the API key ends it.
  await call(`DELETE /api/auth/api-keys/${apiKey.body.id}`, {
    headers: bearer(fresh.body.accessToken),
  });
  expect(
    (await call("GET /api/auth/me", { headers: { "x-api-key": apiKey.body.key } })).status,
  ).toBe(401);

  // The secrets: each may appear only in the body that issued it, and in no log line.
  const [stored] = await shared.db.execute<{ password: string }>(
    sql`select password from users where email = ${email}`,
  );
  const issued: Array<{ value: string; issuedBy: string | null }> = [
    { value: first, issuedBy: null },
    { value: second, issuedBy: null },
    { value: stored!.password, issuedBy: null },
    { value: verifyToken, issuedBy: null },
    { value: resetToken, issuedBy: null },
    { value: session, issuedBy: null },
    { value: accessToken, issuedBy: "POST /api/auth/login" },
    { value: refreshToken, issuedBy: "POST /api/auth/login" },
    { value: rotated.body.refreshToken, issuedBy: "POST /api/auth/refresh" },
    { value: apiKey.body.key, issuedBy: "POST /api/auth/api-keys" },
  ];
  expect(lines.length).toBeGreaterThan(20);
  const log = lines.join("");
  for (const { value, issuedBy } of issued) {
    expect(log.includes(value)).toBe(false);
    const holders = bodies.filter((b) => b.text.includes(value)).map((b) => b.route);
    expect({
      value: value.slice(0, 6),
      holders: holders.filter((route) => route !== issuedBy),
    }).toEqual({ value: value.slice(0, 6), holders: [] });
    expect(holders.length).toBeLessThanOrEqual(issuedBy ? 3 : 0);
  }
});
