import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { MailMessage } from "@lucent/core";
import type { AuthOptions } from "../src/options.ts";
import {
  bearer,
  openShared,
  PASSWORD,
  type Shared,
  startApp,
  type TestApp,
} from "../test/harness.ts";
import { type OAuthServer, startOAuthServer } from "../test/oauth-server.ts";

let shared: Shared;
let app: TestApp;
let idp: OAuthServer;
const sent: MailMessage[] = [];

/** The three providers, all served by the loopback provider. */
function oauthOptions(): NonNullable<AuthOptions["oauth"]> {
  const client = { clientId: idp.clientId, clientSecret: idp.clientSecret };
  return {
    github: {
      ...client,
      endpoints: {
        authorization: `${idp.url}/authorize`,
        token: `${idp.url}/token`,
        userinfo: idp.url,
      },
    },
    google: {
      ...client,
      endpoints: {
        authorization: `${idp.url}/authorize`,
        token: `${idp.url}/token`,
        userinfo: `${idp.url}/userinfo`,
      },
    },
    oidc: { ...client, issuer: idp.url, name: "corp" },
  };
}

beforeAll(async () => {
  shared = await openShared();
  idp = startOAuthServer();
  app = await startApp(shared, {
    auth: {
      verify: true,
      mail: { transport: async (m) => void sent.push(m), queue: false },
      oauth: oauthOptions(),
    },
  });
});
afterAll(async () => {
  await app.close();
  idp.close();
  await shared.close();
});

/** The token of the latest verification mail to `to`, once it was sent. */
async function verifyTokenFor(to: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const mail = sent.findLast((m) => m.to === to && m.subject.startsWith("Confirm"));
    const token = mail && /[?&]token=([a-z0-9]+)/.exec(mail.text)?.[1];
    if (token) return token;
    await Bun.sleep(10);
  }
  throw new Error(`no verification mail to ${to}`);
}

/** Registers `email` with a password and confirms the address with the mailed link. */
async function registerVerified(email: string): Promise<string> {
  const registered = await (
    await app.post("/api/auth/register", { email, password: PASSWORD })
  ).json();
  const token = await verifyTokenFor(email);
  expect((await app.post("/api/auth/verify", { token })).status).toBe(200);
  return registered.user.id;
}

/** Runs the browser's part: start, follow the provider's redirect, return the callback request's pieces. */
async function authorize(provider: string, on: TestApp = app) {
  const start = await on.handle(`/api/auth/oauth/${provider}`);
  expect(start.status).toBe(302);
  const stateCookie = start.headers.getSetCookie().find((c) => c.startsWith("lucent_oauth="))!;
  expect(stateCookie).toContain("HttpOnly");
  const atProvider = await fetch(start.headers.get("location")!, { redirect: "manual" });
  const callback = new URL(atProvider.headers.get("location")!);
  return { callback, cookie: stateCookie.split(";")[0]! };
}

const finish = (callback: URL, cookie: string, on: TestApp = app) =>
  on.handle(`${callback.pathname}${callback.search}`, { headers: { cookie } });

/** A whole sign-in with `provider` as the loopback provider's current user. */
async function signInWith(provider: string, on: TestApp = app) {
  const { callback, cookie } = await authorize(provider, on);
  return finish(callback, cookie, on);
}

describe("OAuth sign-in", () => {
  test("a new OIDC user is created and signed in, and the authorization URL carries state and an S256 challenge", async () => {
    idp.user = { sub: "oidc-1", email: "New.Person@example.com", emailVerified: true };
    const start = await app.handle("/api/auth/oauth/corp");
    const location = new URL(start.headers.get("location")!);
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    expect(location.searchParams.get("state")).toBeTruthy();
    const { callback, cookie } = await authorize("corp");
    const res = await finish(callback, cookie);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user.email).toBe("new.person@example.com");
    expect((await app.handle("/api/auth/me", { headers: bearer(body.accessToken) })).status).toBe(
      200,
    );
    // The second sign-in finds the same account through the link.
    const again = await authorize("corp");
    expect((await (await finish(again.callback, again.cookie)).json()).user.id).toBe(body.user.id);
  });

  test("GitHub links to an existing account whose address is verified, by its verified primary email", async () => {
    const id = await registerVerified("octo@example.com");
    idp.user = { sub: "4242", email: "octo@example.com", emailVerified: true };
    const body = await (await signInWith("github")).json();
    expect(body.user.id).toBe(id);
  });

  test("an email the provider did not verify that matches an account is refused with 409, not linked", async () => {
    await registerVerified("taken@example.com");
    idp.user = { sub: "g-1", email: "taken@example.com", emailVerified: false };
    const res = await signInWith("google");
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe("CONFLICT");
  });

  test("a callback whose state differs from the cookie's, or without the cookie, is 403", async () => {
    idp.user = { sub: "oidc-2", email: "x@example.com", emailVerified: true };
    const { callback, cookie } = await authorize("corp");
    const forged = new URL(callback);
    forged.searchParams.set("state", "forged-state");
    expect((await finish(forged, cookie)).status).toBe(403);
    expect((await app.handle(`${callback.pathname}${callback.search}`)).status).toBe(403);
  });

  test("a code exchanged with the wrong PKCE verifier is refused by the provider and answered 401", async () => {
    idp.user = { sub: "oidc-3", email: "y@example.com", emailVerified: true };
    const { callback, cookie } = await authorize("corp");
    const [name, state] = cookie.replace("lucent_oauth=", "").split(".");
    const res = await finish(callback, `lucent_oauth=${name}.${state}.${"v".repeat(43)}`);
    expect(res.status).toBe(401);
  });

  test("an unknown provider is 404", async () => {
    expect((await app.handle("/api/auth/oauth/myspace")).status).toBe(404);
  });
});

describe("regression: a provider sign-in handed a pre-registered account to whoever registered it", () => {
  test("an attacker's unverified password account with the victim's address is refused with 409, not linked nor verified", async () => {
    // The attacker registers the victim's address with a password and never verifies it.
    const attacker = await (
      await app.post("/api/auth/register", { email: "victim@corp.io", password: PASSWORD })
    ).json();
    // The victim signs in with a provider that verified the address.
    idp.user = { sub: "victim-sub", email: "victim@corp.io", emailVerified: true };
    const res = await signInWith("corp");
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.error.code).toBe("CONFLICT");
    expect(body.error.message).toContain("sign in with your password first");
    expect(JSON.stringify(body)).not.toContain(attacker.user.id);
    // Nothing was linked and nothing was verified: the attacker's password still cannot sign in,
    // and the victim's next attempt is refused the same way.
    const login = await app.post("/api/auth/login", {
      email: "victim@corp.io",
      password: PASSWORD,
    });
    expect((await login.json()).error.code).toBe("EMAIL_NOT_VERIFIED");
    expect((await signInWith("corp")).status).toBe(409);
  });

  test("the end-to-end story: unverified account 409, verified account linked, new address new account", async () => {
    const registered = await (
      await app.post("/api/auth/register", { email: "story-pending@corp.io", password: PASSWORD })
    ).json();
    idp.user = { sub: "story-1", email: "story-pending@corp.io", emailVerified: true };
    expect((await signInWith("corp")).status).toBe(409);

    // Once the owner confirms the address by mail, the same provider identity links to the account.
    const token = await verifyTokenFor("story-pending@corp.io");
    expect((await app.post("/api/auth/verify", { token })).status).toBe(200);
    const linked = await signInWith("corp");
    expect(linked.status).toBe(200);
    expect((await linked.json()).user.id).toBe(registered.user.id);

    idp.user = { sub: "story-2", email: "story-new@corp.io", emailVerified: true };
    const created = await signInWith("corp");
    expect(created.status).toBe(200);
    const body = await created.json();
    expect(body.user).toMatchObject({ email: "story-new@corp.io", emailVerified: true });
    expect(body.user.id).not.toBe(registered.user.id);
  });

  test("with verify off no address is verified, so a provider sign-in never links to a password account", async () => {
    const loose = await startApp(shared, {
      auth: { mail: { transport: async () => {}, queue: false }, oauth: oauthOptions() },
    });
    try {
      const attacker = await loose.signUp("ceo@corp.io");
      idp.user = { sub: "ceo-sub", email: "ceo@corp.io", emailVerified: true };
      const res = await signInWith("corp", loose);
      expect(res.status).toBe(409);
      expect((await res.json()).error.code).toBe("CONFLICT");
      // The attacker's sign-in still leads to the attacker's own account only, with no provider behind it.
      const again = await loose.signIn("ceo@corp.io");
      expect(again.user.id).toBe(attacker.user.id);
      expect((await signInWith("corp", loose)).status).toBe(409);
    } finally {
      await loose.close();
    }
  });
});
