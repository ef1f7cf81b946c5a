import { afterAll, beforeAll, expect, test } from "bun:test";
import { routesOpenApi, sensitivePaths } from "@lucent/core";
import { openShared, type Shared, startApp, type TestApp } from "../test/harness.ts";
import { type AuthOptions, resolveOptions } from "./options.ts";
import { authRoutes } from "./routes.ts";
import type { AuthRuntime } from "./runtime.ts";

let shared: Shared;
let app: TestApp;
beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared);
});
afterAll(async () => {
  await app.close();
  await shared.close();
});

/** What defining the routes reads of a runtime; handlers, which need the rest, are not called. */
const runtime = (options: AuthOptions) =>
  ({
    ctx: app.kernel.ctx,
    options: resolveOptions(options),
    collection: app.kernel.ctx.collections.get("users")!,
  }) as unknown as AuthRuntime;

const oauth = {
  github: { clientId: "a", clientSecret: "b" },
  oidc: { clientId: "a", clientSecret: "b", issuer: "https://id.example.com", name: "corp" },
};

test("the sensitive paths are sign-up, sign-in, tokens, recovery and each provider's pair", () => {
  const paths = sensitivePaths(authRoutes(runtime({ oauth })));
  expect(paths.sort()).toEqual(
    [
      "/auth/register",
      "/auth/login",
      "/auth/refresh",
      "/auth/forgot",
      "/auth/reset",
      "/auth/verify",
      "/auth/oauth/github",
      "/auth/oauth/github/callback",
      "/auth/oauth/corp",
      "/auth/oauth/corp/callback",
    ].sort(),
  );
});

test("the options decide which routes exist: api keys with their strategy, OAuth per provider", () => {
  const described = (options: AuthOptions) =>
    authRoutes(runtime(options)).map((r) => `${r.method} ${r.path}`);
  const sessionOnly = described({ strategies: ["session"] });
  expect(sessionOnly).not.toContain("POST /auth/refresh");
  expect(sessionOnly).not.toContain("GET /auth/api-keys");
  expect(sessionOnly.some((r) => r.includes("/oauth/"))).toBe(false);
  const everything = described({ oauth });
  expect(everything).toContain("DELETE /auth/api-keys/:id");
  expect(everything).toContain("GET /auth/oauth/corp/callback");
});

test("every route has a readable, unique operationId of its own", () => {
  const routes = authRoutes(runtime({ oauth }));
  expect(routes.every((r) => r.operationId && /^[a-z][A-Za-z0-9]+$/.test(r.operationId))).toBe(
    true,
  );
  expect(new Set(routes.map((r) => r.operationId)).size).toBe(routes.length);
  const ids = Object.values(routesOpenApi(routes).paths ?? {}).flatMap((item) =>
    Object.values(item).flatMap((op) => (op as { operationId?: string }).operationId ?? []),
  );
  expect(ids).toContain("finishCorpSignIn");
});
