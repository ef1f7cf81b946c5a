import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { bearer, openShared, type Shared, startApp, type TestApp } from "../test/harness.ts";
import { type OAuthServer, startOAuthServer } from "../test/oauth-server.ts";

let shared: Shared;
let app: TestApp;
let idp: OAuthServer;

beforeAll(async () => {
  shared = await openShared();
  idp = startOAuthServer();
  const client = { clientId: idp.clientId, clientSecret: idp.clientSecret };
  app = await startApp(shared, {
    auth: {
      oauth: {
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
      },
    },
  });
});
afterAll(async () => {
  await app.close();
  idp.close();
  await shared.close();
});

/** Runs the browser's part: start, follow the provider's redirect, return the callback request's pieces. */
async function authorize(provider: string) {
  const start = await app.handle(`/api/auth/oauth/${provider}`);
  expect(start.status).toBe(302);
  const stateCookie = start.headers.getSetCookie().find((c) => c.startsWith("lucent_oauth="))!;
  expect(stateCookie).toContain("HttpOnly");
  const atProvider = await fetch(start.headers.get("location")!, { redirect: "manual" });
  const callback = new URL(atProvider.headers.get("location")!);
  return { callback, cookie: stateCookie.split(";")[0]! };
}

const finish = (callback: URL, cookie: string) =>
  app.handle(`${callback.pathname}${callback.search}`, { headers: { cookie } });

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

  test("GitHub links to an existing account by its verified primary email", async () => {
    const registered = await app.signUp("octo@example.com");
    idp.user = { sub: "4242", email: "octo@example.com", emailVerified: true };
    const { callback, cookie } = await authorize("github");
    const body = await (await finish(callback, cookie)).json();
    expect(body.user.id).toBe(registered.user.id);
  });

  test("an unverified email that matches an account is refused, not linked", async () => {
    await app.post("/api/auth/register", {
      email: "taken@example.com",
      password: "correct horse battery",
    });
    idp.user = { sub: "g-1", email: "taken@example.com", emailVerified: false };
    const { callback, cookie } = await authorize("google");
    const res = await finish(callback, cookie);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("FORBIDDEN");
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
