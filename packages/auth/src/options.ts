/** `auth()` options: the zod schema the kernel checks at startup, and their resolved form. */
import type { MailMessage } from "@lucent/core";
import { z } from "zod";
import type { MailTemplates } from "./mail-templates.ts";

export type Strategy = "jwt" | "session" | "apiKey";

/** A user-supplied mail transport. */
export type MailFunction = (message: MailMessage) => Promise<void>;

export interface MailOptions {
  /** The sender. @default MAIL_FROM, else "Lucent <no-reply@localhost>" */
  from?: string;
  /** `console` prints mail to the log, `smtp` sends it to SMTP_URL. @default "smtp" when SMTP_URL is set, else "console" */
  transport?: "console" | "smtp" | MailFunction;
  /** Replacement templates, by mail. @default built-in plain-text templates */
  templates?: Partial<MailTemplates>;
  /** Send mail from the job queue (retried on failure) instead of inline. @default true */
  queue?: boolean;
  /** Send a welcome mail after registration (after verification when `verify` is on). @default true */
  welcome?: boolean;
}

/** Where a provider's endpoints are; GitHub and Google have defaults, OIDC is discovered from `issuer`. */
export interface OAuthEndpoints {
  authorization: string;
  token: string;
  /** GitHub: the API base (`https://api.github.com`); others: the OIDC userinfo endpoint. */
  userinfo: string;
}

export interface OAuthProviderOptions {
  clientId: string;
  clientSecret: string;
  /** Replaces the provider's endpoints (GitHub Enterprise, a test server). @default the provider's public endpoints */
  endpoints?: OAuthEndpoints;
  /** @default the provider's sign-in scopes */
  scopes?: string[];
}

export interface OidcProviderOptions extends OAuthProviderOptions {
  /** The issuer URL; endpoints come from its `/.well-known/openid-configuration`. */
  issuer?: string;
  /** The provider's name in routes (`/auth/oauth/<name>`). @default "oidc" */
  name?: string;
}

export interface OAuthOptions {
  github?: OAuthProviderOptions;
  google?: OAuthProviderOptions;
  oidc?: OidcProviderOptions;
  /** The public origin callbacks are built on (`https://api.example.com`). @default the request's origin */
  redirectBase?: string;
  /** Where the browser goes after a successful sign-in (the session cookie is set). @default answer with JSON tokens */
  successRedirect?: string;
}

export interface AuthOptions {
  /** How callers authenticate; order in the list does not matter (CONTRACT §8 fixes it). @default ["jwt", "session", "apiKey"] */
  strategies?: Strategy[];
  /** The auth collection's slug. @default the one collection with `auth: true` */
  collection?: string;
  /** Require a verified email before login (403 EMAIL_NOT_VERIFIED). @default false */
  verify?: boolean;
  mail?: MailOptions;
  oauth?: OAuthOptions;
  /** The front end's origin, used in mail links (`<appUrl>/reset-password?token=…`). @default APP_URL, else "http://localhost:3000" */
  appUrl?: string;
  /** Access token lifetime in seconds. @default 900 */
  accessTokenTtl?: number;
  /** Refresh token lifetime in seconds. @default 2592000 (30 days) */
  refreshTokenTtl?: number;
  /** A session ends after this many idle seconds. @default 604800 (7 days) */
  sessionIdleTtl?: number;
  /** A session ends this many seconds after sign-in, however active. @default 2592000 (30 days) */
  sessionMaxAge?: number;
  /** Failed logins that lock an account. @default 5 */
  lockoutAttempts?: number;
  /** Window for counting failures and length of the lock, in seconds. @default 900 */
  lockoutWindow?: number;
  /**
   * How long, in milliseconds, an instance trusts what it knows of a bearer
   * token's caller (its refresh family is live, its user document) without
   * news of a change. News of a revocation or a changed user applies at once
   * on the instance where it happened and, through a shared event bus, on
   * the others; this bounds staleness when no bus links them. 0 asks the
   * database on every request. @default 500
   */
  callerCacheMs?: number;
  /** The JWT signing secret (at least 32 bytes in production). @default Bun.env.JWT_SECRET */
  jwt?: { secret?: string };
}

const endpoints = z.strictObject({
  authorization: z.url(),
  token: z.url(),
  userinfo: z.url(),
});
const provider = z.strictObject({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  endpoints: endpoints.optional(),
  scopes: z.array(z.string()).optional(),
});
const positive = z.int().positive();

export const authOptionsSchema = z.strictObject({
  strategies: z
    .array(z.enum(["jwt", "session", "apiKey"]))
    .min(1)
    .optional(),
  collection: z.string().min(1).optional(),
  verify: z.boolean().optional(),
  mail: z
    .strictObject({
      from: z.string().min(3).optional(),
      transport: z
        .union([
          z.enum(["console", "smtp"]),
          z.custom<MailFunction>((v) => typeof v === "function"),
        ])
        .optional(),
      templates: z
        .partialRecord(
          z.enum(["welcome", "verify", "forgot", "resetSuccess", "emailChanged"]),
          z.custom((v) => typeof v === "function"),
        )
        .optional(),
      queue: z.boolean().optional(),
      welcome: z.boolean().optional(),
    })
    .optional(),
  oauth: z
    .strictObject({
      github: provider.optional(),
      google: provider.optional(),
      oidc: provider
        .extend({
          issuer: z.url().optional(),
          name: z
            .string()
            .regex(/^[a-z][a-z0-9-]*$/)
            .optional(),
        })
        .refine((o) => o.issuer || o.endpoints, "needs `issuer` or `endpoints`")
        .optional(),
      redirectBase: z.url().optional(),
      successRedirect: z.string().min(1).optional(),
    })
    .optional(),
  appUrl: z.url().optional(),
  accessTokenTtl: positive.optional(),
  refreshTokenTtl: positive.optional(),
  sessionIdleTtl: positive.optional(),
  sessionMaxAge: positive.optional(),
  lockoutAttempts: positive.optional(),
  lockoutWindow: positive.optional(),
  callerCacheMs: z.number().int().min(0).max(60_000).optional(),
  jwt: z.strictObject({ secret: z.string().min(1).optional() }).optional(),
});

/** Options with every default filled in (collection and mail transport are settled at startup). */
export interface ResolvedAuthOptions {
  strategies: ReadonlySet<Strategy>;
  collection: string | undefined;
  verify: boolean;
  mail: { from: string; queue: boolean; welcome: boolean; templates: Partial<MailTemplates> };
  oauth: OAuthOptions;
  appUrl: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  sessionIdleTtl: number;
  sessionMaxAge: number;
  lockoutAttempts: number;
  lockoutWindow: number;
  callerCacheMs: number;
  /** From `jwt.secret`; otherwise JWT_SECRET is read at setup. */
  jwtSecret: string | undefined;
}

export function resolveOptions(options: AuthOptions): ResolvedAuthOptions {
  return {
    strategies: new Set(options.strategies ?? ["jwt", "session", "apiKey"]),
    collection: options.collection,
    verify: options.verify ?? false,
    mail: {
      from: options.mail?.from ?? Bun.env.MAIL_FROM ?? "Lucent <no-reply@localhost>",
      queue: options.mail?.queue ?? true,
      welcome: options.mail?.welcome ?? true,
      templates: options.mail?.templates ?? {},
    },
    oauth: options.oauth ?? {},
    appUrl: (options.appUrl ?? Bun.env.APP_URL ?? "http://localhost:3000").replace(/\/+$/, ""),
    accessTokenTtl: options.accessTokenTtl ?? 900,
    refreshTokenTtl: options.refreshTokenTtl ?? 30 * 24 * 3600,
    sessionIdleTtl: options.sessionIdleTtl ?? 7 * 24 * 3600,
    sessionMaxAge: options.sessionMaxAge ?? 30 * 24 * 3600,
    lockoutAttempts: options.lockoutAttempts ?? 5,
    lockoutWindow: options.lockoutWindow ?? 900,
    callerCacheMs: options.callerCacheMs ?? 500,
    jwtSecret: options.jwt?.secret,
  };
}
