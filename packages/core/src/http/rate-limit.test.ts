import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { type Harness, startHarness } from "../../test/harness.ts";
import { defineCollection, type LucentModule, resolveConfig } from "../index.ts";
import { createKernel, type Kernel } from "../kernel/kernel-create.ts";
import { createLogger } from "../kernel/logger.ts";
import { lucentPlugin } from "./lucent.ts";

const Notes = defineCollection({ slug: "notes", fields: { title: { type: "text" } } });

/** Requests that reached a handler of the module. */
let reached = 0;
const keysSeen: string[] = [];
const logLines: Array<Record<string, unknown>> = [];

const sensitive = {
  name: "sensitive",
  setup: () => ({
    sensitiveRoutes: ["/secret/login", "/secret/oauth/github"],
    routes: new Elysia()
      .post("/secret/login", () => ++reached, { parse: "none" })
      .get("/secret/oauth/:provider", () => ++reached),
  }),
} satisfies LucentModule;

let h: Harness;
let counter = 0;
/** A client of its own, as the proxy in front of the app reports it. */
const client = () => `203.0.113.${++counter}`;
const login = (path: string, ip: string, headers: Record<string, string> = {}) =>
  h.request(path, { method: "POST", headers: { "x-forwarded-for": ip, ...headers } });

/** The request's log line, written once the response has gone out. */
async function requestLine(requestId: string) {
  for (let tick = 0; tick < 200; tick++) {
    const line = logLines.find((l) => l.requestId === requestId && l.msg === "request");
    if (line) return line;
    await Bun.sleep(1);
  }
  return undefined;
}

beforeAll(async () => {
  h = await startHarness({
    collections: [Notes],
    api: {
      trustProxy: 1,
      rateLimit: {
        api: 1000,
        sensitive: 3,
        key: ({ request, ip }) => {
          const tenant = request.headers.get("x-tenant");
          keysSeen.push(ip);
          return tenant ? `tenant:${tenant}` : ip;
        },
      },
    },
    modules: [sensitive],
    logger: createLogger({
      level: "info",
      destination: { write: (line: string) => void logLines.push(JSON.parse(line)) },
    }),
  });
});

afterAll(() => h.close());

describe("the route the router matched decides the budget", () => {
  // Each of these either runs the login handler or no handler at all; none may run it past the budget.
  test.each([
    "/api/secret/login/",
    "/api//secret/login",
    "/api/secret//login",
    "/api/secret/login//",
    "/api/Secret/login",
    "/API/secret/login",
    "/api/secret/./login",
    "/api/other/../secret/login",
    "/api/secret/%6Cogin",
    "/api/secret/login?x=1",
  ])(
    "regression: %s does not escape the sensitive budget (a trailing slash got the API budget)",
    async (spelling) => {
      const ip = client();
      for (let i = 0; i < 3; i++) expect((await login("/api/secret/login", ip)).status).toBe(200);
      const before = reached;
      const res = await login(spelling, ip);
      expect(reached).toBe(before);
      expect(res.status).not.toBe(200);
    },
  );

  test("regression: requests spelled with a trailing slash spend the sensitive budget too", async () => {
    const ip = client();
    for (let i = 0; i < 3; i++) expect((await login("/api/secret/login/", ip)).status).toBe(200);
    const res = await login("/api/secret/login", ip);
    expect(res.status).toBe(429);
    expect(res.headers.get("ratelimit-limit")).toBe("3");
  });

  test("a route with parameters is sensitive for the paths a module named, and only those", async () => {
    const ip = client();
    for (let i = 0; i < 3; i++)
      expect(
        (await h.request("/api/secret/oauth/github", { headers: { "x-forwarded-for": ip } }))
          .status,
      ).toBe(200);
    const again = await h.request("/api/secret/oauth/github/", {
      headers: { "x-forwarded-for": ip },
    });
    expect(again.status).toBe(429);
    const other = await h.request("/api/secret/oauth/gitlab", {
      headers: { "x-forwarded-for": ip },
    });
    expect(other.status).toBe(200);
    expect(other.headers.get("ratelimit-limit")).toBe("1000");
  });
});

describe("who the client is", () => {
  test("regression: clients behind the trusted proxy each get their own budget (they shared one)", async () => {
    const a = client();
    for (let i = 0; i < 3; i++) await login("/api/secret/login", a);
    expect((await login("/api/secret/login", a)).status).toBe(429);
    expect((await login("/api/secret/login", client())).status).toBe(200);
  });

  test("an address the client wrote left of the proxy's entry is not believed", async () => {
    const a = client();
    for (let i = 0; i < 4; i++) await login("/api/secret/login", `198.51.100.${i}, ${a}`);
    expect((await login("/api/secret/login", a)).status).toBe(429);
  });

  test("a custom key function decides whom a request counts against", async () => {
    const ip = client();
    for (let i = 0; i < 3; i++) await login("/api/secret/login", ip, { "x-tenant": "acme" });
    expect((await login("/api/secret/login", ip, { "x-tenant": "acme" })).status).toBe(429);
    expect((await login("/api/secret/login", client(), { "x-tenant": "acme" })).status).toBe(429);
    expect((await login("/api/secret/login", ip, { "x-tenant": "globex" })).status).toBe(200);
    expect(keysSeen).toContain(ip);
  });

  test("without trustProxy the socket's address counts and X-Forwarded-For is ignored", async () => {
    const kernel: Kernel = await createKernel({
      db: { adapter: h.kernel.ctx.db },
      dataDir: h.dir,
      typegen: { output: false },
      collections: [Notes],
      api: {
        rateLimit: {
          sensitive: 2,
          key: ({ ip }) => {
            keysSeen.push(ip);
            return ip;
          },
        },
      },
      modules: [sensitive],
    });
    const app = lucentPlugin(kernel, { handleSignals: false }).listen({
      hostname: "127.0.0.1",
      port: 0,
    });
    try {
      const statuses: number[] = [];
      for (const ip of [client(), client(), client()]) {
        const res = await fetch(`http://127.0.0.1:${app.server!.port}/api/secret/login`, {
          method: "POST",
          headers: { "x-forwarded-for": ip },
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(keysSeen.at(-1)).toBe("127.0.0.1");
    } finally {
      await app.stop();
      await kernel.stop();
    }
  });
  test.each([-1, 1.5, Number.NaN])(
    "a trustProxy of %p stops startup with one clear line",
    (trustProxy) => {
      expect(() => resolveConfig({ collections: [Notes], api: { trustProxy } })).toThrow(
        "api.trustProxy: must be the number of proxies in front of the app (0 or more)",
      );
    },
  );
});

describe("refused requests", () => {
  test("regression: a 429 is logged like any other request (refusals left no log line)", async () => {
    const ip = client();
    for (let i = 0; i < 4; i++)
      await login("/api/secret/login", ip, { "x-request-id": `refused-${i}` });
    const line = await requestLine("refused-3");
    expect(line).toMatchObject({ status: 429, method: "POST", path: "/api/secret/login", ip });
  });
});
