/**
 * Every auth route the options enable, in the order the document lists them.
 * The one list gives the Elysia plugin (`mountRoutes`), the OpenAPI fragment
 * (`authOpenApi`) and the rate limiter's sensitive paths (`sensitivePaths`).
 */
import type { RouteDefinition } from "@lucent/core";
import { apiKeyDefinitions } from "./routes-api-keys.ts";
import { credentialDefinitions } from "./routes-credentials.ts";
import { oauthDefinitions } from "./routes-oauth.ts";
import { recoveryDefinitions } from "./routes-recovery.ts";
import { refreshDefinition } from "./routes-refresh.ts";
import type { AuthRuntime } from "./runtime.ts";

export function authRoutes(rt: AuthRuntime): RouteDefinition[] {
  const { strategies } = rt.options;
  return [
    ...credentialDefinitions(rt),
    ...recoveryDefinitions(rt),
    ...(strategies.has("jwt") ? [refreshDefinition(rt)] : []),
    ...(strategies.has("apiKey") ? apiKeyDefinitions(rt) : []),
    // One pair per configured provider; none when `oauth` names none.
    ...oauthDefinitions(rt),
  ];
}
