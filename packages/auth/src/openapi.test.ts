import { afterAll, beforeAll, expect, test } from "bun:test";
import { openShared, type Shared, startApp, type TestApp } from "../test/harness.ts";

let shared: Shared;
let app: TestApp;
beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared, {
    auth: {
      strategies: ["jwt", "session"],
      oauth: { github: { clientId: "a", clientSecret: "b" } },
    },
  });
});
afterAll(async () => {
  await app.close();
  await shared.close();
});

test("the OpenAPI fragment lists the installed routes with the shared Error schema, and only those", () => {
  const fragment = app.kernel.ctx.getModule("@lucent/auth")!.instance!.openapi!();
  const paths = Object.keys(fragment.paths ?? {});
  expect(paths).toContain("/auth/login");
  expect(paths).toContain("/auth/refresh");
  expect(paths).toContain("/auth/oauth/github/callback");
  expect(paths).not.toContain("/auth/api-keys");
  const login = fragment.paths!["/auth/login"]!.post as {
    responses: Record<string, { content: unknown }>;
  };
  expect(JSON.stringify(login.responses["423"])).toContain("#/components/schemas/Error");
  expect(Object.keys(fragment.components!.securitySchemes!)).toEqual([
    "bearerAuth",
    "sessionCookie",
  ]);
});

test("without the apiKey strategy the api-keys routes do not exist", async () => {
  expect((await app.handle("/api/auth/api-keys")).status).toBe(404);
});

test("every auth operation has a readable, unique operationId", () => {
  const fragment = app.kernel.ctx.getModule("@lucent/auth")!.instance!.openapi!();
  const ids = Object.values(fragment.paths ?? {}).flatMap((ops) =>
    Object.values(ops).map((op) => (op as { operationId?: string }).operationId),
  );
  expect(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toContain("login");
  expect(ids).toContain("finishGithubSignIn");
});
