/** One app per test file on a shared database: in-memory PGlite, or a fresh Postgres database with TEST_DATABASE_URL. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auth } from "@lucent/auth";
import {
  type CollectionConfig,
  createDatabase,
  createKernel,
  type DatabaseAdapter,
  type Doc,
  type Kernel,
  type LucentModule,
  lucentPlugin,
} from "@lucent/core";
import { createTestDatabase, type TestDatabase } from "@lucent/test-utils";
import { type AnyElysia, Elysia } from "elysia";
import { realtime } from "../src/index.ts";
import type { RealtimeApi } from "../src/module.ts";
import type { RealtimeOptions } from "../src/options.ts";
import { Comments, Posts, Users } from "./collections.ts";

export const PASSWORD = "correct horse battery";

export interface Shared {
  db: DatabaseAdapter;
  test: TestDatabase;
  dirs: string[];
  close(): Promise<void>;
}

export async function openShared(wrap?: (db: DatabaseAdapter) => DatabaseAdapter): Promise<Shared> {
  Bun.env.JWT_SECRET = "test-jwt-secret-0123456789abcdef0123456789";
  Bun.env.SESSION_SECRET = "test-session-secret-0123456789abcdef012345";
  const test = await createTestDatabase();
  const raw = await createDatabase({ url: test.url, dataDir: "/nonexistent" });
  const db = wrap ? wrap(raw) : raw;
  const dirs: string[] = [];
  return {
    db,
    test,
    dirs,
    async close() {
      await raw.close();
      await test.close();
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface SignedIn {
  id: string;
  accessToken: string;
  headers: Record<string, string>;
}

export interface TestApp {
  kernel: Kernel;
  base: string;
  ws: string;
  realtime: RealtimeApi;
  /** A user with this role, signed in with a bearer token. */
  signUp(email: string, role?: "admin" | "user"): Promise<SignedIn>;
  create(data: Record<string, unknown>, collection?: string): Promise<Doc>;
  update(id: string, data: Record<string, unknown>, collection?: string): Promise<Doc>;
  remove(id: string, collection?: string): Promise<Doc>;
  close(): Promise<void>;
}

export async function startApp(
  shared: Shared,
  input: {
    realtime?: RealtimeOptions;
    accessTokenTtl?: number;
    collections?: CollectionConfig[];
    modules?: LucentModule[];
    /** Origins allowed by CORS (with credentials). */
    cors?: string[];
    /** Routes of the test's own beside Lucent's (a page for the browser). */
    extra?: AnyElysia;
  } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), "lucent-realtime-"));
  shared.dirs.push(dataDir);
  const kernel = await createKernel({
    db: { adapter: shared.db },
    dataDir,
    collections: input.collections ?? [Users, Posts, Comments],
    typegen: { output: false },
    api: {
      rateLimit: false,
      ...(input.cors ? { cors: { origin: input.cors, credentials: true } } : {}),
    },
    modules: input.modules ?? [
      auth({
        strategies: ["jwt", "session", "apiKey"],
        accessTokenTtl: input.accessTokenTtl ?? 900,
      }),
      realtime({ pollIntervalMs: 200, ...input.realtime }),
    ],
  });
  const app = new Elysia().use(lucentPlugin(kernel, { handleSignals: false }));
  if (input.extra) app.use(input.extra);
  app.listen({ port: 0, hostname: "127.0.0.1" });
  const base = `http://127.0.0.1:${app.server!.port}`;
  const local = kernel.lucent;
  return {
    kernel,
    base,
    ws: `ws://127.0.0.1:${app.server!.port}/ws`,
    realtime: (local as unknown as { realtime: RealtimeApi }).realtime,
    async signUp(email, role = "user") {
      const res = await fetch(`${base}/api/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { user: { id: string }; accessToken: string };
      if (role !== "user")
        await local.update({
          collection: "users",
          id: body.user.id,
          data: { role },
          overrideAccess: true,
        });
      return {
        id: body.user.id,
        accessToken: body.accessToken,
        headers: { authorization: `Bearer ${body.accessToken}` },
      };
    },
    create: (data, collection = "posts") =>
      local.create({ collection, data, overrideAccess: true }),
    update: (id, data, collection = "posts") =>
      local.update({ collection, id, data, overrideAccess: true }),
    remove: (id, collection = "posts") => local.delete({ collection, id, overrideAccess: true }),
    async close() {
      await app.stop(true);
    },
  };
}
