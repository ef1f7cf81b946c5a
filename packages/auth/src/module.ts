/**
 * `auth(options)`: the module. Without it in `modules`, no auth route,
 * table or field exists.
 */
import type { KernelContext, LucentModule } from "@lucent/core";
import { Elysia } from "elysia";
import { type AuthApi, createAuthApi } from "./api.ts";
import { credentialHooks } from "./credential-hooks.ts";
import { extendAuthCollection } from "./extend-collections.ts";
import { jwtKey } from "./jwt.ts";
import { mailDriver } from "./mail-transport.ts";
import { MAIL_JOB, type MailJobData } from "./mailer.ts";
import { authOpenApi } from "./openapi.ts";
import { type AuthOptions, authOptionsSchema, resolveOptions } from "./options.ts";
import { makeDummyHash } from "./passwords.ts";
import { callerOf } from "./resolve-user.ts";
import { trackResponses } from "./response-headers.ts";
import { apiKeyRoutes } from "./routes-api-keys.ts";
import { credentialRoutes } from "./routes-credentials.ts";
import { configuredProviders, oauthRoutes } from "./routes-oauth.ts";
import { recoveryRoutes } from "./routes-recovery.ts";
import { type AuthRuntime, authCollectionSlug } from "./runtime.ts";
import { authTables } from "./tables.ts";

declare module "@lucent/core" {
  interface LucentModuleApis {
    auth: AuthApi;
  }
}

/** Routes below the API prefix that get the tighter RATE_LIMIT_AUTH budget. */
function sensitiveRoutes(options: AuthOptions): string[] {
  const routes = [
    "/auth/register",
    "/auth/login",
    "/auth/refresh",
    "/auth/forgot",
    "/auth/reset",
    "/auth/verify",
  ];
  for (const name of configuredProviders(options.oauth)) {
    routes.push(`/auth/oauth/${name}`, `/auth/oauth/${name}/callback`);
  }
  return routes;
}

/**
 * One `auth()` serves one assembled system: resolvers and collection hooks
 * get no kernel context, so the module keeps the one it was set up with.
 */
export function auth(options: AuthOptions = {}) {
  const resolved = resolveOptions(options);
  let runtime: AuthRuntime | undefined;
  const rt = (): AuthRuntime => {
    if (!runtime) throw new Error("@lucent/auth is used before the kernel set it up");
    return runtime;
  };

  return {
    name: "@lucent/auth",
    optionsSchema: authOptionsSchema,
    options,
    extendCollections: (collections) =>
      extendAuthCollection({
        collections,
        slug: resolved.collection,
        verify: resolved.verify,
        hooks: credentialHooks(rt),
      }),
    tables: authTables,
    drivers: { mail: mailDriver(options.mail, () => resolved.mail.from) },
    jobs: {
      [MAIL_JOB]: { handler: (data: MailJobData) => rt().ctx.mail.send(data.message), attempts: 5 },
    },
    async resolveUser(input) {
      if (!runtime) return null;
      return (await callerOf(runtime, input))?.user ?? null;
    },
    api: { key: "auth", create: () => createAuthApi(rt) },
    async setup(ctx: KernelContext) {
      const slug = authCollectionSlug(ctx.config.collections, resolved.collection);
      const jwtSecret = await ctx.secret("JWT_SECRET", { minBytes: 32 });
      const sessionSecret = await ctx.secret("SESSION_SECRET", { minBytes: 32 });
      runtime = {
        ctx,
        options: resolved,
        collection: ctx.collections.get(slug)!,
        jwtKey: jwtKey(jwtSecret),
        sessions: { db: ctx.db, key: new TextEncoder().encode(sessionSecret) },
        dummyHash: await makeDummyHash(),
        background: new Set(),
      };
    },
    routes() {
      const r = rt();
      // Tracking covers every route, core's included: any may meet a dead session cookie.
      const app = new Elysia()
        .use(trackResponses())
        .use(credentialRoutes(r))
        .use(recoveryRoutes(r));
      if (r.options.strategies.has("apiKey")) app.use(apiKeyRoutes(r));
      if (configuredProviders(r.options.oauth).length > 0) app.use(oauthRoutes(r));
      return app;
    },
    sensitiveRoutes: sensitiveRoutes(options),
    openapi: () => authOpenApi(rt()),
    async stop() {
      // Mail for `forgot` runs after its response; let it finish before connections close.
      if (runtime) await Promise.allSettled([...runtime.background]);
    },
  } satisfies LucentModule<"auth", AuthApi>;
}
