/**
 * GitHub, Google and a generic OpenID Connect provider, all driven through
 * arctic's OAuth2Client with state and PKCE (S256), and each reduced to one
 * profile shape: a stable subject, an email, and whether the provider verified it.
 */
import { OAuth2Client } from "arctic";
import type { OAuthEndpoints, OAuthOptions, OAuthProviderOptions } from "./options.ts";

export interface OAuthProfile {
  subject: string;
  email: string | null;
  emailVerified: boolean;
}

export interface OAuthProvider {
  name: string;
  scopes: string[];
  endpoints(): Promise<OAuthEndpoints>;
  client(redirectUri: string): OAuth2Client;
  profile(accessToken: string, endpoints: OAuthEndpoints): Promise<OAuthProfile>;
}

const GITHUB: OAuthEndpoints = {
  authorization: "https://github.com/login/oauth/authorize",
  token: "https://github.com/login/oauth/access_token",
  userinfo: "https://api.github.com",
};
const GOOGLE: OAuthEndpoints = {
  authorization: "https://accounts.google.com/o/oauth2/v2/auth",
  token: "https://oauth2.googleapis.com/token",
  userinfo: "https://openidconnect.googleapis.com/v1/userinfo",
};

async function getJson(url: string, accessToken: string): Promise<unknown> {
  const res = await fetch(url, {
    headers: {
      authorization: `Bearer ${accessToken}`,
      accept: "application/json",
      "user-agent": "lucent-auth",
    },
  });
  if (!res.ok) throw new Error(`the provider answered ${res.status} for ${new URL(url).pathname}`);
  return res.json();
}

const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

async function githubProfile(
  accessToken: string,
  endpoints: OAuthEndpoints,
): Promise<OAuthProfile> {
  const base = endpoints.userinfo.replace(/\/+$/, "");
  const user = (await getJson(`${base}/user`, accessToken)) as { id?: unknown };
  const emails = (await getJson(`${base}/user/emails`, accessToken)) as Array<{
    email?: unknown;
    primary?: unknown;
    verified?: unknown;
  }>;
  // The public profile email may be unverified; the primary verified address is the one to trust.
  const primary = Array.isArray(emails)
    ? emails.find((e) => e.primary === true && e.verified === true)
    : undefined;
  if (user.id === undefined || user.id === null)
    throw new Error("the provider returned no user id");
  return {
    subject: String(user.id),
    email: str(primary?.email),
    emailVerified: primary !== undefined,
  };
}

async function oidcProfile(accessToken: string, endpoints: OAuthEndpoints): Promise<OAuthProfile> {
  const info = (await getJson(endpoints.userinfo, accessToken)) as {
    sub?: unknown;
    email?: unknown;
    email_verified?: unknown;
  };
  const subject = str(info.sub);
  if (!subject) throw new Error("the provider returned no subject");
  return {
    subject,
    email: str(info.email),
    emailVerified: info.email_verified === true || info.email_verified === "true",
  };
}

/** Endpoints from the issuer's discovery document, fetched once. */
function discovered(issuer: string): () => Promise<OAuthEndpoints> {
  let cached: Promise<OAuthEndpoints> | undefined;
  return () => {
    cached ??= (async () => {
      const res = await fetch(`${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`);
      if (!res.ok) throw new Error(`OIDC discovery failed with ${res.status}`);
      const doc = (await res.json()) as Record<string, unknown>;
      const authorization = str(doc.authorization_endpoint);
      const token = str(doc.token_endpoint);
      const userinfo = str(doc.userinfo_endpoint);
      if (!authorization || !token || !userinfo)
        throw new Error("the OIDC discovery document lacks an endpoint");
      return { authorization, token, userinfo };
    })().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}

function provider(
  name: string,
  options: OAuthProviderOptions,
  defaults: { endpoints: () => Promise<OAuthEndpoints>; scopes: string[] },
  profile: OAuthProvider["profile"],
): OAuthProvider {
  const fixed = options.endpoints;
  return {
    name,
    scopes: options.scopes ?? defaults.scopes,
    endpoints: fixed ? async () => fixed : defaults.endpoints,
    client: (redirectUri) => new OAuth2Client(options.clientId, options.clientSecret, redirectUri),
    profile,
  };
}

export function buildProviders(oauth: OAuthOptions | undefined): Map<string, OAuthProvider> {
  const out = new Map<string, OAuthProvider>();
  if (oauth?.github) {
    out.set(
      "github",
      provider(
        "github",
        oauth.github,
        { endpoints: async () => GITHUB, scopes: ["read:user", "user:email"] },
        githubProfile,
      ),
    );
  }
  if (oauth?.google) {
    out.set(
      "google",
      provider(
        "google",
        oauth.google,
        { endpoints: async () => GOOGLE, scopes: ["openid", "email", "profile"] },
        oidcProfile,
      ),
    );
  }
  if (oauth?.oidc) {
    const { issuer } = oauth.oidc;
    const name = oauth.oidc.name ?? "oidc";
    const endpoints = issuer ? discovered(issuer) : async () => oauth.oidc!.endpoints!;
    out.set(
      name,
      provider(
        name,
        oauth.oidc,
        { endpoints, scopes: ["openid", "email", "profile"] },
        oidcProfile,
      ),
    );
  }
  return out;
}
