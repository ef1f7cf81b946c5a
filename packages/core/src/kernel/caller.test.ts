import { afterAll, beforeAll, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { type Harness, startHarness } from "../../test/harness.ts";
import { defineCollection, type LucentModule } from "../index.ts";

const ADA = "01900000-0000-7000-8000-0000000000ad";
let resolved = 0;

const caller = {
  name: "caller",
  setup: (ctx) => ({
    resolveUser: async ({ request, cookies }) => {
      resolved++;
      return request.headers.get("x-user") === "ada" || cookies.who === "ada"
        ? { id: ADA, collection: "people", name: "Ada" }
        : null;
    },
    routes: new Elysia().get("/module/whoami", async ({ request }) => ({
      id: (await ctx.resolveCaller(request))?.id ?? null,
    })),
  }),
} satisfies LucentModule;

const Notes = defineCollection({ slug: "notes", fields: { title: { type: "text" } } });

let h: Harness;
let app: { handle(request: Request): Promise<Response> };
const get = (path: string, headers: Record<string, string> = {}) =>
  app.handle(new Request(`http://localhost${path}`, { headers }));

beforeAll(async () => {
  h = await startHarness({ collections: [Notes], modules: [caller] });
  // An app's own routes on Lucent: `user` and `lucent` come typed from the plugin.
  app = new Elysia()
    .use(h.app)
    .get("/whoami", ({ user }) => ({ id: user?.id ?? null, name: user?.name ?? null }))
    .get("/notes-count", async ({ lucent }) => lucent.count({ collection: "notes" }));
});
afterAll(() => h.close());

test("an app route gets the caller and the Local API from the plugin", async () => {
  expect(await (await get("/whoami", { "x-user": "ada" })).json()).toEqual({
    id: ADA,
    name: "Ada",
  });
  expect(await (await get("/whoami", { cookie: "who=ada" })).json()).toEqual({
    id: ADA,
    name: "Ada",
  });
  expect(await (await get("/whoami")).json()).toEqual({ id: null, name: null });
  expect(await (await get("/notes-count")).json()).toEqual({ totalDocs: 0 });
});

test("a module's routes ask the kernel who is calling", async () => {
  expect(await (await get("/api/module/whoami", { "x-user": "ada" })).json()).toEqual({ id: ADA });
  expect(await (await get("/api/module/whoami")).json()).toEqual({ id: null });
});

test("the caller is resolved once per request, however many ask", async () => {
  resolved = 0;
  const res = await get("/api/notes", { "x-user": "ada" });
  expect(res.status).toBe(200);
  expect(resolved).toBe(1);
  resolved = 0;
  await get("/api/module/whoami", { "x-user": "ada" });
  expect(resolved).toBe(1);
  // Lucent's routes that do not need the caller never resolve one.
  resolved = 0;
  expect((await get("/api/health", { "x-user": "ada" })).status).toBe(200);
  expect(resolved).toBe(0);
});
