/**
 * One way to start the demo for a test file and talk to it: an Elysia app
 * around `lucent()` on a fresh database (PGlite, or real Postgres when
 * TEST_DATABASE_URL is set), requests through `app.handle`, and checks of
 * the error envelope (CONTRACT §5).
 */
import { expect } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CollectionConfig, Kernel, LucentConfig, LucentModule } from "@lucent/core";
import { createLogger, defineCollection, lucent } from "@lucent/core";
import type { TestDatabase } from "@lucent/test-utils";
import { createTestDatabase } from "@lucent/test-utils";
import { Elysia } from "elysia";
import { createConfig } from "../src/config.ts";

/**
 * A test-only collection for field types the demo does not use (email,
 * boolean) and for bounds its fields leave open (min, max).
 */
export const Contacts = defineCollection({
  slug: "contacts",
  access: { create: () => true, update: () => true, delete: () => true },
  fields: {
    email: { type: "email", unique: true },
    active: { type: "boolean" },
    visits: { type: "integer", min: 0 },
    score: { type: "number", min: 0, max: 5 },
  },
});

/** What a test sees of a response: status, headers, and the parsed JSON body (or text). */
export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface RequestOptions {
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** The header a test signs in with: a user id (tests only; real sign-in is @lucent/auth). */
export const TEST_USER = "x-test-user";

/**
 * Signs a request in as the user whose id is in `x-test-user`. The demo's own
 * auth module resolves first; this only answers when it did not.
 */
export function testAuth(): LucentModule {
  return {
    name: "test-auth",
    setup: ({ lucent }) => ({
      async resolveUser({ request }) {
        const id = request.headers.get(TEST_USER);
        if (!id) return null;
        const doc = await lucent.findById({ collection: "users", id, overrideAccess: true });
        return { ...doc, collection: "users" };
      },
    }),
  };
}

/** The body of a user create: the demo's users need an email (and a password once auth is installed). */
export function userData(kernel: Kernel, fields: Record<string, unknown>): Record<string, unknown> {
  const name = String(fields.name ?? "user")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-");
  const needsPassword = kernel.ctx.collections.get("users")?.fieldMap.has("password");
  return {
    email: `${name}-${Bun.randomUUIDv7().slice(-8)}@example.com`,
    ...(needsPassword ? { password: "correct horse battery staple" } : {}),
    ...fields,
  };
}

export interface TestApp {
  kernel: Kernel;
  /** The admin every request signs in as, unless it sends its own x-test-user ("" for anonymous). */
  admin: { id: string };
  db: TestDatabase;
  /** A raw request to `http://localhost<path>`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  get(path: string, headers?: Record<string, string>): Promise<ApiResponse>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  patch(path: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  del(path: string): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Collections added to the demo's. @default [Contacts] */
  extraCollections?: readonly CollectionConfig[];
  /** Modules added to the demo's. @default [testAuth()] */
  modules?: readonly LucentModule[];
}

/** Starts the demo config on a fresh database; call once per test file (beforeAll). */
export async function startDemo(options: StartOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), "lucent-demo-test-"));
  const demoConfig: LucentConfig = createConfig();
  const config: LucentConfig = {
    ...demoConfig,
    db: { url: db.url },
    dataDir,
    logger: createLogger({ level: Bun.env.LOG_LEVEL ?? "silent" }),
    typegen: { output: false },
    collections: [...demoConfig.collections, ...(options.extraCollections ?? [Contacts])],
    modules: [...(demoConfig.modules ?? []), ...(options.modules ?? [testAuth()])],
  };
  const app = new Elysia().use(await lucent(config, { handleSignals: false }));
  const kernel = (app.decorator as { lucentKernel: Kernel }).lucentKernel;
  // The first user is the admin (the demo's rule); tests act as them by default.
  const admin = await kernel.lucent.create({
    collection: "users",
    data: userData(kernel, { name: "Root" }),
    overrideAccess: true,
  });

  const fetch = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has(TEST_USER)) headers.set(TEST_USER, admin.id);
    if (headers.get(TEST_USER) === "") headers.delete(TEST_USER);
    return app.handle(new Request(`http://localhost${path}`, { ...init, headers }));
  };
  const request = async (
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(path, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get("content-type") ?? "").includes("json") && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed };
  };
  return {
    kernel,
    admin,
    db,
    fetch,
    request,
    get: (path, headers) => request("GET", path, headers ? { headers } : {}),
    post: (path, body, headers) => request("POST", path, { body, ...(headers ? { headers } : {}) }),
    patch: (path, body, headers) =>
      request("PATCH", path, { body, ...(headers ? { headers } : {}) }),
    del: (path) => request("DELETE", path),
    async close() {
      await kernel.stop();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Envelope {
  error: {
    code: string;
    message: string;
    details?: Array<{ path: string; message: string }>;
    requestId: string;
  };
}

/** Asserts the response is exactly the contract's error envelope with this status and code. */
export function expectError(res: ApiResponse, status: number, code: string): Envelope {
  expect({ status: res.status, code: errorCode(res.body) }).toEqual({ status, code });
  expect(isEnvelope(res.body)).toBe(true);
  const body = res.body as Envelope;
  expect(body.error.requestId).toBe(res.headers.get("x-request-id")!);
  return body;
}

function errorCode(body: unknown): unknown {
  return (body as { error?: { code?: unknown } } | null)?.error?.code;
}

/** Exactly `{ error: { code, message, details?, requestId } }`, nothing more. */
export function isEnvelope(body: unknown): boolean {
  if (!isObject(body) || Object.keys(body).join() !== "error") return false;
  const error = body.error;
  if (!isObject(error)) return false;
  const keys = Object.keys(error).sort();
  const expected = "details" in error ? "code,details,message,requestId" : "code,message,requestId";
  if (keys.join() !== expected) return false;
  if (typeof error.code !== "string" || typeof error.message !== "string" || !error.message)
    return false;
  if (typeof error.requestId !== "string" || !error.requestId) return false;
  if ("details" in error) {
    const details = error.details;
    if (!Array.isArray(details)) return false;
    for (const d of details) {
      if (!isObject(d) || typeof d.path !== "string" || typeof d.message !== "string") return false;
      if (Object.keys(d).sort().join() !== "message,path") return false;
    }
  }
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `?where=` for a where object. */
export function whereQuery(where: unknown): string {
  return `where=${encodeURIComponent(JSON.stringify(where))}`;
}

export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
