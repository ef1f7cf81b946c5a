/**
 * `GET /auth/oauth/:provider` sends the browser to the provider with a
 * fresh state and PKCE verifier, kept in a short-lived HttpOnly cookie;
 * `/callback` checks the state, exchanges the code with the verifier, and signs the user in.
 */
import { ForbiddenError, LucentError, NotFoundError, UnauthorizedError } from "@lucent/core";
import { CodeChallengeMethod, generateCodeVerifier, generateState } from "arctic";
import { Elysia } from "elysia";
import { mailUser } from "./mailer.ts";
import { userForProfile } from "./oauth-link.ts";
import { buildProviders } from "./oauth-providers.ts";
import { createOneTimeToken } from "./one-time-tokens.ts";
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

export function oauthRoutes(rt: AuthRuntime) {
  const { ctx, options } = rt;
  const providers = buildProviders(options.oauth);
  const base = (request: Request) =>
    options.oauth.redirectBase?.replace(/\/+$/, "") ?? new URL(request.url).origin;
  const callbackUrl = (request: Request, name: string) =>
    `${base(request)}${ctx.prefix}/auth/oauth/${name}/callback`;
  const cookie = (value: string, maxAge: number) =>
    `${STATE_COOKIE}=${value}; Path=${ctx.prefix}/auth/oauth; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${ctx.production ? "; Secure" : ""}`;
  const providerOf = (name: string) => {
    const provider = providers.get(name);
    if (!provider) throw new NotFoundError(`no OAuth provider named ${name}`);
    return provider;
  };

  return new Elysia()
    .get("/auth/oauth/:provider", async ({ params, request }) => {
      const provider = providerOf(params.provider);
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
    })
    .get("/auth/oauth/:provider/callback", async ({ params, request, set }) => {
      const provider = providerOf(params.provider);
      const query = new URL(request.url).searchParams;
      const [name, state, verifier] = (cookiesOf(request)[STATE_COOKIE] ?? "").split(".");
      set.headers["set-cookie"] = cookie("", 0);
      const sent = query.get("state") ?? "";
      if (!state || !verifier || name !== provider.name || !safeEqual(sent, state)) {
        throw new ForbiddenError("the sign-in state does not match; start again");
      }
      const code = query.get("code");
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
      return new Response(JSON.stringify({ user: await selfView(rt, userId), ...session.tokens }), {
        headers,
      });
    });
}
