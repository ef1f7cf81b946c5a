/** The module's part of the OpenAPI document: its routes as they describe themselves, and its security schemes. */
import { type OpenApiFragment, type RouteDefinition, routesOpenApi } from "@lucent/core";
import { authRoutes } from "./routes.ts";
import type { AuthRuntime } from "./runtime.ts";

/** Each enabled strategy's scheme; a secured route accepts any one of them. */
function securitySchemes(rt: AuthRuntime): Record<string, Record<string, string>> {
  const { strategies } = rt.options;
  return {
    ...(strategies.has("jwt")
      ? { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } }
      : {}),
    ...(strategies.has("apiKey")
      ? { apiKey: { type: "apiKey", in: "header", name: "x-api-key" } }
      : {}),
    ...(strategies.has("session")
      ? { sessionCookie: { type: "apiKey", in: "cookie", name: "lucent_session" } }
      : {}),
  };
}

export function authOpenApi(
  rt: AuthRuntime,
  routes: readonly RouteDefinition[] = authRoutes(rt),
): OpenApiFragment {
  const schemes = securitySchemes(rt);
  const fragment = routesOpenApi(routes, {
    tags: ["auth"],
    security: Object.keys(schemes).map((name) => ({ [name]: [] })),
  });
  return {
    ...fragment,
    tags: [{ name: "auth", description: "Accounts, sign-in, tokens and API keys (@lucent/auth)" }],
    components: { ...fragment.components, securitySchemes: schemes },
  };
}
