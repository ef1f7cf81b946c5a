import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ConfigError } from "@lucent/core";
import type { Shared, TestLucent } from "../test/fixtures.ts";
import { sharedLucent, widgets } from "../test/fixtures.ts";
import { openapi } from "./index.ts";
import type { OpenApiDocument } from "./openapi-types.ts";
import { INIT_SCRIPT } from "./scalar-assets.ts";
import { docsCsp } from "./scalar-page.ts";

let shared: Shared;
let lucent: TestLucent;
let page: string;
let pageHeaders: Headers;

beforeAll(async () => {
  shared = await sharedLucent();
  lucent = await shared.start([
    openapi({ title: "Articles API", servers: [{ url: "https://api.example.com" }] }),
  ]);
  const res = await lucent.handle("/api/docs");
  pageHeaders = res.headers;
  page = await res.text();
}, 60_000);
afterAll(() => shared.close());

const scripts = () => [...page.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);

describe("the docs page", () => {
  test("replaces core's CSP with its own, which allows this origin and the named servers only", () => {
    expect(pageHeaders.get("content-type")).toBe("text/html; charset=utf-8");
    expect(pageHeaders.get("content-security-policy")).toBe(docsCsp(["https://api.example.com"]));
    expect(pageHeaders.get("content-security-policy")).toContain("script-src 'self';");
    expect(pageHeaders.get("x-frame-options")).toBe("DENY");
  });

  test("loads its scripts from the app itself, never from a CDN", () => {
    expect(scripts()).toEqual([
      expect.stringMatching(/^\/api\/docs\/assets\/scalar-api-reference-[\d.]+\.js$/),
      expect.stringMatching(/^\/api\/docs\/assets\/init-[0-9a-f]+\.js$/),
    ]);
    expect(page).not.toMatch(/https?:\/\//);
  });

  test("configures Scalar with the document and without Scalar's own services", () => {
    const raw = page.match(/data-configuration="([^"]+)"/)![1]!.replaceAll("&quot;", '"');
    expect(JSON.parse(raw)).toMatchObject({
      url: "/api/docs/json",
      title: "Articles API",
      withDefaultFonts: false,
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: "never",
      telemetry: false,
      hideClientButton: true,
    });
  });
});

describe("the assets", () => {
  test("serve Scalar's bundle from the installed package with an immutable cache and an ETag", async () => {
    const res = await lucent.handle(scripts()[0]!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const body = await res.text();
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(body).toContain("createApiReference");
    const again = await lucent.handle(scripts()[0]!, {
      headers: { "if-none-match": res.headers.get("etag")! },
    });
    expect(again.status).toBe(304);
  });

  test("serve the start script, and a 404 envelope for anything else", async () => {
    expect(await (await lucent.handle(scripts()[1]!)).text()).toBe(INIT_SCRIPT);
    const missing = await lucent.handle("/api/docs/assets/other.js");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });
});

describe("the document route", () => {
  test("serves JSON with the options' title, version and servers", async () => {
    const res = await lucent.handle("/api/docs/json");
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const doc = (await res.json()) as OpenApiDocument;
    expect(doc.info).toMatchObject({ title: "Articles API", version: "1.0.0" });
    expect(doc.servers).toEqual([{ url: "https://api.example.com" }]);
  });

  test("leaves out a module's paths when the module is not installed", async () => {
    const doc = await lucent.json<OpenApiDocument>("/api/docs/json");
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/api/widgets"))).toBe(false);
    expect(doc.security).toBeUndefined();
    const withWidgets = await shared.start([widgets, openapi()]);
    const full = await withWidgets.json<OpenApiDocument>("/api/docs/json");
    expect(Object.keys(full.paths)).toContain("/api/widgets/ping");
  });
});

describe("options", () => {
  test("take the path with or without the API prefix", async () => {
    for (const path of ["/api/reference", "/reference"]) {
      const app = await shared.start([openapi({ path })]);
      expect((await app.handle("/api/reference")).status).toBe(200);
      const doc = await app.json<OpenApiDocument>("/api/reference/json");
      expect(Object.keys(doc.paths)).toContain("/api/reference/json");
    }
  });

  test("are checked at startup, naming the module and the option", async () => {
    const error = await shared.start([openapi({ path: "docs" })]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain("(@lucent/openapi).path");
  });
});
