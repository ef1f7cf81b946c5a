/**
 * Changing a password or an email through `PATCH /api/users/:id`
 * (CONTRACT §8, "Changing credentials"), against the module's real routes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { MailMessage } from "@lucent/core";
import { sql } from "drizzle-orm";
import {
  bearer,
  cookie,
  openShared,
  PASSWORD,
  type Shared,
  type SignedInBody,
  sessionFrom,
  startApp,
  type TestApp,
} from "../test/harness.ts";
import type { AuthApi } from "./api.ts";

let shared: Shared;
let app: TestApp;
const sent: MailMessage[] = [];
const lines: string[] = [];

beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared, {
    auth: { verify: true, mail: { transport: async (m) => void sent.push(m), queue: false } },
    lines,
  });
});
afterAll(async () => {
  await app.close();
  await shared.close();
});

/** The token of the latest mail to `to` whose subject starts with `subject`, once it was sent. */
async function mailedToken(to: string, subject: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const mail = sent.findLast((m) => m.to === to && m.subject.startsWith(subject));
    const token = mail && /[?&]token=([a-z0-9]+)/.exec(mail.text)?.[1];
    if (token) return token;
    await Bun.sleep(10);
  }
  throw new Error(`no "${subject}" mail to ${to}`);
}

async function mailTo(to: string, subject: string): Promise<MailMessage> {
  for (let i = 0; i < 200; i++) {
    const mail = sent.find((m) => m.to === to && m.subject.startsWith(subject));
    if (mail) return mail;
    await Bun.sleep(10);
  }
  throw new Error(`no "${subject}" mail to ${to}`);
}

/** A registered, verified and signed-in user. */
async function account(email: string): Promise<SignedInBody> {
  await app.post("/api/auth/register", { email, password: PASSWORD });
  const token = await mailedToken(email, "Confirm");
  expect((await app.post("/api/auth/verify", { token })).status).toBe(200);
  return app.signIn(email);
}

async function apiKeyOf(user: SignedInBody): Promise<string> {
  const res = await app.post("/api/auth/api-keys", { name: "ci" }, bearer(user.accessToken));
  return (await res.json()).key;
}

const patchUser = (id: string, body: unknown, headers: Record<string, string>) =>
  app.handle(`/api/users/${id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

const me = (headers: Record<string, string>) => app.handle("/api/auth/me", { headers });

async function expectForbidden(res: Response) {
  expect(res.status).toBe(403);
  expect((await res.json()).error.code).toBe("FORBIDDEN");
}

describe("regression: a leaked API key took the account", () => {
  test("an API key alone cannot change its owner's password or email, even with the right currentPassword", async () => {
    const owner = await account("key-owner@example.com");
    const key = await apiKeyOf(owner);
    const asKey = { "x-api-key": key };
    await expectForbidden(
      await patchUser(
        owner.user.id,
        { password: "taken over 1", currentPassword: PASSWORD },
        asKey,
      ),
    );
    await expectForbidden(
      await patchUser(
        owner.user.id,
        { email: "thief@example.com", currentPassword: PASSWORD },
        asKey,
      ),
    );
    // The key still does what keys are for.
    expect((await patchUser(owner.user.id, { name: "Renamed" }, asKey)).status).toBe(200);
    expect(
      (await app.post("/api/auth/login", { email: "key-owner@example.com", password: PASSWORD }))
        .status,
    ).toBe(200);
  });

  test("an admin's API key cannot change another user's password or email", async () => {
    const admin = await account("key-admin@example.com");
    await shared.db.execute(sql`update users set role = 'admin' where id = ${admin.user.id}::uuid`);
    const target = await account("key-target@example.com");
    const asKey = { "x-api-key": await apiKeyOf(admin) };
    await expectForbidden(await patchUser(target.user.id, { password: "taken over 2" }, asKey));
    await expectForbidden(await patchUser(target.user.id, { email: "mine@example.com" }, asKey));
  });

  test("a password reset revokes every session, refresh family and API key, the resetting request's own included", async () => {
    const user = await account("reset-all@example.com");
    const key = await apiKeyOf(user);
    const other = await app.post("/api/auth/login", {
      email: "reset-all@example.com",
      password: PASSWORD,
    });
    const session = sessionFrom(other)!;
    await app.post("/api/auth/forgot", { email: "reset-all@example.com" });
    const token = await mailedToken("reset-all@example.com", "Reset");
    const reset = await app.post(
      "/api/auth/reset",
      { token, password: "after reset 1" },
      bearer(user.accessToken),
    );
    expect(reset.status).toBe(200);
    expect((await me({ "x-api-key": key })).status).toBe(401);
    expect((await me(bearer(user.accessToken))).status).toBe(401);
    expect((await me(cookie(session))).status).toBe(401);
    expect((await app.post("/api/auth/refresh", { refreshToken: user.refreshToken })).status).toBe(
      401,
    );
  });

  test("revokeAll ends the user's API keys along with sessions and refresh families", async () => {
    const user = await account("revoke-all@example.com");
    const key = await apiKeyOf(user);
    const api = (app.kernel.lucent as unknown as { auth: AuthApi }).auth;
    await api.revokeAll({ userId: user.user.id });
    expect((await me({ "x-api-key": key })).status).toBe(401);
    expect((await me(bearer(user.accessToken))).status).toBe(401);
  });
});

describe("changing one's own password", () => {
  test("needs currentPassword: 403 without it or when it is wrong, 400 when it is not a string", async () => {
    const user = await account("self-pw@example.com");
    const asUser = bearer(user.accessToken);
    await expectForbidden(await patchUser(user.user.id, { password: "new password 1" }, asUser));
    await expectForbidden(
      await patchUser(
        user.user.id,
        { password: "new password 1", currentPassword: "guess 123" },
        asUser,
      ),
    );
    const typed = await patchUser(
      user.user.id,
      { password: "new password 1", currentPassword: 1 },
      asUser,
    );
    expect(typed.status).toBe(400);
    expect((await typed.json()).error.details[0].path).toBe("currentPassword");
    await expectForbidden(
      await patchUser(user.user.id, { email: "elsewhere@example.com" }, asUser),
    );
    expect(
      (await app.post("/api/auth/login", { email: "self-pw@example.com", password: PASSWORD }))
        .status,
    ).toBe(200);
  });

  test("with the right currentPassword it ends every other session, refresh family and API key, keeps the caller's, and stores or echoes neither password", async () => {
    const user = await account("self-pw-ok@example.com");
    const key = await apiKeyOf(user);
    const other = await app.post("/api/auth/login", {
      email: "self-pw-ok@example.com",
      password: PASSWORD,
    });
    const otherBody = (await other.json()) as SignedInBody;
    const session = sessionFrom(other)!;
    const next = "a brand new password";
    const res = await patchUser(
      user.user.id,
      { password: next, currentPassword: PASSWORD },
      bearer(user.accessToken),
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(next);
    expect(text).not.toContain("currentPassword");
    // The caller stays signed in where they are; everything else is over.
    expect((await me(bearer(user.accessToken))).status).toBe(200);
    expect((await app.post("/api/auth/refresh", { refreshToken: user.refreshToken })).status).toBe(
      200,
    );
    expect((await me(bearer(otherBody.accessToken))).status).toBe(401);
    expect(
      (await app.post("/api/auth/refresh", { refreshToken: otherBody.refreshToken })).status,
    ).toBe(401);
    expect((await me(cookie(session))).status).toBe(401);
    expect((await me({ "x-api-key": key })).status).toBe(401);
    expect(
      (await app.post("/api/auth/login", { email: "self-pw-ok@example.com", password: PASSWORD }))
        .status,
    ).toBe(401);
    expect(
      (await app.post("/api/auth/login", { email: "self-pw-ok@example.com", password: next }))
        .status,
    ).toBe(200);
    expect(lines.join("")).not.toContain(next);
  });

  test("a cookie session changing its own password keeps that session", async () => {
    await account("self-cookie@example.com");
    const login = await app.post("/api/auth/login", {
      email: "self-cookie@example.com",
      password: PASSWORD,
    });
    const session = sessionFrom(login)!;
    const { user } = (await login.json()) as SignedInBody;
    const res = await patchUser(
      user.id,
      { password: "cookie password 1", currentPassword: PASSWORD },
      cookie(session),
    );
    expect(res.status).toBe(200);
    expect((await me(cookie(session))).status).toBe(200);
  });

  test("an admin changes another user's password and email without currentPassword", async () => {
    const admin = await account("admin-changes@example.com");
    await shared.db.execute(sql`update users set role = 'admin' where id = ${admin.user.id}::uuid`);
    const target = await account("admin-target@example.com");
    const res = await patchUser(
      target.user.id,
      { password: "set by admin 1", email: "admin-moved@example.com" },
      bearer(admin.accessToken),
    );
    expect(res.status).toBe(200);
    expect((await me(bearer(target.accessToken))).status).toBe(401);
  });
});

describe("regression: a changed email stayed verified", () => {
  test("an email change marks the account unverified, mails a link to the new address and a notice to the old one", async () => {
    const user = await account("old-address@example.com");
    const res = await patchUser(
      user.user.id,
      { email: "New-Address@example.com", currentPassword: PASSWORD },
      bearer(user.accessToken),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      email: "new-address@example.com",
      emailVerified: false,
    });
    const notice = await mailTo("old-address@example.com", "Your email address was changed");
    expect(notice.text).toContain("new-address@example.com");
    const token = await mailedToken("new-address@example.com", "Confirm");
    expect((await app.post("/api/auth/verify", { token })).status).toBe(200);
    const after = await me(bearer(user.accessToken));
    expect((await after.json()).user).toMatchObject({
      email: "new-address@example.com",
      emailVerified: true,
    });
    // Confirming a changed address is not a sign-up: no second welcome.
    await Bun.sleep(50);
    expect(
      sent.filter((m) => m.to === "new-address@example.com" && m.subject === "Welcome"),
    ).toEqual([]);
  });

  test("a verification link mailed to a former address cannot verify the address that replaced it", async () => {
    const user = await account("switcher@example.com");
    const asUser = bearer(user.accessToken);
    const patch = (email: string) =>
      patchUser(user.user.id, { email, currentPassword: PASSWORD }, asUser);
    // The attacker moves to a second address of their own and keeps its link unused...
    expect((await patch("switcher-2@example.com")).status).toBe(200);
    const ownLink = await mailedToken("switcher-2@example.com", "Confirm");
    // ...then moves to the victim's address, whose link they never see, and spends their own.
    expect((await patch("victim-address@example.com")).status).toBe(200);
    expect((await app.post("/api/auth/verify", { token: ownLink })).status).toBe(400);
    expect((await (await me(asUser)).json()).user.emailVerified).toBe(false);
  });
});
