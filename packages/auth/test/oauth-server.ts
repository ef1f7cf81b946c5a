/**
 * A small OAuth 2 / OpenID Connect server on loopback, for tests: it issues
 * codes bound to the client, redirect URI and PKCE challenge, exchanges them
 * for access tokens, and serves GitHub-style (`/user`, `/user/emails`) and OIDC (`/userinfo`) profiles.
 */
import { createHash } from "node:crypto";

export interface FakeUser {
  sub: string;
  email: string;
  emailVerified: boolean;
}

export interface OAuthServer {
  url: string;
  clientId: string;
  clientSecret: string;
  /** The user the next authorization signs in as. */
  user: FakeUser;
  close(): void;
}

const challengeOf = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

export function startOAuthServer(): OAuthServer {
  const codes = new Map<string, { user: FakeUser; challenge: string; redirectUri: string }>();
  const tokens = new Map<string, FakeUser>();
  const state: OAuthServer = {
    url: "",
    clientId: "test-client",
    clientSecret: "test-client-secret",
    user: { sub: "1", email: "someone@example.com", emailVerified: true },
    close: () => server.stop(true),
  };
  const userOf = (req: Request) =>
    tokens.get((req.headers.get("authorization") ?? "").replace(/^Bearer /, ""));
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      switch (url.pathname) {
        case "/.well-known/openid-configuration":
          return Response.json({
            issuer: state.url,
            authorization_endpoint: `${state.url}/authorize`,
            token_endpoint: `${state.url}/token`,
            userinfo_endpoint: `${state.url}/userinfo`,
          });
        case "/authorize": {
          const q = url.searchParams;
          if (
            q.get("client_id") !== state.clientId ||
            q.get("code_challenge_method") !== "S256" ||
            !q.get("code_challenge")
          ) {
            return new Response("bad authorization request", { status: 400 });
          }
          const code = crypto.randomUUID();
          codes.set(code, {
            user: { ...state.user },
            challenge: q.get("code_challenge")!,
            redirectUri: q.get("redirect_uri")!,
          });
          const back = new URL(q.get("redirect_uri")!);
          back.searchParams.set("code", code);
          back.searchParams.set("state", q.get("state")!);
          return Response.redirect(back.toString(), 302);
        }
        case "/token": {
          const form = new URLSearchParams(await req.text());
          const basic = `Basic ${btoa(`${state.clientId}:${state.clientSecret}`)}`;
          const grant = codes.get(form.get("code") ?? "");
          codes.delete(form.get("code") ?? "");
          if (
            req.headers.get("authorization") !== basic ||
            !grant ||
            grant.redirectUri !== form.get("redirect_uri") ||
            challengeOf(form.get("code_verifier") ?? "") !== grant.challenge
          ) {
            return Response.json({ error: "invalid_grant" }, { status: 400 });
          }
          const token = crypto.randomUUID();
          tokens.set(token, grant.user);
          return Response.json({ access_token: token, token_type: "Bearer", expires_in: 3600 });
        }
        case "/userinfo": {
          const user = userOf(req);
          if (!user) return new Response(null, { status: 401 });
          return Response.json({
            sub: user.sub,
            email: user.email,
            email_verified: user.emailVerified,
          });
        }
        case "/user": {
          const user = userOf(req);
          return user
            ? Response.json({ id: Number(user.sub), login: "octo" })
            : new Response(null, { status: 401 });
        }
        case "/user/emails": {
          const user = userOf(req);
          if (!user) return new Response(null, { status: 401 });
          return Response.json([
            { email: "public@example.com", primary: false, verified: false },
            { email: user.email, primary: true, verified: user.emailVerified },
          ]);
        }
      }
      return new Response("not found", { status: 404 });
    },
  });
  state.url = `http://127.0.0.1:${server.port}`;
  return state;
}
