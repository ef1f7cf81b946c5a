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
import {
  type AuthOptions,
  authOptionsSchema,
  type ResolvedAuthOptions,
  resolveOptions,
} from "./options.ts";
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

/** This kernel's auth: keys from its secrets, its auth collection, its database. */
async function createRuntime(
  ctx: KernelContext,
  options: ResolvedAuthOptions,
): Promise<AuthRuntime> {
  const slug = authCollectionSlug(ctx.config.collections, options.collection);
  const jwtSecret = await ctx.secret("JWT_SECRET", { minBytes: 32 });
  const sessionSecret = await ctx.secret("SESSION_SECRET", { minBytes: 32 });
  return {
    ctx,
    options,
    collection: ctx.collections.get(slug)!,
    jwtKey: jwtKey(jwtSecret),
    sessions: { db: ctx.db, key: new TextEncoder().encode(sessionSecret) },
    dummyHash: await makeDummyHash(),
    background: new Set(),
  };
}

function authRoutes(rt: AuthRuntime) {
  // Tracking covers every route, core's included: any may meet a dead session cookie.
  const app = new Elysia().use(trackResponses()).use(credentialRoutes(rt)).use(recoveryRoutes(rt));
  if (rt.options.strategies.has("apiKey")) app.use(apiKeyRoutes(rt));
  if (configuredProviders(rt.options.oauth).length > 0) app.use(oauthRoutes(rt));
  return app;
}

/**
 * `auth(options)`: the declaration (fields, tables, the mail driver and job)
 * is the same for every kernel; `setup` builds one kernel's runtime, so one
 * `auth()` may serve several kernels.
 */
export function auth(options: AuthOptions = {}) {
  const resolved = resolveOptions(options);
  return {
    name: "@lucent/auth",
    optionsSchema: authOptionsSchema,
    options,
    extendCollections: (collections) =>
      extendAuthCollection({ collections, slug: resolved.collection, verify: resolved.verify }),
    tables: authTables,
    drivers: { mail: mailDriver(options.mail, () => resolved.mail.from) },
    jobs: {
      [MAIL_JOB]: {
        handler: (data: MailJobData, { kernel }) => kernel.mail.send(data.message),
        attempts: 5,
      },
    },
    apiKey: "auth",
    async setup(ctx) {
      const rt = await createRuntime(ctx, resolved);
      return {
        api: createAuthApi(rt),
        routes: authRoutes(rt),
        sensitiveRoutes: sensitiveRoutes(options),
        resolveUser: async (input) => (await callerOf(rt, input))?.user ?? null,
        hooks: { [rt.collection.slug]: credentialHooks(rt) },
        openapi: () => authOpenApi(rt),
        async stop() {
          // Mail for `forgot` runs after its response; let it finish before connections close.
          await Promise.allSettled([...rt.background]);
        },
      };
    },
  } satisfies LucentModule<"auth", AuthApi>;
}
