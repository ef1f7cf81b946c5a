/**
 * The demo's document against what the demo serves: it passes a real
 * OpenAPI 3.1 validator, and the routes and the document list the same
 * operations, walked both ways.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { validate } from "@scalar/openapi-parser";
import type { DocsApp } from "./openapi-app.ts";
import { startDocsDemo } from "./openapi-app.ts";

interface Document {
  paths: Record<string, Record<string, unknown>>;
}

const METHODS = ["get", "put", "post", "patch", "delete", "head", "options", "trace"];
let demo: DocsApp;
let doc: Document;

beforeAll(async () => {
  demo = await startDocsDemo();
  doc = (await (await demo.handle("/api/docs/json")).json()) as Document;
}, 60_000);
afterAll(() => demo.close());

/** `/api/posts/:id` and `/api/posts/{id}` as segments, a parameter matching any one segment. */
function segments(path: string): Array<string | null> {
  return path
    .split("/")
    .filter(Boolean)
    .map((s) => (s.startsWith(":") || /^\{.+\}$/.test(s) ? null : s));
}

function matches(a: string, b: string): boolean {
  const x = segments(a);
  const y = segments(b);
  return x.length === y.length && x.every((s, i) => s === null || y[i] === null || s === y[i]);
}

/** The app's routes under the API prefix, without the catch-all that answers "no such route". */
function servedRoutes(): Array<{ method: string; path: string }> {
  return demo.app.routes
    .filter((r) => r.path.startsWith("/api/") && !(r.method === "ALL" && r.path === "/api/*"))
    .map((r) => ({ method: r.method.toLowerCase(), path: r.path }));
}

function documentedOperations(): Array<{ method: string; path: string }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => METHODS.includes(m))
      .map((method) => ({ method, path })),
  );
}

describe("the demo's OpenAPI document", () => {
  test("passes the OpenAPI 3.1 validator", async () => {
    const result = await validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test("describes every route the demo serves", () => {
    const routes = servedRoutes();
    expect(routes.length).toBeGreaterThan(15);
    const undocumented = routes.filter(
      (r) => !documentedOperations().some((o) => o.method === r.method && matches(o.path, r.path)),
    );
    expect(undocumented).toEqual([]);
  });

  test("lists only operations the demo serves", () => {
    const operations = documentedOperations();
    expect(operations.length).toBeGreaterThan(15);
    const unserved = operations.filter(
      (o) => !servedRoutes().some((r) => r.method === o.method && matches(o.path, r.path)),
    );
    expect(unserved).toEqual([]);
  });

  test("sends no documented request to the catch-all that answers unknown routes", async () => {
    const control = await demo.handle("/api/no-such-thing");
    expect(await control.text()).toContain('"no such route"');
    const missing: string[] = [];
    for (const { method, path } of documentedOperations()) {
      // A fresh id reaches the route and gets a 404 for the document, which is not the route's 404.
      const url = path.replace(/\{[^}]+\}/g, Bun.randomUUIDv7());
      const res = await demo.handle(url, { method: method.toUpperCase() });
      const body = res.headers.get("content-type")?.includes("json") ? await res.text() : "";
      if (body.includes('"no such route"')) missing.push(`${method.toUpperCase()} ${url}`);
    }
    expect(missing).toEqual([]);
  });
});

describe("the demo's docs page", () => {
  test("is served with a CSP that allows its own scripts instead of core's default-src 'none'", async () => {
    const res = await demo.handle("/api/docs");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("http");
  });
});
