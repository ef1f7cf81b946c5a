/**
 * `GET /auth/oauth/<provider>` sends the browser to the provider with a
 * fresh state and PKCE verifier, kept in a short-lived HttpOnly cookie;
 * `/callback` checks the state, exchanges the code with the verifier, and
 * signs the user in. Each configured provider gets its own pair of routes,
 * so an unknown provider is a plain 404 and each pair is described as it is served.
 */
import {
  defineRoute,
  ForbiddenError,
  LucentError,
  type RouteDefinition,
  UnauthorizedError,
} from "@lucent/core";
import { CodeChallengeMethod, generateCodeVerifier, generateState } from "arctic";
import { mailUser } from "./mailer.ts";
import { userForProfile } from "./oauth-link.ts";
import { buildProviders, type OAuthProvider } from "./oauth-providers.ts";
import { createOneTimeToken } from "./one-time-tokens.ts";
import { signedIn } from "./openapi-schemas.ts";
import type { OAuthOptions } from "./options.ts";
import { cookiesOf } from "./resolve-user.ts";
import { VERIFY_TOKEN_TTL } from "./routes-credentials.ts";
import type { AuthRuntime } from "./runtime.ts";
import { safeEqual } from "./secure-random.ts";
import { selfView, signIn } from "./sign-in.ts";

const STATE_COOKIE = "lucent_oauth";
const STATE_MAX_AGE = 600;

export function configuredProviders(oauth: OAuthOptions | undefined): string[] {
  return [...buildProviders(oauth).keys()];
}

/** `oidc` → `Oidc`, `my-corp` → `MyCorp`: the provider's part of an operationId. */
const pascal = (name: string) =>
  name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");

export function oauthDefinitions(rt: AuthRuntime): RouteDefinition[] {
  const { ctx, options } = rt;
  const base = (request: Request) =>
    options.oauth.redirectBase?.replace(/\/+$/, "") ?? new URL(request.url).origin;
  const callbackUrl = (request: Request, name: string) =>
    `${base(request)}${ctx.prefix}/auth/oauth/${name}/callback`;
  const cookie = (value: string, maxAge: number) =>
    `${STATE_COOKIE}=${value}; Path=${ctx.prefix}/auth/oauth; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${ctx.production ? "; Secure" : ""}`;

  const start = (provider: OAuthProvider) =>
    defineRoute({
      method: "GET",
      path: `/auth/oauth/${provider.name}`,
      operationId: `start${pascal(provider.name)}SignIn`,
      summary: `Start signing in with ${provider.name} (302 to the provider)`,
      response: { status: 302, description: "redirect to the provider" },
      rateLimit: "sensitive",
      async handler({ request }) {
        const state = generateState();
        const verifier = generateCodeVerifier();
        const endpoints = await provider.endpoints();
        const url = provider
          .client(callbackUrl(request, provider.name))
          .createAuthorizationURLWithPKCE(
            endpoints.authorization,
            state,
            CodeChallengeMethod.S256,
            verifier,
            provider.scopes,
          );
        return new Response(null, {
          status: 302,
          headers: {
            location: url.toString(),
            "set-cookie": cookie(`${provider.name}.${state}.${verifier}`, STATE_MAX_AGE),
          },
        });
      },
    });

  const callback = (provider: OAuthProvider) =>
    defineRoute({
      method: "GET",
      path: `/auth/oauth/${provider.name}/callback`,
      operationId: `finish${pascal(provider.name)}SignIn`,
      summary: `Finish signing in with ${provider.name}`,
      response: {
        status: 200,
        description: "signed in (302 to successRedirect when set)",
        schema: signedIn(rt),
      },
      errors: {
        401: "the provider refused",
        403: "state mismatch, or the address is not verified yet",
        409: "an account has this email, not verified on both sides: sign in with its password",
      },
      rateLimit: "sensitive",
      async handler({ request, query, set }) {
        const [name, state, verifier] = (cookiesOf(request)[STATE_COOKIE] ?? "").split(".");
        set.headers["set-cookie"] = cookie("", 0);
        const sent = query.state ?? "";
        if (!state || !verifier || name !== provider.name || !safeEqual(sent, state)) {
          throw new ForbiddenError("the sign-in state does not match; start again");
        }
        const code = query.code;
        if (!code) throw new UnauthorizedError(`${provider.name} did not approve the sign-in`);
        const endpoints = await provider.endpoints();
        let profile: Awaited<ReturnType<typeof provider.profile>>;
        try {
          const tokens = await provider
            .client(callbackUrl(request, provider.name))
            .validateAuthorizationCode(endpoints.token, code, verifier);
          profile = await provider.profile(tokens.accessToken(), endpoints);
        } catch (err) {
          ctx.logger.warn({ err, provider: provider.name }, "OAuth code exchange failed");
          throw new UnauthorizedError(`${provider.name} did not confirm the sign-in`);
        }
        const { userId, emailVerified } = await userForProfile(rt, provider.name, profile);
        if (options.verify && !emailVerified) {
          const user = await ctx.lucent.findById({
            collection: rt.collection.slug,
            id: userId,
            overrideAccess: true,
          });
          const token = await createOneTimeToken(ctx.db, {
            userId,
            collection: rt.collection.slug,
            purpose: "verify",
            ttlSeconds: VERIFY_TOKEN_TTL,
            email: String(user.email),
          });
          await mailUser(rt, { kind: "verify", user, token });
          throw new LucentError(
            "EMAIL_NOT_VERIFIED",
            "confirm your email address; a link is on its way",
          );
        }
        const session = await signIn(rt, { userId, collection: rt.collection.slug });
        const cookies = [cookie("", 0), ...(session.cookie ? [session.cookie] : [])];
        if (options.oauth.successRedirect) {
          const headers = new Headers({ location: options.oauth.successRedirect });
          for (const c of cookies) headers.append("set-cookie", c);
          return new Response(null, { status: 302, headers });
        }
        const headers = new Headers({ "content-type": "application/json; charset=utf-8" });
        for (const c of cookies) headers.append("set-cookie", c);
        const body = { user: await selfView(rt, userId), ...session.tokens };
        return new Response(JSON.stringify(body), { headers });
      },
    });

  return [...buildProviders(options.oauth).values()].flatMap((p) => [start(p), callback(p)]);
}
