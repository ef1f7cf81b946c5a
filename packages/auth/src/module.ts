/**
 * `auth(options)`: the module. Without it in `modules`, no auth route,
 * table or field exists.
 */
import {
  ConfigError,
  type KernelContext,
  type LucentModule,
  mountRoutes,
  sensitivePaths,
} from "@lucent/core";
import { Elysia } from "elysia";
import { type AuthApi, createAuthApi } from "./api.ts";
import { createCallerCache } from "./caller-cache.ts";
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
import { listenForRevocations } from "./revocations.ts";
import { authRoutes } from "./routes.ts";
import { type AuthRuntime, authCollectionSlug } from "./runtime.ts";
import { authTables } from "./tables.ts";

declare module "@lucent/core" {
  interface LucentModuleApis {
    auth: AuthApi;
  }
  /** `auth: { ... }` at the top of a config (CONTRACT §1's short form). */
  interface ShortFormOptions {
    auth: AuthOptions;
  }
}

/** This kernel's auth: keys from its secrets, its auth collection, its database. */
async function createRuntime(
  ctx: KernelContext,
  options: ResolvedAuthOptions,
): Promise<AuthRuntime> {
  const slug = authCollectionSlug(ctx.config.collections, options.collection);
  const jwtSecret = options.jwtSecret ?? (await ctx.secret("JWT_SECRET", { minBytes: 32 }));
  // The same rule as JWT_SECRET's: a short signing key is refused where it matters.
  if (ctx.production && new TextEncoder().encode(jwtSecret).length < 32)
    throw new ConfigError(["auth.jwt.secret: must be at least 32 bytes when NODE_ENV=production"]);
  const sessionSecret = await ctx.secret("SESSION_SECRET", { minBytes: 32 });
  return {
    ctx,
    options,
    collection: ctx.collections.get(slug)!,
    jwtKey: jwtKey(jwtSecret),
    sessions: { db: ctx.db, key: new TextEncoder().encode(sessionSecret) },
    dummyHash: await makeDummyHash(),
    background: new Set(),
    callers: createCallerCache({ ttlMs: options.callerCacheMs, maxEntries: 10_000 }),
  };
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
      const stopListening = listenForRevocations(rt);
      // One list of routes gives the plugin, the rate limiter's sensitive paths and the document.
      const routes = authRoutes(rt);
      return {
        api: createAuthApi(rt),
        // Tracking covers every route, core's included: any may meet a dead session cookie.
        routes: new Elysia().use(trackResponses()).use(mountRoutes("@lucent/auth", routes)),
        sensitiveRoutes: sensitivePaths(routes),
        resolveUser: async (input) => (await callerOf(rt, input))?.user ?? null,
        hooks: { [rt.collection.slug]: credentialHooks(rt) },
        openapi: () => authOpenApi(rt, routes),
        async stop() {
          stopListening();
          // Mail for `forgot` runs after its response; let it finish before connections close.
          await Promise.allSettled([...rt.background]);
        },
      };
    },
  } satisfies LucentModule<"auth", AuthApi>;
}
