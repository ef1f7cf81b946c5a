import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../../test/harness.ts";
import { defineCollection, defineLucentConfig, type Kernel } from "../index.ts";
import { createKernel } from "../kernel/kernel-create.ts";

const Notes = defineCollection({
  slug: "notes",
  fields: { title: { type: "text", required: true } },
  access: { create: () => true, update: () => true, delete: () => true },
});

let h: Harness;
let kernel: Kernel;
let app: Harness["app"];

beforeAll(async () => {
  h = await startHarness({
    collections: [Notes],
    api: {
      cors: { origin: ["https://app.example.com"], credentials: true },
      bodyLimit: 1024,
      rateLimit: { api: 1_000_000, sensitive: 2 },
      cache: { ttlMs: 60_000 },
    },
    modules: [{ name: "sensitive", setup: () => ({ sensitiveRoutes: ["/notes/count"] }) }],
  });
  ({ kernel, app } = h);
});

afterAll(() => h.close());

const request = (path: string, init?: RequestInit) =>
  app.handle(new Request(`http://localhost${path}`, init));
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("security headers", () => {
  test.each(["/api/notes", "/api/health", "/api/nope"])(
    "are on every response (%s)",
    async (path) => {
      const res = await request(path);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(res.headers.get("x-powered-by")).toBeNull();
    },
  );
});

describe("CORS", () => {
  test("an allowed origin gets its own origin back, with credentials", async () => {
    const res = await request("/api/notes", { headers: { origin: "https://app.example.com" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
  });

  test("another origin gets no CORS headers", async () => {
    const res = await request("/api/notes", { headers: { origin: "https://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("a preflight from an allowed origin is answered with 204 and the allowed methods", async () => {
    const res = await request("/api/notes", {
      method: "OPTIONS",
      headers: { origin: "https://app.example.com", "access-control-request-method": "PATCH" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-methods")).toContain("PATCH");
  });

  test("startup refuses a wildcard origin with credentials", async () => {
    const config = defineLucentConfig({
      db: { url: h.db.url },
      dataDir: h.dir,
      collections: [Notes],
      api: { cors: { origin: "*", credentials: true } },
    });
    await expect(createKernel(config)).rejects.toThrow(
      "api.cors: a wildcard origin cannot be combined with credentials",
    );
  });
});

describe("body size", () => {
  test("a JSON body over the limit is a 413 in the envelope, and nothing is written", async () => {
    const before = await kernel.lucent.count({ collection: "notes" });
    const res = await post("/api/notes", { title: "x".repeat(2000) });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await kernel.lucent.count({ collection: "notes" })).toEqual(before);
  });

  /** A body of `chunks` × 1 KiB that counts what the server pulls from it. */
  function streamedBody(chunks: number) {
    const chunk = new Uint8Array(1024).fill(0x61);
    const read = { bytes: 0 };
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (read.bytes >= chunks * 1024) return controller.close();
          read.bytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    return { body, read };
  }

  test.each([
    ["application/json", 1024],
    ["multipart/form-data; boundary=x", 1024 + 64 * 1024],
  ])(
    "regression: a chunked %s body is refused as soon as it passes the limit (it was read whole first)",
    async (type, limit) => {
      const { body, read } = streamedBody(1024);
      const res = await request("/api/notes", {
        method: "POST",
        headers: { "content-type": type },
        body,
      });
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
      expect(read.bytes).toBeLessThanOrEqual(limit + 1024);
    },
  );

  test("a Content-Length over the limit is refused before a byte is read", async () => {
    const { body, read } = streamedBody(1024);
    const res = await request("/api/notes", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(1024 * 1024) },
      body,
    });
    expect(res.status).toBe(413);
    expect(read.bytes).toBe(0);
  });
});

describe("rate limits", () => {
  test("a sensitive route allows its budget, then answers 429 with Retry-After", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await request("/api/notes/count");
      statuses.push(last.status);
    }
    // "count" is no document id (400), and a refused request still spends the budget: probing is limited too.
    expect(statuses).toEqual([400, 400, 429]);
    expect(last!.headers.get("ratelimit-limit")).toBe("2");
    expect(last!.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await last!.json()).error.code).toBe("RATE_LIMITED");
  });

  test("API responses carry RateLimit headers", async () => {
    const res = await request("/api/notes");
    expect(res.headers.get("ratelimit-limit")).toBe("1000000");
    expect(Number(res.headers.get("ratelimit-remaining"))).toBeLessThan(1_000_000);
    expect(Number(res.headers.get("ratelimit-reset"))).toBeGreaterThanOrEqual(0);
  });
});

describe("ETag and the response cache", () => {
  test("If-None-Match with the current ETag gives 304 without a body", async () => {
    const first = await request("/api/notes");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await request("/api/notes", { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  test("a write clears the cache: the next list shows it and carries a new ETag", async () => {
    const before = await request("/api/notes?limit=50");
    const etag = before.headers.get("etag")!;
    const created = await post("/api/notes", { title: "fresh" });
    expect(created.status).toBe(201);
    const after = await request("/api/notes?limit=50", { headers: { "if-none-match": etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect((await after.json()).docs.map((d: { title: string }) => d.title)).toContain("fresh");
  });
});

describe("request ids", () => {
  test("a sane X-Request-Id is kept and echoed in the error envelope", async () => {
    const res = await request("/api/nope", { headers: { "x-request-id": "abc.DEF_1:2-3" } });
    expect(res.headers.get("x-request-id")).toBe("abc.DEF_1:2-3");
    expect((await res.json()).error.requestId).toBe("abc.DEF_1:2-3");
  });

  test("an unsafe one is replaced by a generated id", async () => {
    const res = await request("/api/notes", { headers: { "x-request-id": "a b<script>" } });
    const id = res.headers.get("x-request-id");
    expect(id).not.toBe("a b<script>");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
